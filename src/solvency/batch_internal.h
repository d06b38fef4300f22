/* Internal interface between the batch sources (not a public header). */
#ifndef ZKPOS_BATCH_INTERNAL_H
#define ZKPOS_BATCH_INTERNAL_H

#include "solv_internal.h"

/* Poseidon(l, r), chunk 16. */
ZK_WUR zk_err solv_hash2(fr_t *out, const fr_t *l, const fr_t *r);
/* User commitment over an A-entry table (indices < A, distinct). With ctx,
 * hashing starts from the state after the leading all-zero chunks (they
 * hash the same for everyone). */
ZK_WUR zk_err solv_commit_sized(fr_t *out, const solv_v1_ctx *ctx, const zk_asset *assets, size_t n, unsigned A);
/* Leaf of an account (§3.2) with TE, TD recomputed from the assets and the
 * prices of cex. */
ZK_WUR zk_err solv_batch_leaf(fr_t *leaf, const solv_v1_ctx *ctx, const fr_t *id, const zk_asset *assets, size_t n,
                              const zk_cex_entry *cex, unsigned A);

#endif
