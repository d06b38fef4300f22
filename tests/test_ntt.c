/* NTT: against a naive O(n^2) DFT (Horner evaluation at w^i and g*w^i) for
 * small sizes, against Horner evaluation at sampled points for 2^20, round
 * trips, coset = NTT of a_i*g^i, linearity, bit-reversed variants, and equal
 * results with pools of 1, 2 and 3 threads. */
#include "ff/ff.h"
#include "poly/poly.h"
#include "test.h"

static void rand_fr(fr_t *r) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64()};
    fr_from_u256_reduce(r, v);
}

static fr_t *rand_vec(size_t n) {
    fr_t *a = malloc((n ? n : 1) * sizeof *a);
    for (size_t i = 0; i < n; i++) rand_fr(&a[i]);
    return a;
}

static int vec_eq(const fr_t *a, const fr_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!fr_eq(&a[i], &b[i])) return 0;
    return 1;
}

/* Horner: sum a_i x^i */
static void horner(fr_t *r, const fr_t *a, size_t n, const fr_t *x) {
    fr_t acc;
    fr_zero(&acc);
    for (size_t i = n; i-- > 0;) {
        fr_mul(&acc, &acc, x);
        fr_add(&acc, &acc, &a[i]);
    }
    *r = acc;
}

static size_t rev_index(size_t i, unsigned k) {
    size_t r = 0;
    for (unsigned b = 0; b < k; b++) r |= ((i >> b) & 1) << (k - 1 - b);
    return r;
}

/* w^e for the primitive 2^k-th root, computed by repeated multiplication */
static void pow_u64(fr_t *r, const fr_t *x, uint64_t e) { fr_pow(r, x, &e, 1); }

/* The roots themselves: w^(n/2) = -1 (primitive), w^n = 1. */
static void test_roots(void) {
    for (unsigned k = 1; k <= FR_TWO_ADICITY; k++) {
        fr_t w, t, minus1, one;
        fr_root_of_unity(&w, k);
        fr_one(&one);
        fr_neg(&minus1, &one);
        pow_u64(&t, &w, (uint64_t)1 << (k - 1));
        CHECK(fr_eq(&t, &minus1));
    }
}

static void test_naive(void) {
    fr_t g;
    fr_generator(&g);
    for (unsigned k = 0; k <= 8; k++) {
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d;
        CHECK(zk_ntt_domain_new(NULL, &d, k) == ZK_OK);
        CHECK(zk_ntt_domain_size(d) == n && zk_ntt_domain_log_n(d) == k);
        fr_t *a = rand_vec(n), *b = malloc(n * sizeof *b), *ev = malloc(n * sizeof *ev),
             *evc = malloc(n * sizeof *evc);
        fr_t w, x;
        fr_root_of_unity(&w, k);
        fr_one(&x);
        for (size_t i = 0; i < n; i++) { /* x = w^i */
            fr_t gx;
            horner(&ev[i], a, n, &x);
            fr_mul(&gx, &g, &x);
            horner(&evc[i], a, n, &gx);
            fr_mul(&x, &x, &w);
        }
        memcpy(b, a, n * sizeof *b);
        zk_ntt(NULL, d, b);
        CHECK_MSG(vec_eq(b, ev, n), "ntt vs naive DFT, n=%zu", n);
        zk_intt(NULL, d, b);
        CHECK_MSG(vec_eq(b, a, n), "intt(ntt) n=%zu", n);

        memcpy(b, a, n * sizeof *b);
        zk_ntt_coset(NULL, d, b);
        CHECK_MSG(vec_eq(b, evc, n), "coset ntt vs naive, n=%zu", n);
        zk_intt_coset(NULL, d, b);
        CHECK_MSG(vec_eq(b, a, n), "coset round trip n=%zu", n);

        /* inverse against the naive DFT too: intt(ev) = a */
        memcpy(b, ev, n * sizeof *b);
        zk_intt(NULL, d, b);
        CHECK(vec_eq(b, a, n));
        memcpy(b, evc, n * sizeof *b);
        zk_intt_coset(NULL, d, b);
        CHECK(vec_eq(b, a, n));

        /* bit-reversed variants */
        memcpy(b, a, n * sizeof *b);
        zk_ntt_to_bitrev(NULL, d, b);
        int ok = 1;
        for (size_t i = 0; i < n; i++) ok &= fr_eq(&b[rev_index(i, k)], &ev[i]);
        CHECK_MSG(ok, "ntt_to_bitrev n=%zu", n);
        zk_intt_from_bitrev(NULL, d, b);
        CHECK(vec_eq(b, a, n));
        memcpy(b, a, n * sizeof *b);
        zk_ntt_coset_to_bitrev(NULL, d, b);
        ok = 1;
        for (size_t i = 0; i < n; i++) ok &= fr_eq(&b[rev_index(i, k)], &evc[i]);
        CHECK_MSG(ok, "ntt_coset_to_bitrev n=%zu", n);
        zk_intt_coset_from_bitrev(NULL, d, b);
        CHECK(vec_eq(b, a, n));

        free(a); free(b); free(ev); free(evc);
        zk_ntt_domain_free(d);
    }
}

static void test_bitrev(zk_pool *pool) {
    for (unsigned k = 0; k <= 14; k++) {
        size_t n = (size_t)1 << k;
        fr_t *a = malloc(n * sizeof *a);
        for (size_t i = 0; i < n; i++) fr_set_u64(&a[i], i);
        zk_bitrev_permute(pool, a, k);
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            fr_t e;
            fr_set_u64(&e, rev_index(i, k));
            ok &= fr_eq(&a[i], &e);
        }
        CHECK_MSG(ok, "bitrev k=%u threads=%d", k, zk_pool_threads(pool));
        free(a);
    }
}

/* Round trips, coset identity, linearity and pool independence. */
static void test_sizes(zk_pool **pools, int npools) {
    static const unsigned sizes[] = {0, 1, 2, 3, 5, 9, 10, 11, 12, 13, 14, 15, 16};
    fr_t g;
    fr_generator(&g);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        unsigned k = sizes[si];
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d;
        CHECK(zk_ntt_domain_new(pools[npools - 1], &d, k) == ZK_OK);
        fr_t *a = rand_vec(n), *b = rand_vec(n), *ref = malloc(n * sizeof *ref),
             *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        /* reference: serial forward NTT; spot-check it by Horner */
        memcpy(ref, a, n * sizeof *ref);
        zk_ntt(NULL, d, ref);
        fr_t w;
        fr_root_of_unity(&w, k);
        for (int t = 0; t < 4; t++) {
            uint64_t i = test_rand64() & (n - 1);
            fr_t wi, v;
            pow_u64(&wi, &w, i);
            horner(&v, a, n, &wi);
            CHECK_MSG(fr_eq(&v, &ref[i]), "ntt spot check k=%u i=%" PRIu64, k, i);
        }
        for (int pi = 0; pi < npools; pi++) {
            zk_pool *pool = pools[pi];
            int th = zk_pool_threads(pool);
            memcpy(x, a, n * sizeof *x);
            zk_ntt(pool, d, x);
            CHECK_MSG(vec_eq(x, ref, n), "ntt k=%u threads=%d", k, th);
            zk_intt(pool, d, x);
            CHECK_MSG(vec_eq(x, a, n), "round trip k=%u threads=%d", k, th);

            /* coset ntt = ntt of a_i g^i */
            memcpy(x, a, n * sizeof *x);
            zk_ntt_coset(pool, d, x);
            fr_t gi;
            fr_one(&gi);
            for (size_t i = 0; i < n; i++) {
                fr_mul(&y[i], &a[i], &gi);
                fr_mul(&gi, &gi, &g);
            }
            zk_ntt(pool, d, y);
            CHECK_MSG(vec_eq(x, y, n), "coset identity k=%u threads=%d", k, th);
            zk_intt_coset(pool, d, x);
            CHECK_MSG(vec_eq(x, a, n), "coset round trip k=%u threads=%d", k, th);

            /* bit-reversed pair */
            memcpy(x, a, n * sizeof *x);
            zk_ntt_coset_to_bitrev(pool, d, x);
            zk_intt_coset_from_bitrev(pool, d, x);
            CHECK_MSG(vec_eq(x, a, n), "bitrev coset round trip k=%u threads=%d", k, th);
            memcpy(x, a, n * sizeof *x);
            zk_ntt_to_bitrev(pool, d, x);
            zk_bitrev_permute(pool, x, k);
            CHECK_MSG(vec_eq(x, ref, n), "to_bitrev + permute k=%u threads=%d", k, th);

            /* linearity: ntt(c*a + b) = c*ntt(a) + ntt(b) */
            fr_t c;
            rand_fr(&c);
            for (size_t i = 0; i < n; i++) {
                fr_mul(&x[i], &a[i], &c);
                fr_add(&x[i], &x[i], &b[i]);
            }
            memcpy(y, b, n * sizeof *y);
            zk_ntt(pool, d, x);
            zk_ntt(pool, d, y);
            int ok = 1;
            for (size_t i = 0; i < n; i++) {
                fr_t e;
                fr_mul(&e, &ref[i], &c);
                fr_add(&e, &e, &y[i]);
                ok &= fr_eq(&e, &x[i]);
            }
            CHECK_MSG(ok, "linearity k=%u threads=%d", k, th);
        }
        free(a); free(b); free(ref); free(x); free(y);
        zk_ntt_domain_free(d);
    }
}

/* Edge cases: n = 1 is the identity; n = 2 is (a0 + a1, a0 - a1). */
static void test_edges(void) {
    zk_ntt_domain *d;
    CHECK(zk_ntt_domain_new(NULL, &d, FR_TWO_ADICITY + 1) == ZK_ERR_ARG);
    CHECK(d == NULL);
    CHECK(zk_ntt_domain_new(NULL, NULL, 3) == ZK_ERR_ARG);

    CHECK(zk_ntt_domain_new(NULL, &d, 0) == ZK_OK);
    fr_t a, a0;
    rand_fr(&a);
    a0 = a;
    zk_ntt(NULL, d, &a);
    CHECK(fr_eq(&a, &a0));
    zk_ntt_coset(NULL, d, &a);
    CHECK(fr_eq(&a, &a0));
    zk_intt(NULL, d, &a);
    CHECK(fr_eq(&a, &a0));
    zk_intt_coset(NULL, d, &a);
    CHECK(fr_eq(&a, &a0));
    zk_ntt_domain_free(d);

    CHECK(zk_ntt_domain_new(NULL, &d, 1) == ZK_OK);
    fr_t v[2], s, t, g, e0, e1;
    rand_fr(&v[0]);
    rand_fr(&v[1]);
    fr_add(&s, &v[0], &v[1]);
    fr_sub(&t, &v[0], &v[1]);
    fr_t u[2] = {v[0], v[1]};
    zk_ntt(NULL, d, u);
    CHECK(fr_eq(&u[0], &s) && fr_eq(&u[1], &t));
    /* coset: (a0 + g a1, a0 - g a1) */
    fr_generator(&g);
    fr_mul(&e1, &v[1], &g);
    fr_add(&e0, &v[0], &e1);
    fr_sub(&e1, &v[0], &e1);
    u[0] = v[0];
    u[1] = v[1];
    zk_ntt_coset(NULL, d, u);
    CHECK(fr_eq(&u[0], &e0) && fr_eq(&u[1], &e1));
    zk_intt_coset(NULL, d, u);
    CHECK(fr_eq(&u[0], &v[0]) && fr_eq(&u[1], &v[1]));
    zk_ntt_domain_free(d);
    zk_ntt_domain_free(NULL);
}

/* One large transform: 2^20 with two threads, spot-checked by Horner. */
static void test_large(zk_pool *pool) {
    unsigned k = 20;
    size_t n = (size_t)1 << k;
    zk_ntt_domain *d;
    CHECK(zk_ntt_domain_new(pool, &d, k) == ZK_OK);
    fr_t *a = rand_vec(n), *x = malloc(n * sizeof *x);
    memcpy(x, a, n * sizeof *x);
    zk_ntt_coset(pool, d, x);
    fr_t w, g;
    fr_root_of_unity(&w, k);
    fr_generator(&g);
    for (int t = 0; t < 2; t++) {
        uint64_t i = test_rand64() & (n - 1);
        fr_t p, v;
        pow_u64(&p, &w, i);
        fr_mul(&p, &p, &g);
        horner(&v, a, n, &p);
        CHECK_MSG(fr_eq(&v, &x[i]), "2^20 coset spot check i=%" PRIu64, i);
    }
    zk_intt_coset(pool, d, x);
    CHECK(vec_eq(x, a, n));
    free(a);
    free(x);
    zk_ntt_domain_free(d);
}

int main(void) {
    test_init();
    zk_pool *pools[4] = {NULL, zk_pool_new(1), zk_pool_new(2), zk_pool_new(3)};
    CHECK(pools[1] && pools[2] && pools[3]);
    test_roots();
    test_edges();
    test_naive();
    for (int i = 0; i < 4; i++) test_bitrev(pools[i]);
    test_sizes(pools, 4);
    test_large(pools[2]);
    for (int i = 1; i < 4; i++) zk_pool_free(pools[i]);
    TEST_DONE();
}
