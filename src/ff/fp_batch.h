/* Internal: batches of independent Fp products for the tower (fp12.c).
 *
 * Why: once the Karatsuba sums of an Fp12 product are formed, its 54 Fp
 * products are independent. The scalar ADX core does one in ~39 cycles of
 * throughput; the 8-lane AVX-512 IFMA core (mont_ifma.h) does eight in about
 * as many cycles as two scalar ones, transposes included. So the tower
 * kernels are written in three phases: "in" helpers write the operand pairs
 * (a_i, b_i) into two arrays, fpb_mul multiplies them all, and "out" helpers
 * combine the products (subtractions, multiplications by xi) into the result.
 * Without IFMA (portable build, other CPUs) fpb_mul is a loop of scalar
 * Montgomery products and the kernels compute the same formulas.
 *
 * The R' = 2^260 domain of m52_mul: m52_mul(a', b) = a' b / 2^260. Giving it
 * a' = 16 a as an integer (not reduced mod p) yields a b / 2^256, the
 * product of ff.h's domain. 16 a is taken for free while re-splitting the
 * 64-bit words into 52-bit limbs (every shift is 4 bits smaller), and fits in
 * the 260 bits of five limbs for any a < 2^256.
 *
 * Contract (the same as mont_mul's, mont.h): a_i < 2^256 and
 * a_i b_i < p 2^256, e.g. a_i, b_i < 2p (lazy sums of two reduced values)
 * or a_i < 4p with b_i < p. Then m52_mul returns < a_i b_i / 2^256 + p < 2p
 * and one conditional subtraction gives the fully reduced product. Every
 * step is branch-free: constant time.
 *
 * The Fp2 "in"/"out" helpers here are the Fp2 formulas of fp2_inline.h split
 * at the products: the operands of the innermost Karatsuba sums are lazy
 * (< 2p), so every value handed to a helper must be reduced (< p). */
#ifndef ZKPOS_FF_FP_BATCH_H
#define ZKPOS_FF_FP_BATCH_H

#include <stddef.h>
#include <string.h>

#include "ff.h"
#include "fp2_inline.h"
#include "mont_ifma.h"

#ifdef ZK_HAVE_MONT_IFMA
/* m52_from_rows (mont_ifma.h) producing the limbs of 16 x instead of x. */
ZK_INLINE void fpb_from_rows_x16(m52x8 *r, __m512i A, __m512i B, __m512i C, __m512i D) {
    const __m512i ilo = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i ihi = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    __m512i P = _mm512_permutex2var_epi64(A, ilo, B);
    __m512i Q = _mm512_permutex2var_epi64(A, ihi, B);
    __m512i R = _mm512_permutex2var_epi64(C, ilo, D);
    __m512i S = _mm512_permutex2var_epi64(C, ihi, D);
    __m512i W0 = _mm512_shuffle_i64x2(P, R, 0x44), W1 = _mm512_shuffle_i64x2(P, R, 0xee);
    __m512i W2 = _mm512_shuffle_i64x2(Q, S, 0x44), W3 = _mm512_shuffle_i64x2(Q, S, 0xee);
    const __m512i M = _mm512_set1_epi64((long long)M52_MASK);
    /* bits 52k..52k+51 of 16 x are bits 52k-4.. of x; 0xa8 = (A | B) & C */
    r->l[0] = _mm512_and_si512(_mm512_slli_epi64(W0, 4), M);
    r->l[1] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W0, 48), _mm512_slli_epi64(W1, 16), M, 0xa8);
    r->l[2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W1, 36), _mm512_slli_epi64(W2, 28), M, 0xa8);
    r->l[3] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(W2, 24), _mm512_slli_epi64(W3, 40), M, 0xa8);
    r->l[4] = _mm512_srli_epi64(W3, 12);
}

/* Fp's modulus constants for m52_mul; folds to constant broadcasts. */
ZK_INLINE void fpb_mod(m52_mod *K) {
    uint64_t w[5];
    m52_split(w, FP_MOD);
    for (int i = 0; i < 5; i++) K->m[i] = _mm512_set1_epi64((long long)w[i]);
    K->n0 = _mm512_set1_epi64((long long)(FP_N0 & M52_MASK));
    K->mask = _mm512_set1_epi64((long long)M52_MASK);
    for (int i = 0; i < 5; i++) K->s16[i] = _mm512_setzero_si512(); /* unused here */
}

/* 8 products left in vector form: lane j = a[j] b[j] / 2^256 mod p (< p) */
ZK_INLINE void fpb_mul8_vec(m52x8 *r, const fp_t *a, const fp_t *b, const m52_mod *K) {
    m52x8 x, y;
    const uint64_t *pa = a->l;
    fpb_from_rows_x16(&x, _mm512_loadu_si512((const void *)pa), _mm512_loadu_si512((const void *)(pa + 8)),
                      _mm512_loadu_si512((const void *)(pa + 16)), _mm512_loadu_si512((const void *)(pa + 24)));
    m52_load(&y, b->l, 1);
    m52_mul_red(r, &x, &y, K);
}

/* 8 products: r[j] = a[j] b[j] / 2^256 mod p, j < 8 */
ZK_INLINE void fpb_mul8(fp_t *r, const fp_t *a, const fp_t *b, const m52_mod *K) {
    m52x8 x;
    fpb_mul8_vec(&x, a, b, K);
    m52_store(r->l, 1, &x);
}
#endif

/* r[i] = a[i] b[i] / 2^256 mod p for i < n, fully reduced, under the
 * contract of the note above. n must be a multiple of 8 (kernels pad their
 * arrays with zeros); r may equal a or b. */
ZK_INLINE void fpb_mul(fp_t *r, const fp_t *a, const fp_t *b, size_t n) {
#ifdef ZK_HAVE_MONT_IFMA
    m52_mod K;
    fpb_mod(&K);
    for (size_t i = 0; i < n; i += 8) fpb_mul8(r + i, a + i, b + i, &K);
#else
    for (size_t i = 0; i < n; i++) mont_mul(r[i].l, a[i].l, b[i].l, FP_MOD, FP_N0);
#endif
}

/* ---- Fp2 products as batch slots ---- */

/* a b, Karatsuba: 3 slots (a0 b0, a1 b1, (a0 + a1)(b0 + b1)); a, b reduced */
ZK_INLINE void fp2b_mul_in(fp_t *A, fp_t *B, const fp2_t *a, const fp2_t *b) {
    A[0] = a->c0; B[0] = b->c0;
    A[1] = a->c1; B[1] = b->c1;
    fpi_add_lazy(&A[2], &a->c0, &a->c1);
    fpi_add_lazy(&B[2], &b->c0, &b->c1);
}
ZK_INLINE void fp2b_mul_out(fp2_t *r, const fp_t *P) {
    fp_t s;
    fpi_sub(&s, &P[2], &P[0]);
    fpi_sub(&r->c0, &P[0], &P[1]);
    fpi_sub(&r->c1, &s, &P[1]);
}

/* a^2: 2 slots ((a0 + a1)(a0 - a1), 2 a0 a1); a reduced */
ZK_INLINE void fp2b_sqr_in(fp_t *A, fp_t *B, const fp2_t *a) {
    fpi_add_lazy(&A[0], &a->c0, &a->c1);
    fpi_sub_lazy(&B[0], &a->c0, &a->c1);
    fpi_add_lazy(&A[1], &a->c0, &a->c0);
    B[1] = a->c1;
}
ZK_INLINE void fp2b_sqr_out(fp2_t *r, const fp_t *P) {
    r->c0 = P[0];
    r->c1 = P[1];
}

/* ---- Fp6 = Fp2[v]/(v^3 - xi) products as batch slots (fp6.c's formulas) ---- */

/* a b, Karatsuba: 6 Fp2 products, 18 slots */
ZK_INLINE void fp6b_mul_in(fp_t *A, fp_t *B, const fp6_t *a, const fp6_t *b) {
    fp2_t s, t;
    fp2b_mul_in(A, B, &a->c0, &b->c0);
    fp2b_mul_in(A + 3, B + 3, &a->c1, &b->c1);
    fp2b_mul_in(A + 6, B + 6, &a->c2, &b->c2);
    fp2i_add(&s, &a->c1, &a->c2);
    fp2i_add(&t, &b->c1, &b->c2);
    fp2b_mul_in(A + 9, B + 9, &s, &t);
    fp2i_add(&s, &a->c0, &a->c1);
    fp2i_add(&t, &b->c0, &b->c1);
    fp2b_mul_in(A + 12, B + 12, &s, &t);
    fp2i_add(&s, &a->c0, &a->c2);
    fp2i_add(&t, &b->c0, &b->c2);
    fp2b_mul_in(A + 15, B + 15, &s, &t);
}
/* c0 = v0 + xi (m12 - v1 - v2), c1 = m01 - v0 - v1 + xi v2, c2 = m02 - v0 - v2 + v1 */
ZK_INLINE void fp6b_mul_out(fp6_t *r, const fp_t *P) {
    fp2_t v0, v1, v2, c0, c1, c2, t;
    fp2b_mul_out(&v0, P);
    fp2b_mul_out(&v1, P + 3);
    fp2b_mul_out(&v2, P + 6);
    fp2b_mul_out(&c0, P + 9);
    fp2b_mul_out(&c1, P + 12);
    fp2b_mul_out(&c2, P + 15);
    fp2i_sub(&c0, &c0, &v1);
    fp2i_sub(&c0, &c0, &v2);
    fp2i_mul_xi(&c0, &c0);
    fp2i_add(&r->c0, &c0, &v0);
    fp2i_sub(&c1, &c1, &v0);
    fp2i_sub(&c1, &c1, &v1);
    fp2i_mul_xi(&t, &v2);
    fp2i_add(&r->c1, &c1, &t);
    fp2i_sub(&c2, &c2, &v0);
    fp2i_sub(&c2, &c2, &v2);
    fp2i_add(&r->c2, &c2, &v1);
}

/* a (b0 + b1 v): 5 Fp2 products, 15 slots */
ZK_INLINE void fp6b_mul01_in(fp_t *A, fp_t *B, const fp6_t *a, const fp2_t *b0, const fp2_t *b1) {
    fp2_t s, t;
    fp2b_mul_in(A, B, &a->c0, b0);
    fp2b_mul_in(A + 3, B + 3, &a->c1, b1);
    fp2b_mul_in(A + 6, B + 6, &a->c2, b1);
    fp2b_mul_in(A + 9, B + 9, &a->c2, b0);
    fp2i_add(&s, &a->c0, &a->c1);
    fp2i_add(&t, b0, b1);
    fp2b_mul_in(A + 12, B + 12, &s, &t);
}
/* c0 = a0 b0 + xi a2 b1, c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1, c2 = a2 b0 + a1 b1 */
ZK_INLINE void fp6b_mul01_out(fp6_t *r, const fp_t *P) {
    fp2_t v0, v1, c0, c1, c2;
    fp2b_mul_out(&v0, P);
    fp2b_mul_out(&v1, P + 3);
    fp2b_mul_out(&c0, P + 6);
    fp2b_mul_out(&c2, P + 9);
    fp2b_mul_out(&c1, P + 12);
    fp2i_mul_xi(&c0, &c0);
    fp2i_add(&r->c0, &c0, &v0);
    fp2i_sub(&c1, &c1, &v0);
    fp2i_sub(&r->c1, &c1, &v1);
    fp2i_add(&r->c2, &c2, &v1);
}

/* a b0 for b0 in Fp2: 3 Fp2 products, 9 slots */
ZK_INLINE void fp6b_mulfp2_in(fp_t *A, fp_t *B, const fp6_t *a, const fp2_t *b0) {
    fp2b_mul_in(A, B, &a->c0, b0);
    fp2b_mul_in(A + 3, B + 3, &a->c1, b0);
    fp2b_mul_in(A + 6, B + 6, &a->c2, b0);
}
ZK_INLINE void fp6b_mulfp2_out(fp6_t *r, const fp_t *P) {
    fp2b_mul_out(&r->c0, P);
    fp2b_mul_out(&r->c1, P + 3);
    fp2b_mul_out(&r->c2, P + 6);
}

/* ---- Fp12 = Fp6[w]/(w^2 - v) products as batch slots (fp12.c's formulas) ---- */

ZK_INLINE void fp6i_add(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2i_add(&r->c0, &a->c0, &b->c0);
    fp2i_add(&r->c1, &a->c1, &b->c1);
    fp2i_add(&r->c2, &a->c2, &b->c2);
}
ZK_INLINE void fp6i_sub(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2i_sub(&r->c0, &a->c0, &b->c0);
    fp2i_sub(&r->c1, &a->c1, &b->c1);
    fp2i_sub(&r->c2, &a->c2, &b->c2);
}
/* r = a + v b (v b = xi b2 + b0 v + b1 v^2) */
ZK_INLINE void fp6i_add_mul_v(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_t t;
    fp2i_mul_xi(&t, &b->c2);
    fp2i_add(&r->c2, &a->c2, &b->c1);
    fp2i_add(&r->c1, &a->c1, &b->c0);
    fp2i_add(&r->c0, &a->c0, &t);
}
/* r = a - v b */
ZK_INLINE void fp6i_sub_mul_v(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_t t;
    fp2i_mul_xi(&t, &b->c2);
    fp2i_sub(&r->c2, &a->c2, &b->c1);
    fp2i_sub(&r->c1, &a->c1, &b->c0);
    fp2i_sub(&r->c0, &a->c0, &t);
}

/* (a0 + a1 w)(b0 + b1 w) = (t0 + v t1) + ((a0 + a1)(b0 + b1) - t0 - t1) w,
 * t0 = a0 b0, t1 = a1 b1: 54 slots */
#define FP12B_MUL_SLOTS 54
ZK_INLINE void fp12b_mul_in(fp_t *A, fp_t *B, const fp12_t *a, const fp12_t *b) {
    fp6_t s, t;
    fp6b_mul_in(A, B, &a->c0, &b->c0);
    fp6b_mul_in(A + 18, B + 18, &a->c1, &b->c1);
    fp6i_add(&s, &a->c0, &a->c1);
    fp6i_add(&t, &b->c0, &b->c1);
    fp6b_mul_in(A + 36, B + 36, &s, &t);
}
ZK_INLINE void fp12b_mul_out(fp12_t *r, const fp_t *P) {
    fp6_t t0, t1, s;
    fp6b_mul_out(&t0, P);
    fp6b_mul_out(&t1, P + 18);
    fp6b_mul_out(&s, P + 36);
    fp6i_sub(&s, &s, &t0);
    fp6i_sub(&r->c1, &s, &t1);
    fp6i_add_mul_v(&r->c0, &t0, &t1);
}

/* (a0 + a1 w)^2 = (a0 + a1)(a0 + v a1) - t - v t + 2 t w, t = a0 a1: 36 slots */
#define FP12B_SQR_SLOTS 36
ZK_INLINE void fp12b_sqr_in(fp_t *A, fp_t *B, const fp12_t *a) {
    fp6_t s, u;
    fp6b_mul_in(A, B, &a->c0, &a->c1);
    fp6i_add(&s, &a->c0, &a->c1);
    fp6i_add_mul_v(&u, &a->c0, &a->c1);
    fp6b_mul_in(A + 18, B + 18, &s, &u);
}
ZK_INLINE void fp12b_sqr_out(fp12_t *r, const fp_t *P) {
    fp6_t t, s;
    fp6b_mul_out(&t, P);
    fp6b_mul_out(&s, P + 18);
    fp6i_sub(&s, &s, &t);
    fp6i_sub_mul_v(&r->c0, &s, &t);
    fp6i_add(&r->c1, &t, &t);
}

/* a (l0 + l1 w + l3 w^3), the Miller-loop line: in the tower it is L0 + L1 w
 * with L0 = l0 (a scalar of Fp6) and L1 = l1 + l3 v; Karatsuba over w with
 * the sparse Fp6 products: 3 + 5 + 5 Fp2 products, 39 slots */
#define FP12B_MUL013_SLOTS 39
ZK_INLINE void fp12b_mul013_in(fp_t *A, fp_t *B, const fp12_t *a, const fp2_t *l0, const fp2_t *l1,
                               const fp2_t *l3) {
    fp6_t s;
    fp2_t m;
    fp6b_mulfp2_in(A, B, &a->c0, l0);
    fp6b_mul01_in(A + 9, B + 9, &a->c1, l1, l3);
    fp6i_add(&s, &a->c0, &a->c1);
    fp2i_add(&m, l0, l1);
    fp6b_mul01_in(A + 24, B + 24, &s, &m, l3);
}
ZK_INLINE void fp12b_mul013_out(fp12_t *r, const fp_t *P) {
    fp6_t t0, t1, s;
    fp6b_mulfp2_out(&t0, P);
    fp6b_mul01_out(&t1, P + 9);
    fp6b_mul01_out(&s, P + 24);
    fp6i_sub(&s, &s, &t0);
    fp6i_sub(&r->c1, &s, &t1);
    fp6i_add_mul_v(&r->c0, &t0, &t1);
}

#endif
