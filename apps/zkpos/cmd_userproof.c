/* zkpos userproof: every account's inclusion proof as the Binance v1
 * user-proof JSON, into the store (--db) and/or to files: one file per
 * account (DIR/<index>.json) or JSON lines.
 *
 * Design. Proofs are formatted in parallel, PER_TASK accounts per pool task
 * and TASKS_PER_BATCH tasks per round; a round is then written in order:
 * appended to the JSON-lines file and/or put into the store one task's rows
 * per transaction (put_userproofs is all-or-nothing and accepts a row equal
 * to the stored one). So a store run killed at any moment resumes from the
 * highest stored index (re-putting it, which checks the regenerated proof is
 * identical) and a rerun stores nothing twice. Files appear atomically
 * (temporary name, then rename; the JSON-lines file is fsynced and renamed
 * at the end), so an interrupted run leaves only complete files.
 *
 * The tree is over the run's asset table: with --db, A and the sheet's
 * fingerprint come from the run's configuration (a different sheet or
 * --assets is refused) and the root must equal the run's final root, so
 * every stored proof verifies against the published root (verify-user
 * --assets A). Without --db, --assets A (default 350, Binance v1). With
 * --tree (A = 350 only) the saved tree is mapped instead of rebuilt, after
 * checking that it was built from the same accounts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pipe_cli.h"
#include "solv_cli.h"
#include "solvency/solvency.h"
#include "store/store.h"

#define PER_TASK 256
#define TASKS_PER_BATCH 64

static const char *C = "userproof";


static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos userproof --input DIR [--db URL] [--out DIR | --jsonl FILE] [--assets A]\n"
            "                       [--tree FILE] [--strict] [--threads N] [--config FILE]\n\n"
            "Writes the user-proof JSON of every account (the format of Binance's userproof service)\n"
            "into the store of a pipeline run (--db) and/or to files.\n\n"
            "  --input DIR   directory with the balance-sheet CSV files (as for 'zkpos tree'/'witness')\n"
            "  --db URL      store of the run (SQLite file or postgres:// URI): proofs go into its\n"
            "                user-proof table; A and the sheet are checked against the run, the root\n"
            "                against its final root. Resumable: a rerun continues where it stopped\n"
            "  --out DIR     also (or, without --db) one file per account, DIR/<account index>.json\n"
            "  --jsonl FILE  also (or, without --db) all proofs in one file, one JSON per line, in index order\n"
            "  --assets A    asset table entries, 1 .. 350 (default: the run's A with --db, else 350 =\n"
            "                Binance v1); must equal the pipeline's --assets for its root\n"
            "  --tree FILE   use a tree saved by 'zkpos tree --out FILE' (same sheet and A) instead of rebuilding\n"
            "  --strict      refuse to write anything if any row, value or price was rejected\n"
            "  --threads N   worker threads (default: all CPUs)\n"
            "  --config FILE settings as 'name = value' lines; flags win\n"
            "Without --db exactly one of --out, --jsonl is required.\n");
}

typedef struct {
    const zk_sheet *s;
    const zk_tree *t;
    const char *dir;
    size_t base;          /* first account of the round (jsonl / store) */
    char *bufs[TASKS_PER_BATCH];
    size_t lens[TASKS_PER_BATCH], caps[TASKS_PER_BATCH];
    size_t ends[TASKS_PER_BATCH][PER_TASK];      /* end of each proof in bufs[task] */
    char leaves[TASKS_PER_BATCH][PER_TASK][65];  /* leaf hex of each account */
    atomic_int failed;
    char msg[8400];
} job;

static void fail(job *j, const char *fmt, const char *a, int err) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&j->failed, &expected, 1))
        snprintf(j->msg, sizeof j->msg, fmt, a, strerror(err));
}

static void file_task(void *p, size_t task) {
    job *j = p;
    char *buf = malloc(ZK_USERPROOF_V1_MAX);
    char tmp[4096], dst[4096];
    if (!buf) {
        fail(j, "%s: %s", "out of memory", ENOMEM);
        return;
    }
    size_t lo = task * PER_TASK, hi = lo + PER_TASK;
    if (hi > j->s->n_accounts) hi = j->s->n_accounts;
    for (size_t i = lo; i < hi && !atomic_load(&j->failed); i++) {
        size_t n = solv_tree_userproof(buf, ZK_USERPROOF_V1_MAX, NULL, j->s, j->t, i);
        if (!n) {
            fail(j, "%s: %s", "formatting a proof failed", EINVAL);
            break;
        }
        snprintf(tmp, sizeof tmp, "%s/.%zu.json.tmp", j->dir, i);
        snprintf(dst, sizeof dst, "%s/%zu.json", j->dir, i);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            fail(j, "cannot create %s: %s", tmp, errno);
            break;
        }
        size_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) break;
            off += (size_t)w;
        }
        int werr = errno;
        if (close(fd) != 0 && off == n) {
            off = 0;
            werr = errno;
        }
        if (off != n) {
            unlink(tmp);
            fail(j, "cannot write %s: %s", tmp, werr);
            break;
        }
        if (rename(tmp, dst) != 0) {
            fail(j, "cannot rename to %s: %s", dst, errno);
            unlink(tmp);
            break;
        }
    }
    free(buf);
}

/* Formats accounts base + task*PER_TASK .. into bufs[task], each proof
 * followed by '\n'. */
static void line_task(void *p, size_t task) {
    job *j = p;
    j->lens[task] = 0;
    size_t lo = j->base + task * PER_TASK, hi = lo + PER_TASK;
    if (hi > j->s->n_accounts) hi = j->s->n_accounts;
    for (size_t i = lo; i < hi; i++) {
        if (j->caps[task] - j->lens[task] < ZK_USERPROOF_V1_MAX + 1) {
            size_t cap = j->caps[task] ? 2 * j->caps[task] : (size_t)PER_TASK * 4096;
            if (cap < j->lens[task] + ZK_USERPROOF_V1_MAX + 1) cap = j->lens[task] + ZK_USERPROOF_V1_MAX + 1;
            char *b = realloc(j->bufs[task], cap);
            if (!b) {
                fail(j, "%s: %s", "out of memory", ENOMEM);
                return;
            }
            j->bufs[task] = b;
            j->caps[task] = cap;
        }
        size_t n = solv_tree_userproof(j->bufs[task] + j->lens[task], ZK_USERPROOF_V1_MAX, j->leaves[task][i - lo],
                                       j->s, j->t, i);
        if (!n) {
            fail(j, "%s: %s", "formatting a proof failed", EINVAL);
            return;
        }
        j->lens[task] += n;
        j->bufs[task][j->lens[task]++] = '\n';
        j->ends[task][i - lo] = j->lens[task];
    }
}

/* Maps a saved tree and checks it belongs to the sheet and asset count. */
static int load_tree(zk_tree **t, const char *path, const zk_sheet *s, unsigned assets) {
    zk_err e = zk_tree_open(t, path, 1);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos userproof: cannot use tree file %s: %s\n", path, zk_strerror(e));
        return 1;
    }
    if (zk_tree_asset_count(*t) != assets) {
        fprintf(stderr, "zkpos userproof: tree file %s is over %u assets; this run has %u\n", path,
                zk_tree_asset_count(*t), assets);
        return 1;
    }
    if (zk_tree_leaf_count(*t) != s->n_accounts || zk_tree_input_digest(*t) != zk_sheet_digest(s)) {
        fprintf(stderr, "zkpos userproof: tree file %s was built from different input (%llu leaves, %zu accounts read)\n",
                path, (unsigned long long)zk_tree_leaf_count(*t), s->n_accounts);
        return 1;
    }
    size_t probe[3] = {0, s->n_accounts / 2, s->n_accounts ? s->n_accounts - 1 : 0};
    for (int k = 0; k < 3 && s->n_accounts; k++) {
        fr_t leaf;
        uint8_t a[32], b[32];
        if (zk_account_leaf_sized(&leaf, s, probe[k], assets) != ZK_OK || zk_tree_leaf(b, *t, probe[k]) != ZK_OK) return 1;
        fr_to_bytes_be(a, &leaf);
        if (memcmp(a, b, 32)) {
            fprintf(stderr, "zkpos userproof: tree file %s: leaf %zu does not match the input\n", path, probe[k]);
            return 1;
        }
    }
    return 0;
}

/* Puts the rows of one formatted task into the store. */
static int store_task(job *j, zk_store *st, size_t task, size_t first, size_t count) {
    zk_store_userproof rows[PER_TASK];
    memset(rows, 0, sizeof rows);
    size_t off = 0;
    for (size_t k = 0; k < count; k++) {
        const zk_account *a = &j->s->accounts[first + k];
        rows[k].account_index = first + k;
        zk_hex_encode(rows[k].account_id, a->id, 32);
        memcpy(rows[k].leaf, j->leaves[task][k], 65);
        rows[k].json = j->bufs[task] + off;
        j->bufs[task][j->ends[task][k] - 1] = 0; /* '\n' -> NUL for the store */
        off = j->ends[task][k];
    }
    zk_err e = zk_store_put_userproofs(st, rows, count);
    for (size_t k = 0; k < count; k++) j->bufs[task][j->ends[task][k] - 1] = '\n';
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos %s: storing the proofs of accounts %zu .. %zu failed: %s\n", C, first,
                first + count - 1, zk_store_errmsg(st));
        return 1;
    }
    return 0;
}

/* Formats accounts [start, n) round by round into the JSON-lines file f
 * and/or the store. */
static int rounds(job *j, zk_pool *pool, size_t start, FILE *f, zk_store *st) {
    size_t n = j->s->n_accounts, round = (size_t)PER_TASK * TASKS_PER_BATCH;
    pipe_progress pr;
    pipe_progress_start(&pr, "userproof", n);
    for (j->base = start; j->base < n; j->base += round) {
        size_t m = n - j->base < round ? n - j->base : round;
        size_t tasks = (m + PER_TASK - 1) / PER_TASK;
        zk_pool_run(pool, tasks, line_task, j);
        if (atomic_load(&j->failed)) {
            fprintf(stderr, "zkpos %s: %s\n", C, j->msg);
            return 1;
        }
        for (size_t k = 0; k < tasks; k++) {
            if (f && fwrite(j->bufs[k], 1, j->lens[k], f) != j->lens[k]) {
                fprintf(stderr, "zkpos %s: write error: %s\n", C, strerror(errno));
                return 1;
            }
            size_t first = j->base + k * PER_TASK, cnt = n - first < PER_TASK ? n - first : PER_TASK;
            if (st && store_task(j, st, k, first, cnt)) return 1;
        }
        pipe_progress_update(&pr, j->base + m);
    }
    pipe_progress_end(&pr, n);
    return 0;
}

static int write_jsonl(job *j, zk_pool *pool, const char *path, zk_store *st) {
    size_t plen = strlen(path) + 32;
    char *tmp = malloc(plen);
    if (!tmp) return 1;
    snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "zkpos %s: cannot create %s: %s\n", C, tmp, strerror(errno));
        free(tmp);
        return 1;
    }
    int ok = rounds(j, pool, 0, f, st) == 0, werr = 0;
    if (ok && (fflush(f) != 0 || fsync(fileno(f)) != 0)) ok = 0, werr = 1;
    if (fclose(f) != 0 && ok) ok = 0, werr = 1;
    if (ok && rename(tmp, path) != 0) ok = 0, werr = 1;
    if (werr) fprintf(stderr, "zkpos %s: cannot write %s: %s\n", C, path, strerror(errno));
    if (!ok) unlink(tmp);
    free(tmp);
    return ok ? 0 : 1;
}

/* With --db: A and the sheet from the run; 0 or 1 (message printed). */
static int check_run(zk_store *st, unsigned *assets, int assets_given, const zk_sheet *s) {
    unsigned users = 0, a = 0;
    uint64_t digest = 0;
    if (pipe_run_config(st, C, &users, &a, &digest)) return 1;
    if (assets_given && *assets != a) {
        fprintf(stderr, "zkpos %s: bad value '%u' for --assets: the run in this store has %u assets\n", C, *assets, a);
        return 1;
    }
    if (digest != zk_sheet_digest(s)) {
        fprintf(stderr,
                "zkpos %s: refused: the balance sheet read differs from the one this store's run was built from\n", C);
        return 1;
    }
    *assets = a;
    return 0;
}

int cmd_userproof(int argc, char **argv) {
    const char *input = NULL, *out = NULL, *jsonl = NULL, *tree = NULL, *db = NULL;
    unsigned threads = 0, assets = ZK_V1_ASSET_COUNT;
    pipe_opt o[] = {PIPE_STR("--input", &input), PIPE_STR("--db", &db),         PIPE_STR("--out", &out),
                    PIPE_STR("--jsonl", &jsonl), PIPE_STR("--tree", &tree),     PIPE_NUM("--assets", &assets, 1, 350),
                    PIPE_SWITCH("--strict"),     PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = pipe_parse(C, argc, argv, o, sizeof o / sizeof o[0], NULL, 0, usage);
    if (rc) return rc < 0 ? 0 : rc;
    int strict = o[6].seen;
    if (!input || (!db && (!out) == (!jsonl)) || (out && jsonl)) {
        fprintf(stderr, "zkpos userproof: --input DIR and --db URL and/or exactly one of --out DIR, --jsonl FILE are "
                        "required\n");
        usage(stderr);
        return 2;
    }
    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) return 1;
    zk_sheet *s = NULL;
    zk_tree *t = NULL;
    zk_store *st = NULL;
    char *final_root = NULL;
    zk_sheet_stats sst;
    memset(&sst, 0, sizeof sst);
    rc = solv_cli_load(&s, &sst, input, strict, pool);
    if (rc == 0 && db) {
        int err = 0;
        rc = pipe_open_store(&st, C, db);
        if (rc == 0) rc = check_run(st, &assets, o[5].seen, s);
        if (rc == 0 && !(final_root = pipe_meta_get(st, "final_root", NULL, &err)) && err)
            rc = pipe_store_fail(st, C, "reading the final root failed");
    }
    if (rc == 0) {
        if (tree) rc = load_tree(&t, tree, s, assets);
        else rc = solv_tree_get(&t, s, assets, pool, C);
    }
    uint8_t root[32];
    char hex[65] = "";
    if (rc == 0) {
        zk_tree_root(root, t);
        zk_hex_encode(hex, root, 32);
        if (final_root && strcmp(final_root, hex)) {
            fprintf(stderr, "zkpos %s: the user-proof tree root %s differs from the run's final root %s\n", C, hex,
                    final_root);
            rc = 1;
        }
    }
    job *j = NULL;
    if (rc == 0 && !(j = calloc(1, sizeof *j))) rc = 1;
    uint64_t start = 0;
    if (rc == 0) {
        j->s = s;
        j->t = t;
        atomic_init(&j->failed, 0);
        if (st && !jsonl) { /* resume after the stored ones (re-put the last: it must be identical) */
            zk_store_result r;
            uint64_t max = 0;
            if (zk_store_max_userproof(st, &r, &max) != ZK_OK) rc = pipe_store_fail(st, C, "reading the stored proofs failed");
            else if (r == ZK_STORE_DONE && max < s->n_accounts) start = max;
            else if (r == ZK_STORE_DONE) {
                fprintf(stderr, "zkpos %s: the store holds a proof of account %" PRIu64 " but the sheet has %zu\n", C,
                        max, s->n_accounts);
                rc = 1;
            }
            if (rc == 0 && start) fprintf(stderr, "zkpos %s: resuming at account %" PRIu64 " of %zu\n", C, start,
                                          s->n_accounts);
        }
    }
    if (rc == 0 && out) {
        if (mkdir(out, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "zkpos %s: cannot create %s: %s\n", C, out, strerror(errno));
            rc = 1;
        } else {
            j->dir = out;
            zk_pool_run(pool, (s->n_accounts + PER_TASK - 1) / PER_TASK, file_task, j);
            if (atomic_load(&j->failed)) {
                fprintf(stderr, "zkpos %s: %s\n", C, j->msg);
                rc = 1;
            }
        }
    }
    if (rc == 0 && jsonl) rc = write_jsonl(j, pool, jsonl, st);
    else if (rc == 0 && st) rc = rounds(j, pool, start, NULL, st);
    if (rc == 0 && st) {
        char nb[32];
        int nl = snprintf(nb, sizeof nb, "%zu", s->n_accounts);
        if (zk_store_meta_set(st, "userproofs_complete", nb, (size_t)nl) != ZK_OK)
            rc = pipe_store_fail(st, C, "recording completion failed");
    }
    if (rc == 0) {
        printf("proofs %zu\n", s->n_accounts);
        if (st) printf("stored-from %" PRIu64 "\n", start);
        printf("assets %u\nroot %s\n", assets, hex);
        if (fflush(stdout) != 0) rc = 1;
    }
    if (j)
        for (int k = 0; k < TASKS_PER_BATCH; k++) free(j->bufs[k]);
    free(j);
    free(final_root);
    zk_store_close(st);
    zk_tree_free(t);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return rc;
}
