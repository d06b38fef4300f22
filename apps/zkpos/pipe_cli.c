/* Shared flag parsing (with --config files), store helpers and the progress
 * bar of the pipeline subcommands; see pipe_cli.h for the design. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipe_cli.h"
#include "util/util.h"

int pipe_num(unsigned *out, const char *s, unsigned long lo, unsigned long hi) {
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return -1;
    *out = (unsigned)v;
    return 0;
}

/* Sets option k from value v; where names the source for messages. */
static int set_opt(const char *cmd, pipe_opt *o, const char *v, const char *where) {
    if (o->str) {
        if (where) { /* the config line buffer is reused: keep a copy in the option */
            if (strlen(v) >= sizeof o->val) {
                fprintf(stderr, "zkpos %s: %s: value for %s is too long\n", cmd, where, o->name);
                return 2;
            }
            strcpy(o->val, v);
            *o->str = o->val;
        } else
            *o->str = v;
    } else if (o->num && pipe_num(o->num, v, o->lo, o->hi)) {
        fprintf(stderr, "zkpos %s: %s%sbad value '%s' for %s (expected %lu .. %lu)\n", cmd, where ? where : "",
                where ? ": " : "", v, o->name, o->lo, o->hi);
        return 2;
    }
    o->seen = 1;
    return 0;
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r')) s[--l] = 0;
    return s;
}

/* Settings a config file may hold: one file can serve every command (a
 * setting another command uses is ignored), a name no command knows is a
 * typo and an error. Deliberately absent: "all" (db delete --all must be
 * typed) and "config". */
static const char *const KNOWN[] = {"db",   "users", "assets",    "batch", "input", "pk",    "vk",
                                    "out",  "web",   "worker-id", "lease", "threads", "workdir",
                                    "workers", "jsonl", "tree",   "strict",  "witness", "proof", "public",
                                    "files", "seed",  "tiers"};

static int read_config(const char *cmd, const char *path, pipe_opt *o, size_t n, const int *from_flag) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "zkpos %s: cannot read config file %s: %s\n", cmd, path, strerror(errno));
        return 2;
    }
    char line[4096], where[4200];
    unsigned ln = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        ln++;
        char *h = strchr(line, '#');
        if (h) *h = 0;
        char *s = trim(line);
        if (!*s) continue;
        snprintf(where, sizeof where, "%s:%u", path, ln);
        char *eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "zkpos %s: %s: expected 'name = value', got '%s'\n", cmd, where, s);
            rc = 2;
            break;
        }
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        size_t k = 0, q = 0;
        while (q < sizeof KNOWN / sizeof KNOWN[0] && strcmp(KNOWN[q], key)) q++;
        while (k < n && (strncmp(o[k].name, "--", 2) || strcmp(o[k].name + 2, key))) k++;
        if (q == sizeof KNOWN / sizeof KNOWN[0]) {
            fprintf(stderr, "zkpos %s: %s: unknown setting '%s'\n", cmd, where, key);
            rc = 2;
        } else if (k == n || from_flag[k])
            continue; /* the flag wins */
        else if (!o[k].str && !o[k].num) {
            if (!strcmp(val, "true") || !strcmp(val, "1")) o[k].seen = 1;
            else if (strcmp(val, "false") && strcmp(val, "0")) {
                fprintf(stderr, "zkpos %s: %s: bad value '%s' for %s (expected true or false)\n", cmd, where, val,
                        key);
                rc = 2;
            }
        } else
            rc = set_opt(cmd, &o[k], val, where);
    }
    fclose(f);
    return rc;
}

int pipe_parse(const char *cmd, int argc, char **argv, pipe_opt *o, size_t n, const char **pos, size_t npos,
               void (*usage)(FILE *)) {
    int from_flag[64] = {0};
    const char *config = NULL;
    size_t npos_seen = 0;
    if (n > 64) return 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return -1;
        }
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "zkpos %s: --config needs a value\n", cmd);
                return 2;
            }
            config = argv[++i];
            continue;
        }
        size_t k = 0;
        while (k < n && strcmp(argv[i], o[k].name)) k++;
        if (k == n) {
            if (npos_seen < npos && argv[i][0] != '-') {
                pos[npos_seen++] = argv[i];
                continue;
            }
            fprintf(stderr, "zkpos %s: unexpected argument '%s'\n", cmd, argv[i]);
            usage(stderr);
            return 2;
        }
        from_flag[k] = 1;
        if (!o[k].str && !o[k].num) {
            o[k].seen = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "zkpos %s: %s needs a value\n", cmd, argv[i]);
            return 2;
        }
        int rc = set_opt(cmd, &o[k], argv[++i], NULL);
        if (rc) return rc;
    }
    return config ? read_config(cmd, config, o, n, from_flag) : 0;
}

int pipe_require(const char *cmd, const pipe_opt *o, void (*usage)(FILE *)) {
    if (o->seen) return 0;
    fprintf(stderr, "zkpos %s: %s is required\n", cmd, o->name);
    usage(stderr);
    return 2;
}

int pipe_open_store(zk_store **st, const char *cmd, const char *url) {
    zk_err e = zk_store_open(st, url);
    if (e == ZK_OK) return 0;
    fprintf(stderr, "zkpos %s: cannot open the store: %s\n", cmd, zk_store_errmsg(*st));
    zk_store_close(*st);
    *st = NULL;
    return 1;
}

int pipe_store_fail(zk_store *st, const char *cmd, const char *what) {
    fprintf(stderr, "zkpos %s: %s: %s\n", cmd, what, zk_store_errmsg(st));
    return 1;
}

char *pipe_meta_get(zk_store *st, const char *key, size_t *len, int *err) {
    zk_store_result r;
    char *v = NULL;
    size_t l = 0;
    if (zk_store_meta_get(st, &r, &v, &l, key) != ZK_OK) {
        *err = 1;
        return NULL;
    }
    if (len) *len = l;
    return r == ZK_STORE_DONE ? v : NULL;
}

int pipe_run_config(zk_store *st, const char *cmd, unsigned *users, unsigned *assets, uint64_t *digest) {
    int err = 0;
    char *cfg = pipe_meta_get(st, "config", NULL, &err);
    if (err) return pipe_store_fail(st, cmd, "reading the run configuration failed");
    if (!cfg) {
        fprintf(stderr, "zkpos %s: this store holds no run (run 'zkpos witness' first)\n", cmd);
        return 1;
    }
    uint64_t d = 0;
    int ok = sscanf(cfg, "users=%u assets=%u digest=%" SCNx64, users, assets, &d) == 3;
    if (!ok) fprintf(stderr, "zkpos %s: the stored configuration is malformed: %s\n", cmd, cfg);
    free(cfg);
    if (digest) *digest = d;
    return ok ? 0 : 1;
}

/* ---------------- progress ---------------- */

static void draw(pipe_progress *p, uint64_t done, int final) {
    double el = zk_now() - p->start;
    unsigned pct = p->total ? (unsigned)(100.0 * (double)done / (double)p->total) : 100;
    char bar[31];
    unsigned fill = pct * 30 / 100;
    for (unsigned i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
    bar[30] = 0;
    fprintf(stderr, "%s%-10s [%s] %3u%% %" PRIu64 "/%" PRIu64 " %.1f s%s", p->tty ? "\r" : "", p->what, bar, pct,
            done, p->total, el, final || !p->tty ? "\n" : "");
    fflush(stderr);
}

void pipe_progress_start(pipe_progress *p, const char *what, uint64_t total) {
    p->what = what;
    p->total = total;
    p->shown = 0;
    p->tty = isatty(2);
    p->start = p->last = zk_now();
    if (p->tty) draw(p, 0, 0);
}

void pipe_progress_update(pipe_progress *p, uint64_t done) {
    double now = zk_now();
    if (p->tty) {
        if (now - p->last < 0.2) return;
        p->last = now;
        draw(p, done, 0);
    } else if (p->total && done * 10 / p->total > p->shown && done < p->total) {
        p->shown = done * 10 / p->total;
        draw(p, done, 0);
    }
}

void pipe_progress_end(pipe_progress *p, uint64_t done) { draw(p, done, 1); }
