/* store backend: PostgreSQL through libpq (workers on many machines).
 *
 * Design: every operation that reads and then writes is one transaction.
 * A claim selects the lowest claimable batch with FOR UPDATE SKIP LOCKED, so
 * concurrent claimers never wait on or pick each other's rows, then marks it
 * claimed with the worker id and lease_until; a completion locks its batch
 * row (FOR UPDATE) and inserts the proof with ON CONFLICT DO NOTHING on the
 * proof table's primary key, so of two workers completing the same batch the
 * first one stores and the second learns "already proven" — never a second
 * row. Lease times are computed from the server's clock (clock_timestamp())
 * so that workers on machines with skewed clocks agree on expiry. Parameters
 * are sent typed and binary and results read binary, so blobs travel without
 * escaping and integers need no parsing. A lost connection is re-established
 * at the start of the next operation (an interrupted transaction was rolled
 * back by the server, so retrying the operation is always safe). */
#include "store_internal.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define NOW "(extract(epoch from clock_timestamp()) * 1000)::int8"
#define SCHEMA_LOCK "8073541712" /* pg_advisory_xact_lock key of migrations */
#define UP_SLICE 200             /* user-proof rows per INSERT statement */

typedef struct {
    zk_store base;
    PGconn *conn;
} pg;

#define P(st) ((pg *)(st))

/* Typed binary parameters. */
#define PARAMS_MAX 12
typedef struct {
    int n;
    Oid types[PARAMS_MAX];
    const char *vals[PARAMS_MAX];
    int lens[PARAMS_MAX];
    int fmts[PARAMS_MAX];
    unsigned char num[PARAMS_MAX][8];
} params;

static void put_be64(unsigned char *b, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) b[i] = (unsigned char)v;
}

static void p_i64(params *p, int64_t v) {
    put_be64(p->num[p->n], (uint64_t)v);
    p->types[p->n] = OID_INT8;
    p->vals[p->n] = (const char *)p->num[p->n];
    p->lens[p->n] = 8;
    p->fmts[p->n++] = 1;
}

static void p_bytes(params *p, Oid type, const void *v, size_t len) {
    p->types[p->n] = type;
    p->vals[p->n] = v;
    p->lens[p->n] = (int)len;
    p->fmts[p->n++] = 1;
}

static void p_text(params *p, const char *s) { p_bytes(p, OID_TEXT, s, strlen(s)); }

static int64_t r_i64(const PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8) return 0;
    const unsigned char *b = (const unsigned char *)PQgetvalue(r, row, col);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | b[i];
    return (int64_t)v;
}

static int r_bool(const PGresult *r, int row, int col) {
    return !PQgetisnull(r, row, col) && PQgetlength(r, row, col) == 1 &&
           PQgetvalue(r, row, col)[0] != 0;
}

static void r_text(char *out, size_t cap, const PGresult *r, int row, int col) {
    size_t n = PQgetisnull(r, row, col) ? 0 : (size_t)PQgetlength(r, row, col);
    if (n >= cap) n = cap - 1;
    if (n) memcpy(out, PQgetvalue(r, row, col), n);
    out[n] = 0;
}

static char *r_dup(const PGresult *r, int row, int col, size_t *len) {
    size_t n = (size_t)PQgetlength(r, row, col);
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, PQgetvalue(r, row, col), n);
    d[n] = 0;
    if (len) *len = n;
    return d;
}

/* libpq messages end with a newline and may span lines: keep one line,
 * whitespace runs collapsed. */
static void one_line(char *out, size_t cap, const char *msg) {
    size_t k = 0;
    for (const char *p = msg ? msg : ""; *p && k + 1 < cap; p++) {
        int space = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';
        if (space && (k == 0 || out[k - 1] == ' ')) continue;
        out[k++] = space ? ' ' : *p;
    }
    while (k && out[k - 1] == ' ') k--;
    out[k] = 0;
}

/* Copies msg to out with the password of url masked wherever msg quotes
 * url (libpq's URI parse errors quote it whole): "user:***@" and
 * "password=***" in the query. */
static void mask_password(char *out, size_t cap, const char *msg, const char *url) {
    char masked[1024];
    size_t k = 0, n = strlen(url);
    const char *auth = strstr(url, "://");
    const char *hostend = auth ? strpbrk(auth + 3, "/?") : NULL;
    const char *at = NULL, *colon = NULL;
    if (auth) {
        for (const char *p = auth + 3; *p && (!hostend || p < hostend); p++)
            if (*p == '@') at = p;
        if (at) colon = memchr(auth + 3, ':', (size_t)(at - auth - 3));
    }
    for (size_t i = 0; i < n && k + 4 < sizeof masked; i++) {
        if (colon && url + i == colon + 1) {
            memcpy(masked + k, "***", 3), k += 3;
            i = (size_t)(at - url) - 1;
            continue;
        }
        if (!strncmp(url + i, "password=", 9) && (i == 0 || url[i - 1] == '?' || url[i - 1] == '&')) {
            size_t j = i + 9;
            while (j < n && url[j] != '&') j++;
            if (k + 12 >= sizeof masked) break;
            memcpy(masked + k, "password=***", 12), k += 12;
            i = j - 1;
            continue;
        }
        masked[k++] = url[i];
    }
    masked[k] = 0;
    /* Replace each quotation of url in msg. */
    size_t o = 0;
    while (*msg && o + 1 < cap) {
        if (n && !strncmp(msg, url, n)) {
            for (const char *m = masked; *m && o + 1 < cap; m++) out[o++] = *m;
            msg += n;
        } else {
            out[o++] = *msg++;
        }
    }
    out[o] = 0;
}

static zk_err pg_fail_res(pg *s, const char *what, const PGresult *r) {
    char m[512];
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    one_line(m, sizeof m, r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn));
    if (!m[0]) one_line(m, sizeof m, PQerrorMessage(s->conn));
    return zk__store_fail(&s->base, ZK_ERR_IO, "%s: postgres: %s%s%s%s", what, m,
                          state ? " (SQLSTATE " : "", state ? state : "", state ? ")" : "");
}

/* Runs one statement (one fault-injection step). *out gets the result on
 * success (PQclear it), NULL on failure. */
static zk_err pg_run(pg *s, PGresult **out, const char *what, const char *sql, const params *p) {
    *out = NULL;
    zk_err e = zk__store_step(&s->base);
    if (e != ZK_OK) return e;
    PGresult *r = p ? PQexecParams(s->conn, sql, p->n, p->types, p->vals, p->lens, p->fmts, 1)
                    : PQexecParams(s->conn, sql, 0, NULL, NULL, NULL, NULL, 1);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        e = pg_fail_res(s, what, r);
        PQclear(r);
        return e;
    }
    *out = r;
    return ZK_OK;
}

/* A statement whose result is not needed. */
static zk_err pg_do(pg *s, const char *what, const char *sql, const params *p) {
    PGresult *r;
    zk_err e = pg_run(s, &r, what, sql, p);
    PQclear(r);
    return e;
}

static long affected(const PGresult *r) { return strtol(PQcmdTuples((PGresult *)r), NULL, 10); }

/* Ends an open transaction after a failure; never a fault-injection step. */
static void pg_rollback(pg *s) {
    if (PQstatus(s->conn) == CONNECTION_OK && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "ROLLBACK"));
}

static zk_err pg_end(pg *s, PGresult *r, zk_err e) {
    PQclear(r);
    if (e != ZK_OK) pg_rollback(s);
    return e;
}

/* Before each operation: a live connection outside any transaction. */
static zk_err pg_ready(pg *s) {
    if (PQstatus(s->conn) != CONNECTION_OK) {
        PQreset(s->conn);
        if (PQstatus(s->conn) != CONNECTION_OK) {
            char m[512];
            one_line(m, sizeof m, PQerrorMessage(s->conn));
            return zk__store_fail(&s->base, ZK_ERR_IO, "postgres: connection lost: %s", m);
        }
    }
    pg_rollback(s);
    return ZK_OK;
}

#define READY(s)                                                                           \
    do {                                                                                   \
        zk_err e_ = pg_ready(s);                                                           \
        if (e_ != ZK_OK) return e_;                                                        \
    } while (0)

/* ---- lifecycle and schema ---- */

static void pg_close(zk_store *st) {
    PQfinish(P(st)->conn);
    free(st);
}

static void quiet_notices(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static zk_err pg_migrate(pg *s) {
    PGresult *r = NULL;
    zk_err e;
    const zk__migration *last = &zk__migrations[zk__n_migrations - 1];
    if ((e = pg_do(s, "begin", "BEGIN", NULL)) != ZK_OK ||
        (e = pg_do(s, "lock schema", "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK ")", NULL)) !=
            ZK_OK ||
        (e = pg_do(s, "create schema_version",
                   "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
                   "name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                   NULL)) != ZK_OK ||
        (e = pg_run(s, &r, "read schema_version",
                    "SELECT coalesce(max(version), 0)::int8 FROM schema_version", NULL)) != ZK_OK)
        return pg_end(s, r, e);
    int64_t cur = r_i64(r, 0, 0);
    PQclear(r);
    r = NULL;
    if (cur > last->version) {
        e = zk__store_fail(&s->base, ZK_ERR_FORMAT,
                           "the store has schema version %lld, newer than this zkpos knows (%d); "
                           "use a newer zkpos",
                           (long long)cur, last->version);
        return pg_end(s, r, e);
    }
    for (size_t i = 0; i < zk__n_migrations; i++) {
        const zk__migration *m = &zk__migrations[i];
        if (m->version <= cur) continue;
        char what[96];
        snprintf(what, sizeof what, "migration %d", m->version);
        if ((e = zk__store_step(&s->base)) != ZK_OK) return pg_end(s, r, e);
        r = PQexec(s->conn, m->pg_sql); /* several statements: simple protocol */
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) return pg_end(s, r, pg_fail_res(s, what, r));
        PQclear(r);
        r = NULL;
        params p = {0};
        p_i64(&p, m->version);
        p_text(&p, m->name);
        if ((e = pg_do(s, what, "INSERT INTO schema_version VALUES ($1, $2, " NOW ")", &p)) != ZK_OK)
            return pg_end(s, r, e);
    }
    return pg_end(s, r, pg_do(s, "commit", "COMMIT", NULL));
}

static const zk__store_vt pg_vt;

zk_err zk__pg_open(zk_store **out, char *err, size_t errlen, const char *url) {
    /* Keywords are applied in order and the URL (dbname, expanded) comes
     * last, so a connect_timeout in the URL overrides the default. */
    static const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"10", "zkpos", url, NULL};
    char *perr = NULL;
    *out = NULL;
    /* Syntax first, so that a malformed URL is an argument error and not a
     * connection failure. */
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        char m[512], mm[512];
        one_line(m, sizeof m, perr ? perr : "out of memory");
        mask_password(mm, sizeof mm, m, url);
        snprintf(err, errlen, "bad PostgreSQL URL: %s", mm);
        zk_err e = perr ? ZK_ERR_ARG : ZK_ERR_NOMEM;
        PQfreemem(perr);
        return e;
    }
    PQconninfoFree(opts);
    pg *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return ZK_ERR_NOMEM;
    }
    s->base.vt = &pg_vt;
    s->conn = PQconnectdbParams(keys, vals, 1);
    if (!s->conn) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return ZK_ERR_NOMEM;
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char m[512], mm[512];
        one_line(m, sizeof m, PQerrorMessage(s->conn));
        mask_password(mm, sizeof mm, m, url);
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", mm);
        pg_close(&s->base);
        return ZK_ERR_IO;
    }
    PQsetNoticeProcessor(s->conn, quiet_notices, NULL);
    zk_err e = pg_migrate(s);
    if (e != ZK_OK) {
        snprintf(err, errlen, "PostgreSQL store: %s", s->base.msg);
        pg_close(&s->base);
        return e;
    }
    *out = &s->base;
    return ZK_OK;
}

static zk_err pg_schema_version(zk_store *st, int *version) {
    pg *s = P(st);
    PGresult *r;
    READY(s);
    zk_err e = pg_run(s, &r, "read schema_version",
                      "SELECT coalesce(max(version), 0)::int8 FROM schema_version", NULL);
    if (e == ZK_OK) *version = (int)r_i64(r, 0, 0);
    return pg_end(s, r, e);
}

/* ---- meta ---- */

static zk_err pg_meta_set(zk_store *st, const char *key, const void *v, size_t len) {
    pg *s = P(st);
    params p = {0};
    READY(s);
    p_text(&p, key);
    p_bytes(&p, OID_BYTEA, v, len);
    return pg_do(s, "write meta",
                 "INSERT INTO meta (key, updated_at, value) VALUES ($1, " NOW ", $2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                 "updated_at = excluded.updated_at",
                 &p);
}

static zk_err pg_meta_put_once(zk_store *st, zk_store_result *res, const char *key, const void *v,
                               size_t len) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_text(&p, key);
    p_bytes(&p, OID_BYTEA, v, len);
    zk_err e = pg_run(s, &r, "write meta",
                      "INSERT INTO meta (key, updated_at, value) VALUES ($1, " NOW ", $2) "
                      "ON CONFLICT (key) DO NOTHING",
                      &p);
    if (e != ZK_OK) return e;
    if (affected(r) == 1) {
        *res = ZK_STORE_DONE;
        return pg_end(s, r, e);
    }
    PQclear(r);
    if ((e = pg_run(s, &r, "compare meta", "SELECT value = $2 FROM meta WHERE key = $1", &p)) !=
        ZK_OK)
        return e;
    if (PQntuples(r) == 1 && r_bool(r, 0, 0)) *res = ZK_STORE_UNCHANGED;
    else if (PQntuples(r) == 1)
        e = zk__store_fail(st, ZK_ERR_FORMAT, "meta key '%s' is already set to a different value",
                           key);
    else e = zk__store_fail(st, ZK_ERR_IO, "meta key '%s' changed concurrently; retry", key);
    return pg_end(s, r, e);
}

static zk_err pg_meta_get(zk_store *st, zk_store_result *res, char **v, size_t *len,
                          const char *key) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_text(&p, key);
    zk_err e = pg_run(s, &r, "read meta", "SELECT value FROM meta WHERE key = $1", &p);
    if (e == ZK_OK && PQntuples(r) == 1) {
        if (!(*v = r_dup(r, 0, 0, len))) e = zk__store_fail(st, ZK_ERR_NOMEM, "out of memory");
        else *res = ZK_STORE_DONE;
    }
    return pg_end(s, r, e);
}

/* ---- batches ---- */

static zk_err pg_put_batch(zk_store *st, zk_store_result *res, uint64_t batch, const void *w,
                           size_t len) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)batch);
    p_bytes(&p, OID_BYTEA, w, len);
    zk_err e = pg_run(s, &r, "insert batch",
                      "INSERT INTO batch (batch_number, state, attempts, created_at, witness) "
                      "VALUES ($1, 0, 0, " NOW ", $2) ON CONFLICT (batch_number) DO NOTHING",
                      &p);
    if (e != ZK_OK) return e;
    if (affected(r) == 1) {
        *res = ZK_STORE_DONE;
        return pg_end(s, r, e);
    }
    PQclear(r);
    if ((e = pg_run(s, &r, "compare batch",
                    "SELECT witness = $2, octet_length(witness)::int8 FROM batch "
                    "WHERE batch_number = $1",
                    &p)) != ZK_OK)
        return e;
    if (PQntuples(r) == 1 && r_bool(r, 0, 0)) *res = ZK_STORE_UNCHANGED;
    else if (PQntuples(r) == 1)
        e = zk__store_fail(st, ZK_ERR_FORMAT,
                           "batch %llu is already stored with a different witness (%lld bytes "
                           "stored, %zu given)",
                           (unsigned long long)batch, (long long)r_i64(r, 0, 1), len);
    else
        e = zk__store_fail(st, ZK_ERR_IO, "batch %llu changed concurrently; retry",
                           (unsigned long long)batch);
    return pg_end(s, r, e);
}

static zk_err pg_get_batch(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                           uint8_t **w, size_t *len, uint64_t batch) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)batch);
    zk_err e = pg_run(s, &r, "read batch",
                      w ? "SELECT state, worker, lease_until, attempts, last_error, created_at, "
                          "claimed_at, proven_at, octet_length(witness)::int8, " NOW ", witness "
                          "FROM batch WHERE batch_number = $1"
                        : "SELECT state, worker, lease_until, attempts, last_error, created_at, "
                          "claimed_at, proven_at, octet_length(witness)::int8, " NOW " "
                          "FROM batch WHERE batch_number = $1",
                      &p);
    if (e != ZK_OK || PQntuples(r) != 1) return pg_end(s, r, e);
    if (info) {
        info->batch_number = batch;
        info->state = (zk_batch_state)r_i64(r, 0, 0);
        r_text(info->worker, sizeof info->worker, r, 0, 1);
        info->lease_until_ms = r_i64(r, 0, 2);
        info->attempts = (uint32_t)r_i64(r, 0, 3);
        r_text(info->last_error, sizeof info->last_error, r, 0, 4);
        info->created_ms = r_i64(r, 0, 5);
        info->claimed_ms = r_i64(r, 0, 6);
        info->proven_ms = r_i64(r, 0, 7);
        info->witness_len = (uint64_t)r_i64(r, 0, 8);
        info->now_ms = r_i64(r, 0, 9);
    }
    if (w && !(*w = (uint8_t *)r_dup(r, 0, 10, len)))
        e = zk__store_fail(st, ZK_ERR_NOMEM, "out of memory");
    if (e == ZK_OK) *res = ZK_STORE_DONE;
    return pg_end(s, r, e);
}

static zk_err pg_max(pg *s, zk_store_result *res, uint64_t *out, const char *sql) {
    PGresult *r;
    READY(s);
    zk_err e = pg_run(s, &r, "read maximum", sql, NULL);
    if (e == ZK_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        *out = (uint64_t)r_i64(r, 0, 0);
        *res = ZK_STORE_DONE;
    }
    return pg_end(s, r, e);
}

static zk_err pg_max_batch(zk_store *st, zk_store_result *res, uint64_t *batch) {
    return pg_max(P(st), res, batch, "SELECT max(batch_number) FROM batch");
}

static zk_err pg_claim_next(zk_store *st, zk_store_result *res, uint64_t *batch, const char *worker,
                            int64_t lease_ms) {
    pg *s = P(st);
    PGresult *r = NULL;
    READY(s);
    zk_err e = pg_do(s, "begin", "BEGIN", NULL);
    if (e == ZK_OK)
        e = pg_run(s, &r, "find claimable batch",
                   "SELECT batch_number FROM batch WHERE state < 2 AND (state = 0 OR lease_until "
                   "IS NULL OR lease_until <= " NOW ") ORDER BY batch_number LIMIT 1 "
                   "FOR UPDATE SKIP LOCKED",
                   NULL);
    if (e != ZK_OK) return pg_end(s, r, e);
    if (PQntuples(r) == 1) {
        int64_t b = r_i64(r, 0, 0);
        params p = {0};
        p_i64(&p, b);
        p_text(&p, worker);
        p_i64(&p, lease_ms);
        PQclear(r);
        r = NULL;
        if ((e = pg_do(s, "claim batch",
                       "UPDATE batch SET state = 1, worker = $2, lease_until = " NOW " + $3, "
                       "attempts = attempts + 1, claimed_at = " NOW " WHERE batch_number = $1",
                       &p)) != ZK_OK)
            return pg_end(s, r, e);
        *batch = (uint64_t)b;
        *res = ZK_STORE_DONE;
    } else {
        PQclear(r);
        if ((e = pg_run(s, &r, "count unproven batches",
                        "SELECT count(*) FROM batch WHERE state < 2", NULL)) != ZK_OK)
            return pg_end(s, r, e);
        *res = r_i64(r, 0, 0) ? ZK_STORE_WAIT : ZK_STORE_NONE_LEFT;
    }
    PQclear(r);
    r = NULL;
    if ((e = pg_do(s, "commit", "COMMIT", NULL)) != ZK_OK) {
        *res = ZK_STORE_NONE_LEFT;
        *batch = 0;
    }
    return pg_end(s, r, e);
}

static zk_err pg_renew_lease(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                             int64_t lease_ms) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)batch);
    p_text(&p, worker);
    p_i64(&p, lease_ms);
    zk_err e = pg_run(s, &r, "renew lease",
                      "UPDATE batch SET lease_until = " NOW " + $3 WHERE batch_number = $1 AND "
                      "state = 1 AND worker = $2",
                      &p);
    if (e == ZK_OK) *res = affected(r) == 1 ? ZK_STORE_DONE : ZK_STORE_LEASE_LOST;
    return pg_end(s, r, e);
}

static zk_err pg_release(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                         const char *reason) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)batch);
    p_text(&p, worker);
    p_text(&p, reason);
    zk_err e = pg_run(s, &r, "release batch",
                      "UPDATE batch SET state = 0, worker = NULL, lease_until = NULL, "
                      "last_error = $3 WHERE batch_number = $1 AND state = 1 AND worker = $2",
                      &p);
    if (e == ZK_OK) *res = affected(r) == 1 ? ZK_STORE_DONE : ZK_STORE_LEASE_LOST;
    return pg_end(s, r, e);
}

static zk_err pg_complete(zk_store *st, zk_store_result *res, const zk_store_proof *pf,
                          const char *worker) {
    pg *s = P(st);
    PGresult *r = NULL;
    params p = {0};
    READY(s);
    p_i64(&p, (int64_t)pf->batch_number);
    zk_err e = pg_do(s, "begin", "BEGIN", NULL);
    if (e == ZK_OK)
        e = pg_run(s, &r, "lock batch", "SELECT state FROM batch WHERE batch_number = $1 FOR UPDATE",
                   &p);
    if (e != ZK_OK) return pg_end(s, r, e);
    if (PQntuples(r) != 1 || r_i64(r, 0, 0) == ZK_BATCH_PROVEN) {
        *res = PQntuples(r) != 1 ? ZK_STORE_NOT_FOUND : ZK_STORE_ALREADY_PROVEN;
        pg_end(s, r, ZK_OK);
        pg_rollback(s); /* nothing to write */
        return ZK_OK;
    }
    PQclear(r);
    p_bytes(&p, OID_BYTEA, pf->before_root, 32);
    p_bytes(&p, OID_BYTEA, pf->after_root, 32);
    p_bytes(&p, OID_BYTEA, pf->before_cex, 32);
    p_bytes(&p, OID_BYTEA, pf->after_cex, 32);
    p_bytes(&p, OID_BYTEA, pf->commitment, 32);
    p_text(&p, worker);
    p_bytes(&p, OID_BYTEA, pf->proof, pf->proof_len);
    if ((e = pg_run(s, &r, "insert proof",
                    "INSERT INTO proof (batch_number, before_root, after_root, before_cex, "
                    "after_cex, commitment, worker, created_at, proof) VALUES ($1, $2, $3, $4, $5, "
                    "$6, $7, " NOW ", $8) ON CONFLICT (batch_number) DO NOTHING",
                    &p)) != ZK_OK)
        return pg_end(s, NULL, e);
    if (affected(r) != 1) {
        /* Cannot happen while proof and state change together under the row
         * lock; if it does, the stored proof stays as it is. */
        *res = ZK_STORE_ALREADY_PROVEN;
        pg_end(s, r, ZK_OK);
        pg_rollback(s);
        return ZK_OK;
    }
    PQclear(r);
    params q = {0};
    p_i64(&q, (int64_t)pf->batch_number);
    p_text(&q, worker);
    if ((e = pg_do(s, "mark batch proven",
                   "UPDATE batch SET state = 2, worker = $2, lease_until = NULL, proven_at = " NOW
                   " WHERE batch_number = $1",
                   &q)) != ZK_OK ||
        (e = pg_do(s, "commit", "COMMIT", NULL)) != ZK_OK)
        return pg_end(s, NULL, e);
    *res = ZK_STORE_DONE;
    return ZK_OK;
}

#define PROOF_COLS                                                                         \
    "batch_number, before_root, after_root, before_cex, after_cex, commitment, worker, "   \
    "created_at, proof"

static zk_err pg_proof_row(pg *s, zk_store_proof *p, const PGresult *r, int row) {
    uint8_t *dst[5] = {p->before_root, p->after_root, p->before_cex, p->after_cex, p->commitment};
    p->batch_number = (uint64_t)r_i64(r, row, 0);
    for (int i = 0; i < 5; i++) {
        if (PQgetlength(r, row, 1 + i) != 32)
            return zk__store_fail(&s->base, ZK_ERR_FORMAT, "proof of batch %llu: bad public value",
                                  (unsigned long long)p->batch_number);
        memcpy(dst[i], PQgetvalue(r, row, 1 + i), 32);
    }
    r_text(p->worker, sizeof p->worker, r, row, 6);
    p->created_ms = r_i64(r, row, 7);
    if (!(p->proof = (uint8_t *)r_dup(r, row, 8, &p->proof_len)))
        return zk__store_fail(&s->base, ZK_ERR_NOMEM, "out of memory");
    return ZK_OK;
}

static zk_err pg_get_proof(zk_store *st, zk_store_result *res, zk_store_proof *pf, uint64_t batch) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)batch);
    zk_err e = pg_run(s, &r, "read proof", "SELECT " PROOF_COLS " FROM proof WHERE batch_number = $1",
                      &p);
    if (e == ZK_OK && PQntuples(r) == 1 && (e = pg_proof_row(s, pf, r, 0)) == ZK_OK)
        *res = ZK_STORE_DONE;
    return pg_end(s, r, e);
}

static zk_err pg_proof_page(zk_store *st, zk_store_proof *out, size_t *n, uint64_t first) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)first);
    p_i64(&p, ZK__PAGE);
    zk_err e = pg_run(s, &r, "read proofs",
                      "SELECT " PROOF_COLS " FROM proof WHERE batch_number >= $1 "
                      "ORDER BY batch_number LIMIT $2",
                      &p);
    size_t k = 0;
    int rows = e == ZK_OK ? PQntuples(r) : 0;
    for (; e == ZK_OK && k < (size_t)rows && k < ZK__PAGE; k++) {
        memset(&out[k], 0, sizeof out[k]);
        if ((e = pg_proof_row(s, &out[k], r, (int)k)) != ZK_OK) zk_store_proof_clear(&out[k]);
    }
    if (e != ZK_OK) {
        if (k) k--; /* the failed row was cleared above */
        while (k) zk_store_proof_clear(&out[--k]);
    }
    *n = k;
    return pg_end(s, r, e);
}

/* ---- user proofs ---- */

/* Checks a row that the INSERT skipped: an identical stored row is fine. */
static zk_err pg_check_userproof(pg *s, const zk_store_userproof *u) {
    params p = {0};
    PGresult *r;
    p_i64(&p, (int64_t)u->account_index);
    p_bytes(&p, OID_TEXT, u->account_id, 64);
    p_bytes(&p, OID_TEXT, u->leaf, 64);
    p_text(&p, u->json);
    zk_err e = pg_run(s, &r, "compare user proof",
                      "SELECT account_id = $2 AND leaf = $3 AND proof = $4 FROM userproof "
                      "WHERE account_index = $1",
                      &p);
    if (e != ZK_OK) return e;
    int found = PQntuples(r) == 1, same = found && r_bool(r, 0, 0);
    PQclear(r);
    if (same) return ZK_OK;
    if (found)
        return zk__store_fail(&s->base, ZK_ERR_FORMAT,
                              "account %llu is already stored with different content",
                              (unsigned long long)u->account_index);
    params q = {0};
    p_bytes(&q, OID_TEXT, u->account_id, 64);
    if ((e = pg_run(s, &r, "find account id",
                    "SELECT account_index FROM userproof WHERE account_id = $1", &q)) != ZK_OK)
        return e;
    if (PQntuples(r) == 1)
        e = zk__store_fail(&s->base, ZK_ERR_FORMAT,
                           "account id %.64s (account %llu) is already stored as account %lld",
                           u->account_id, (unsigned long long)u->account_index,
                           (long long)r_i64(r, 0, 0));
    else
        e = zk__store_fail(&s->base, ZK_ERR_IO, "account %llu changed concurrently; retry",
                           (unsigned long long)u->account_index);
    PQclear(r);
    return e;
}

/* Inserts rows[0..n) (n <= UP_SLICE) with one multi-row INSERT, then checks
 * the rows it skipped. */
static zk_err pg_put_slice(pg *s, const zk_store_userproof *rows, size_t n) {
    size_t np = 4 * n;
    Oid *types = malloc(np * sizeof *types);
    const char **vals = malloc(np * sizeof *vals);
    int *lens = malloc(np * sizeof *lens), *fmts = malloc(np * sizeof *fmts);
    unsigned char *nums = malloc(n * 8);
    char *sql = malloc(128 + n * 48);
    uint8_t *seen = calloc(n, 1);
    PGresult *r = NULL;
    zk_err e = ZK_OK;
    if (!types || !vals || !lens || !fmts || !nums || !sql || !seen) {
        e = zk__store_fail(&s->base, ZK_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t pos = (size_t)sprintf(sql, "INSERT INTO userproof (account_index, account_id, leaf, "
                                      "proof) VALUES ");
    for (size_t i = 0; i < n; i++) {
        const zk_store_userproof *u = &rows[i];
        size_t b = 4 * i;
        put_be64(nums + 8 * i, u->account_index);
        types[b] = OID_INT8, vals[b] = (const char *)nums + 8 * i, lens[b] = 8;
        types[b + 1] = OID_TEXT, vals[b + 1] = u->account_id, lens[b + 1] = 64;
        types[b + 2] = OID_TEXT, vals[b + 2] = u->leaf, lens[b + 2] = 64;
        types[b + 3] = OID_TEXT, vals[b + 3] = u->json, lens[b + 3] = (int)strlen(u->json);
        for (int k = 0; k < 4; k++) fmts[b + k] = 1;
        pos += (size_t)sprintf(sql + pos, "%s($%zu, $%zu, $%zu, $%zu)", i ? ", " : "", b + 1,
                               b + 2, b + 3, b + 4);
    }
    strcpy(sql + pos, " ON CONFLICT DO NOTHING RETURNING account_index");
    if ((e = zk__store_step(&s->base)) != ZK_OK) goto done;
    r = PQexecParams(s->conn, sql, (int)np, types, vals, lens, fmts, 1);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        e = pg_fail_res(s, "insert user proofs", r);
        goto done;
    }
    /* Mark the inserted rows; duplicates inside the slice insert once. */
    for (int k = 0; k < PQntuples(r); k++) {
        uint64_t idx = (uint64_t)r_i64(r, k, 0);
        for (size_t i = 0; i < n; i++)
            if (!seen[i] && rows[i].account_index == idx) {
                seen[i] = 1;
                break;
            }
    }
    for (size_t i = 0; e == ZK_OK && i < n; i++)
        if (!seen[i]) e = pg_check_userproof(s, &rows[i]);
done:
    PQclear(r);
    free(types), free(vals), free(lens), free(fmts), free(nums), free(sql), free(seen);
    return e;
}

static zk_err pg_put_userproofs(zk_store *st, const zk_store_userproof *rows, size_t n) {
    pg *s = P(st);
    READY(s);
    zk_err e = pg_do(s, "begin", "BEGIN", NULL);
    for (size_t i = 0; e == ZK_OK && i < n; i += UP_SLICE)
        e = pg_put_slice(s, rows + i, n - i < UP_SLICE ? n - i : UP_SLICE);
    if (e == ZK_OK) e = pg_do(s, "commit", "COMMIT", NULL);
    return pg_end(s, NULL, e);
}

static zk_err pg_userproof_row(pg *s, zk_store_userproof *u, const PGresult *r, int row) {
    u->account_index = (uint64_t)r_i64(r, row, 0);
    r_text(u->account_id, sizeof u->account_id, r, row, 1);
    r_text(u->leaf, sizeof u->leaf, r, row, 2);
    if (!(u->json = r_dup(r, row, 3, NULL)))
        return zk__store_fail(&s->base, ZK_ERR_NOMEM, "out of memory");
    return ZK_OK;
}

static zk_err pg_get_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                               uint64_t index, const char *account_id) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    if (account_id) p_text(&p, account_id);
    else p_i64(&p, (int64_t)index);
    zk_err e = pg_run(s, &r, "read user proof",
                      account_id ? "SELECT account_index, account_id, leaf, proof FROM userproof "
                                   "WHERE account_id = $1"
                                 : "SELECT account_index, account_id, leaf, proof FROM userproof "
                                   "WHERE account_index = $1",
                      &p);
    if (e == ZK_OK && PQntuples(r) == 1 && (e = pg_userproof_row(s, row, r, 0)) == ZK_OK)
        *res = ZK_STORE_DONE;
    return pg_end(s, r, e);
}

static zk_err pg_max_userproof(zk_store *st, zk_store_result *res, uint64_t *index) {
    return pg_max(P(st), res, index, "SELECT max(account_index) FROM userproof");
}

static zk_err pg_userproof_page(zk_store *st, zk_store_userproof *out, size_t *n, uint64_t first) {
    pg *s = P(st);
    params p = {0};
    PGresult *r;
    READY(s);
    p_i64(&p, (int64_t)first);
    p_i64(&p, ZK__PAGE);
    zk_err e = pg_run(s, &r, "read user proofs",
                      "SELECT account_index, account_id, leaf, proof FROM userproof "
                      "WHERE account_index >= $1 ORDER BY account_index LIMIT $2",
                      &p);
    size_t k = 0;
    int rows = e == ZK_OK ? PQntuples(r) : 0;
    for (; e == ZK_OK && k < (size_t)rows && k < ZK__PAGE; k++) {
        memset(&out[k], 0, sizeof out[k]);
        if ((e = pg_userproof_row(s, &out[k], r, (int)k)) != ZK_OK) zk_store_userproof_clear(&out[k]);
    }
    if (e != ZK_OK) {
        if (k) k--;
        while (k) zk_store_userproof_clear(&out[--k]);
    }
    *n = k;
    return pg_end(s, r, e);
}

/* ---- status ---- */

static zk_err pg_counts(zk_store *st, zk_store_counts *c) {
    pg *s = P(st);
    PGresult *r = NULL, *r2 = NULL;
    READY(s);
    zk_err e = pg_do(s, "begin", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL);
    if (e == ZK_OK)
        e = pg_run(s, &r, "count batches",
                   "SELECT count(*), count(*) FILTER (WHERE state = 0), count(*) FILTER (WHERE "
                   "state = 1), count(*) FILTER (WHERE state = 2), count(*) FILTER (WHERE state = 1 "
                   "AND (lease_until IS NULL OR lease_until <= " NOW ")), count(*) FILTER (WHERE "
                   "attempts > 1) FROM batch",
                   NULL);
    if (e == ZK_OK)
        e = pg_run(s, &r2, "count rows",
                   "SELECT (SELECT count(*) FROM proof), (SELECT count(*) FROM userproof), "
                   "(SELECT count(*) FROM meta)",
                   NULL);
    if (e == ZK_OK) {
        uint64_t *dst[6] = {&c->batches, &c->published, &c->claimed,
                            &c->proven,  &c->expired,   &c->retried};
        for (int i = 0; i < 6; i++) *dst[i] = (uint64_t)r_i64(r, 0, i);
        c->proofs = (uint64_t)r_i64(r2, 0, 0);
        c->userproofs = (uint64_t)r_i64(r2, 0, 1);
        c->meta = (uint64_t)r_i64(r2, 0, 2);
        e = pg_do(s, "commit", "COMMIT", NULL);
    }
    PQclear(r2);
    return pg_end(s, r, e);
}

static zk_err pg_delete_all(zk_store *st) {
    pg *s = P(st);
    READY(s);
    zk_err e = pg_do(s, "begin", "BEGIN", NULL);
    if (e == ZK_OK) e = pg_do(s, "truncate", "TRUNCATE userproof, proof, batch, meta", NULL);
    if (e == ZK_OK) e = pg_do(s, "commit", "COMMIT", NULL);
    return pg_end(s, NULL, e);
}

static const zk__store_vt pg_vt = {
    "postgres",        pg_close,         pg_schema_version, pg_meta_set,     pg_meta_put_once,
    pg_meta_get,       pg_put_batch,     pg_get_batch,      pg_max_batch,    pg_claim_next,
    pg_renew_lease,    pg_release,       pg_complete,       pg_get_proof,    pg_proof_page,
    pg_put_userproofs, pg_get_userproof, pg_max_userproof,  pg_userproof_page, pg_counts,
    pg_delete_all,
};
