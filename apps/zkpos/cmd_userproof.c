/* zkpos userproof: writes every account's inclusion proof as the Binance v1
 * user-proof JSON, either one file per account (DIR/<index>.json) or as JSON
 * lines. Each file appears atomically (written under a temporary name, then
 * renamed), so an interrupted run leaves only complete files behind; the
 * JSON-lines file is fsynced and renamed into place at the end. With --tree
 * the saved tree is mapped instead of rebuilt, after checking that it was
 * built from the same accounts (fingerprint and a few recomputed leaves). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "solv_cli.h"
#include "solvency/solvency.h"

#define PER_TASK 256
#define TASKS_PER_BATCH 64

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos userproof --input DIR (--out DIR | --jsonl FILE) [--tree FILE] [--strict] [--threads N]\n\n"
            "Writes the user-proof JSON of every account (the format of Binance's userproof service).\n\n"
            "  --input DIR   directory with the balance-sheet CSV files (as for 'zkpos tree')\n"
            "  --out DIR     one file per account, DIR/<account index>.json (DIR is created)\n"
            "  --jsonl FILE  all proofs in one file, one JSON document per line, in index order\n"
            "  --tree FILE   use a tree saved by 'zkpos tree --out FILE' instead of rebuilding it\n"
            "  --strict      refuse to write anything if any row, value or price was rejected\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

typedef struct {
    const zk_sheet *s;
    const zk_tree *t;
    const char *dir;
    size_t base;          /* first account of the batch (jsonl) */
    char *bufs[TASKS_PER_BATCH];
    size_t lens[TASKS_PER_BATCH], caps[TASKS_PER_BATCH];
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
        size_t n = zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, j->s, j->t, i);
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
        size_t n = zk_userproof_v1_account(j->bufs[task] + j->lens[task], ZK_USERPROOF_V1_MAX, j->s, j->t, i);
        if (!n) {
            fail(j, "%s: %s", "formatting a proof failed", EINVAL);
            return;
        }
        j->lens[task] += n;
        j->bufs[task][j->lens[task]++] = '\n';
    }
}

/* Maps a saved tree and checks it belongs to the sheet. */
static int load_tree(zk_tree **t, const char *path, const zk_sheet *s) {
    zk_err e = zk_tree_open(t, path, 1);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos userproof: cannot use tree file %s: %s\n", path, zk_strerror(e));
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
        if (zk_v1_account_leaf(&leaf, s, probe[k]) != ZK_OK || zk_tree_leaf(b, *t, probe[k]) != ZK_OK) return 1;
        fr_to_bytes_be(a, &leaf);
        if (memcmp(a, b, 32)) {
            fprintf(stderr, "zkpos userproof: tree file %s: leaf %zu does not match the input\n", path, probe[k]);
            return 1;
        }
    }
    return 0;
}

static int write_jsonl(job *j, zk_pool *pool, const char *path) {
    size_t plen = strlen(path) + 32;
    char *tmp = malloc(plen);
    if (!tmp) return 1;
    snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "zkpos userproof: cannot create %s: %s\n", tmp, strerror(errno));
        free(tmp);
        return 1;
    }
    int ok = 1;
    size_t n = j->s->n_accounts, batch = (size_t)PER_TASK * TASKS_PER_BATCH;
    for (j->base = 0; j->base < n && ok; j->base += batch) {
        size_t m = n - j->base < batch ? n - j->base : batch;
        size_t tasks = (m + PER_TASK - 1) / PER_TASK;
        zk_pool_run(pool, tasks, line_task, j);
        if (atomic_load(&j->failed)) ok = 0;
        for (size_t k = 0; k < tasks && ok; k++)
            if (fwrite(j->bufs[k], 1, j->lens[k], f) != j->lens[k]) ok = 0;
    }
    if (ok && (fflush(f) != 0 || fsync(fileno(f)) != 0)) ok = 0;
    if (fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        if (atomic_load(&j->failed)) fprintf(stderr, "zkpos userproof: %s\n", j->msg);
        else fprintf(stderr, "zkpos userproof: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : 1;
}

int cmd_userproof(int argc, char **argv) {
    const char *input = NULL, *out = NULL, *jsonl = NULL, *tree = NULL;
    int strict = 0, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--input") && i + 1 < argc) input = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--jsonl") && i + 1 < argc) jsonl = argv[++i];
        else if (!strcmp(argv[i], "--tree") && i + 1 < argc) tree = argv[++i];
        else if (!strcmp(argv[i], "--strict")) strict = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            if ((threads = solv_cli_threads(argv[++i])) < 0) {
                fprintf(stderr, "zkpos userproof: bad thread count '%s'\n", argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "zkpos userproof: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!input || (!out) == (!jsonl)) {
        fprintf(stderr, "zkpos userproof: --input DIR and exactly one of --out DIR, --jsonl FILE are required\n");
        usage(stderr);
        return 2;
    }
    zk_pool *pool = zk_pool_new(threads);
    if (!pool) return 1;
    zk_sheet *s = NULL;
    zk_tree *t = NULL;
    zk_sheet_stats st;
    memset(&st, 0, sizeof st);
    int rc = solv_cli_load(&s, &st, input, strict, pool);
    if (rc == 0) {
        if (tree) rc = load_tree(&t, tree, s);
        else {
            zk_err e = zk_tree_build(&t, s, pool);
            if (e != ZK_OK) {
                fprintf(stderr, "zkpos userproof: building the tree failed: %s\n", zk_strerror(e));
                rc = 1;
            }
        }
    }
    job *j = NULL;
    if (rc == 0 && !(j = calloc(1, sizeof *j))) rc = 1;
    if (rc == 0) {
        j->s = s;
        j->t = t;
        atomic_init(&j->failed, 0);
        if (out) {
            if (mkdir(out, 0755) != 0 && errno != EEXIST) {
                fprintf(stderr, "zkpos userproof: cannot create %s: %s\n", out, strerror(errno));
                rc = 1;
            } else {
                j->dir = out;
                zk_pool_run(pool, (s->n_accounts + PER_TASK - 1) / PER_TASK, file_task, j);
                if (atomic_load(&j->failed)) {
                    fprintf(stderr, "zkpos userproof: %s\n", j->msg);
                    rc = 1;
                }
            }
        } else rc = write_jsonl(j, pool, jsonl);
    }
    if (rc == 0) {
        uint8_t root[32];
        char hex[65];
        zk_tree_root(root, t);
        zk_hex_encode(hex, root, 32);
        printf("proofs %zu\nroot %s\n", s->n_accounts, hex);
        if (fflush(stdout) != 0) rc = 1;
    }
    if (j)
        for (int k = 0; k < TASKS_PER_BATCH; k++) free(j->bufs[k]);
    free(j);
    zk_tree_free(t);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return rc;
}
