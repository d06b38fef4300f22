/* Shared code of the balance-sheet subcommands: the same issue format and
 * counts for `zkpos tree` and `zkpos userproof`. */
#include <stdio.h>
#include <stdlib.h>

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
