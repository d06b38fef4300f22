/* Internal to the MSM: the field operations its template (msm_impl.h) calls,
 * under the prefixes mfp (G1, Fp) and mfp2 (G2, Fp2).
 *
 * The arithmetic itself is ff's inline layer (fp2_inline.h: fpi_* / fp2i_*,
 * the Montgomery core inlined instead of called through fp.c / fp2.c, which
 * matters in the batched affine additions: a few products each). What is
 * added here is specific to the MSM's batches, which invert in the base
 * field only: mfpX_norm(n, d) gives an Fp element n with
 * 1/d = adj(d) / n, and mfpX_div(r, num, d, inv) = num / d from inv = 1/n.
 * For Fp, n = d; for Fp2, 1/(a + bu) = (a - bu) / (a^2 + b^2), so a batch of
 * Fp2 denominators shares one Fp inversion and the division costs a product
 * by the conjugate (3 Fp products) and two Fp products. */
#ifndef ZKPOS_EC_MSM_FIELD_H
#define ZKPOS_EC_MSM_FIELD_H

#include "../ff/fp2_inline.h"

#define mfp_add fpi_add
#define mfp_sub fpi_sub
#define mfp_dbl fpi_dbl
#define mfp_neg fpi_neg
#define mfp_mul fpi_mul
#define mfp_sqr fpi_sqr
#define mfp_one fpi_one
#define mfp_eq fpi_eq
ZK_INLINE void mfp_inv_var(fp_t *r, const fp_t *a) { fp_inv_var(r, a); }
ZK_INLINE void mfp_norm(fp_t *n, const fp_t *d) { *n = *d; }
ZK_INLINE void mfp_div(fp_t *r, const fp_t *num, const fp_t *d, const fp_t *inv) {
    (void)d;
    fpi_mul(r, num, inv);
}

#define mfp2_add fp2i_add
#define mfp2_sub fp2i_sub
#define mfp2_dbl fp2i_dbl
#define mfp2_neg fp2i_neg
#define mfp2_mul fp2i_mul
#define mfp2_sqr fp2i_sqr
ZK_INLINE int mfp2_eq(const fp2_t *a, const fp2_t *b) { return fpi_eq(&a->c0, &b->c0) & fpi_eq(&a->c1, &b->c1); }

/* a * (b0 - b1 u), without forming the conjugate:
 * (a0 b0 + a1 b1) + ((a0 + a1)(b0 - b1) - a0 b0 + a1 b1) u */
ZK_INLINE void mfp2_mul_conj(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_t v0, v1, s, t;
    fpi_mul(&v0, &a->c0, &b->c0);
    fpi_mul(&v1, &a->c1, &b->c1);
    fpi_add_lazy(&s, &a->c0, &a->c1);
    fpi_sub(&t, &b->c0, &b->c1);
    fpi_mul(&s, &s, &t);
    fpi_add(&r->c0, &v0, &v1);
    fpi_sub(&t, &v1, &v0);
    fpi_add(&r->c1, &s, &t);
}

ZK_INLINE void mfp2_norm(fp_t *n, const fp2_t *d) {
    fp_t t;
    fpi_sqr(n, &d->c0);
    fpi_sqr(&t, &d->c1);
    fpi_add(n, n, &t);
}

ZK_INLINE void mfp2_div(fp2_t *r, const fp2_t *num, const fp2_t *d, const fp_t *inv) {
    mfp2_mul_conj(r, num, d);
    fpi_mul(&r->c0, &r->c0, inv);
    fpi_mul(&r->c1, &r->c1, inv);
}

#endif
