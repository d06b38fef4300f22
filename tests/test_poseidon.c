/* Poseidon: circomlibjs vectors for every width (hashes and full permutation
 * outputs), the Binance vectors (chunked hash v1/v2, permutation examples,
 * empty-tree values, the worked example's commitments, leaves and Merkle
 * path), optimised vs reference permutation on random states, the byte entry
 * points and the streaming digest (incl. Go's drop-on->=p quirk). */
#include <string.h>

#include "hash/hash.h"
#include "json/json.h"
#include "test.h"
#include "test_vectors_json.h"

static void random_fr(fr_t *r) {
    uint8_t b[32];
    for (int i = 0; i < 4; i++) {
        uint64_t x = test_rand64();
        memcpy(b + 8 * i, &x, 8);
    }
    b[0] &= 0x1f; /* < 2^253 < r */
    CHECK(fr_from_bytes_be(r, b) == ZK_OK);
}

static void test_circomlib(void) {
    json_value *doc = test_load_vector_json("poseidon/circomlib.json");
    const json_value *vs = json_get(doc, "vectors");
    CHECK(json_len(vs) == 16);
    for (size_t k = 0; k < json_len(vs); k++) {
        const json_value *v = json_at(vs, k);
        uint64_t t = 0, n = 0;
        CHECK(json_as_u64(&t, json_get(v, "t")) == ZK_OK && json_as_u64(&n, json_get(v, "n_inputs")) == ZK_OK);
        CHECK(t == k + 2 && n == t - 1);
        uint64_t rp = 0, rf = 0;
        CHECK(json_as_u64(&rp, json_get(v, "rounds_partial")) == ZK_OK &&
              json_as_u64(&rf, json_get(v, "rounds_full")) == ZK_OK);
        CHECK(poseidon_partial_rounds(t) == rp && rf == ZK_POSEIDON_FULL_ROUNDS);
        /* the MDS matrix is Cauchy: 1/M[i][j] = x_i + y_j, so
         * 1/M[i][j] - 1/M[i][0] - 1/M[0][j] + 1/M[0][0] = 0 */
        const fr_t *mds = poseidon_mds_matrix(t);
        CHECK(mds != NULL && poseidon_round_constants(t) != NULL);
        for (size_t i = 1; mds && i < t; i++)
            for (size_t j = 1; j < t; j++) {
                fr_t a, b, c, d;
                fr_inv(&a, &mds[i * t + j]);
                fr_inv(&b, &mds[i * t]);
                fr_inv(&c, &mds[j]);
                fr_inv(&d, &mds[0]);
                fr_sub(&a, &a, &b);
                fr_sub(&a, &a, &c);
                fr_add(&a, &a, &d);
                CHECK(fr_is_zero(&a));
            }
        fr_t in[17], out, s[17], sr[17];
        for (size_t i = 0; i < n; i++) fr_set_u64(&in[i], i + 1);
        CHECK(poseidon_circom(&out, in, n) == ZK_OK);
        fr_t want = test_json_fr_dec(json_get(v, "hash_of_1_to_n"));
        CHECK_MSG(fr_eq(&out, &want), "t=%zu hash_of_1_to_n", (size_t)t);
        for (size_t i = 0; i < n; i++) fr_set_u64(&in[i], i);
        CHECK(poseidon_circom(&out, in, n) == ZK_OK);
        want = test_json_fr_dec(json_get(v, "hash_of_0_to_n_minus_1"));
        CHECK_MSG(fr_eq(&out, &want), "t=%zu hash_of_0_to_n_minus_1", (size_t)t);
        const json_value *pin = json_get(v, "permutation_input_state"), *pout = json_get(v, "permutation_output_state");
        CHECK(json_len(pin) == t && json_len(pout) == t);
        for (size_t i = 0; i < t; i++) s[i] = sr[i] = test_json_fr_dec(json_at(pin, i));
        CHECK(poseidon_permute(s, t) == ZK_OK);
        CHECK(poseidon_permute_reference(sr, t) == ZK_OK);
        for (size_t i = 0; i < t; i++) {
            want = test_json_fr_dec(json_at(pout, i));
            CHECK_MSG(fr_eq(&s[i], &want), "t=%zu optimised permutation word %zu", (size_t)t, i);
            CHECK_MSG(fr_eq(&sr[i], &want), "t=%zu reference permutation word %zu", (size_t)t, i);
        }
    }
    json_free(doc);
}

static void test_random_states(void) {
    for (size_t t = 2; t <= 17; t++) {
        for (int rep = 0; rep < 3; rep++) {
            fr_t a[17], b[17];
            for (size_t i = 0; i < t; i++) {
                random_fr(&a[i]);
                b[i] = a[i];
            }
            if (rep == 2) fr_zero(&a[0]), fr_zero(&b[0]);
            CHECK(poseidon_permute(a, t) == ZK_OK && poseidon_permute_reference(b, t) == ZK_OK);
            int same = 1;
            for (size_t i = 0; i < t; i++) same &= fr_eq(&a[i], &b[i]);
            CHECK_MSG(same, "optimised != reference for t=%zu", t);
        }
    }
    fr_t s[18];
    for (int i = 0; i < 18; i++) fr_zero(&s[i]);
    CHECK(poseidon_permute(s, 1) == ZK_ERR_ARG && poseidon_permute(s, 18) == ZK_ERR_ARG);
    CHECK(poseidon_permute_reference(s, 0) == ZK_ERR_ARG && poseidon_permute_reference(s, 18) == ZK_ERR_ARG);
    CHECK(poseidon_circom(s, s, 0) == ZK_ERR_ARG && poseidon_circom(s, s, 17) == ZK_ERR_ARG);
    CHECK(poseidon_round_constants(1) == NULL && poseidon_mds_matrix(18) == NULL && poseidon_partial_rounds(0) == 0);
}

/* The Binance hash by its definition in spec §2.2, built on the reference
 * permutation: independent of the streaming code in poseidon.c. */
static void spec_hash(fr_t *out, const fr_t *in, size_t n, unsigned m) {
    fr_t c, s[17];
    fr_zero(&c);
    size_t i = 0;
    while (n - i >= m && n > m) {
        s[0] = c;
        memcpy(&s[1], &in[i], m * sizeof *in);
        CHECK(poseidon_permute_reference(s, m + 1) == ZK_OK);
        c = s[0];
        i += m;
    }
    if (i < n) {
        size_t r = n - i;
        s[0] = c;
        memcpy(&s[1], &in[i], r * sizeof *in);
        CHECK(poseidon_permute_reference(s, r + 1) == ZK_OK);
    }
    *out = s[1];
}

static void test_binance_hash(const json_value *bv) {
    const json_value *p = json_get(bv, "poseidon_1_to_n");
    static const struct { const char *key; unsigned m; } ver[2] = {{"v1_chunk16", 16}, {"v2_chunk12", 12}};
    fr_t in[256];
    for (size_t i = 0; i < 256; i++) fr_set_u64(&in[i], i + 1);
    size_t checked = 0;
    for (int vi = 0; vi < 2; vi++) {
        const json_value *tab = json_get(p, ver[vi].key);
        CHECK(json_len(tab) == 12);
        for (size_t k = 0; k < json_len(tab); k++) {
            uint64_t n = strtoull(json_key_at(tab, k), NULL, 10);
            CHECK(n >= 1 && n <= 256);
            const json_value *e = json_at(tab, k);
            fr_t want = test_json_fr_dec(json_get(e, "dec")), want2 = test_json_fr_hex(json_get(e, "hex")), got;
            CHECK(fr_eq(&want, &want2));
            CHECK(poseidon_hash(&got, in, n, ver[vi].m) == ZK_OK);
            CHECK_MSG(fr_eq(&got, &want), "%s n=%u", ver[vi].key, (unsigned)n);
            if (n <= 30) {
                spec_hash(&got, in, n, ver[vi].m);
                CHECK_MSG(fr_eq(&got, &want), "spec hash %s n=%u", ver[vi].key, (unsigned)n);
            }
            checked++;
        }
    }
    CHECK(checked == 24);
    fr_t out;
    CHECK(poseidon_hash(&out, in, 0, 16) == ZK_ERR_ARG);
    CHECK(poseidon_hash(&out, in, 3, 0) == ZK_ERR_ARG && poseidon_hash(&out, in, 3, 17) == ZK_ERR_ARG);

    /* full permutation outputs on [0..t-1] */
    const json_value *pe = json_get(bv, "permutation_examples");
    CHECK(json_len(pe) == 3);
    for (size_t k = 0; k < json_len(pe); k++) {
        const json_value *words = json_at(pe, k);
        size_t t = json_len(words);
        CHECK(t == 3 || t == 5 || t == 17);
        fr_t s[17];
        for (size_t i = 0; i < t; i++) fr_set_u64(&s[i], i);
        CHECK(poseidon_permute(s, t) == ZK_OK);
        for (size_t i = 0; i < t; i++) {
            fr_t w = test_json_fr_hex(json_at(words, i));
            CHECK_MSG(fr_eq(&s[i], &w), "%s word %zu", json_key_at(pe, k), i);
        }
    }
}

static void check_hex(const fr_t *got, const json_value *want_v, const char *what) {
    fr_t want = test_json_fr_hex(want_v);
    CHECK_MSG(fr_eq(got, &want), "%s", what);
}

static void test_empty_tree(const json_value *bv) {
    fr_t zeros[350], c, leaf_in[5], e;
    for (int i = 0; i < 350; i++) fr_zero(&zeros[i]);
    /* v1: 234 packed zero elements, leaf of 4 inputs, 28 levels */
    CHECK(poseidon_hash(&c, zeros, 234, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
    check_hex(&c, json_get(bv, "v1_empty_user_assets_commitment"), "v1 empty assets commitment");
    for (int i = 0; i < 3; i++) fr_zero(&leaf_in[i]);
    leaf_in[3] = c;
    CHECK(poseidon_hash(&e, leaf_in, 4, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
    check_hex(&e, json_get(bv, "v1_empty_leaf"), "v1 empty leaf");
    const json_value *lv = json_get(bv, "v1_empty_subtree_hashes_level0_leaf_to_level28_root");
    CHECK(json_len(lv) == 29);
    for (size_t k = 0; k < json_len(lv); k++) {
        if (k > 0) {
            fr_t pair[2] = {e, e};
            CHECK(poseidon_hash(&e, pair, 2, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
        }
        fr_t w = test_json_fr_hex(json_at(lv, k));
        CHECK_MSG(fr_eq(&e, &w), "v1 empty subtree level %zu", k);
    }
    CHECK(poseidon_hash(&c, zeros, 350, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
    check_hex(&c, json_get(bv, "v1_empty_cex_commitment_all_zero_350"), "v1 all-zero CEX commitment");

    /* v2: leaf = Poseidon(0,0,0,0,0), chunk 12 */
    CHECK(poseidon_hash(&e, zeros, 5, ZK_POSEIDON_CHUNK_V2) == ZK_OK);
    check_hex(&e, json_get(bv, "v2_empty_leaf"), "v2 empty leaf");
    lv = json_get(bv, "v2_empty_subtree_hashes_level0_leaf_to_level28_root");
    CHECK(json_len(lv) == 29);
    for (size_t k = 0; k < json_len(lv); k++) {
        if (k > 0) {
            fr_t pair[2] = {e, e};
            CHECK(poseidon_hash(&e, pair, 2, ZK_POSEIDON_CHUNK_V2) == ZK_OK);
        }
        fr_t w = test_json_fr_hex(json_at(lv, k));
        CHECK_MSG(fr_eq(&e, &w), "v2 empty subtree level %zu", k);
    }

    /* v1-early: the v1 layout hashed with chunk 12 */
    CHECK(poseidon_hash(&c, zeros, 234, ZK_POSEIDON_CHUNK_V2) == ZK_OK);
    leaf_in[3] = c;
    CHECK(poseidon_hash(&e, leaf_in, 4, ZK_POSEIDON_CHUNK_V2) == ZK_OK);
    check_hex(&e, json_get(bv, "v1early_empty_leaf"), "v1-early empty leaf");
    for (int k = 1; k <= 28; k++) {
        fr_t pair[2] = {e, e};
        CHECK(poseidon_hash(&e, pair, 2, ZK_POSEIDON_CHUNK_V2) == ZK_OK);
    }
    check_hex(&e, json_get(bv, "v1early_empty_root"), "v1-early empty root");
}

/* Go big.Int.Bytes(): big-endian without leading zeros. */
static size_t minimal_bytes(uint8_t out[32], const fr_t *x) {
    uint8_t b[32];
    fr_to_bytes_be(b, x);
    size_t z = 0;
    while (z < 32 && b[z] == 0) z++;
    memcpy(out, b + z, 32 - z);
    return 32 - z;
}

static void test_worked_example(const json_value *bv) {
    const json_value *we = json_get(bv, "v1_worked_example");
    const json_value *accs = json_get(we, "accounts");
    CHECK(json_len(accs) == 5);
    fr_t leaf2;
    fr_zero(&leaf2);
    for (size_t a = 0; a < json_len(accs); a++) {
        const json_value *acc = json_at(accs, a);
        /* commitment from the account's packed elements (all others zero) */
        fr_t el[234], c;
        for (int i = 0; i < 234; i++) fr_zero(&el[i]);
        const json_value *nz = json_get(acc, "asset_elements_nonzero");
        for (size_t k = 0; k < json_len(nz); k++) {
            unsigned long idx = strtoul(json_key_at(nz, k), NULL, 10);
            CHECK(idx < 234);
            if (idx < 234) el[idx] = test_json_fr_dec(json_at(nz, k));
        }
        CHECK(poseidon_hash(&c, el, 234, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
        check_hex(&c, json_get(acc, "assets_commitment"), "worked example assets commitment");
        /* leaf = PoseidonBytes(id32, minimal(TE), minimal(TD), commitment32) */
        uint8_t id[32], te[32], td[32], cb[32], out[32];
        fr_t x = test_fr_hex(json_as_string(json_get(acc, "AccountId"), NULL));
        fr_to_bytes_be(id, &x);
        x = test_json_fr_dec(json_get(acc, "TotalEquity"));
        size_t te_len = minimal_bytes(te, &x);
        x = test_json_fr_dec(json_get(acc, "TotalDebt"));
        size_t td_len = minimal_bytes(td, &x);
        fr_to_bytes_be(cb, &c);
        const uint8_t *parts[4] = {id, te, td, cb};
        size_t lens[4] = {32, te_len, td_len, 32};
        CHECK(poseidon_hash_bytes(out, parts, lens, 4, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
        fr_t leaf;
        CHECK(fr_from_bytes_be(&leaf, out) == ZK_OK);
        check_hex(&leaf, json_get(acc, "leaf"), "worked example leaf");
        uint64_t ai = 99;
        CHECK(json_as_u64(&ai, json_get(acc, "AccountIndex")) == ZK_OK);
        if (ai == 2) leaf2 = leaf;
    }
    /* Merkle path of account 2 up to the published root, via the digest */
    const json_value *mp = json_get(we, "merkle_proof");
    check_hex(&leaf2, json_get(mp, "leaf"), "account 2 leaf");
    const json_value *sib = json_get(mp, "proof_hex_leaf_to_root");
    CHECK(json_len(sib) == 28);
    poseidon_digest d;
    CHECK(poseidon_digest_init(&d, ZK_POSEIDON_CHUNK_V1) == ZK_OK);
    uint8_t node[32], sb[32];
    fr_to_bytes_be(node, &leaf2);
    for (size_t k = 0; k < json_len(sib); k++) {
        fr_t s = test_json_fr_hex(json_at(sib, k));
        fr_to_bytes_be(sb, &s);
        int right = (2 >> k) & 1;
        CHECK(poseidon_digest_write(&d, right ? sb : node, 32) == ZK_OK);
        CHECK(poseidon_digest_write(&d, right ? node : sb, 32) == ZK_OK);
        CHECK(poseidon_digest_sum(&d, node) == ZK_OK);
    }
    fr_t root;
    CHECK(fr_from_bytes_be(&root, node) == ZK_OK);
    check_hex(&root, json_get(we, "account_tree_root"), "worked example root");
}

static void test_bytes_and_digest(void) {
    /* byte inputs of any length equal their integer values */
    fr_t in[20], want, got;
    uint8_t buf[20][40], out[32];
    const uint8_t *parts[20];
    size_t lens[20];
    for (int i = 0; i < 20; i++) {
        random_fr(&in[i]);
        if (i == 3) fr_zero(&in[i]);
        if (i == 4) fr_set_u64(&in[i], 0x1234);
        uint8_t b[32];
        fr_to_bytes_be(b, &in[i]);
        size_t pad = (size_t)(i % 5) * 2; /* leading zeros are allowed */
        memset(buf[i], 0, pad);
        size_t z = 0;
        while (z < 32 && b[z] == 0) z++;
        memcpy(buf[i] + pad, b + z, 32 - z);
        parts[i] = buf[i];
        lens[i] = pad + 32 - z;
    }
    lens[3] = 0; /* empty = 0 */
    for (size_t n = 1; n <= 20; n++) {
        CHECK(poseidon_hash(&want, in, n, 16) == ZK_OK);
        CHECK(poseidon_hash_bytes(out, parts, lens, n, 16) == ZK_OK);
        CHECK(fr_from_bytes_be(&got, out) == ZK_OK && fr_eq(&got, &want));
        spec_hash(&got, in, n, 16);
        CHECK_MSG(fr_eq(&got, &want), "spec hash n=%zu", n);
    }
    /* values >= r are rejected; r itself, r+1, 33 bytes */
    uint8_t r_be[33] = {0};
    uint64_t rl[4];
    fr_t one;
    fr_one(&one);
    for (int i = 0; i < 4; i++) rl[i] = FR_MODULUS[i];
    for (int i = 0; i < 32; i++) r_be[1 + i] = (uint8_t)(rl[3 - i / 8] >> (56 - 8 * (i % 8)));
    const uint8_t *bad[2] = {r_be, r_be + 1};
    size_t bad_lens[2] = {33, 32};
    CHECK(poseidon_hash_bytes(out, bad, bad_lens, 2, 16) == ZK_ERR_NOT_CANONICAL);
    uint8_t big[33];
    memset(big, 0, sizeof big);
    big[0] = 1;
    bad[0] = big;
    bad_lens[0] = 33;
    CHECK(poseidon_hash_bytes(out, bad, bad_lens, 1, 16) == ZK_ERR_NOT_CANONICAL);
    CHECK(poseidon_hash_bytes(out, parts, lens, 0, 16) == ZK_ERR_ARG);
    fr_t x;
    r_be[32] -= 1; /* r - 1 is fine */
    CHECK(poseidon_fr_from_bytes(&x, r_be, 33) == ZK_OK);
    fr_t minus_one;
    fr_neg(&minus_one, &one);
    CHECK(fr_eq(&x, &minus_one));

    /* digest: same as the one-shot hash for every length around the chunk
     * boundaries; >= r values are dropped as in Go; sum resets. */
    poseidon_digest d;
    CHECK(poseidon_digest_init(&d, 12) == ZK_OK);
    CHECK(poseidon_digest_init(&d, 0) == ZK_ERR_ARG);
    CHECK(poseidon_digest_init(&d, 12) == ZK_OK);
    CHECK(poseidon_digest_sum(&d, out) == ZK_ERR_ARG);
    for (size_t n = 1; n <= 20; n++) {
        for (size_t i = 0; i < n; i++) {
            if (i == 1) CHECK(poseidon_digest_write(&d, r_be + 1, 32) == ZK_OK); /* r-1: kept */
            if (i == 2) CHECK(poseidon_digest_write(&d, big, 33) == ZK_ERR_NOT_CANONICAL); /* dropped */
            CHECK(poseidon_digest_write(&d, parts[i], lens[i]) == ZK_OK);
        }
        fr_t ins[21];
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (i == 1) ins[k++] = minus_one;
            ins[k++] = in[i];
        }
        CHECK(poseidon_hash(&want, ins, k, 12) == ZK_OK);
        CHECK(poseidon_digest_sum(&d, out) == ZK_OK);
        CHECK(fr_from_bytes_be(&got, out) == ZK_OK && fr_eq(&got, &want));
    }
    poseidon_digest_write_fr(&d, &in[0]);
    poseidon_digest_reset(&d);
    CHECK(poseidon_digest_sum_fr(&d, &got) == ZK_ERR_ARG);
}

int main(void) {
    test_init();
    test_circomlib();
    test_random_states();
    json_value *bv = test_load_vector_json("binance/vectors.json");
    test_binance_hash(bv);
    test_empty_tree(bv);
    test_worked_example(bv);
    json_free(bv);
    test_bytes_and_digest();
    TEST_DONE();
}
