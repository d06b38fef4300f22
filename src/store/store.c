/* store front end: URL dispatch, argument checks, error messages, paging.
 *
 * Design: every public function checks its arguments here, resets the
 * outputs, calls the backend through the function table and on failure
 * prefixes the backend's message with the operation's name, so all backends
 * (and the fault wrapper) report errors the same way and none of them has to
 * re-validate. Iteration is built here on top of a backend "page" call so
 * that a callback can use the store while a walk is in progress and no
 * backend holds a cursor open across caller code. */
#define _GNU_SOURCE
#include "store_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

zk_err zk__store_fail(zk_store *st, zk_err code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, sizeof st->msg, fmt, ap);
    va_end(ap);
    return code;
}

zk_err zk__store_step(zk_store *st) {
    if (st->step_hook && st->step_hook(st->step_ctx))
        return zk__store_fail(st, ZK_ERR_IO, "injected fault");
    return ZK_OK;
}

int64_t zk__now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *zk_store_result_name(zk_store_result r) {
    switch (r) {
    case ZK_STORE_DONE: return "done";
    case ZK_STORE_UNCHANGED: return "unchanged";
    case ZK_STORE_NOT_FOUND: return "not-found";
    case ZK_STORE_NONE_LEFT: return "none-left";
    case ZK_STORE_WAIT: return "wait";
    case ZK_STORE_ALREADY_PROVEN: return "already-proven";
    case ZK_STORE_LEASE_LOST: return "lease-lost";
    }
    return "unknown";
}

const char *zk_store_state_name(zk_batch_state s) {
    switch (s) {
    case ZK_BATCH_PUBLISHED: return "published";
    case ZK_BATCH_CLAIMED: return "claimed";
    case ZK_BATCH_PROVEN: return "proven";
    }
    return "unknown";
}

/* ---- opening ---- */

static zk_store *failed_handle(const char *msg) {
    zk_store *st = calloc(1, sizeof *st);
    if (st) snprintf(st->msg, sizeof st->msg, "%s", msg);
    return st;
}

zk_err zk_store_open(zk_store **st, const char *url) {
    char err[ZK__MSG_MAX] = "";
    zk_err e;
    if (!st) return ZK_ERR_ARG;
    *st = NULL;
    if (!url || !*url) {
        *st = failed_handle("open: empty store URL (give a file path, sqlite://PATH or postgres://...)");
        return *st ? ZK_ERR_ARG : ZK_ERR_NOMEM;
    }
    const char *sep = strstr(url, "://");
    if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13)) {
        e = zk__pg_open(st, err, sizeof err, url);
    } else if (!strncmp(url, "sqlite://", 9)) {
        if (!url[9]) {
            *st = failed_handle("open: sqlite:// URL without a path");
            return *st ? ZK_ERR_ARG : ZK_ERR_NOMEM;
        }
        e = zk__sqlite_open(st, err, sizeof err, url + 9);
    } else if (sep) {
        char m[ZK__MSG_MAX];
        int n = (int)(sep - url);
        snprintf(m, sizeof m,
                 "open: unsupported store URL scheme '%.*s' (use a file path, sqlite://PATH, "
                 "postgres://... or postgresql://...)",
                 n > 32 ? 32 : n, url);
        *st = failed_handle(m);
        return *st ? ZK_ERR_ARG : ZK_ERR_NOMEM;
    } else {
        e = zk__sqlite_open(st, err, sizeof err, url);
    }
    if (e != ZK_OK) {
        char m[ZK__MSG_MAX];
        snprintf(m, sizeof m, "open: %s", err[0] ? err : zk_strerror(e));
        *st = failed_handle(m);
        if (!*st) return ZK_ERR_NOMEM;
    }
    return e;
}

void zk_store_close(zk_store *st) {
    if (!st) return;
    if (st->vt) st->vt->close(st);
    else free(st);
}

const char *zk_store_errmsg(const zk_store *st) {
    return st ? st->msg : "out of memory (no store handle)";
}

const char *zk_store_backend(const zk_store *st) {
    return st && st->vt ? st->vt->name : "none";
}

zk_err zk_store_worker_id(char out[ZK_STORE_WORKER_MAX + 1]) {
    char host[256] = "";
    uint8_t r[4];
    if (!out) return ZK_ERR_ARG;
    if (gethostname(host, sizeof host - 1) != 0 || !host[0]) strcpy(host, "host");
    host[40] = 0;
    for (char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            *p = '_';
    zk_err e = zk_os_random(r, sizeof r);
    if (e != ZK_OK) return e;
    snprintf(out, ZK_STORE_WORKER_MAX + 1, "%s-%ld-%02x%02x%02x%02x", host, (long)getpid(), r[0],
             r[1], r[2], r[3]);
    return ZK_OK;
}

/* ---- argument checks ---- */

/* Starts an operation: a usable handle, message cleared. */
#define BEGIN_OP(st, op)                                                                   \
    do {                                                                                   \
        if (!(st)) return ZK_ERR_ARG;                                                      \
        if (!(st)->vt) {                                                                   \
            if (!strstr((st)->msg, "store is not open"))                                   \
                snprintf((st)->msg, sizeof (st)->msg, "%s: store is not open", op);        \
            return ZK_ERR_ARG;                                                             \
        }                                                                                  \
        (st)->msg[0] = 0;                                                                  \
    } while (0)

static zk_err finish(zk_store *st, const char *op, zk_err e) {
    if (e == ZK_OK) {
        st->msg[0] = 0;
        return e;
    }
    if (!st->msg[0]) snprintf(st->msg, sizeof st->msg, "%s", zk_strerror(e));
    /* Prefix "op: " in place, cutting the tail if it no longer fits. */
    size_t p = strlen(op) + 2, n = strlen(st->msg);
    if (p >= sizeof st->msg) return e;
    if (n + p >= sizeof st->msg) n = sizeof st->msg - 1 - p;
    memmove(st->msg + p, st->msg, n);
    st->msg[p + n] = 0;
    memcpy(st->msg, op, p - 2);
    memcpy(st->msg + p - 2, ": ", 2);
    return e;
}

static zk_err arg(zk_store *st, const char *op, const char *what) {
    snprintf(st->msg, sizeof st->msg, "%s: %s", op, what);
    return ZK_ERR_ARG;
}

static int printable_token(const char *s, size_t max) {
    size_t n = 0;
    if (!s || !*s) return 0;
    for (; s[n]; n++)
        if (n >= max || (unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f) return 0;
    return 1;
}

static int lower_hex64(const char *s) {
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return s[64] == 0;
}

#define MAX_NUM ((uint64_t)INT64_MAX)
#define CHECK_WORKER(op, w)                                                                \
    if (!printable_token(w, ZK_STORE_WORKER_MAX))                                          \
    return arg(st, op, "worker id must be 1..64 printable ASCII bytes without spaces")
#define CHECK_NUM(op, n)                                                                   \
    if ((n) > MAX_NUM) return arg(st, op, "number out of range (>= 2^63)")

static int lease_ms(int64_t *out, double seconds) {
    if (!(seconds > 0) || seconds > 30.0 * 86400) return 0;
    double ms = ceil(seconds * 1000.0);
    *out = ms < 1 ? 1 : (int64_t)ms;
    return 1;
}

zk_err zk_store_schema_version(zk_store *st, int *version) {
    BEGIN_OP(st, "schema_version");
    if (!version) return arg(st, "schema_version", "null output");
    *version = 0;
    return finish(st, "schema_version", st->vt->schema_version(st, version));
}

/* ---- meta ---- */

#define CHECK_KEY(op, k)                                                                   \
    if (!printable_token(k, ZK_STORE_KEY_MAX))                                             \
    return arg(st, op, "meta key must be 1..128 printable ASCII bytes without spaces")
#define CHECK_BLOB(op, p, len, min)                                                        \
    if (((len) == 0 && (min)) || (len) > ZK_STORE_BLOB_MAX || (!(p) && (len)))                     \
    return arg(st, op, "bad data length (or NULL data)")

zk_err zk_store_meta_set(zk_store *st, const char *key, const void *value, size_t len) {
    BEGIN_OP(st, "meta_set");
    CHECK_KEY("meta_set", key);
    CHECK_BLOB("meta_set", value, len, 0);
    return finish(st, "meta_set", st->vt->meta_set(st, key, value ? value : "", len));
}

zk_err zk_store_meta_put_once(zk_store *st, zk_store_result *res, const char *key,
                              const void *value, size_t len) {
    BEGIN_OP(st, "meta_put_once");
    if (!res) return arg(st, "meta_put_once", "null output");
    *res = ZK_STORE_NOT_FOUND;
    CHECK_KEY("meta_put_once", key);
    CHECK_BLOB("meta_put_once", value, len, 0);
    return finish(st, "meta_put_once",
                  st->vt->meta_put_once(st, res, key, value ? value : "", len));
}

zk_err zk_store_meta_get(zk_store *st, zk_store_result *res, char **value, size_t *len,
                         const char *key) {
    BEGIN_OP(st, "meta_get");
    if (!res || !value || !len) return arg(st, "meta_get", "null output");
    *res = ZK_STORE_NOT_FOUND;
    *value = NULL;
    *len = 0;
    CHECK_KEY("meta_get", key);
    return finish(st, "meta_get", st->vt->meta_get(st, res, value, len, key));
}

/* ---- batches ---- */

zk_err zk_store_put_batch(zk_store *st, zk_store_result *res, uint64_t batch, const void *witness,
                          size_t len) {
    BEGIN_OP(st, "put_batch");
    if (!res) return arg(st, "put_batch", "null output");
    *res = ZK_STORE_NOT_FOUND;
    CHECK_NUM("put_batch", batch);
    CHECK_BLOB("put_batch", witness, len, 1);
    return finish(st, "put_batch", st->vt->put_batch(st, res, batch, witness, len));
}

zk_err zk_store_get_batch(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                          uint8_t **witness, size_t *len, uint64_t batch) {
    BEGIN_OP(st, "get_batch");
    if (!res || (witness && !len)) return arg(st, "get_batch", "null output");
    *res = ZK_STORE_NOT_FOUND;
    if (info) memset(info, 0, sizeof *info);
    if (witness) {
        *witness = NULL;
        *len = 0;
    }
    CHECK_NUM("get_batch", batch);
    return finish(st, "get_batch", st->vt->get_batch(st, res, info, witness, len, batch));
}

zk_err zk_store_max_batch(zk_store *st, zk_store_result *res, uint64_t *batch) {
    BEGIN_OP(st, "max_batch");
    if (!res || !batch) return arg(st, "max_batch", "null output");
    *res = ZK_STORE_NOT_FOUND;
    *batch = 0;
    return finish(st, "max_batch", st->vt->max_batch(st, res, batch));
}

zk_err zk_store_claim_next(zk_store *st, zk_store_result *res, uint64_t *batch, const char *worker,
                           double lease_seconds) {
    int64_t ms;
    BEGIN_OP(st, "claim_next");
    if (!res || !batch) return arg(st, "claim_next", "null output");
    *res = ZK_STORE_NONE_LEFT;
    *batch = 0;
    CHECK_WORKER("claim_next", worker);
    if (!lease_ms(&ms, lease_seconds)) return arg(st, "claim_next", "lease must be in (0, 30 days]");
    return finish(st, "claim_next", st->vt->claim_next(st, res, batch, worker, ms));
}

zk_err zk_store_renew_lease(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                            double lease_seconds) {
    int64_t ms;
    BEGIN_OP(st, "renew_lease");
    if (!res) return arg(st, "renew_lease", "null output");
    *res = ZK_STORE_LEASE_LOST;
    CHECK_NUM("renew_lease", batch);
    CHECK_WORKER("renew_lease", worker);
    if (!lease_ms(&ms, lease_seconds)) return arg(st, "renew_lease", "lease must be in (0, 30 days]");
    return finish(st, "renew_lease", st->vt->renew_lease(st, res, batch, worker, ms));
}

zk_err zk_store_release(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                        const char *reason) {
    char r[ZK_STORE_REASON_MAX + 1];
    BEGIN_OP(st, "release");
    if (!res) return arg(st, "release", "null output");
    *res = ZK_STORE_LEASE_LOST;
    CHECK_NUM("release", batch);
    CHECK_WORKER("release", worker);
    /* Keep the reason to printable ASCII so that it is valid text in any
     * database encoding and safe to print. */
    size_t n = 0;
    for (const char *p = reason ? reason : ""; *p && n < ZK_STORE_REASON_MAX; p++)
        r[n++] = ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f) ? *p : '?';
    r[n] = 0;
    return finish(st, "release", st->vt->release(st, res, batch, worker, r));
}

zk_err zk_store_complete(zk_store *st, zk_store_result *res, const zk_store_proof *p,
                         const char *worker) {
    BEGIN_OP(st, "complete");
    if (!res || !p) return arg(st, "complete", "null argument");
    *res = ZK_STORE_NOT_FOUND;
    CHECK_NUM("complete", p->batch_number);
    CHECK_WORKER("complete", worker);
    CHECK_BLOB("complete", p->proof, p->proof_len, 1);
    return finish(st, "complete", st->vt->complete(st, res, p, worker));
}

zk_err zk_store_get_proof(zk_store *st, zk_store_result *res, zk_store_proof *p, uint64_t batch) {
    BEGIN_OP(st, "get_proof");
    if (!res || !p) return arg(st, "get_proof", "null output");
    *res = ZK_STORE_NOT_FOUND;
    memset(p, 0, sizeof *p);
    CHECK_NUM("get_proof", batch);
    zk_err e = st->vt->get_proof(st, res, p, batch);
    if (e != ZK_OK) zk_store_proof_clear(p);
    return finish(st, "get_proof", e);
}

void zk_store_proof_clear(zk_store_proof *p) {
    if (!p) return;
    free(p->proof);
    memset(p, 0, sizeof *p);
}

zk_err zk_store_each_proof(zk_store *st, uint64_t first, zk_store_proof_fn fn, void *ctx) {
    BEGIN_OP(st, "each_proof");
    if (!fn) return arg(st, "each_proof", "null callback");
    zk_store_proof *page = calloc(ZK__PAGE, sizeof *page);
    if (!page) return finish(st, "each_proof", zk__store_fail(st, ZK_ERR_NOMEM, "out of memory"));
    zk_err e = ZK_OK;
    while (e == ZK_OK && first <= MAX_NUM) {
        size_t n = 0;
        e = st->vt->proof_page(st, page, &n, first);
        if (e != ZK_OK) {
            e = finish(st, "each_proof", e);
            n = 0; /* the backend frees a failed page */
        }
        size_t i = 0;
        for (; e == ZK_OK && i < n; i++) e = fn(ctx, &page[i]);
        if (n) first = page[n - 1].batch_number + 1;
        for (i = 0; i < n; i++) zk_store_proof_clear(&page[i]);
        if (n < ZK__PAGE) break;
    }
    free(page);
    return e;
}

/* ---- user proofs ---- */

zk_err zk_store_put_userproofs(zk_store *st, const zk_store_userproof *rows, size_t n) {
    char m[160];
    BEGIN_OP(st, "put_userproofs");
    if (n && !rows) return arg(st, "put_userproofs", "null rows");
    for (size_t i = 0; i < n; i++) {
        const zk_store_userproof *r = &rows[i];
        const char *bad = NULL;
        if (r->account_index > MAX_NUM) bad = "account index out of range (>= 2^63)";
        else if (!lower_hex64(r->account_id)) bad = "account id must be 64 lowercase hex digits";
        else if (!lower_hex64(r->leaf)) bad = "leaf must be 64 lowercase hex digits";
        else if (!r->json || !r->json[0] || strlen(r->json) > ZK_STORE_BLOB_MAX)
            bad = "empty or oversized proof JSON";
        if (bad) {
            snprintf(m, sizeof m, "row %zu (account %llu): %s", i,
                     (unsigned long long)r->account_index, bad);
            return arg(st, "put_userproofs", m);
        }
    }
    if (!n) return ZK_OK;
    return finish(st, "put_userproofs", st->vt->put_userproofs(st, rows, n));
}

zk_err zk_store_get_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                              uint64_t account_index) {
    BEGIN_OP(st, "get_userproof");
    if (!res || !row) return arg(st, "get_userproof", "null output");
    *res = ZK_STORE_NOT_FOUND;
    memset(row, 0, sizeof *row);
    CHECK_NUM("get_userproof", account_index);
    zk_err e = st->vt->get_userproof(st, res, row, account_index, NULL);
    if (e != ZK_OK) zk_store_userproof_clear(row);
    return finish(st, "get_userproof", e);
}

zk_err zk_store_find_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                               const char *account_id) {
    BEGIN_OP(st, "find_userproof");
    if (!res || !row) return arg(st, "find_userproof", "null output");
    *res = ZK_STORE_NOT_FOUND;
    memset(row, 0, sizeof *row);
    if (!account_id || strlen(account_id) != 64 || !lower_hex64(account_id))
        return arg(st, "find_userproof", "account id must be 64 lowercase hex digits");
    zk_err e = st->vt->get_userproof(st, res, row, 0, account_id);
    if (e != ZK_OK) zk_store_userproof_clear(row);
    return finish(st, "find_userproof", e);
}

void zk_store_userproof_clear(zk_store_userproof *row) {
    if (!row) return;
    free(row->json);
    memset(row, 0, sizeof *row);
}

zk_err zk_store_max_userproof(zk_store *st, zk_store_result *res, uint64_t *account_index) {
    BEGIN_OP(st, "max_userproof");
    if (!res || !account_index) return arg(st, "max_userproof", "null output");
    *res = ZK_STORE_NOT_FOUND;
    *account_index = 0;
    return finish(st, "max_userproof", st->vt->max_userproof(st, res, account_index));
}

zk_err zk_store_each_userproof(zk_store *st, uint64_t first, zk_store_userproof_fn fn, void *ctx) {
    BEGIN_OP(st, "each_userproof");
    if (!fn) return arg(st, "each_userproof", "null callback");
    zk_store_userproof *page = calloc(ZK__PAGE, sizeof *page);
    if (!page)
        return finish(st, "each_userproof", zk__store_fail(st, ZK_ERR_NOMEM, "out of memory"));
    zk_err e = ZK_OK;
    while (e == ZK_OK && first <= MAX_NUM) {
        size_t n = 0;
        e = st->vt->userproof_page(st, page, &n, first);
        if (e != ZK_OK) {
            e = finish(st, "each_userproof", e);
            n = 0;
        }
        size_t i = 0;
        for (; e == ZK_OK && i < n; i++) e = fn(ctx, &page[i]);
        if (n) first = page[n - 1].account_index + 1;
        for (i = 0; i < n; i++) zk_store_userproof_clear(&page[i]);
        if (n < ZK__PAGE) break;
    }
    free(page);
    return e;
}

/* ---- status ---- */

zk_err zk_store_counts_get(zk_store *st, zk_store_counts *c) {
    BEGIN_OP(st, "counts");
    if (!c) return arg(st, "counts", "null output");
    memset(c, 0, sizeof *c);
    return finish(st, "counts", st->vt->counts(st, c));
}

zk_err zk_store_delete_all(zk_store *st) {
    BEGIN_OP(st, "delete_all");
    return finish(st, "delete_all", st->vt->delete_all(st));
}
