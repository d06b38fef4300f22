/* ff: the finite fields of BN254.
 *
 *   Fp   base field,   p = 21888242871839275222246405745257275088696311157297823662689037894645226208583
 *   Fr   scalar field, r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
 *   Fp2  = Fp[u]/(u^2 + 1)
 *   Fp6  = Fp2[v]/(v^3 - xi), xi = 9 + u
 *   Fp12 = Fp6[w]/(w^2 - v)
 *
 * Elements of Fp and Fr are 4 x 64-bit little-endian limbs in Montgomery form
 * (a*2^256 mod m). Both fields share one Montgomery core (mont.h) that takes
 * the modulus as a parameter; fp.c and fr.c are thin wrappers around it.
 *
 * Conventions (libsecp256k1 style): outputs first, then inputs; byte lengths
 * follow their pointers; functions that can fail return zk_err and must be
 * checked. Functions named *_var run in time that depends on their inputs and
 * must not see secrets; every other function is constant-time in its values.
 * Aliasing of outputs and inputs is allowed everywhere unless noted. */
#ifndef ZKPOS_FF_H
#define ZKPOS_FF_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

typedef struct { uint64_t l[4]; } fp_t;
typedef struct { uint64_t l[4]; } fr_t;

/* The same API exists for fp and fr; F below stands for either prefix.
 *
 * void F_zero(F_t *r);  void F_one(F_t *r);  void F_set_u64(F_t *r, uint64_t v);
 * int  F_is_zero(const F_t *a);  int F_is_one(const F_t *a);
 * int  F_eq(const F_t *a, const F_t *b);
 * void F_add / F_sub / F_mul (F_t *r, const F_t *a, const F_t *b);
 * void F_neg / F_dbl / F_sqr / F_half (F_t *r, const F_t *a);
 * void F_cmov(F_t *r, const F_t *a, int flag);     r = flag ? a : r
 * void F_pow(F_t *r, const F_t *a, const uint64_t *e, size_t e_limbs);  constant-time in a and e
 * void F_inv(F_t *r, const F_t *a);       constant time; inverse of 0 is 0
 * void F_inv_var(F_t *r, const F_t *a);   faster, variable time; inverse of 0 is 0
 * void F_batch_inv_var(F_t *out, const F_t *in, size_t n, F_t *scratch);
 *      Montgomery's trick; out may equal in; zeros map to zero; scratch holds n elements
 * Canonical integer conversions (limbs little-endian, value not Montgomery):
 * zk_err F_from_u256(F_t *r, const uint64_t v[4]);   rejects v >= modulus
 * void   F_from_u256_reduce(F_t *r, const uint64_t v[4]);  reduces mod modulus
 * void   F_to_u256(uint64_t v[4], const F_t *a);
 * Bytes (32 bytes, big- or little-endian):
 * zk_err F_from_bytes_be(F_t *r, const uint8_t in[32]);  rejects >= modulus
 * zk_err F_from_bytes_le(F_t *r, const uint8_t in[32]);
 * void   F_from_bytes_be_reduce(F_t *r, const uint8_t *in, size_t len);  any length <= 64, mod reduction
 * void   F_to_bytes_be(uint8_t out[32], const F_t *a);
 * void   F_to_bytes_le(uint8_t out[32], const F_t *a);
 * Text (optional 0x for hex; decimal without sign; both reject >= modulus):
 * zk_err F_from_dec(F_t *r, const char *s);
 * zk_err F_from_hex(F_t *r, const char *s);
 * size_t F_to_dec(char *out, size_t out_len, const F_t *a);   returns chars written (excl. NUL), 0 if too small; 78 bytes suffice
 * void   F_to_hex(char out[65], const F_t *a);   64 lowercase digits + NUL
 * Raw Montgomery access (for file formats that store Montgomery form):
 * raw limbs are F_t.l directly.
 */
#define ZK_DECLARE_PRIME_FIELD(F)                                                    \
    void F##_zero(F##_t *r);                                                         \
    void F##_one(F##_t *r);                                                          \
    void F##_set_u64(F##_t *r, uint64_t v);                                          \
    int F##_is_zero(const F##_t *a);                                                 \
    int F##_is_one(const F##_t *a);                                                  \
    int F##_eq(const F##_t *a, const F##_t *b);                                      \
    void F##_add(F##_t *r, const F##_t *a, const F##_t *b);                          \
    void F##_sub(F##_t *r, const F##_t *a, const F##_t *b);                          \
    void F##_mul(F##_t *r, const F##_t *a, const F##_t *b);                          \
    void F##_neg(F##_t *r, const F##_t *a);                                          \
    void F##_dbl(F##_t *r, const F##_t *a);                                          \
    void F##_sqr(F##_t *r, const F##_t *a);                                          \
    void F##_half(F##_t *r, const F##_t *a);                                         \
    void F##_cmov(F##_t *r, const F##_t *a, int flag);                               \
    void F##_pow(F##_t *r, const F##_t *a, const uint64_t *e, size_t e_limbs);       \
    void F##_inv(F##_t *r, const F##_t *a);                                          \
    void F##_inv_var(F##_t *r, const F##_t *a);                                      \
    void F##_batch_inv_var(F##_t *out, const F##_t *in, size_t n, F##_t *scratch);   \
    ZK_WUR zk_err F##_from_u256(F##_t *r, const uint64_t v[4]);                      \
    void F##_from_u256_reduce(F##_t *r, const uint64_t v[4]);                        \
    void F##_to_u256(uint64_t v[4], const F##_t *a);                                 \
    ZK_WUR zk_err F##_from_bytes_be(F##_t *r, const uint8_t in[32]);                 \
    ZK_WUR zk_err F##_from_bytes_le(F##_t *r, const uint8_t in[32]);                 \
    void F##_from_bytes_be_reduce(F##_t *r, const uint8_t *in, size_t len);          \
    void F##_to_bytes_be(uint8_t out[32], const F##_t *a);                           \
    void F##_to_bytes_le(uint8_t out[32], const F##_t *a);                           \
    ZK_WUR zk_err F##_from_dec(F##_t *r, const char *s);                             \
    ZK_WUR zk_err F##_from_hex(F##_t *r, const char *s);                             \
    size_t F##_to_dec(char *out, size_t out_len, const F##_t *a);                    \
    void F##_to_hex(char out[65], const F##_t *a);                                   \
    /* the portable-C multiplication, always compiled; tests compare it with */     \
    /* the x86-64 fast path that F##_mul uses when built with ADX and BMI2 */        \
    void F##_mul_portable(F##_t *r, const F##_t *a, const F##_t *b);

ZK_DECLARE_PRIME_FIELD(fp)
ZK_DECLARE_PRIME_FIELD(fr)

/* Square root in Fp (p = 3 mod 4): r = a^((p+1)/4). Returns ZK_ERR_NO_SQRT if a
 * is not a square (r is then unspecified). Constant time. */
ZK_WUR zk_err fp_sqrt(fp_t *r, const fp_t *a);
/* 1 if a is a square (or zero) in Fp. Constant time. */
int fp_is_square(const fp_t *a);
/* Lexicographic "sign" used by point compression: 1 iff canonical(a) > (p-1)/2. */
int fp_is_lexicographically_largest(const fp_t *a);

/* Fr specifics for NTTs: two-adicity 28 and a primitive 2^k-th root of unity. */
#define FR_TWO_ADICITY 28
/* r = primitive 2^log_n-th root of unity (0 <= log_n <= 28). */
void fr_root_of_unity(fr_t *r, unsigned log_n);
/* The multiplicative generator of Fr* (5), used as the coset shift. */
void fr_generator(fr_t *r);

/* Modulus limbs (canonical, little-endian). */
extern const uint64_t FP_MODULUS[4];
extern const uint64_t FR_MODULUS[4];

/* ---------------- Fp2 = Fp[u]/(u^2+1) ---------------- */
typedef struct { fp_t c0, c1; } fp2_t;       /* c0 + c1*u */
typedef struct { fp2_t c0, c1, c2; } fp6_t;  /* c0 + c1*v + c2*v^2 */
typedef struct { fp6_t c0, c1; } fp12_t;     /* c0 + c1*w */

void fp2_zero(fp2_t *r);
void fp2_one(fp2_t *r);
int fp2_is_zero(const fp2_t *a);
int fp2_eq(const fp2_t *a, const fp2_t *b);
void fp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b);
void fp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b);
void fp2_neg(fp2_t *r, const fp2_t *a);
void fp2_dbl(fp2_t *r, const fp2_t *a);
void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b);
void fp2_sqr(fp2_t *r, const fp2_t *a);
void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b);
void fp2_conj(fp2_t *r, const fp2_t *a);           /* c0 - c1*u (= Frobenius) */
void fp2_mul_xi(fp2_t *r, const fp2_t *a);         /* multiply by xi = 9 + u */
void fp2_cmov(fp2_t *r, const fp2_t *a, int flag);
void fp2_inv(fp2_t *r, const fp2_t *a);            /* constant time; 0 -> 0 */
void fp2_inv_var(fp2_t *r, const fp2_t *a);
void fp2_batch_inv_var(fp2_t *out, const fp2_t *in, size_t n, fp2_t *scratch);
ZK_WUR zk_err fp2_sqrt(fp2_t *r, const fp2_t *a);  /* ZK_ERR_NO_SQRT if none */
/* Sign for compression: sign of c1 if c1 != 0, else of c0 (lexicographic). */
int fp2_is_lexicographically_largest(const fp2_t *a);
void fp2_pow(fp2_t *r, const fp2_t *a, const uint64_t *e, size_t e_limbs);

/* ---------------- Fp6, Fp12 (pairing target) ---------------- */
void fp6_zero(fp6_t *r);
void fp6_one(fp6_t *r);
int fp6_is_zero(const fp6_t *a);
int fp6_eq(const fp6_t *a, const fp6_t *b);
void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_neg(fp6_t *r, const fp6_t *a);
void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sqr(fp6_t *r, const fp6_t *a);
void fp6_mul_v(fp6_t *r, const fp6_t *a);          /* multiply by v */
void fp6_inv(fp6_t *r, const fp6_t *a);             /* constant time; 0 -> 0 */
void fp6_inv_var(fp6_t *r, const fp6_t *a);
void fp6_dbl(fp6_t *r, const fp6_t *a);
void fp6_cmov(fp6_t *r, const fp6_t *a, int flag);
void fp6_mul_fp2(fp6_t *r, const fp6_t *a, const fp2_t *b);
/* r = a * (b0 + b1 v): 5 Fp2 products */
void fp6_mul_by_01(fp6_t *r, const fp6_t *a, const fp2_t *b0, const fp2_t *b1);

void fp12_zero(fp12_t *r);
void fp12_one(fp12_t *r);
int fp12_is_one(const fp12_t *a);
int fp12_eq(const fp12_t *a, const fp12_t *b);
void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_sqr(fp12_t *r, const fp12_t *a);
void fp12_conj(fp12_t *r, const fp12_t *a);        /* c0 - c1*w; inverse on the cyclotomic subgroup */
void fp12_inv(fp12_t *r, const fp12_t *a);         /* constant time; 0 -> 0 */
void fp12_inv_var(fp12_t *r, const fp12_t *a);
void fp12_frobenius(fp12_t *r, const fp12_t *a, unsigned power); /* a^(p^power); power 1..3 direct, others composed */
void fp12_pow(fp12_t *r, const fp12_t *a, const uint64_t *e, size_t e_limbs);
void fp12_add(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_sub(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_cmov(fp12_t *r, const fp12_t *a, int flag);
/* r = a * (l0 + l1 w + l3 w^3), the shape of a Miller-loop line on the D-type
 * twist (w^3 = v w): 13 Fp2 products instead of 18. */
void fp12_mul_by_013(fp12_t *r, const fp12_t *a, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3);
/* r = a^2 for a in the cyclotomic subgroup (a^(p^6 + 1) = 1, e.g. any output
 * of the easy part of the final exponentiation); wrong for other a.
 * Granger-Scott, 9 Fp2 squarings. */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a);

#endif
