/* User proofs: the v1 user-proof JSON (spec §9) and its verification (v1 and
 * the v2 layout of §14.5 / §14.11).
 *
 * Design: the writer formats directly into a caller buffer instead of going
 * through the generic JSON writer: every value is a number, lowercase hex or
 * base64, so nothing needs escaping, and writing ~1.5 KB per user without
 * allocation is what makes hundreds of thousands of proofs per second
 * possible. The output is Go's json.Marshal of the UserConfig struct: no
 * whitespace, struct field order, *big.Int as a bare number, [][]byte as
 * base64 with padding, an account without assets as "Assets":[] (v1 builds
 * the slice with make, never nil).
 *
 * The verifier is stricter than Go's (which ignores unknown or missing
 * fields, accepts negative big.Ints and silently drops siblings >= r): each
 * field must be present exactly once with the right type, size and range, and
 * every rejection names the field, so a user learns what is wrong with their
 * file rather than just "verify failed". */
#include <stdarg.h>
#include <stdio.h>

#include "../hash/hash.h"
#include "../json/json.h"
#include "solv_internal.h"

/* ---- writer ---- */

/* Writers without bounds checks: zk_userproof_v1_format checks the worst
 * case once up front. */
#define PUTLIT(p, s) (memcpy(p, s, sizeof(s) - 1), (p) += sizeof(s) - 1)

static const char DIGITS2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                              "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                              "8081828384858687888990919293949596979899";

static inline char *put_u64(char *p, uint64_t v) {
    char tmp[20];
    int k = 20;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100);
        v /= 100;
        tmp[--k] = DIGITS2[2 * d + 1];
        tmp[--k] = DIGITS2[2 * d];
    }
    if (v >= 10) {
        tmp[--k] = DIGITS2[2 * v + 1];
        tmp[--k] = DIGITS2[2 * v];
    } else tmp[--k] = (char)('0' + v);
    memcpy(p, tmp + k, (size_t)(20 - k));
    return p + (20 - k);
}

/* Worst-case length for n assets: fixed text and two 58-digit totals, per
 * asset {"Index":65535,"Equity":<20>,"Debt":<20>}, and 28 quoted siblings. */
static size_t v1_bound(size_t n_assets) {
    return 256 + 2 * 58 + n_assets * 72 + ZK_TREE_DEPTH * 47;
}

size_t zk_userproof_v1_format(char *out, size_t cap, uint32_t account_index, const uint8_t id[32],
                              const zk_u192 *equity, const zk_u192 *debt, const zk_asset *assets, size_t n_assets,
                              const uint8_t root[32], const uint8_t proof[ZK_TREE_DEPTH][32]) {
    if (cap < v1_bound(n_assets)) {
        /* format into scratch space and copy if it fits */
        if (n_assets > ZK_V1_ASSET_COUNT) return 0;
        char *tmp = malloc(ZK_USERPROOF_V1_MAX);
        if (!tmp) return 0;
        size_t n = zk_userproof_v1_format(tmp, ZK_USERPROOF_V1_MAX, account_index, id, equity, debt, assets,
                                          n_assets, root, proof);
        if (n > cap) n = 0;
        if (n) memcpy(out, tmp, n);
        free(tmp);
        return n;
    }
    char *p = out;
    PUTLIT(p, "{\"AccountIndex\":");
    p = put_u64(p, account_index);
    PUTLIT(p, ",\"AccountIdHash\":\"");
    zk_hex_encode(p, id, 32);
    p += 64;
    PUTLIT(p, "\",\"TotalEquity\":");
    p += zk_u192_to_dec(p, equity);
    PUTLIT(p, ",\"TotalDebt\":");
    p += zk_u192_to_dec(p, debt);
    PUTLIT(p, ",\"Assets\":[");
    for (size_t i = 0; i < n_assets; i++) {
        if (i) *p++ = ',';
        PUTLIT(p, "{\"Index\":");
        p = put_u64(p, assets[i].index);
        PUTLIT(p, ",\"Equity\":");
        p = put_u64(p, assets[i].equity);
        PUTLIT(p, ",\"Debt\":");
        p = put_u64(p, assets[i].debt);
        *p++ = '}';
    }
    PUTLIT(p, "],\"Root\":\"");
    zk_hex_encode(p, root, 32);
    p += 64;
    PUTLIT(p, "\",\"Proof\":[");
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) {
        if (k) *p++ = ',';
        *p++ = '"';
        zk_base64_encode(p, proof[k], 32);
        p += 44;
        *p++ = '"';
    }
    PUTLIT(p, "]}");
    return (size_t)(p - out);
}

size_t zk_userproof_v1_account(char *out, size_t cap, const zk_sheet *s, const zk_tree *t, size_t index) {
    if (index >= s->n_accounts || index >= zk_tree_leaf_count(t)) return 0;
    uint8_t proof[ZK_TREE_DEPTH][32], root[32];
    if (zk_tree_proof(proof, t, index) != ZK_OK) return 0;
    zk_tree_root(root, t);
    const zk_account *a = &s->accounts[index];
    return zk_userproof_v1_format(out, cap, (uint32_t)index, a->id, &a->equity, &a->debt,
                                  s->assets + a->first_asset, a->n_assets, root, proof);
}

/* ---- verifier ---- */

static zk_err bad(zk_userproof_result *r, zk_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static zk_err bad(zk_userproof_result *r, zk_err e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return e;
}

static const char *const V1_KEYS[] = {"AccountIndex", "AccountIdHash", "TotalEquity", "TotalDebt",
                                      "Assets",       "Root",          "Proof"};
static const char *const V2_KEYS[] = {"AccountIndex", "AccountIdHash", "TotalEquity", "TotalDebt",
                                      "TotalCollateral", "Assets",     "Root",        "Proof"};
static const char *const V1_ASSET_KEYS[] = {"Index", "Equity", "Debt"};
static const char *const V2_ASSET_KEYS[] = {"Index", "Equity", "Debt", "Loan", "Margin", "PortfolioMargin"};

/* Every key of obj is one of keys[] and every one of keys[] is present. */
static zk_err check_keys(zk_userproof_result *r, const json_value *obj, const char *where,
                         const char *const *keys, size_t nkeys) {
    for (size_t i = 0; i < json_len(obj); i++) {
        const char *k = json_key_at(obj, i);
        size_t j = 0;
        while (j < nkeys && strcmp(k, keys[j])) j++;
        if (j == nkeys) return bad(r, ZK_ERR_PARSE, "%sunknown field \"%.60s\"", where, k);
    }
    for (size_t j = 0; j < nkeys; j++)
        if (!json_get(obj, keys[j])) return bad(r, ZK_ERR_PARSE, "%smissing field \"%s\"", where, keys[j]);
    return ZK_OK;
}

static zk_err get_u64(zk_userproof_result *r, uint64_t *out, const json_value *v, const char *name) {
    const char *s = json_number_text(v);
    if (!v || v->type != JSON_NUMBER || !s) return bad(r, ZK_ERR_PARSE, "%s: expected a non-negative integer", name);
    if (s[0] == '-') return bad(r, ZK_ERR_ARG, "%s must not be negative", name);
    if (strpbrk(s, ".eE")) return bad(r, ZK_ERR_PARSE, "%s: expected an integer without fraction or exponent", name);
    zk_err e = json_as_u64(out, v);
    if (e == ZK_ERR_ARG) return bad(r, e, "%s exceeds 2^64-1", name);
    if (e != ZK_OK) return bad(r, ZK_ERR_PARSE, "%s: expected a non-negative integer", name);
    return ZK_OK;
}

/* A big.Int field: a non-negative integer below r. */
static zk_err get_big(zk_userproof_result *r, fr_t *out, const json_value *v, const char *name) {
    const char *s = json_number_text(v);
    if (!v || v->type != JSON_NUMBER || !s) return bad(r, ZK_ERR_PARSE, "%s: expected an integer", name);
    if (s[0] == '-') return bad(r, ZK_ERR_ARG, "%s must not be negative", name);
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return bad(r, ZK_ERR_PARSE, "%s: expected an integer without fraction or exponent", name);
    if (strlen(s) > 78 || fr_from_dec(out, s) != ZK_OK)
        return bad(r, ZK_ERR_NOT_CANONICAL, "%s is not below the field modulus", name);
    return ZK_OK;
}

static zk_err get_hex32(zk_userproof_result *r, uint8_t out[32], const json_value *v, const char *name) {
    size_t len;
    const char *s = json_as_string(v, &len);
    if (!s) return bad(r, ZK_ERR_PARSE, "%s: expected a string", name);
    if (len != 64) return bad(r, ZK_ERR_ARG, "%s: expected 64 hex digits (32 bytes), got %zu characters", name, len);
    if (zk_hex_decode(out, 32, s, len) != ZK_OK) return bad(r, ZK_ERR_PARSE, "%s: not a hex string", name);
    return ZK_OK;
}

zk_err zk_userproof_verify(zk_userproof_result *res, const char *json, size_t len, const unsigned *tiers,
                           size_t n_tiers) {
    return zk_userproof_verify_sized(res, json, len, tiers, n_tiers, ZK_V1_ASSET_COUNT);
}

zk_err zk_userproof_verify_sized(zk_userproof_result *res, const char *json, size_t len, const unsigned *tiers,
                                 size_t n_tiers, unsigned asset_count) {
    memset(res, 0, sizeof *res);
    if (asset_count < 1 || asset_count > ZK_V1_ASSET_COUNT)
        return bad(res, ZK_ERR_ARG, "asset count %u is not in 1 .. %d", asset_count, ZK_V1_ASSET_COUNT);
    json_value *doc = NULL;
    json_error jerr;
    zk_err e = json_parse(&doc, json, len, &jerr);
    if (e == ZK_ERR_NOMEM) return bad(res, e, "out of memory");
    if (e != ZK_OK) return bad(res, ZK_ERR_PARSE, "malformed JSON: %s", jerr.message);

    zk_asset *a1 = NULL;
    zk_asset_v2 *a2 = NULL;
    char where[64];
    if (doc->type != JSON_OBJECT) {
        e = bad(res, ZK_ERR_PARSE, "expected a JSON object");
        goto done;
    }
    int v2 = json_get(doc, "TotalCollateral") != NULL;
    res->version = v2 ? 2 : 1;
    if (v2) e = check_keys(res, doc, "", V2_KEYS, sizeof V2_KEYS / sizeof *V2_KEYS);
    else e = check_keys(res, doc, "", V1_KEYS, sizeof V1_KEYS / sizeof *V1_KEYS);
    if (e) goto done;

    uint64_t index;
    if ((e = get_u64(res, &index, json_get(doc, "AccountIndex"), "AccountIndex"))) goto done;
    if (index >> ZK_TREE_DEPTH) {
        e = bad(res, ZK_ERR_ARG, "AccountIndex %llu does not fit the depth-28 tree", (unsigned long long)index);
        goto done;
    }
    res->account_index = index;

    fr_t in[5]; /* id, equity, debt, [collateral,] commitment */
    uint8_t id[32];
    if ((e = get_hex32(res, id, json_get(doc, "AccountIdHash"), "AccountIdHash"))) goto done;
    if (fr_from_bytes_be(&in[0], id) != ZK_OK) {
        e = bad(res, ZK_ERR_NOT_CANONICAL, "AccountIdHash is not below the field modulus");
        goto done;
    }
    if ((e = get_big(res, &in[1], json_get(doc, "TotalEquity"), "TotalEquity"))) goto done;
    if ((e = get_big(res, &in[2], json_get(doc, "TotalDebt"), "TotalDebt"))) goto done;
    if (v2 && (e = get_big(res, &in[3], json_get(doc, "TotalCollateral"), "TotalCollateral"))) goto done;

    if ((e = get_hex32(res, res->claimed_root, json_get(doc, "Root"), "Root"))) goto done;

    const json_value *pv = json_get(doc, "Proof");
    if (pv->type != JSON_ARRAY) {
        e = bad(res, ZK_ERR_PARSE, "Proof: expected an array");
        goto done;
    }
    if (json_len(pv) != ZK_TREE_DEPTH) {
        e = bad(res, ZK_ERR_ARG, "Proof has %zu elements; expected %d", json_len(pv), ZK_TREE_DEPTH);
        goto done;
    }
    fr_t proof[ZK_TREE_DEPTH];
    for (size_t k = 0; k < ZK_TREE_DEPTH; k++) {
        size_t sl, bl;
        const char *s = json_as_string(json_at(pv, k), &sl);
        uint8_t b[33];
        if (!s) {
            e = bad(res, ZK_ERR_PARSE, "Proof[%zu]: expected a string", k);
            goto done;
        }
        if (zk_base64_decode(b, sizeof b, &bl, s, sl) != ZK_OK) {
            e = bad(res, ZK_ERR_PARSE, "Proof[%zu]: not canonical base64 with padding", k);
            goto done;
        }
        if (bl != 32) {
            e = bad(res, ZK_ERR_ARG, "Proof[%zu]: decodes to %zu bytes; expected 32", k, bl);
            goto done;
        }
        if (fr_from_bytes_be(&proof[k], b) != ZK_OK) {
            e = bad(res, ZK_ERR_NOT_CANONICAL, "Proof[%zu] is not below the field modulus", k);
            goto done;
        }
    }

    const json_value *av = json_get(doc, "Assets");
    if (av->type != JSON_ARRAY) {
        e = bad(res, ZK_ERR_PARSE, "Assets: expected an array");
        goto done;
    }
    size_t na = json_len(av);
    size_t max_assets = v2 ? 65536 : ZK_V1_ASSET_COUNT;
    if (na > max_assets) {
        e = bad(res, ZK_ERR_ARG, "Assets has %zu entries; at most %zu are possible", na, max_assets);
        goto done;
    }
    if (v2) a2 = calloc(na ? na : 1, sizeof *a2);
    else a1 = calloc(na ? na : 1, sizeof *a1);
    if (!a1 && !a2) {
        e = bad(res, ZK_ERR_NOMEM, "out of memory");
        goto done;
    }
    uint8_t seen[ZK_V1_ASSET_COUNT] = {0};
    for (size_t i = 0; i < na; i++) {
        const json_value *o = json_at(av, i);
        snprintf(where, sizeof where, "Assets[%zu]: ", i);
        if (o->type != JSON_OBJECT) {
            e = bad(res, ZK_ERR_PARSE, "%sexpected an object", where);
            goto done;
        }
        if (v2) e = check_keys(res, o, where, V2_ASSET_KEYS, 6);
        else e = check_keys(res, o, where, V1_ASSET_KEYS, 3);
        if (e) goto done;
        uint64_t vals[6];
        const char *const *keys = v2 ? V2_ASSET_KEYS : V1_ASSET_KEYS;
        for (int k = 0; k < (v2 ? 6 : 3); k++) {
            char name[96];
            snprintf(name, sizeof name, "Assets[%zu].%s", i, keys[k]);
            if ((e = get_u64(res, &vals[k], json_get(o, keys[k]), name))) goto done;
        }
        if (v2) {
            if (vals[0] > 65535) {
                e = bad(res, ZK_ERR_ARG, "Assets[%zu].Index %llu does not fit 16 bits", i, (unsigned long long)vals[0]);
                goto done;
            }
            if (i && vals[0] <= a2[i - 1].index) {
                e = bad(res, ZK_ERR_ARG, "Assets[%zu].Index %llu: indices must be strictly increasing", i,
                        (unsigned long long)vals[0]);
                goto done;
            }
            a2[i] = (zk_asset_v2){vals[1], vals[2], vals[3], vals[4], vals[5], (uint16_t)vals[0]};
        } else {
            if (vals[0] >= asset_count) {
                e = bad(res, ZK_ERR_ARG, "Assets[%zu].Index %llu: must be below %u", i, (unsigned long long)vals[0],
                        asset_count);
                goto done;
            }
            if (seen[vals[0]]) {
                e = bad(res, ZK_ERR_ARG, "Assets[%zu].Index %llu appears twice", i, (unsigned long long)vals[0]);
                goto done;
            }
            seen[vals[0]] = 1;
            a1[i] = (zk_asset){vals[1], vals[2], (uint16_t)vals[0]};
        }
    }

    fr_t leaf, root;
    if (v2) {
        e = zk_v2_asset_commitment(&in[4], a2, na, tiers, n_tiers);
        if (e == ZK_ERR_ARG) {
            e = bad(res, e, "Assets has %zu entries, more than the largest asset-count tier", na);
            goto done;
        }
        if (e == ZK_OK) e = poseidon_hash(&leaf, in, 5, ZK_POSEIDON_CHUNK_V2);
    } else {
        e = asset_count == ZK_V1_ASSET_COUNT ? zk_v1_asset_commitment(&in[3], a1, na)
                                             : zk_asset_commitment_sized(&in[3], a1, na, asset_count);
        if (e == ZK_OK) e = poseidon_hash(&leaf, in, 4, ZK_POSEIDON_CHUNK_V1);
    }
    if (e == ZK_OK) e = zk_merkle_root(&root, &leaf, index, proof);
    if (e != ZK_OK) {
        e = bad(res, e, "hashing failed: %s", zk_strerror(e));
        goto done;
    }
    fr_to_bytes_be(res->leaf, &leaf);
    fr_to_bytes_be(res->root, &root);
    if (memcmp(res->root, res->claimed_root, 32)) {
        char h1[65], h2[65];
        zk_hex_encode(h1, res->root, 32);
        zk_hex_encode(h2, res->claimed_root, 32);
        e = bad(res, ZK_ERR_VERIFY, "root mismatch: the proof leads to %s, the file claims %s", h1, h2);
        goto done;
    }
    e = ZK_OK;
done:
    free(a1);
    free(a2);
    json_free(doc);
    return e;
}
