/* Helpers shared by the balance-sheet subcommands (tree, userproof):
 * option parsing of --threads, loading the CSV directory with issues
 * printed as FILE:LINE:COLUMN: reason, the summary lines, and the account
 * tree over an A-entry asset table and its user proofs. */
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

/* The account tree of a sheet over an A-entry asset table
 * (zk_tree_build_sized), so that user proofs match the root of a pipeline
 * run with --assets A (A = 350: Binance v1). 0, or 1 with a message naming
 * cmd (A out of range or below the sheet's asset count, out of memory). */
int solv_tree_get(zk_tree **out, const zk_sheet *s, unsigned assets, zk_pool *pool, const char *cmd);
/* Leaf (hex) of an account and its user-proof JSON (Binance v1 layout, the
 * Assets list holding only the account's non-empty assets); 0 if index is
 * out of range or cap too small. */
size_t solv_tree_userproof(char *out, size_t cap, char leaf_hex[65], const zk_sheet *s, const zk_tree *t,
                           size_t index);

#endif
