/* Internal to the MSM: the few wide-integer steps of the endomorphism
 * splits (msm_g1.c, msm_g2.c). The split halves are below 2^128, so after
 * the rounding quotient is known everything is computed mod 2^192 and the
 * small result read as a two's complement number. */
#ifndef ZKPOS_EC_MSM_WIDE_H
#define ZKPOS_EC_MSM_WIDE_H

#include "../ff/mont.h"
#include "../util/util.h"

/* r = floor(a * b / 2^256), a < 2^256, b < 2^192 (3 limbs of the result) */
ZK_INLINE void mul_shr256(uint64_t r[3], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[7] = {0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        zk_u128 c = 0;
        for (int j = 0; j < 3; j++) {
            c += (zk_u128)a[i] * b[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + 3] = (uint64_t)c;
    }
    r[0] = t[4];
    r[1] = t[5];
    r[2] = t[6];
}

/* acc += (-1)^neg * a * b mod 2^192 */
ZK_INLINE void muladd192(uint64_t acc[3], const uint64_t a[3], const uint64_t b[4], int neg) {
    uint64_t p[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        zk_u128 c = 0;
        for (int j = 0; i + j < 3; j++) {
            c += (zk_u128)a[i] * b[j] + p[i + j];
            p[i + j] = (uint64_t)c;
            c >>= 64;
        }
    }
    zk_u128 c = 0;
    if (neg) {
        uint64_t borrow = 0;
        for (int i = 0; i < 3; i++) {
            zk_u128 d = (zk_u128)acc[i] - p[i] - borrow;
            acc[i] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
    } else {
        for (int i = 0; i < 3; i++) {
            c += (zk_u128)acc[i] + p[i];
            acc[i] = (uint64_t)c;
            c >>= 64;
        }
    }
}

/* |v| and sign of a two's complement value mod 2^192 */
ZK_INLINE void abs192(uint64_t r[4], int *neg, const uint64_t v[3]) {
    *neg = (int)(v[2] >> 63);
    uint64_t m = 0 - (uint64_t)*neg, c = (uint64_t)*neg;
    for (int i = 0; i < 3; i++) {
        zk_u128 s = (zk_u128)(v[i] ^ m) + c;
        r[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    r[3] = 0;
}

#endif
