/* Internal to the MSM: Fp and Fp2 operations inlined from the Montgomery core
 * (mont.h) instead of called through fp.c / fp2.c.
 *
 * Why: the batched affine bucket additions are a handful of multiplications
 * each, so call overhead and the missed scheduling across calls are a
 * visible share of the MSM; inlining them is worth ~20-30 % on G2.
 * Fp2 products are Karatsuba (3 Fp products), with the operand sums left
 * unreduced (< 2p) when the ADX multiplication is used, whose bounds allow
 * inputs below 2p (see mont_x86_64.h).
 *
 * Also the two hooks msm_impl.h needs to invert in the base field only:
 * mfpX_norm(n, d) gives an Fp element n with 1/d = mfpX_adj(d) / n, so a
 * batch of Fp2 denominators shares one Fp inversion: 1/(a + bu) =
 * (a - bu) / (a^2 + b^2). */
#ifndef ZKPOS_EC_MSM_FIELD_H
#define ZKPOS_EC_MSM_FIELD_H

#include <string.h>

#include "../ff/ff.h"
#include "../ff/ff_constants.h"
#include "../ff/mont.h"

ZK_INLINE void mfp_add(fp_t *r, const fp_t *a, const fp_t *b) { mont_add(r->l, a->l, b->l, FP_MOD); }
ZK_INLINE void mfp_sub(fp_t *r, const fp_t *a, const fp_t *b) { mont_sub(r->l, a->l, b->l, FP_MOD); }
ZK_INLINE void mfp_dbl(fp_t *r, const fp_t *a) { mont_add(r->l, a->l, a->l, FP_MOD); }
ZK_INLINE void mfp_neg(fp_t *r, const fp_t *a) { mont_neg(r->l, a->l, FP_MOD); }
ZK_INLINE void mfp_mul(fp_t *r, const fp_t *a, const fp_t *b) { mont_mul(r->l, a->l, b->l, FP_MOD, FP_N0); }
ZK_INLINE void mfp_sqr(fp_t *r, const fp_t *a) { mont_sqr(r->l, a->l, FP_MOD, FP_N0); }
ZK_INLINE void mfp_one(fp_t *r) { memcpy(r->l, FP_R1, sizeof r->l); }
ZK_INLINE int mfp_eq(const fp_t *a, const fp_t *b) { return mont_eq(a->l, b->l); }
ZK_INLINE void mfp_inv_var(fp_t *r, const fp_t *a) { fp_inv_var(r, a); }
/* Fp is its own "norm": n = d, adj(d) = 1 is implicit in mfp_div. */
ZK_INLINE void mfp_norm(fp_t *n, const fp_t *d) { *n = *d; }
/* r = num / d given inv = 1 / norm(d) */
ZK_INLINE void mfp_div(fp_t *r, const fp_t *num, const fp_t *d, const fp_t *inv) {
    (void)d;
    mfp_mul(r, num, inv);
}

/* a + b for a product operand: unreduced (< 2p) where the multiplication allows it */
ZK_INLINE void mfp_add_lazy(fp_t *r, const fp_t *a, const fp_t *b) {
#ifdef ZK_HAVE_MONT_ADX
    mont_add_raw(r->l, a->l, b->l);
#else
    mfp_add(r, a, b);
#endif
}

ZK_INLINE void mfp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b) { mfp_add(&r->c0, &a->c0, &b->c0); mfp_add(&r->c1, &a->c1, &b->c1); }
ZK_INLINE void mfp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b) { mfp_sub(&r->c0, &a->c0, &b->c0); mfp_sub(&r->c1, &a->c1, &b->c1); }
ZK_INLINE void mfp2_dbl(fp2_t *r, const fp2_t *a) { mfp_dbl(&r->c0, &a->c0); mfp_dbl(&r->c1, &a->c1); }
ZK_INLINE void mfp2_neg(fp2_t *r, const fp2_t *a) { mfp_neg(&r->c0, &a->c0); mfp_neg(&r->c1, &a->c1); }
ZK_INLINE void mfp2_one(fp2_t *r) { mfp_one(&r->c0); memset(&r->c1, 0, sizeof r->c1); }
ZK_INLINE int mfp2_eq(const fp2_t *a, const fp2_t *b) { return mfp_eq(&a->c0, &b->c0) & mfp_eq(&a->c1, &b->c1); }

/* (a0 + a1 u)(b0 + b1 u), u^2 = -1: Karatsuba, 3 products */
ZK_INLINE void mfp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_t v0, v1, s, t;
    mfp_mul(&v0, &a->c0, &b->c0);
    mfp_mul(&v1, &a->c1, &b->c1);
    mfp_add_lazy(&s, &a->c0, &a->c1);
    mfp_add_lazy(&t, &b->c0, &b->c1);
    mfp_mul(&s, &s, &t);
    mfp_sub(&r->c0, &v0, &v1);
    mfp_add(&t, &v0, &v1);
    mfp_sub(&r->c1, &s, &t);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u: 2 products */
ZK_INLINE void mfp2_sqr(fp2_t *r, const fp2_t *a) {
    fp_t s, d, m;
    mfp_add_lazy(&s, &a->c0, &a->c1);
    mfp_sub(&d, &a->c0, &a->c1);
    mfp_mul(&m, &a->c0, &a->c1);
    mfp_mul(&r->c0, &s, &d);
    mfp_dbl(&r->c1, &m);
}

/* a * (b0 - b1 u), without forming the conjugate: (a0 b0 + a1 b1) + (a1 b0 - a0 b1) u */
ZK_INLINE void mfp2_mul_conj(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_t v0, v1, s, t;
    mfp_mul(&v0, &a->c0, &b->c0);
    mfp_mul(&v1, &a->c1, &b->c1);
    /* (a0 + a1)(b0 - b1) = a0 b0 - a0 b1 + a1 b0 - a1 b1 */
    mfp_add_lazy(&s, &a->c0, &a->c1);
    mfp_sub(&t, &b->c0, &b->c1);
    mfp_mul(&s, &s, &t);
    mfp_add(&r->c0, &v0, &v1);
    mfp_sub(&t, &v1, &v0);
    mfp_add(&r->c1, &s, &t); /* s - v0 + v1 = a1 b0 - a0 b1 */
}

ZK_INLINE void mfp2_norm(fp_t *n, const fp2_t *d) {
    fp_t t;
    mfp_sqr(n, &d->c0);
    mfp_sqr(&t, &d->c1);
    mfp_add(n, n, &t);
}

ZK_INLINE void mfp2_div(fp2_t *r, const fp2_t *num, const fp2_t *d, const fp_t *inv) {
    mfp2_mul_conj(r, num, d);
    mfp_mul(&r->c0, &r->c0, inv);
    mfp_mul(&r->c1, &r->c1, inv);
}

#endif
