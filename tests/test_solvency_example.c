/* End to end against the independent vectors (../shared/vectors/binance):
 * empty-tree constants, the v1 worked example (CSV text -> accounts,
 * commitments, leaves, root, proof of account 2, user-proof JSON bytes), the
 * tree file (save, map, corruption), the verifier on valid and broken user
 * proofs, and the v2 worked example (commitments, leaves, a v2 user proof
 * built from the vector data). */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "json/json.h"
#include "solvency/solvency.h"
#include "test.h"

static const json_value *V; /* vectors.json */

static const char *vstr(const json_value *v) {
    const char *s = json_as_string(v, NULL);
    return s ? s : "";
}

static void hex32(char out[65], const uint8_t b[32]) { zk_hex_encode(out, b, 32); }

static void fr_hex(char out[65], const fr_t *x) {
    uint8_t b[32];
    fr_to_bytes_be(b, x);
    hex32(out, b);
}

static void test_empty(void) {
    fr_t c;
    char h[65];
    CHECK(zk_v1_asset_commitment(&c, NULL, 0) == ZK_OK);
    fr_hex(h, &c);
    CHECK(!strcmp(h, vstr(json_get(V, "v1_empty_user_assets_commitment"))));
    zk_tree *t = NULL;
    CHECK(zk_tree_build_from_leaves(&t, NULL, 0, NULL) == ZK_OK);
    if (!t) return;
    const json_value *levels = json_get(V, "v1_empty_subtree_hashes_level0_leaf_to_level28_root");
    CHECK(json_len(levels) == 29);
    for (unsigned k = 0; k <= 28; k++) {
        uint8_t e[32];
        zk_tree_empty(e, t, k);
        hex32(h, e);
        CHECK_MSG(!strcmp(h, vstr(json_at(levels, k))), "E[%u] = %s", k, h);
    }
    uint8_t root[32];
    zk_tree_root(root, t);
    hex32(h, root);
    CHECK(!strcmp(h, vstr(json_at(levels, 28))));
    uint8_t e0[32];
    zk_tree_empty(e0, t, 0);
    hex32(h, e0);
    CHECK(!strcmp(h, vstr(json_get(V, "v1_empty_leaf"))));
    zk_tree_free(t);
}

/* a zk_userproof_verify call on text, returning its code and message */
static zk_err verify_text(const char *text, zk_userproof_result *r) {
    return zk_userproof_verify(r, text, strlen(text), NULL, 0);
}

/* replaces the first occurrence of from by to in src (static result) */
static const char *subst(const char *src, const char *from, const char *to) {
    static char buf[65536];
    const char *p = strstr(src, from);
    if (!p) return "";
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - src), src, to, p + strlen(from));
    return buf;
}

static void expect_reject(const char *text, zk_err code, const char *msg_part) {
    zk_userproof_result r;
    zk_err e = verify_text(text, &r);
    CHECK_MSG(e == code && strstr(r.message, msg_part), "rc %d (want %d), message \"%s\" (want \"%s\")", e, code,
              r.message, msg_part);
}

static void test_verifier_rejects(const char *good, const char *good4) {
    zk_userproof_result r;
    CHECK(verify_text(good, &r) == ZK_OK && r.message[0] == 0 && r.version == 1 && r.account_index == 2);
    /* one changed digit */
    expect_reject(subst(good, "\"TotalEquity\":3000012345678", "\"TotalEquity\":3000012345679"), ZK_ERR_VERIFY,
                  "root mismatch");
    expect_reject(subst(good, "\"Equity\":1,", "\"Equity\":2,"), ZK_ERR_VERIFY, "root mismatch");
    expect_reject(subst(good, "\"AccountIndex\":2", "\"AccountIndex\":3"), ZK_ERR_VERIFY, "root mismatch");
    expect_reject(subst(good, "08c86f73", "08c86f74"), ZK_ERR_VERIFY, "root mismatch");
    expect_reject(subst(good, "\"Index\":0", "\"Index\":350"), ZK_ERR_ARG, "Assets[0].Index 350: must be below 350");
    expect_reject(subst(good, "\"Index\":0", "\"Index\":-1"), ZK_ERR_ARG, "Assets[0].Index must not be negative");
    expect_reject(subst(good, "\"Index\":0", "\"Index\":0.0"), ZK_ERR_PARSE, "Assets[0].Index: expected an integer");
    expect_reject(subst(good, "\"Equity\":1,", "\"Equity\":18446744073709551616,"), ZK_ERR_ARG,
                  "Assets[0].Equity exceeds 2^64-1");
    expect_reject(subst(good, "\"Equity\":1,", "\"Equity\":\"1\","), ZK_ERR_PARSE, "Assets[0].Equity");
    expect_reject(subst(good, "{\"Index\":0,\"Equity\":1,\"Debt\":0}",
                        "{\"Index\":0,\"Equity\":1,\"Debt\":0},{\"Index\":0,\"Equity\":1,\"Debt\":0}"),
                  ZK_ERR_ARG, "Assets[1].Index 0 appears twice");
    expect_reject(subst(good, ",\"Debt\":0}", "}"), ZK_ERR_PARSE, "Assets[0]: missing field \"Debt\"");
    expect_reject(subst(good, "0000000000000000000000000000000000000000000000000000000000002a",
                        "000000000000000000000000000000000000000000000000000000000002a"),
                  ZK_ERR_ARG, "AccountIdHash: expected 64 hex digits (32 bytes), got 63 characters");
    expect_reject(subst(good, "000000000000000000000000000000000000000000000000000000000000002a",
                        "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"),
                  ZK_ERR_NOT_CANONICAL, "AccountIdHash is not below the field modulus");
    expect_reject(subst(good, "000000000000000000000000000000000000000000000000000000000000002a",
                        "00000000000000000000000000000000000000000000000000000000000000zz"),
                  ZK_ERR_PARSE, "AccountIdHash: not a hex string");
    expect_reject(subst(good, "\"TotalDebt\":0", "\"TotalDebt\":-1"), ZK_ERR_ARG, "TotalDebt must not be negative");
    expect_reject(subst(good, "\"TotalDebt\":0", "\"TotalDebt\":1.5"), ZK_ERR_PARSE, "TotalDebt: expected an integer");
    expect_reject(subst(good, "\"TotalDebt\":0",
                        "\"TotalDebt\":21888242871839275222246405745257275088548364400416034343698204186575808495617"),
                  ZK_ERR_NOT_CANONICAL, "TotalDebt is not below the field modulus");
    /* siblings: wrong size, >= r, not base64, wrong count */
    char b31[64], br[64];
    uint8_t bytes[32];
    memset(bytes, 7, 32);
    zk_base64_encode(b31, bytes, 31);
    static const uint8_t R_BE[32] = {0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45,
                                     0xb6, 0x81, 0x81, 0x58, 0x5d, 0x28, 0x33, 0xe8, 0x48, 0x79, 0xb9,
                                     0x70, 0x91, 0x43, 0xe1, 0xf5, 0x93, 0xf0, 0x00, 0x00, 0x01};
    zk_base64_encode(br, R_BE, 32);
    expect_reject(subst(good, "Fh3wmZBuTM+vzpqsJ8hWlfPWJWfayVp++eqICwrOq9o=", b31), ZK_ERR_ARG,
                  "Proof[0]: decodes to 31 bytes; expected 32");
    expect_reject(subst(good, "JVQ6mRrMAjbAi5tQil671MT7l1cxdZbEGgFQ83Og8j0=", br), ZK_ERR_NOT_CANONICAL,
                  "Proof[1] is not below the field modulus");
    expect_reject(subst(good, "JVQ6mRrMAjbAi5tQil671MT7l1cxdZbEGgFQ83Og8j0=", "JVQ6mRrMAjbAi5tQil671MT7l1cxdZbEGgFQ83Og8j0"),
                  ZK_ERR_PARSE, "Proof[1]: not canonical base64");
    expect_reject(subst(good, "\"Fh3wmZBuTM+vzpqsJ8hWlfPWJWfayVp++eqICwrOq9o=\",", ""), ZK_ERR_ARG,
                  "Proof has 27 elements; expected 28");
    expect_reject(subst(good, ",\"Root\":\"08c86f73051038b7bfaf9ed6b0cdfbea48f82b714bb564e6b1ee5809bd04bb35\"", ""),
                  ZK_ERR_PARSE, "missing field \"Root\"");
    expect_reject(subst(good, "\"Root\"", "\"Extra\":1,\"Root\""), ZK_ERR_PARSE, "unknown field \"Extra\"");
    expect_reject(subst(good, "\"AccountIndex\":2", "\"AccountIndex\":268435456"), ZK_ERR_ARG,
                  "AccountIndex 268435456 does not fit the depth-28 tree");
    expect_reject("[1,2]", ZK_ERR_PARSE, "expected a JSON object");
    /* malformed JSON: line and column of the error */
    char broken[4096];
    snprintf(broken, sizeof broken, "{\n  \"AccountIndex\": 2,\n  \"Root\" \"x\"\n}");
    expect_reject(broken, ZK_ERR_PARSE, "line 3 column");
    expect_reject(subst(good, "]}", "]"), ZK_ERR_PARSE, "malformed JSON");

    /* v1 semantics: assets are placed by index, so order does not matter */
    CHECK(verify_text(good4, &r) == ZK_OK);
    const char *swapped = subst(good4, "{\"Index\":0,\"Equity\":200000000,\"Debt\":100000000},{\"Index\":1,",
                                "{\"Index\":1,");
    char tmp[65536];
    snprintf(tmp, sizeof tmp, "%s", swapped);
    const char *re = subst(tmp, "{\"Index\":3,", "{\"Index\":0,\"Equity\":200000000,\"Debt\":100000000},{\"Index\":3,");
    CHECK_MSG(verify_text(re, &r) == ZK_OK, "%s", r.message);
}

static void test_worked_example(void) {
    const json_value *w = json_get(V, "v1_worked_example");
    const char *csv = vstr(json_get(w, "csv"));
    const char *names[1] = {"example.csv"};
    const char *texts[1] = {csv};
    size_t lens[1] = {strlen(csv)};
    zk_sheet_stats st;
    zk_sheet_opts o = {0};
    o.stats = &st;
    o.strict = 1;
    zk_pool *pool = zk_pool_new(2);
    o.pool = pool;
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, &o) == ZK_OK);
    if (!s) return;
    uint64_t invalid;
    CHECK(json_as_u64(&invalid, json_get(w, "invalid_count")) == ZK_OK && invalid == st.rejected_rows + st.skipped_values);
    const json_value *prices = json_get(w, "cex_prices");
    CHECK(s->n_assets == json_len(prices));
    for (size_t j = 0; j < json_len(prices); j++) {
        uint64_t p;
        CHECK(json_as_u64(&p, json_at(prices, j)) == ZK_OK && p == s->prices[j]);
    }
    const json_value *accs = json_get(w, "accounts");
    CHECK(s->n_accounts == json_len(accs));
    zk_tree *t = NULL;
    CHECK(zk_tree_build(&t, s, pool) == ZK_OK);
    if (!t) return;
    for (size_t i = 0; i < json_len(accs) && i < s->n_accounts; i++) {
        const json_value *a = json_at(accs, i);
        const zk_account *x = &s->accounts[i];
        char h[65], d[59];
        uint64_t idx;
        CHECK(json_as_u64(&idx, json_get(a, "AccountIndex")) == ZK_OK && idx == i);
        hex32(h, x->id);
        CHECK_MSG(!strcmp(h, vstr(json_get(a, "AccountId"))), "account %zu id %s", i, h);
        zk_u192_to_dec(d, &x->equity);
        CHECK_MSG(!strcmp(d, vstr(json_get(a, "TotalEquity"))), "account %zu TE %s", i, d);
        zk_u192_to_dec(d, &x->debt);
        CHECK_MSG(!strcmp(d, vstr(json_get(a, "TotalDebt"))), "account %zu TD %s", i, d);
        const json_value *as = json_get(a, "Assets");
        CHECK(json_len(as) == x->n_assets);
        for (size_t k = 0; k < json_len(as) && k < x->n_assets; k++) {
            const zk_asset *y = &s->assets[x->first_asset + k];
            uint64_t ai, ae, ad;
            CHECK(json_as_u64(&ai, json_get(json_at(as, k), "Index")) == ZK_OK && ai == y->index);
            CHECK(json_as_u64(&ae, json_get(json_at(as, k), "Equity")) == ZK_OK && ae == y->equity);
            CHECK(json_as_u64(&ad, json_get(json_at(as, k), "Debt")) == ZK_OK && ad == y->debt);
        }
        fr_t c, leaf;
        CHECK(zk_v1_asset_commitment(&c, s->assets + x->first_asset, x->n_assets) == ZK_OK);
        fr_hex(h, &c);
        CHECK_MSG(!strcmp(h, vstr(json_get(a, "assets_commitment"))), "account %zu commitment %s", i, h);
        CHECK(zk_v1_account_leaf(&leaf, s, i) == ZK_OK);
        fr_hex(h, &leaf);
        CHECK_MSG(!strcmp(h, vstr(json_get(a, "leaf"))), "account %zu leaf %s", i, h);
        uint8_t tl[32];
        CHECK(zk_tree_leaf(tl, t, i) == ZK_OK);
        hex32(h, tl);
        CHECK(!strcmp(h, vstr(json_get(a, "leaf"))));
    }
    uint8_t root[32];
    char h[65];
    zk_tree_root(root, t);
    hex32(h, root);
    CHECK_MSG(!strcmp(h, vstr(json_get(w, "account_tree_root"))), "root %s", h);

    const json_value *mp = json_get(w, "merkle_proof");
    uint8_t proof[28][32];
    CHECK(zk_tree_proof(proof, t, 2) == ZK_OK);
    for (int k = 0; k < 28; k++) {
        char b64[45];
        hex32(h, proof[k]);
        CHECK(!strcmp(h, vstr(json_at(json_get(mp, "proof_hex_leaf_to_root"), (size_t)k))));
        zk_base64_encode(b64, proof[k], 32);
        CHECK(!strcmp(b64, vstr(json_at(json_get(mp, "proof_base64"), (size_t)k))));
    }

    /* the user-proof JSON, byte for byte */
    char *buf = malloc(ZK_USERPROOF_V1_MAX);
    size_t n = zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, s, t, 2);
    const char *want = vstr(json_get(w, "userproof_config_json_index2"));
    CHECK_MSG(n == strlen(want) && !memcmp(buf, want, n), "user proof:\n%.*s\nwant\n%s", (int)n, buf, want);
    CHECK(zk_userproof_v1_account(buf, n - 1, s, t, 2) == 0); /* too small */
    CHECK(zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, s, t, 5) == 0); /* no such account */

    /* every account's proof verifies; the leaf printed is the vector's */
    for (size_t i = 0; i < s->n_accounts; i++) {
        n = zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, s, t, i);
        zk_userproof_result r;
        CHECK(zk_userproof_verify(&r, buf, n, NULL, 0) == ZK_OK);
        hex32(h, r.leaf);
        CHECK(!strcmp(h, vstr(json_get(json_at(accs, i), "leaf"))));
    }
    char good4[ZK_USERPROOF_V1_MAX + 1];
    n = zk_userproof_v1_account(good4, ZK_USERPROOF_V1_MAX, s, t, 4);
    good4[n] = 0;
    test_verifier_rejects(want, good4);

    /* the same JSON through the generic Go-compatible writer of json.h */
    json_value *doc = NULL;
    CHECK(json_parse(&doc, want, strlen(want), NULL) == ZK_OK);
    json_writer jw;
    json_writer_init(&jw);
    json_w_value(&jw, doc);
    char *re;
    size_t relen;
    CHECK(json_writer_finish(&jw, &re, &relen) == ZK_OK && relen == strlen(want) && !memcmp(re, want, relen));
    free(re);
    json_free(doc);

    /* tree file: save, map, compare; corruption is detected */
    char path[] = "/tmp/zkpos_tree_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK(zk_tree_save(t, path) == ZK_OK);
    zk_tree *m = NULL;
    CHECK(zk_tree_open(&m, path, 1) == ZK_OK);
    if (m) {
        uint8_t r2[32], p2[28][32];
        zk_tree_root(r2, m);
        CHECK(!memcmp(root, r2, 32) && zk_tree_leaf_count(m) == 5);
        CHECK(zk_tree_input_digest(m) == zk_sheet_digest(s) && zk_sheet_digest(s) != 0);
        for (uint64_t i = 0; i < 9; i++) {
            uint8_t l1[32], l2[32];
            CHECK(zk_tree_leaf(l1, t, i) == ZK_OK && zk_tree_leaf(l2, m, i) == ZK_OK && !memcmp(l1, l2, 32));
            CHECK(zk_tree_proof(proof, t, i) == ZK_OK && zk_tree_proof(p2, m, i) == ZK_OK &&
                  !memcmp(proof, p2, sizeof proof));
        }
        CHECK(zk_tree_leaf(r2, m, 1u << 28) == ZK_ERR_ARG && zk_tree_proof(p2, m, 1u << 28) == ZK_ERR_ARG);
        n = zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, s, m, 2);
        CHECK(n == strlen(want) && !memcmp(buf, want, n));
        zk_tree_free(m);
    }
    FILE *f = fopen(path, "r+b");
    if (f) {
        fseek(f, 128 + 5, SEEK_SET); /* a byte of leaf 0 */
        int ch = fgetc(f);
        fseek(f, 128 + 5, SEEK_SET);
        fputc(ch ^ 1, f);
        fclose(f);
    }
    CHECK(zk_tree_open(&m, path, 1) == ZK_ERR_FORMAT && !m);
    f = fopen(path, "r+b");
    if (f) {
        fseek(f, 24, SEEK_SET); /* the leaf count in the header */
        fputc(6, f);
        fclose(f);
    }
    CHECK(zk_tree_open(&m, path, 0) == ZK_ERR_FORMAT);
    CHECK(truncate(path, 100) == 0 && zk_tree_open(&m, path, 0) == ZK_ERR_FORMAT);
    unlink(path);
    CHECK(zk_tree_open(&m, path, 0) == ZK_ERR_IO);
    free(buf);
    zk_tree_free(t);
    zk_sheet_free(s);
    zk_pool_free(pool);
}

/* Random accounts: the tree's fast leaves equal the plain commitment path,
 * and every proof leads to the root (including the padding beyond n). */
static void test_random_tree(void) {
    size_t n = 37;
    zk_sheet *s = calloc(1, sizeof *s);
    s->accounts = calloc(n, sizeof *s->accounts);
    s->assets = calloc(n * 12, sizeof *s->assets);
    s->n_accounts = n;
    for (size_t i = 0; i < n; i++) {
        zk_account *a = &s->accounts[i];
        for (int k = 0; k < 32; k++) a->id[k] = (uint8_t)test_rand64();
        a->id[0] &= 0x1f;
        a->equity.l[0] = test_rand64();
        a->equity.l[2] = test_rand64() & 0xff;
        a->debt.l[1] = test_rand64();
        a->first_asset = s->n_asset_entries;
        unsigned idx = (unsigned)(test_rand64() % 340);
        size_t na = i % 5 == 0 ? 0 : test_rand64() % 12;
        for (size_t k = 0; k < na && idx < 350; k++) {
            zk_asset *x = &s->assets[s->n_asset_entries++];
            x->index = (uint16_t)idx;
            x->equity = test_rand64();
            x->debt = test_rand64() % 3 ? 0 : test_rand64();
            idx += 1 + (unsigned)(test_rand64() % 4);
            a->n_assets++;
        }
    }
    zk_pool *pool = zk_pool_new(2);
    zk_tree *t = NULL;
    CHECK(zk_tree_build(&t, s, pool) == ZK_OK);
    if (t) {
        uint8_t root[32];
        zk_tree_root(root, t);
        for (size_t i = 0; i < n + 3; i++) {
            uint8_t leaf[32], proof[28][32];
            fr_t lf, pf[28], r;
            if (i < n) {
                CHECK(zk_v1_account_leaf(&lf, s, i) == ZK_OK);
                fr_to_bytes_be(leaf, &lf);
                uint8_t tl[32];
                CHECK(zk_tree_leaf(tl, t, i) == ZK_OK && !memcmp(tl, leaf, 32));
            } else {
                CHECK(zk_tree_leaf(leaf, t, i) == ZK_OK);
                uint8_t e0[32];
                zk_tree_empty(e0, t, 0);
                CHECK(!memcmp(leaf, e0, 32));
                CHECK(fr_from_bytes_be(&lf, leaf) == ZK_OK);
            }
            CHECK(zk_tree_proof(proof, t, i) == ZK_OK);
            for (int k = 0; k < 28; k++) CHECK(fr_from_bytes_be(&pf[k], proof[k]) == ZK_OK);
            CHECK(zk_merkle_root(&r, &lf, i, pf) == ZK_OK);
            uint8_t rb[32];
            fr_to_bytes_be(rb, &r);
            CHECK(!memcmp(rb, root, 32));
        }
        /* the same tree from its leaves */
        uint8_t(*leaves)[32] = malloc(n * 32);
        for (size_t i = 0; i < n; i++) CHECK(zk_tree_leaf(leaves[i], t, i) == ZK_OK);
        zk_tree *t2 = NULL;
        CHECK(zk_tree_build_from_leaves(&t2, (const uint8_t(*)[32])leaves, n, NULL) == ZK_OK);
        if (t2) {
            uint8_t r2[32];
            zk_tree_root(r2, t2);
            CHECK(!memcmp(r2, root, 32));
        }
        zk_tree_free(t2);
        free(leaves);
    }
    zk_tree_free(t);
    zk_pool_free(pool);
    zk_sheet_free(s);
}

/* A tree over an A-entry asset table (pipeline runs with --assets A): leaves
 * are the A-table leaves, the padding is the A-table empty leaf, every proof
 * leads to the root, and a saved file records A. A = 350 is the v1 tree. */
static void test_sized_tree(void) {
    size_t n = 11;
    unsigned A = 4;
    zk_sheet *s = calloc(1, sizeof *s);
    s->accounts = calloc(n, sizeof *s->accounts);
    s->assets = calloc(n * A, sizeof *s->assets);
    s->n_accounts = n;
    s->n_assets = A;
    for (size_t i = 0; i < n; i++) {
        zk_account *a = &s->accounts[i];
        for (int k = 0; k < 32; k++) a->id[k] = (uint8_t)test_rand64();
        a->id[0] &= 0x1f;
        a->equity.l[0] = test_rand64();
        a->debt.l[0] = test_rand64() >> 8;
        a->first_asset = s->n_asset_entries;
        for (unsigned k = 0; k < A; k++) {
            if (test_rand64() % 2) continue;
            zk_asset *x = &s->assets[s->n_asset_entries++];
            x->index = (uint16_t)k;
            x->equity = test_rand64();
            x->debt = test_rand64() % 3 ? 0 : test_rand64();
            a->n_assets++;
        }
    }
    zk_tree *t = NULL, *v1 = NULL, *m = NULL;
    CHECK(zk_tree_build_sized(&t, s, 3, NULL) == ZK_ERR_ARG && !t); /* fewer entries than the sheet's assets */
    CHECK(zk_tree_build_sized(&t, s, A, NULL) == ZK_OK && t);
    CHECK(zk_tree_build(&v1, s, NULL) == ZK_OK && v1);
    if (t && v1) {
        uint8_t root[32], r350[32];
        zk_tree_root(root, t);
        zk_tree_root(r350, v1);
        CHECK(memcmp(root, r350, 32) != 0 && zk_tree_asset_count(t) == A && zk_tree_asset_count(v1) == 350);
        fr_t empty[ZK_TREE_DEPTH + 1];
        CHECK(zk_empty_hashes(empty, A) == ZK_OK);
        for (size_t i = 0; i < n + 2; i++) {
            fr_t lf, pf[28], r;
            uint8_t leaf[32], proof[28][32], rb[32];
            if (i < n) CHECK(zk_account_leaf_sized(&lf, s, i, A) == ZK_OK);
            else lf = empty[0];
            CHECK(zk_tree_leaf(leaf, t, i) == ZK_OK);
            fr_to_bytes_be(rb, &lf);
            CHECK(!memcmp(rb, leaf, 32));
            CHECK(zk_tree_proof(proof, t, i) == ZK_OK);
            for (int k = 0; k < 28; k++) CHECK(fr_from_bytes_be(&pf[k], proof[k]) == ZK_OK);
            CHECK(zk_merkle_root(&r, &lf, i, pf) == ZK_OK);
            fr_to_bytes_be(rb, &r);
            CHECK(!memcmp(rb, root, 32));
        }
        char path[] = "/tmp/zkpos_tree_sized_XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        close(fd);
        CHECK(zk_tree_save(t, path) == ZK_OK);
        CHECK(zk_tree_open(&m, path, 1) == ZK_OK && m);
        if (m) {
            uint8_t r2[32], e0[32], want0[32];
            zk_tree_root(r2, m);
            zk_tree_empty(e0, m, 0);
            fr_to_bytes_be(want0, &empty[0]);
            CHECK(!memcmp(r2, root, 32) && zk_tree_asset_count(m) == A && !memcmp(e0, want0, 32));
        }
        unlink(path);
    }
    zk_tree_free(m);
    zk_tree_free(t);
    zk_tree_free(v1);
    s->n_assets = 0; /* no asset columns (symbols, prices) were allocated */
    zk_sheet_free(s);
}

static void test_v2(void) {
    const json_value *w = json_get(V, "v2_worked_example");
    const json_value *accs = json_get(w, "accounts");
    static const unsigned toy_tiers[2] = {50, 500};
    for (size_t i = 0; i < json_len(accs); i++) {
        const json_value *a = json_at(accs, i);
        uint64_t na;
        CHECK(json_as_u64(&na, json_get(a, "n_assets")) == ZK_OK);
        zk_asset_v2 as[64];
        memset(as, 0, sizeof as);
        const json_value *list = json_get(a, "assets");
        size_t n = 0;
        if (list->type == JSON_ARRAY) {
            for (n = 0; n < json_len(list); n++) {
                const json_value *x = json_at(list, n);
                uint64_t v[6];
                const char *keys[6] = {"Index", "Equity", "Debt", "Loan", "Margin", "PortfolioMargin"};
                for (int k = 0; k < 6; k++) CHECK(json_as_u64(&v[k], json_get(x, keys[k])) == ZK_OK);
                as[n] = (zk_asset_v2){v[1], v[2], v[3], v[4], v[5], (uint16_t)v[0]};
            }
        } else {
            /* padding account: n zero-valued assets with indices 0..n-1 */
            for (n = 0; n < na; n++) as[n].index = (uint16_t)n;
        }
        CHECK(n == na);
        fr_t c, leaf;
        char h[65];
        CHECK(zk_v2_asset_commitment(&c, as, n, toy_tiers, 2) == ZK_OK);
        fr_hex(h, &c);
        CHECK_MSG(!strcmp(h, vstr(json_get(a, "assets_commitment"))), "v2 account %zu commitment %s", i, h);
        uint8_t id[32];
        zk_u192 te, td, tc;
        const char *s;
        CHECK(zk_hex_decode(id, 32, vstr(json_get(a, "AccountId")), 64) == ZK_OK);
        s = vstr(json_get(a, "TotalEquity"));
        CHECK(zk_u192_from_dec(&te, s, strlen(s)) == ZK_OK);
        s = vstr(json_get(a, "TotalDebt"));
        CHECK(zk_u192_from_dec(&td, s, strlen(s)) == ZK_OK);
        s = vstr(json_get(a, "TotalCollateral"));
        CHECK(zk_u192_from_dec(&tc, s, strlen(s)) == ZK_OK);
        CHECK(zk_v2_leaf(&leaf, id, &te, &td, &tc, &c) == ZK_OK);
        fr_hex(h, &leaf);
        CHECK_MSG(!strcmp(h, vstr(json_get(a, "leaf"))), "v2 account %zu leaf %s", i, h);

        if (i != 1) continue;
        /* the v2 user-proof JSON of account 1 (fields as the v2 witness writes them) */
        char js[8192];
        size_t m = (size_t)snprintf(js, sizeof js,
                                    "{\"AccountIndex\":1,\"AccountIdHash\":\"%s\",\"TotalEquity\":%s,\"TotalDebt\":%s,"
                                    "\"TotalCollateral\":%s,\"Assets\":[",
                                    vstr(json_get(a, "AccountId")), vstr(json_get(a, "TotalEquity")),
                                    vstr(json_get(a, "TotalDebt")), vstr(json_get(a, "TotalCollateral")));
        for (size_t k = 0; k < n; k++)
            m += (size_t)snprintf(js + m, sizeof js - m,
                                  "%s{\"Index\":%u,\"Equity\":%llu,\"Debt\":%llu,\"Loan\":%llu,\"Margin\":%llu,"
                                  "\"PortfolioMargin\":%llu}",
                                  k ? "," : "", as[k].index, (unsigned long long)as[k].equity,
                                  (unsigned long long)as[k].debt, (unsigned long long)as[k].loan,
                                  (unsigned long long)as[k].margin, (unsigned long long)as[k].portfolio_margin);
        m += (size_t)snprintf(js + m, sizeof js - m, "],\"Root\":\"%s\",\"Proof\":[",
                              vstr(json_get(w, "account_tree_root")));
        const json_value *pr = json_get(w, "merkle_proof_index1_base64");
        for (size_t k = 0; k < json_len(pr); k++)
            m += (size_t)snprintf(js + m, sizeof js - m, "%s\"%s\"", k ? "," : "", vstr(json_at(pr, k)));
        snprintf(js + m, sizeof js - m, "]}");
        zk_userproof_result r;
        zk_err e = zk_userproof_verify(&r, js, strlen(js), NULL, 0);
        CHECK_MSG(e == ZK_OK && r.version == 2, "v2 verify: %s", r.message);
        hex32(h, r.leaf);
        CHECK(!strcmp(h, vstr(json_get(a, "leaf"))));
        /* a different tier table pads differently: the root no longer matches */
        static const unsigned four[1] = {4};
        CHECK(zk_userproof_verify(&r, js, strlen(js), four, 1) == ZK_ERR_VERIFY);
        static const unsigned none[1] = {0};
        e = zk_userproof_verify(&r, js, strlen(js), none, 1);
        CHECK(e == ZK_ERR_ARG && strstr(r.message, "tier"));
        expect_reject(subst(js, "\"PortfolioMargin\":50000000}", "\"PortfolioMargin\":50000001}"), ZK_ERR_VERIFY,
                      "root mismatch");
        expect_reject(subst(js, ",\"Loan\":200000000", ""), ZK_ERR_PARSE, "Assets[0]: missing field \"Loan\"");
        expect_reject(subst(js, "\"TotalCollateral\":72411200000000000000", "\"TotalCollateral\":72411200000000000001"),
                      ZK_ERR_VERIFY, "root mismatch");
    }
    /* v2 slots must be strictly increasing */
    zk_asset_v2 bad[2] = {{1, 0, 0, 0, 0, 5}, {1, 0, 0, 0, 0, 5}};
    fr_t c;
    CHECK(zk_v2_asset_commitment(&c, bad, 2, NULL, 0) == ZK_ERR_ARG);
}

int main(void) {
    test_init();
    size_t len;
    char *text = test_read_file(test_vector_path("binance/vectors.json"), &len);
    CHECK(text != NULL);
    if (!text) TEST_DONE();
    json_value *doc = NULL;
    CHECK(json_parse(&doc, text, len, NULL) == ZK_OK);
    if (!doc) TEST_DONE();
    V = doc;
    test_empty();
    test_worked_example();
    test_random_tree();
    test_sized_tree();
    test_v2();
    json_free(doc);
    free(text);
    TEST_DONE();
}
