/* Fp2: field axioms on random elements, inversion, square roots, xi. */
#include "ff/ff.h"
#include "test.h"

static void rand_fp2(fp2_t *a) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 3};
    fp_from_u256_reduce(&a->c0, v);
    uint64_t w[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 3};
    fp_from_u256_reduce(&a->c1, w);
}

int main(void) {
    test_init();
    for (int it = 0; it < 500; it++) {
        fp2_t a, b, c, t1, t2, t3;
        rand_fp2(&a); rand_fp2(&b); rand_fp2(&c);
        /* (a*b)*c = a*(b*c); a*(b+c) = ab + ac; a^2 = a*a */
        fp2_mul(&t1, &a, &b); fp2_mul(&t1, &t1, &c);
        fp2_mul(&t2, &b, &c); fp2_mul(&t2, &a, &t2);
        CHECK(fp2_eq(&t1, &t2));
        fp2_add(&t1, &b, &c); fp2_mul(&t1, &a, &t1);
        fp2_mul(&t2, &a, &b); fp2_mul(&t3, &a, &c); fp2_add(&t2, &t2, &t3);
        CHECK(fp2_eq(&t1, &t2));
        fp2_sqr(&t1, &a); fp2_mul(&t2, &a, &a);
        CHECK(fp2_eq(&t1, &t2));
        /* u^2 = -1 explicitly: (a0 + a1 u)(b0 + b1 u) real part = a0 b0 - a1 b1 */
        fp_t r0, s;
        fp_mul(&r0, &a.c0, &b.c0); fp_mul(&s, &a.c1, &b.c1); fp_sub(&r0, &r0, &s);
        fp2_mul(&t1, &a, &b);
        CHECK(fp_eq(&t1.c0, &r0));
        /* inverse */
        fp2_inv(&t1, &a); fp2_mul(&t1, &t1, &a);
        fp2_t one; fp2_one(&one);
        CHECK(fp2_eq(&t1, &one));
        fp2_inv_var(&t2, &a); fp2_inv(&t1, &a);
        CHECK(fp2_eq(&t1, &t2));
        /* xi = 9 + u */
        fp2_t xi; fp_set_u64(&xi.c0, 9); fp_one(&xi.c1);
        fp2_mul(&t1, &a, &xi); fp2_mul_xi(&t2, &a);
        CHECK(fp2_eq(&t1, &t2));
        /* sqrt of a square, and Frobenius = conjugation: a^p = conj(a) */
        fp2_sqr(&t1, &a);
        CHECK(fp2_sqrt(&t2, &t1) == ZK_OK);
        fp2_sqr(&t3, &t2);
        CHECK(fp2_eq(&t3, &t1));
        if (it < 20) {
            fp2_pow(&t1, &a, FP_MODULUS, 4);
            fp2_conj(&t2, &a);
            CHECK(fp2_eq(&t1, &t2));
        }
    }
    /* xi is not a square in Fp2 (needed for the tower), so sqrt must fail */
    fp2_t xi, r;
    fp_set_u64(&xi.c0, 9); fp_one(&xi.c1);
    CHECK(fp2_sqrt(&r, &xi) == ZK_ERR_NO_SQRT);
    /* batch inversion with a zero */
    fp2_t in[9], out[9], scratch[9];
    for (int i = 0; i < 9; i++) { if (i == 4) fp2_zero(&in[i]); else rand_fp2(&in[i]); }
    fp2_batch_inv_var(out, in, 9, scratch);
    for (int i = 0; i < 9; i++) { fp2_t e; fp2_inv(&e, &in[i]); CHECK(fp2_eq(&e, &out[i])); }
    TEST_DONE();
}
