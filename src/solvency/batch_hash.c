/* Hashing of batches (spec §3.1 generalised to an A-entry table, §3.3,
 * §3.5, §3.6) and the verifier's chain checks (§8.1).
 *
 * Design: kept apart from the batcher (batch.c) so that a verifier - the
 * command line or the WebAssembly build, which lists its sources - can
 * take the commitments and the chain checks without the witness generator
 * (thread pool, atomics). Values are packed as integers below 2^192 and
 * hashed with the chunk-16 Binance Poseidon. */
#include "batch_internal.h"

#define ASSETS_MAX ZK_V1_ASSET_COUNT

/* pack3(a, b, c) = a 2^128 + b 2^64 + c, below 2^192 < r */
static void pack3(fr_t *out, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t v[4] = {c, b, a, 0};
    fr_from_u256_reduce(out, v);
}

static void u192_fr(fr_t *out, const zk_u192 *a) {
    uint64_t v[4];
    u192_to_u256(v, a);
    fr_from_u256_reduce(out, v); /* < 2^192 < r: no reduction happens */
}

zk_err solv_hash2(fr_t *out, const fr_t *l, const fr_t *r) {
    fr_t in[2] = {*l, *r};
    return poseidon_hash(out, in, 2, ZK_POSEIDON_CHUNK_V1);
}

zk_err solv_commit_sized(fr_t *out, const solv_v1_ctx *ctx, const zk_asset *assets, size_t n, unsigned A) {
    if (A < 1 || A > ASSETS_MAX) return ZK_ERR_ARG;
    uint64_t flat[3 * ZK_V1_COMMIT_ELEMS];
    uint8_t seen[ASSETS_MAX];
    size_t ne = (2 * (size_t)A + 2) / 3, lowest = A;
    memset(flat, 0, 3 * ne * sizeof *flat);
    memset(seen, 0, A);
    for (size_t i = 0; i < n; i++) {
        unsigned idx = assets[i].index;
        if (idx >= A || seen[idx]) return ZK_ERR_ARG;
        seen[idx] = 1;
        flat[2 * idx] = assets[i].equity;
        flat[2 * idx + 1] = assets[i].debt;
        if (idx < lowest) lowest = idx;
    }
    /* elements before the one holding the lowest asset are zero */
    size_t first = lowest < A ? 2 * lowest / 3 : ne - 1;
    size_t k = ctx ? first / ZK_POSEIDON_CHUNK_V1 : 0;
    poseidon_digest d;
    if (ctx) d = ctx->zero[k];
    else if (poseidon_digest_init(&d, ZK_POSEIDON_CHUNK_V1) != ZK_OK) return ZK_ERR_ARG;
    for (size_t e = k * ZK_POSEIDON_CHUNK_V1; e < ne; e++) {
        fr_t x;
        pack3(&x, flat[3 * e], flat[3 * e + 1], flat[3 * e + 2]);
        poseidon_digest_write_fr(&d, &x);
    }
    return poseidon_digest_sum_fr(&d, out);
}

zk_err zk_asset_commitment_sized(fr_t *out, const zk_asset *assets, size_t n, unsigned asset_count) {
    return solv_commit_sized(out, NULL, assets, n, asset_count);
}

zk_err solv_batch_leaf(fr_t *leaf, const solv_v1_ctx *ctx, const fr_t *id, const zk_asset *assets, size_t n,
                        const zk_cex_entry *cex, unsigned A) {
    fr_t in[4];
    zk_err e = solv_commit_sized(&in[3], ctx, assets, n, A); /* also checks the indices */
    if (e != ZK_OK) return e;
    zk_u192 te = {{0, 0, 0}}, td = {{0, 0, 0}};
    for (size_t i = 0; i < n; i++) {
        u192_addmul(&te, assets[i].equity, cex[assets[i].index].price);
        u192_addmul(&td, assets[i].debt, cex[assets[i].index].price);
    }
    in[0] = *id;
    u192_fr(&in[1], &te);
    u192_fr(&in[2], &td);
    return poseidon_hash(leaf, in, 4, ZK_POSEIDON_CHUNK_V1);
}

zk_err zk_cex_commitment(fr_t *out, const zk_cex_entry *entries, unsigned asset_count) {
    if (asset_count < 1 || asset_count > ASSETS_MAX) return ZK_ERR_ARG;
    fr_t el[ASSETS_MAX];
    for (unsigned j = 0; j < asset_count; j++) pack3(&el[j], entries[j].equity, entries[j].debt, entries[j].price);
    return poseidon_hash(out, el, asset_count, ZK_POSEIDON_CHUNK_V1);
}

zk_err zk_batch_commitment(fr_t *out, const fr_t *before_root, const fr_t *after_root, const fr_t *before_cex,
                           const fr_t *after_cex) {
    fr_t in[4] = {*before_root, *after_root, *before_cex, *after_cex};
    return poseidon_hash(out, in, 4, ZK_POSEIDON_CHUNK_V1);
}

zk_err zk_empty_hashes(fr_t out[ZK_TREE_DEPTH + 1], unsigned asset_count) {
    fr_t in[4];
    zk_err e = solv_commit_sized(&in[3], NULL, NULL, 0, asset_count);
    if (e != ZK_OK) return e;
    fr_zero(&in[0]);
    fr_zero(&in[1]);
    fr_zero(&in[2]);
    if ((e = poseidon_hash(&out[0], in, 4, ZK_POSEIDON_CHUNK_V1)) != ZK_OK) return e;
    for (unsigned k = 1; k <= ZK_TREE_DEPTH; k++)
        if ((e = solv_hash2(&out[k], &out[k - 1], &out[k - 1])) != ZK_OK) return e;
    return ZK_OK;
}

/* ---------------- the verifier's chain checks ---------------- */

zk_err zk_batch_chain_verify(size_t *bad, const char **why, const zk_batch_header *h, size_t n,
                             const zk_cex_entry *published, unsigned asset_count) {
    static const char *none = "";
    *bad = 0;
    *why = none;
    if (asset_count < 1 || asset_count > ASSETS_MAX) return ZK_ERR_ARG;
    fr_t empty[ZK_TREE_DEPTH + 1], prev_root, prev_cex, final_cex;
    zk_cex_entry zero[ASSETS_MAX];
    for (unsigned j = 0; j < asset_count; j++) {
        if (published[j].equity < published[j].debt) {
            *bad = n;
            *why = "a published CEX entry has TotalEquity < TotalDebt";
            return ZK_ERR_VERIFY;
        }
        zero[j].equity = zero[j].debt = 0;
        zero[j].price = published[j].price;
    }
    zk_err e = zk_empty_hashes(empty, asset_count);
    if (e == ZK_OK) e = zk_cex_commitment(&prev_cex, zero, asset_count);
    if (e == ZK_OK) e = zk_cex_commitment(&final_cex, published, asset_count);
    if (e != ZK_OK) return e;
    prev_root = empty[ZK_TREE_DEPTH];
    for (size_t i = 0; i < n; i++) {
        fr_t c;
        if ((e = zk_batch_commitment(&c, &h[i].before_root, &h[i].after_root, &h[i].before_cex, &h[i].after_cex)) !=
            ZK_OK)
            return e;
        *bad = i;
        if (!fr_eq(&c, &h[i].commitment)) {
            *why = "the batch commitment is not Poseidon(before root, after root, before CEX, after CEX)";
            return ZK_ERR_VERIFY;
        }
        if (!fr_eq(&h[i].before_root, &prev_root)) {
            *why = i ? "the before root is not the previous batch's after root"
                     : "the first batch's before root is not the empty root";
            return ZK_ERR_VERIFY;
        }
        if (!fr_eq(&h[i].before_cex, &prev_cex)) {
            *why = i ? "the before CEX commitment is not the previous batch's after CEX commitment"
                     : "the first batch's before CEX commitment is not that of the published prices with zero totals";
            return ZK_ERR_VERIFY;
        }
        prev_root = h[i].after_root;
        prev_cex = h[i].after_cex;
    }
    *bad = n;
    if (!fr_eq(&prev_cex, &final_cex)) {
        *why = "the last after CEX commitment is not the commitment of the published CEX totals";
        return ZK_ERR_VERIFY;
    }
    *bad = 0;
    return ZK_OK;
}
