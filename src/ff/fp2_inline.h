/* Internal: Fp and Fp2 arithmetic as static inline functions over the
 * Montgomery core (mont.h), for the inner loops of the tower (fp6.c,
 * fp12.c), of the pairing and of the point formulas (ec).
 *
 * Why: an Fp12 product is 54 Fp products and about 200 additions; through
 * the out-of-line fp_* / fp2_* API every one of them is a call (the adds
 * being a dozen instructions, the call costs as much as the work). Inlining
 * them into the tower's formulas removes that overhead, and the compiler can
 * keep the modulus and intermediate limbs in registers.
 *
 * The formulas are the ones of fp2.c (Karatsuba product, complex squaring,
 * multiplication by xi = 9 + u); ff.h's fp2_* functions stay the public API.
 * All functions allow aliasing of outputs and inputs and are constant time. */
#ifndef ZKPOS_FF_FP2_INLINE_H
#define ZKPOS_FF_FP2_INLINE_H

#include <string.h>

#include "ff.h"
#include "ff_constants.h"
#include "mont.h"

ZK_INLINE void fpi_add(fp_t *r, const fp_t *a, const fp_t *b) { mont_add(r->l, a->l, b->l, FP_MOD); }
ZK_INLINE void fpi_sub(fp_t *r, const fp_t *a, const fp_t *b) { mont_sub(r->l, a->l, b->l, FP_MOD); }
ZK_INLINE void fpi_dbl(fp_t *r, const fp_t *a) { mont_add(r->l, a->l, a->l, FP_MOD); }
ZK_INLINE void fpi_neg(fp_t *r, const fp_t *a) { mont_neg(r->l, a->l, FP_MOD); }
ZK_INLINE void fpi_mul(fp_t *r, const fp_t *a, const fp_t *b) { mont_mul(r->l, a->l, b->l, FP_MOD, FP_N0); }
ZK_INLINE void fpi_sqr(fp_t *r, const fp_t *a) { mont_sqr(r->l, a->l, FP_MOD, FP_N0); }
ZK_INLINE int fpi_is_zero(const fp_t *a) { return mont_is_zero(a->l); }
ZK_INLINE int fpi_eq(const fp_t *a, const fp_t *b) { return mont_eq(a->l, b->l); }
ZK_INLINE void fpi_zero(fp_t *r) { memset(r, 0, sizeof *r); }
ZK_INLINE void fpi_one(fp_t *r) { memcpy(r->l, FP_R1, sizeof r->l); }
ZK_INLINE void fpi_cmov(fp_t *r, const fp_t *a, int flag) {
    uint64_t mask = 0 - (uint64_t)(flag != 0);
    for (int i = 0; i < 4; i++) r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

ZK_INLINE void fp2i_add(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fpi_add(&r->c0, &a->c0, &b->c0);
    fpi_add(&r->c1, &a->c1, &b->c1);
}
ZK_INLINE void fp2i_sub(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fpi_sub(&r->c0, &a->c0, &b->c0);
    fpi_sub(&r->c1, &a->c1, &b->c1);
}
ZK_INLINE void fp2i_dbl(fp2_t *r, const fp2_t *a) {
    fpi_dbl(&r->c0, &a->c0);
    fpi_dbl(&r->c1, &a->c1);
}
ZK_INLINE void fp2i_neg(fp2_t *r, const fp2_t *a) {
    fpi_neg(&r->c0, &a->c0);
    fpi_neg(&r->c1, &a->c1);
}
ZK_INLINE void fp2i_conj(fp2_t *r, const fp2_t *a) {
    r->c0 = a->c0;
    fpi_neg(&r->c1, &a->c1);
}
ZK_INLINE void fp2i_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b) {
    fpi_mul(&r->c0, &a->c0, b);
    fpi_mul(&r->c1, &a->c1, b);
}

/* Sums below 2m are valid Montgomery-product inputs (mont.h: a, b < 2m give
 * a reduced result), so the Karatsuba and squaring sums skip their reduction. */
ZK_INLINE void fpi_add_lazy(fp_t *r, const fp_t *a, const fp_t *b) { mont_add_raw(r->l, a->l, b->l); }
/* a - b + m, in [1, 2m) */
ZK_INLINE void fpi_sub_lazy(fp_t *r, const fp_t *a, const fp_t *b) {
    uint64_t t[4];
    mont_add_raw(t, a->l, FP_MOD);
    mont_sub_raw(r->l, t, b->l);
}

/* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u */
ZK_INLINE void fp2i_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_t v0, v1, s, t;
    fpi_mul(&v0, &a->c0, &b->c0);
    fpi_mul(&v1, &a->c1, &b->c1);
    fpi_add_lazy(&s, &a->c0, &a->c1);
    fpi_add_lazy(&t, &b->c0, &b->c1);
    fpi_mul(&s, &s, &t);
    fpi_sub(&r->c0, &v0, &v1);
    fpi_sub(&s, &s, &v0);
    fpi_sub(&r->c1, &s, &v1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
ZK_INLINE void fp2i_sqr(fp2_t *r, const fp2_t *a) {
    fp_t s, d, m;
    fpi_add_lazy(&s, &a->c0, &a->c1);
    fpi_sub_lazy(&d, &a->c0, &a->c1);
    fpi_mul(&m, &a->c0, &a->c1);
    fpi_mul(&r->c0, &s, &d);
    fpi_dbl(&r->c1, &m);
}

/* (9 + u)(a0 + a1 u) = (9 a0 - a1) + (a0 + 9 a1) u */
ZK_INLINE void fp2i_mul_xi(fp2_t *r, const fp2_t *a) {
    fp_t t0, t1;
    fpi_dbl(&t0, &a->c0);
    fpi_dbl(&t0, &t0);
    fpi_dbl(&t0, &t0);
    fpi_add(&t0, &t0, &a->c0);
    fpi_sub(&t0, &t0, &a->c1);
    fpi_dbl(&t1, &a->c1);
    fpi_dbl(&t1, &t1);
    fpi_dbl(&t1, &t1);
    fpi_add(&t1, &t1, &a->c1);
    fpi_add(&r->c1, &t1, &a->c0);
    r->c0 = t0;
}

#endif
