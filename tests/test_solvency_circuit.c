/* The v1 batch circuit (spec §7):
 *  - constraint counts per part equal the formula from the gadgets' own
 *    counts, in COUNT, SETUP and CHECK modes alike;
 *  - SETUP matrices times the PROVE witness satisfy every row, evaluated
 *    here independently of the builder's own check;
 *  - honest witnesses from real CSV data pass CHECK: the worked example
 *    (A = 350, batch of 8, public input = the vector's BatchCommitment), the
 *    first batch of Binance's sample files (316 assets, A = 350), a random
 *    multi-batch sheet;
 *  - soundness: for every check of §7 a witness breaking it fails, at that
 *    check. Witnesses are built consistently by the naive reference of
 *    batch_test_ref.h (so that only the targeted check can fail), by editing
 *    the witness struct, or, where no struct can express the cheat (an
 *    amount or price >= 2^64, a non-boolean index bit), by the r1cs hint hook.
 * ctest-labels: circuit */
#include <stdio.h>

#include "json/json.h"
#include "r1cs/r1cs.h"
#include "solvency/solvency.h"
#include "test.h"
#include "test_vectors_json.h"
#include "batch_test_ref.h"

/* ---------------- expected counts ---------------- */

/* Binance hash of n non-constant inputs: the first permutation's word 0 is
 * the constant 0 (one S-box folded). */
static uint64_t hash_cost(size_t n) {
    uint64_t c = 0;
    int carry_const = 1;
    size_t i = 0;
    for (; n - i >= 16; i += 16) {
        c += zk_g_poseidon_constraints(17) - (carry_const ? 3 : 0);
        carry_const = 0;
    }
    if (i < n) c += zk_g_poseidon_constraints((unsigned)(n - i) + 1) - (carry_const ? 3 : 0);
    return c;
}

typedef struct {
    uint64_t batch_commitment, cex_before, user, cex_after, total;
    uint64_t amounts, balance, td_le_te, asset_commitment, leaf, path, index;
} expect;

static expect expected(unsigned B, unsigned A) {
    expect e;
    e.batch_commitment = hash_cost(4) + 1;
    e.cex_before = 3ull * A * 65 + hash_cost(A) + 1;
    e.cex_after = 2ull * A * 65 + hash_cost(A) + 1;
    e.amounts = 128ull * A;
    e.balance = 2ull * A;
    e.td_le_te = ZK_G_ASSERT_LE_CONSTRAINTS;
    e.asset_commitment = hash_cost((2 * A + 2) / 3);
    e.leaf = hash_cost(4);
    e.path = ZK_G_MERKLE28_CONSTRAINTS + 1;
    e.index = 28;
    e.user = 1 + e.index + 2 * e.path + e.amounts + e.balance + e.td_le_te + e.asset_commitment + e.leaf;
    e.total = e.batch_commitment + e.cex_before + B * e.user + 1 + e.cex_after;
    return e;
}

static uint64_t label_count(const zk_cs *cs, const char *name) {
    for (size_t i = 0; i < zk_cs_nlabels(cs); i++) {
        zk_cs_label_stats st;
        zk_cs_label_get(cs, &st, i);
        if (!strcmp(st.name, name)) return st.constraints;
    }
    return UINT64_MAX;
}

static void check_counts(const zk_cs *cs, unsigned B, unsigned A) {
    expect e = expected(B, A);
    CHECK_MSG(zk_cs_nconstraints(cs) == e.total, "B=%u A=%u: %llu constraints, expected %llu", B, A,
              (unsigned long long)zk_cs_nconstraints(cs), (unsigned long long)e.total);
    CHECK(zk_cs_npublic(cs) == 1);
    CHECK(label_count(cs, "batch_commitment") == e.batch_commitment);
    CHECK(label_count(cs, "cex_before") == e.cex_before);
    CHECK(label_count(cs, "cex_after") == e.cex_after);
    CHECK(label_count(cs, "user") == B * e.user);
    CHECK(label_count(cs, "amounts") == B * e.amounts);
    CHECK(label_count(cs, "balance") == B * e.balance);
    CHECK(label_count(cs, "td_le_te") == B * e.td_le_te);
    CHECK(label_count(cs, "asset_commitment") == B * e.asset_commitment);
    CHECK(label_count(cs, "leaf") == B * e.leaf);
    CHECK(label_count(cs, "empty_path") == B * e.path && label_count(cs, "after_path") == B * e.path);
    CHECK(label_count(cs, "index") == B * e.index);
    CHECK(label_count(cs, "chain") == B + 1);
}

static void test_counts(void) {
    static const unsigned shapes[][2] = {{1, 1}, {2, 3}, {3, 4}, {2, 16}, {1, 25}, {2, 350}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        unsigned B = shapes[k][0], A = shapes[k][1];
        zk_cs *cs = zk_cs_new(ZK_CS_COUNT);
        CHECK(zk_batch_circuit_shape(cs, B, A) == ZK_OK);
        check_counts(cs, B, A);
        uint64_t nv = zk_cs_nvars(cs);
        zk_cs_free(cs);
        if (A <= 16) { /* SETUP agrees */
            cs = zk_cs_new(ZK_CS_SETUP);
            CHECK(zk_batch_circuit_shape(cs, B, A) == ZK_OK);
            check_counts(cs, B, A);
            CHECK(zk_cs_nvars(cs) == nv);
            zk_cs_free(cs);
        }
    }
    zk_cs *cs = zk_cs_new(ZK_CS_CHECK);
    CHECK(zk_batch_circuit_shape(cs, 2, 2) == ZK_ERR_ARG); /* values need a witness */
    zk_cs_free(cs);
    cs = zk_cs_new(ZK_CS_COUNT);
    CHECK(zk_batch_circuit_shape(cs, 0, 2) == ZK_ERR_ARG && zk_batch_circuit_shape(cs, 2, 351) == ZK_ERR_ARG);
    zk_cs_free(cs);
    expect e = expected(ZK_V1_BATCH_USERS, 350);
    printf("864 x 350 by formula: %llu constraints, %llu per user\n", (unsigned long long)e.total,
           (unsigned long long)e.user);
}

/* ---------------- helpers ---------------- */

static zk_sheet *sheet_of(const char *name, const char *csv) {
    const char *names[1] = {name}, *texts[1] = {csv};
    size_t lens[1] = {strlen(csv)};
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, NULL) == ZK_OK);
    return s;
}

typedef struct {
    const char *label; /* count allocations whose top label is this */
    uint64_t target;   /* the target-th of them (0-based) */
    fr_t add;          /* gets this added */
    uint64_t seen;
} hook_ctx;

static void hook(void *ctx, const zk_cs *cs, zk_var v, fr_t *value) {
    (void)v;
    hook_ctx *h = ctx;
    if (strcmp(zk_cs_label_top(cs), h->label)) return;
    if (h->seen++ == h->target) fr_add(value, value, &h->add);
}

/* CHECK-mode synthesis: returns the number of failures, *path the first
 * failure's label path. */
static uint64_t run_check(const zk_batch_witness *w, hook_ctx *h, const char **path, zk_err *err) {
    static char buf[1024];
    zk_cs *cs = zk_cs_new(ZK_CS_CHECK);
    if (h) zk_cs_set_hint_hook(cs, hook, h);
    *err = zk_batch_circuit(cs, w);
    uint64_t nf = zk_cs_nfailures(cs);
    const char *p = "";
    zk_cs_first_failure(cs, NULL, &p);
    snprintf(buf, sizeof buf, "%s", p);
    *path = buf;
    if (*err == ZK_OK && nf == 0) { /* the public input is the batch commitment */
        const fr_t *wit = zk_cs_witness(cs);
        CHECK(zk_cs_npublic(cs) == 1 && fr_eq(&wit[1], &w->commitment));
        check_counts(cs, w->users, w->assets);
    }
    zk_cs_free(cs);
    return nf;
}

static void expect_pass(const zk_batch_witness *w, const char *what) {
    const char *path;
    zk_err e;
    uint64_t nf = run_check(w, NULL, &path, &e);
    CHECK_MSG(e == ZK_OK && nf == 0, "%s: err %d, %llu failures, first at %s", what, e, (unsigned long long)nf, path);
}

static void expect_fail(const zk_batch_witness *w, hook_ctx *h, const char *at, const char *what) {
    const char *path;
    zk_err e;
    uint64_t nf = run_check(w, h, &path, &e);
    printf("  %-32s -> %llu failed, first at %s\n", what, (unsigned long long)nf, path);
    CHECK_MSG(e == ZK_OK && nf > 0 && !strncmp(path, at, strlen(at)), "%s: err %d, %llu failures, first at '%s' (want '%s')",
              what, e, (unsigned long long)nf, path, at);
}

/* ---------------- SETUP rows x PROVE witness ---------------- */

static fr_t row_dot(const uint64_t *rs, const zk_cs_term *terms, const fr_t *coeffs, uint64_t i, const fr_t *w) {
    fr_t acc, t;
    fr_zero(&acc);
    for (uint64_t k = rs[i]; k < rs[i + 1]; k++) {
        fr_mul(&t, &coeffs[terms[k].coeff], &w[terms[k].var]);
        fr_add(&acc, &acc, &t);
    }
    return acc;
}

static void test_rows(const zk_batch_witness *w) {
    zk_cs *su = zk_cs_new(ZK_CS_SETUP), *pr = zk_cs_new(ZK_CS_PROVE);
    CHECK(zk_batch_circuit(su, w) == ZK_OK && zk_batch_circuit(pr, w) == ZK_OK);
    CHECK(zk_cs_nconstraints(su) == zk_cs_nconstraints(pr) && zk_cs_nvars(su) == zk_cs_nvars(pr));
    CHECK(zk_cs_nfailures(pr) == 0);
    const uint64_t *rs[3];
    const zk_cs_term *tm[3];
    for (int m = 0; m < 3; m++) zk_cs_matrix(su, m, &rs[m], &tm[m]);
    const fr_t *coeffs = zk_cs_coeffs(su, NULL), *wit = zk_cs_witness(pr), *va, *vb, *vc;
    zk_cs_abc(pr, &va, &vb, &vc);
    uint64_t bad = 0, n = zk_cs_nconstraints(su);
    for (uint64_t i = 0; i < n; i++) {
        fr_t a = row_dot(rs[0], tm[0], coeffs, i, wit), b = row_dot(rs[1], tm[1], coeffs, i, wit),
             c = row_dot(rs[2], tm[2], coeffs, i, wit), ab;
        fr_mul(&ab, &a, &b);
        if (!fr_eq(&ab, &c) || !fr_eq(&a, &va[i]) || !fr_eq(&b, &vb[i]) || !fr_eq(&c, &vc[i])) bad++;
    }
    CHECK_MSG(bad == 0, "%llu of %llu rows disagree", (unsigned long long)bad, (unsigned long long)n);
    zk_cs_free(su);
    zk_cs_free(pr);
}

/* ---------------- honest witnesses ---------------- */

static void test_example(const json_value *ex) {
    zk_sheet *s = sheet_of("example.csv", json_as_string(json_get(ex, "csv"), NULL));
    if (!s) return;
    zk_batcher *b = NULL;
    zk_batch_witness *w = NULL;
    CHECK(zk_batcher_new(&b, s, 8, 350, NULL) == ZK_OK);
    if (b) CHECK(zk_batcher_next(b, &w) == ZK_OK);
    if (w) {
        char h[65];
        fr_to_hex(h, &w->commitment);
        CHECK(!strcmp(h, json_as_string(json_get(ex, "gob_witness_batch_size_8_BatchCommitment"), NULL)));
        double t0 = zk_now();
        expect_pass(w, "worked example, B = 8, A = 350");
        printf("worked example B=8 A=350 CHECK: %.2f s\n", zk_now() - t0);
    }
    zk_batch_witness_free(w);
    zk_batcher_free(b);
    /* A = 4 (the example's own asset count): a smaller, self-consistent instance */
    CHECK(zk_batcher_new(&b, s, 3, 4, NULL) == ZK_OK);
    for (int k = 0; k < 2 && b; k++) {
        w = NULL;
        CHECK(zk_batcher_next(b, &w) == ZK_OK);
        if (w) expect_pass(w, "worked example, B = 3, A = 4");
        if (w && k == 1) test_rows(w);
        zk_batch_witness_free(w);
    }
    zk_batcher_free(b);
    zk_sheet_free(s);
}

static void test_sample(void) {
    const char *names[2] = {"sample_users0.csv", "sample_users1.csv"};
    char *texts[2];
    size_t lens[2];
    for (int i = 0; i < 2; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "binance/sample-v1/%s", names[i]);
        texts[i] = test_read_file(test_vector_path(rel), &lens[i]);
    }
    zk_sheet *s = NULL;
    if (texts[0] && texts[1])
        CHECK(zk_sheet_load_mem(&s, names, (const char *const *)texts, lens, 2, NULL) == ZK_OK);
    if (s) {
        CHECK(s->n_assets == 316);
        zk_batcher *b = NULL;
        zk_batch_witness *w = NULL;
        CHECK(zk_batcher_new(&b, s, 4, 350, NULL) == ZK_OK);
        if (b) CHECK(zk_batcher_seek(b, 7) == ZK_OK && zk_batcher_next(b, &w) == ZK_OK);
        if (w) {
            double t0 = zk_now();
            expect_pass(w, "sample-v1 batch 7, B = 4, A = 350");
            printf("sample-v1 B=4 A=350 CHECK: %.2f s\n", zk_now() - t0);
        }
        zk_batch_witness_free(w);
        zk_batcher_free(b);
    }
    zk_sheet_free(s);
    free(texts[0]);
    free(texts[1]);
}

static void test_random(void) {
    char *csv = ref_random_csv(9, 6, test_rand64);
    zk_sheet *s = sheet_of("r.csv", csv);
    zk_batcher *b = NULL;
    if (s) CHECK(zk_batcher_new(&b, s, 4, 6, NULL) == ZK_OK);
    for (uint64_t k = 0; b && k < zk_batcher_batches(b); k++) {
        zk_batch_witness *w = NULL;
        CHECK(zk_batcher_next(b, &w) == ZK_OK);
        if (w) expect_pass(w, "random sheet");
        zk_batch_witness_free(w);
    }
    zk_batcher_free(b);
    zk_sheet_free(s);
    free(csv);
}

/* ---------------- soundness ---------------- */

#define SB 4
#define SA 4

typedef struct {
    zk_sheet *s;
    ref_op ops[SB];
    zk_asset own[SB][SA]; /* editable copies of the ops' assets */
    zk_cex_entry cex[SA];
} cheat_base;

static void base_init(cheat_base *c, zk_sheet *s) {
    memset(c, 0, sizeof *c);
    c->s = s;
    ref_ops_of_sheet(c->ops, s, 0, SB);
    for (unsigned i = 0; i < SB; i++) {
        memcpy(c->own[i], c->ops[i].assets, c->ops[i].n * sizeof(zk_asset));
        c->ops[i].assets = c->own[i];
    }
    for (unsigned j = 0; j < SA; j++) c->cex[j].price = s->prices[j];
}

/* A consistent witness (reference builder) of the base's current ops. */
static zk_batch_witness *base_build(cheat_base *c) {
    ref_tree t;
    ref_tree_init(&t, SA);
    fr_t te[SA], td[SA];
    for (unsigned j = 0; j < SA; j++) {
        te[j] = ref_u64(c->cex[j].equity);
        td[j] = ref_u64(c->cex[j].debt);
    }
    zk_batch_witness *w = ref_batch(&t, 0, c->ops, SB, SA, c->cex, te, td);
    ref_tree_free(&t);
    return w;
}

static void recommit(zk_batch_witness *w) {
    CHECK(zk_batch_commitment(&w->commitment, &w->before_root, &w->after_root, &w->before_cex, &w->after_cex) ==
          ZK_OK);
}

static void test_soundness(const json_value *ex) {
    zk_sheet *s = sheet_of("example.csv", json_as_string(json_get(ex, "csv"), NULL));
    if (!s) return;
    cheat_base c;
    fr_t one, big;
    fr_one(&one);
    fr_set_u64(&big, 1ULL << 32);
    fr_sqr(&big, &big); /* 2^64 */

    /* the reference agrees with the batcher, and the honest witness passes */
    base_init(&c, s);
    zk_batch_witness *w = base_build(&c), *wb = NULL;
    zk_batcher *b = NULL;
    CHECK(zk_batcher_new(&b, s, SB, SA, NULL) == ZK_OK && zk_batcher_next(b, &wb) == ZK_OK);
    CHECK(wb && witness_eq(w, wb, "reference vs batcher"));
    zk_batch_witness_free(wb);
    zk_batcher_free(b);
    expect_pass(w, "honest");

    /* wrong batch commitment (the public input) */
    fr_add(&w->commitment, &w->commitment, &one);
    expect_fail(w, NULL, "batch_commitment", "wrong batch commitment");
    zk_batch_witness_free(w);

    /* wrong CEX commitments (batch commitment recomputed to match them) */
    w = base_build(&c);
    fr_add(&w->before_cex, &w->before_cex, &one);
    recommit(w);
    expect_fail(w, NULL, "cex_before", "wrong before CEX commitment");
    zk_batch_witness_free(w);
    w = base_build(&c);
    fr_add(&w->after_cex, &w->after_cex, &one);
    recommit(w);
    expect_fail(w, NULL, "cex_after", "wrong after CEX commitment");
    zk_batch_witness_free(w);
    w = base_build(&c);
    w->cex[2].debt += 1; /* an entry that its commitment does not cover */
    expect_fail(w, NULL, "cex_before", "tampered CEX entry");
    zk_batch_witness_free(w);

    /* price >= 2^64 (the Hacken finding): hint hook on price 1 */
    w = base_build(&c);
    hook_ctx h = {.label = "cex_before", .target = 3 * 1 + 2, .add = big};
    expect_fail(w, &h, "cex_before/range", "price >= 2^64");
    CHECK(h.seen == 3 * SA);
    h = (hook_ctx){.label = "cex_before", .target = 3 * 3 + 0, .add = big};
    expect_fail(w, &h, "cex_before/range", "CEX equity >= 2^64");
    zk_batch_witness_free(w);

    /* wrong roots */
    w = base_build(&c);
    fr_add(&w->before_root, &w->before_root, &one);
    recommit(w);
    expect_fail(w, NULL, "user/chain", "wrong before root");
    fr_add(&w->ops[0].before_root, &w->ops[0].before_root, &one);
    expect_fail(w, NULL, "user/empty_path", "wrong before root, chained");
    zk_batch_witness_free(w);
    w = base_build(&c);
    fr_add(&w->after_root, &w->after_root, &one);
    recommit(w);
    expect_fail(w, NULL, "chain", "wrong after root");
    zk_batch_witness_free(w);
    w = base_build(&c);
    fr_add(&w->ops[1].after_root, &w->ops[1].after_root, &one);
    w->ops[2].before_root = w->ops[1].after_root;
    expect_fail(w, NULL, "user/after_path", "wrong op after root");
    zk_batch_witness_free(w);
    w = base_build(&c);
    w->ops[2].before_root = w->ops[0].before_root; /* broken chain between ops */
    expect_fail(w, NULL, "user/chain", "op roots do not chain");
    zk_batch_witness_free(w);

    /* a tampered Merkle sibling */
    w = base_build(&c);
    fr_add(&w->ops[1].siblings[3], &w->ops[1].siblings[3], &one);
    expect_fail(w, NULL, "user/empty_path", "tampered sibling");
    zk_batch_witness_free(w);

    /* a reused account index: op 2 overwrites account 1 (true siblings, all
     * roots and commitments consistent): only emptiness can object */
    base_init(&c, s);
    c.ops[2].index = c.ops[1].index;
    w = base_build(&c);
    expect_fail(w, NULL, "user/empty_path", "reused account index");
    zk_batch_witness_free(w);
    base_init(&c, s);
    c.ops[3].index = 1u << 20; /* a gap is allowed (v1 does not check) */
    w = base_build(&c);
    expect_pass(w, "index with a gap");
    w->ops[3].account_index = 1u << ZK_TREE_DEPTH;
    const char *path;
    zk_err e;
    run_check(w, NULL, &path, &e);
    CHECK(e == ZK_ERR_ARG); /* not representable in 28 bits */
    zk_batch_witness_free(w);
    w = base_build(&c);
    h = (hook_ctx){.label = "index", .target = 28 * 3 + 20, .add = one}; /* bit 20 of op 3 becomes 2 */
    expect_fail(w, &h, "user/index", "non-boolean index bit");
    zk_batch_witness_free(w);

    /* negative net balance: TD > TE, everything else consistent */
    base_init(&c, s);
    CHECK(c.ops[1].n == 2 && c.own[1][0].index == 1);
    c.own[1][0].debt = c.own[1][0].equity + 1; /* eth debt 10.00000001 > equity, others 0 */
    c.own[1][1].equity = 0;
    w = base_build(&c);
    expect_fail(w, NULL, "user/td_le_te", "TD > TE");
    zk_batch_witness_free(w);
    /* TD = TE is fine */
    base_init(&c, s);
    c.own[1][0].debt = c.own[1][0].equity;
    c.own[1][1].equity = 0;
    w = base_build(&c);
    expect_pass(w, "TD = TE");
    zk_batch_witness_free(w);

    /* amount >= 2^64: bit 0 of op 2's equity of asset 0 gets 2^64 added, so
     * the amount is honest + 2^64 and only booleanity objects first */
    base_init(&c, s);
    w = base_build(&c);
    h = (hook_ctx){.label = "amounts", .target = (uint64_t)2 * 2 * SA * 64 + 0 * 64, .add = big};
    expect_fail(w, &h, "user/amounts", "amount >= 2^64");
    CHECK(h.seen == (uint64_t)SB * 2 * SA * 64);
    zk_batch_witness_free(w);
    /* an amount the leaf does not commit to: the after path fails */
    w = base_build(&c);
    w->asset_list[w->ops[0].first_asset].equity += 1;
    expect_fail(w, NULL, "user/after_path", "amount changed after the fact");
    zk_batch_witness_free(w);
    w = base_build(&c);
    fr_add(&w->ops[3].id, &w->ops[3].id, &one);
    expect_fail(w, NULL, "user/after_path", "id changed after the fact");
    zk_batch_witness_free(w);

    /* CEX running total >= 2^64: before total 2^64 - 10 plus op 0's
     * 1.5 btc; the reference carries the totals in the field */
    base_init(&c, s);
    c.cex[0].equity = UINT64_MAX - 9;
    w = base_build(&c);
    expect_fail(w, NULL, "cex_after/range", "CEX running total >= 2^64");
    zk_batch_witness_free(w);
    base_init(&c, s);
    c.cex[0].equity = UINT64_MAX - 150000001; /* ends at exactly 2^64 - 1: fine */
    w = base_build(&c);
    expect_pass(w, "CEX total 2^64 - 1");
    zk_batch_witness_free(w);

    /* a price of 0 is allowed by the statement (and by v1) */
    base_init(&c, s);
    c.cex[3].price = 0;
    w = base_build(&c);
    expect_pass(w, "zero price");
    zk_batch_witness_free(w);
    zk_sheet_free(s);
}

int main(void) {
    test_init();
    json_value *root = test_load_vector_json("binance/vectors.json");
    if (!root) TEST_DONE();
    const json_value *ex = json_get(root, "v1_worked_example");
    test_counts();
    test_example(ex);
    test_sample();
    test_random();
    test_soundness(ex);
    json_free(root);
    TEST_DONE();
}
