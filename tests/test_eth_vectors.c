/* Every vector of the Ethereum alt_bn128 ECADD (0x06) and ECMUL (0x07)
 * precompiles from go-ethereum (shared/vectors/eth-precompiles), run through
 * a small adapter with the precompile semantics (input right-padded with
 * zeros to 128 / 96 bytes, extra bytes ignored, the scalar any 256-bit
 * integer), plus inputs the precompiles must reject. ECMUL results are also
 * recomputed with the constant-time g1_mul (scalar reduced mod r) and with
 * g1_mul_var. */
#include "ec/ec.h"
#include "json/json.h"
#include "test.h"

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex into a malloc'ed buffer; -1 on malformed input. */
static long unhex(uint8_t **out, const char *s, size_t n) {
    if (n % 2) return -1;
    *out = malloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) { free(*out); return -1; }
        (*out)[i] = (uint8_t)(hi * 16 + lo);
    }
    return (long)(n / 2);
}

/* ECADD: x1 y1 x2 y2 */
static zk_err precompile_add(uint8_t out[64], const uint8_t *in, size_t len) {
    uint8_t buf[128] = {0};
    memcpy(buf, in, len < 128 ? len : 128);
    g1_affine_t a, b;
    zk_err e = g1_from_eth(&a, buf);
    if (e == ZK_OK) e = g1_from_eth(&b, buf + 64);
    if (e != ZK_OK) return e;
    g1_jac_t s;
    g1_from_affine(&s, &a);
    g1_add_mixed(&s, &s, &b);
    g1_to_affine(&a, &s);
    g1_to_eth(out, &a);
    return ZK_OK;
}

/* ECMUL: x y s; mode 0 = mul_u256_var on the raw integer, 1 = ct g1_mul
 * with s mod r, 2 = g1_mul_var with s mod r */
static zk_err precompile_mul(uint8_t out[64], const uint8_t *in, size_t len, int mode) {
    uint8_t buf[96] = {0};
    memcpy(buf, in, len < 96 ? len : 96);
    g1_affine_t a;
    zk_err e = g1_from_eth(&a, buf);
    if (e != ZK_OK) return e;
    uint64_t k[4];
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++) w = (w << 8) | buf[64 + (3 - i) * 8 + j];
        k[i] = w;
    }
    fr_t kr;
    fr_from_bytes_be_reduce(&kr, buf + 64, 32);
    g1_jac_t p;
    g1_from_affine(&p, &a);
    if (mode == 0) g1_mul_u256_var(&p, &p, k);
    else if (mode == 1) g1_mul(&p, &p, &kr);
    else g1_mul_var(&p, &p, &kr);
    g1_to_affine(&a, &p);
    g1_to_eth(out, &a);
    return ZK_OK;
}

static int run_file(const char *rel, int is_mul) {
    size_t len;
    char *text = test_read_file(test_vector_path(rel), &len);
    CHECK(text != NULL);
    if (!text) return 0;
    json_value *root = NULL;
    json_error err;
    CHECK(json_parse(&root, text, len, &err) == ZK_OK);
    free(text);
    if (!root) return 0;
    int count = 0;
    for (size_t i = 0; i < json_len(root); i++) {
        const json_value *v = json_at(root, i);
        size_t in_len, ex_len;
        const char *in_hex = json_as_string(json_get(v, "Input"), &in_len);
        const char *ex_hex = json_as_string(json_get(v, "Expected"), &ex_len);
        const char *name = json_as_string(json_get(v, "Name"), NULL);
        CHECK(in_hex && ex_hex);
        if (!in_hex || !ex_hex) continue;
        uint8_t *in = NULL, *ex = NULL;
        long n = unhex(&in, in_hex, in_len), m = unhex(&ex, ex_hex, ex_len);
        CHECK(n >= 0 && m == 64);
        if (n >= 0 && m == 64) {
            for (int mode = 0; mode < (is_mul ? 3 : 1); mode++) {
                uint8_t out[64];
                zk_err e = is_mul ? precompile_mul(out, in, (size_t)n, mode) : precompile_add(out, in, (size_t)n);
                CHECK_MSG(e == ZK_OK && memcmp(out, ex, 64) == 0, "%s %s mode %d: %s", rel, name ? name : "?",
                          mode, zk_strerror(e));
            }
            count++;
        }
        free(in);
        free(ex);
    }
    json_free(root);
    return count;
}

static void put_be(uint8_t out[32], const uint64_t v[4]) {
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[(3 - i) * 8 + k] = (uint8_t)(v[i] >> (56 - 8 * k));
}

static void test_rejections(void) {
    uint8_t in[128] = {0}, out[64];
    /* ECADD with an off-curve first or second point: (1, 3) */
    in[31] = 1; in[63] = 3;
    CHECK(precompile_add(out, in, 128) == ZK_ERR_NOT_ON_CURVE);
    memset(in, 0, sizeof in);
    in[64 + 31] = 1; in[64 + 63] = 3;
    CHECK(precompile_add(out, in, 128) == ZK_ERR_NOT_ON_CURVE);
    /* (0, 1) is not infinity and not on the curve */
    memset(in, 0, sizeof in);
    in[63] = 1;
    CHECK(precompile_add(out, in, 128) == ZK_ERR_NOT_ON_CURVE);
    /* coordinates >= p: x = p, y = p (the generator shifted by p) */
    memset(in, 0, sizeof in);
    put_be(in, FP_MODULUS);
    in[63] = 2;
    CHECK(precompile_add(out, in, 128) == ZK_ERR_NOT_CANONICAL);
    {
        uint64_t y[4] = {FP_MODULUS[0] + 2, FP_MODULUS[1], FP_MODULUS[2], FP_MODULUS[3]};
        memset(in, 0, sizeof in);
        in[31] = 1;
        put_be(in + 32, y); /* y = p + 2 = 2 mod p */
        CHECK(precompile_add(out, in, 128) == ZK_ERR_NOT_CANONICAL);
        CHECK(precompile_mul(out, in, 96, 0) == ZK_ERR_NOT_CANONICAL);
    }
    memset(in, 0xff, 64);
    CHECK(precompile_mul(out, in, 96, 0) == ZK_ERR_NOT_CANONICAL);
    /* ECMUL with an off-curve point (the generator's y + 1) */
    memset(in, 0, sizeof in);
    in[31] = 1; in[63] = 3; in[95] = 1;
    CHECK(precompile_mul(out, in, 96, 0) == ZK_ERR_NOT_ON_CURVE);
    /* a short input: only x = 1 given, y padded to 0: off curve */
    in[0] = 0;
    uint8_t shortin[32] = {0};
    shortin[31] = 1;
    CHECK(precompile_add(out, shortin, 32) == ZK_ERR_NOT_ON_CURVE);
    /* the empty input is O + O = O */
    CHECK(precompile_add(out, shortin, 0) == ZK_OK);
    int z = 1;
    for (int i = 0; i < 64; i++) z &= out[i] == 0;
    CHECK(z);
}

int main(void) {
    test_init();
    int na = run_file("eth-precompiles/bn256Add.json", 0);
    int nm = run_file("eth-precompiles/bn256ScalarMul.json", 1);
    printf("ECADD vectors: %d, ECMUL vectors: %d\n", na, nm);
    CHECK(na > 0 && nm > 0);
    test_rejections();
    TEST_DONE();
}
