/* Batch witnesses of the v1 create-user circuit (spec §3.5, §3.6, §6.1,
 * §8.1), for any batch size B and asset-table size A.
 *
 * Design: v1 inserts accounts at indices 0, 1, 2, ... into an initially
 * empty tree, so the tree needed for witness generation is the frontier of
 * an append-only Merkle tree: for the next index n, left[k] holds the
 * complete subtree to the left of n's path at every level k where bit k of
 * n is 1, and everything to the right is an empty subtree E[k]. The
 * siblings of n are then read off without hashing, the new root costs 28
 * hashes, and after the insertion exactly one frontier entry changes
 * (level t = number of trailing 1-bits of n, which becomes the left
 * neighbour of n+1's path). Memory is 28 nodes whatever the number of users
 * (the dense zk_tree is not needed, and would only fit A = 350 anyway).
 * Seeking to a later batch (crash recovery) replays leaves and the
 * frontier update only, about one hash per account beyond the leaf.
 *
 * Leaves are independent and hashed in parallel with the pool; the root
 * chain within a batch is sequential. Totals and the leaf's TE/TD are
 * recomputed here from the assets and the batch's prices, the way the
 * circuit recomputes them, so that a witness is consistent whatever the
 * sheet's own totals say. Padding accounts have leaf E[0] (§3.3). */
#include <stdatomic.h>

#include "batch_internal.h"

#define ASSETS_MAX ZK_V1_ASSET_COUNT
#define USERS_MAX (1u << ZK_TREE_DEPTH)

/* ---------------- witness allocation ---------------- */

zk_err zk_batch_witness_new(zk_batch_witness **out, unsigned users, unsigned assets, size_t n_asset_entries) {
    *out = NULL;
    if (users < 1 || users > USERS_MAX || assets < 1 || assets > ASSETS_MAX) return ZK_ERR_ARG;
    if (n_asset_entries > (SIZE_MAX / 2) / sizeof(zk_asset)) return ZK_ERR_NOMEM;
    /* one block: header | ops | cex | assets (each part 8-byte aligned) */
    size_t o_ops = (sizeof(zk_batch_witness) + 31) & ~(size_t)31;
    size_t o_cex = o_ops + (size_t)users * sizeof(zk_batch_op);
    size_t o_ast = o_cex + (size_t)assets * sizeof(zk_cex_entry);
    size_t total = o_ast + n_asset_entries * sizeof(zk_asset);
    uint8_t *p = calloc(1, total);
    if (!p) return ZK_ERR_NOMEM;
    zk_batch_witness *w = (zk_batch_witness *)p;
    w->users = users;
    w->assets = assets;
    w->ops = (zk_batch_op *)(p + o_ops);
    w->cex = (zk_cex_entry *)(p + o_cex);
    w->asset_list = n_asset_entries ? (zk_asset *)(p + o_ast) : NULL;
    w->n_asset_entries = n_asset_entries;
    *out = w;
    return ZK_OK;
}

void zk_batch_witness_free(zk_batch_witness *w) { free(w); }

/* ---------------- the batcher ---------------- */

struct zk_batcher {
    const zk_sheet *s;
    zk_pool *pool;
    unsigned users, assets;
    uint64_t batches, next, count; /* count = leaves inserted = next * users */
    int broken;
    fr_t root;
    fr_t left[ZK_TREE_DEPTH];
    fr_t empty[ZK_TREE_DEPTH + 1];
    zk_cex_entry cex[ASSETS_MAX];
    solv_v1_ctx ctx;
};

static void batcher_reset(zk_batcher *b) {
    b->next = b->count = 0;
    b->broken = 0;
    b->root = b->empty[ZK_TREE_DEPTH];
    memset(b->cex, 0, sizeof b->cex);
    for (unsigned j = 0; j < b->assets; j++) b->cex[j].price = b->s->prices[j];
}

zk_err zk_batcher_new(zk_batcher **out, const zk_sheet *s, unsigned users, unsigned assets, zk_pool *pool) {
    *out = NULL;
    if (!s || users < 1 || users > USERS_MAX || assets < 1 || assets > ASSETS_MAX || s->n_assets > assets)
        return ZK_ERR_ARG;
    uint64_t batches = ((uint64_t)s->n_accounts + users - 1) / users;
    if (batches * users > USERS_MAX) return ZK_ERR_ARG;
    zk_batcher *b = calloc(1, sizeof *b);
    if (!b) return ZK_ERR_NOMEM;
    b->s = s;
    b->pool = pool;
    b->users = users;
    b->assets = assets;
    b->batches = batches;
    zk_err e = zk_empty_hashes(b->empty, assets);
    if (e == ZK_OK) e = solv_v1_ctx_init(&b->ctx);
    if (e != ZK_OK) {
        free(b);
        return e;
    }
    batcher_reset(b);
    *out = b;
    return ZK_OK;
}

void zk_batcher_free(zk_batcher *b) { free(b); }
uint64_t zk_batcher_batches(const zk_batcher *b) { return b->batches; }
uint64_t zk_batcher_position(const zk_batcher *b) { return b->next; }
const zk_cex_entry *zk_batcher_cex(const zk_batcher *b) { return b->cex; }
void zk_batcher_root(fr_t *out, const zk_batcher *b) { *out = b->root; }

/* Leaves of accounts first .. first+n-1 (padding beyond the sheet). */
#define LEAF_TASK 8
typedef struct {
    const zk_batcher *b;
    uint64_t first;
    size_t n;
    fr_t *leaves;
    atomic_int err;
} leaf_job;

static void leaf_task(void *p, size_t task) {
    leaf_job *j = p;
    const zk_batcher *b = j->b;
    size_t lo = task * LEAF_TASK, hi = lo + LEAF_TASK < j->n ? lo + LEAF_TASK : j->n;
    for (size_t i = lo; i < hi; i++) {
        uint64_t idx = j->first + i;
        if (idx >= b->s->n_accounts) {
            j->leaves[i] = b->empty[0];
            continue;
        }
        const zk_account *a = &b->s->accounts[idx];
        fr_t id;
        zk_err e = fr_from_bytes_be(&id, a->id);
        if (e == ZK_OK) e = solv_batch_leaf(&j->leaves[i], &b->ctx, &id, b->s->assets + a->first_asset, a->n_assets, b->cex,
                                      b->assets);
        if (e != ZK_OK) {
            atomic_store(&j->err, (int)e);
            return;
        }
    }
}

static zk_err hash_leaves(const zk_batcher *b, fr_t *leaves, uint64_t first, size_t n) {
    leaf_job j = {.b = b, .first = first, .n = n, .leaves = leaves};
    atomic_init(&j.err, 0);
    zk_pool_run(b->pool, (n + LEAF_TASK - 1) / LEAF_TASK, leaf_task, &j);
    return (zk_err)atomic_load(&j.err);
}

/* Appends leaf at index count. full: fills sib (the 28 siblings before the
 * insertion) and the new root; otherwise only updates the frontier. */
static zk_err tree_append(zk_batcher *b, const fr_t *leaf, fr_t *sib, int full) {
    uint64_t n = b->count;
    unsigned t = 0;
    while (t < ZK_TREE_DEPTH && ((n >> t) & 1)) t++;
    unsigned top = full ? ZK_TREE_DEPTH : t;
    fr_t node = *leaf, at_t = *leaf;
    for (unsigned k = 0; k < top; k++) {
        int right = (int)((n >> k) & 1);
        const fr_t *s = right ? &b->left[k] : &b->empty[k];
        if (sib) sib[k] = *s;
        zk_err e = right ? solv_hash2(&node, s, &node) : solv_hash2(&node, &node, s);
        if (e != ZK_OK) return e;
        if (k + 1 == t) at_t = node;
    }
    if (t < ZK_TREE_DEPTH) b->left[t] = at_t;
    if (full) b->root = node;
    b->count = n + 1;
    return ZK_OK;
}

/* Root of the frontier: the path of an empty leaf at index count. */
static zk_err frontier_root(zk_batcher *b) {
    fr_t node = b->empty[0];
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) {
        zk_err e = ((b->count >> k) & 1) ? solv_hash2(&node, &b->left[k], &node)
                                         : solv_hash2(&node, &node, &b->empty[k]);
        if (e != ZK_OK) return e;
    }
    b->root = node;
    return ZK_OK;
}

/* Adds an account's amounts to the totals; ZK_ERR_ARG on uint64 overflow. */
static zk_err add_totals(zk_cex_entry *cex, const zk_asset *a, size_t n) {
    for (size_t i = 0; i < n; i++) {
        zk_cex_entry *c = &cex[a[i].index];
        if (c->equity + a[i].equity < c->equity || c->debt + a[i].debt < c->debt) return ZK_ERR_ARG;
        c->equity += a[i].equity;
        c->debt += a[i].debt;
    }
    return ZK_OK;
}

#define SEEK_CHUNK 4096

zk_err zk_batcher_seek(zk_batcher *b, uint64_t number) {
    if (number > b->batches) return ZK_ERR_ARG;
    if (number < b->next || b->broken) batcher_reset(b);
    uint64_t target = number * b->users;
    fr_t *leaves = malloc(SEEK_CHUNK * sizeof *leaves);
    if (!leaves) return ZK_ERR_NOMEM;
    zk_err e = ZK_OK;
    while (e == ZK_OK && b->count < target) {
        size_t n = target - b->count < SEEK_CHUNK ? (size_t)(target - b->count) : SEEK_CHUNK;
        uint64_t first = b->count;
        e = hash_leaves(b, leaves, first, n);
        for (size_t i = 0; i < n && e == ZK_OK; i++) {
            if (first + i < b->s->n_accounts) {
                const zk_account *a = &b->s->accounts[first + i];
                e = add_totals(b->cex, b->s->assets + a->first_asset, a->n_assets);
            }
            if (e == ZK_OK) e = tree_append(b, &leaves[i], NULL, 0);
        }
    }
    free(leaves);
    if (e == ZK_OK) e = frontier_root(b);
    if (e != ZK_OK) {
        b->broken = 1;
        return e;
    }
    b->next = number;
    return ZK_OK;
}

zk_err zk_batcher_next(zk_batcher *b, zk_batch_witness **out) {
    *out = NULL;
    if (b->broken || b->next >= b->batches) return ZK_ERR_ARG;
    const zk_sheet *s = b->s;
    unsigned B = b->users, A = b->assets;
    uint64_t first = b->count;
    size_t nassets = 0;
    for (uint64_t i = first; i < first + B && i < s->n_accounts; i++) nassets += s->accounts[i].n_assets;
    zk_batch_witness *w;
    zk_err e = zk_batch_witness_new(&w, B, A, nassets);
    if (e != ZK_OK) return e;
    fr_t *leaves = malloc((size_t)B * sizeof *leaves);
    if (!leaves) {
        zk_batch_witness_free(w);
        return ZK_ERR_NOMEM;
    }
    w->number = b->next;
    w->before_root = b->root;
    memcpy(w->cex, b->cex, A * sizeof *w->cex);
    e = zk_cex_commitment(&w->before_cex, w->cex, A);
    if (e == ZK_OK) e = hash_leaves(b, leaves, first, B);
    size_t pos = 0;
    for (unsigned i = 0; i < B && e == ZK_OK; i++) {
        zk_batch_op *op = &w->ops[i];
        uint64_t idx = first + i;
        op->account_index = (uint32_t)idx;
        op->first_asset = pos;
        op->before_root = b->root;
        if (idx < s->n_accounts) {
            const zk_account *a = &s->accounts[idx];
            e = fr_from_bytes_be(&op->id, a->id);
            if (e != ZK_OK) break;
            op->n_assets = a->n_assets;
            memcpy(w->asset_list + pos, s->assets + a->first_asset, a->n_assets * sizeof(zk_asset));
            pos += a->n_assets;
            e = add_totals(b->cex, w->asset_list + op->first_asset, op->n_assets);
        }
        if (e == ZK_OK) e = tree_append(b, &leaves[i], op->siblings, 1);
        op->after_root = b->root;
    }
    free(leaves);
    w->after_root = b->root;
    if (e == ZK_OK) e = zk_cex_commitment(&w->after_cex, b->cex, A);
    if (e == ZK_OK) e = zk_batch_commitment(&w->commitment, &w->before_root, &w->after_root, &w->before_cex,
                                            &w->after_cex);
    if (e != ZK_OK) {
        b->broken = 1;
        zk_batch_witness_free(w);
        return e;
    }
    b->next++;
    *out = w;
    return ZK_OK;
}
