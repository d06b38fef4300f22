/* The Ethereum pairing-check precompile (EIP-197, address 0x08) on every
 * vector of go-ethereum's bn256Pairing.json, through a small adapter with the
 * precompile's semantics:
 *   input = k pairs of 192 bytes (k >= 0), G1 = x || y, G2 = x_im || x_re ||
 *   y_im || y_re (32-byte big-endian words), all-zero = infinity; a length
 *   that is not a multiple of 192, a coordinate >= p, a point off its curve
 *   or a G2 point outside the order-r subgroup makes the call fail; otherwise
 *   the output is the 32-byte word 1 if prod e(P_i, Q_i) = 1, else 0.
 * The vector file holds only successful calls, so the failure cases are
 * derived from its valid inputs (truncated / extended input, coordinates
 * moved off the curve, non-canonical coordinates, G2 words in the wrong
 * order, a twist point of the wrong order) together with one changed result
 * (a negated G1 point turns a 1 into a 0). */
#include "ec/ec.h"
#include "ff/ff.h"
#include "json/json.h"
#include "pairing/pairing.h"
#include "test.h"

#define PAIR_BYTES 192

static zk_err eth_pairing(uint8_t out[32], const uint8_t *in, size_t len) {
    if (len % PAIR_BYTES != 0) return ZK_ERR_ARG;
    size_t k = len / PAIR_BYTES;
    g1_affine_t *p = malloc((k ? k : 1) * sizeof *p);
    g2_affine_t *q = malloc((k ? k : 1) * sizeof *q);
    if (!p || !q) { free(p); free(q); return ZK_ERR_NOMEM; }
    zk_err e = ZK_OK;
    for (size_t i = 0; i < k && e == ZK_OK; i++) {
        e = g1_from_eth(&p[i], in + i * PAIR_BYTES);
        if (e == ZK_OK) e = g2_from_eth(&q[i], in + i * PAIR_BYTES + 64);
    }
    if (e == ZK_OK) {
        memset(out, 0, 32);
        out[31] = (uint8_t)zk_pairing_check(p, q, k);
    }
    free(p);
    free(q);
    return e;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex into a fresh buffer; NULL on bad hex. */
static uint8_t *unhex(const char *s, size_t *len) {
    size_t n = strlen(s);
    if (n % 2) return NULL;
    uint8_t *b = malloc(n / 2 + 1);
    if (!b) return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
        if (h < 0 || l < 0) { free(b); return NULL; }
        b[i] = (uint8_t)(h * 16 + l);
    }
    *len = n / 2;
    return b;
}

static int is_zero_bytes(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* word := word + 1 mod p (a valid coordinate that moves the point off the curve) */
static void word_add_one(uint8_t w[32]) {
    fp_t a, one;
    CHECK(fp_from_bytes_be(&a, w) == ZK_OK);
    fp_one(&one);
    fp_add(&a, &a, &one);
    fp_to_bytes_be(w, &a);
}

/* word := word + p as a 256-bit integer (p < 2^254, so it fits): not canonical */
static void word_add_p(uint8_t w[32]) {
    unsigned carry = 0;
    uint8_t pb[32];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) pb[(3 - i) * 8 + k] = (uint8_t)(FP_MODULUS[i] >> (56 - 8 * k));
    for (int i = 31; i >= 0; i--) {
        unsigned s = (unsigned)w[i] + pb[i] + carry;
        w[i] = (uint8_t)s;
        carry = s >> 8;
    }
    CHECK(carry == 0);
}

/* A point of the twist y^2 = x^3 + 3/(9+u) that is not in G2 (the twist has
 * order r * c with a large cofactor c, so a random point is almost never in
 * G2), in the EIP-197 layout. */
static void twist_point_not_in_g2(uint8_t out[128]) {
    fp2_t b, x, y, rhs, t;
    fp_set_u64(&t.c0, 9);
    fp_one(&t.c1);
    fp2_inv(&b, &t);
    fp2_t three;
    fp_set_u64(&three.c0, 3);
    fp_zero(&three.c1);
    fp2_mul(&b, &b, &three);
    for (uint64_t i = 1;; i++) {
        fp_set_u64(&x.c0, i);
        fp_set_u64(&x.c1, 7);
        fp2_sqr(&rhs, &x);
        fp2_mul(&rhs, &rhs, &x);
        fp2_add(&rhs, &rhs, &b);
        if (fp2_sqrt(&y, &rhs) == ZK_OK) break;
    }
    g2_affine_t a = {x, y};
    CHECK(g2_affine_is_on_curve(&a));
    CHECK(!g2_affine_is_in_subgroup(&a));
    fp_to_bytes_be(out, &x.c1);
    fp_to_bytes_be(out + 32, &x.c0);
    fp_to_bytes_be(out + 64, &y.c1);
    fp_to_bytes_be(out + 96, &y.c0);
}

/* Runs the adapter on a modified copy and expects a failure. */
static void expect_reject(const uint8_t *in, size_t len, const char *what, const char *name) {
    uint8_t out[32];
    zk_err e = eth_pairing(out, in, len);
    CHECK_MSG(e != ZK_OK, "%s: %s accepted", name, what);
}

int main(void) {
    test_init();
    size_t flen;
    char *text = test_read_file(test_vector_path("eth-precompiles/bn256Pairing.json"), &flen);
    CHECK(text != NULL);
    if (!text) TEST_DONE();
    json_value *doc = NULL;
    json_error jerr;
    CHECK(json_parse(&doc, text, flen, &jerr) == ZK_OK);
    if (!doc) { fprintf(stderr, "%s\n", jerr.message); free(text); TEST_DONE(); }

    uint8_t bad_g2[128];
    twist_point_not_in_g2(bad_g2);

    size_t nvec = json_len(doc), ones = 0, zeros = 0;
    CHECK(nvec >= 10);
    for (size_t v = 0; v < nvec; v++) {
        const json_value *item = json_at(doc, v);
        const char *name = json_as_string(json_get(item, "Name"), NULL);
        const char *in_hex = json_as_string(json_get(item, "Input"), NULL);
        const char *exp_hex = json_as_string(json_get(item, "Expected"), NULL);
        CHECK(name && in_hex && exp_hex);
        if (!name || !in_hex || !exp_hex) continue;
        size_t len, elen;
        uint8_t *in = unhex(in_hex, &len), *expected = unhex(exp_hex, &elen);
        CHECK(in && expected && elen == 32);
        if (!in || !expected || elen != 32) { free(in); free(expected); continue; }

        uint8_t out[32];
        zk_err e = eth_pairing(out, in, len);
        CHECK_MSG(e == ZK_OK, "%s: %s", name, zk_strerror(e));
        CHECK_MSG(e == ZK_OK && memcmp(out, expected, 32) == 0, "%s: wrong result", name);
        if (expected[31] == 1) ones++; else zeros++;

        /* failure cases derived from this vector */
        uint8_t *m = malloc(len + PAIR_BYTES + 1);
        CHECK(m != NULL);
        if (!m) { free(in); free(expected); continue; }
        size_t before = (size_t)test_failed_;
        if (len > 0) expect_reject(in, len - 1, "truncated input", name);
        memcpy(m, in, len);
        m[len] = 0;
        expect_reject(m, len + 1, "one extra byte", name);
        memset(m + len, 0, PAIR_BYTES);
        expect_reject(m, len + 32, "a partial extra pair", name);
        /* a whole extra all-zero pair is (infinity, infinity): accepted, same result */
        e = eth_pairing(out, m, len + PAIR_BYTES);
        CHECK_MSG(e == ZK_OK && memcmp(out, expected, 32) == 0, "%s: extra infinity pair", name);
        for (size_t pi = 0; pi < len / PAIR_BYTES; pi++) {
            uint8_t *pair = m + pi * PAIR_BYTES;
            const uint8_t *orig = in + pi * PAIR_BYTES;
            int g1_inf = is_zero_bytes(orig, 64), g2_inf = is_zero_bytes(orig + 64, 128);
            if (!g1_inf) {
                memcpy(m, in, len);
                word_add_one(pair + 32);
                expect_reject(m, len, "G1 y + 1", name);
                memcpy(m, in, len);
                word_add_p(pair);
                expect_reject(m, len, "G1 x + p", name);
            }
            if (!g2_inf) {
                memcpy(m, in, len);
                word_add_one(pair + 64 + 32);
                expect_reject(m, len, "G2 x_re + 1", name);
                memcpy(m, in, len);
                word_add_p(pair + 64);
                expect_reject(m, len, "G2 x_im + p", name);
                memcpy(m, in, len);
                word_add_p(pair + 64 + 96);
                expect_reject(m, len, "G2 y_re + p", name);
                /* real part first (the snarkjs order) instead of imaginary first */
                memcpy(m, in, len);
                memcpy(pair + 64, orig + 96, 32);
                memcpy(pair + 96, orig + 64, 32);
                memcpy(pair + 128, orig + 160, 32);
                memcpy(pair + 160, orig + 128, 32);
                expect_reject(m, len, "G2 words swapped", name);
            }
            memcpy(m, in, len);
            memcpy(pair + 64, bad_g2, 128);
            expect_reject(m, len, "G2 outside the subgroup", name);
            /* negating a G1 point of a non-trivial pair turns a product that is 1
             * into e(P, Q)^-2 != 1 */
            if (!g1_inf && !g2_inf && expected[31] == 1) {
                memcpy(m, in, len);
                fp_t y;
                CHECK(fp_from_bytes_be(&y, pair + 32) == ZK_OK);
                fp_neg(&y, &y);
                fp_to_bytes_be(pair + 32, &y);
                e = eth_pairing(out, m, len);
                CHECK_MSG(e == ZK_OK && out[31] == 0 && is_zero_bytes(out, 31), "%s: negated P%zu", name, pi);
            }
        }
        if ((size_t)test_failed_ != before) fprintf(stderr, "%s: failures above\n", name);
        free(m);
        free(in);
        free(expected);
    }
    printf("%zu vectors (%zu true, %zu false)\n", nvec, ones, zeros);
    CHECK(ones > 0 && zeros > 0);
    json_free(doc);
    free(text);
    TEST_DONE();
}
