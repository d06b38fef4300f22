/* Fp6 = Fp2[v]/(v^3 - xi), xi = 9 + u: the middle floor of the pairing tower.
 *
 * Multiplication is Karatsuba over three coefficients (6 Fp2 products instead
 * of 9), squaring is Chung-Hasan SQR2 (2 products + 3 squarings), and the
 * sparse product by b0 + b1 v (what a Miller-loop line contributes to each
 * half of an Fp12 element) takes 5 products. Everything is built on the
 * public Fp2 API, so the ADX fast path of fp_mul speeds this up unchanged. */
#include "ff.h"
#include "fp2_inline.h"

void fp6_zero(fp6_t *r) { fp2_zero(&r->c0); fp2_zero(&r->c1); fp2_zero(&r->c2); }
void fp6_one(fp6_t *r) { fp2_one(&r->c0); fp2_zero(&r->c1); fp2_zero(&r->c2); }
int fp6_is_zero(const fp6_t *a) { return fp2_is_zero(&a->c0) & fp2_is_zero(&a->c1) & fp2_is_zero(&a->c2); }
int fp6_eq(const fp6_t *a, const fp6_t *b) {
    return fp2_eq(&a->c0, &b->c0) & fp2_eq(&a->c1, &b->c1) & fp2_eq(&a->c2, &b->c2);
}

void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2i_add(&r->c0, &a->c0, &b->c0);
    fp2i_add(&r->c1, &a->c1, &b->c1);
    fp2i_add(&r->c2, &a->c2, &b->c2);
}

void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2i_sub(&r->c0, &a->c0, &b->c0);
    fp2i_sub(&r->c1, &a->c1, &b->c1);
    fp2i_sub(&r->c2, &a->c2, &b->c2);
}

void fp6_neg(fp6_t *r, const fp6_t *a) {
    fp2i_neg(&r->c0, &a->c0);
    fp2i_neg(&r->c1, &a->c1);
    fp2i_neg(&r->c2, &a->c2);
}

void fp6_dbl(fp6_t *r, const fp6_t *a) {
    fp2i_dbl(&r->c0, &a->c0);
    fp2i_dbl(&r->c1, &a->c1);
    fp2i_dbl(&r->c2, &a->c2);
}

void fp6_cmov(fp6_t *r, const fp6_t *a, int flag) {
    fp2_cmov(&r->c0, &a->c0, flag);
    fp2_cmov(&r->c1, &a->c1, flag);
    fp2_cmov(&r->c2, &a->c2, flag);
}

/* (a0 + a1 v + a2 v^2) v = xi a2 + a0 v + a1 v^2 */
void fp6_mul_v(fp6_t *r, const fp6_t *a) {
    fp2_t t;
    fp2i_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

void fp6_mul_fp2(fp6_t *r, const fp6_t *a, const fp2_t *b) {
    fp2i_mul(&r->c0, &a->c0, b);
    fp2i_mul(&r->c1, &a->c1, b);
    fp2i_mul(&r->c2, &a->c2, b);
}

/* Karatsuba: with v_i = a_i b_i,
 *   c0 = v0 + xi ((a1 + a2)(b1 + b2) - v1 - v2)
 *   c1 = (a0 + a1)(b0 + b1) - v0 - v1 + xi v2
 *   c2 = (a0 + a2)(b0 + b2) - v0 - v2 + v1 */
void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_t v0, v1, v2, s, t, c0, c1, c2;
    fp2i_mul(&v0, &a->c0, &b->c0);
    fp2i_mul(&v1, &a->c1, &b->c1);
    fp2i_mul(&v2, &a->c2, &b->c2);

    fp2i_add(&s, &a->c1, &a->c2);
    fp2i_add(&t, &b->c1, &b->c2);
    fp2i_mul(&c0, &s, &t);
    fp2i_sub(&c0, &c0, &v1);
    fp2i_sub(&c0, &c0, &v2);
    fp2i_mul_xi(&c0, &c0);
    fp2i_add(&c0, &c0, &v0);

    fp2i_add(&s, &a->c0, &a->c1);
    fp2i_add(&t, &b->c0, &b->c1);
    fp2i_mul(&c1, &s, &t);
    fp2i_sub(&c1, &c1, &v0);
    fp2i_sub(&c1, &c1, &v1);
    fp2i_mul_xi(&t, &v2);
    fp2i_add(&c1, &c1, &t);

    fp2i_add(&s, &a->c0, &a->c2);
    fp2i_add(&t, &b->c0, &b->c2);
    fp2i_mul(&c2, &s, &t);
    fp2i_sub(&c2, &c2, &v0);
    fp2i_sub(&c2, &c2, &v2);
    fp2i_add(&c2, &c2, &v1);

    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* Chung-Hasan SQR2: s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2,
 * s3 = 2 a1 a2, s4 = a2^2; c0 = s0 + xi s3, c1 = s1 + xi s4,
 * c2 = s1 + s2 + s3 - s0 - s4. */
void fp6_sqr(fp6_t *r, const fp6_t *a) {
    fp2_t s0, s1, s2, s3, s4, t;
    fp2i_sqr(&s0, &a->c0);
    fp2i_mul(&s1, &a->c0, &a->c1);
    fp2i_dbl(&s1, &s1);
    fp2i_sub(&t, &a->c0, &a->c1);
    fp2i_add(&t, &t, &a->c2);
    fp2i_sqr(&s2, &t);
    fp2i_mul(&s3, &a->c1, &a->c2);
    fp2i_dbl(&s3, &s3);
    fp2i_sqr(&s4, &a->c2);

    fp2i_add(&t, &s1, &s2);
    fp2i_add(&t, &t, &s3);
    fp2i_sub(&t, &t, &s0);
    fp2i_sub(&r->c2, &t, &s4);
    fp2i_mul_xi(&t, &s3);
    fp2i_add(&r->c0, &s0, &t);
    fp2i_mul_xi(&t, &s4);
    fp2i_add(&r->c1, &s1, &t);
}

/* (a0 + a1 v + a2 v^2)(b0 + b1 v)
 *   = (a0 b0 + xi a2 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) v + (a2 b0 + a1 b1) v^2 */
void fp6_mul_by_01(fp6_t *r, const fp6_t *a, const fp2_t *b0, const fp2_t *b1) {
    fp2_t v0, v1, s, t, c0, c1, c2;
    fp2i_mul(&v0, &a->c0, b0);
    fp2i_mul(&v1, &a->c1, b1);
    fp2i_mul(&c0, &a->c2, b1);
    fp2i_mul_xi(&c0, &c0);
    fp2i_add(&c0, &c0, &v0);
    fp2i_add(&s, &a->c0, &a->c1);
    fp2i_add(&t, b0, b1);
    fp2i_mul(&c1, &s, &t);
    fp2i_sub(&c1, &c1, &v0);
    fp2i_sub(&c1, &c1, &v1);
    fp2i_mul(&c2, &a->c2, b0);
    fp2i_add(&c2, &c2, &v1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* Norm-based inversion: with c0 = a0^2 - xi a1 a2, c1 = xi a2^2 - a0 a1,
 * c2 = a1^2 - a0 a2 (the adjugate), a * (c0 + c1 v + c2 v^2) = t in Fp2 where
 * t = a0 c0 + xi (a2 c1 + a1 c2). */
static void fp6_inv_with(fp6_t *r, const fp6_t *a, void (*inv)(fp2_t *, const fp2_t *)) {
    fp2_t c0, c1, c2, t, s;
    fp2i_sqr(&c0, &a->c0);
    fp2i_mul(&t, &a->c1, &a->c2);
    fp2i_mul_xi(&t, &t);
    fp2i_sub(&c0, &c0, &t);

    fp2i_sqr(&c1, &a->c2);
    fp2i_mul_xi(&c1, &c1);
    fp2i_mul(&t, &a->c0, &a->c1);
    fp2i_sub(&c1, &c1, &t);

    fp2i_sqr(&c2, &a->c1);
    fp2i_mul(&t, &a->c0, &a->c2);
    fp2i_sub(&c2, &c2, &t);

    fp2i_mul(&t, &a->c2, &c1);
    fp2i_mul(&s, &a->c1, &c2);
    fp2i_add(&t, &t, &s);
    fp2i_mul_xi(&t, &t);
    fp2i_mul(&s, &a->c0, &c0);
    fp2i_add(&t, &t, &s);
    inv(&t, &t);

    fp2i_mul(&r->c0, &c0, &t);
    fp2i_mul(&r->c1, &c1, &t);
    fp2i_mul(&r->c2, &c2, &t);
}

void fp6_inv(fp6_t *r, const fp6_t *a) { fp6_inv_with(r, a, fp2_inv); }
void fp6_inv_var(fp6_t *r, const fp6_t *a) { fp6_inv_with(r, a, fp2_inv_var); }
