/* Shared code of the balance-sheet subcommands: the same issue format and
 * counts for `zkpos tree` and `zkpos userproof`, and the account tree over
 * an A-entry asset table (design note below, at solv_tree). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/hash.h"
#include "solv_cli.h"

int solv_cli_threads(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 1024) return -1;
    return (int)v;
}

static void print_issue(void *ctx, const zk_issue *is) {
    (void)ctx;
    const char *file = is->file && is->file[0] ? is->file : "zkpos";
    if (is->line && is->column)
        fprintf(stderr, "%s:%llu:%llu: %s\n", file, (unsigned long long)is->line, (unsigned long long)is->column,
                is->message);
    else if (is->line)
        fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)is->line, is->message);
    else
        fprintf(stderr, "%s: %s\n", file, is->message);
}

int solv_cli_load(zk_sheet **out, zk_sheet_stats *stats, const char *dir, int strict, zk_pool *pool) {
    zk_sheet_opts o = {0};
    o.pool = pool;
    o.strict = strict;
    o.on_issue = print_issue;
    o.stats = stats;
    zk_err e = zk_sheet_load(out, dir, &o);
    if (e == ZK_OK) return 0;
    if (e == ZK_ERR_PARSE && strict && stats->files)
        fprintf(stderr, "zkpos: strict mode: %zu rejected rows, %zu skipped values, %zu bad prices, %zu file issues\n",
                stats->rejected_rows, stats->skipped_values, stats->bad_prices, stats->file_issues);
    else
        fprintf(stderr, "zkpos: cannot read the balance sheet in %s: %s\n", dir, zk_strerror(e));
    return 1;
}

void solv_cli_print_stats(FILE *f, const zk_sheet_stats *st, size_t n_assets) {
    fprintf(f, "files %zu\nrows %zu\naccepted %zu\nrejected %zu\nskipped-values %zu\nbad-prices %zu\nfile-issues %zu\n"
               "asset-entries %zu\nassets %zu\n",
            st->files, st->rows, st->accepted, st->rejected_rows, st->skipped_values, st->bad_prices,
            st->file_issues, st->asset_entries, n_assets);
}

/* ---------------- the account tree over an A-entry table ---------------- */

/* Why a second dense tree next to zk_tree: zk_tree is the Binance v1 tree
 * (350-entry table baked into its leaves and empty hashes) and is tuned and
 * owned by the solvency layer; a pipeline run with --assets A hashes leaves
 * over an A-entry table (zk_asset_commitment_sized) with empty subtrees
 * E_A[k] (zk_empty_hashes), so its user proofs need this tree. Same layout
 * as zk_tree: level k holds the populated prefix ceil(n / 2^k), nodes beyond
 * it are E_A[k]. */
struct solv_tree {
    zk_tree *v1;                        /* A = 350 */
    uint64_t n;
    fr_t *nodes;                        /* levels 0..28 concatenated */
    uint64_t off[ZK_TREE_DEPTH + 1], len[ZK_TREE_DEPTH + 1];
    fr_t empty[ZK_TREE_DEPTH + 1];
    unsigned assets;
};

#define SOLV_LEAF_TASK 64
#define SOLV_NODE_TASK 4096

typedef struct {
    struct solv_tree *t;
    const zk_sheet *s;
    unsigned level;
    atomic_int err;
} solv_build;

static const fr_t *solv_node(const struct solv_tree *t, unsigned k, uint64_t i) {
    return i < t->len[k] ? &t->nodes[t->off[k] + i] : &t->empty[k];
}

static void solv_leaf_task(void *p, size_t task) {
    solv_build *c = p;
    uint64_t lo = (uint64_t)task * SOLV_LEAF_TASK, hi = lo + SOLV_LEAF_TASK;
    if (hi > c->t->n) hi = c->t->n;
    for (uint64_t i = lo; i < hi; i++) {
        const zk_account *a = &c->s->accounts[i];
        fr_t cm;
        zk_err e = zk_asset_commitment_sized(&cm, c->s->assets + a->first_asset, a->n_assets, c->t->assets);
        if (e == ZK_OK) e = zk_v1_leaf(&c->t->nodes[i], a->id, &a->equity, &a->debt, &cm);
        if (e != ZK_OK) atomic_store(&c->err, (int)e);
    }
}

static void solv_level_task(void *p, size_t task) {
    solv_build *c = p;
    struct solv_tree *t = c->t;
    unsigned k = c->level;
    uint64_t lo = (uint64_t)task * SOLV_NODE_TASK, hi = lo + SOLV_NODE_TASK;
    if (hi > t->len[k]) hi = t->len[k];
    for (uint64_t i = lo; i < hi; i++) {
        fr_t in[2] = {*solv_node(t, k - 1, 2 * i), *solv_node(t, k - 1, 2 * i + 1)};
        if (poseidon_hash(&t->nodes[t->off[k] + i], in, 2, ZK_POSEIDON_CHUNK_V1) != ZK_OK)
            atomic_store(&c->err, (int)ZK_ERR_ARG);
    }
}

int solv_tree_get(solv_tree **out, const zk_sheet *s, unsigned assets, const char *tree_file, zk_pool *pool,
                  const char *cmd) {
    *out = NULL;
    if (assets < 1 || assets > ZK_V1_ASSET_COUNT || s->n_assets > assets) {
        fprintf(stderr, "zkpos %s: the sheet has %zu assets; --assets must be %zu .. %d\n", cmd, s->n_assets,
                s->n_assets ? s->n_assets : 1, ZK_V1_ASSET_COUNT);
        return 1;
    }
    struct solv_tree *t = calloc(1, sizeof *t);
    if (!t) return 1;
    t->assets = assets;
    t->n = s->n_accounts;
    zk_err e = ZK_OK;
    if (assets == ZK_V1_ASSET_COUNT) {
        if (!tree_file) e = zk_tree_build(&t->v1, s, pool);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos %s: building the tree failed: %s\n", cmd, zk_strerror(e));
            free(t);
            return 1;
        }
        *out = t;
        return 0;
    }
    if (tree_file) {
        fprintf(stderr, "zkpos %s: a saved tree file is a Binance v1 tree (350 assets); not usable with --assets %u\n",
                cmd, assets);
        free(t);
        return 1;
    }
    uint64_t total = 0, len = t->n;
    for (unsigned k = 0; k <= ZK_TREE_DEPTH; k++) {
        t->off[k] = total;
        t->len[k] = len;
        total += len;
        len = (len + 1) / 2;
    }
    solv_build c;
    c.t = t;
    c.s = s;
    atomic_init(&c.err, 0);
    if ((e = zk_empty_hashes(t->empty, assets)) != ZK_OK || !(t->nodes = malloc((total ? total : 1) * sizeof(fr_t)))) {
        fprintf(stderr, "zkpos %s: building the tree failed: %s\n", cmd, zk_strerror(e ? e : ZK_ERR_NOMEM));
        solv_tree_free(t);
        return 1;
    }
    zk_pool_run(pool, (size_t)((t->n + SOLV_LEAF_TASK - 1) / SOLV_LEAF_TASK), solv_leaf_task, &c);
    for (unsigned k = 1; k <= ZK_TREE_DEPTH && !atomic_load(&c.err); k++) {
        c.level = k;
        zk_pool_run(pool, (size_t)((t->len[k] + SOLV_NODE_TASK - 1) / SOLV_NODE_TASK), solv_level_task, &c);
    }
    if (atomic_load(&c.err)) {
        fprintf(stderr, "zkpos %s: building the tree failed: %s\n", cmd, zk_strerror((zk_err)atomic_load(&c.err)));
        solv_tree_free(t);
        return 1;
    }
    *out = t;
    return 0;
}

/* A = 350 with a saved tree: map it (the caller checks it against the sheet). */
int solv_tree_adopt(solv_tree **out, zk_tree *v1);
int solv_tree_adopt(solv_tree **out, zk_tree *v1) {
    struct solv_tree *t = calloc(1, sizeof *t);
    if (!t) return 1;
    t->v1 = v1;
    t->assets = ZK_V1_ASSET_COUNT;
    t->n = zk_tree_leaf_count(v1);
    *out = t;
    return 0;
}

void solv_tree_free(solv_tree *t) {
    if (!t) return;
    zk_tree_free(t->v1);
    free(t->nodes);
    free(t);
}

const zk_tree *solv_tree_v1(const solv_tree *t) { return t->v1; }

void solv_tree_root(uint8_t out[32], const solv_tree *t) {
    if (t->v1) zk_tree_root(out, t->v1);
    else fr_to_bytes_be(out, solv_node(t, ZK_TREE_DEPTH, 0));
}

size_t solv_tree_userproof(char *out, size_t cap, char leaf_hex[65], const zk_sheet *s, const solv_tree *t,
                           size_t index) {
    if (index >= s->n_accounts || index >= t->n) return 0;
    uint8_t proof[ZK_TREE_DEPTH][32], root[32], leaf[32];
    if (t->v1) {
        if (zk_tree_proof(proof, t->v1, index) != ZK_OK || zk_tree_leaf(leaf, t->v1, index) != ZK_OK) return 0;
    } else {
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++)
            fr_to_bytes_be(proof[k], solv_node(t, k, (index >> k) ^ 1));
        fr_to_bytes_be(leaf, &t->nodes[index]);
    }
    solv_tree_root(root, t);
    if (leaf_hex) zk_hex_encode(leaf_hex, leaf, 32);
    const zk_account *a = &s->accounts[index];
    return zk_userproof_v1_format(out, cap, (uint32_t)index, a->id, &a->equity, &a->debt,
                                  s->assets + a->first_asset, a->n_assets, root, proof);
}
