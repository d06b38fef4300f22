/* The WebAssembly Montgomery core (src/ff/mont_wasm.h, 32-bit limbs), run
 * natively: differential test against GMP for both BN254 moduli, over the
 * whole input contract (a, b < m; a < 2^256 with b < m; a, b < 2m) and edge
 * values. Why natively: the browser tests only see it through whole
 * verifications; here every product is checked against a*b/2^256 mod m. */
#include <gmp.h>

#include "ff/ff_constants.h"
#include "ff/mont_wasm.h"
#include "test.h"

static void from_limbs(mpz_t z, const uint64_t v[4]) { mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, v); }

/* a random value below bound (an mpz); edge cases 0, 1, bound-1 now and then */
static void rand_below(uint64_t v[4], mpz_t z, const mpz_t bound) {
    unsigned k = (unsigned)(test_rand64() % 16);
    uint64_t r[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64()};
    from_limbs(z, r);
    if (k == 0) mpz_set_ui(z, 0);
    else if (k == 1) mpz_set_ui(z, 1);
    else if (k == 2) mpz_sub_ui(z, bound, 1);
    else mpz_mod(z, z, bound);
    memset(v, 0, 32);
    mpz_export(v, NULL, -1, sizeof(uint64_t), 0, 0, z);
}

static void diff(const uint64_t mod[4], uint64_t n0) {
    mpz_t m, m2, full, x, y, z, w, rinv;
    mpz_inits(m, m2, full, x, y, z, w, rinv, NULL);
    from_limbs(m, mod);
    mpz_mul_2exp(m2, m, 1);
    mpz_setbit(full, 256);
    mpz_set_ui(rinv, 1);
    mpz_mul_2exp(rinv, rinv, 256);
    CHECK(mpz_invert(rinv, rinv, m) != 0);
    for (int it = 0; it < 30000; it++) {
        uint64_t a[4], b[4], r[4];
        int mode = it % 3; /* 0: a, b < m; 1: a < 2^256, b < m; 2: a, b < 2m */
        rand_below(a, x, mode == 0 ? m : mode == 1 ? full : m2);
        rand_below(b, y, mode == 2 ? m2 : m);
        mont_mul_w32(r, a, b, mod, n0);
        mpz_mul(z, x, y);
        mpz_mul(z, z, rinv);
        mpz_mod(z, z, m);
        from_limbs(w, r);
        CHECK(mpz_cmp(z, w) == 0); /* fully reduced and equal */
    }
    mpz_clears(m, m2, full, x, y, z, w, rinv, NULL);
}

int main(void) {
    test_init();
    diff(FP_MOD, FP_N0);
    diff(FR_MOD, FR_N0);
    TEST_DONE();
}
