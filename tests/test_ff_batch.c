/* The batched Fp products of ff/fp_batch.h (internal; IFMA when built for
 * it, scalar otherwise) against GMP and against the scalar Montgomery
 * product, over the whole contract a < 2^256, a b < p 2^256: random values,
 * lazy sums (< 2p), 0, 1, p - 1, 2p - 1, 2^256 - 1 and values near
 * 2^256 - p; and the Fp2 slot helpers against fp2_mul / fp2_sqr. */
#include <gmp.h>

#include "ff/ff.h"
#include "ff/ff_constants.h"
#include "ff/fp_batch.h" /* internal */
#include "test.h"

static void mpz_from_limbs(mpz_t z, const uint64_t v[4]) { mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, v); }
static void limbs_from_mpz(uint64_t v[4], const mpz_t z) {
    memset(v, 0, 32);
    mpz_export(v, NULL, -1, sizeof(uint64_t), 0, 0, z);
}

/* A value for one side of a product; kind picks the range. */
static void pick(mpz_t r, const mpz_t p, int kind) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64()};
    mpz_t t;
    mpz_init(t);
    switch (kind) {
    case 0: mpz_set_ui(r, 0); break;
    case 1: mpz_set_ui(r, 1); break;
    case 2: mpz_sub_ui(r, p, 1); break;                /* p - 1 */
    case 3: mpz_mul_2exp(r, p, 1); mpz_sub_ui(r, r, 1); break; /* 2p - 1: lazy sum bound */
    case 4: mpz_from_limbs(r, v); mpz_mod(r, r, p); break;     /* reduced */
    case 5: mpz_from_limbs(r, v); mpz_mul_2exp(t, p, 1); mpz_mod(r, r, t); break; /* < 2p */
    default: mpz_from_limbs(r, v); break;              /* anything < 2^256 */
    }
    mpz_clear(t);
}

int main(void) {
    test_init();
    mpz_t p, a, b, e, lim, r2inv, t;
    mpz_inits(p, a, b, e, lim, r2inv, t, NULL);
    mpz_from_limbs(p, FP_MOD);
    mpz_mul_2exp(lim, p, 256); /* a b must stay below p 2^256 */
    mpz_set_ui(t, 1);
    mpz_mul_2exp(t, t, 256);
    mpz_invert(r2inv, t, p); /* 2^-256 mod p */

    enum { N = 64 };
    for (int it = 0; it < 400; it++) {
        fp_t A[N], B[N], R[N], S[N];
        for (int i = 0; i < N; i++) {
            /* a: any kind; b: any kind, then clamped into the contract */
            pick(a, p, (int)(test_rand64() % 7));
            pick(b, p, (int)(test_rand64() % 6));
            if (i == 0) { /* 2^256 - 1 against p - 1: the extreme of the contract */
                mpz_set_ui(a, 1); mpz_mul_2exp(a, a, 256); mpz_sub_ui(a, a, 1);
                mpz_sub_ui(b, p, 1);
            } else if (i == 1) { /* 2^256 - p + small: just above the lazy range */
                mpz_set_ui(a, 1); mpz_mul_2exp(a, a, 256); mpz_sub(a, a, p);
                mpz_add_ui(a, a, test_rand64() & 0xff);
                mpz_sub_ui(b, p, 1 + (test_rand64() & 0xff));
            }
            mpz_mul(t, a, b);
            if (mpz_cmp(t, lim) >= 0) mpz_mod(b, b, p); /* a < 2^256, b < p: always fine */
            limbs_from_mpz(A[i].l, a);
            limbs_from_mpz(B[i].l, b);
        }
        fpb_mul(R, A, B, N);
        for (int i = 0; i < N; i++) {
            mpz_from_limbs(a, A[i].l);
            mpz_from_limbs(b, B[i].l);
            mpz_mul(e, a, b);
            mpz_mul(e, e, r2inv);
            mpz_mod(e, e, p);
            mpz_from_limbs(t, R[i].l);
            CHECK_MSG(mpz_cmp(t, e) == 0, "fpb_mul slot %d", i);
            mont_mul(S[i].l, A[i].l, B[i].l, FP_MOD, FP_N0); /* the scalar core */
            CHECK(memcmp(S[i].l, R[i].l, 32) == 0);
        }
        /* in place (r == a) */
        memcpy(S, A, sizeof S);
        fpb_mul(S, S, B, N);
        CHECK(memcmp(S, R, sizeof S) == 0);
    }

    /* the Fp2 slot helpers against the public Fp2 product and square */
    for (int it = 0; it < 2000; it++) {
        fp2_t x, y, r1, r2;
        fp_t A[8], B[8], P[8];
        fp_t *c[4] = {&x.c0, &x.c1, &y.c0, &y.c1};
        for (int k = 0; k < 4; k++) {
            pick(a, p, (int)(test_rand64() % 3 == 0 ? test_rand64() % 3 : 4)); /* reduced */
            mpz_mod(a, a, p);
            limbs_from_mpz(c[k]->l, a);
        }
        memset(A, 0, sizeof A);
        memset(B, 0, sizeof B);
        fp2b_mul_in(A, B, &x, &y);
        fp2b_sqr_in(A + 3, B + 3, &x);
        fpb_mul(P, A, B, 8);
        fp2b_mul_out(&r1, P);
        fp2_mul(&r2, &x, &y);
        CHECK(fp2_eq(&r1, &r2));
        fp2b_sqr_out(&r1, P + 3);
        fp2_sqr(&r2, &x);
        CHECK(fp2_eq(&r1, &r2));
    }
    mpz_clears(p, a, b, e, lim, r2inv, t, NULL);
    TEST_DONE();
}
