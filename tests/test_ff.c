/* Fp and Fr: field axioms and a differential test against GMP on random and
 * edge-case values; conversions; the Montgomery constants. */
#include <gmp.h>

#include "ff/ff.h"
#include "ff/ff_constants.h"
#include "ff/mont.h" /* internal: raw-limb edge cases of the Montgomery core */
#include "test.h"

static void mpz_from_limbs(mpz_t z, const uint64_t v[4]) {
    mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, v);
}

static void limbs_from_mpz(uint64_t v[4], const mpz_t z) {
    memset(v, 0, 32);
    mpz_export(v, NULL, -1, sizeof(uint64_t), 0, 0, z);
}

/* a random value below the modulus; every 8th is an edge case */
static void rand_below(uint64_t v[4], const mpz_t m, mpz_t tmp) {
    switch (test_rand64() % 16) {
    case 0: mpz_set_ui(tmp, 0); break;
    case 1: mpz_set_ui(tmp, 1); break;
    case 2: mpz_sub_ui(tmp, m, 1); break;
    case 3: mpz_sub_ui(tmp, m, 2); break;
    default: {
        uint64_t r[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 2};
        mpz_from_limbs(tmp, r);
        mpz_mod(tmp, tmp, m);
    }
    }
    limbs_from_mpz(v, tmp);
}

#define DIFF_TEST(F, MODULUS)                                                              \
    static void diff_##F(void) {                                                           \
        mpz_t m, x, y, z, w;                                                               \
        mpz_inits(m, x, y, z, w, NULL);                                                    \
        mpz_from_limbs(m, MODULUS);                                                        \
        for (int it = 0; it < 20000; it++) {                                               \
            uint64_t av[4], bv[4], rv[4];                                                  \
            rand_below(av, m, x);                                                          \
            rand_below(bv, m, y);                                                          \
            F##_t a, b, r, r2;                                                             \
            CHECK(F##_from_u256(&a, av) == ZK_OK);                                         \
            CHECK(F##_from_u256(&b, bv) == ZK_OK);                                         \
            F##_mul(&r, &a, &b);                                                           \
            F##_mul_portable(&r2, &a, &b);                                                 \
            CHECK(F##_eq(&r, &r2));                                                        \
            F##_to_u256(rv, &r);                                                           \
            mpz_mul(z, x, y); mpz_mod(z, z, m); mpz_from_limbs(w, rv);                     \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
            F##_add(&r, &a, &b); F##_to_u256(rv, &r);                                      \
            mpz_add(z, x, y); mpz_mod(z, z, m); mpz_from_limbs(w, rv);                     \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
            F##_sub(&r, &a, &b); F##_to_u256(rv, &r);                                      \
            mpz_sub(z, x, y); mpz_mod(z, z, m); mpz_from_limbs(w, rv);                     \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
            F##_neg(&r, &a); F##_to_u256(rv, &r);                                          \
            mpz_neg(z, x); mpz_mod(z, z, m); mpz_from_limbs(w, rv);                        \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
            F##_sqr(&r, &a); F##_to_u256(rv, &r);                                          \
            mpz_mul(z, x, x); mpz_mod(z, z, m); mpz_from_limbs(w, rv);                     \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
            F##_half(&r, &a); F##_dbl(&r, &r);                                             \
            CHECK(F##_eq(&r, &a));                                                         \
            if (it % 16 == 0) {                                                            \
                F##_inv(&r, &a); F##_inv_var(&r2, &a);                                     \
                CHECK(F##_eq(&r, &r2));                                                    \
                F##_to_u256(rv, &r);                                                       \
                if (mpz_sgn(x) == 0) CHECK(F##_is_zero(&r));                               \
                else {                                                                     \
                    mpz_invert(z, x, m); mpz_from_limbs(w, rv);                            \
                    CHECK(mpz_cmp(z, w) == 0);                                             \
                }                                                                          \
                uint64_t e[2] = {test_rand64(), test_rand64()};                            \
                F##_pow(&r, &a, e, 2); F##_to_u256(rv, &r);                                \
                mpz_import(z, 2, -1, 8, 0, 0, e); mpz_powm(z, x, z, m);                    \
                mpz_from_limbs(w, rv);                                                     \
                CHECK(mpz_cmp(z, w) == 0);                                                 \
                char dec[80], hex[65];                                                     \
                F##_t back;                                                                \
                CHECK(F##_to_dec(dec, sizeof dec, &a) > 0);                                \
                CHECK(mpz_set_str(z, dec, 10) == 0 && mpz_cmp(z, x) == 0);                 \
                CHECK(F##_from_dec(&back, dec) == ZK_OK && F##_eq(&back, &a));             \
                F##_to_hex(hex, &a);                                                       \
                CHECK(F##_from_hex(&back, hex) == ZK_OK && F##_eq(&back, &a));             \
                uint8_t be[32], le[32];                                                    \
                F##_to_bytes_be(be, &a); F##_to_bytes_le(le, &a);                          \
                for (int k = 0; k < 32; k++) CHECK(be[k] == le[31 - k]);                   \
                CHECK(F##_from_bytes_le(&back, le) == ZK_OK && F##_eq(&back, &a));         \
                CHECK(F##_from_bytes_be(&back, be) == ZK_OK && F##_eq(&back, &a));         \
            }                                                                              \
        }                                                                                  \
        /* non-canonical inputs are rejected */                                            \
        uint64_t mv[4]; limbs_from_mpz(mv, m);                                             \
        F##_t t;                                                                           \
        CHECK(F##_from_u256(&t, mv) == ZK_ERR_NOT_CANONICAL);                              \
        char *md = mpz_get_str(NULL, 10, m);                                               \
        CHECK(F##_from_dec(&t, md) == ZK_ERR_NOT_CANONICAL);                               \
        free(md);                                                                          \
        CHECK(F##_from_dec(&t, "") == ZK_ERR_PARSE);                                       \
        CHECK(F##_from_dec(&t, "12a") == ZK_ERR_PARSE);                                    \
        CHECK(F##_from_hex(&t, "0x") == ZK_ERR_PARSE);                                     \
        CHECK(F##_from_hex(&t, "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff") == ZK_ERR_NOT_CANONICAL); \
        /* reduction of 64-byte strings */                                                 \
        for (int it = 0; it < 200; it++) {                                                 \
            uint8_t buf[64]; size_t len = (size_t)(test_rand64() % 65);                    \
            for (size_t k = 0; k < len; k++) buf[k] = (uint8_t)test_rand64();              \
            F##_from_bytes_be_reduce(&t, buf, len);                                        \
            uint64_t rv[4]; F##_to_u256(rv, &t);                                           \
            mpz_import(z, len, 1, 1, 0, 0, buf); mpz_mod(z, z, m); mpz_from_limbs(w, rv);  \
            CHECK(mpz_cmp(z, w) == 0);                                                     \
        }                                                                                  \
        /* batch inversion with zeros */                                                   \
        F##_t in[37], out[37], scratch[37];                                                \
        for (int k = 0; k < 37; k++) {                                                     \
            if (k % 5 == 0) F##_zero(&in[k]); else F##_set_u64(&in[k], test_rand64());     \
        }                                                                                  \
        F##_batch_inv_var(out, in, 37, scratch);                                           \
        for (int k = 0; k < 37; k++) {                                                     \
            F##_t e; F##_inv(&e, &in[k]); CHECK(F##_eq(&e, &out[k]));                      \
        }                                                                                  \
        mpz_clears(m, x, y, z, w, NULL);                                                   \
    }

DIFF_TEST(fp, FP_MODULUS)
DIFF_TEST(fr, FR_MODULUS)

static void test_sqrt(void) {
    for (int it = 0; it < 200; it++) {
        fp_t a, s, r;
        fp_set_u64(&a, test_rand64());
        fp_sqr(&s, &a);
        CHECK(fp_is_square(&s));
        CHECK(fp_sqrt(&r, &s) == ZK_OK);
        fp_sqr(&r, &r);
        CHECK(fp_eq(&r, &s));
        fp_t nonres; /* -1 is a non-residue since p = 3 mod 4 */
        fp_one(&nonres); fp_neg(&nonres, &nonres);
        fp_mul(&s, &s, &nonres);
        if (!fp_is_zero(&a)) {
            CHECK(!fp_is_square(&s));
            CHECK(fp_sqrt(&r, &s) == ZK_ERR_NO_SQRT);
        }
    }
}

static void test_roots(void) {
    fr_t w, t;
    for (unsigned k = 0; k <= FR_TWO_ADICITY; k++) {
        fr_root_of_unity(&w, k);
        t = w;
        for (unsigned i = 0; i < k; i++) fr_sqr(&t, &t);
        CHECK(fr_is_one(&t)); /* w^(2^k) = 1 */
        if (k > 0) {
            t = w;
            for (unsigned i = 0; i + 1 < k; i++) fr_sqr(&t, &t);
            fr_t minus1; fr_one(&minus1); fr_neg(&minus1, &minus1);
            CHECK(fr_eq(&t, &minus1)); /* primitive: w^(2^(k-1)) = -1 */
        }
    }
}

/* Carry-propagation edge cases of the Montgomery core (mont.h) on raw limbs.
 * Limbs are drawn from 0, 1, 2, 2^32, 2^63-1, 2^63, 2^64-2, 2^64-1, m_i,
 * m_i +- 1 and random words, so partial sums hit 2^64-1 and the Montgomery
 * quotient q is 0 or extreme; each result of the dispatched routine (the
 * x86-64 asm when built with ADX/BMI2) is compared with the portable C one and
 * with GMP's a*b/2^256 mod m, and must be fully reduced. Also covered: the
 * documented wider inputs (a < 2^256 against b < m, as in the R2/R3
 * conversions, and lazy-reduced a, b < 2m). */
static uint64_t edge_limb(const uint64_t m[4], int i) {
    switch (test_rand64() % 13) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 2;
    case 3: return UINT64_C(1) << 32;
    case 4: return UINT64_C(1) << 63;
    case 5: return (UINT64_C(1) << 63) - 1;
    case 6: return ~UINT64_C(0);
    case 7: return ~UINT64_C(0) - 1;
    case 8: return m[i];
    case 9: return m[i] - 1;
    case 10: return m[i] + 1;
    default: return test_rand64();
    }
}

/* an edge-pattern value below k*m (k = 1 or 2), or any 256-bit value (k = 0) */
static void edge_value(uint64_t v[4], const uint64_t m[4], int k) {
    for (int i = 0; i < 4; i++) v[i] = edge_limb(m, i);
    if (k == 0) return;
    v[3] %= (uint64_t)k * m[3] + 2; /* now v < k*m + 2^193 */
    uint64_t km[4], d[4];
    mont_add_raw(km, m, m);
    if (k == 1) memcpy(km, m, 32);
    if (!mont_sub_raw(d, v, km)) mont_sub_raw(v, v, m);
}

static void edge_check_mul(const uint64_t a[4], const uint64_t b[4], const uint64_t m[4],
                           uint64_t n0, mpz_t zm, mpz_t rinv, mpz_t x, mpz_t y) {
    uint64_t r1[4], r2[4];
    mont_mul(r1, a, b, m, n0);
    mont_mul_portable(r2, a, b, m, n0);
    CHECK_MSG(memcmp(r1, r2, 32) == 0, "a=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64
              " b=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 " portable=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64,
              a[3], a[2], a[1], a[0], b[3], b[2], b[1], b[0], r2[3], r2[2], r2[1], r2[0]);
    CHECK(mont_lt(r1, m));
    mpz_from_limbs(x, a); mpz_from_limbs(y, b);
    mpz_mul(x, x, y); mpz_mul(x, x, rinv); mpz_mod(x, x, zm);
    mpz_from_limbs(y, r1);
    CHECK_MSG(mpz_cmp(x, y) == 0, "a=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64
              " b=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64,
              a[3], a[2], a[1], a[0], b[3], b[2], b[1], b[0]);
}

static void edge_check_sqr(const uint64_t a[4], const uint64_t m[4], uint64_t n0, mpz_t zm,
                           mpz_t rinv, mpz_t x, mpz_t y) {
    uint64_t r1[4], r2[4];
    mont_sqr(r1, a, m, n0);
    mont_mul_portable(r2, a, a, m, n0);
    CHECK(memcmp(r1, r2, 32) == 0);
    CHECK(mont_lt(r1, m));
    mpz_from_limbs(x, a);
    mpz_mul(x, x, x); mpz_mul(x, x, rinv); mpz_mod(x, x, zm);
    mpz_from_limbs(y, r1);
    CHECK(mpz_cmp(x, y) == 0);
}

static void test_mont_edges(const uint64_t m[4], uint64_t n0, const uint64_t r1m[4],
                            const uint64_t r2m[4], const uint64_t r3m[4]) {
    mpz_t zm, rinv, x, y, z;
    mpz_inits(zm, rinv, x, y, z, NULL);
    mpz_from_limbs(zm, m);
    mpz_setbit(rinv, 256);
    CHECK(mpz_invert(rinv, rinv, zm) != 0);
    /* fixed specials, all pairs */
    uint64_t sp[12][4] = {
        {0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0},
        {~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0), m[3] - 1},
        {~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0), 0},
        {0, 0, 0, m[3] - 1}, {~UINT64_C(0), 0, ~UINT64_C(0), 0},
        {UINT64_C(1) << 63, UINT64_C(1) << 63, UINT64_C(1) << 63, m[3] >> 1},
    };
    mont_sub_raw(sp[8], m, sp[1]);  /* m - 1 */
    mont_sub_raw(sp[9], m, sp[2]);  /* m - 2 */
    memcpy(sp[10], r1m, 32);        /* Montgomery one */
    mont_sub_raw(sp[11], m, r1m);   /* Montgomery -1 */
    for (int i = 0; i < 12; i++) {
        for (int j = 0; j < 12; j++) edge_check_mul(sp[i], sp[j], m, n0, zm, rinv, x, y);
        edge_check_sqr(sp[i], m, n0, zm, rinv, x, y);
    }
    for (int it = 0; it < 20000; it++) {
        uint64_t a[4], b[4], r1[4], r2[4];
        edge_value(a, m, 1);
        edge_value(b, m, 1);
        edge_check_mul(a, b, m, n0, zm, rinv, x, y);
        edge_check_sqr(a, m, n0, zm, rinv, x, y);
        /* add / sub / neg: dispatched vs portable vs GMP */
        mpz_from_limbs(x, a); mpz_from_limbs(y, b);
        mont_add(r1, a, b, m); mont_add_portable(r2, a, b, m);
        CHECK(memcmp(r1, r2, 32) == 0);
        mpz_add(z, x, y); mpz_mod(z, z, zm); mpz_from_limbs(x, r1);
        CHECK(mpz_cmp(z, x) == 0);
        mpz_from_limbs(x, a);
        mont_sub(r1, a, b, m); mont_sub_portable(r2, a, b, m);
        CHECK(memcmp(r1, r2, 32) == 0);
        mpz_sub(z, x, y); mpz_mod(z, z, zm); mpz_from_limbs(y, r1);
        CHECK(mpz_cmp(z, y) == 0);
        mont_neg(r1, a, m); mont_neg_portable(r2, a, m);
        CHECK(memcmp(r1, r2, 32) == 0);
        mpz_neg(z, x); mpz_mod(z, z, zm); mpz_from_limbs(y, r1);
        CHECK(mpz_cmp(z, y) == 0);
    }
    /* unreduced a < 2^256 against b < m (the R2 / R3 / 1 conversions) */
    for (int it = 0; it < 10000; it++) {
        uint64_t a[4], b[4];
        edge_value(a, m, 0);
        switch (it % 4) {
        case 0: memcpy(b, r2m, 32); break;
        case 1: memcpy(b, r3m, 32); break;
        case 2: memcpy(b, sp[1], 32); break;
        default: edge_value(b, m, 1);
        }
        edge_check_mul(a, b, m, n0, zm, rinv, x, y);
    }
    /* found by the loop above: overflowed a 5-word accumulator scanning b */
    static const uint64_t wide_a[4] = {0x43e1f593f0000001, 0xfffffffffffffffe,
                                       0xfffffffffffffffe, 0xffffffffffffffff};
    static const uint64_t wide_b[4] = {1, 0xffffffffffffffff, 0xffffffffffffffff,
                                       0x0e0a77c19a07df27};
    edge_check_mul(wide_a, wide_b, m, n0, zm, rinv, x, y);
    uint64_t ones[4] = {~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0), ~UINT64_C(0)};
    edge_check_mul(ones, r2m, m, n0, zm, rinv, x, y);
    edge_check_mul(ones, r3m, m, n0, zm, rinv, x, y);
    edge_check_mul(ones, sp[8], m, n0, zm, rinv, x, y);
    /* lazy-reduced a, b < 2m */
    uint64_t two_m_1[4];
    mont_add_raw(two_m_1, m, sp[8]);  /* 2m - 1 */
    edge_check_mul(two_m_1, two_m_1, m, n0, zm, rinv, x, y);
    edge_check_sqr(two_m_1, m, n0, zm, rinv, x, y);
    for (int it = 0; it < 3000; it++) {
        uint64_t a[4], b[4];
        edge_value(a, m, 2);
        edge_value(b, m, 2);
        edge_check_mul(a, b, m, n0, zm, rinv, x, y);
        edge_check_sqr(a, m, n0, zm, rinv, x, y);
    }
    mpz_clears(zm, rinv, x, y, z, NULL);
}

int main(void) {
    test_init();
    diff_fp();
    diff_fr();
    test_sqrt();
    test_roots();
    test_mont_edges(FP_MOD, FP_N0, FP_R1, FP_R2, FP_R3);
    test_mont_edges(FR_MOD, FR_N0, FR_R1, FR_R2, FR_R3);
    TEST_DONE();
}
