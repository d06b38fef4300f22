/* Account hashing: user asset commitments, leaves and Merkle paths.
 *
 * Design: everything is computed on field elements (fr_t) rather than
 * through the byte entry points: PoseidonBytes of Go minimal bytes equals
 * Poseidon of the same integers, so converting once avoids byte juggling.
 * The v1 commitment expands the sparse asset list into the full 700-value
 * vector (as the v1 user verifier does) and packs it by three; the v2
 * commitment follows the slot layout of spec §14.5 (fillers take the lowest
 * unused indices below each real asset first, then consecutive indices after
 * the last one). */
#include "solv_internal.h"

zk_err solv_fr_from_be(fr_t *out, const uint8_t in[32]) {
    return fr_from_bytes_be(out, in);
}

/* pack3(a, b, c) = a*2^128 + b*2^64 + c < 2^192 < r */
static void pack3(fr_t *out, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t v[4] = {c, b, a, 0};
    fr_from_u256_reduce(out, v); /* never reduces: the value is < 2^192 */
}

/* Poseidon over the flat values packed by three (zero-extended). */
static zk_err hash_packed(fr_t *out, const uint64_t *flat, size_t nvals, fr_t *elems, unsigned chunk) {
    size_t ne = (nvals + 2) / 3;
    for (size_t k = 0; k < ne; k++) {
        uint64_t a = flat[3 * k];
        uint64_t b = 3 * k + 1 < nvals ? flat[3 * k + 1] : 0;
        uint64_t c = 3 * k + 2 < nvals ? flat[3 * k + 2] : 0;
        pack3(&elems[k], a, b, c);
    }
    return poseidon_hash(out, elems, ne, chunk);
}

zk_err zk_v1_asset_commitment(fr_t *out, const zk_asset *assets, size_t n) {
    uint64_t flat[2 * ZK_V1_ASSET_COUNT];
    uint8_t seen[ZK_V1_ASSET_COUNT];
    memset(flat, 0, sizeof flat);
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < n; i++) {
        unsigned idx = assets[i].index;
        if (idx >= ZK_V1_ASSET_COUNT || seen[idx]) return ZK_ERR_ARG;
        seen[idx] = 1;
        flat[2 * idx] = assets[i].equity;
        flat[2 * idx + 1] = assets[i].debt;
    }
    fr_t elems[ZK_V1_COMMIT_ELEMS];
    return hash_packed(out, flat, 2 * ZK_V1_ASSET_COUNT, elems, ZK_POSEIDON_CHUNK_V1);
}

zk_err solv_v1_ctx_init(solv_v1_ctx *c) {
    poseidon_digest d;
    zk_err e = poseidon_digest_init(&d, ZK_POSEIDON_CHUNK_V1);
    if (e != ZK_OK) return e;
    fr_t zero;
    fr_zero(&zero);
    c->zero[0] = d;
    for (size_t k = 1; k < sizeof c->zero / sizeof c->zero[0]; k++) {
        for (unsigned i = 0; i < ZK_POSEIDON_CHUNK_V1; i++) poseidon_digest_write_fr(&d, &zero);
        c->zero[k] = d;
    }
    return ZK_OK;
}

/* Commitment of sorted, distinct assets starting from the zero-prefix state. */
static zk_err v1_commit_fast(fr_t *out, const solv_v1_ctx *c, const zk_asset *assets, size_t n) {
    uint64_t flat[3 * ZK_V1_COMMIT_ELEMS];
    size_t first = n ? (2 * (size_t)assets[0].index) / 3 : ZK_V1_COMMIT_ELEMS - 1;
    size_t k = first / ZK_POSEIDON_CHUNK_V1, start = k * ZK_POSEIDON_CHUNK_V1;
    memset(flat + 3 * start, 0, (sizeof flat) - 3 * start * sizeof *flat);
    for (size_t i = 0; i < n; i++) {
        unsigned idx = assets[i].index;
        if (idx >= ZK_V1_ASSET_COUNT || (i && idx <= assets[i - 1].index)) return ZK_ERR_ARG;
        flat[2 * idx] = assets[i].equity;
        flat[2 * idx + 1] = assets[i].debt;
    }
    poseidon_digest d = c->zero[k];
    for (size_t e = start; e < ZK_V1_COMMIT_ELEMS; e++) {
        fr_t x;
        pack3(&x, flat[3 * e], flat[3 * e + 1], flat[3 * e + 2]);
        poseidon_digest_write_fr(&d, &x);
    }
    return poseidon_digest_sum_fr(&d, out);
}

static zk_err u192_to_fr(fr_t *out, const zk_u192 *a) {
    uint64_t v[4];
    u192_to_u256(v, a);
    return fr_from_u256(out, v);
}

/* Batched leaves: groups of up to 8 accounts go through the batch hash side
 * by side. All lanes of a group start from the zero-prefix state of the
 * group's lowest first chunk (the state after k zero chunks is the same for
 * every account whose first non-zero element lies in chunk k or later), so a
 * lane may redo a few zero chunks its scalar twin would skip; the tree
 * orders accounts by first chunk so that groups are mostly uniform. */
#define LEAF_GROUP 8
typedef struct {
    uint64_t flat[LEAF_GROUP][3 * ZK_V1_COMMIT_ELEMS];
    fr_t elems[LEAF_GROUP][ZK_V1_COMMIT_ELEMS];
    fr_t leaf_in[LEAF_GROUP][4];
    fr_t cm[LEAF_GROUP];
} leaf_scratch;

size_t solv_v1_first_chunk(const zk_sheet *s, size_t index) {
    const zk_account *a = &s->accounts[index];
    size_t first = a->n_assets ? (2 * (size_t)s->assets[a->first_asset].index) / 3 : ZK_V1_COMMIT_ELEMS - 1;
    return first / ZK_POSEIDON_CHUNK_V1;
}

static zk_err leaves_group(fr_t *out, const solv_v1_ctx *c, const poseidon_batch *b, const zk_sheet *s,
                           const size_t *acct, size_t n, leaf_scratch *w) {
    size_t kmin = ZK_V1_COMMIT_ELEMS / ZK_POSEIDON_CHUNK_V1;
    for (size_t j = 0; j < n; j++) {
        if (acct[j] >= s->n_accounts) return ZK_ERR_ARG;
        size_t k = solv_v1_first_chunk(s, acct[j]);
        if (k < kmin) kmin = k;
    }
    size_t start = kmin * ZK_POSEIDON_CHUNK_V1, len = ZK_V1_COMMIT_ELEMS - start;
    const fr_t *ins[LEAF_GROUP];
    fr_t *outs[LEAF_GROUP];
    for (size_t j = 0; j < n; j++) {
        const zk_account *a = &s->accounts[acct[j]];
        const zk_asset *as = s->assets + a->first_asset;
        uint64_t *flat = w->flat[j];
        memset(flat + 3 * start, 0, 3 * len * sizeof *flat);
        for (size_t i = 0; i < a->n_assets; i++) {
            unsigned idx = as[i].index;
            if (idx >= ZK_V1_ASSET_COUNT || (i && idx <= as[i - 1].index)) return ZK_ERR_ARG;
            flat[2 * idx] = as[i].equity;
            flat[2 * idx + 1] = as[i].debt;
        }
        for (size_t e = start; e < ZK_V1_COMMIT_ELEMS; e++)
            pack3(&w->elems[j][e], flat[3 * e], flat[3 * e + 1], flat[3 * e + 2]);
        ins[j] = &w->elems[j][start];
        outs[j] = &w->cm[j];
    }
    const fr_t *carry = kmin ? &c->zero[kmin].carry : NULL;
    zk_err e = poseidon_hash_batch_ptr(b, outs, ins, len, n, ZK_POSEIDON_CHUNK_V1, carry);
    if (e != ZK_OK) return e;
    for (size_t j = 0; j < n; j++) {
        const zk_account *a = &s->accounts[acct[j]];
        fr_t *in = w->leaf_in[j];
        if ((e = fr_from_bytes_be(&in[0], a->id)) != ZK_OK) return e;
        if ((e = u192_to_fr(&in[1], &a->equity)) != ZK_OK) return e;
        if ((e = u192_to_fr(&in[2], &a->debt)) != ZK_OK) return e;
        in[3] = w->cm[j];
    }
    return poseidon_hash_batch(b, out, &w->leaf_in[0][0], 4, n, ZK_POSEIDON_CHUNK_V1, NULL);
}

zk_err solv_v1_account_leaves_batch(fr_t *out, const solv_v1_ctx *c, const poseidon_batch *b,
                                    const zk_sheet *s, const size_t *idx, size_t n) {
    leaf_scratch *w = malloc(sizeof *w);
    if (!w) return ZK_ERR_NOMEM;
    zk_err e = ZK_OK;
    for (size_t g = 0; g < n && e == ZK_OK; g += LEAF_GROUP)
        e = leaves_group(out + g, c, b, s, idx + g, n - g < LEAF_GROUP ? n - g : LEAF_GROUP, w);
    free(w);
    return e;
}

zk_err zk_v1_leaf(fr_t *out, const uint8_t id[32], const zk_u192 *equity, const zk_u192 *debt,
                  const fr_t *commitment) {
    fr_t in[4];
    zk_err e;
    if ((e = fr_from_bytes_be(&in[0], id)) != ZK_OK) return e;
    if ((e = u192_to_fr(&in[1], equity)) != ZK_OK) return e;
    if ((e = u192_to_fr(&in[2], debt)) != ZK_OK) return e;
    in[3] = *commitment;
    return poseidon_hash(out, in, 4, ZK_POSEIDON_CHUNK_V1);
}

zk_err zk_v1_account_leaf(fr_t *out, const zk_sheet *s, size_t index) {
    if (index >= s->n_accounts) return ZK_ERR_ARG;
    const zk_account *a = &s->accounts[index];
    fr_t c;
    zk_err e = zk_v1_asset_commitment(&c, s->assets + a->first_asset, a->n_assets);
    if (e != ZK_OK) return e;
    return zk_v1_leaf(out, a->id, &a->equity, &a->debt, &c);
}

zk_err zk_account_leaf_sized(fr_t *out, const zk_sheet *s, size_t index, unsigned asset_count) {
    if (index >= s->n_accounts) return ZK_ERR_ARG;
    const zk_account *a = &s->accounts[index];
    fr_t c;
    zk_err e = zk_asset_commitment_sized(&c, s->assets + a->first_asset, a->n_assets, asset_count);
    if (e != ZK_OK) return e;
    return zk_v1_leaf(out, a->id, &a->equity, &a->debt, &c);
}

zk_err solv_v1_account_leaf_fast(fr_t *out, const solv_v1_ctx *c, const zk_sheet *s, size_t index) {
    if (index >= s->n_accounts) return ZK_ERR_ARG;
    const zk_account *a = &s->accounts[index];
    fr_t cm;
    zk_err e = v1_commit_fast(&cm, c, s->assets + a->first_asset, a->n_assets);
    if (e != ZK_OK) return e;
    return zk_v1_leaf(out, a->id, &a->equity, &a->debt, &cm);
}

zk_err zk_v2_asset_commitment(fr_t *out, const zk_asset_v2 *assets, size_t n, const unsigned *tiers,
                              size_t n_tiers) {
    static const unsigned DEFAULT_TIERS[2] = {50, 500};
    if (!tiers) {
        tiers = DEFAULT_TIERS;
        n_tiers = 2;
    }
    size_t k = 0;
    for (size_t i = 0; i < n_tiers; i++)
        if (n <= tiers[i]) {
            k = tiers[i];
            break;
        }
    if (k == 0) return ZK_ERR_ARG;
    for (size_t i = 1; i < n; i++)
        if (assets[i].index <= assets[i - 1].index) return ZK_ERR_ARG;
    uint64_t *flat = calloc(6 * k, sizeof *flat);
    fr_t *elems = malloc(2 * k * sizeof *elems);
    zk_err e = ZK_ERR_NOMEM;
    if (!flat || !elems) goto done;
    size_t fill = k - n, used = 0, slot = 0;
    uint64_t next = 0; /* lowest index not yet considered */
    for (size_t i = 0; i < n; i++) {
        for (uint64_t j = next; j < assets[i].index && used < fill; j++, used++) flat[6 * slot++] = j;
        uint64_t *s = &flat[6 * slot++];
        s[0] = assets[i].index;
        s[1] = assets[i].equity;
        s[2] = assets[i].debt;
        s[3] = assets[i].loan;
        s[4] = assets[i].margin;
        s[5] = assets[i].portfolio_margin;
        next = (uint64_t)assets[i].index + 1;
    }
    for (; slot < k; slot++) flat[6 * slot] = next++;
    e = hash_packed(out, flat, 6 * k, elems, ZK_POSEIDON_CHUNK_V2);
done:
    free(flat);
    free(elems);
    return e;
}

zk_err zk_v2_leaf(fr_t *out, const uint8_t id[32], const zk_u192 *equity, const zk_u192 *debt,
                  const zk_u192 *collateral, const fr_t *commitment) {
    fr_t in[5];
    zk_err e;
    if ((e = fr_from_bytes_be(&in[0], id)) != ZK_OK) return e;
    if ((e = u192_to_fr(&in[1], equity)) != ZK_OK) return e;
    if ((e = u192_to_fr(&in[2], debt)) != ZK_OK) return e;
    if ((e = u192_to_fr(&in[3], collateral)) != ZK_OK) return e;
    in[4] = *commitment;
    return poseidon_hash(out, in, 5, ZK_POSEIDON_CHUNK_V2);
}

zk_err zk_merkle_root(fr_t *root, const fr_t *leaf, uint64_t index, const fr_t proof[ZK_TREE_DEPTH]) {
    if (index >> ZK_TREE_DEPTH) return ZK_ERR_ARG;
    fr_t node = *leaf, pair[2];
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) {
        if ((index >> k) & 1) {
            pair[0] = proof[k];
            pair[1] = node;
        } else {
            pair[0] = node;
            pair[1] = proof[k];
        }
        zk_err e = poseidon_hash(&node, pair, 2, ZK_POSEIDON_CHUNK_V1);
        if (e != ZK_OK) return e;
    }
    *root = node;
    return ZK_OK;
}
