/* Internal: the 4x64-bit Montgomery core, written once with the modulus as a
 * parameter (blst style). fp.c and fr.c instantiate it through
 * prime_field_impl.h with their generated constants; because these functions
 * are static inline and the modulus is a compile-time constant array at every
 * call site, the compiler folds the modulus into the code.
 *
 * Requirements: modulus m odd, m < 2^254 (both BN254 moduli), so a+b never
 * carries out of 256 bits and the CIOS loop needs no extra carry word.
 * mont_mul(r, a, b) returns a fully reduced result for a, b < m, for any
 * a < 2^256 with b < m (conversions: put the unreduced value first), and for
 * lazy-reduced a, b < 2m; mont_sqr for a < 2m; add/sub/neg want inputs < m. */
#ifndef ZKPOS_FF_MONT_H
#define ZKPOS_FF_MONT_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 zk_u128;

/* x86-64 fast paths (mulx/adcx/adox asm) for mul, sqr, add, sub, neg; the
 * dispatchers below use them, the *_portable / C versions stay for tests. */
#if defined(__x86_64__) && defined(__ADX__) && defined(__BMI2__) && !defined(ZKPOS_PORTABLE) && __has_include("mont_x86_64.h")
#define ZK_HAVE_MONT_ADX 1
#include "mont_x86_64.h"
#endif
/* WebAssembly: 32-bit limbs for mul and sqr (no 64x64->128 there). */
#if defined(__wasm__) && !defined(ZKPOS_PORTABLE)
#define ZK_HAVE_MONT_W32 1
#include "mont_wasm.h"
#endif

/* r = a - b, returns borrow (0/1) */
static inline uint64_t mont_sub_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

static inline uint64_t mont_add_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 s = (zk_u128)a[i] + b[i] + carry;
        r[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    return carry;
}

/* r = t >= m ? t - m : t, constant time (t < 2m). */
static inline void mont_reduce_once(uint64_t r[4], const uint64_t t[4], const uint64_t m[4]) {
    uint64_t d[4];
    uint64_t borrow = mont_sub_raw(d, t, m);
    uint64_t mask = 0 - borrow; /* all ones if t < m: keep t */
    for (int i = 0; i < 4; i++) r[i] = (t[i] & mask) | (d[i] & ~mask);
}

/* Portable add/sub/neg; mont_add/mont_sub/mont_neg below dispatch. */
static inline void mont_add_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                     const uint64_t m[4]) {
    uint64_t t[4];
    mont_add_raw(t, a, b);
    mont_reduce_once(r, t, m);
}

static inline void mont_sub_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                     const uint64_t m[4]) {
    uint64_t t[4], mm[4];
    uint64_t mask = 0 - mont_sub_raw(t, a, b);
    for (int i = 0; i < 4; i++) mm[i] = m[i] & mask;
    mont_add_raw(r, t, mm);
}

static inline void mont_neg_portable(uint64_t r[4], const uint64_t a[4], const uint64_t m[4]) {
    uint64_t t[4];
    mont_sub_raw(t, m, a);
    /* a == 0 must give 0, not m */
    uint64_t nz = a[0] | a[1] | a[2] | a[3];
    uint64_t mask = 0 - (uint64_t)((nz | (0 - nz)) >> 63);
    for (int i = 0; i < 4; i++) r[i] = t[i] & mask;
}

static inline void mont_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4]) {
#ifdef ZK_HAVE_MONT_ADX
    mont_add_x86(r, a, b, m);
#else
    mont_add_portable(r, a, b, m);
#endif
}

static inline void mont_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4]) {
#ifdef ZK_HAVE_MONT_ADX
    mont_sub_x86(r, a, b, m);
#else
    mont_sub_portable(r, a, b, m);
#endif
}

static inline void mont_neg(uint64_t r[4], const uint64_t a[4], const uint64_t m[4]) {
#ifdef ZK_HAVE_MONT_ADX
    mont_neg_x86(r, a, m);
#else
    mont_neg_portable(r, a, m);
#endif
}

/* r = a / 2 mod m */
static inline void mont_half(uint64_t r[4], const uint64_t a[4], const uint64_t m[4]) {
    uint64_t t[4], mm[4];
    uint64_t mask = 0 - (a[0] & 1);
    for (int i = 0; i < 4; i++) mm[i] = m[i] & mask;
    uint64_t carry = mont_add_raw(t, a, mm);
    for (int i = 0; i < 3; i++) r[i] = (t[i] >> 1) | (t[i + 1] << 63);
    r[3] = (t[3] >> 1) | (carry << 63);
}

/* CIOS Montgomery multiplication: r = a*b/2^256 mod m, portable C.
 * a is scanned word by word against the whole of b, so the running value
 * stays below b + m: inputs a < 2^256 with b < m (the R2/R3 conversions pass
 * the unreduced value as a), or a, b < 2m, give a fully reduced result
 * (bounds argued in mont_x86_64.h). With the roles swapped, an unreduced
 * operand near 2^256 would overflow the fifth word. */
static inline void mont_mul_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                     const uint64_t m[4], uint64_t n0) {
    uint64_t t[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        zk_u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (zk_u128)b[j] * a[i] + t[j];
            t[j] = (uint64_t)c;
            c >>= 64;
        }
        uint64_t t4 = t[4] + (uint64_t)c;
        uint64_t q = t[0] * n0;
        c = (zk_u128)q * m[0] + t[0];
        c >>= 64;
        for (int j = 1; j < 4; j++) {
            c += (zk_u128)q * m[j] + t[j];
            t[j - 1] = (uint64_t)c;
            c >>= 64;
        }
        c += t4;
        t[3] = (uint64_t)c;
        t[4] = (uint64_t)(c >> 64);
    }
    mont_reduce_once(r, t, m);
}

static inline int mont_is_zero(const uint64_t a[4]) {
    uint64_t z = a[0] | a[1] | a[2] | a[3];
    return (int)(1 & (((z | (0 - z)) >> 63) ^ 1));
}

static inline int mont_eq(const uint64_t a[4], const uint64_t b[4]) {
    uint64_t z = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
    return (int)(1 & (((z | (0 - z)) >> 63) ^ 1));
}

/* 1 if a < b as integers (variable time is fine: used on public data or with ct sub) */
static inline int mont_lt(const uint64_t a[4], const uint64_t b[4]) {
    uint64_t d[4];
    return (int)mont_sub_raw(d, a, b);
}

static inline void mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                            const uint64_t m[4], uint64_t n0) {
#ifdef ZK_HAVE_MONT_ADX
    mont_mul_adx(r, a, b, m, n0);
#elif defined(ZK_HAVE_MONT_W32)
    mont_mul_w32(r, a, b, m, n0);
#else
    mont_mul_portable(r, a, b, m, n0);
#endif
}

/* r = a^2/2^256 mod m (a < m) */
static inline void mont_sqr(uint64_t r[4], const uint64_t a[4], const uint64_t m[4], uint64_t n0) {
#ifdef ZK_HAVE_MONT_ADX
    mont_sqr_adx(r, a, m, n0);
#elif defined(ZK_HAVE_MONT_W32)
    mont_mul_w32(r, a, a, m, n0);
#else
    mont_mul_portable(r, a, a, m, n0);
#endif
}

#endif
