/* zkpos verify-user: checks one user-proof JSON file the way Binance's
 * `verifier -user` does (recompute the asset commitment from Assets, the
 * leaf from id and totals, walk the 28 siblings up to the root), but exits
 * with status 1 and a precise message on any malformed field or mismatch.
 * --assets A checks proofs of a pipeline run over an A-entry asset table:
 * the v1 JSON lists only non-empty assets, so A cannot be read from it and
 * is given (default 350, Binance v1); publish writes it to config.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipe_cli.h"
#include "solvency/solvency.h"

#define MAX_FILE (64u << 20)

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos verify-user FILE [--assets A] [--tiers LIST] [--config FILE]\n\n"
            "Verifies a user-proof JSON file (Binance v1 layout, or v2 when it has TotalCollateral):\n"
            "prints the recomputed leaf and root and exits with status 0 only if the root matches.\n\n"
            "  --assets A    v1: asset table size of the run, 1 .. 350 (default 350 = Binance v1).\n"
            "                The file lists only the account's non-empty assets, so it does not say\n"
            "                A (only that A > its highest Index); a run with 'zkpos run/witness\n"
            "                --assets A' publishes A in config.json, and its proofs need the same A\n"
            "  --tiers LIST  v2 only: ascending asset-count tiers, comma separated (default 50,500)\n"
            "  --config FILE settings as 'name = value' lines; flags win\n");
}

static int parse_tiers(unsigned *tiers, size_t *n, const char *s) {
    *n = 0;
    while (*s) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v == 0 || v > 65536 || *n == ZK_V2_MAX_TIERS || (*n && v <= tiers[*n - 1])) return 0;
        tiers[(*n)++] = (unsigned)v;
        s = end;
        if (*s == ',') s++;
        else if (*s) return 0;
    }
    return *n > 0;
}

int cmd_verify_user(int argc, char **argv) {
    const char *path = NULL;
    unsigned tiers[ZK_V2_MAX_TIERS];
    size_t ntiers = 0;
    unsigned assets = ZK_V1_ASSET_COUNT;
    const char *tier_list = NULL;
    pipe_opt o[] = {PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT), PIPE_STR("--tiers", &tier_list)};
    int rc = pipe_parse("verify-user", argc, argv, o, 2, &path, 1, usage);
    if (rc) return rc < 0 ? 0 : rc;
    if (tier_list && !parse_tiers(tiers, &ntiers, tier_list)) {
        fprintf(stderr, "zkpos verify-user: bad value '%s' for --tiers (expected ascending counts, e.g. 50,500)\n",
                tier_list);
        return 2;
    }
    if (!path) {
        fprintf(stderr, "zkpos verify-user: FILE is required\n");
        usage(stderr);
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "zkpos verify-user: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    char *buf = malloc(MAX_FILE + 1);
    size_t len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    int rerr = !buf || ferror(f);
    fclose(f);
    if (rerr || len > MAX_FILE) {
        fprintf(stderr, "zkpos verify-user: %s: %s\n", path, rerr ? "read error" : "file too large");
        free(buf);
        return 1;
    }
    zk_userproof_result r;
    zk_err e = zk_userproof_verify_sized(&r, buf, len, ntiers ? tiers : NULL, ntiers, assets);
    free(buf);
    if (e == ZK_OK || e == ZK_ERR_VERIFY) {
        char hex[65];
        printf("version %d\naccount-index %llu\n", r.version, (unsigned long long)r.account_index);
        zk_hex_encode(hex, r.leaf, 32);
        printf("leaf %s\n", hex);
        zk_hex_encode(hex, r.root, 32);
        printf("root %s\n", hex);
    }
    if (e == ZK_OK) {
        printf("verify ok\n");
        return fflush(stdout) == 0 ? 0 : 1;
    }
    fflush(stdout);
    fprintf(stderr, "zkpos verify-user: %s: %s\n", path, r.message);
    if (e == ZK_ERR_VERIFY && r.version == 1)
        fprintf(stderr, "zkpos verify-user: checked with an asset table of %u entries; a proof from a run with "
                        "another --assets needs --assets A (see the run's config.json)\n", assets);
    return 1;
}
