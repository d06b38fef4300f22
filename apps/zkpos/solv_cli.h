/* Helpers shared by the balance-sheet subcommands (tree, userproof):
 * option parsing of --threads, loading the CSV directory with issues
 * printed as FILE:LINE:COLUMN: reason, and the summary lines. */
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

#endif
