/* Internal to the MSM: the batched affine additions on 8 lanes with
 * AVX-512 IFMA, on top of ff's radix-2^52 Montgomery product (mont_ifma.h:
 * m52x8, m52_mul, m52_norm).
 *
 * Why: a batch of affine bucket additions is hundreds of independent
 * additions, i.e. data parallel, and eight 52-bit-limb Montgomery products
 * cost about as much time as three 64-bit-limb ones. Only the hot kernel
 * uses this; points, buckets and everything else stay fp_t.
 *
 * Domain: ff's NTT keeps data in the R = 2^256 domain and scales its
 * constant operand instead, but here both operands of every product are
 * data. So gathered values are taken into the domain of R' = 2^260 that
 * m52_mul works in: x' = 16 x (mod p) for the fp_t value x, which is just a
 * 4-bit shift while re-splitting the limbs (vfp_from_fp); products of such
 * values stay in it (16a 16b / 2^260 = 16 ab / 2^256), and the way back is
 * a division by 16 mod p (p + k p = 0 mod 16 for k = 9 x mod 16, as
 * p = 7 mod 16) before the canonical store (vfp_to_fp).
 *
 * Bounds (p ~ 2^253.6, 2^260 ~ 84.9 p), values kept lazily reduced: m52_mul
 * needs normalized limbs (< 2^52, so the value is < 2^260) and returns a
 * normalized value below a b / 2^260 + p (below 1.76 p for a, b < 8p).
 * Subtractions add a multiple c p of p written with limbs >= 2^52, so no
 * limb goes negative (valid while the subtrahend is below (c - 1) p).
 * Callers track the bounds (noted at every step) and reduce with vfp_red
 * where a value would grow past ~80 p; vfp_red estimates floor(v / p) from
 * the top limb in double precision (never over, at most one under) and
 * returns v - k p < 2p. */
#ifndef ZKPOS_EC_MSM_IFMA_H
#define ZKPOS_EC_MSM_IFMA_H

#include <immintrin.h>
#include <string.h>

#include "../ff/ff.h"
#include "../ff/ff_constants.h"
#include "../ff/mont.h"
#include "../ff/mont_ifma.h"

#define VFP_MASK52 M52_MASK

typedef m52x8 vfp_t;

/* multiples c p used by the subtractions */
enum { VFP_M3, VFP_M5, VFP_M17, VFP_M34, VFP_NM };
static const unsigned vfp_m_factor[VFP_NM] = {3, 5, 17, 34};

/* Constants, computed from FP_MOD / FP_N0 (cheap; once per MSM). */
typedef struct {
    m52_mod mod;          /* p, -1/p mod 2^52 */
    __m512i one[5];       /* R' mod p (as 16 R), for neutral lanes of products */
    __m512d inv_ptop;     /* 1 / (p >> 208 + 2) */
    __m512i m[VFP_NM][5]; /* c p with borrow-safe limbs, c = vfp_m_factor[VFP_M*] */
} vfp_const;

/* 4 x 64 (< 2^254) -> 5 x 52 limbs of v << 4 */
ZK_INLINE void vfp_split16(uint64_t o[5], const uint64_t v[4]) {
    o[0] = (v[0] << 4) & VFP_MASK52;
    o[1] = ((v[0] >> 48) | (v[1] << 16)) & VFP_MASK52;
    o[2] = ((v[1] >> 36) | (v[2] << 28)) & VFP_MASK52;
    o[3] = ((v[2] >> 24) | (v[3] << 40)) & VFP_MASK52;
    o[4] = v[3] >> 12;
}

static void vfp_const_init(vfp_const *K) {
    uint64_t p52[5], w[5];
    m52_mod_init(&K->mod, FP_MOD, FP_N0, FP_R1);
    m52_split(p52, FP_MOD);
    vfp_split16(w, FP_R1);
    for (int i = 0; i < 5; i++) K->one[i] = _mm512_set1_epi64((long long)w[i]);
    /* 1 / (ptop + 2): the estimate of floor(v / p) in vfp_red never exceeds it */
    K->inv_ptop = _mm512_set1_pd(1.0 / (double)(p52[4] + 2));
    for (int c = 0; c < VFP_NM; c++) {
        /* c p in radix 2^52 (limbs normalized, top limb whatever is left) */
        uint64_t s[5];
        zk_u128 carry = 0;
        for (int i = 0; i < 5; i++) {
            carry += (zk_u128)p52[i] * vfp_m_factor[c];
            s[i] = (uint64_t)carry & VFP_MASK52;
            carry >>= 52;
        }
        s[4] += (uint64_t)carry << 52;
        /* borrow 2^52 into every lower limb: limbs 0..3 become >= 2^52 - 1 */
        s[0] += UINT64_C(1) << 52;
        for (int i = 1; i < 4; i++) s[i] += (UINT64_C(1) << 52) - 1;
        s[4] -= 1;
        for (int i = 0; i < 5; i++) K->m[c][i] = _mm512_set1_epi64((long long)s[i]);
    }
}

/* carries so that limbs 0..3 are < 2^52 (non-negative limbs, or any limbs
 * of a non-negative value) */
ZK_INLINE void vfp_norm(vfp_t *r) { m52_norm(r->l, _mm512_set1_epi64((long long)VFP_MASK52), 0); }
ZK_INLINE void vfp_norm_signed(vfp_t *r) { m52_norm(r->l, _mm512_set1_epi64((long long)VFP_MASK52), 1); }

/* r = a b / 2^260 mod p (not reduced, see the bounds above) */
ZK_INLINE void vfp_mul(vfp_t *r, const vfp_t *a, const vfp_t *b, const vfp_const *K) { m52_mul(r, a, b, &K->mod); }

/* r = a + b */
ZK_INLINE void vfp_add(vfp_t *r, const vfp_t *a, const vfp_t *b) {
    for (int i = 0; i < 5; i++) r->l[i] = _mm512_add_epi64(a->l[i], b->l[i]);
    vfp_norm(r);
}

/* r = a + c p - b, for b < (c - 1) p */
ZK_INLINE void vfp_sub(vfp_t *r, const vfp_t *a, const vfp_t *b, int mc, const vfp_const *K) {
    for (int i = 0; i < 5; i++)
        r->l[i] = _mm512_sub_epi64(_mm512_add_epi64(a->l[i], K->m[mc][i]), b->l[i]);
    vfp_norm(r);
}

/* r = c p - a, for a < (c - 1) p */
ZK_INLINE void vfp_negc(vfp_t *r, const vfp_t *a, int mc, const vfp_const *K) {
    for (int i = 0; i < 5; i++) r->l[i] = _mm512_sub_epi64(K->m[mc][i], a->l[i]);
    vfp_norm(r);
}

/* v < 2^261 with normalized limbs 0..3 -> r = v mod p, r < 2p */
ZK_INLINE void vfp_red(vfp_t *r, const vfp_t *v, const vfp_const *K) {
    const __m512i z = _mm512_setzero_si512();
    __m512i k = _mm512_cvttpd_epu64(_mm512_mul_pd(_mm512_cvtepu64_pd(v->l[4]), K->inv_ptop));
    __m512i lo[5], hi[5];
    for (int i = 0; i < 5; i++) {
        lo[i] = _mm512_madd52lo_epu64(z, k, K->mod.m[i]);
        hi[i] = _mm512_madd52hi_epu64(z, k, K->mod.m[i]);
    }
    r->l[0] = _mm512_sub_epi64(v->l[0], lo[0]);
    for (int i = 1; i < 5; i++) r->l[i] = _mm512_sub_epi64(_mm512_sub_epi64(v->l[i], lo[i]), hi[i - 1]);
    r->l[4] = _mm512_sub_epi64(r->l[4], _mm512_slli_epi64(hi[4], 52));
    vfp_norm_signed(r);
}

/* v < 2p, normalized -> the canonical fp_t value (v / 16 mod p), as 4 words
 * per lane in out[0..3] (word i of lane j in out[i] lane j) */
ZK_INLINE void vfp_to_fp(__m512i out[4], const vfp_t *v, const vfp_const *K) {
    const __m512i z = _mm512_setzero_si512(), mask = _mm512_set1_epi64((long long)VFP_MASK52);
    /* k = 9 v mod 16 makes v + k p divisible by 16 */
    __m512i k = _mm512_and_si512(_mm512_madd52lo_epu64(z, v->l[0], _mm512_set1_epi64(9)), _mm512_set1_epi64(15));
    vfp_t u;
    u.l[0] = _mm512_madd52lo_epu64(v->l[0], k, K->mod.m[0]);
    for (int i = 1; i < 5; i++)
        u.l[i] = _mm512_madd52hi_epu64(_mm512_madd52lo_epu64(v->l[i], k, K->mod.m[i]), k, K->mod.m[i - 1]);
    vfp_norm(&u);
    /* u / 16 < (2p + 15p) / 16 < 2p: one conditional subtraction */
    for (int i = 0; i < 4; i++)
        u.l[i] = _mm512_or_si512(_mm512_srli_epi64(u.l[i], 4), _mm512_and_si512(_mm512_slli_epi64(u.l[i + 1], 48), mask));
    u.l[4] = _mm512_srli_epi64(u.l[4], 4);
    /* subtract p unless that goes negative */
    vfp_t w;
    for (int i = 0; i < 5; i++) w.l[i] = _mm512_sub_epi64(u.l[i], K->mod.m[i]);
    vfp_norm_signed(&w);
    __mmask8 keep = _mm512_cmplt_epi64_mask(w.l[4], z); /* u < p */
    for (int i = 0; i < 5; i++) u.l[i] = _mm512_mask_blend_epi64(keep, w.l[i], u.l[i]);
    out[0] = _mm512_or_si512(u.l[0], _mm512_slli_epi64(u.l[1], 52));
    out[1] = _mm512_or_si512(_mm512_srli_epi64(u.l[1], 12), _mm512_slli_epi64(u.l[2], 40));
    out[2] = _mm512_or_si512(_mm512_srli_epi64(u.l[2], 24), _mm512_slli_epi64(u.l[3], 28));
    out[3] = _mm512_or_si512(_mm512_srli_epi64(u.l[3], 36), _mm512_slli_epi64(u.l[4], 16));
}

/* 4 words per lane of canonical fp_t values -> vfp (16 x, < 16 p) */
ZK_INLINE void vfp_from_fp(vfp_t *r, const __m512i w[4]) {
    const __m512i mask = _mm512_set1_epi64((long long)VFP_MASK52);
    r->l[0] = _mm512_and_si512(_mm512_slli_epi64(w[0], 4), mask);
    r->l[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w[0], 48), _mm512_slli_epi64(w[1], 16)), mask);
    r->l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w[1], 36), _mm512_slli_epi64(w[2], 28)), mask);
    r->l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(w[2], 24), _mm512_slli_epi64(w[3], 40)), mask);
    r->l[4] = _mm512_srli_epi64(w[3], 12);
}

/* Gathers the fp_t at byte addresses vaddr[lane] */
ZK_INLINE void vfp_gather(vfp_t *r, __m512i vaddr) {
    __m512i w[4];
    for (int i = 0; i < 4; i++) w[i] = _mm512_i64gather_epi64(_mm512_add_epi64(vaddr, _mm512_set1_epi64(8 * i)), NULL, 1);
    vfp_from_fp(r, w);
}

/* lanes where a = b limb for limb (equal values when both come from vfp_from_fp) */
ZK_INLINE __mmask8 vfp_eq(const vfp_t *a, const vfp_t *b) {
    __mmask8 e = 0xff;
    for (int i = 0; i < 5; i++) e &= _mm512_cmpeq_epi64_mask(a->l[i], b->l[i]);
    return e;
}

/* Scatters the canonical values of v (< 2p) to byte addresses vaddr[lane] */
ZK_INLINE void vfp_scatter(__m512i vaddr, __mmask8 m, const vfp_t *v, const vfp_const *K) {
    __m512i w[4];
    vfp_to_fp(w, v, K);
    for (int i = 0; i < 4; i++)
        _mm512_mask_i64scatter_epi64(NULL, m, _mm512_add_epi64(vaddr, _mm512_set1_epi64(8 * i)), w[i], 1);
}

/* ---------------- the affine addition for each group ----------------
 * vgN_den: d = x_p - x_b and the Fp norm of d (the batch inverts norms);
 * vgN_finish: (x3, y3) = B + (+-P) from the inverse `ig` of the norm,
 * outputs below 2p. Inputs: bx, by, px, py < 16p (gathered), ig < 4p.
 * Bounds after each step in p units, from a b / 2^260 + p < (a b / 85) p + p. */
typedef vfp_t vg1_f;

ZK_INLINE void vg1_gather(vg1_f *r, __m512i vaddr) { vfp_gather(r, vaddr); }
ZK_INLINE __mmask8 vg1_eq(const vg1_f *a, const vg1_f *b) { return vfp_eq(a, b); }
ZK_INLINE void vg1_scatter(__m512i vaddr, __mmask8 m, const vg1_f *v, const vfp_const *K) { vfp_scatter(vaddr, m, v, K); }

ZK_INLINE void vg1_den(vfp_t *nrm, vg1_f *d, const vg1_f *bx, const vg1_f *px, const vfp_const *K) {
    vfp_sub(d, px, bx, VFP_M17, K); /* < 33 */
    *nrm = *d;
}

ZK_INLINE void vg1_finish(vg1_f *x3, vg1_f *y3, const vg1_f *bx, const vg1_f *by, const vg1_f *px,
                          const vg1_f *py, const vg1_f *d, __mmask8 neg, const vfp_t *ig, const vfp_const *K) {
    (void)d;
    vfp_t num, nn, lam, t;
    vfp_sub(&num, py, by, VFP_M17, K);           /* < 33 */
    vfp_add(&nn, py, by);                        /* < 32 */
    vfp_negc(&nn, &nn, VFP_M34, K);              /* < 34: -(y_p + y_b) */
    for (int i = 0; i < 5; i++) num.l[i] = _mm512_mask_blend_epi64(neg, num.l[i], nn.l[i]);
    vfp_mul(&lam, &num, ig, K);                  /* < 34 * 4 / 85 + 1 < 2.6 */
    vfp_mul(&t, &lam, &lam, K);                  /* < 1.1 */
    vfp_add(&nn, bx, px);                        /* < 32 */
    vfp_sub(&t, &t, &nn, VFP_M34, K);            /* x3 < 35.1 */
    vfp_red(x3, &t, K);                          /* < 2 */
    vfp_sub(&t, bx, x3, VFP_M3, K);              /* < 19 */
    vfp_mul(&t, &t, &lam, K);                    /* < 1.6 */
    vfp_sub(&t, &t, by, VFP_M17, K);             /* < 18.6 */
    vfp_red(y3, &t, K);                          /* < 2 */
}

typedef struct { vfp_t c0, c1; } vg2_f;

ZK_INLINE void vg2_gather(vg2_f *r, __m512i vaddr) {
    vfp_gather(&r->c0, vaddr);
    vfp_gather(&r->c1, _mm512_add_epi64(vaddr, _mm512_set1_epi64(32)));
}

ZK_INLINE __mmask8 vg2_eq(const vg2_f *a, const vg2_f *b) { return vfp_eq(&a->c0, &b->c0) & vfp_eq(&a->c1, &b->c1); }

ZK_INLINE void vg2_scatter(__m512i vaddr, __mmask8 m, const vg2_f *v, const vfp_const *K) {
    vfp_scatter(vaddr, m, &v->c0, K);
    vfp_scatter(_mm512_add_epi64(vaddr, _mm512_set1_epi64(32)), m, &v->c1, K);
}

ZK_INLINE void vg2_den(vfp_t *nrm, vg2_f *d, const vg2_f *bx, const vg2_f *px, const vfp_const *K) {
    vfp_t t;
    vfp_sub(&d->c0, &px->c0, &bx->c0, VFP_M17, K); /* < 33 */
    vfp_sub(&d->c1, &px->c1, &bx->c1, VFP_M17, K);
    vfp_mul(nrm, &d->c0, &d->c0, K);                /* < 33^2 / 85 + 1 < 13.9 */
    vfp_mul(&t, &d->c1, &d->c1, K);
    vfp_add(nrm, nrm, &t);                          /* d0^2 + d1^2 < 27.8 */
}

ZK_INLINE void vg2_finish(vg2_f *x3, vg2_f *y3, const vg2_f *bx, const vg2_f *by, const vg2_f *px,
                          const vg2_f *py, const vg2_f *d, __mmask8 neg, const vfp_t *ig, const vfp_const *K) {
    vg2_f num, lam, t;
    vfp_t v0, v1, s, u;
    /* num = y_p - y_b, or -(y_p + y_b) for a negated P */
    vfp_sub(&num.c0, &py->c0, &by->c0, VFP_M17, K); /* < 33 */
    vfp_sub(&num.c1, &py->c1, &by->c1, VFP_M17, K);
    vfp_add(&s, &py->c0, &by->c0);
    vfp_negc(&s, &s, VFP_M34, K);                   /* < 34 */
    vfp_add(&u, &py->c1, &by->c1);
    vfp_negc(&u, &u, VFP_M34, K);
    for (int i = 0; i < 5; i++) {
        num.c0.l[i] = _mm512_mask_blend_epi64(neg, num.c0.l[i], s.l[i]);
        num.c1.l[i] = _mm512_mask_blend_epi64(neg, num.c1.l[i], u.l[i]);
    }
    /* c = num conj(d) = (n0 d0 + n1 d1) + ((n0 + n1)(d0 - d1) - n0 d0 + n1 d1) u */
    vfp_mul(&v0, &num.c0, &d->c0, K);               /* < 34 * 33 / 85 + 1 < 14.2 */
    vfp_mul(&v1, &num.c1, &d->c1, K);
    vfp_add(&s, &num.c0, &num.c1);                  /* < 68 */
    vfp_sub(&u, &d->c0, &d->c1, VFP_M34, K);        /* < 67 */
    vfp_mul(&s, &s, &u, K);                         /* < 68 * 67 / 85 + 1 < 54.7 */
    vfp_red(&s, &s, K);                             /* < 2 */
    vfp_add(&lam.c0, &v0, &v1);                     /* c0 < 28.4 */
    vfp_add(&s, &s, &v1);                           /* < 16.2 */
    vfp_sub(&lam.c1, &s, &v0, VFP_M17, K);          /* c1 < 33.2 */
    vfp_mul(&lam.c0, &lam.c0, ig, K);               /* lambda < 33.2 * 4 / 85 + 1 < 2.6 */
    vfp_mul(&lam.c1, &lam.c1, ig, K);
    /* lambda^2 = (l0 + l1)(l0 - l1) + 2 l0 l1 u */
    vfp_add(&s, &lam.c0, &lam.c1);                  /* < 5.2 */
    vfp_sub(&u, &lam.c0, &lam.c1, VFP_M17, K);      /* < 19.6 */
    vfp_mul(&t.c0, &s, &u, K);                      /* < 2.2 */
    vfp_mul(&t.c1, &lam.c0, &lam.c1, K);            /* < 1.1 */
    vfp_add(&t.c1, &t.c1, &t.c1);                   /* < 2.2 */
    /* x3 = lambda^2 - x_b - x_p */
    vfp_add(&s, &bx->c0, &px->c0);                  /* < 32 */
    vfp_sub(&t.c0, &t.c0, &s, VFP_M34, K);          /* < 36.2 */
    vfp_red(&x3->c0, &t.c0, K);                     /* < 2 */
    vfp_add(&s, &bx->c1, &px->c1);
    vfp_sub(&t.c1, &t.c1, &s, VFP_M34, K);
    vfp_red(&x3->c1, &t.c1, K);
    /* y3 = (x_b - x3) lambda - y_b */
    vfp_sub(&t.c0, &bx->c0, &x3->c0, VFP_M3, K);    /* < 18 */
    vfp_sub(&t.c1, &bx->c1, &x3->c1, VFP_M3, K);
    vfp_mul(&v0, &t.c0, &lam.c0, K);                /* < 1.6 */
    vfp_mul(&v1, &t.c1, &lam.c1, K);
    vfp_add(&s, &t.c0, &t.c1);                      /* < 36 */
    vfp_add(&u, &lam.c0, &lam.c1);                  /* < 5.2 */
    vfp_mul(&s, &s, &u, K);                         /* < 3.3 */
    vfp_sub(&t.c0, &v0, &v1, VFP_M3, K);            /* < 4.6 */
    vfp_add(&u, &v0, &v1);                          /* < 3.2 */
    vfp_sub(&t.c1, &s, &u, VFP_M5, K);              /* < 8.3 */
    vfp_sub(&t.c0, &t.c0, &by->c0, VFP_M17, K);     /* < 21.6 */
    vfp_sub(&t.c1, &t.c1, &by->c1, VFP_M17, K);     /* < 25.3 */
    vfp_red(&y3->c0, &t.c0, K);
    vfp_red(&y3->c1, &t.c1, K);
}

#endif
