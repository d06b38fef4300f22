/* Batched Poseidon (poseidon_x8.c): the batch permutation against the
 * reference permutation for every width on random states and edge values
 * (0, 1, r-1 in every word), batch sizes that are and are not multiples of
 * the lane count; the circomlib vectors and the Binance vectors (chunked
 * hash v1/v2, permutation examples, empty-tree values, the worked example's
 * commitments) through the batch entry points; the chained (carry) form
 * against the spec definition; the NULL-context path. */
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
    b[0] &= 0x3f;
    if (fr_from_bytes_be(r, b) != ZK_OK) { /* >= r: use 2^254 - x */
        b[0] &= 0x1f;
        CHECK(fr_from_bytes_be(r, b) == ZK_OK);
    }
}

static void edge_fr(fr_t *r, uint64_t k) {
    fr_t one;
    fr_one(&one);
    switch (k % 4) {
    case 0: fr_zero(r); break;
    case 1: *r = one; break;
    case 2: fr_neg(r, &one); break; /* r - 1 */
    default: random_fr(r); break;
    }
}

/* Batch permutation == reference permutation, every width, n states. */
static void test_permute(const poseidon_batch *b, const char *what) {
    static const size_t NS[4] = {1, 8, 13, 17};
    fr_t st[17 * 17], want[17 * 17];
    for (size_t t = 2; t <= 17; t++) {
        for (size_t ni = 0; ni < 4; ni++) {
            size_t n = NS[ni];
            for (size_t k = 0; k < n * t; k++) {
                if (ni == 2) edge_fr(&st[k], test_rand64()); /* mixed edges */
                else if (ni == 3) edge_fr(&st[k], k / t);     /* whole states of 0 / 1 / r-1 */
                else random_fr(&st[k]);
            }
            memcpy(want, st, n * t * sizeof *st);
            for (size_t k = 0; k < n; k++) CHECK(poseidon_permute_reference(want + k * t, t) == ZK_OK);
            CHECK(poseidon_permute_batch(b, st, t, n) == ZK_OK);
            int same = 1;
            for (size_t k = 0; k < n * t; k++) same &= fr_eq(&st[k], &want[k]);
            CHECK_MSG(same, "%s: batch permutation != reference, t=%zu n=%zu", what, t, n);
        }
    }
    CHECK(poseidon_permute_batch(b, st, 1, 1) == ZK_ERR_ARG && poseidon_permute_batch(b, st, 18, 1) == ZK_ERR_ARG);
    CHECK(poseidon_permute_batch(b, st, 3, 0) == ZK_OK);
}

/* circomlib: permutation vectors and hashes (state [0, in...], word 0). */
static void test_circomlib(const poseidon_batch *b) {
    json_value *doc = test_load_vector_json("poseidon/circomlib.json");
    const json_value *vs = json_get(doc, "vectors");
    CHECK(json_len(vs) == 16);
    for (size_t k = 0; k < json_len(vs); k++) {
        const json_value *v = json_at(vs, k);
        size_t t = k + 2;
        /* lane 0: the vector's permutation input; lanes 1, 2: [0, 1..n], [0, 0..n-1] */
        fr_t s[3 * 17];
        const json_value *pin = json_get(v, "permutation_input_state"), *pout = json_get(v, "permutation_output_state");
        CHECK(json_len(pin) == t && json_len(pout) == t);
        for (size_t i = 0; i < t; i++) {
            s[i] = test_json_fr_dec(json_at(pin, i));
            fr_set_u64(&s[t + i], i);
            if (i) fr_set_u64(&s[2 * t + i], i - 1);
            else fr_zero(&s[2 * t]);
        }
        CHECK(poseidon_permute_batch(b, s, t, 3) == ZK_OK);
        for (size_t i = 0; i < t; i++) {
            fr_t want = test_json_fr_dec(json_at(pout, i));
            CHECK_MSG(fr_eq(&s[i], &want), "t=%zu batch permutation word %zu", t, i);
        }
        fr_t want = test_json_fr_dec(json_get(v, "hash_of_1_to_n"));
        CHECK_MSG(fr_eq(&s[t], &want), "t=%zu batch hash_of_1_to_n", t);
        want = test_json_fr_dec(json_get(v, "hash_of_0_to_n_minus_1"));
        CHECK_MSG(fr_eq(&s[2 * t], &want), "t=%zu batch hash_of_0_to_n_minus_1", t);
    }
    json_free(doc);
}

/* Binance: chunked hash of 1..n for v1 and v2 (the same 12 lengths in one
 * batch each time, padded to a common length by separate calls per n). */
static void test_binance(const poseidon_batch *b, const json_value *bv) {
    const json_value *p = json_get(bv, "poseidon_1_to_n");
    static const struct { const char *key; unsigned m; } ver[2] = {{"v1_chunk16", 16}, {"v2_chunk12", 12}};
    size_t checked = 0;
    for (int vi = 0; vi < 2; vi++) {
        const json_value *tab = json_get(p, ver[vi].key);
        CHECK(json_len(tab) == 12);
        for (size_t k = 0; k < json_len(tab); k++) {
            size_t n = strtoull(json_key_at(tab, k), NULL, 10);
            CHECK(n >= 1 && n <= 256);
            if (n < 1 || n > 256) continue;
            /* 9 copies: one full group of 8 and a partial one */
            fr_t *in = malloc(9 * n * sizeof *in), out[9];
            for (size_t c = 0; c < 9; c++)
                for (size_t i = 0; i < n; i++) fr_set_u64(&in[c * n + i], i + 1);
            CHECK(poseidon_hash_batch(b, out, in, n, 9, ver[vi].m, NULL) == ZK_OK);
            fr_t want = test_json_fr_dec(json_get(json_at(tab, k), "dec"));
            int same = 1;
            for (size_t c = 0; c < 9; c++) same &= fr_eq(&out[c], &want);
            CHECK_MSG(same, "batch %s n=%zu", ver[vi].key, n);
            /* aliasing out = in */
            CHECK(poseidon_hash_batch(b, in, in, n, 9, ver[vi].m, NULL) == ZK_OK);
            same = 1;
            for (size_t c = 0; c < 9; c++) same &= fr_eq(&in[c], &want);
            CHECK_MSG(same, "batch (aliased) %s n=%zu", ver[vi].key, n);
            free(in);
            checked++;
        }
    }
    CHECK(checked == 24);
    fr_t x[4], o;
    memset(x, 0, sizeof x);
    CHECK(poseidon_hash_batch(b, &o, x, 0, 1, 16, NULL) == ZK_ERR_ARG);
    CHECK(poseidon_hash_batch(b, &o, x, 2, 1, 17, NULL) == ZK_ERR_ARG);
    CHECK(poseidon_hash_batch(b, &o, x, 2, 1, 0, NULL) == ZK_ERR_ARG);

    /* permutation examples on [0..t-1] */
    const json_value *pe = json_get(bv, "permutation_examples");
    for (size_t k = 0; k < json_len(pe); k++) {
        const json_value *words = json_at(pe, k);
        size_t t = json_len(words);
        fr_t s[17];
        for (size_t i = 0; i < t; i++) fr_set_u64(&s[i], i);
        CHECK(poseidon_permute_batch(b, s, t, 1) == ZK_OK);
        for (size_t i = 0; i < t; i++) {
            fr_t w = test_json_fr_hex(json_at(words, i));
            CHECK_MSG(fr_eq(&s[i], &w), "batch %s word %zu", json_key_at(pe, k), i);
        }
    }

    /* empty tree: commitment of 234 zeros, leaf, levels */
    fr_t zeros[234], c, leaf_in[4], e;
    memset(zeros, 0, sizeof zeros);
    for (int i = 0; i < 234; i++) fr_zero(&zeros[i]);
    CHECK(poseidon_hash_batch(b, &c, zeros, 234, 1, ZK_POSEIDON_CHUNK_V1, NULL) == ZK_OK);
    fr_t want = test_json_fr_hex(json_get(bv, "v1_empty_user_assets_commitment"));
    CHECK_MSG(fr_eq(&c, &want), "batch v1 empty commitment");
    for (int i = 0; i < 3; i++) fr_zero(&leaf_in[i]);
    leaf_in[3] = c;
    CHECK(poseidon_hash_batch(b, &e, leaf_in, 4, 1, ZK_POSEIDON_CHUNK_V1, NULL) == ZK_OK);
    want = test_json_fr_hex(json_get(bv, "v1_empty_leaf"));
    CHECK_MSG(fr_eq(&e, &want), "batch v1 empty leaf");
    const json_value *lv = json_get(bv, "v1_empty_subtree_hashes_level0_leaf_to_level28_root");
    CHECK(json_len(lv) == 29);
    for (size_t k = 1; k < json_len(lv); k++) {
        fr_t pair[2] = {e, e};
        CHECK(poseidon_hash_batch(b, &e, pair, 2, 1, ZK_POSEIDON_CHUNK_V1, NULL) == ZK_OK);
        want = test_json_fr_hex(json_at(lv, k));
        CHECK_MSG(fr_eq(&e, &want), "batch v1 empty subtree level %zu", k);
    }

    /* worked example: the five commitments in one batch, via pointers */
    const json_value *accs = json_get(json_get(bv, "v1_worked_example"), "accounts");
    size_t na = json_len(accs);
    CHECK(na == 5);
    if (na != 5) return;
    fr_t el[5][234], cm[5];
    fr_t *outs[5];
    const fr_t *ins[5];
    for (size_t a = 0; a < na; a++) {
        for (int i = 0; i < 234; i++) fr_zero(&el[a][i]);
        const json_value *nz = json_get(json_at(accs, a), "asset_elements_nonzero");
        for (size_t k = 0; k < json_len(nz); k++) {
            unsigned long idx = strtoul(json_key_at(nz, k), NULL, 10);
            CHECK(idx < 234);
            if (idx < 234) el[a][idx] = test_json_fr_dec(json_at(nz, k));
        }
        outs[a] = &cm[a];
        ins[a] = el[a];
    }
    CHECK(poseidon_hash_batch_ptr(b, outs, ins, 234, na, ZK_POSEIDON_CHUNK_V1, NULL) == ZK_OK);
    for (size_t a = 0; a < na; a++) {
        want = test_json_fr_hex(json_get(json_at(accs, a), "assets_commitment"));
        CHECK_MSG(fr_eq(&cm[a], &want), "batch worked example commitment %zu", a);
    }
}

/* The Binance hash by its definition (spec §2.2) on the reference
 * permutation, with an optional leading prefix of full chunks. */
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
        s[0] = c;
        memcpy(&s[1], &in[i], (n - i) * sizeof *in);
        CHECK(poseidon_permute_reference(s, n - i + 1) == ZK_OK);
    }
    *out = s[1];
}

/* carry: hashing [prefix (k full chunks), in] equals the batch hash of in
 * started from the prefix's carry. */
static void test_carry(const poseidon_batch *b) {
    static const unsigned CH[3] = {16, 12, 5};
    for (int ci = 0; ci < 3; ci++) {
        unsigned m = CH[ci];
        size_t pre = 2 * m, len = 3 * m + 3, n = 10;
        fr_t prefix[32], in[10][51], all[83], out[10], want, s[17], carry;
        for (size_t i = 0; i < pre; i++) random_fr(&prefix[i]);
        fr_zero(&carry);
        for (size_t k = 0; k < pre / m; k++) {
            s[0] = carry;
            memcpy(&s[1], &prefix[k * m], m * sizeof *s);
            CHECK(poseidon_permute_reference(s, m + 1) == ZK_OK);
            carry = s[0];
        }
        for (size_t k = 0; k < n; k++)
            for (size_t i = 0; i < len; i++) random_fr(&in[k][i]);
        const fr_t *ins[10];
        fr_t *outs[10];
        for (size_t k = 0; k < n; k++) ins[k] = in[k], outs[k] = &out[k];
        CHECK(poseidon_hash_batch_ptr(b, outs, ins, len, n, m, &carry) == ZK_OK);
        for (size_t k = 0; k < n; k++) {
            memcpy(all, prefix, pre * sizeof *all);
            memcpy(all + pre, in[k], len * sizeof *all);
            spec_hash(&want, all, pre + len, m);
            CHECK_MSG(fr_eq(&out[k], &want), "carry chunk %u lane %zu", m, k);
        }
        /* and without a carry, the plain hash */
        CHECK(poseidon_hash_batch_ptr(b, outs, ins, len, n, m, NULL) == ZK_OK);
        for (size_t k = 0; k < n; k++) {
            spec_hash(&want, in[k], len, m);
            CHECK_MSG(fr_eq(&out[k], &want), "chunk %u lane %zu", m, k);
        }
    }
}

int main(void) {
    test_init();
    poseidon_batch *b = NULL;
    CHECK(poseidon_batch_new(&b) == ZK_OK && b != NULL);
    CHECK(poseidon_batch_lanes() >= 1);
    json_value *bv = test_load_vector_json("binance/vectors.json");
    test_permute(b, "batch");
    test_permute(NULL, "scalar fallback");
    test_circomlib(b);
    test_binance(b, bv);
    test_binance(NULL, bv);
    test_carry(b);
    test_carry(NULL);
    json_free(bv);
    poseidon_batch_free(b);
    TEST_DONE();
}
