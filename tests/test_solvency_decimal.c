/* Decimal conversion (spec §4.3) and 192-bit integers.
 *
 * Independent checks: hand-picked cases whose values follow from the
 * shopspring/decimal v1.3.1 rules and the spec, and a differential test
 * against GMP on random strings, where the expected value is computed with
 * exact big-integer arithmetic (mantissa * 10^exp, truncating division). */
#include <gmp.h>

#include "solvency/solvency.h"
#include "test.h"

typedef struct {
    const char *s;
    unsigned scale;
    int ok;
    uint64_t v;
} dcase;

static const dcase CASES[] = {
    {"0.0", 8, 1, 0},
    {"0", 8, 1, 0},
    {"1.5", 8, 1, 150000000},
    {"30000.12345678", 8, 1, 3000012345678ULL},
    {"0.07", 8, 1, 7000000},
    {"2e-08", 8, 1, 2},
    {"9.63e-05", 8, 1, 9630},
    {"1e-09", 8, 1, 0},                 /* truncated */
    {"0.000000019", 8, 1, 1},           /* truncation, not rounding */
    {"-0.000000001", 8, 1, 0},          /* negative, truncates to zero: accepted */
    {"-0.00000001", 8, 0, 0},           /* -1 after scaling */
    {"-0", 8, 1, 0},
    {"-0.0", 8, 1, 0},
    {"+1", 8, 1, 100000000},
    {".5", 8, 1, 50000000},
    {"5.", 8, 1, 500000000},
    {".-5", 0, 1, 0},                   /* the point is removed first: -0.05 */
    {".-5", 8, 0, 0},                   /* -5000000 */
    {".+5", 2, 1, 5},
    {"1E2", 8, 1, 10000000000ULL},
    {"1e+2", 0, 1, 100},
    {"12.5e-1", 0, 1, 1},
    {"0012.50", 2, 1, 1250},
    {"18446744073709551615", 0, 1, UINT64_MAX},
    {"18446744073709551616", 0, 0, 0},
    {"184467440737.09551615", 8, 1, UINT64_MAX},
    {"184467440737.09551616", 8, 0, 0},
    {"184467440737.095516159999", 8, 1, UINT64_MAX},
    {"1844674407370955161.5e1", 0, 1, UINT64_MAX},
    {"99999999999999999999", 0, 0, 0},
    {"0.1844674407370955161500000000000000001e20", 0, 1, UINT64_MAX},
    {"1e2147483647", 8, 0, 0},
    {"0e2147483647", 8, 1, 0},
    {"1e-2147483648", 8, 1, 0},
    {"1e2147483648", 0, 0, 0},          /* exponent does not fit an int32 */
    {"1e-2147483649", 0, 0, 0},
    {"0.5e-2147483648", 0, 0, 0},       /* fraction pushes the exponent out of range */
    {"1e", 8, 0, 0},
    {"e5", 8, 0, 0},
    {"1e5e3", 8, 0, 0},
    {"1e5.0", 8, 0, 0},
    {"1e+", 8, 0, 0},
    {"1.2.3", 8, 0, 0},
    {".", 8, 0, 0},
    {"-", 8, 0, 0},
    {"+", 8, 0, 0},
    {"", 8, 0, 0},
    {" 1", 8, 0, 0},
    {"1 ", 8, 0, 0},
    {"1_000", 8, 0, 0},
    {"0x10", 8, 0, 0},
    {"--1", 8, 0, 0},
    {"1-", 8, 0, 0},
    {"5.-3", 8, 0, 0},
    {"NaN", 8, 0, 0},
    {"Inf", 8, 0, 0},
    {"1,5", 8, 0, 0},
    {"\xd9\xa1", 8, 0, 0},             /* Arabic-Indic digit one */
};

/* Expected result with GMP: value = M * 10^E (M signed integer), truncated. */
static int gmp_expect(uint64_t *out, const char *mant_digits, int neg, long e) {
    mpz_t m, p, lim;
    mpz_inits(m, p, lim, NULL);
    mpz_set_str(m, mant_digits, 10);
    if (neg) mpz_neg(m, m);
    if (e >= 0) {
        mpz_ui_pow_ui(p, 10, (unsigned long)e);
        mpz_mul(m, m, p);
    } else {
        mpz_ui_pow_ui(p, 10, (unsigned long)-e);
        mpz_tdiv_q(m, m, p);
    }
    mpz_ui_pow_ui(lim, 2, 64);
    int ok = mpz_sgn(m) >= 0 && mpz_cmp(m, lim) < 0;
    *out = 0;
    if (ok) {
        size_t cnt = 0;
        uint64_t w = 0;
        mpz_export(&w, &cnt, -1, sizeof w, 0, 0, m);
        *out = w;
    }
    mpz_clears(m, p, lim, NULL);
    return ok;
}

static void random_case(void) {
    char s[128], digits[80];
    size_t n = 0, nd = 0;
    int neg = 0;
    uint64_t r = test_rand64();
    if (r % 4 == 1) s[n++] = '+';
    if (r % 4 == 2) {
        s[n++] = '-';
        neg = 1;
    }
    size_t ni = test_rand64() % 24, nf = test_rand64() % 24;
    int dot = (int)(test_rand64() % 3 != 0);
    if (!ni && (!nf || !dot)) ni = 1; /* at least one digit */
    for (size_t i = 0; i < ni; i++) {
        char c = (char)('0' + test_rand64() % 10);
        if (test_rand64() % 3 == 0) c = '0';
        s[n++] = c;
        digits[nd++] = c;
    }
    long e = 0;
    if (dot) {
        s[n++] = '.';
        for (size_t i = 0; i < nf; i++) {
            char c = (char)('0' + test_rand64() % 10);
            s[n++] = c;
            digits[nd++] = c;
        }
        e -= (long)nf;
    }
    if (test_rand64() % 2) {
        long x = (long)(test_rand64() % 61) - 30;
        n += (size_t)snprintf(s + n, sizeof s - n, "%c%s%ld", test_rand64() % 2 ? 'e' : 'E',
                              x >= 0 && test_rand64() % 2 ? "+" : "", x);
        e += x;
    }
    s[n] = 0;
    digits[nd] = 0;
    unsigned scale = (unsigned)(test_rand64() % 3 == 0 ? 2 : test_rand64() % 2 ? 8 : 14);
    uint64_t want, got;
    int ok = gmp_expect(&want, digits, neg, e + (long)scale);
    const char *why;
    zk_err rc = zk_decimal_to_u64(&got, s, n, scale, &why);
    CHECK_MSG((rc == ZK_OK) == ok, "\"%s\" x10^%u: rc %d, expected ok=%d", s, scale, rc, ok);
    if (ok && rc == ZK_OK) CHECK_MSG(got == want, "\"%s\" x10^%u: got %llu want %llu", s, scale,
                                     (unsigned long long)got, (unsigned long long)want);
}

static void test_u192(void) {
    /* against GMP on random values */
    for (int it = 0; it < 2000; it++) {
        zk_u192 a = {{test_rand64(), test_rand64(), test_rand64()}};
        int shift = (int)(test_rand64() % 192);
        if (it % 3 == 0) {
            /* small values too */
            for (int k = 0; k < 3; k++) a.l[k] = (k * 64 >= 192 - shift) ? 0 : a.l[k];
        }
        char dec[59];
        size_t n = zk_u192_to_dec(dec, &a);
        mpz_t z;
        mpz_init(z);
        mpz_import(z, 3, -1, sizeof(uint64_t), 0, 0, a.l);
        char *g = mpz_get_str(NULL, 10, z);
        CHECK_MSG(!strcmp(dec, g) && n == strlen(g), "%s vs %s", dec, g);
        zk_u192 b;
        CHECK(zk_u192_from_dec(&b, dec, n) == ZK_OK && zk_u192_cmp(&a, &b) == 0);
        free(g);
        mpz_clear(z);
    }
    zk_u192 z0 = {{0, 0, 0}}, b;
    char dec[59];
    CHECK(zk_u192_to_dec(dec, &z0) == 1 && !strcmp(dec, "0"));
    /* 2^192 - 1 and 2^192 */
    const char *max = "6277101735386680763835789423207666416102355444464034512895";
    const char *over = "6277101735386680763835789423207666416102355444464034512896";
    CHECK(zk_u192_from_dec(&b, max, strlen(max)) == ZK_OK && b.l[0] == UINT64_MAX && b.l[2] == UINT64_MAX);
    CHECK(zk_u192_from_dec(&b, over, strlen(over)) == ZK_ERR_ARG);
    CHECK(zk_u192_from_dec(&b, "12a", 3) == ZK_ERR_PARSE);
    CHECK(zk_u192_from_dec(&b, "", 0) == ZK_ERR_PARSE);
    zk_u192 x = {{5, 0, 1}}, y = {{6, 0, 0}};
    CHECK(zk_u192_cmp(&x, &y) == 1 && zk_u192_cmp(&y, &x) == -1 && zk_u192_cmp(&x, &x) == 0);
}

static void test_encodings(void) {
    uint8_t b[40], d[40];
    for (int len = 0; len < 40; len++) {
        for (int i = 0; i < len; i++) b[i] = (uint8_t)test_rand64();
        char e[64], h[90];
        zk_base64_encode(e, b, (size_t)len);
        CHECK(strlen(e) == (size_t)(len + 2) / 3 * 4);
        size_t dl;
        CHECK(zk_base64_decode(d, sizeof d, &dl, e, strlen(e)) == ZK_OK && dl == (size_t)len && !memcmp(b, d, dl));
        zk_hex_encode(h, b, (size_t)len);
        CHECK(zk_hex_decode(d, (size_t)len, h, strlen(h)) == ZK_OK && !memcmp(b, d, (size_t)len));
    }
    /* RFC 4648 test vectors */
    char e[16];
    zk_base64_encode(e, (const uint8_t *)"foob", 4);
    CHECK(!strcmp(e, "Zm9vYg=="));
    zk_base64_encode(e, (const uint8_t *)"fooba", 5);
    CHECK(!strcmp(e, "Zm9vYmE="));
    size_t dl;
    CHECK(zk_base64_decode(d, sizeof d, &dl, "Zm9vYh==", 8) == ZK_ERR_PARSE); /* non-canonical bits */
    CHECK(zk_base64_decode(d, sizeof d, &dl, "Zm9vYg", 6) == ZK_ERR_PARSE);   /* no padding */
    CHECK(zk_base64_decode(d, sizeof d, &dl, "Zm9v Yg==", 9) == ZK_ERR_PARSE);
    CHECK(zk_base64_decode(d, sizeof d, &dl, "Zm9=vYg=", 8) == ZK_ERR_PARSE);
    CHECK(zk_hex_decode(d, 2, "0aFf", 4) == ZK_OK && d[0] == 0x0a && d[1] == 0xff);
    CHECK(zk_hex_decode(d, 2, "0aFg", 4) == ZK_ERR_PARSE);
    CHECK(zk_hex_decode(d, 2, "0aF", 3) == ZK_ERR_PARSE);
}

int main(void) {
    test_init();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const dcase *c = &CASES[i];
        uint64_t v = 12345;
        const char *why = NULL;
        zk_err e = zk_decimal_to_u64(&v, c->s, strlen(c->s), c->scale, &why);
        CHECK_MSG((e == ZK_OK) == c->ok, "case \"%s\" x10^%u: rc %d (%s)", c->s, c->scale, e, why ? why : "");
        if (c->ok) CHECK_MSG(v == c->v, "case \"%s\": %llu != %llu", c->s, (unsigned long long)v,
                             (unsigned long long)c->v);
        else CHECK(why != NULL && v == 0);
    }
    for (int i = 0; i < 20000; i++) random_case();
    test_u192();
    test_encodings();
    TEST_DONE();
}
