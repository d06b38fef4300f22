/* Helpers shared by the balance-sheet subcommands (tree, userproof):
 * option parsing of --threads, loading the CSV directory with issues
 * printed as FILE:LINE:COLUMN: reason, the summary lines, and the account
 * tree over an A-entry asset table (solv_tree). */
#ifndef ZKPOS_SOLV_CLI_H
#define ZKPOS_SOLV_CLI_H

#include "solvency/solvency.h"

/* Parses a thread count ("0" = all CPUs); returns -1 if malformed. */
int solv_cli_threads(const char *s);
/* Loads dir; prints issues to stderr and returns the process exit code
 * (0 on success, 1 on any failure). *out is NULL unless 0 is returned. */
int solv_cli_load(zk_sheet **out, zk_sheet_stats *stats, const char *dir, int strict, zk_pool *pool);
/* Prints the counts lines (files, rows, accepted, rejected, ..., assets). */
void solv_cli_print_stats(FILE *f, const zk_sheet_stats *st, size_t n_assets);

/* The account tree of a sheet over an A-entry asset table, so that user
 * proofs match the root of a pipeline run with --assets A. A = 350 (Binance
 * v1) is the library's zk_tree (built, or mapped from a file saved by
 * 'zkpos tree --out'); any other A is a dense tree built here from the
 * A-table leaves and the A-table empty-subtree hashes (zk_empty_hashes),
 * whose root equals the batcher's final root for the same sheet and A. */
typedef struct solv_tree solv_tree;
/* Builds (tree_file NULL) or maps (A = 350 only) the tree; 0, or 1 with a
 * message naming cmd. */
int solv_tree_get(solv_tree **out, const zk_sheet *s, unsigned assets, const char *tree_file, zk_pool *pool,
                  const char *cmd);
void solv_tree_free(solv_tree *t);
void solv_tree_root(uint8_t out[32], const solv_tree *t);
/* The zk_tree when A = 350, else NULL (for saving it). */
const zk_tree *solv_tree_v1(const solv_tree *t);
/* Leaf (hex) of an account and its user-proof JSON (Binance v1 layout, the
 * Assets list holding only the account's non-empty assets); 0 if index is
 * out of range or cap too small. */
size_t solv_tree_userproof(char *out, size_t cap, char leaf_hex[65], const zk_sheet *s, const solv_tree *t,
                           size_t index);

#endif
