/* Fp2 = Fp[u]/(u^2 + 1), the field of G2 coordinates.
 *
 * Karatsuba multiplication (3 Fp products) and the complex squaring
 * (2 products), in fp2_inline.h; square root by Adj and Rodriguez-Henriquez's algorithm for
 * p = 3 mod 4, which needs only exponentiations by fixed public exponents. */
#include "ff.h"
#include "ff_constants.h"
#include "fp2_inline.h"

void fp2_zero(fp2_t *r) { fp_zero(&r->c0); fp_zero(&r->c1); }
void fp2_one(fp2_t *r) { fp_one(&r->c0); fp_zero(&r->c1); }
int fp2_is_zero(const fp2_t *a) { return fp_is_zero(&a->c0) & fp_is_zero(&a->c1); }
int fp2_eq(const fp2_t *a, const fp2_t *b) { return fp_eq(&a->c0, &b->c0) & fp_eq(&a->c1, &b->c1); }
void fp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b) { fp_add(&r->c0, &a->c0, &b->c0); fp_add(&r->c1, &a->c1, &b->c1); }
void fp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b) { fp_sub(&r->c0, &a->c0, &b->c0); fp_sub(&r->c1, &a->c1, &b->c1); }
void fp2_neg(fp2_t *r, const fp2_t *a) { fp_neg(&r->c0, &a->c0); fp_neg(&r->c1, &a->c1); }
void fp2_dbl(fp2_t *r, const fp2_t *a) { fp_dbl(&r->c0, &a->c0); fp_dbl(&r->c1, &a->c1); }
void fp2_conj(fp2_t *r, const fp2_t *a) { r->c0 = a->c0; fp_neg(&r->c1, &a->c1); }
void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b) { fp_mul(&r->c0, &a->c0, b); fp_mul(&r->c1, &a->c1, b); }
void fp2_cmov(fp2_t *r, const fp2_t *a, int flag) { fp_cmov(&r->c0, &a->c0, flag); fp_cmov(&r->c1, &a->c1, flag); }

/* The formulas live once, inline, in fp2_inline.h (the tower uses them
 * there); these are the public out-of-line entry points. */
void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) { fp2i_mul(r, a, b); }
void fp2_sqr(fp2_t *r, const fp2_t *a) { fp2i_sqr(r, a); }
void fp2_mul_xi(fp2_t *r, const fp2_t *a) { fp2i_mul_xi(r, a); }

/* 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2) */
static void fp2_inv_with(fp2_t *r, const fp2_t *a, void (*inv)(fp_t *, const fp_t *)) {
    fp_t n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
}
void fp2_inv(fp2_t *r, const fp2_t *a) { fp2_inv_with(r, a, fp_inv); }
void fp2_inv_var(fp2_t *r, const fp2_t *a) { fp2_inv_with(r, a, fp_inv_var); }

void fp2_batch_inv_var(fp2_t *out, const fp2_t *in, size_t n, fp2_t *scratch) {
    if (n == 0) return;
    fp2_t acc;
    fp2_one(&acc);
    for (size_t i = 0; i < n; i++) {
        scratch[i] = acc;
        if (!fp2_is_zero(&in[i])) fp2_mul(&acc, &acc, &in[i]);
    }
    fp2_inv_var(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (fp2_is_zero(&in[i])) { fp2_zero(&out[i]); continue; }
        fp2_t t;
        fp2_mul(&t, &acc, &scratch[i]);
        fp2_mul(&acc, &acc, &in[i]);
        out[i] = t;
    }
}

void fp2_pow(fp2_t *r, const fp2_t *a, const uint64_t *e, size_t e_limbs) {
    fp2_t acc, t, base = *a;
    fp2_one(&acc);
    for (size_t i = e_limbs; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            fp2_sqr(&acc, &acc);
            fp2_mul(&t, &acc, &base);
            fp2_cmov(&acc, &t, (int)((e[i] >> b) & 1));
        }
    }
    *r = acc;
}

/* Adj & Rodriguez-Henriquez, "Square root computation over even extension
 * fields", Algorithm 9 (q = 3 mod 4). Branches depend only on whether a is a
 * square and on alpha == -1, which is fine for public inputs (decompression);
 * the result is verified by squaring. */
zk_err fp2_sqrt(fp2_t *r, const fp2_t *a) {
    fp2_t a1, alpha, x0, minus1, t;
    fp2_pow(&a1, a, FP_MOD_MINUS_3_QUARTER, 4);
    fp2_sqr(&alpha, &a1);
    fp2_mul(&alpha, &alpha, a);
    fp2_mul(&x0, &a1, a);
    fp2_one(&minus1);
    fp2_neg(&minus1, &minus1);
    if (fp2_eq(&alpha, &minus1)) {
        /* x = u * x0 */
        fp_t c0;
        fp_neg(&c0, &x0.c1);
        t.c1 = x0.c0;
        t.c0 = c0;
    } else {
        fp2_t b, one;
        fp2_one(&one);
        fp2_add(&b, &alpha, &one);
        fp2_pow(&b, &b, FP_MOD_MINUS_1_HALF, 4);
        fp2_mul(&t, &b, &x0);
    }
    fp2_t chk;
    fp2_sqr(&chk, &t);
    *r = t;
    return fp2_eq(&chk, a) ? ZK_OK : ZK_ERR_NO_SQRT;
}

int fp2_is_lexicographically_largest(const fp2_t *a) {
    if (!fp_is_zero(&a->c1)) return fp_is_lexicographically_largest(&a->c1);
    return fp_is_lexicographically_largest(&a->c0);
}
