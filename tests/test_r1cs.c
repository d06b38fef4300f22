/* r1cs: the builder's four walks and every gadget.
 *
 * For each gadget circuit:
 *  - CHECK mode accepts the honest witness and the computed values equal
 *    native computations (Poseidon against poseidon_permute/poseidon_hash and
 *    the circomlib and Binance vectors, Merkle roots against a native path
 *    and the Binance worked example / empty tree, comparisons against integer
 *    comparison of the canonical values);
 *  - COUNT, SETUP, PROVE and CHECK agree on sizes and label counts, and every
 *    row recorded by SETUP, evaluated on the PROVE witness, gives the
 *    recorded per-constraint values, with a*b = c;
 *  - targeted cheats fail (non-boolean bit, a decomposition that does not
 *    sum, the bits of v + r, wrong comparison results, wrong Poseidon
 *    intermediates, wrong Merkle sibling / swap), and an exhaustive or
 *    sampled sweep replaces each gadget variable in turn: the witness must
 *    then fail or leave the gadget's outputs unchanged;
 *  - constraint counts are the documented ones. */
#include <string.h>

#include "hash/hash.h"
#include "json/json.h"
#include "r1cs/r1cs.h"
#include "test.h"
#include "test_vectors_json.h"

/* ---------------- helpers ---------------- */

static fr_t fr_u64(uint64_t v) {
    fr_t r;
    fr_set_u64(&r, v);
    return r;
}

static fr_t rand_fr(void) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 2};
    fr_t r;
    fr_from_u256_reduce(&r, v);
    return r;
}

/* random integer below 2^n (n <= 256) as limbs */
static void rand_bits(uint64_t v[4], unsigned n) {
    for (int i = 0; i < 4; i++) {
        unsigned lo = 64 * (unsigned)i;
        v[i] = test_rand64();
        if (n <= lo) v[i] = 0;
        else if (n - lo < 64) v[i] &= (1ULL << (n - lo)) - 1;
    }
}

static int u256_cmp(const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void u256_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    unsigned __int128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (unsigned __int128)a[i] + b[i];
        r[i] = (uint64_t)c;
        c >>= 64;
    }
}

static void u256_add_small(uint64_t r[4], const uint64_t a[4], int64_t d) {
    uint64_t b[4] = {(uint64_t)d, d < 0 ? ~0ULL : 0, d < 0 ? ~0ULL : 0, d < 0 ? ~0ULL : 0};
    u256_add(r, a, b);
}

static int bit_of(const uint64_t v[4], unsigned i) { return (int)((v[i >> 6] >> (i & 63)) & 1); }

static fr_t from_u256(const uint64_t v[4]) {
    fr_t r;
    fr_from_u256_reduce(&r, v);
    return r;
}


/* ---------------- circuits and walks ---------------- */

#define MAX_OUT 512
typedef struct circuit {
    void (*build)(zk_cs *cs, struct circuit *c);
    void *data;
    zk_var first;    /* first variable made by the gadget under test (set by build) */
    size_t nout;     /* outputs recorded by build in value modes */
    fr_t out[MAX_OUT];
} circuit;

static void out_lc(zk_cs *cs, circuit *c, const zk_lc *lc) {
    if (zk_cs_has_values(cs) && c->nout < MAX_OUT) c->out[c->nout++] = lc->val;
}

static void out_var(zk_cs *cs, circuit *c, zk_var v) {
    if (zk_cs_has_values(cs) && c->nout < MAX_OUT) zk_cs_get(cs, &c->out[c->nout++], v);
}

static zk_var in_var(zk_cs *cs, const fr_t *v) { return zk_cs_private(cs, v); }

typedef struct {
    zk_var var;
    fr_t value;
} override;
typedef struct {
    const override *o;
    size_t n;
    size_t hits;
} override_set;

static void hook(void *ctx, const zk_cs *cs, zk_var v, fr_t *value) {
    (void)cs;
    override_set *s = ctx;
    for (size_t i = 0; i < s->n; i++)
        if (s->o[i].var == v) {
            *value = s->o[i].value;
            s->hits++;
        }
}

static zk_cs *run(circuit *c, zk_cs_mode mode, override_set *ov) {
    zk_cs *cs = zk_cs_new(mode);
    CHECK(cs != NULL);
    if (!cs) exit(1);
    if (ov) zk_cs_set_hint_hook(cs, hook, ov);
    c->nout = 0;
    c->first = 0;
    c->build(cs, c);
    CHECK_MSG(zk_cs_status(cs) == ZK_OK, "status %s", zk_strerror(zk_cs_status(cs)));
    return cs;
}

/* CHECK-mode failures of the circuit with the given overrides. */
static uint64_t failures(circuit *c, const override *o, size_t n, uint64_t *first, const char **path) {
    static char pathbuf[1024];
    override_set s = {o, n, 0};
    zk_cs *cs = run(c, ZK_CS_CHECK, &s);
    CHECK_MSG(s.hits == n, "override applied %zu of %zu times", s.hits, n);
    uint64_t nf = zk_cs_nfailures(cs), idx = 0;
    const char *p = "";
    if (zk_cs_first_failure(cs, &idx, &p)) {
        snprintf(pathbuf, sizeof pathbuf, "%s", p);
        if (first) *first = idx;
        if (path) *path = pathbuf;
    }
    zk_cs_free(cs);
    return nf;
}

/* Row sink that compares the streamed rows with a stored SETUP walk. */
typedef struct {
    const uint64_t *rs[3];
    const zk_cs_term *terms[3];
    const fr_t *coeffs;
    uint64_t calls, bad;
} sink_ctx;

static void sink(void *ctx, uint64_t index, const zk_cs_term *const rows[3], const uint32_t lens[3],
                 const fr_t *coeffs) {
    sink_ctx *s = ctx;
    if (index != s->calls++) s->bad++;
    for (int m = 0; m < 3; m++) {
        uint64_t start = s->rs[m][index], len = s->rs[m][index + 1] - start;
        if (len != lens[m]) {
            s->bad++;
            continue;
        }
        for (uint64_t k = 0; k < len; k++)
            if (rows[m][k].var != s->terms[m][start + k].var ||
                !fr_eq(&coeffs[rows[m][k].coeff], &s->coeffs[s->terms[m][start + k].coeff]))
                s->bad++;
    }
}

static fr_t row_eval(const uint64_t *rs, const zk_cs_term *t, const fr_t *coeffs, const fr_t *w, uint64_t i) {
    fr_t acc, p;
    fr_zero(&acc);
    for (uint64_t k = rs[i]; k < rs[i + 1]; k++) {
        fr_mul(&p, &coeffs[t[k].coeff], &w[t[k].var]);
        fr_add(&acc, &acc, &p);
    }
    return acc;
}

/* All four walks agree; SETUP rows evaluated on the PROVE witness give the
 * recorded values and a*b = c; the honest witness passes. Returns the
 * constraint count. */
static uint64_t consistency(circuit *c, const char *what) {
    zk_cs *cc = run(c, ZK_CS_COUNT, NULL);
    zk_cs *cs = run(c, ZK_CS_SETUP, NULL);
    zk_cs *cp = run(c, ZK_CS_PROVE, NULL);
    zk_cs *ck = run(c, ZK_CS_CHECK, NULL);
    uint64_t n = zk_cs_nconstraints(cp);
    CHECK_MSG(zk_cs_nfailures(cp) == 0 && zk_cs_nfailures(ck) == 0, "%s: honest witness fails", what);
    zk_cs *all[4] = {cc, cs, cp, ck};
    for (int m = 0; m < 4; m++) {
        CHECK_MSG(zk_cs_nconstraints(all[m]) == n, "%s: constraint count of mode %d", what, m);
        CHECK_MSG(zk_cs_nvars(all[m]) == zk_cs_nvars(cp), "%s: variable count of mode %d", what, m);
        CHECK(zk_cs_npublic(all[m]) == zk_cs_npublic(cp));
        CHECK(zk_cs_nlabels(all[m]) == zk_cs_nlabels(cp));
        for (size_t l = 0; l < zk_cs_nlabels(cp); l++) {
            zk_cs_label_stats a, b;
            zk_cs_label_get(all[m], &a, l);
            zk_cs_label_get(cp, &b, l);
            CHECK(!strcmp(a.name, b.name) && a.constraints == b.constraints && a.privates == b.privates &&
                  a.calls == b.calls);
        }
    }
    const fr_t *w = zk_cs_witness(cp), *va, *vb, *vc, *coeffs;
    zk_cs_abc(cp, &va, &vb, &vc);
    size_t ncoeffs;
    coeffs = zk_cs_coeffs(cs, &ncoeffs);
    const uint64_t *rs[3];
    const zk_cs_term *terms[3];
    for (int m = 0; m < 3; m++) zk_cs_matrix(cs, m, &rs[m], &terms[m]);
    uint64_t bad = 0, unsorted = 0, nterms = 0;
    for (uint64_t i = 0; i < n; i++) {
        fr_t e[3], ab;
        for (int m = 0; m < 3; m++) {
            e[m] = row_eval(rs[m], terms[m], coeffs, w, i);
            for (uint64_t k = rs[m][i]; k < rs[m][i + 1]; k++) {
                if (k > rs[m][i] && terms[m][k - 1].var >= terms[m][k].var) unsorted++;
                if (terms[m][k].coeff >= ncoeffs || fr_is_zero(&coeffs[terms[m][k].coeff])) unsorted++;
            }
            nterms += rs[m][i + 1] - rs[m][i];
        }
        fr_mul(&ab, &va[i], &vb[i]);
        if (!fr_eq(&e[0], &va[i]) || !fr_eq(&e[1], &vb[i]) || !fr_eq(&e[2], &vc[i]) || !fr_eq(&ab, &vc[i])) bad++;
    }
    CHECK_MSG(bad == 0, "%s: %llu rows disagree between SETUP and PROVE", what, (unsigned long long)bad);
    CHECK_MSG(unsorted == 0, "%s: %llu badly formed terms", what, (unsigned long long)unsorted);
    CHECK(fr_is_one(&w[0]));
    { /* the streaming walk hands over the same rows */
        sink_ctx sc = {{rs[0], rs[1], rs[2]}, {terms[0], terms[1], terms[2]}, coeffs, 0, 0};
        zk_cs *cz = zk_cs_new(ZK_CS_SETUP);
        zk_cs_set_row_sink(cz, sink, &sc);
        c->nout = 0;
        c->build(cz, c);
        CHECK(zk_cs_status(cz) == ZK_OK && sc.calls == n && sc.bad == 0);
        const uint64_t *r0;
        zk_cs_matrix(cz, 0, &r0, NULL);
        CHECK(r0 == NULL);
        zk_cs_free(cz);
    }
    /* coefficient table has no duplicates */
    for (size_t i = 1; i < ncoeffs && i < 4000; i++)
        for (size_t j = 0; j < i; j++)
            if (fr_eq(&coeffs[i], &coeffs[j])) {
                CHECK_MSG(0, "%s: coefficient %zu repeats %zu", what, i, j);
                i = ncoeffs;
                break;
            }
    printf("  %-34s %8llu constraints %8llu vars %9llu terms %6zu coeffs\n", what, (unsigned long long)n,
           (unsigned long long)zk_cs_nvars(cp), (unsigned long long)nterms, ncoeffs);
    for (int m = 0; m < 4; m++) zk_cs_free(all[m]);
    return n;
}

/* Replaces gadget variables (all of them, or `samples` random ones) one at a
 * time by another value: each time the witness must fail or the outputs
 * stay the same (if the honest witness fails already, e.g. a false
 * assertion, each variant must fail too). Returns how many replacements
 * changed an output. */
static size_t sweep(circuit *c, size_t samples, const char *what) {
    zk_cs *cs = run(c, ZK_CS_CHECK, NULL);
    int honest_fails = zk_cs_nfailures(cs) != 0; /* then every variant must fail too */
    uint64_t nv = zk_cs_nvars(cs);
    zk_var first = c->first;
    size_t nout = c->nout;
    fr_t honest[MAX_OUT];
    memcpy(honest, c->out, nout * sizeof *honest);
    fr_t *w = malloc(nv * sizeof *w);
    memcpy(w, zk_cs_witness(cs), nv * sizeof *w);
    zk_cs_free(cs);
    CHECK(first > 0 && first <= nv);
    if (first >= nv) { /* the gadget made no variables (e.g. a trivial comparison) */
        free(w);
        return 0;
    }
    size_t total = nv - first, n = samples && samples < total ? samples : total, changed = 0, escaped = 0;
    for (size_t k = 0; k < n; k++) {
        zk_var v = (zk_var)(first + (n == total ? k : test_rand64() % total));
        override o = {v, w[v]};
        fr_t one;
        fr_one(&one);
        switch (k % 3) {
        case 0: fr_add(&o.value, &o.value, &one); break;
        case 1: fr_sub(&o.value, &o.value, &one); break;
        default: o.value = rand_fr(); break;
        }
        uint64_t nf = failures(c, &o, 1, NULL, NULL);
        int same = c->nout == nout && !memcmp(c->out, honest, nout * sizeof *honest);
        if (!same) changed++;
        if ((!same || honest_fails) && nf == 0) escaped++;
    }
    CHECK_MSG(escaped == 0, "%s: %zu of %zu replaced variables changed the outputs undetected", what, escaped, n);
    free(w);
    return changed;
}

/* ---------------- booleans and range checks ---------------- */

typedef struct {
    fr_t x;
    unsigned n;
    zk_var bits[256];
} bits_data;

static void build_bool(zk_cs *cs, circuit *c) {
    bits_data *d = c->data;
    zk_var v = in_var(cs, &d->x);
    zk_lc b;
    zk_lc_init(&b);
    zk_lc_set_var(cs, &b, v);
    zk_g_assert_bool(cs, &b);
    zk_lc_free(&b);
    c->first = v;
}

static void test_bool(void) {
    bits_data d;
    circuit c = {build_bool, &d, 0, 0, {{{0}}}};
    int64_t vals[] = {0, 1, 2, -1, 3};
    for (size_t i = 0; i < 5; i++) {
        d.x = fr_u64((uint64_t)(vals[i] < 0 ? -vals[i] : vals[i]));
        if (vals[i] < 0) fr_neg(&d.x, &d.x);
        uint64_t nf = failures(&c, NULL, 0, NULL, NULL);
        CHECK_MSG((nf == 0) == (vals[i] == 0 || vals[i] == 1), "boolean %lld", (long long)vals[i]);
    }
    d.x = fr_u64(1);
    CHECK(consistency(&c, "boolean") == 1);
    /* override the bit itself: 1 -> 2 fails at constraint 0 */
    override o = {1, fr_u64(2)};
    uint64_t first = 99;
    CHECK(failures(&c, &o, 1, &first, NULL) == 1 && first == 0);
}

static void build_range(zk_cs *cs, circuit *c) {
    bits_data *d = c->data;
    zk_var x = in_var(cs, &d->x);
    zk_lc lx;
    zk_lc_init(&lx);
    zk_lc_set_var(cs, &lx, x);
    c->first = x + 1;
    zk_g_to_bits(cs, d->bits, &lx, d->n);
    for (unsigned i = 0; i < d->n; i++) out_var(cs, c, d->bits[i]);
    zk_lc_free(&lx);
}

static void test_range(void) {
    bits_data d;
    circuit c = {build_range, &d, 0, 0, {{{0}}}};
    /* 64-bit: random and edge values; the bits are the value's bits */
    uint64_t xs[] = {0, 1, ~0ULL, 0x8000000000000000ULL, test_rand64(), test_rand64()};
    d.n = 64;
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        d.x = fr_u64(xs[i]);
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        CHECK(c.nout == 64);
        for (unsigned k = 0; k < 64 && c.nout == 64; k++) {
            fr_t want = fr_u64((xs[i] >> k) & 1);
            CHECK(fr_eq(&c.out[k], &want));
        }
    }
    d.x = fr_u64(test_rand64());
    CHECK(consistency(&c, "range check 64 bits") == 65);
    {
        zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
        zk_cs_label_stats st;
        zk_cs_label_get(cs, &st, 0);
        CHECK(zk_cs_nlabels(cs) == 1 && !strcmp(st.name, "range") && st.constraints == 65 && st.privates == 64 &&
              st.calls == 1);
        zk_cs_free(cs);
    }
    /* too large: 2^64 + 5 and r - 1 fail (the sum) */
    uint64_t big[4] = {5, 1, 0, 0};
    d.x = from_u256(big);
    uint64_t first = 0;
    const char *path = NULL;
    CHECK(failures(&c, NULL, 0, &first, &path) == 1 && first == 64 && path && !strcmp(path, "range"));
    fr_set_u64(&d.x, 1);
    fr_neg(&d.x, &d.x);
    CHECK(failures(&c, NULL, 0, NULL, NULL) >= 1);
    /* cheats on x = 2^6: bit 5 = 2, bit 6 = 0 sums correctly but is not boolean */
    d.x = fr_u64(64);
    (void)failures(&c, NULL, 0, NULL, NULL); /* sets d.bits */
    override o2[2] = {{d.bits[5], fr_u64(2)}, {d.bits[6], fr_u64(0)}};
    CHECK(failures(&c, o2, 2, &first, &path) == 1 && first == 5 && !strcmp(path, "range"));
    /* a flipped bit: booleans hold, the sum does not */
    override o1 = {d.bits[3], fr_u64(1)};
    CHECK(failures(&c, &o1, 1, &first, NULL) == 1 && first == 64);
    /* every bit pinned */
    d.x = fr_u64(test_rand64());
    CHECK(sweep(&c, 0, "range 64") > 0);
    /* widths 1 and 253 at their limits */
    d.n = 1;
    d.x = fr_u64(1);
    CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
    d.x = fr_u64(2);
    CHECK(failures(&c, NULL, 0, NULL, NULL) == 1);
    d.n = 253;
    uint64_t m253[4] = {~0ULL, ~0ULL, ~0ULL, (1ULL << 61) - 1}, p253[4] = {0, 0, 0, 1ULL << 61};
    d.x = from_u256(m253);
    CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
    d.x = from_u256(p253);
    CHECK(failures(&c, NULL, 0, NULL, NULL) == 1);
}

/* ---------------- canonical decomposition, comparison with a constant ---------------- */

static void build_canonical(zk_cs *cs, circuit *c) {
    bits_data *d = c->data;
    zk_var x = in_var(cs, &d->x);
    zk_lc lx;
    zk_lc_init(&lx);
    zk_lc_set_var(cs, &lx, x);
    c->first = x + 1;
    zk_g_to_bits_canonical(cs, d->bits, &lx);
    for (unsigned i = 0; i < 254; i++) out_var(cs, c, d->bits[i]);
    zk_lc_free(&lx);
}

static void test_canonical(void) {
    bits_data d;
    circuit c = {build_canonical, &d, 0, 0, {{{0}}}};
    uint64_t rm1[4];
    memcpy(rm1, FR_MODULUS, sizeof rm1);
    rm1[0]--;
    for (int i = 0; i < 6; i++) {
        uint64_t v[4];
        if (i == 0) memset(v, 0, sizeof v);
        else if (i == 1) memcpy(v, rm1, sizeof v);
        else fr_to_u256(v, (d.x = rand_fr(), &d.x));
        d.x = from_u256(v);
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        for (unsigned k = 0; k < 254 && c.nout == 254; k++) {
            fr_t want = fr_u64((uint64_t)bit_of(v, k));
            CHECK(fr_eq(&c.out[k], &want));
        }
    }
    d.x = rand_fr();
    CHECK(consistency(&c, "canonical 254-bit decomposition") == ZK_G_CANONICAL_CONSTRAINTS);
    CHECK(ZK_G_CANONICAL_CONSTRAINTS == 407);
    /* the bits of x + r (< 2^254): booleans and the sum hold, the <= r-1 check fails */
    for (int i = 0; i < 4; i++) {
        uint64_t v[4], vr[4];
        rand_bits(v, i == 0 ? 1 : 252);
        u256_add(vr, v, FR_MODULUS);
        CHECK(vr[3] >> 62 == 0);
        d.x = from_u256(v);
        (void)failures(&c, NULL, 0, NULL, NULL);
        override o[254];
        for (unsigned k = 0; k < 254; k++) {
            o[k].var = d.bits[k];
            o[k].value = fr_u64((uint64_t)bit_of(vr, k));
        }
        uint64_t first = 0;
        const char *path = NULL;
        CHECK(failures(&c, o, 254, &first, &path) >= 1);
        CHECK_MSG(path && !strcmp(path, "canonical/le_const") && first > 254, "path %s first %llu",
                  path ? path : "-", (unsigned long long)first);
    }
    d.x = rand_fr();
    CHECK(sweep(&c, 0, "canonical") > 0);
}

typedef struct {
    uint64_t k[4], v[4];
    unsigned n;
} lec_data;

static void build_le_const(zk_cs *cs, circuit *c) {
    lec_data *d = c->data;
    zk_var bits[256];
    for (unsigned i = 0; i < d->n; i++) {
        fr_t b = fr_u64((uint64_t)bit_of(d->v, i));
        bits[i] = zk_g_new_bit(cs, &b);
    }
    c->first = (zk_var)zk_cs_nvars(cs);
    zk_g_assert_bits_le_const(cs, bits, d->n, d->k);
}

/* k with long runs of equal bits, below 2^n */
static void rand_runs(uint64_t k[4], unsigned n) {
    memset(k, 0, 32);
    int bit = (int)(test_rand64() & 1);
    for (unsigned i = 0; i < n;) {
        unsigned len = 1 + (unsigned)(test_rand64() % 9);
        for (unsigned j = 0; j < len && i < n; j++, i++)
            if (bit) k[i >> 6] |= 1ULL << (i & 63);
        bit ^= 1;
    }
}

static void test_le_const(void) {
    lec_data d;
    circuit c = {build_le_const, &d, 0, 0, {{{0}}}};
    /* the count for r - 1 */
    memcpy(d.k, FR_MODULUS, sizeof d.k);
    d.k[0]--;
    d.n = 254;
    memcpy(d.v, d.k, sizeof d.v);
    {
        zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
        CHECK(zk_cs_nconstraints(cs) == 254 + ZK_G_LE_RM1_CONSTRAINTS);
        zk_cs_free(cs);
    }
    for (int it = 0; it < 60; it++) {
        d.n = 1 + (unsigned)(test_rand64() % 254);
        if (it % 3 == 0) rand_bits(d.k, d.n);
        else rand_runs(d.k, d.n);
        switch (it % 5) {
        case 0: memcpy(d.v, d.k, sizeof d.v); break;
        case 1: u256_add_small(d.v, d.k, 1); break;
        case 2: u256_add_small(d.v, d.k, -1); break;
        default: rand_bits(d.v, d.n); break;
        }
        /* keep v an n-bit number */
        int in_range = 1;
        for (unsigned i = d.n; i < 256; i++)
            if (bit_of(d.v, i)) in_range = 0;
        if (!in_range) continue;
        int want_ok = u256_cmp(d.v, d.k) <= 0;
        uint64_t nf = failures(&c, NULL, 0, NULL, NULL);
        CHECK_MSG((nf == 0) == want_ok, "le_const n=%u case %d: %llu failures", d.n, it % 5, (unsigned long long)nf);
        if (it < 12) (void)sweep(&c, 0, "le_const");
    }
    rand_runs(d.k, 200);
    memcpy(d.v, d.k, sizeof d.v);
    d.v[1] &= test_rand64(); /* v <= k */
    d.n = 200;
    (void)consistency(&c, "bits <= constant (200 bits)");
}

/* ---------------- comparisons ---------------- */

typedef struct {
    uint64_t a[4], b[4];
    unsigned n;
    int assert_only;
} cmp_data;

static void build_bits_le(zk_cs *cs, circuit *c) {
    cmp_data *d = c->data;
    zk_var ab[256], bb[256];
    for (unsigned i = 0; i < d->n; i++) {
        fr_t x = fr_u64((uint64_t)bit_of(d->a, i)), y = fr_u64((uint64_t)bit_of(d->b, i));
        ab[i] = zk_g_new_bit(cs, &x);
        bb[i] = zk_g_new_bit(cs, &y);
    }
    c->first = (zk_var)zk_cs_nvars(cs);
    if (d->assert_only) {
        zk_g_assert_bits_le(cs, ab, bb, d->n);
    } else {
        zk_lc out;
        zk_lc_init(&out);
        zk_g_bits_le(cs, &out, ab, bb, d->n);
        out_lc(cs, c, &out);
        zk_lc_free(&out);
    }
}

static void cmp_cases(uint64_t a[4], uint64_t b[4], unsigned n, int kase) {
    rand_bits(a, n);
    switch (kase) {
    case 0: memcpy(b, a, 32); break;                      /* equal */
    case 1: memcpy(b, a, 32); b[0] ^= 1; break;           /* differ in bit 0 */
    case 2: memcpy(b, a, 32); if (n > 1) b[(n - 1) >> 6] ^= 1ULL << ((n - 1) & 63); break; /* top bit */
    case 3: /* same high half, random low half */
        memcpy(b, a, 32);
        for (unsigned i = 0; i < n / 2; i++)
            if (test_rand64() & 1) b[i >> 6] ^= 1ULL << (i & 63);
        break;
    default: rand_bits(b, n); break;
    }
    if (test_rand64() & 1) { /* swap */
        uint64_t t[4];
        memcpy(t, a, 32);
        memcpy(a, b, 32);
        memcpy(b, t, 32);
    }
}

static void test_bits_le(void) {
    cmp_data d;
    circuit c = {build_bits_le, &d, 0, 0, {{{0}}}};
    unsigned ns[] = {1, 2, 8, 64, 127, 252, 253, 254};
    for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
        d.n = ns[ni];
        for (int kase = 0; kase < 8; kase++) {
            cmp_cases(d.a, d.b, d.n, kase);
            int le = u256_cmp(d.a, d.b) <= 0;
            d.assert_only = 0;
            CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
            fr_t want = fr_u64((uint64_t)le);
            CHECK_MSG(c.nout == 1 && fr_eq(&c.out[0], &want), "bits_le n=%u case %d", d.n, kase);
            d.assert_only = 1;
            CHECK_MSG((failures(&c, NULL, 0, NULL, NULL) == 0) == le, "assert_bits_le n=%u case %d", d.n, kase);
            if (kase < 5 && (d.n == 64 || d.n == 254)) {
                d.assert_only = 0;
                (void)sweep(&c, d.n == 254 ? 120 : 0, "bits_le");
                d.assert_only = 1;
                (void)sweep(&c, d.n == 254 ? 120 : 0, "assert_bits_le"); /* a false assertion stays false */
            }
        }
        /* counts */
        d.assert_only = 0;
        zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
        uint64_t base = 2 * d.n, got = zk_cs_nconstraints(cs) - base;
        zk_cs_free(cs);
        CHECK_MSG(got == (d.n <= 252 ? d.n + 2 : d.n + 7), "bits_le n=%u count %llu", d.n, (unsigned long long)got);
        d.assert_only = 1;
        cs = run(&c, ZK_CS_COUNT, NULL);
        got = zk_cs_nconstraints(cs) - base;
        zk_cs_free(cs);
        CHECK_MSG(got == (d.n <= 252 ? d.n + 1 : d.n + 6), "assert_bits_le n=%u count %llu", d.n,
                  (unsigned long long)got);
    }
    d.n = 254;
    d.assert_only = 0;
    cmp_cases(d.a, d.b, 254, 4);
    (void)consistency(&c, "bits_le 254 (with 2x254 inputs)");
}

typedef struct {
    fr_t a, b;
    int assert_only;
} le_data;

static void build_le(zk_cs *cs, circuit *c) {
    le_data *d = c->data;
    zk_lc a, b;
    zk_lc_init(&a);
    zk_lc_init(&b);
    zk_lc_set_var(cs, &a, in_var(cs, &d->a));
    zk_lc_set_var(cs, &b, in_var(cs, &d->b));
    c->first = (zk_var)zk_cs_nvars(cs);
    if (d->assert_only) {
        zk_g_assert_le(cs, &a, &b);
    } else {
        zk_lc out;
        zk_lc_init(&out);
        zk_g_le(cs, &out, &a, &b);
        out_lc(cs, c, &out);
        zk_lc_free(&out);
    }
    zk_lc_free(&a);
    zk_lc_free(&b);
}

static void test_le(void) {
    le_data d;
    circuit c = {build_le, &d, 0, 0, {{{0}}}};
    uint64_t rm1[4];
    memcpy(rm1, FR_MODULUS, sizeof rm1);
    rm1[0]--;
    for (int kase = 0; kase < 14; kase++) {
        uint64_t a[4], b[4];
        fr_to_u256(a, (d.a = rand_fr(), &d.a));
        switch (kase) {
        case 0: memcpy(b, a, 32); break;
        case 1: memset(a, 0, 32); memcpy(b, rm1, 32); break;
        case 2: memcpy(a, rm1, 32); memset(b, 0, 32); break;
        case 3: memcpy(a, rm1, 32); memcpy(b, rm1, 32); b[0]--; break;
        case 4: memcpy(b, a, 32); b[0] ^= 1; break;
        case 5: memcpy(b, a, 32); b[1] ^= 1ULL << 60; break; /* same high half (bits >= 127) */
        case 6: memcpy(b, a, 32); b[2] ^= 1; break;          /* differ in bit 128 only */
        case 7: memcpy(b, a, 32); b[3] ^= 1ULL << 60; if (u256_cmp(b, FR_MODULUS) >= 0) b[3] ^= 1ULL << 60; break;
        default: fr_to_u256(b, (d.b = rand_fr(), &d.b)); break;
        }
        d.a = from_u256(a);
        d.b = from_u256(b);
        int le = u256_cmp(a, b) <= 0;
        d.assert_only = 0;
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        fr_t want = fr_u64((uint64_t)le);
        CHECK_MSG(c.nout == 1 && fr_eq(&c.out[0], &want), "le case %d", kase);
        d.assert_only = 1;
        CHECK_MSG((failures(&c, NULL, 0, NULL, NULL) == 0) == le, "assert_le case %d", kase);
    }
    /* counts, consistency */
    d.a = rand_fr();
    d.b = rand_fr();
    d.assert_only = 0;
    CHECK(consistency(&c, "full-width a <= b (boolean)") == ZK_G_LE_CONSTRAINTS);
    d.assert_only = 1;
    fr_t t;
    uint64_t au[4], bu[4];
    fr_to_u256(au, &d.a);
    fr_to_u256(bu, &d.b);
    if (u256_cmp(au, bu) > 0) t = d.a, d.a = d.b, d.b = t;
    CHECK(consistency(&c, "full-width assert a <= b") == ZK_G_ASSERT_LE_CONSTRAINTS);
    CHECK(ZK_G_LE_CONSTRAINTS == 1075 && ZK_G_ASSERT_LE_CONSTRAINTS == 1074);
    /* wrong comparison results: replacing any variable that flips the
     * boolean must fail; a false assertion cannot be made to pass */
    d.assert_only = 0;
    size_t flips = sweep(&c, 300, "le");
    CHECK(flips > 0);
    d.assert_only = 1;
    t = d.a, d.a = d.b, d.b = t;
    if (!fr_eq(&d.a, &d.b)) (void)sweep(&c, 300, "assert_le (false)");
}

/* ---------------- Poseidon ---------------- */

typedef struct {
    fr_t in[300];
    unsigned t;
    size_t n;
    unsigned chunk;
    int constant; /* inputs as constants instead of variables */
} pos_data;

static void build_permute(zk_cs *cs, circuit *c) {
    pos_data *d = c->data;
    zk_lc st[17];
    for (unsigned i = 0; i < d->t; i++) {
        zk_lc_init(&st[i]);
        if (d->constant) zk_lc_set_const(cs, &st[i], &d->in[i]);
        else zk_lc_set_var(cs, &st[i], in_var(cs, &d->in[i]));
    }
    c->first = (zk_var)zk_cs_nvars(cs);
    zk_g_poseidon_permute(cs, st, d->t);
    for (unsigned i = 0; i < d->t; i++) {
        if (d->constant) { /* folded: outputs are constants in every mode */
            CHECK(st[i].is_const);
            if (c->nout < MAX_OUT) c->out[c->nout++] = st[i].val;
        } else {
            out_lc(cs, c, &st[i]);
        }
        zk_lc_free(&st[i]);
    }
}

static void check_permute(pos_data *d, circuit *c, const fr_t *want, const char *what) {
    CHECK(failures(c, NULL, 0, NULL, NULL) == 0);
    CHECK(c->nout == d->t);
    for (unsigned i = 0; i < d->t && i < c->nout; i++) CHECK_MSG(fr_eq(&c->out[i], &want[i]), "%s word %u", what, i);
}

static void test_poseidon_permute(void) {
    pos_data d;
    circuit c = {build_permute, &d, 0, 0, {{{0}}}};
    d.constant = 0;
    json_value *circ = test_load_vector_json("poseidon/circomlib.json"), *bin = test_load_vector_json("binance/vectors.json");
    const json_value *vs = json_get(circ, "vectors");
    CHECK(json_len(vs) == 16);
    for (unsigned t = 2; t <= 17; t++) {
        d.t = t;
        fr_t want[17];
        /* random states against the native permutation */
        for (int it = 0; it < 2; it++) {
            for (unsigned i = 0; i < t; i++) want[i] = d.in[i] = rand_fr();
            CHECK(poseidon_permute(want, t) == ZK_OK);
            check_permute(&d, &c, want, "random state");
        }
        /* circomlib vector: [0, 1, ..., t-1] */
        const json_value *v = json_at(vs, t - 2), *pin = json_get(v, "permutation_input_state"),
                         *pout = json_get(v, "permutation_output_state");
        CHECK(json_len(pin) == t && json_len(pout) == t);
        for (unsigned i = 0; i < t && i < json_len(pin); i++) {
            d.in[i] = test_fr_dec(json_as_string(json_at(pin, i), NULL));
            want[i] = test_fr_dec(json_as_string(json_at(pout, i), NULL));
        }
        check_permute(&d, &c, want, "circomlib vector");
        /* count */
        zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
        CHECK(zk_cs_nconstraints(cs) == zk_g_poseidon_constraints(t));
        zk_cs_label_stats st;
        zk_cs_label_get(cs, &st, 0);
        CHECK(!strcmp(st.name, "poseidon") && st.constraints == zk_g_poseidon_constraints(t) && st.calls == 1);
        zk_cs_free(cs);
        /* constant state: folded completely, in every mode */
        d.constant = 1;
        for (zk_cs_mode m = ZK_CS_COUNT; m <= ZK_CS_CHECK; m++) {
            cs = run(&c, m, NULL);
            CHECK(zk_cs_nconstraints(cs) == 0 && c.nout == t);
            for (unsigned i = 0; i < t && i < c.nout; i++) CHECK(fr_eq(&c.out[i], &want[i]));
            zk_cs_free(cs);
        }
        d.constant = 0;
        if (t == 3 || t == 5 || t == 17) {
            char name[64];
            snprintf(name, sizeof name, "poseidon permutation t=%u", t);
            CHECK(consistency(&c, name) == zk_g_poseidon_constraints(t));
            /* wrong intermediates: every variable (t = 3) or a sample */
            CHECK(sweep(&c, t == 3 ? 0 : 150, name) > 0);
            /* the first x^2 replaced: exactly that constraint fails */
            override o = {c.first, rand_fr()};
            uint64_t first = 99;
            const char *path = NULL;
            CHECK(failures(&c, &o, 1, &first, &path) == 1 && first == 0 && path && !strcmp(path, "poseidon"));
        }
    }
    CHECK(zk_g_poseidon_constraints(3) == 243 && zk_g_poseidon_constraints(5) == 300 &&
          zk_g_poseidon_constraints(17) == 612 && zk_g_poseidon_constraints(1) == 0);
    /* Binance permutation examples (t = 3, 5, 17 on [0, 1, ..., t-1]) */
    const char *keys[3] = {"t3_[0,1,2]", "t5_[0,1,2,3,4]", "t17_[0..16]"};
    unsigned ts[3] = {3, 5, 17};
    const json_value *pe = json_get(bin, "permutation_examples");
    for (int k = 0; k < 3; k++) {
        const json_value *arr = json_get(pe, keys[k]);
        d.t = ts[k];
        CHECK(json_len(arr) == d.t);
        fr_t want[17];
        for (unsigned i = 0; i < d.t && i < json_len(arr); i++) {
            d.in[i] = fr_u64(i);
            want[i] = test_fr_hex(json_as_string(json_at(arr, i), NULL));
        }
        check_permute(&d, &c, want, keys[k]);
    }
    json_free(circ);
    json_free(bin);
}

static void build_hash(zk_cs *cs, circuit *c) {
    pos_data *d = c->data;
    zk_lc *in = malloc(d->n * sizeof *in), out;
    for (size_t i = 0; i < d->n; i++) {
        zk_lc_init(&in[i]);
        zk_lc_set_var(cs, &in[i], in_var(cs, &d->in[i]));
    }
    c->first = (zk_var)zk_cs_nvars(cs);
    zk_lc_init(&out);
    zk_g_poseidon_hash(cs, &out, in, d->n, d->chunk);
    out_lc(cs, c, &out);
    zk_lc_free(&out);
    for (size_t i = 0; i < d->n; i++) zk_lc_free(&in[i]);
    free(in);
}

static uint64_t hash_count(size_t n, unsigned m) {
    uint64_t k = 0;
    size_t i = 0;
    for (; n - i >= m; i += m) k += zk_g_poseidon_constraints(m + 1) - (i == 0 ? 3 : 0); /* carry 0 */
    if (i < n) k += zk_g_poseidon_constraints((unsigned)(n - i) + 1) - (i == 0 ? 3 : 0);
    return k;
}

static void test_poseidon_hash(void) {
    pos_data d;
    circuit c = {build_hash, &d, 0, 0, {{{0}}}};
    unsigned chunks[2] = {ZK_POSEIDON_CHUNK_V1, ZK_POSEIDON_CHUNK_V2};
    const char *vkeys[2] = {"v1_chunk16", "v2_chunk12"};
    json_value *bin = test_load_vector_json("binance/vectors.json");
    const json_value *p1n = json_get(bin, "poseidon_1_to_n");
    for (int ci = 0; ci < 2; ci++) {
        d.chunk = chunks[ci];
        /* random inputs against the native hash */
        for (size_t n = 1; n <= 40; n += (n < 18 ? 1 : 5)) {
            d.n = n;
            for (size_t i = 0; i < n; i++) d.in[i] = rand_fr();
            fr_t want;
            CHECK(poseidon_hash(&want, d.in, n, d.chunk) == ZK_OK);
            CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
            CHECK_MSG(c.nout == 1 && fr_eq(&c.out[0], &want), "hash n=%zu chunk %u", n, d.chunk);
            zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
            CHECK_MSG(zk_cs_nconstraints(cs) == hash_count(n, d.chunk), "hash count n=%zu chunk %u", n, d.chunk);
            zk_cs_free(cs);
        }
        /* vectors: Poseidon(1, 2, ..., n) */
        const json_value *tab = json_get(p1n, vkeys[ci]);
        static const unsigned ns[] = {1, 2, 3, 4, 5, 13, 16, 17, 24, 30, 234, 256}; /* the vector keys */
        CHECK(json_len(tab) == sizeof ns / sizeof ns[0]);
        for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
            unsigned n = ns[k];
            char key[16];
            snprintf(key, sizeof key, "%u", n);
            const json_value *e = json_get(tab, key);
            CHECK_MSG(e != NULL, "vector n=%s", key);
            if (!e) continue;
            d.n = n;
            for (size_t i = 0; i < n; i++) d.in[i] = fr_u64(i + 1);
            fr_t want = test_fr_dec(json_as_string(json_get(e, "dec"), NULL));
            CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
            CHECK_MSG(c.nout == 1 && fr_eq(&c.out[0], &want), "%s n=%s", vkeys[ci], key);
        }
    }
    d.chunk = 16;
    d.n = 33;
    for (size_t i = 0; i < d.n; i++) d.in[i] = rand_fr();
    (void)consistency(&c, "poseidon hash of 33 (chunk 16)");
    d.n = 234; /* the user asset commitment's shape */
    for (size_t i = 0; i < d.n; i++) d.in[i] = rand_fr();
    CHECK(consistency(&c, "poseidon hash of 234 (chunk 16)") == hash_count(234, 16));
    d.n = 5;
    CHECK(sweep(&c, 100, "poseidon hash 5") > 0);
    json_free(bin);
}

/* ---------------- Merkle paths ---------------- */

#define DEPTH 28
typedef struct {
    fr_t leaf, sib[DEPTH], root, index;
    int leaf_const;  /* leaf as a constant (the empty leaf) */
    int with_public; /* root asserted equal to a public input */
    zk_var index_var, sib_var[DEPTH], bits[DEPTH];
} merkle_data;

static void build_merkle(zk_cs *cs, circuit *c) {
    merkle_data *d = c->data;
    zk_lc leaf, root, pub, idx;
    zk_lc_init(&leaf);
    zk_lc_init(&root);
    zk_lc_init(&pub);
    zk_lc_init(&idx);
    zk_var pv = 0;
    if (d->with_public) pv = zk_cs_public(cs, &d->root);
    if (d->leaf_const) zk_lc_set_const(cs, &leaf, &d->leaf);
    else zk_lc_set_var(cs, &leaf, in_var(cs, &d->leaf));
    for (int k = 0; k < DEPTH; k++) d->sib_var[k] = in_var(cs, &d->sib[k]);
    d->index_var = in_var(cs, &d->index);
    zk_lc_set_var(cs, &idx, d->index_var);
    c->first = (zk_var)zk_cs_nvars(cs);
    zk_g_to_bits(cs, d->bits, &idx, DEPTH);
    zk_g_merkle_root(cs, &root, &leaf, d->sib_var, d->bits, DEPTH);
    out_lc(cs, c, &root);
    if (d->with_public) {
        zk_lc_set_var(cs, &pub, pv);
        zk_cs_eq(cs, &root, &pub);
    }
    zk_lc_free(&leaf);
    zk_lc_free(&root);
    zk_lc_free(&pub);
    zk_lc_free(&idx);
}

static fr_t native_root(const fr_t *leaf, const fr_t *sib, uint32_t index) {
    fr_t node = *leaf, pair[2];
    for (int k = 0; k < DEPTH; k++) {
        if ((index >> k) & 1) pair[0] = sib[k], pair[1] = node;
        else pair[0] = node, pair[1] = sib[k];
        CHECK(poseidon_hash(&node, pair, 2, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
    }
    return node;
}

static void test_merkle(void) {
    merkle_data d;
    circuit c = {build_merkle, &d, 0, 0, {{{0}}}};
    memset(&d, 0, sizeof d);
    /* random paths against the native computation */
    for (int it = 0; it < 4; it++) {
        uint32_t index = it == 0 ? 0 : it == 1 ? (1u << DEPTH) - 1 : (uint32_t)(test_rand64() & ((1u << DEPTH) - 1));
        d.leaf = rand_fr();
        for (int k = 0; k < DEPTH; k++) d.sib[k] = rand_fr();
        d.index = fr_u64(index);
        d.root = native_root(&d.leaf, d.sib, index);
        d.with_public = 0;
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        CHECK_MSG(c.nout == 1 && fr_eq(&c.out[0], &d.root), "merkle index %u", index);
    }
    d.with_public = 1;
    uint64_t n = consistency(&c, "merkle depth 28 + index bits + eq");
    CHECK(n == ZK_G_MERKLE28_CONSTRAINTS + (DEPTH + 1) + 1);
    {
        zk_cs *cs = run(&c, ZK_CS_COUNT, NULL);
        for (size_t l = 0; l < zk_cs_nlabels(cs); l++) {
            zk_cs_label_stats st;
            zk_cs_label_get(cs, &st, l);
            if (!strcmp(st.name, "merkle")) CHECK(st.constraints == ZK_G_MERKLE28_CONSTRAINTS && st.calls == 1);
            if (!strcmp(st.name, "poseidon")) CHECK(st.constraints == DEPTH * 240 && st.calls == DEPTH);
            if (!strcmp(st.name, "range")) CHECK(st.constraints == DEPTH + 1);
        }
        CHECK(zk_cs_npublic(cs) == 1);
        zk_cs_free(cs);
    }
    /* cheats */
    CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
    uint32_t index;
    {
        uint64_t iv[4];
        fr_to_u256(iv, &d.index);
        index = (uint32_t)iv[0];
    }
    for (int k = 0; k < DEPTH; k += 9) {
        override o = {d.sib_var[k], rand_fr()}; /* wrong sibling */
        CHECK(failures(&c, &o, 1, NULL, NULL) >= 1);
        o.var = d.index_var; /* another position: bits follow, the swaps change */
        o.value = fr_u64(index ^ (1u << k));
        uint64_t first = 0;
        const char *path = NULL;
        CHECK(failures(&c, &o, 1, &first, &path) == 1 && first == n - 1 && !strcmp(path, ""));
        o.var = d.bits[k]; /* a flipped index bit: the decomposition fails */
        o.value = fr_u64(((index >> k) & 1) ^ 1);
        CHECK(failures(&c, &o, 1, &first, &path) >= 1 && !strcmp(path, "range"));
    }
    /* the swap product d of level 0 (first variable after the 28 bits) */
    {
        override o = {c.first + DEPTH, rand_fr()};
        uint64_t first = 0;
        const char *path = NULL;
        CHECK(failures(&c, &o, 1, &first, &path) >= 1 && !strcmp(path, "merkle"));
    }
    d.with_public = 0;
    CHECK(sweep(&c, 60, "merkle") > 0);

    /* the empty tree: constant empty leaf, siblings E[0..27] -> E[28] */
    json_value *bin = test_load_vector_json("binance/vectors.json");
    const json_value *e = json_get(bin, "v1_empty_subtree_hashes_level0_leaf_to_level28_root");
    CHECK(json_len(e) == DEPTH + 1);
    if (json_len(e) == DEPTH + 1) {
        d.leaf = test_fr_hex(json_as_string(json_get(bin, "v1_empty_leaf"), NULL));
        for (int k = 0; k < DEPTH; k++) d.sib[k] = test_fr_hex(json_as_string(json_at(e, (size_t)k), NULL));
        d.root = test_fr_hex(json_as_string(json_at(e, DEPTH), NULL));
        d.index = fr_u64(test_rand64() & ((1u << DEPTH) - 1));
        d.leaf_const = 1;
        d.with_public = 1;
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        CHECK(c.nout == 1 && fr_eq(&c.out[0], &d.root));
        (void)consistency(&c, "merkle from the constant empty leaf");
        d.leaf_const = 0;
    }
    /* the worked example's proof of account 2 */
    const json_value *w = json_get(json_get(bin, "v1_worked_example"), "merkle_proof");
    const json_value *proof = json_get(w, "proof_hex_leaf_to_root");
    CHECK(json_len(proof) == DEPTH);
    if (json_len(proof) == DEPTH) {
        d.leaf = test_fr_hex(json_as_string(json_get(w, "leaf"), NULL));
        for (int k = 0; k < DEPTH; k++) d.sib[k] = test_fr_hex(json_as_string(json_at(proof, (size_t)k), NULL));
        d.root = test_fr_hex(json_as_string(json_get(json_get(bin, "v1_worked_example"), "account_tree_root"), NULL));
        uint64_t idx = 0;
        CHECK(json_as_u64(&idx, json_get(w, "AccountIndex")) == ZK_OK && idx == 2);
        d.index = fr_u64(idx);
        d.with_public = 1;
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 0);
        CHECK(c.nout == 1 && fr_eq(&c.out[0], &d.root));
        d.index = fr_u64(3); /* the same proof at the neighbouring index fails */
        CHECK(failures(&c, NULL, 0, NULL, NULL) == 1);
    }
    json_free(bin);
}

/* ---------------- builder API ---------------- */

static void test_api(void) {
    fr_t one, two, three, six;
    fr_one(&one);
    two = fr_u64(2), three = fr_u64(3), six = fr_u64(6);
    /* publics must come first */
    zk_cs *cs = zk_cs_new(ZK_CS_CHECK);
    CHECK(zk_cs_public(cs, &one) == 1 && zk_cs_public(cs, &two) == 2);
    CHECK(zk_cs_private(cs, &three) == 3);
    CHECK(zk_cs_status(cs) == ZK_OK);
    (void)zk_cs_public(cs, &one);
    CHECK(zk_cs_status(cs) == ZK_ERR_ARG);
    zk_cs_free(cs);
    /* a value is required in the value modes; lcs over unknown variables are errors */
    cs = zk_cs_new(ZK_CS_PROVE);
    (void)zk_cs_private(cs, NULL);
    CHECK(zk_cs_status(cs) == ZK_ERR_ARG);
    zk_cs_free(cs);
    cs = zk_cs_new(ZK_CS_SETUP);
    zk_lc a;
    zk_lc_init(&a);
    zk_lc_add_var(cs, &a, NULL, 5);
    CHECK(zk_cs_status(cs) == ZK_ERR_ARG);
    zk_cs_free(cs);
    /* pop without push */
    cs = zk_cs_new(ZK_CS_COUNT);
    zk_cs_pop(cs);
    CHECK(zk_cs_status(cs) == ZK_ERR_ARG);
    zk_cs_free(cs);
    CHECK(zk_cs_new((zk_cs_mode)7) == NULL);

    /* lc algebra and nested labels, in PROVE and SETUP */
    for (zk_cs_mode m = ZK_CS_SETUP; m <= ZK_CS_PROVE; m++) {
        cs = zk_cs_new(m);
        CHECK(zk_cs_reserve(cs, 100, 100) == ZK_OK);
        zk_var x = zk_cs_private(cs, &two), y = zk_cs_private(cs, &three);
        zk_lc lx, ly, s, p;
        zk_lc_init(&lx);
        zk_lc_init(&ly);
        zk_lc_init(&s);
        zk_lc_init(&p);
        zk_lc_set_var(cs, &lx, x);
        zk_lc_set_var(cs, &ly, y);
        zk_cs_push(cs, "outer");
        zk_cs_push(cs, "inner");
        zk_cs_push(cs, "outer"); /* nested repeat: counted once */
        zk_var z = zk_cs_mul_new(cs, &lx, &ly); /* 6 */
        zk_cs_pop(cs);
        zk_cs_pop(cs);
        /* s = 3x + x - y*2 + 7 - x*4 = 7 - 2y... built with repeats, merged on record */
        fr_t k3 = fr_u64(3), k4 = fr_u64(4), k7 = fr_u64(7);
        zk_lc_add_var(cs, &s, &k3, x);
        zk_lc_add(cs, &s, NULL, &lx);
        zk_lc_add(cs, &s, &two, &ly);
        zk_lc_add_const(cs, &s, &k7);
        zk_lc_sub(cs, &s, &ly);
        zk_lc_sub(cs, &s, &ly);
        zk_lc_sub(cs, &s, &ly);
        zk_lc_add(cs, &s, &k4, &lx);
        zk_lc_sub_var(cs, &s, x); /* s = 3x + x + 2y + 7 - 3y + 4x - x = 7x - y + 7 = 14 - 3 + 7 = 18 */
        zk_lc_add(cs, &s, NULL, &s); /* aliasing: 2s = 36 */
        zk_lc_scale(cs, &s, &three); /* 108 */
        zk_lc_set_var(cs, &p, z);
        zk_lc_scale(cs, &p, &six); /* 36 */
        zk_lc_add_const(cs, &p, &six); /* 42 */
        fr_t k108 = fr_u64(108), k42 = fr_u64(42);
        if (m == ZK_CS_PROVE) CHECK(fr_eq(&s.val, &k108) && fr_eq(&p.val, &k42));
        zk_lc c108, c42;
        zk_lc_init(&c108);
        zk_lc_init(&c42);
        zk_lc_set_const(cs, &c108, &k108);
        zk_lc_set_const(cs, &c42, &k42);
        CHECK(c108.is_const && !s.is_const);
        zk_cs_eq(cs, &s, &c108);
        zk_cs_eq(cs, &p, &c42);
        zk_cs_pop(cs);
        CHECK(zk_cs_status(cs) == ZK_OK && zk_cs_nconstraints(cs) == 3 && zk_cs_nfailures(cs) == 0);
        zk_cs_label_stats st;
        zk_cs_label_get(cs, &st, 0);
        CHECK(!strcmp(st.name, "outer") && st.constraints == 3 && st.privates == 1 && st.calls == 2);
        zk_cs_label_get(cs, &st, 1);
        CHECK(!strcmp(st.name, "inner") && st.constraints == 1 && st.calls == 1);
        if (m == ZK_CS_SETUP) { /* rows: x; s merged to one term per variable; p */
            const uint64_t *rs;
            const zk_cs_term *t;
            size_t nc;
            const fr_t *co = zk_cs_coeffs(cs, &nc);
            zk_cs_matrix(cs, 0, &rs, &t);
            CHECK(rs[1] - rs[0] == 1 && rs[2] - rs[1] == 3 && rs[3] - rs[2] == 2);
            /* row 1 = 6*(7x - y + 7) sorted: ONE, x, y */
            fr_t want[3] = {fr_u64(42), fr_u64(42), fr_u64(6)};
            fr_neg(&want[2], &want[2]);
            for (int i = 0; i < 3; i++) {
                CHECK(t[rs[1] + i].var == (zk_var)(i == 0 ? 0 : i == 1 ? x : y));
                CHECK(fr_eq(&co[t[rs[1] + i].coeff], &want[i]));
            }
            CHECK(fr_is_one(&co[0]));
        }
        zk_lc_free(&lx);
        zk_lc_free(&ly);
        zk_lc_free(&s);
        zk_lc_free(&p);
        zk_lc_free(&c108);
        zk_lc_free(&c42);
        zk_cs_free(cs);
    }
    /* is_equal and cswap directly */
    for (int it = 0; it < 4; it++) {
        cs = zk_cs_new(ZK_CS_CHECK);
        fr_t av = rand_fr(), bv = it & 1 ? av : rand_fr(), bit = fr_u64((uint64_t)(it >> 1));
        zk_lc la, lb, eq, l, r;
        zk_lc_init(&la);
        zk_lc_init(&lb);
        zk_lc_init(&eq);
        zk_lc_init(&l);
        zk_lc_init(&r);
        zk_lc_set_var(cs, &la, zk_cs_private(cs, &av));
        zk_lc_set_var(cs, &lb, zk_cs_private(cs, &bv));
        zk_var bvar = zk_g_new_bit(cs, &bit);
        zk_g_is_equal(cs, &eq, &la, &lb);
        fr_t want = fr_u64((uint64_t)(it & 1));
        CHECK(fr_eq(&eq.val, &want));
        zk_g_cswap(cs, &l, &r, bvar, &la, &lb);
        CHECK(fr_eq(&l.val, it >> 1 ? &bv : &av) && fr_eq(&r.val, it >> 1 ? &av : &bv));
        zk_g_cswap(cs, &la, &lb, bvar, &la, &lb); /* aliased outputs */
        CHECK(fr_eq(&la.val, &l.val) && fr_eq(&lb.val, &r.val));
        CHECK(zk_cs_nfailures(cs) == 0 && zk_cs_nconstraints(cs) == 1 + 2 + 1 + 1);
        zk_lc_free(&la);
        zk_lc_free(&lb);
        zk_lc_free(&eq);
        zk_lc_free(&l);
        zk_lc_free(&r);
        zk_cs_free(cs);
    }
}

int main(void) {
    test_init();
    test_api();
    test_bool();
    test_range();
    test_canonical();
    test_le_const();
    test_bits_le();
    test_le();
    test_poseidon_permute();
    test_poseidon_hash();
    test_merkle();
    TEST_DONE();
}
