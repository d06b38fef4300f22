/* zkpos tree: reads the balance-sheet CSV files of a directory (Binance v1
 * layout), builds the depth-28 account tree and prints the counts and the
 * root; --out saves the tree for later commands (mapped, not rebuilt). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "solv_cli.h"
#include "solvency/solvency.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos tree --input DIR [--out FILE] [--strict] [--threads N]\n\n"
            "Reads every file of DIR whose name contains \".csv\" (in byte order of the names),\n"
            "builds the account tree and prints the counts and a line 'root <64 hex digits>'.\n"
            "Rejected rows and skipped values go to stderr as FILE:LINE:COLUMN: reason.\n\n"
            "  --input DIR   directory with the balance-sheet CSV files\n"
            "  --out FILE    save the tree (atomically) for 'zkpos userproof --tree FILE'\n"
            "  --strict      exit with status 1 if any row, value or price was rejected\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

int cmd_tree(int argc, char **argv) {
    const char *input = NULL, *out = NULL;
    int strict = 0, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--input") && i + 1 < argc) input = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--strict")) strict = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            if ((threads = solv_cli_threads(argv[++i])) < 0) {
                fprintf(stderr, "zkpos tree: bad thread count '%s'\n", argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "zkpos tree: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!input) {
        fprintf(stderr, "zkpos tree: --input DIR is required\n");
        usage(stderr);
        return 2;
    }
    zk_pool *pool = zk_pool_new(threads);
    if (!pool) {
        fprintf(stderr, "zkpos tree: cannot start threads\n");
        return 1;
    }
    zk_sheet *s = NULL;
    zk_sheet_stats st;
    memset(&st, 0, sizeof st);
    int rc = solv_cli_load(&s, &st, input, strict, pool);
    zk_tree *t = NULL;
    if (rc == 0) {
        solv_cli_print_stats(stdout, &st, s->n_assets);
        zk_err e = zk_tree_build(&t, s, pool);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos tree: building the tree failed: %s\n", zk_strerror(e));
            rc = 1;
        }
    }
    if (rc == 0) {
        uint8_t root[32];
        char hex[65];
        zk_tree_root(root, t);
        zk_hex_encode(hex, root, 32);
        printf("root %s\n", hex);
        if (out) {
            zk_err e = zk_tree_save(t, out);
            if (e != ZK_OK) {
                fprintf(stderr, "zkpos tree: cannot write %s: %s\n", out, zk_strerror(e));
                rc = 1;
            } else printf("tree %s\n", out);
        }
    }
    if (fflush(stdout) != 0) rc = 1;
    zk_tree_free(t);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return rc;
}
