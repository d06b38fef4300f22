/* zkpos run: the whole pipeline in one command, for a first try and the
 * README: sample -> keygen -> witness -> prove -> userproof -> publish ->
 * verify (flags parsed by pipe_cli, so --config FILE works here too).
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
#include "pipe_cli.h"
#include "solvency/solvency.h"
#include "store/store.h"
#include "util/util.h"

static void run_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos run --workdir DIR [--users N] [--assets A] [--batch B] [--db URL]\n"
            "                 [--workers W]\n\n"
            "Runs the whole pipeline on a synthetic balance sheet: sample (DIR/input),\n"
            "keygen (DIR/key.*, reused for the same B and A), witness and prove (store:\n"
            "DIR/store.db unless --db), userproof (into the store), publish (DIR/published)\n"
            "and verify, then prints\n"
            "the time of each step and the final account tree root.\n\n"
            "  --workdir DIR  work directory (created if missing)\n"
            "  --users N      users in the sample, 1 .. 100000000 (default 40)\n"
            "  --assets A     assets, 1 .. 350 (default 4)\n"
            "  --batch B      users per batch, 1 .. 268435456 (default 8)\n"
            "  --db URL       store: SQLite file path or postgres:// URI\n"
            "  --workers W    prover processes, 1 .. 1024 (default: one per CPU)\n"
            "  --config FILE  settings as 'name = value' lines; flags win\n");
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
    pipe_opt o[] = {PIPE_STR("--workdir", &wd), PIPE_STR("--db", &db), PIPE_NUM("--users", &users, 1, 100000000ul),
                    PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT), PIPE_NUM("--batch", &batch, 1, 1ul << 28),
                    PIPE_NUM("--workers", &workers, 1, 1024)};
    int prc = pipe_parse(C, argc, argv, o, sizeof o / sizeof o[0], NULL, 0, run_usage);
    if (prc) return prc < 0 ? 0 : prc;
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
    const char *names[7] = {"sample", "keygen", "witness", "prove", "userproof", "publish", "verify"};
    double t[7] = {0}, t0;

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
    unsigned left = workers;
    for (unsigned i = 0; i < workers; i++)
        if (pids[i] <= 0) bad++, left--;
    /* progress: proven batches, polled from the store while the workers run */
    zk_store *pst = NULL;
    if (zk_store_open(&pst, db) != ZK_OK) {
        zk_store_close(pst);
        pst = NULL;
    }
    zk_store_counts cnt;
    pipe_progress pr;
    pipe_progress_start(&pr, "prove", pst && zk_store_counts_get(pst, &cnt) == ZK_OK ? cnt.batches : 0);
    while (left) {
        for (unsigned i = 0; i < workers; i++) {
            int status = 0;
            if (pids[i] <= 0) continue;
            pid_t got = waitpid(pids[i], &status, WNOHANG);
            if (got == 0) continue;
            if (got != pids[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) bad++;
            pids[i] = 0;
            left--;
        }
        if (pst && zk_store_counts_get(pst, &cnt) == ZK_OK) pipe_progress_update(&pr, cnt.proven);
        if (left) usleep(200000);
    }
    if (pst && zk_store_counts_get(pst, &cnt) == ZK_OK) pipe_progress_end(&pr, cnt.proven);
    zk_store_close(pst);
    free(pids);
    if (bad) {
        fprintf(stderr, "zkpos %s: %d prover process(es) failed\n", C, bad);
        rc = 1;
        goto fail;
    }
    t[3] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: userproof\n");
    char *a_up[] = {"userproof", "--input", input, "--db", (char *)db, NULL};
    if ((rc = step(cmd_userproof, a_up))) goto fail;
    t[4] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: publish\n");
    char *a_pub[] = {"publish", "--db", (char *)db, "--vk", vk, "--out", pub, NULL};
    if ((rc = step(cmd_publish, a_pub))) goto fail;
    t[5] = zk_now() - t0;

    t0 = zk_now();
    fprintf(stderr, "== zkpos run: verify\n");
    char *a_ver[] = {"verify", pub, NULL};
    if ((rc = step(cmd_verify, a_ver))) goto fail;
    t[6] = zk_now() - t0;

    printf("\nsummary: %u users, %u assets, %u users per batch, %u prover processes\n", users, assets, batch,
           workers);
    double total = 0;
    for (int i = 0; i < 7; i++) printf("  %-9s %8.2f s\n", names[i], t[i]), total += t[i];
    printf("  %-9s %8.2f s\n", "total", total);
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
