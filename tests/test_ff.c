/* Fp and Fr: field axioms and a differential test against GMP on random and
 * edge-case values; conversions; the Montgomery constants. */
#include <gmp.h>

#include "ff/ff.h"
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

int main(void) {
    test_init();
    diff_fp();
    diff_fr();
    test_sqrt();
    test_roots();
    TEST_DONE();
}
