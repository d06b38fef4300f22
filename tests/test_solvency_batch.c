/* Batch witnesses (spec §6.1), their serialisation and the verifier's chain
 * checks (§8.1), against independent data:
 *  - vectors.json v1_worked_example: the empty-subtree hashes and CEX
 *    commitments, the single 864-user batch (roots, commitments, op 0), and
 *    the Go gob witness row for batch size 8, decoded here per §6.2 and
 *    compared field by field (every op's roots, proof, assets, ids);
 *  - the naive reference of batch_test_ref.h (plain recursive tree, field
 *    totals) on a random multi-batch sheet, including padding and seek;
 *  - encode/decode round trips, strictness, and chain checks that must fail. */
#include <stdio.h>

#include "json/json.h"
#include "solvency/solv_internal.h"
#include "solvency/solvency.h"
#include "test.h"
#include "test_vectors_json.h"
#include "batch_test_ref.h"

static const json_value *V; /* vectors.json */
static const json_value *EX; /* v1_worked_example */

static const char *vstr(const json_value *v) {
    const char *s = json_as_string(v, NULL);
    return s ? s : "";
}

static int fr_is_hex(const fr_t *x, const char *hex) {
    char h[65];
    fr_to_hex(h, x);
    return !strcmp(h, hex);
}

static zk_sheet *load_example(void) {
    const char *csv = vstr(json_get(EX, "csv"));
    const char *names[1] = {"example.csv"}, *texts[1] = {csv};
    size_t lens[1] = {strlen(csv)};
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, NULL) == ZK_OK);
    return s;
}

static void test_constants(void) {
    fr_t e[ZK_TREE_DEPTH + 1];
    CHECK(zk_empty_hashes(e, 350) == ZK_OK);
    const json_value *lv = json_get(V, "v1_empty_subtree_hashes_level0_leaf_to_level28_root");
    for (unsigned k = 0; k <= ZK_TREE_DEPTH; k++) CHECK_MSG(fr_is_hex(&e[k], vstr(json_at(lv, k))), "E[%u]", k);
    /* the sized commitment at A = 350 is the v1 one, at other A the reference's */
    zk_asset a[2] = {{.equity = 5, .debt = 7, .index = 1}, {.equity = 1ULL << 63, .debt = 0, .index = 3}};
    fr_t c1, c2;
    CHECK(zk_asset_commitment_sized(&c1, a, 2, 350) == ZK_OK);
    CHECK(zk_v1_asset_commitment(&c2, a, 2) == ZK_OK);
    CHECK(fr_eq(&c1, &c2));
    for (unsigned A = 4; A <= 40; A += 3) {
        uint64_t eq[40] = {0}, dt[40] = {0};
        eq[1] = 5, dt[1] = 7, eq[3] = 1ULL << 63;
        fr_t r = ref_commit(eq, dt, A);
        CHECK(zk_asset_commitment_sized(&c1, a, 2, A) == ZK_OK && fr_eq(&c1, &r));
        ref_tree t;
        ref_tree_init(&t, A);
        CHECK(zk_empty_hashes(e, A) == ZK_OK);
        CHECK(fr_eq(&e[0], &t.empty[0]) && fr_eq(&e[28], &t.empty[28]));
        ref_tree_free(&t);
    }
    CHECK(zk_asset_commitment_sized(&c1, a, 2, 3) == ZK_ERR_ARG); /* index 3 >= A */
    CHECK(zk_empty_hashes(e, 0) == ZK_ERR_ARG && zk_empty_hashes(e, 351) == ZK_ERR_ARG);
    /* CEX commitments of the worked example */
    const json_value *pub = json_get(EX, "cex_assets_info_published");
    zk_cex_entry cex[350];
    memset(cex, 0, sizeof cex);
    for (size_t i = 0; i < json_len(pub); i++) {
        const json_value *o = json_at(pub, i);
        size_t j = strtoull(json_number_text(json_get(o, "Index")), NULL, 10);
        cex[j].equity = strtoull(json_number_text(json_get(o, "TotalEquity")), NULL, 10);
        cex[j].debt = strtoull(json_number_text(json_get(o, "TotalDebt")), NULL, 10);
        cex[j].price = strtoull(json_number_text(json_get(o, "BasePrice")), NULL, 10);
    }
    CHECK(zk_cex_commitment(&c1, cex, 350) == ZK_OK);
    CHECK(fr_is_hex(&c1, vstr(json_get(EX, "cex_assets_commitment_final"))));
    for (int j = 0; j < 4; j++) cex[j].equity = cex[j].debt = 0;
    CHECK(zk_cex_commitment(&c1, cex, 350) == ZK_OK);
    CHECK(fr_is_hex(&c1, vstr(json_get(EX, "cex_assets_commitment_empty_same_prices"))));
    memset(cex, 0, sizeof cex);
    CHECK(zk_cex_commitment(&c1, cex, 350) == ZK_OK);
    CHECK(fr_is_hex(&c1, vstr(json_get(V, "v1_empty_cex_commitment_all_zero_350"))));
}

/* The published totals of the worked example as CEX entries. */
static void published_example(zk_cex_entry cex[350]) {
    memset(cex, 0, 350 * sizeof *cex);
    const json_value *pub = json_get(EX, "cex_assets_info_published");
    for (size_t i = 0; i < json_len(pub); i++) {
        const json_value *o = json_at(pub, i);
        size_t j = strtoull(json_number_text(json_get(o, "Index")), NULL, 10);
        cex[j].equity = strtoull(json_number_text(json_get(o, "TotalEquity")), NULL, 10);
        cex[j].debt = strtoull(json_number_text(json_get(o, "TotalDebt")), NULL, 10);
        cex[j].price = strtoull(json_number_text(json_get(o, "BasePrice")), NULL, 10);
    }
}

static void test_example_864(zk_sheet *s) {
    zk_batcher *b = NULL;
    CHECK(zk_batcher_new(&b, s, ZK_V1_BATCH_USERS, 350, NULL) == ZK_OK);
    if (!b) return;
    const json_value *x = json_get(EX, "batch_864");
    CHECK(zk_batcher_batches(b) == strtoull(json_number_text(json_get(x, "batches")), NULL, 10));
    zk_batch_witness *w = NULL;
    double t0 = zk_now();
    CHECK(zk_batcher_next(b, &w) == ZK_OK);
    printf("864-user batch witness: %.2f s\n", zk_now() - t0);
    if (!w) {
        zk_batcher_free(b);
        return;
    }
    CHECK(fr_is_hex(&w->before_root, vstr(json_get(x, "BeforeAccountTreeRoot"))));
    CHECK(fr_is_hex(&w->after_root, vstr(json_get(x, "AfterAccountTreeRoot"))));
    CHECK(fr_is_hex(&w->after_root, vstr(json_get(EX, "account_tree_root"))));
    CHECK(fr_is_hex(&w->before_cex, vstr(json_get(x, "BeforeCEXAssetsCommitment"))));
    CHECK(fr_is_hex(&w->after_cex, vstr(json_get(x, "AfterCEXAssetsCommitment"))));
    CHECK(fr_is_hex(&w->commitment, vstr(json_get(x, "BatchCommitment"))));
    CHECK(fr_is_hex(&w->ops[0].before_root, vstr(json_get(x, "op0_BeforeAccountTreeRoot"))));
    CHECK(fr_is_hex(&w->ops[0].after_root, vstr(json_get(x, "op0_AfterAccountTreeRoot"))));
    /* the user proof of account 2 in the final tree = op 2's siblings above the
     * later insertions: compare the vector's proof with the dense tree instead */
    zk_tree *t = NULL;
    CHECK(zk_tree_build(&t, s, NULL) == ZK_OK);
    if (t) {
        uint8_t root[32], want[32];
        zk_tree_root(root, t);
        fr_to_bytes_be(want, &w->after_root);
        CHECK(!memcmp(root, want, 32));
        zk_tree_free(t);
    }
    /* padding accounts leave the root alone, so every op from 5 on keeps it */
    CHECK(fr_eq(&w->ops[863].before_root, &w->after_root) && fr_eq(&w->ops[5].before_root, &w->after_root));
    CHECK(w->ops[863].account_index == 863 && fr_is_zero(&w->ops[863].id) && w->ops[863].n_assets == 0);
    /* published totals = the batcher's final entries; the chain checks pass */
    zk_cex_entry pub[350];
    published_example(pub);
    CHECK(!memcmp(pub, zk_batcher_cex(b), sizeof pub));
    zk_batch_header h = {w->before_root, w->after_root, w->before_cex, w->after_cex, w->commitment};
    size_t bad;
    const char *why;
    CHECK(zk_batch_chain_verify(&bad, &why, &h, 1, pub, 350) == ZK_OK);
    /* serialisation: round trip and size */
    uint8_t *blob = NULL;
    size_t len = 0;
    CHECK(zk_batch_witness_encode(&blob, &len, w) == ZK_OK);
    printf("864-user batch blob: %zu bytes (%.1f per op)\n", len, (double)len / 864);
    CHECK(len < 864 * 80 + 4096); /* siblings and before roots mostly left out */
    zk_batch_witness *d = NULL;
    CHECK(zk_batch_witness_decode(&d, blob, len) == ZK_OK);
    CHECK(d && witness_eq(w, d, "864 round trip"));
    zk_batch_witness_free(d);
    free(blob);
    zk_batch_witness_free(w);
    zk_batch_witness *none = NULL;
    CHECK(zk_batcher_next(b, &none) == ZK_ERR_ARG && !none);
    zk_batcher_free(b);
}

/* ---------------- Go gob (spec §6.2), test-side decoder ---------------- */

typedef struct {
    const uint8_t *p;
    size_t n, pos;
    int bad;
} gob;

static uint64_t gob_uint(gob *g) {
    if (g->pos >= g->n) return g->bad = 1, 0;
    uint8_t b = g->p[g->pos++];
    if (b < 128) return b;
    unsigned k = 256u - b;
    if (k > 8 || g->n - g->pos < k) return g->bad = 1, 0;
    uint64_t v = 0;
    while (k--) v = (v << 8) | g->p[g->pos++];
    return v;
}

static int64_t gob_int(gob *g) {
    uint64_t u = gob_uint(g);
    return (u & 1) ? ~(int64_t)(u >> 1) : (int64_t)(u >> 1);
}

static size_t gob_bytes(gob *g, const uint8_t **p) {
    *p = g->p;
    uint64_t n = gob_uint(g);
    if (g->bad || n > g->n - g->pos) return g->bad = 1, 0;
    *p = g->p + g->pos;
    g->pos += n;
    return (size_t)n;
}

typedef struct {
    uint8_t broot[32], aroot[32], id[32];
    size_t idlen, nassets;
    zk_asset assets[8];
    uint64_t index;
    uint8_t proof[ZK_TREE_DEPTH][32];
    size_t nproof;
} gob_op;

typedef struct {
    uint8_t commitment[32], broot[32], aroot[32], bcex[32], acex[32];
    size_t ncex, nops;
    zk_cex_entry cex[350];
    char sym[350][16];
    uint64_t cindex[350];
    gob_op ops[8];
} gob_witness;

static void gob_hash(gob *g, uint8_t out[32]) {
    const uint8_t *p;
    size_t n = gob_bytes(g, &p);
    if (n != 32) g->bad = 1;
    else memcpy(out, p, 32);
}

static void gob_cex(gob *g, gob_witness *w, size_t j) {
    int f = -1;
    for (uint64_t d; !g->bad && (d = gob_uint(g)) != 0;) {
        f += (int)d;
        const uint8_t *p;
        size_t n;
        switch (f) {
        case 0: w->cex[j].equity = gob_uint(g); break;
        case 1: w->cex[j].debt = gob_uint(g); break;
        case 2: w->cex[j].price = gob_uint(g); break;
        case 3:
            n = gob_bytes(g, &p);
            if (n >= sizeof w->sym[j]) g->bad = 1;
            else memcpy(w->sym[j], p, n);
            break;
        case 4: w->cindex[j] = gob_uint(g); break;
        default: g->bad = 1;
        }
    }
}

static void gob_op_decode(gob *g, gob_op *op) {
    int f = -1;
    for (uint64_t d; !g->bad && (d = gob_uint(g)) != 0;) {
        f += (int)d;
        const uint8_t *p;
        uint64_t n;
        switch (f) {
        case 0: gob_hash(g, op->broot); break;
        case 1: gob_hash(g, op->aroot); break;
        case 2:
            n = gob_uint(g);
            if (n > 8) {
                g->bad = 1;
                break;
            }
            op->nassets = (size_t)n;
            for (uint64_t k = 0; k < n && !g->bad; k++) {
                int h = -1;
                for (uint64_t e; !g->bad && (e = gob_uint(g)) != 0;) {
                    h += (int)e;
                    if (h == 0) op->assets[k].index = (uint16_t)gob_uint(g);
                    else if (h == 1) op->assets[k].equity = gob_uint(g);
                    else if (h == 2) op->assets[k].debt = gob_uint(g);
                    else g->bad = 1;
                }
            }
            break;
        case 3: op->index = gob_uint(g); break;
        case 4:
            op->idlen = gob_bytes(g, &p);
            if (op->idlen > 32) g->bad = 1;
            else memcpy(op->id + 32 - op->idlen, p, op->idlen);
            break;
        case 5:
            op->nproof = (size_t)gob_uint(g);
            if (op->nproof != ZK_TREE_DEPTH) g->bad = 1;
            for (size_t k = 0; k < op->nproof && !g->bad; k++) gob_hash(g, op->proof[k]);
            break;
        default: g->bad = 1;
        }
    }
}

static int gob_decode(gob_witness *w, const uint8_t *p, size_t n) {
    memset(w, 0, sizeof *w);
    gob g = {.p = p, .n = n};
    int got = 0;
    while (g.pos < g.n && !g.bad) {
        uint64_t len = gob_uint(&g);
        if (g.bad || len > g.n - g.pos) return 0;
        size_t end = g.pos + (size_t)len;
        int64_t id = gob_int(&g);
        if (id < 0) { /* a type definition */
            g.pos = end;
            continue;
        }
        if (id != 65) return 0;
        int f = -1;
        for (uint64_t d; !g.bad && (d = gob_uint(&g)) != 0;) {
            f += (int)d;
            switch (f) {
            case 0: gob_hash(&g, w->commitment); break;
            case 1: gob_hash(&g, w->broot); break;
            case 2: gob_hash(&g, w->aroot); break;
            case 3: gob_hash(&g, w->bcex); break;
            case 4: gob_hash(&g, w->acex); break;
            case 5:
                w->ncex = (size_t)gob_uint(&g);
                if (w->ncex > 350) return 0;
                for (size_t j = 0; j < w->ncex && !g.bad; j++) gob_cex(&g, w, j);
                break;
            case 6:
                w->nops = (size_t)gob_uint(&g);
                if (w->nops > 8) return 0;
                for (size_t i = 0; i < w->nops && !g.bad; i++) gob_op_decode(&g, &w->ops[i]);
                break;
            default: return 0;
            }
        }
        if (g.pos != end) return 0;
        got++;
    }
    return !g.bad && got == 1;
}

static int bytes_is_fr(const uint8_t b[32], const fr_t *x) {
    uint8_t t[32];
    fr_to_bytes_be(t, x);
    return !memcmp(t, b, 32);
}

static void test_gob_batch8(zk_sheet *s) {
    const char *b64 = vstr(json_get(EX, "gob_witness_batch_size_8_base64"));
    size_t cap = strlen(b64), n = 0;
    uint8_t *raw = malloc(cap);
    CHECK(zk_base64_decode(raw, cap, &n, b64, strlen(b64)) == ZK_OK);
    gob_witness *g = malloc(sizeof *g);
    int ok = gob_decode(g, raw, n);
    CHECK(ok);
    zk_batcher *b = NULL;
    zk_batch_witness *w = NULL;
    CHECK(zk_batcher_new(&b, s, 8, 350, NULL) == ZK_OK);
    if (b) CHECK(zk_batcher_next(b, &w) == ZK_OK);
    if (!ok || !w) goto done;
    CHECK(fr_is_hex(&w->commitment, vstr(json_get(EX, "gob_witness_batch_size_8_BatchCommitment"))));
    CHECK(bytes_is_fr(g->commitment, &w->commitment));
    CHECK(bytes_is_fr(g->broot, &w->before_root));
    CHECK(bytes_is_fr(g->aroot, &w->after_root));
    CHECK(bytes_is_fr(g->bcex, &w->before_cex));
    CHECK(bytes_is_fr(g->acex, &w->after_cex));
    CHECK(g->ncex == 350);
    for (size_t j = 0; j < g->ncex; j++) {
        CHECK_MSG(g->cex[j].equity == w->cex[j].equity && g->cex[j].debt == w->cex[j].debt &&
                      g->cex[j].price == w->cex[j].price,
                  "cex %zu", j);
        if (j < s->n_assets) CHECK(!strcmp(g->sym[j], s->symbols[j]) && g->cindex[j] == j);
    }
    CHECK(g->nops == 8);
    for (size_t i = 0; i < g->nops; i++) {
        const gob_op *o = &g->ops[i];
        const zk_batch_op *op = &w->ops[i];
        CHECK_MSG(o->index == op->account_index, "op %zu index", i);
        CHECK(bytes_is_fr(o->broot, &op->before_root) && bytes_is_fr(o->aroot, &op->after_root));
        CHECK(bytes_is_fr(o->id, &op->id));
        CHECK(i < 5 ? o->idlen == 32 : o->idlen == 0); /* padding accounts have an empty id */
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) CHECK_MSG(bytes_is_fr(o->proof[k], &op->siblings[k]), "op %zu sib %u", i, k);
        CHECK(o->nassets == op->n_assets);
        for (size_t k = 0; k < o->nassets && k < op->n_assets; k++) {
            const zk_asset *a = &w->asset_list[op->first_asset + k];
            CHECK(o->assets[k].index == a->index && o->assets[k].equity == a->equity && o->assets[k].debt == a->debt);
        }
    }
    /* gob spends ~1 KB per op; ours */
    uint8_t *blob;
    size_t len;
    CHECK(zk_batch_witness_encode(&blob, &len, w) == ZK_OK);
    printf("batch of 8: gob %zu bytes, ours %zu bytes\n", n, len);
    CHECK(len < n / 2);
    free(blob);
done:
    zk_batch_witness_free(w);
    zk_batcher_free(b);
    free(g);
    free(raw);
}

/* ---------------- random sheet vs the naive reference ---------------- */

static void test_reference(void) {
    const unsigned N = 5, rows = 13, B = 4, A = 7;
    char *csv = ref_random_csv(rows, N, test_rand64);
    const char *names[1] = {"r.csv"}, *texts[1] = {csv};
    size_t lens[1] = {strlen(csv)};
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, NULL) == ZK_OK);
    if (!s) {
        free(csv);
        return;
    }
    CHECK(s->n_accounts == rows);
    zk_batcher *b = NULL, *b2 = NULL;
    zk_pool *pool = zk_pool_new(2);
    CHECK(zk_batcher_new(&b, s, B, A, pool) == ZK_OK);
    CHECK(zk_batcher_new(&b2, s, B, A, NULL) == ZK_OK);
    CHECK(zk_batcher_batches(b) == (rows + B - 1) / B);
    ref_tree t;
    ref_tree_init(&t, A);
    zk_cex_entry cex[ZK_V1_ASSET_COUNT];
    memset(cex, 0, sizeof cex);
    for (unsigned j = 0; j < A; j++) cex[j].price = s->prices[j];
    fr_t te[ZK_V1_ASSET_COUNT], td[ZK_V1_ASSET_COUNT];
    memset(te, 0, sizeof te);
    memset(td, 0, sizeof td);
    ref_op ops[4];
    zk_batch_header h[8];
    size_t nb = zk_batcher_batches(b);
    for (uint64_t k = 0; k < nb; k++) {
        zk_batch_witness *w = NULL;
        CHECK(zk_batcher_next(b, &w) == ZK_OK);
        ref_ops_of_sheet(ops, s, k * B, B);
        zk_batch_witness *r = ref_batch(&t, k, ops, B, A, cex, te, td);
        CHECK(w && witness_eq(w, r, "batcher vs reference"));
        /* next before-entries = u64 of the field totals */
        for (unsigned j = 0; j < A; j++) {
            uint64_t v[4];
            fr_to_u256(v, &te[j]);
            cex[j].equity = v[0];
            fr_to_u256(v, &td[j]);
            cex[j].debt = v[0];
        }
        if (w) {
            h[k] = (zk_batch_header){w->before_root, w->after_root, w->before_cex, w->after_cex, w->commitment};
            uint8_t *blob = NULL;
            size_t len;
            CHECK(zk_batch_witness_encode(&blob, &len, w) == ZK_OK);
            zk_batch_witness *d = NULL;
            CHECK(zk_batch_witness_decode(&d, blob, len) == ZK_OK);
            CHECK(d && witness_eq(w, d, "round trip"));
            zk_batch_witness_free(d);
            free(blob);
        }
        /* seeking from anywhere gives the same batch */
        CHECK(zk_batcher_seek(b2, k) == ZK_OK && zk_batcher_position(b2) == k);
        zk_batch_witness *w2 = NULL;
        CHECK(zk_batcher_next(b2, &w2) == ZK_OK);
        CHECK(w && w2 && witness_eq(w, w2, "seek"));
        zk_batch_witness_free(w2);
        if (k == 1) CHECK(zk_batcher_seek(b2, 0) == ZK_OK); /* backwards: restart */
        zk_batch_witness_free(w);
        zk_batch_witness_free(r);
    }
    CHECK(zk_batcher_seek(b2, nb + 1) == ZK_ERR_ARG);
    CHECK(zk_batcher_seek(b2, nb) == ZK_OK);
    fr_t r1, r2;
    zk_batcher_root(&r1, b);
    zk_batcher_root(&r2, b2);
    CHECK(fr_eq(&r1, &r2));
    /* the final totals are the sheet's sums */
    const zk_cex_entry *fin = zk_batcher_cex(b);
    for (unsigned j = 0; j < A; j++) {
        uint64_t se = 0, sd = 0;
        for (size_t i = 0; i < s->n_asset_entries; i++)
            if (s->assets[i].index == j) se += s->assets[i].equity, sd += s->assets[i].debt;
        CHECK(fin[j].equity == se && fin[j].debt == sd && fin[j].price == s->prices[j]);
    }
    /* chain checks: pass, then each kind of break */
    size_t bad;
    const char *why;
    CHECK(zk_batch_chain_verify(&bad, &why, h, nb, fin, A) == ZK_OK);
    zk_batch_header hb[8];
    memcpy(hb, h, sizeof h);
    fr_t one;
    fr_one(&one);
    fr_add(&hb[1].commitment, &hb[1].commitment, &one);
    CHECK(zk_batch_chain_verify(&bad, &why, hb, nb, fin, A) == ZK_ERR_VERIFY && bad == 1 && strstr(why, "commitment"));
    memcpy(hb, h, sizeof h);
    hb[0] = hb[1]; /* a batch out of order: before root is not the empty root */
    CHECK(zk_batch_chain_verify(&bad, &why, hb, nb, fin, A) == ZK_ERR_VERIFY && bad == 0 && strstr(why, "empty root"));
    CHECK(zk_batch_chain_verify(&bad, &why, h + 1, nb - 1, fin, A) == ZK_ERR_VERIFY && bad == 0); /* a missing first batch */
    CHECK(zk_batch_chain_verify(&bad, &why, h, nb - 1, fin, A) == ZK_ERR_VERIFY && bad == nb - 1 &&
          strstr(why, "published")); /* a missing last batch */
    zk_cex_entry alt[ZK_V1_ASSET_COUNT];
    memcpy(alt, fin, sizeof alt);
    alt[0].equity += 1; /* published totals that the batches do not add up to */
    CHECK(zk_batch_chain_verify(&bad, &why, h, nb, alt, A) == ZK_ERR_VERIFY && bad == nb);
    memcpy(alt, fin, sizeof alt);
    alt[2].price += 1; /* other prices than the batches used */
    CHECK(zk_batch_chain_verify(&bad, &why, h, nb, alt, A) == ZK_ERR_VERIFY && bad == 0);
    memcpy(alt, fin, sizeof alt);
    alt[1].debt = alt[1].equity + 1;
    CHECK(zk_batch_chain_verify(&bad, &why, h, nb, alt, A) == ZK_ERR_VERIFY && strstr(why, "TotalDebt"));
    /* swapping two batches' CEX chain (roots kept, commitment recomputed) */
    memcpy(hb, h, sizeof h);
    hb[1].after_root = h[2].after_root;
    CHECK(zk_batch_commitment(&hb[1].commitment, &hb[1].before_root, &hb[1].after_root, &hb[1].before_cex,
                              &hb[1].after_cex) == ZK_OK);
    CHECK(zk_batch_chain_verify(&bad, &why, hb, nb, fin, A) == ZK_ERR_VERIFY && bad == 2 && strstr(why, "before root"));
    /* a sheet with more assets than A, and a CEX total overflow */
    zk_batcher *bx = NULL;
    CHECK(zk_batcher_new(&bx, s, B, N - 1, NULL) == ZK_ERR_ARG && !bx);
    ref_tree_free(&t);
    zk_batcher_free(b);
    zk_batcher_free(b2);
    zk_pool_free(pool);
    zk_sheet_free(s);
    free(csv);
}

static void test_overflow(void) {
    /* two accounts of 1.8e11 coins each: 2 * 1.8e19 units >= 2^64 */
    const char *csv = "rn,id,e_x,d_x,x,x_usdt_price,total\n"
                      "1,0000000000000000000000000000000000000000000000000000000000000001,180000000000,0,0,1,0\n"
                      "2,0000000000000000000000000000000000000000000000000000000000000002,180000000000,0,0,1,0\n";
    const char *names[1] = {"o.csv"}, *texts[1] = {csv};
    size_t lens[1] = {strlen(csv)};
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, NULL) == ZK_OK);
    if (!s) return;
    zk_batcher *b = NULL;
    zk_batch_witness *w = NULL;
    CHECK(zk_batcher_new(&b, s, 2, 4, NULL) == ZK_OK);
    CHECK(zk_batcher_next(b, &w) == ZK_ERR_ARG && !w);
    CHECK(zk_batcher_next(b, &w) == ZK_ERR_ARG); /* unusable afterwards */
    CHECK(zk_batcher_seek(b, 1) == ZK_ERR_ARG);
    zk_batcher_free(b);
    zk_sheet_free(s);
}

/* ---------------- codec strictness ---------------- */

static void fix_sum(uint8_t *p, size_t len) {
    zk_sum64 s;
    sum64_init(&s, 0x5a4b4257u);
    sum64_bytes(&s, p, len - 8);
    uint64_t v = sum64_final(&s);
    for (unsigned k = 0; k < 8; k++) p[len - 8 + k] = (uint8_t)(v >> (8 * k));
}

static void test_codec(zk_sheet *s) {
    zk_batcher *b = NULL;
    zk_batch_witness *w = NULL;
    CHECK(zk_batcher_new(&b, s, 4, 5, NULL) == ZK_OK);
    if (b) CHECK(zk_batcher_next(b, &w) == ZK_OK);
    zk_batcher_free(b);
    if (!w) return;
    uint8_t *blob = NULL, *t;
    size_t len = 0;
    zk_batch_witness *d = NULL;
    CHECK(zk_batch_witness_encode(&blob, &len, w) == ZK_OK);
    t = malloc(len + 1);
    /* any flipped byte is caught (checksum, or the strict parse) */
    size_t caught = 0;
    for (size_t i = 0; i < len; i++) {
        memcpy(t, blob, len);
        t[i] ^= (uint8_t)(1u << (i % 8));
        if (zk_batch_witness_decode(&d, t, len) == ZK_ERR_FORMAT && !d) caught++;
        zk_batch_witness_free(d);
        d = NULL;
    }
    CHECK(caught == len);
    /* with the checksum fixed: trailing byte, truncation, version, a hash >= r */
    memcpy(t, blob, len);
    t[len] = 0;
    memmove(t + len - 7, t + len - 8, 8);
    t[len - 8] = 0;
    fix_sum(t, len + 1);
    CHECK(zk_batch_witness_decode(&d, t, len + 1) == ZK_ERR_FORMAT);
    memcpy(t, blob, len);
    fix_sum(t, len - 1);
    CHECK(zk_batch_witness_decode(&d, t, len - 1) == ZK_ERR_FORMAT);
    memcpy(t, blob, len);
    t[4] = 2;
    fix_sum(t, len);
    CHECK(zk_batch_witness_decode(&d, t, len) == ZK_ERR_FORMAT);
    memcpy(t, blob, len);
    CHECK(t[8] == 0 && t[9] == 4 && t[10] == 5); /* number, B, A: one byte each; then the total */
    memset(t + 12, 0xff, 32);                    /* before root >= r */
    fix_sum(t, len);
    CHECK(zk_batch_witness_decode(&d, t, len) == ZK_ERR_FORMAT);
    memcpy(t, blob, len);
    fix_sum(t, len);
    CHECK(zk_batch_witness_decode(&d, t, len) == ZK_OK); /* fix_sum itself is right */
    zk_batch_witness_free(d);
    d = NULL;
    /* tampered witnesses survive a round trip (unchained roots, odd indices) */
    fr_t one;
    fr_one(&one);
    fr_add(&w->ops[2].before_root, &w->ops[2].before_root, &one);
    w->ops[3].account_index = 1;
    w->ops[1].siblings[5] = w->ops[0].siblings[4];
    uint8_t *blob2;
    size_t len2;
    CHECK(zk_batch_witness_encode(&blob2, &len2, w) == ZK_OK);
    CHECK(zk_batch_witness_decode(&d, blob2, len2) == ZK_OK && d && witness_eq(w, d, "tampered round trip"));
    zk_batch_witness_free(d);
    free(blob2);
    /* unsorted assets cannot be encoded */
    if (w->n_asset_entries >= 2 && w->ops[0].n_assets >= 2) {
        zk_asset x = w->asset_list[0];
        w->asset_list[0] = w->asset_list[1];
        w->asset_list[1] = x;
        CHECK(zk_batch_witness_encode(&blob2, &len2, w) == ZK_ERR_ARG);
    }
    free(t);
    free(blob);
    zk_batch_witness_free(w);
}

int main(void) {
    test_init();
    json_value *root = test_load_vector_json("binance/vectors.json");
    if (!root) TEST_DONE();
    V = root;
    EX = json_get(V, "v1_worked_example");
    zk_sheet *s = load_example();
    test_constants();
    if (s) {
        test_example_864(s);
        test_gob_batch8(s);
        test_codec(s);
    }
    test_reference();
    test_overflow();
    zk_sheet_free(s);
    json_free(root);
    TEST_DONE();
}
