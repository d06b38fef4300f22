/* zkpos run: the whole pipeline in one command, for a first try and the
 * README: sample -> keygen -> witness -> prove -> publish -> verify.
 *
 * Design. Each step is the real subcommand called in-process with the argv
 * a user would type, so `run` exercises exactly what an operator runs step
 * by step and adds no second code path. Provers are forked, one per core
 * with one thread each (a batch is small; processes share nothing but the
 * store, as workers on several machines would). Everything lives under the
 * work directory, and a rerun is cheap: the sample is deterministic, the key
 * is reused when key.cfg records the same B and A, witness resumes and
 * prove finds nothing left. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "solvency/solvency.h"
#include "store/store.h"
#include "util/util.h"

static void run_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos run --workdir DIR [--users N] [--assets A] [--batch B] [--db URL]\n"
            "                 [--workers W]\n\n"
            "Runs the whole pipeline on a synthetic balance sheet: sample (DIR/input),\n"
            "keygen (DIR/key.*, reused for the same B and A), witness and prove (store:\n"
            "DIR/store.db unless --db), publish (DIR/published) and verify, then prints\n"
            "the time of each step and the final account tree root.\n\n"
            "  --workdir DIR  work directory (created if missing)\n"
            "  --users N      users in the sample, 1 .. 100000000 (default 40)\n"
            "  --assets A     assets, 1 .. 350 (default 4)\n"
            "  --batch B      users per batch, 1 .. 268435456 (default 8)\n"
            "  --db URL       store: SQLite file path or postgres:// URI\n"
            "  --workers W    prover processes, 1 .. 1024 (default: one per CPU)\n");
}

static int run_num(unsigned *out, const char *s, unsigned long lo, unsigned long hi) {
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return -1;
    *out = (unsigned)v;
    return 0;
}

/* Calls a subcommand with the given arguments (NULL-terminated list). */
static int step(int (*fn)(int, char **), char **args) {
    int n = 0;
    while (args[n]) n++;
    fflush(stdout);
    int rc = fn(n, args);
    fflush(stdout);
    return rc;
}

int cmd_run(int argc, char **argv) {
    const char *C = "run";
    const char *wd = NULL, *db = NULL;
    unsigned users = 40, assets = 4, batch = 8, workers = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            run_usage(stdout);
            return 0;
        }
        unsigned *num = NULL;
        const char **str = NULL;
        unsigned long lo = 1, hi = 0;
        if (!strcmp(a, "--workdir")) str = &wd;
        else if (!strcmp(a, "--db")) str = &db;
        else if (!strcmp(a, "--users")) num = &users, hi = 100000000ul;
        else if (!strcmp(a, "--assets")) num = &assets, hi = ZK_V1_ASSET_COUNT;
        else if (!strcmp(a, "--batch")) num = &batch, hi = 1ul << 28;
        else if (!strcmp(a, "--workers")) num = &workers, hi = 1024;
        else {
            fprintf(stderr, "zkpos %s: unexpected argument '%s'\n", C, a);
            run_usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "zkpos %s: %s needs a value\n", C, a);
            return 2;
        }
        const char *v = argv[++i];
        if (str) *str = v;
        else if (run_num(num, v, lo, hi)) {
            fprintf(stderr, "zkpos %s: bad value '%s' for %s (expected %lu .. %lu)\n", C, v, a, lo, hi);
            return 2;
        }
    }
    if (!wd) {
        fprintf(stderr, "zkpos %s: --workdir is required\n", C);
        run_usage(stderr);
        return 2;
    }
    if (mkdir(wd, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "zkpos %s: cannot create %s: %s\n", C, wd, strerror(errno));
        return 1;
    }
    if (!workers) workers = (unsigned)zk_cpu_count();
    if (!workers) workers = 1;
    size_t pl = strlen(wd) + 32;
    char *input = malloc(pl), *key = malloc(pl), *pk = malloc(pl), *vk = malloc(pl), *cfgp = malloc(pl),
         *pub = malloc(pl), *dbp = malloc(pl);
    int rc = 1;
    if (!input || !key || !pk || !vk || !cfgp || !pub || !dbp) goto out;
    snprintf(input, pl, "%s/input", wd);
    snprintf(key, pl, "%s/key", wd);
    snprintf(pk, pl, "%s/key.pk", wd);
    snprintf(vk, pl, "%s/key.vk", wd);
    snprintf(cfgp, pl, "%s/key.cfg", wd);
    snprintf(pub, pl, "%s/published", wd);
    snprintf(dbp, pl, "%s/store.db", wd);
    if (!db) db = dbp;
    char su[16], sa[16], sb[16];
    snprintf(su, sizeof su, "%u", users);
    snprintf(sa, sizeof sa, "%u", assets);
    snprintf(sb, sizeof sb, "%u", batch);
    const char *names[6] = {"sample", "keygen", "witness", "prove", "publish", "verify"};
    double t[6] = {0}, t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: sample (%u users, %u assets)\n", users, assets);
    char *a_sample[] = {"sample", "--users", su, "--assets", sa, "--out", input, NULL};
    if ((rc = step(cmd_sample, a_sample))) goto fail;
    t[0] = zk_now() - t0;

    t0 = zk_now();
    char want[64], have[64] = "";
    int wl = snprintf(want, sizeof want, "users=%u assets=%u\n", batch, assets);
    FILE *cf = fopen(cfgp, "r");
    if (cf) {
        if (!fgets(have, sizeof have, cf)) have[0] = 0;
        fclose(cf);
    }
    if (strcmp(have, want) || access(pk, R_OK) || access(vk, R_OK)) {
        fprintf(stderr, "== zkpos run: keygen (B = %u, A = %u)\n", batch, assets);
        unlink(cfgp);
        char *a_keygen[] = {"keygen", "--users", sb, "--assets", sa, "--out", key, NULL};
        if ((rc = step(cmd_keygen, a_keygen))) goto fail;
        cf = fopen(cfgp, "w");
        if (!cf || fwrite(want, 1, (size_t)wl, cf) != (size_t)wl || fclose(cf)) {
            fprintf(stderr, "zkpos %s: cannot write %s\n", C, cfgp);
            rc = 1;
            goto fail;
        }
    } else
        fprintf(stderr, "== zkpos run: keygen skipped (%s is for B = %u, A = %u)\n", pk, batch, assets);
    t[1] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: witness\n");
    char *a_wit[] = {"witness", "--input", input, "--db", (char *)db, "--users", sb, "--assets", sa, NULL};
    if ((rc = step(cmd_witness, a_wit))) goto fail;
    t[2] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: prove (%u worker processes)\n", workers);
    pid_t *pids = calloc(workers, sizeof *pids);
    if (!pids) goto fail;
    for (unsigned i = 0; i < workers; i++) {
        fflush(stdout);
        fflush(stderr);
        pids[i] = fork();
        if (pids[i] == 0) {
            char *a_prove[] = {"prove", "--db", (char *)db, "--pk", pk, "--threads", "1", NULL};
            if (!freopen("/dev/null", "w", stdout)) _exit(1);
            _exit(step(cmd_prove, a_prove));
        }
        if (pids[i] < 0) fprintf(stderr, "zkpos %s: fork failed: %s\n", C, strerror(errno));
    }
    int bad = 0;
    for (unsigned i = 0; i < workers; i++) {
        int status = 0;
        if (pids[i] <= 0 || waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            bad++;
    }
    free(pids);
    if (bad) {
        fprintf(stderr, "zkpos %s: %d prover process(es) failed\n", C, bad);
        rc = 1;
        goto fail;
    }
    t[3] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: publish\n");
    char *a_pub[] = {"publish", "--db", (char *)db, "--vk", vk, "--out", pub, NULL};
    if ((rc = step(cmd_publish, a_pub))) goto fail;
    t[4] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: verify\n");
    char *a_ver[] = {"verify", pub, NULL};
    if ((rc = step(cmd_verify, a_ver))) goto fail;
    t[5] = zk_now() - t0;

    printf("\nsummary: %u users, %u assets, %u users per batch, %u prover processes\n", users, assets, batch,
           workers);
    for (int i = 0; i < 6; i++) printf("  %-8s %8.2f s\n", names[i], t[i]);
    zk_store *st = NULL;
    char *root = NULL;
    size_t rl = 0;
    zk_store_result r = ZK_STORE_NOT_FOUND;
    if (zk_store_open(&st, db) == ZK_OK && zk_store_meta_get(st, &r, &root, &rl, "final_root") == ZK_OK &&
        r == ZK_STORE_DONE)
        printf("final root %s\npublished %s\n", root, pub);
    free(root);
    zk_store_close(st);
    rc = fflush(stdout) ? 1 : 0;
    goto out;
fail:
    if (!rc) rc = 1;
    fprintf(stderr, "zkpos %s: stopped: a step failed (see above)\n", C);
out:
    free(input), free(key), free(pk), free(vk), free(cfgp), free(pub), free(dbp);
    return rc;
}
