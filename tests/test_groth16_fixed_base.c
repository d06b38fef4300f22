/* Fixed-base batch multiplication (ec.h, used by Groth16 setup) against the
 * independent wNAF scalar multiplication G_mul_var, in G1 and G2: random
 * scalars, edge scalars (0, 1, 2, r-1, r-2, small values, powers of two,
 * all-ones digit patterns), repeated scalars, a base at infinity, a base
 * that is not the generator, several table sizes (window widths) and
 * pool / no pool, more scalars than one task's chunk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ec/ec.h"
#include "test.h"

static void rand_fr(fr_t *k) {
    uint64_t v[4];
    for (int i = 0; i < 4; i++) v[i] = test_rand64();
    fr_from_u256_reduce(k, v);
}

/* scalars: edge values first, then random ones */
static size_t make_scalars(fr_t *k, size_t n) {
    size_t c = 0;
    fr_t one, t;
    fr_one(&one);
    fr_zero(&k[c++]);
    k[c++] = one;
    fr_set_u64(&k[c++], 2);
    fr_neg(&k[c++], &one); /* r - 1 */
    fr_set_u64(&t, 2);
    fr_neg(&k[c++], &t); /* r - 2 */
    for (unsigned b = 0; b < 254 && c < n; b += 7) { /* 2^b, 2^b - 1, 3 * 2^b */
        uint64_t v[4] = {0, 0, 0, 0};
        v[b / 64] = (uint64_t)1 << (b % 64);
        fr_from_u256_reduce(&k[c++], v);
        if (c < n) fr_sub(&k[c], &k[c - 1], &one), c++;
        if (c < n) fr_set_u64(&t, 3), fr_mul(&k[c], &k[c - 2], &t), c++;
    }
    for (unsigned s = 0; s < 16 && c < n; s++) { /* all-ones / 0x8000.. digit patterns */
        uint64_t v[4];
        for (int i = 0; i < 4; i++) v[i] = s & 1 ? 0xffffffffffffffffull >> (s % 7) : 0x8000800080008000ull >> s;
        fr_from_u256_reduce(&k[c++], v);
    }
    if (c < n) k[c] = k[3], c++; /* repeated */
    while (c < n) rand_fr(&k[c++]);
    return c;
}

#define FB_TEST(G)                                                                                    \
    static void G##_check(zk_pool *pool, const G##_affine_t *base, size_t n_hint, const fr_t *k, size_t n) { \
        G##_fixed_base *fb = NULL;                                                                    \
        G##_affine_t *out = malloc(n * sizeof *out);                                                  \
        CHECK(out != NULL);                                                                           \
        CHECK(G##_fixed_base_new(pool, &fb, base, n_hint) == ZK_OK);                                  \
        if (!out || !fb) {                                                                            \
            free(out);                                                                                \
            G##_fixed_base_free(fb);                                                                  \
            return;                                                                                   \
        }                                                                                             \
        CHECK(G##_fixed_base_mul_batch_var(pool, out, fb, k, n) == ZK_OK);                            \
        G##_jac_t b;                                                                                  \
        G##_from_affine(&b, base);                                                                    \
        size_t bad = 0;                                                                               \
        for (size_t i = 0; i < n; i++) {                                                              \
            G##_jac_t r, o;                                                                           \
            G##_mul_var(&r, &b, &k[i]);                                                               \
            G##_from_affine(&o, &out[i]);                                                             \
            if (!G##_jac_eq(&r, &o) || (G##_jac_is_infinity(&r) != G##_affine_is_infinity(&out[i]))) bad++; \
            if (!G##_affine_is_on_curve(&out[i])) bad++;                                              \
        }                                                                                             \
        CHECK_MSG(bad == 0, #G " fixed base: %zu mismatches of %zu (n_hint %zu)", bad, n, n_hint);    \
        free(out);                                                                                    \
        G##_fixed_base_free(fb);                                                                      \
    }

FB_TEST(g1)
FB_TEST(g2)

int main(void) {
    test_init();
    zk_pool *pool = zk_pool_new(2);
    const size_t n = 5000;
    fr_t *k = malloc(n * sizeof *k);
    CHECK(k != NULL);
    if (!k) return 1;
    size_t c = make_scalars(k, n);
    CHECK(c == n);

    g1_affine_t g1, p1, inf1;
    g2_affine_t g2, p2, inf2;
    g1_generator(&g1);
    g2_generator(&g2);
    g1_affine_set_infinity(&inf1);
    g2_affine_set_infinity(&inf2);
    { /* another base: 7 * G */
        fr_t s;
        fr_set_u64(&s, 7);
        g1_jac_t t;
        g2_jac_t u;
        g1_from_affine(&t, &g1);
        g1_mul_var(&t, &t, &s);
        g1_to_affine(&p1, &t);
        g2_from_affine(&u, &g2);
        g2_mul_var(&u, &u, &s);
        g2_to_affine(&p2, &u);
    }
    /* n_hint selects the window: tiny tables (w = 2..4) up to large ones */
    const size_t hints[] = {1, 8, 100, 3000, (size_t)1 << 16, (size_t)1 << 22};
    for (size_t h = 0; h < sizeof hints / sizeof hints[0]; h++) {
        g1_check(h & 1 ? pool : NULL, &g1, hints[h], k, h < 2 ? 400 : n);
        if (hints[h] <= ((size_t)1 << 16)) g2_check(h & 1 ? NULL : pool, &g2, hints[h], k, h < 2 ? 300 : 1500);
    }
    g1_check(pool, &p1, 5000, k, n);
    g2_check(pool, &p2, 5000, k, 1500);
    g1_check(pool, &inf1, 100, k, 200);
    g2_check(NULL, &inf2, 100, k, 200);
    g1_check(pool, &g1, 100, k, 0);
    /* a chunk boundary: more scalars than one task holds */
    fr_t *big = malloc(9000 * sizeof *big);
    CHECK(big != NULL);
    if (big) {
        for (size_t i = 0; i < 9000; i++) big[i] = k[i % n];
        g1_check(pool, &g1, 9000, big, 9000);
        free(big);
    }
    free(k);
    zk_pool_free(pool);
    TEST_DONE();
}
