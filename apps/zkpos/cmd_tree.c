/* zkpos tree: reads the balance-sheet CSV files of a directory (Binance v1
 * layout), builds the depth-28 account tree and prints the counts and the
 * root; --out saves the tree for later commands (mapped, not rebuilt).
 * --assets A builds the tree over an A-entry asset table, whose root is the
 * final root of a pipeline run with the same A (the saved file records A). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pipe_cli.h"
#include "solv_cli.h"
#include "solvency/solvency.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos tree --input DIR [--out FILE] [--assets A] [--strict] [--threads N]\n\n"
            "Reads every file of DIR whose name contains \".csv\" (in byte order of the names),\n"
            "builds the account tree and prints the counts and a line 'root <64 hex digits>'.\n"
            "Rejected rows and skipped values go to stderr as FILE:LINE:COLUMN: reason.\n\n"
            "  --input DIR   directory with the balance-sheet CSV files\n"
            "  --out FILE    save the tree (atomically) for 'zkpos userproof --tree FILE'\n"
            "  --strict      exit with status 1 if any row, value or price was rejected\n"
            "  --assets A    asset table entries, 1 .. 350 (default 350 = Binance v1); the root of a\n"
            "                pipeline run with --assets A\n"
            "  --threads N   worker threads (default: all CPUs)\n"
            "  --config FILE settings as 'name = value' lines; flags win\n");
}

int cmd_tree(int argc, char **argv) {
    const char *C = "tree";
    const char *input = NULL, *out = NULL;
    unsigned threads = 0, assets = ZK_V1_ASSET_COUNT;
    pipe_opt o[] = {PIPE_STR("--input", &input), PIPE_STR("--out", &out), PIPE_SWITCH("--strict"),
                    PIPE_NUM("--threads", &threads, 0, 1024), PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT)};
    int rc = pipe_parse(C, argc, argv, o, sizeof o / sizeof o[0], NULL, 0, usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = pipe_require(C, &o[0], usage))) return rc;
    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) {
        fprintf(stderr, "zkpos tree: cannot start threads\n");
        return 1;
    }
    zk_sheet *s = NULL;
    zk_sheet_stats st;
    memset(&st, 0, sizeof st);
    rc = solv_cli_load(&s, &st, input, o[2].seen, pool);
    zk_tree *t = NULL;
    if (rc == 0) {
        solv_cli_print_stats(stdout, &st, s->n_assets);
        rc = solv_tree_get(&t, s, assets, pool, C);
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
