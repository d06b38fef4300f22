/* Internal: Montgomery arithmetic on 8 field elements at once with AVX-512
 * IFMA (vpmadd52luq / vpmadd52huq), written once with the modulus as a
 * parameter (an m52_mod of broadcast constants) so Fp and Fr share it.
 *
 * Why: one 512-bit vpmadd52 issues per cycle on this Xeon, i.e. eight
 * 52 x 52-bit products per cycle against one 64 x 64 mulx, so a radix-2^52
 * product of 8 elements (about 105 vpmadd52, ~13 cycles per element) beats
 * the 4 x 64-bit ADX core (~39 cycles) about threefold whenever the work is
 * data parallel (NTT butterflies, scalings). Latency is worse, so chains of
 * dependent products (exponentiations) stay scalar.
 *
 * Representation: m52x8 holds 8 lanes, structure of arrays: limb i (bits
 * 52i..52i+51) of lane j is word j of l[i]. The value of a lane is the same
 * integer as the 4 x 64 fr_t/fp_t limbs: loads and stores only re-split the
 * bits (and transpose 8 elements), no arithmetic. Values stay in the ordinary
 * Montgomery domain R = 2^256 of ff.h.
 *
 * Products: m52_mul(r, a, b) = a b / 2^260 mod m (R' = 2^260, five 52-bit
 * reduction steps). Rather than converting data to the R' domain, the
 * conversion factor is folded into the constant operand: b is given
 * "scaled", b = 16 x (mod m) for the fr_t value x, so that
 * a * 16x / 2^260 = a x / 2^256 = fr_mul(a, x). Twiddles and other
 * constants are scaled once (m52_scale16 on scalars, or m52_mul by s16 =
 * 2^264 mod m on vectors); data never needs converting. Where both
 * operands are data (fp_batch.h), one of them is instead split as the
 * integer 16 x (< 2^260 for any x < 2^256), the shift folded into the
 * re-split at no cost.
 *
 * Bounds (m odd, 2^253 < m < 2^254 for both BN254 moduli):
 * - every function wants normalized inputs (limbs < 2^52: vpmadd52 reads
 *   only 52 bits) and returns normalized limbs;
 * - m52_mul: for a < 2^256 and b < m the result is < a b / 2^260 + m <
 *   m (1 + 1/16) < 2m (the usual Montgomery bound (ab + Qm)/R' with
 *   Q < R'); the dispatcher m52_mul_red reduces it once more to < m.
 *   In general, for ANY normalized a, b < 2^260 the result is
 *   < a b / 2^260 + m; the MSM (src/ec/msm_ifma.h) relies on this with lazily
 *   reduced operands up to ~68m, whose products keep the result below 2^260
 *   as long as a b < (2^260 - m) 2^260. Do not tighten the code to a < 2^256.
 *   Accumulators: each 64-bit limb collects at most four 52-bit halves per
 *   step over at most six steps plus carries, < 2^57, so the carry
 *   propagation can wait until the end; the value after the last step is
 *   < 2m < 2^255, so no carry leaves limb 4;
 * - m52_add, m52_sub: inputs < m, outputs < m (canonical), so the results
 *   are bit-identical to fr_add/fr_sub and the NTT can store canonical
 *   fr_t after every butterfly;
 * - m52_reduce: input < 2m, output < m.
 * Only AVX-512F and IFMA instructions are used (no DQ/VBMI2), matching the
 * guard below; the portable build never sees this file's contents. */
#ifndef ZKPOS_FF_MONT_IFMA_H
#define ZKPOS_FF_MONT_IFMA_H

#if defined(__AVX512IFMA__) && defined(__AVX512F__) && !defined(ZKPOS_PORTABLE)
#define ZK_HAVE_MONT_IFMA 1

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"
#include "mont.h"

#define M52_MASK ((UINT64_C(1) << 52) - 1)

typedef struct { __m512i l[5]; } m52x8;

/* The modulus as broadcast constants; build with m52_mod_init (a handful of
 * scalar operations), keep it on the stack or in 64-byte aligned memory. */
typedef struct {
    __m512i m[5];    /* modulus limbs */
    __m512i n0;      /* -m^-1 mod 2^52 */
    __m512i mask;    /* 2^52 - 1 */
    __m512i s16[5];  /* 2^264 mod m: m52_mul(r, a, s16) gives 16 a */
} m52_mod;

/* 4 x 64 (< 2^256) -> 5 x 52 limbs, scalar */
ZK_INLINE void m52_split(uint64_t o[5], const uint64_t v[4]) {
    o[0] = v[0] & M52_MASK;
    o[1] = ((v[0] >> 52) | (v[1] << 12)) & M52_MASK;
    o[2] = ((v[1] >> 40) | (v[2] << 24)) & M52_MASK;
    o[3] = ((v[2] >> 28) | (v[3] << 36)) & M52_MASK;
    o[4] = v[3] >> 16;
}

/* r = 16 a mod m for a < m (scalar, 4 modular doublings): the scaled form
 * of a constant operand of m52_mul. */
ZK_INLINE void m52_scale16(uint64_t r[4], const uint64_t a[4], const uint64_t m[4]) {
    uint64_t t[4];
    memcpy(t, a, sizeof t);
    for (int i = 0; i < 4; i++) mont_add(t, t, t, m);
    memcpy(r, t, sizeof t);
}

/* m: modulus (odd, < 2^254); n0 = -m^-1 mod 2^64; r1 = 2^256 mod m. */
static inline void m52_mod_init(m52_mod *K, const uint64_t m[4], uint64_t n0, const uint64_t r1[4]) {
    uint64_t w[5], s[4];
    m52_split(w, m);
    for (int i = 0; i < 5; i++) K->m[i] = _mm512_set1_epi64((long long)w[i]);
    K->n0 = _mm512_set1_epi64((long long)(n0 & M52_MASK));
    K->mask = _mm512_set1_epi64((long long)M52_MASK);
    /* 2^264 = 2^256 * 2^8 */
    m52_scale16(s, r1, m);
    m52_scale16(s, s, m);
    m52_split(w, s);
    for (int i = 0; i < 5; i++) K->s16[i] = _mm512_set1_epi64((long long)w[i]);
}

/* All lanes = v (4 x 64 limbs, < 2^256). */
ZK_INLINE void m52_set1(m52x8 *r, const uint64_t v[4]) {
    uint64_t w[5];
    m52_split(w, v);
    for (int i = 0; i < 5; i++) r->l[i] = _mm512_set1_epi64((long long)w[i]);
}

/* ---- load / store: 8 elements of 4 x 64 limbs <-> radix 2^52 SoA ----
 * Rows A..D hold two elements each (A = e0|e1, B = e2|e3, C = e4|e5,
 * D = e6|e7); two permutes per pair of words transpose them into words
 * W0..W3 (word k of e0..e7), which are then re-split into 52-bit limbs. */
ZK_INLINE void m52_from_rows(m52x8 *r, __m512i A, __m512i B, __m512i C, __m512i D) {
    const __m512i ilo = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i ihi = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    __m512i P = _mm512_permutex2var_epi64(A, ilo, B); /* w0 e0..3 | w1 e0..3 */
    __m512i Q = _mm512_permutex2var_epi64(A, ihi, B); /* w2 e0..3 | w3 e0..3 */
    __m512i R = _mm512_permutex2var_epi64(C, ilo, D);
    __m512i S = _mm512_permutex2var_epi64(C, ihi, D);
    __m512i W0 = _mm512_shuffle_i64x2(P, R, 0x44), W1 = _mm512_shuffle_i64x2(P, R, 0xee);
    __m512i W2 = _mm512_shuffle_i64x2(Q, S, 0x44), W3 = _mm512_shuffle_i64x2(Q, S, 0xee);
    const __m512i M = _mm512_set1_epi64((long long)M52_MASK);
    /* (x | y) & M as one ternary-logic op: imm 0xa8 = (A | B) & C (A = 0xf0, B = 0xcc, C = 0xaa) */
    r->l[0] = _mm512_and_si512(W0, M);
    r->l[1] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W0, 52), _mm512_slli_epi64(W1, 12), M, 0xa8);
    r->l[2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W1, 40), _mm512_slli_epi64(W2, 24), M, 0xa8);
    r->l[3] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W2, 28), _mm512_slli_epi64(W3, 36), M, 0xa8);
    r->l[4] = _mm512_srli_epi64(W3, 16);
}

/* Inverse of m52_from_rows; a must be normalized and < 2^256. */
ZK_INLINE void m52_to_rows(__m512i *A, __m512i *B, __m512i *C, __m512i *D, const m52x8 *a) {
    __m512i W0 = _mm512_or_si512(a->l[0], _mm512_slli_epi64(a->l[1], 52));
    __m512i W1 = _mm512_or_si512(_mm512_srli_epi64(a->l[1], 12), _mm512_slli_epi64(a->l[2], 40));
    __m512i W2 = _mm512_or_si512(_mm512_srli_epi64(a->l[2], 24), _mm512_slli_epi64(a->l[3], 28));
    __m512i W3 = _mm512_or_si512(_mm512_srli_epi64(a->l[3], 36), _mm512_slli_epi64(a->l[4], 16));
    __m512i P = _mm512_shuffle_i64x2(W0, W1, 0x44); /* w0 e0..3 | w1 e0..3 */
    __m512i R = _mm512_shuffle_i64x2(W0, W1, 0xee); /* w0 e4..7 | w1 e4..7 */
    __m512i Q = _mm512_shuffle_i64x2(W2, W3, 0x44);
    __m512i S = _mm512_shuffle_i64x2(W2, W3, 0xee);
    /* the same index vectors transpose back (element-major rows) */
    const __m512i ilo = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i ihi = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    *A = _mm512_permutex2var_epi64(P, ilo, Q);
    *B = _mm512_permutex2var_epi64(P, ihi, Q);
    *C = _mm512_permutex2var_epi64(R, ilo, S);
    *D = _mm512_permutex2var_epi64(R, ihi, S);
}

ZK_INLINE __m512i m52_pair_load(const uint64_t *p, size_t stride) {
    if (stride == 1) return _mm512_loadu_si512((const void *)p);
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)p)),
                              _mm256_loadu_si256((const __m256i *)(p + 4 * stride)), 1);
}

ZK_INLINE void m52_pair_store(uint64_t *p, size_t stride, __m512i v) {
    if (stride == 1) {
        _mm512_storeu_si512((void *)p, v);
        return;
    }
    _mm256_storeu_si256((__m256i *)p, _mm512_castsi512_si256(v));
    _mm256_storeu_si256((__m256i *)(p + 4 * stride), _mm512_extracti64x4_epi64(v, 1));
}

/* Lane j <- the 4 x 64 limbs at p + 4 stride j (stride in elements; 1 =
 * 8 consecutive fr_t/fp_t). Values must be < 2^256 (any fr_t/fp_t). */
ZK_INLINE void m52_load(m52x8 *r, const uint64_t *p, size_t stride) {
    m52_from_rows(r, m52_pair_load(p, stride), m52_pair_load(p + 8 * stride, stride),
                  m52_pair_load(p + 16 * stride, stride), m52_pair_load(p + 24 * stride, stride));
}

/* The 4 x 64 limbs at p + 4 stride j <- lane j; a normalized, < 2^256
 * (canonical, < m, for a valid fr_t/fp_t). */
ZK_INLINE void m52_store(uint64_t *p, size_t stride, const m52x8 *a) {
    __m512i A, B, C, D;
    m52_to_rows(&A, &B, &C, &D, a);
    m52_pair_store(p, stride, A);
    m52_pair_store(p + 8 * stride, stride, B);
    m52_pair_store(p + 16 * stride, stride, C);
    m52_pair_store(p + 24 * stride, stride, D);
}

/* ---- arithmetic ---- */

/* Carry propagation; signed = 1 lets limbs (and the result) be negative,
 * the sign ending in limb 4. */
ZK_INLINE void m52_norm(__m512i t[5], const __m512i M, int is_signed) {
    for (int i = 0; i < 4; i++) {
        __m512i c = is_signed ? _mm512_srai_epi64(t[i], 52) : _mm512_srli_epi64(t[i], 52);
        t[i] = _mm512_and_si512(t[i], M);
        t[i + 1] = _mm512_add_epi64(t[i + 1], c);
    }
}

/* r = a b / 2^260 mod m, r < a b / 2^260 + m (< 2m for a < 2^256, b < m). */
ZK_INLINE void m52_mul(m52x8 *r, const m52x8 *a, const m52x8 *b, const m52_mod *K) {
    const __m512i z = _mm512_setzero_si512();
    __m512i t[6] = {z, z, z, z, z, z};
    for (int i = 0; i < 5; i++) {
        const __m512i ai = a->l[i];
        for (int j = 0; j < 5; j++) t[j] = _mm512_madd52lo_epu64(t[j], ai, b->l[j]);
        for (int j = 0; j < 5; j++) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], ai, b->l[j]);
        const __m512i q = _mm512_madd52lo_epu64(z, t[0], K->n0);
        for (int j = 0; j < 5; j++) t[j] = _mm512_madd52lo_epu64(t[j], q, K->m[j]);
        for (int j = 0; j < 5; j++) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], q, K->m[j]);
        /* t[0] is now 0 mod 2^52: shift one limb down */
        t[1] = _mm512_add_epi64(t[1], _mm512_srli_epi64(t[0], 52));
        for (int j = 0; j < 5; j++) t[j] = t[j + 1];
        t[5] = z;
    }
    m52_norm(t, K->mask, 0);
    for (int j = 0; j < 5; j++) r->l[j] = t[j];
}

/* r = a mod m for a < 2m */
ZK_INLINE void m52_reduce(m52x8 *r, const m52x8 *a, const m52_mod *K) {
    __m512i d[5];
    for (int j = 0; j < 5; j++) d[j] = _mm512_sub_epi64(a->l[j], K->m[j]);
    m52_norm(d, K->mask, 1);
    __mmask8 neg = _mm512_cmplt_epi64_mask(d[4], _mm512_setzero_si512());
    for (int j = 0; j < 5; j++) r->l[j] = _mm512_mask_blend_epi64(neg, d[j], a->l[j]);
}

/* r = a b / 2^260 mod m, fully reduced (a < 2^256, b < m). */
ZK_INLINE void m52_mul_red(m52x8 *r, const m52x8 *a, const m52x8 *b, const m52_mod *K) {
    m52x8 t;
    m52_mul(&t, a, b, K);
    m52_reduce(r, &t, K);
}

/* r = a + b mod m (a, b < m). The sum and sum - m are normalized side by
 * side (independent carry chains) and the sign of the latter picks one. */
ZK_INLINE void m52_add(m52x8 *r, const m52x8 *a, const m52x8 *b, const m52_mod *K) {
    __m512i s[5], d[5];
    for (int j = 0; j < 5; j++) {
        s[j] = _mm512_add_epi64(a->l[j], b->l[j]);
        d[j] = _mm512_sub_epi64(s[j], K->m[j]);
    }
    m52_norm(s, K->mask, 0);
    m52_norm(d, K->mask, 1);
    __mmask8 neg = _mm512_cmplt_epi64_mask(d[4], _mm512_setzero_si512());
    for (int j = 0; j < 5; j++) r->l[j] = _mm512_mask_blend_epi64(neg, d[j], s[j]);
}

/* r = a - b mod m (a, b < m): a - b and a - b + m side by side. */
ZK_INLINE void m52_sub(m52x8 *r, const m52x8 *a, const m52x8 *b, const m52_mod *K) {
    __m512i d[5], e[5];
    for (int j = 0; j < 5; j++) {
        d[j] = _mm512_sub_epi64(a->l[j], b->l[j]);
        e[j] = _mm512_add_epi64(d[j], K->m[j]);
    }
    m52_norm(d, K->mask, 1);
    m52_norm(e, K->mask, 1);
    __mmask8 neg = _mm512_cmplt_epi64_mask(d[4], _mm512_setzero_si512());
    for (int j = 0; j < 5; j++) r->l[j] = _mm512_mask_blend_epi64(neg, d[j], e[j]);
}

#endif /* IFMA */
#endif
