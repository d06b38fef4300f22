/* Shared code of the balance-sheet subcommands: the same issue format and
 * counts for `zkpos tree` and `zkpos userproof`, and the account tree over
 * an A-entry asset table with its user proofs. */
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

int solv_tree_get(zk_tree **out, const zk_sheet *s, unsigned assets, zk_pool *pool, const char *cmd) {
    *out = NULL;
    if (assets < 1 || assets > ZK_V1_ASSET_COUNT || s->n_assets > assets) {
        fprintf(stderr, "zkpos %s: the sheet has %zu assets; --assets must be %zu .. %d\n", cmd, s->n_assets,
                s->n_assets ? s->n_assets : 1, ZK_V1_ASSET_COUNT);
        return 1;
    }
    zk_err e = zk_tree_build_sized(out, s, assets, pool);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos %s: building the tree failed: %s\n", cmd, zk_strerror(e));
        return 1;
    }
    return 0;
}

size_t solv_tree_userproof(char *out, size_t cap, char leaf_hex[65], const zk_sheet *s, const zk_tree *t,
                           size_t index) {
    if (index >= s->n_accounts || index >= zk_tree_leaf_count(t)) return 0;
    uint8_t proof[ZK_TREE_DEPTH][32], root[32], leaf[32];
    if (zk_tree_proof(proof, t, index) != ZK_OK || zk_tree_leaf(leaf, t, index) != ZK_OK) return 0;
    zk_tree_root(root, t);
    if (leaf_hex) zk_hex_encode(leaf_hex, leaf, 32);
    const zk_account *a = &s->accounts[index];
    return zk_userproof_v1_format(out, cap, (uint32_t)index, a->id, &a->equity, &a->debt,
                                  s->assets + a->first_asset, a->n_assets, root, proof);
}
