/* JSON reader/writer: hand-checked documents and error positions, malformed
 * inputs, the nesting limit, big integers, Go's escaping (expected strings
 * are what Go's encoding/json.Marshal prints), and the real vector files,
 * including a Go-produced user-proof JSON that must be re-emitted byte for byte. */
#include <string.h>

#include "ff/ff.h"
#include "json/json.h"
#include "test.h"
#include "test_vectors_json.h"

static json_value *parse_str(const char *s, json_error *err) {
    json_value *v = NULL;
    zk_err e = json_parse(&v, s, strlen(s), err);
    return e == ZK_OK ? v : NULL;
}

static char *emit(const json_value *v) {
    json_writer w;
    json_writer_init(&w);
    json_w_value(&w, v);
    char *out;
    size_t len;
    if (json_writer_finish(&w, &out, &len) != ZK_OK) return NULL;
    return out;
}

/* Parses s and checks the compact re-emission equals want. */
static void check_roundtrip(const char *s, const char *want) {
    json_error err;
    json_value *v = parse_str(s, &err);
    CHECK_MSG(v != NULL, "parse %s: %s", s, err.message);
    if (!v) return;
    char *out = emit(v);
    CHECK_MSG(out && strcmp(out, want) == 0, "%s -> %s, want %s", s, out ? out : "(null)", want);
    free(out);
    json_free(v);
}

static void check_error(const char *s, size_t line, size_t col, const char *msg_prefix) {
    json_error err;
    json_value *v = parse_str(s, &err);
    CHECK_MSG(v == NULL, "accepted malformed %s", s);
    json_free(v);
    if (v) return;
    if (line) CHECK_MSG(err.line == line && err.column == col, "%s: got %zu:%zu (%s), want %zu:%zu", s, err.line,
                        err.column, err.message, line, col);
    if (msg_prefix)
        CHECK_MSG(strncmp(err.message, msg_prefix, strlen(msg_prefix)) == 0, "%s: message '%s', want '%s...'", s,
                  err.message, msg_prefix);
}

static int tree_eq(const json_value *a, const json_value *b) {
    if (a->type != b->type || a->len != b->len) return 0;
    switch (a->type) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER:
    case JSON_STRING: return memcmp(a->text, b->text, a->len) == 0;
    case JSON_OBJECT:
        for (size_t k = 0; k < a->len; k++)
            if (a->keys[k].len != b->keys[k].len || memcmp(a->keys[k].s, b->keys[k].s, a->keys[k].len)) return 0;
        /* fall through */
    case JSON_ARRAY:
        for (size_t k = 0; k < a->len; k++)
            if (!tree_eq(&a->items[k], &b->items[k])) return 0;
        return 1;
    }
    return 0;
}

static void test_documents(void) {
    check_roundtrip(" { \"a\" : [1, 2.5e-3, -0, 0.0, 1E+9, true, false, null],\n\t\"b\":{\"c\":\"x\"}, \"\":[] , \"e\":{}}\r\n",
                    "{\"a\":[1,2.5e-3,-0,0.0,1E+9,true,false,null],\"b\":{\"c\":\"x\"},\"\":[],\"e\":{}}");
    check_roundtrip("[]", "[]");
    check_roundtrip("\"\"", "\"\"");
    check_roundtrip("17", "17");
    /* key order is kept, not sorted */
    check_roundtrip("{\"z\":1,\"a\":2,\"m\":3}", "{\"z\":1,\"a\":2,\"m\":3}");
    /* escapes decode, and re-encode the way Go does: \/ becomes /, é stays raw,
     * U+1F600 stays raw, controls use \u00xx except \b \f \n \r \t */
    check_roundtrip("\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\u0001\\u001F\\t\\r\"",
                    "\"\xc3\xa9\xf0\x9f\x98\x80\\n\\\"\\\\/\\b\\f\\u0001\\u001f\\t\\r\"");

    /* decoded bytes */
    json_value *v = parse_str("{\"k\":\"A\\u0000B\\u20ac\",\"n\":[0,1]}", NULL);
    CHECK(v != NULL);
    size_t len = 0;
    const char *s = json_as_string(json_get(v, "k"), &len);
    CHECK(s && len == 6 && memcmp(s, "A\0B\xe2\x82\xac", 6) == 0);
    CHECK(json_get(v, "missing") == NULL);
    CHECK(json_as_string(json_get(v, "n"), NULL) == NULL);
    CHECK(json_len(json_get(v, "n")) == 2);
    CHECK(json_at(json_get(v, "n"), 2) == NULL);
    CHECK(strcmp(json_number_text(json_at(json_get(v, "n"), 1)), "1") == 0);
    CHECK(strcmp(json_key_at(v, 1), "n") == 0);
    CHECK(json_len(v) == 2 && json_len(json_get(v, "k")) == 0);
    json_free(v);

    /* big integers survive as text: 2^137 and a 100-digit number */
    const char *big = "[174224571863520493293247799005065324265472,"
                      "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890]";
    check_roundtrip(big, big);
    v = parse_str(big, NULL);
    CHECK(v && strcmp(json_number_text(json_at(v, 0)), "174224571863520493293247799005065324265472") == 0);
    uint64_t u;
    CHECK(json_as_u64(&u, json_at(v, 0)) == ZK_ERR_ARG);
    json_free(v);
}

static void test_integers(void) {
    static const struct { const char *text; zk_err e; uint64_t u; } cases[] = {
        {"0", ZK_OK, 0}, {"18446744073709551615", ZK_OK, UINT64_MAX}, {"18446744073709551616", ZK_ERR_ARG, 0},
        {"99999999999999999999", ZK_ERR_ARG, 0}, {"1.0", ZK_ERR_PARSE, 0}, {"1e3", ZK_ERR_PARSE, 0},
        {"-1", ZK_ERR_ARG, 0}, {"-0", ZK_ERR_PARSE, 0}, {"\"5\"", ZK_ERR_PARSE, 0}, {"true", ZK_ERR_PARSE, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_value *v = parse_str(cases[i].text, NULL);
        CHECK(v != NULL);
        uint64_t u = 12345;
        zk_err e = json_as_u64(&u, v);
        CHECK_MSG(e == cases[i].e && (e != ZK_OK || u == cases[i].u), "json_as_u64(%s) = %d", cases[i].text, (int)e);
        json_free(v);
    }
    static const struct { const char *text; zk_err e; int64_t x; } icases[] = {
        {"-9223372036854775808", ZK_OK, INT64_MIN}, {"9223372036854775807", ZK_OK, INT64_MAX},
        {"9223372036854775808", ZK_ERR_ARG, 0}, {"-9223372036854775809", ZK_ERR_ARG, 0}, {"-42", ZK_OK, -42}};
    for (size_t i = 0; i < sizeof icases / sizeof icases[0]; i++) {
        json_value *v = parse_str(icases[i].text, NULL);
        int64_t x = 0;
        zk_err e = json_as_i64(&x, v);
        CHECK_MSG(e == icases[i].e && (e != ZK_OK || x == icases[i].x), "json_as_i64(%s)", icases[i].text);
        json_free(v);
    }
    json_value *v = parse_str("[true,false,null]", NULL);
    int b = -1;
    CHECK(json_as_bool(&b, json_at(v, 0)) == ZK_OK && b == 1);
    CHECK(json_as_bool(&b, json_at(v, 1)) == ZK_OK && b == 0);
    CHECK(json_as_bool(&b, json_at(v, 2)) == ZK_ERR_PARSE);
    CHECK(json_is_null(json_at(v, 2)) && !json_is_null(json_at(v, 1)));
    json_free(v);
}

static void test_errors(void) {
    check_error("{\n  \"a\" 1}", 2, 7, "expected ':' at line 2 column 7");
    check_error("{\"a\":1,\n\"b\":2,\n  \"ccc\": [1, 2 3]}", 3, 16, "expected ',' or ']'");
    check_error("[1,2,]", 1, 6, "expected value");
    check_error("{\"a\":1,}", 1, 8, "expected string key");
    check_error("{\"a\":1 \"b\":2}", 1, 8, "expected ',' or '}'");
    check_error("", 1, 1, "unexpected end of input");
    check_error("   ", 1, 4, "unexpected end of input");
    check_error("[1, 2", 1, 6, "expected ',' or ']'");
    check_error("{\"a\":", 1, 6, "unexpected end of input");
    check_error("\"abc", 1, 5, "unterminated string");
    check_error("\"ab\\", 0, 0, "unterminated string");
    check_error("01", 1, 1, "leading zero");
    check_error("[-01]", 1, 2, "leading zero");
    check_error("1.", 1, 1, "invalid number");
    check_error("1.e5", 0, 0, "invalid number");
    check_error("1e", 0, 0, "invalid number");
    check_error("-", 0, 0, "invalid number");
    check_error("+1", 0, 0, "expected value");
    check_error(".5", 0, 0, "expected value");
    check_error("NaN", 0, 0, "expected value");
    check_error("tru", 0, 0, "invalid literal");
    check_error("nul", 0, 0, "invalid literal");
    check_error("[true false]", 0, 0, "expected ',' or ']'");
    check_error("\"\\x41\"", 1, 2, "invalid escape");
    check_error("\"\\u12G4\"", 1, 2, "invalid \\u escape");
    check_error("\"\\u12\"", 0, 0, "invalid \\u escape");
    check_error("\"\\ud800\"", 1, 2, "lone surrogate");
    check_error("\"\\udc00\"", 1, 2, "lone surrogate");
    check_error("\"\\ud800\\u0041\"", 0, 0, "lone surrogate");
    check_error("\"\\ud800x\"", 0, 0, "lone surrogate");
    check_error("\"a\tb\"", 1, 3, "control character");
    check_error("\"a\nb\"", 0, 0, "control character");
    check_error("\"\xff\"", 0, 0, "invalid UTF-8");
    check_error("\"\xc0\xaf\"", 0, 0, "invalid UTF-8");        /* overlong '/' */
    check_error("\"\xed\xa0\x80\"", 0, 0, "invalid UTF-8");    /* encoded surrogate */
    check_error("\"\xe2\x82\"", 0, 0, "invalid UTF-8");        /* truncated */
    /* columns count characters: the two-byte é counts once */
    check_error("[\"\xc3\xa9\", x]", 1, 7, "expected value");
    check_error("{} {}", 1, 4, "unexpected data after the document");
    check_error("[1]]", 1, 4, "unexpected data");
    check_error("{\"a\":1,\"a\":2}", 0, 0, "duplicate key");
    check_error("{1:2}", 1, 2, "expected string key");
    /* duplicate among many keys (the sorted path) */
    char big[2048];
    size_t o = 0;
    o += (size_t)snprintf(big + o, sizeof big - o, "{");
    for (int k = 0; k < 40; k++) o += (size_t)snprintf(big + o, sizeof big - o, "\"k%d\":%d,", k, k);
    snprintf(big + o, sizeof big - o, "\"k17\":0}");
    check_error(big, 0, 0, "duplicate key");
    big[o] = 0;
    snprintf(big + o, sizeof big - o, "\"k40\":0}");
    json_value *v = parse_str(big, NULL);
    CHECK(v && json_len(v) == 41);
    json_free(v);
    /* an embedded NUL byte is not whitespace */
    json_value *w = NULL;
    CHECK(json_parse(&w, "[1]\0", 4, NULL) == ZK_ERR_PARSE && w == NULL);
    CHECK(json_parse(&w, "[1]\0", 3, NULL) == ZK_OK && w != NULL);
    json_free(w);
    /* a truncated prefix of a valid document is always rejected */
    const char *doc = "{\"a\":[1,{\"b\":\"c\\u00e9\"},-2.5e3],\"d\":true}";
    for (size_t n = 0; n < strlen(doc); n++) {
        json_value *t = NULL;
        CHECK_MSG(json_parse(&t, doc, n, NULL) == ZK_ERR_PARSE, "prefix %zu accepted", n);
        json_free(t);
    }
}

static void test_depth(void) {
    static char buf[2 * 100000 + 1];
    for (size_t depth = JSON_MAX_DEPTH - 1; depth <= JSON_MAX_DEPTH + 1; depth++) {
        memset(buf, '[', depth);
        memset(buf + depth, ']', depth);
        json_value *v = NULL;
        zk_err e = json_parse(&v, buf, 2 * depth, NULL);
        CHECK_MSG((e == ZK_OK) == (depth <= JSON_MAX_DEPTH), "depth %zu -> %d", depth, (int)e);
        json_free(v);
    }
    memset(buf, '[', 100000);
    memset(buf + 100000, ']', 100000);
    json_error err;
    json_value *v = NULL;
    CHECK(json_parse(&v, buf, sizeof buf - 1, &err) == ZK_ERR_PARSE && v == NULL);
    CHECK(strncmp(err.message, "nesting too deep", 16) == 0);
    for (size_t k = 0; k < 100000; k++) buf[k] = (k & 1) ? '[' : '{';
    /* {[{[ ... : objects need keys, but depth is hit first only if keys are present;
     * this form fails at the first '[' as "expected string key" either way */
    CHECK(json_parse(&v, buf, 100000, NULL) == ZK_ERR_PARSE && v == NULL);
}

static void test_writer(void) {
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "html");
    json_w_string(&w, "<a&b>\n\x01\xe2\x80\xa8\xe2\x80\xa9\x7f");
    json_w_key(&w, "bad_utf8");
    json_w_string_n(&w, "a\xffz\xc3", 4);
    json_w_key(&w, "list");
    json_w_array_begin(&w);
    json_w_u64(&w, UINT64_MAX);
    json_w_i64(&w, INT64_MIN);
    json_w_number(&w, "174224571863520493293247799005065324265472");
    json_w_bool(&w, 1);
    json_w_bool(&w, 0);
    json_w_null(&w);
    json_w_array_begin(&w);
    json_w_array_end(&w);
    json_w_object_begin(&w);
    json_w_object_end(&w);
    json_w_array_end(&w);
    json_w_key(&w, "k\"ey");
    json_w_string(&w, "");
    json_w_object_end(&w);
    char *out;
    size_t len;
    CHECK(json_writer_finish(&w, &out, &len) == ZK_OK);
    /* what Go prints for the same map-free struct sequence */
    const char *want = "{\"html\":\"\\u003ca\\u0026b\\u003e\\n\\u0001\\u2028\\u2029\x7f\","
                       "\"bad_utf8\":\"a\\ufffdz\\ufffd\","
                       "\"list\":[18446744073709551615,-9223372036854775808,"
                       "174224571863520493293247799005065324265472,true,false,null,[],{}],\"k\\\"ey\":\"\"}";
    CHECK_MSG(out && strcmp(out, want) == 0 && len == strlen(want), "writer gave %s", out ? out : "(null)");
    /* and it parses back */
    json_value *v = out ? parse_str(out, NULL) : NULL;
    CHECK(v != NULL);
    size_t sl;
    const char *s = json_as_string(json_get(v, "html"), &sl);
    CHECK(s && sl == 14 && memcmp(s, "<a&b>\n\x01\xe2\x80\xa8\xe2\x80\xa9\x7f", 14) == 0);
    json_free(v);
    free(out);

    json_writer_init(&w);
    json_w_array_begin(&w);
    json_w_number(&w, "01"); /* not JSON: sticky error */
    json_w_u64(&w, 1);
    json_w_array_end(&w);
    CHECK(json_writer_finish(&w, &out, &len) == ZK_ERR_ARG && out == NULL);
    json_writer_init(&w);
    CHECK(json_writer_finish(&w, &out, &len) == ZK_OK && out && len == 0 && out[0] == 0);
    free(out);
}

static json_value *load(const char *rel) {
    json_value *v = test_load_vector_json(rel);
    /* compact re-emission parses to the same tree */
    if (v) {
        char *out = emit(v);
        json_value *v2 = out ? parse_str(out, NULL) : NULL;
        CHECK(v2 && tree_eq(v, v2));
        json_free(v2);
        free(out);
    }
    return v;
}

static void test_files(void) {
    json_value *vk = load("groth16-snarkjs/verification_key.json");
    uint64_t np = 0;
    CHECK(json_as_u64(&np, json_get(vk, "nPublic")) == ZK_OK && np == 2);
    CHECK(json_len(json_get(vk, "IC")) == np + 1);
    CHECK(strcmp(json_as_string(json_get(vk, "protocol"), NULL), "groth16") == 0);
    CHECK(strcmp(json_key_at(vk, 0), "protocol") == 0 && strcmp(json_key_at(vk, 8), "IC") == 0);
    const json_value *beta = json_get(vk, "vk_beta_2");
    CHECK(json_len(beta) == 3 && json_len(json_at(beta, 0)) == 2);
    fp_t x;
    CHECK(fp_from_dec(&x, json_as_string(json_at(json_at(beta, 0), 0), NULL)) == ZK_OK);
    CHECK(strcmp(json_as_string(json_at(json_at(beta, 0), 0), NULL),
                 "9710982360126150006488244971263969137059478933932388394062563524865714278870") == 0);
    json_free(vk);

    json_value *proof = load("groth16-snarkjs/proof.json");
    const json_value *pa = json_get(proof, "pi_a");
    CHECK(json_len(pa) == 3 && strcmp(json_as_string(json_at(pa, 2), NULL), "1") == 0);
    CHECK(strcmp(json_as_string(json_at(pa, 0), NULL),
                 "14543492633265377331982347896865304756929964192632266063371605394762652588311") == 0);
    CHECK(strcmp(json_as_string(json_get(proof, "curve"), NULL), "bn128") == 0);
    json_free(proof);

    json_value *bv = load("binance/vectors.json");
    const char *mod = json_as_string(json_get(bv, "field_modulus"), NULL);
    CHECK(mod && strcmp(mod, "21888242871839275222246405745257275088548364400416034343698204186575808495617") == 0);
    const json_value *p1 = json_get(json_get(json_get(bv, "poseidon_1_to_n"), "v1_chunk16"), "1");
    fr_t h;
    CHECK(fr_from_dec(&h, json_as_string(json_get(p1, "dec"), NULL)) == ZK_OK);
    CHECK(json_get(p1, "agrees_with_fork_test")->type == JSON_BOOL);
    CHECK(json_len(json_get(bv, "v1_empty_subtree_hashes_level0_leaf_to_level28_root")) == 29);
    /* the Go-produced user proof JSON is re-emitted byte for byte */
    const json_value *we = json_get(bv, "v1_worked_example");
    size_t glen;
    const char *go = json_as_string(json_get(we, "userproof_config_json_index2"), &glen);
    CHECK(go != NULL);
    if (go) {
        json_value *up = NULL;
        CHECK(json_parse(&up, go, glen, NULL) == ZK_OK);
        char *out = up ? emit(up) : NULL;
        CHECK_MSG(out && strcmp(out, go) == 0, "Go JSON not reproduced:\n%s\n%s", go, out ? out : "(null)");
        CHECK(json_len(json_get(up, "Proof")) == 28);
        free(out);
        json_free(up);
    }
    /* integers in the worked example's accounts */
    const json_value *acc = json_at(json_get(we, "accounts"), 0);
    uint64_t idx = 99;
    CHECK(json_as_u64(&idx, json_get(acc, "AccountIndex")) == ZK_OK && idx == 0);
    json_free(bv);
}

int main(void) {
    test_init();
    test_documents();
    test_integers();
    test_errors();
    test_depth();
    test_writer();
    test_files();
    TEST_DONE();
}
