/* Internal: Montgomery multiplication with 32-bit limbs, for WebAssembly.
 *
 * Why: wasm has a 64x64->64 multiply but no high half, so the portable
 * 4x64-bit core's unsigned __int128 products become calls to a multiword
 * multiply (__multi3) and carries through 128-bit adds. With 8x32-bit limbs
 * every product a_i*b_j (< 2^64) and every accumulation a_i*b_j + t_j + c
 * (<= 2^64 - 1) is one native i64 operation. Same interface and contract as
 * mont_mul_portable (mont.h): 4x64-bit little-endian values, R = 2^256, the
 * same CIOS scan (a word by word against all of b), so the same bounds hold
 * (a < 2^256 with b < m, or a, b < 2m, give a fully reduced result; the
 * argument in mont_x86_64.h does not depend on the limb size); n0 =
 * -m^-1 mod 2^64, whose low half is -m^-1 mod 2^32. mont.h selects it on
 * __wasm__ only; native builds compile it for the differential test
 * (tests/test_mont_wasm.c) and never call it otherwise. */
#ifndef ZKPOS_FF_MONT_WASM_H
#define ZKPOS_FF_MONT_WASM_H

#include <stdint.h>

static inline void mont_mul_w32(uint64_t r[4], const uint64_t a64[4], const uint64_t b64[4], const uint64_t m64[4],
                                uint64_t n0_64) {
    uint32_t a[8], b[8], m[8], t[10] = {0};
    for (int i = 0; i < 4; i++) {
        a[2 * i] = (uint32_t)a64[i], a[2 * i + 1] = (uint32_t)(a64[i] >> 32);
        b[2 * i] = (uint32_t)b64[i], b[2 * i + 1] = (uint32_t)(b64[i] >> 32);
        m[2 * i] = (uint32_t)m64[i], m[2 * i + 1] = (uint32_t)(m64[i] >> 32);
    }
    const uint32_t n0 = (uint32_t)n0_64;
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)a[i] * b[j] + t[j];
            t[j] = (uint32_t)c;
            c >>= 32;
        }
        uint64_t s = (uint64_t)t[8] + c;
        t[8] = (uint32_t)s;
        t[9] = (uint32_t)(s >> 32);
        const uint32_t q = t[0] * n0;
        c = ((uint64_t)q * m[0] + t[0]) >> 32; /* low half is zero by the choice of q */
        for (int j = 1; j < 8; j++) {
            c += (uint64_t)q * m[j] + t[j];
            t[j - 1] = (uint32_t)c;
            c >>= 32;
        }
        s = (uint64_t)t[8] + c;
        t[7] = (uint32_t)s;
        t[8] = t[9] + (uint32_t)(s >> 32);
    }
    /* t < 2m < 2^256 (t[8] = 0): subtract m once if t >= m, constant time */
    uint64_t tt[4], d[4], borrow = 0;
    for (int i = 0; i < 4; i++) tt[i] = (uint64_t)t[2 * i] | (uint64_t)t[2 * i + 1] << 32;
    for (int i = 0; i < 4; i++) {
        uint64_t x = tt[i] - m64[i];
        uint64_t bo = (tt[i] < m64[i]) | (x < borrow);
        d[i] = x - borrow;
        borrow = bo;
    }
    uint64_t mask = 0 - borrow; /* all ones if t < m: keep t */
    for (int i = 0; i < 4; i++) r[i] = (tt[i] & mask) | (d[i] & ~mask);
}

#endif
