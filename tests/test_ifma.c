/* The 8-lane AVX-512 IFMA Montgomery core (src/ff/mont_ifma.h) against the
 * scalar fp/fr functions and GMP, for both moduli: products (raw bound and
 * congruence checked with GMP, reduced result equal to fr_mul/fp_mul), add,
 * sub, the scaling constant, and strided load/store round trips. Inputs mix
 * random values with edge values (0, 1, m-1, R, around 2^252 and 2^208
 * (the top-limb boundary), all-ones limbs below m), every lane different.
 * Without IFMA (portable build, other CPUs) the test only reports a skip. */
#include <gmp.h>

#include "test.h"
#include "ff/ff.h"
#include "ff/ff_constants.h"
#include "ff/mont_ifma.h"

#ifdef ZK_HAVE_MONT_IFMA

typedef struct {
    const char *name;
    const uint64_t *m, *r1;
    uint64_t n0;
    void (*mul)(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]);
    void (*add)(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]);
    void (*sub)(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]);
} field;

/* fp_t and fr_t are both struct { uint64_t l[4]; } */
static void fr_mul_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fr_mul((fr_t *)r, (const fr_t *)a, (const fr_t *)b); }
static void fr_add_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fr_add((fr_t *)r, (const fr_t *)a, (const fr_t *)b); }
static void fr_sub_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fr_sub((fr_t *)r, (const fr_t *)a, (const fr_t *)b); }
static void fp_mul_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fp_mul((fp_t *)r, (const fp_t *)a, (const fp_t *)b); }
static void fp_add_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fp_add((fp_t *)r, (const fp_t *)a, (const fp_t *)b); }
static void fp_sub_l(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { fp_sub((fp_t *)r, (const fp_t *)a, (const fp_t *)b); }

static void mpz_from_limbs(mpz_t z, const uint64_t v[4]) { mpz_import(z, 4, -1, 8, 0, 0, v); }

static int limbs_lt(const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i];
    return 0;
}

/* A value < m: random (reduced by GMP) or one of the edge values. */
static void gen_value(uint64_t v[4], const field *F, int kind, mpz_t zm, mpz_t t) {
    memset(v, 0, 32);
    switch (kind) {
    case 0: break;                                        /* 0 */
    case 1: v[0] = 1; break;                              /* 1 */
    case 2: memcpy(v, F->m, 32); v[0] -= 1; break;        /* m - 1 */
    case 3: memcpy(v, F->r1, 32); break;                  /* R mod m (Montgomery one) */
    case 4: v[3] = UINT64_C(1) << 60; break;              /* 2^252 */
    case 5: v[3] = (UINT64_C(1) << 60) - 1; v[0] = v[1] = v[2] = ~UINT64_C(0); break; /* 2^252 - 1 */
    case 6: v[3] = UINT64_C(1) << 16; break;              /* 2^208: limb-4 boundary */
    case 7: v[3] = 0xffff; v[0] = v[1] = v[2] = ~UINT64_C(0); break; /* 2^208 - 1 */
    case 8: v[3] = F->m[3] - 1; v[0] = v[1] = v[2] = ~UINT64_C(0); break; /* just below m */
    case 9: v[3] = UINT64_C(1) << 60; v[0] = test_rand64(); break;       /* 2^252 + small */
    default: {
        uint64_t w[8];
        for (int i = 0; i < 8; i++) w[i] = test_rand64();
        mpz_import(t, 8, -1, 8, 0, 0, w);
        mpz_mod(t, t, zm);
        memset(v, 0, 32);
        mpz_export(v, NULL, -1, 8, 0, 0, t);
    }
    }
}
#define N_KINDS 12

static void test_field(const field *F) {
    m52_mod K;
    m52_mod_init(&K, F->m, F->n0, F->r1);
    mpz_t zm, t, u, inv260;
    mpz_inits(zm, t, u, inv260, NULL);
    mpz_from_limbs(zm, F->m);
    mpz_set_ui(inv260, 1);
    mpz_mul_2exp(inv260, inv260, 260);
    mpz_invert(inv260, inv260, zm);
    int bad_mul = 0, bad_raw = 0, bad_add = 0, bad_sub = 0, bad_s16 = 0, bad_rt = 0;
    for (int iter = 0; iter < 400; iter++) {
        uint64_t a[8][4], b[8][4], b16[8][4];
        for (int j = 0; j < 8; j++) {
            /* early iterations cover every pair of edge kinds, then random */
            int ka = iter < N_KINDS * N_KINDS / 8 + 1 ? (iter * 8 + j) % N_KINDS : N_KINDS;
            int kb = iter < N_KINDS * N_KINDS / 8 + 1 ? (iter * 8 + j) / N_KINDS % N_KINDS : N_KINDS;
            gen_value(a[j], F, ka, zm, t);
            gen_value(b[j], F, kb, zm, t);
            m52_scale16(b16[j], b[j], F->m);
        }
        m52x8 va, vb, vb16, r;
        m52_load(&va, a[0], 1);
        m52_load(&vb, b[0], 1);
        m52_load(&vb16, b16[0], 1);
        uint64_t out[8][4], want[4];

        /* raw product: congruent to a b / 2^260 and below 2m */
        m52_mul(&r, &va, &vb, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) {
            mpz_from_limbs(t, a[j]);
            mpz_from_limbs(u, b[j]);
            mpz_mul(t, t, u);
            mpz_mul(t, t, inv260);
            mpz_mod(t, t, zm);
            mpz_from_limbs(u, out[j]);
            if (mpz_cmp(u, zm) >= 0) mpz_sub(u, u, zm);
            if (mpz_cmp(u, t) != 0 || mpz_cmp(u, zm) >= 0) bad_raw++;
        }
        /* reduced product with the scaled operand = the scalar product */
        m52_mul_red(&r, &va, &vb16, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) {
            F->mul(want, a[j], b[j]);
            if (memcmp(want, out[j], 32) != 0) bad_mul++;
        }
        /* s16 scales by 16 like the scalar helper */
        m52x8 s16;
        memcpy(s16.l, K.s16, sizeof s16.l);
        m52_mul_red(&r, &vb, &s16, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) bad_s16 += memcmp(out[j], b16[j], 32) != 0;
        m52_add(&r, &va, &vb, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) {
            F->add(want, a[j], b[j]);
            bad_add += memcmp(want, out[j], 32) != 0;
        }
        m52_sub(&r, &va, &vb, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) {
            F->sub(want, a[j], b[j]);
            bad_sub += memcmp(want, out[j], 32) != 0;
            F->sub(want, b[j], a[j]);
        }
        m52_sub(&r, &vb, &va, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) {
            F->sub(want, b[j], a[j]);
            bad_sub += memcmp(want, out[j], 32) != 0;
        }
        /* reduce of x + m (x < m) gives x */
        for (int j = 0; j < 8; j++) mont_add_raw(out[j], a[j], F->m);
        m52_load(&r, out[0], 1);
        m52_reduce(&r, &r, &K);
        m52_store(out[0], 1, &r);
        for (int j = 0; j < 8; j++) bad_raw += memcmp(out[j], a[j], 32) != 0 || !limbs_lt(out[j], F->m);
        /* strided round trip: lanes from every third element of 24 */
        uint64_t big[24][4], back[24][4];
        for (int j = 0; j < 24; j++) memcpy(big[j], j % 3 == 1 ? a[j / 3] : b[j / 3], 32);
        m52_load(&r, big[1], 3);
        memset(back, 0, sizeof back);
        m52_store(back[1], 3, &r);
        for (int j = 0; j < 24; j++) {
            static const uint64_t zero[4];
            bad_rt += memcmp(back[j], j % 3 == 1 ? a[j / 3] : zero, 32) != 0;
        }
    }
    CHECK_MSG(bad_raw == 0, "%s: raw product/reduce (%d)", F->name, bad_raw);
    CHECK_MSG(bad_mul == 0, "%s: mul (%d)", F->name, bad_mul);
    CHECK_MSG(bad_s16 == 0, "%s: scale16 (%d)", F->name, bad_s16);
    CHECK_MSG(bad_add == 0, "%s: add (%d)", F->name, bad_add);
    CHECK_MSG(bad_sub == 0, "%s: sub (%d)", F->name, bad_sub);
    CHECK_MSG(bad_rt == 0, "%s: strided load/store (%d)", F->name, bad_rt);
    mpz_clears(zm, t, u, inv260, NULL);
}

int main(void) {
    test_init();
    static const field fields[] = {
        {"fr", FR_MOD, FR_R1, FR_N0, fr_mul_l, fr_add_l, fr_sub_l},
        {"fp", FP_MOD, FP_R1, FP_N0, fp_mul_l, fp_add_l, fp_sub_l},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) test_field(&fields[i]);
    TEST_DONE();
}

#else
int main(void) {
    test_init();
    printf("IFMA core not compiled in (no AVX-512 IFMA or portable build): skipped\n");
    TEST_DONE();
}
#endif
