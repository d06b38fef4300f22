/* store backend: SQLite (embedded default; one file).
 *
 * Design: the file is in WAL mode, so readers never block the one writer and
 * several worker processes on one machine can share it; a 30 s busy timeout
 * makes writers queue for the write lock instead of failing. Every operation
 * that reads and then writes (claim, complete, put_userproofs, delete_all,
 * migrations) runs in a BEGIN IMMEDIATE transaction: it takes the write lock
 * before reading, so two claimers can never pick the same row, and a deferred
 * transaction can never fail half-way with SQLITE_BUSY when upgrading from
 * read to write. Single-statement writes are atomic on their own. Lease
 * times use this machine's clock, which all processes sharing the file
 * share. Statements are prepared per call: the costs that matter (fsync
 * per commit, blobs of up to a megabyte) dwarf preparation, and there is no
 * statement cache to keep consistent with the hook-driven fault tests. */
#include "store_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zk_store base;
    sqlite3 *db;
} sq;

#define S(st) ((sq *)(st))

static zk_err sq_fail(sq *s, const char *what) {
    return zk__store_fail(&s->base, ZK_ERR_IO, "%s: sqlite: %s (code %d)", what,
                          sqlite3_errmsg(s->db), sqlite3_extended_errcode(s->db));
}

static zk_err sq_prep(sq *s, sqlite3_stmt **stmt, const char *sql) {
    *stmt = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK) return sq_fail(s, "prepare");
    return ZK_OK;
}

/* Steps stmt; the first step of each execution is one fault-injection step.
 * Returns SQLITE_ROW, SQLITE_DONE, or 0 with *e set. */
static int sq_step(sq *s, sqlite3_stmt *stmt, zk_err *e, const char *what) {
    if (!sqlite3_stmt_busy(stmt) && (*e = zk__store_step(&s->base)) != ZK_OK) return 0;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
    *e = sq_fail(s, what);
    return 0;
}

/* Runs SQL without results (one fault-injection step). */
static zk_err sq_exec(sq *s, const char *sql, const char *what) {
    zk_err e = zk__store_step(&s->base);
    if (e != ZK_OK) return e;
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(s, what);
    return ZK_OK;
}

/* Ends an open transaction after a failure; never a fault-injection step. */
static void sq_rollback(sq *s) {
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static zk_err sq_finish(sq *s, sqlite3_stmt **stmts, size_t n, zk_err e) {
    for (size_t i = 0; i < n; i++) sqlite3_finalize(stmts[i]);
    if (e != ZK_OK) sq_rollback(s);
    return e;
}

static zk_err sq_commit(sq *s) { return sq_exec(s, "COMMIT", "commit"); }

static void *dup_blob(const void *p, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, p, n);
    d[n] = 0;
    return d;
}

static void col_text(char *out, size_t cap, sqlite3_stmt *st, int col) {
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(out, t, n);
    out[n] = 0;
}

/* ---- lifecycle and schema ---- */

static void sq_close(zk_store *st) {
    sqlite3_close(S(st)->db);
    free(st);
}

static zk_err sq_migrate(sq *s) {
    sqlite3_stmt *q = NULL;
    zk_err e;
    int rc;
    int64_t cur = 0;
    const zk__migration *last = &zk__migrations[zk__n_migrations - 1];
    if ((e = sq_exec(s, "BEGIN IMMEDIATE", "begin")) != ZK_OK) return e;
    if ((e = sq_exec(s,
                     "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                     "create schema_version")) != ZK_OK)
        return sq_finish(s, NULL, 0, e);
    if ((e = sq_prep(s, &q, "SELECT coalesce(max(version), 0) FROM schema_version")) != ZK_OK)
        return sq_finish(s, NULL, 0, e);
    if (!(rc = sq_step(s, q, &e, "read schema_version"))) return sq_finish(s, &q, 1, e);
    cur = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (cur > last->version) {
        e = zk__store_fail(&s->base, ZK_ERR_FORMAT,
                           "the store has schema version %lld, newer than this zkpos knows (%d); "
                           "use a newer zkpos",
                           (long long)cur, last->version);
        return sq_finish(s, NULL, 0, e);
    }
    for (size_t i = 0; i < zk__n_migrations; i++) {
        const zk__migration *m = &zk__migrations[i];
        if (m->version <= cur) continue;
        char what[96];
        snprintf(what, sizeof what, "migration %d", m->version);
        if ((e = sq_exec(s, m->sqlite_sql, what)) != ZK_OK) return sq_finish(s, NULL, 0, e);
        if ((e = sq_prep(s, &q, "INSERT INTO schema_version VALUES (?1, ?2, ?3)")) != ZK_OK)
            return sq_finish(s, NULL, 0, e);
        sqlite3_bind_int(q, 1, m->version);
        sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, zk__now_ms());
        if (!sq_step(s, q, &e, what)) return sq_finish(s, &q, 1, e);
        sqlite3_finalize(q);
        q = NULL;
    }
    if ((e = sq_commit(s)) != ZK_OK) return sq_finish(s, NULL, 0, e);
    return ZK_OK;
}

static const zk__store_vt sq_vt;

zk_err zk__sqlite_open(zk_store **out, char *err, size_t errlen, const char *path) {
    sq *s = calloc(1, sizeof *s);
    zk_err e;
    *out = NULL;
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return ZK_ERR_NOMEM;
    }
    s->base.vt = &sq_vt;
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open SQLite store '%s': %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        free(s);
        return ZK_ERR_IO;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 30000);
    sqlite3_stmt *q = NULL;
    char mode[16] = "";
    e = sq_prep(s, &q, "PRAGMA journal_mode=WAL");
    if (e == ZK_OK && sq_step(s, q, &e, "set WAL mode") == SQLITE_ROW) col_text(mode, sizeof mode, q, 0);
    sqlite3_finalize(q);
    if (e == ZK_OK && strcmp(mode, "wal") && strcmp(mode, "memory"))
        e = zk__store_fail(&s->base, ZK_ERR_IO, "cannot switch to WAL mode (journal mode '%s')", mode);
    if (e == ZK_OK)
        e = sq_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL", "set pragmas");
    if (e == ZK_OK) e = sq_migrate(s);
    if (e != ZK_OK) {
        snprintf(err, errlen, "SQLite store '%s': %s", path, s->base.msg);
        sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return ZK_OK;
}

static zk_err sq_schema_version(zk_store *st, int *version) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q, "SELECT coalesce(max(version), 0) FROM schema_version");
    if (e != ZK_OK) return e;
    if (sq_step(s, q, &e, "read schema_version")) *version = sqlite3_column_int(q, 0);
    return sq_finish(s, &q, 1, e);
}

/* ---- meta ---- */

static zk_err sq_meta_set(zk_store *st, const char *key, const void *v, size_t len) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       "INSERT INTO meta (key, updated_at, value) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                       "updated_at = excluded.updated_at");
    if (e != ZK_OK) return e;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, zk__now_ms());
    sqlite3_bind_blob64(q, 3, v, len, SQLITE_STATIC);
    sq_step(s, q, &e, "write meta");
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_meta_put_once(zk_store *st, zk_store_result *res, const char *key, const void *v,
                               size_t len) {
    sq *s = S(st);
    sqlite3_stmt *q[2] = {0};
    zk_err e = sq_prep(s, &q[0],
                       "INSERT INTO meta (key, updated_at, value) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (key) DO NOTHING");
    if (e != ZK_OK) return e;
    sqlite3_bind_text(q[0], 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q[0], 2, zk__now_ms());
    sqlite3_bind_blob64(q[0], 3, v, len, SQLITE_STATIC);
    if (!sq_step(s, q[0], &e, "write meta")) return sq_finish(s, q, 2, e);
    if (sqlite3_changes(s->db) == 1) {
        *res = ZK_STORE_DONE;
        return sq_finish(s, q, 2, e);
    }
    if ((e = sq_prep(s, &q[1], "SELECT value = ?2 FROM meta WHERE key = ?1")) != ZK_OK)
        return sq_finish(s, q, 2, e);
    sqlite3_bind_text(q[1], 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(q[1], 2, v, len, SQLITE_STATIC);
    int rc = sq_step(s, q[1], &e, "compare meta");
    if (rc == SQLITE_ROW && sqlite3_column_int(q[1], 0)) *res = ZK_STORE_UNCHANGED;
    else if (rc == SQLITE_ROW)
        e = zk__store_fail(st, ZK_ERR_FORMAT, "meta key '%s' is already set to a different value",
                           key);
    else if (rc == SQLITE_DONE)
        e = zk__store_fail(st, ZK_ERR_IO, "meta key '%s' changed concurrently; retry", key);
    return sq_finish(s, q, 2, e);
}

static zk_err sq_meta_get(zk_store *st, zk_store_result *res, char **v, size_t *len,
                          const char *key) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q, "SELECT value FROM meta WHERE key = ?1");
    if (e != ZK_OK) return e;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    if (sq_step(s, q, &e, "read meta") == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(q, 0);
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        if (!(*v = dup_blob(p, n))) e = zk__store_fail(st, ZK_ERR_NOMEM, "out of memory");
        else {
            *len = n;
            *res = ZK_STORE_DONE;
        }
    }
    return sq_finish(s, &q, 1, e);
}

/* ---- batches ---- */

static zk_err sq_put_batch(zk_store *st, zk_store_result *res, uint64_t batch, const void *w,
                           size_t len) {
    sq *s = S(st);
    sqlite3_stmt *q[2] = {0};
    zk_err e = sq_prep(s, &q[0],
                       "INSERT INTO batch (batch_number, state, attempts, created_at, witness) "
                       "VALUES (?1, 0, 0, ?2, ?3) ON CONFLICT (batch_number) DO NOTHING");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q[0], 1, (int64_t)batch);
    sqlite3_bind_int64(q[0], 2, zk__now_ms());
    sqlite3_bind_blob64(q[0], 3, w, len, SQLITE_STATIC);
    if (!sq_step(s, q[0], &e, "insert batch")) return sq_finish(s, q, 2, e);
    if (sqlite3_changes(s->db) == 1) {
        *res = ZK_STORE_DONE;
        return sq_finish(s, q, 2, e);
    }
    if ((e = sq_prep(s, &q[1],
                     "SELECT witness = ?2, length(witness) FROM batch WHERE batch_number = ?1")) !=
        ZK_OK)
        return sq_finish(s, q, 2, e);
    sqlite3_bind_int64(q[1], 1, (int64_t)batch);
    sqlite3_bind_blob64(q[1], 2, w, len, SQLITE_STATIC);
    int rc = sq_step(s, q[1], &e, "compare batch");
    if (rc == SQLITE_ROW && sqlite3_column_int(q[1], 0)) *res = ZK_STORE_UNCHANGED;
    else if (rc == SQLITE_ROW)
        e = zk__store_fail(st, ZK_ERR_FORMAT,
                           "batch %llu is already stored with a different witness (%lld bytes "
                           "stored, %zu given)",
                           (unsigned long long)batch, (long long)sqlite3_column_int64(q[1], 1), len);
    else if (rc == SQLITE_DONE)
        e = zk__store_fail(st, ZK_ERR_IO, "batch %llu changed concurrently; retry",
                           (unsigned long long)batch);
    return sq_finish(s, q, 2, e);
}

static zk_err sq_get_batch(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                           uint8_t **w, size_t *len, uint64_t batch) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       w ? "SELECT state, worker, lease_until, attempts, last_error, created_at, "
                           "claimed_at, proven_at, length(witness), witness FROM batch "
                           "WHERE batch_number = ?1"
                         : "SELECT state, worker, lease_until, attempts, last_error, created_at, "
                           "claimed_at, proven_at, length(witness) FROM batch "
                           "WHERE batch_number = ?1");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)batch);
    if (sq_step(s, q, &e, "read batch") == SQLITE_ROW) {
        if (info) {
            info->batch_number = batch;
            info->state = (zk_batch_state)sqlite3_column_int(q, 0);
            col_text(info->worker, sizeof info->worker, q, 1);
            info->lease_until_ms = sqlite3_column_int64(q, 2);
            info->attempts = (uint32_t)sqlite3_column_int64(q, 3);
            col_text(info->last_error, sizeof info->last_error, q, 4);
            info->created_ms = sqlite3_column_int64(q, 5);
            info->claimed_ms = sqlite3_column_int64(q, 6);
            info->proven_ms = sqlite3_column_int64(q, 7);
            info->witness_len = (uint64_t)sqlite3_column_int64(q, 8);
            info->now_ms = zk__now_ms();
        }
        if (w) {
            size_t n = (size_t)sqlite3_column_bytes(q, 9);
            if (!(*w = dup_blob(sqlite3_column_blob(q, 9), n)))
                e = zk__store_fail(st, ZK_ERR_NOMEM, "out of memory");
            else *len = n;
        }
        if (e == ZK_OK) *res = ZK_STORE_DONE;
    }
    return sq_finish(s, &q, 1, e);
}

/* SELECT of one nullable integer: *res = DONE with *out, or NOT_FOUND on NULL. */
static zk_err sq_max(sq *s, zk_store_result *res, uint64_t *out, const char *sql) {
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q, sql);
    if (e != ZK_OK) return e;
    if (sq_step(s, q, &e, "read maximum") == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        *out = (uint64_t)sqlite3_column_int64(q, 0);
        *res = ZK_STORE_DONE;
    }
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_max_batch(zk_store *st, zk_store_result *res, uint64_t *batch) {
    return sq_max(S(st), res, batch, "SELECT max(batch_number) FROM batch");
}

static zk_err sq_claim_next(zk_store *st, zk_store_result *res, uint64_t *batch, const char *worker,
                            int64_t lease_ms) {
    sq *s = S(st);
    sqlite3_stmt *q[2] = {0};
    zk_err e = sq_exec(s, "BEGIN IMMEDIATE", "begin");
    if (e != ZK_OK) return sq_finish(s, q, 2, e);
    int64_t now = zk__now_ms(); /* after the lock: the wait for it must not age the lease */
    if ((e = sq_prep(s, &q[0],
                     "SELECT batch_number FROM batch WHERE state < 2 AND (state = 0 OR "
                     "lease_until IS NULL OR lease_until <= ?1) ORDER BY batch_number LIMIT 1")) !=
        ZK_OK)
        return sq_finish(s, q, 2, e);
    sqlite3_bind_int64(q[0], 1, now);
    int rc = sq_step(s, q[0], &e, "find claimable batch");
    if (!rc) return sq_finish(s, q, 2, e);
    if (rc == SQLITE_ROW) {
        int64_t b = sqlite3_column_int64(q[0], 0);
        if ((e = sq_prep(s, &q[1],
                         "UPDATE batch SET state = 1, worker = ?2, lease_until = ?3, "
                         "attempts = attempts + 1, claimed_at = ?4 WHERE batch_number = ?1")) != ZK_OK)
            return sq_finish(s, q, 2, e);
        sqlite3_bind_int64(q[1], 1, b);
        sqlite3_bind_text(q[1], 2, worker, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q[1], 3, now + lease_ms);
        sqlite3_bind_int64(q[1], 4, now);
        if (!sq_step(s, q[1], &e, "claim batch")) return sq_finish(s, q, 2, e);
        *batch = (uint64_t)b;
        *res = ZK_STORE_DONE;
    } else {
        if ((e = sq_prep(s, &q[1], "SELECT count(*) FROM batch WHERE state < 2")) != ZK_OK)
            return sq_finish(s, q, 2, e);
        if (!sq_step(s, q[1], &e, "count unproven batches")) return sq_finish(s, q, 2, e);
        *res = sqlite3_column_int64(q[1], 0) ? ZK_STORE_WAIT : ZK_STORE_NONE_LEFT;
    }
    e = sq_commit(s);
    if (e != ZK_OK) *res = ZK_STORE_NONE_LEFT;
    return sq_finish(s, q, 2, e);
}

static zk_err sq_renew_lease(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                             int64_t lease_ms) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       "UPDATE batch SET lease_until = ?3 WHERE batch_number = ?1 AND state = 1 "
                       "AND worker = ?2");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)batch);
    sqlite3_bind_text(q, 2, worker, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, zk__now_ms() + lease_ms);
    if (sq_step(s, q, &e, "renew lease"))
        *res = sqlite3_changes(s->db) == 1 ? ZK_STORE_DONE : ZK_STORE_LEASE_LOST;
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_release(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                         const char *reason) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       "UPDATE batch SET state = 0, worker = NULL, lease_until = NULL, "
                       "last_error = ?3 WHERE batch_number = ?1 AND state = 1 AND worker = ?2");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)batch);
    sqlite3_bind_text(q, 2, worker, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, reason, -1, SQLITE_STATIC);
    if (sq_step(s, q, &e, "release batch"))
        *res = sqlite3_changes(s->db) == 1 ? ZK_STORE_DONE : ZK_STORE_LEASE_LOST;
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_complete(zk_store *st, zk_store_result *res, const zk_store_proof *p,
                          const char *worker) {
    sq *s = S(st);
    sqlite3_stmt *q[3] = {0};
    int64_t b = (int64_t)p->batch_number;
    zk_err e = sq_exec(s, "BEGIN IMMEDIATE", "begin");
    if (e != ZK_OK) return sq_finish(s, q, 3, e);
    int64_t now = zk__now_ms();
    if ((e = sq_prep(s, &q[0], "SELECT state FROM batch WHERE batch_number = ?1")) != ZK_OK)
        return sq_finish(s, q, 3, e);
    sqlite3_bind_int64(q[0], 1, b);
    int rc = sq_step(s, q[0], &e, "read batch");
    if (!rc) return sq_finish(s, q, 3, e);
    if (rc == SQLITE_DONE || sqlite3_column_int(q[0], 0) == ZK_BATCH_PROVEN) {
        /* Nothing to write: end the transaction without a commit step. */
        *res = rc == SQLITE_DONE ? ZK_STORE_NOT_FOUND : ZK_STORE_ALREADY_PROVEN;
        sqlite3_finalize(q[0]);
        q[0] = NULL;
        sq_rollback(s);
        return ZK_OK;
    }
    if ((e = sq_prep(s, &q[1],
                     "INSERT INTO proof (batch_number, before_root, after_root, before_cex, "
                     "after_cex, commitment, worker, created_at, proof) VALUES "
                     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (batch_number) DO NOTHING")) !=
        ZK_OK)
        return sq_finish(s, q, 3, e);
    sqlite3_bind_int64(q[1], 1, b);
    sqlite3_bind_blob(q[1], 2, p->before_root, 32, SQLITE_STATIC);
    sqlite3_bind_blob(q[1], 3, p->after_root, 32, SQLITE_STATIC);
    sqlite3_bind_blob(q[1], 4, p->before_cex, 32, SQLITE_STATIC);
    sqlite3_bind_blob(q[1], 5, p->after_cex, 32, SQLITE_STATIC);
    sqlite3_bind_blob(q[1], 6, p->commitment, 32, SQLITE_STATIC);
    sqlite3_bind_text(q[1], 7, worker, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q[1], 8, now);
    sqlite3_bind_blob64(q[1], 9, p->proof, p->proof_len, SQLITE_STATIC);
    if (!sq_step(s, q[1], &e, "insert proof")) return sq_finish(s, q, 3, e);
    if (sqlite3_changes(s->db) != 1) {
        /* Cannot happen while proof and state change together under the
         * write lock; if it does, the stored proof stays as it is. */
        *res = ZK_STORE_ALREADY_PROVEN;
        sq_finish(s, q, 3, ZK_OK);
        sq_rollback(s);
        return ZK_OK;
    }
    *res = ZK_STORE_DONE;
    if ((e = sq_prep(s, &q[2],
                     "UPDATE batch SET state = 2, worker = ?2, lease_until = NULL, "
                     "proven_at = ?3 WHERE batch_number = ?1")) != ZK_OK)
        return sq_finish(s, q, 3, e);
    sqlite3_bind_int64(q[2], 1, b);
    sqlite3_bind_text(q[2], 2, worker, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q[2], 3, now);
    if (!sq_step(s, q[2], &e, "mark batch proven")) return sq_finish(s, q, 3, e);
    e = sq_commit(s);
    return sq_finish(s, q, 3, e);
}

#define PROOF_COLS                                                                         \
    "batch_number, before_root, after_root, before_cex, after_cex, commitment, worker, "   \
    "created_at, proof"

/* Fills p from a row of PROOF_COLS. */
static zk_err sq_proof_row(sq *s, zk_store_proof *p, sqlite3_stmt *q) {
    uint8_t *dst[5] = {p->before_root, p->after_root, p->before_cex, p->after_cex, p->commitment};
    p->batch_number = (uint64_t)sqlite3_column_int64(q, 0);
    for (int i = 0; i < 5; i++) {
        if (sqlite3_column_bytes(q, 1 + i) != 32)
            return zk__store_fail(&s->base, ZK_ERR_FORMAT, "proof of batch %llu: bad public value",
                                  (unsigned long long)p->batch_number);
        memcpy(dst[i], sqlite3_column_blob(q, 1 + i), 32);
    }
    col_text(p->worker, sizeof p->worker, q, 6);
    p->created_ms = sqlite3_column_int64(q, 7);
    size_t n = (size_t)sqlite3_column_bytes(q, 8);
    if (!(p->proof = dup_blob(sqlite3_column_blob(q, 8), n)))
        return zk__store_fail(&s->base, ZK_ERR_NOMEM, "out of memory");
    p->proof_len = n;
    return ZK_OK;
}

static zk_err sq_get_proof(zk_store *st, zk_store_result *res, zk_store_proof *p, uint64_t batch) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q, "SELECT " PROOF_COLS " FROM proof WHERE batch_number = ?1");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)batch);
    if (sq_step(s, q, &e, "read proof") == SQLITE_ROW && (e = sq_proof_row(s, p, q)) == ZK_OK)
        *res = ZK_STORE_DONE;
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_proof_page(zk_store *st, zk_store_proof *out, size_t *n, uint64_t first) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       "SELECT " PROOF_COLS " FROM proof WHERE batch_number >= ?1 "
                       "ORDER BY batch_number LIMIT ?2");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)first);
    sqlite3_bind_int(q, 2, ZK__PAGE);
    size_t k = 0;
    int rc;
    while (k < ZK__PAGE && (rc = sq_step(s, q, &e, "read proofs")) == SQLITE_ROW) {
        memset(&out[k], 0, sizeof out[k]);
        if ((e = sq_proof_row(s, &out[k], q)) != ZK_OK) {
            zk_store_proof_clear(&out[k]);
            break;
        }
        k++;
    }
    if (e != ZK_OK)
        while (k) zk_store_proof_clear(&out[--k]);
    *n = k;
    return sq_finish(s, &q, 1, e);
}

/* ---- user proofs ---- */

static zk_err sq_put_userproofs(zk_store *st, const zk_store_userproof *rows, size_t n) {
    sq *s = S(st);
    sqlite3_stmt *q[3] = {0};
    zk_err e = sq_exec(s, "BEGIN IMMEDIATE", "begin");
    if (e != ZK_OK) return sq_finish(s, q, 3, e);
    if ((e = sq_prep(s, &q[0],
                     "INSERT INTO userproof (account_index, account_id, leaf, proof) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")) != ZK_OK ||
        (e = sq_prep(s, &q[1],
                     "SELECT account_id = ?2 AND leaf = ?3 AND proof = ?4 FROM userproof "
                     "WHERE account_index = ?1")) != ZK_OK ||
        (e = sq_prep(s, &q[2], "SELECT account_index FROM userproof WHERE account_id = ?1")) !=
            ZK_OK)
        return sq_finish(s, q, 3, e);
    for (size_t i = 0; i < n; i++) {
        const zk_store_userproof *r = &rows[i];
        sqlite3_reset(q[0]);
        sqlite3_bind_int64(q[0], 1, (int64_t)r->account_index);
        sqlite3_bind_text(q[0], 2, r->account_id, 64, SQLITE_STATIC);
        sqlite3_bind_text(q[0], 3, r->leaf, 64, SQLITE_STATIC);
        sqlite3_bind_text(q[0], 4, r->json, -1, SQLITE_STATIC);
        if (!sq_step(s, q[0], &e, "insert user proof")) return sq_finish(s, q, 3, e);
        if (sqlite3_changes(s->db) == 1) continue;
        /* Already there: accept an identical row, refuse anything else. */
        sqlite3_reset(q[1]);
        sqlite3_bind_int64(q[1], 1, (int64_t)r->account_index);
        sqlite3_bind_text(q[1], 2, r->account_id, 64, SQLITE_STATIC);
        sqlite3_bind_text(q[1], 3, r->leaf, 64, SQLITE_STATIC);
        sqlite3_bind_text(q[1], 4, r->json, -1, SQLITE_STATIC);
        int rc = sq_step(s, q[1], &e, "compare user proof");
        if (!rc) return sq_finish(s, q, 3, e);
        if (rc == SQLITE_ROW && sqlite3_column_int(q[1], 0)) continue;
        if (rc == SQLITE_ROW) {
            e = zk__store_fail(st, ZK_ERR_FORMAT,
                               "account %llu is already stored with different content",
                               (unsigned long long)r->account_index);
            return sq_finish(s, q, 3, e);
        }
        sqlite3_reset(q[2]);
        sqlite3_bind_text(q[2], 1, r->account_id, 64, SQLITE_STATIC);
        rc = sq_step(s, q[2], &e, "find account id");
        if (!rc) return sq_finish(s, q, 3, e);
        if (rc == SQLITE_ROW)
            e = zk__store_fail(st, ZK_ERR_FORMAT,
                               "account id %s (account %llu) is already stored as account %lld",
                               r->account_id, (unsigned long long)r->account_index,
                               (long long)sqlite3_column_int64(q[2], 0));
        else
            e = zk__store_fail(st, ZK_ERR_IO, "account %llu changed concurrently; retry",
                               (unsigned long long)r->account_index);
        return sq_finish(s, q, 3, e);
    }
    e = sq_commit(s);
    return sq_finish(s, q, 3, e);
}

static zk_err sq_userproof_row(sq *s, zk_store_userproof *r, sqlite3_stmt *q) {
    r->account_index = (uint64_t)sqlite3_column_int64(q, 0);
    col_text(r->account_id, sizeof r->account_id, q, 1);
    col_text(r->leaf, sizeof r->leaf, q, 2);
    if (!(r->json = dup_blob(sqlite3_column_text(q, 3), (size_t)sqlite3_column_bytes(q, 3))))
        return zk__store_fail(&s->base, ZK_ERR_NOMEM, "out of memory");
    return ZK_OK;
}

static zk_err sq_get_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                               uint64_t index, const char *account_id) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       account_id ? "SELECT account_index, account_id, leaf, proof FROM userproof "
                                    "WHERE account_id = ?1"
                                  : "SELECT account_index, account_id, leaf, proof FROM userproof "
                                    "WHERE account_index = ?1");
    if (e != ZK_OK) return e;
    if (account_id) sqlite3_bind_text(q, 1, account_id, -1, SQLITE_STATIC);
    else sqlite3_bind_int64(q, 1, (int64_t)index);
    if (sq_step(s, q, &e, "read user proof") == SQLITE_ROW &&
        (e = sq_userproof_row(s, row, q)) == ZK_OK)
        *res = ZK_STORE_DONE;
    return sq_finish(s, &q, 1, e);
}

static zk_err sq_max_userproof(zk_store *st, zk_store_result *res, uint64_t *index) {
    return sq_max(S(st), res, index, "SELECT max(account_index) FROM userproof");
}

static zk_err sq_userproof_page(zk_store *st, zk_store_userproof *out, size_t *n, uint64_t first) {
    sq *s = S(st);
    sqlite3_stmt *q;
    zk_err e = sq_prep(s, &q,
                       "SELECT account_index, account_id, leaf, proof FROM userproof "
                       "WHERE account_index >= ?1 ORDER BY account_index LIMIT ?2");
    if (e != ZK_OK) return e;
    sqlite3_bind_int64(q, 1, (int64_t)first);
    sqlite3_bind_int(q, 2, ZK__PAGE);
    size_t k = 0;
    while (k < ZK__PAGE && sq_step(s, q, &e, "read user proofs") == SQLITE_ROW) {
        memset(&out[k], 0, sizeof out[k]);
        if ((e = sq_userproof_row(s, &out[k], q)) != ZK_OK) {
            zk_store_userproof_clear(&out[k]);
            break;
        }
        k++;
    }
    if (e != ZK_OK)
        while (k) zk_store_userproof_clear(&out[--k]);
    *n = k;
    return sq_finish(s, &q, 1, e);
}

/* ---- status ---- */

static zk_err sq_counts(zk_store *st, zk_store_counts *c) {
    sq *s = S(st);
    sqlite3_stmt *q[2] = {0};
    zk_err e = sq_exec(s, "BEGIN", "begin"); /* one read snapshot for all counts */
    if (e != ZK_OK) return sq_finish(s, q, 2, e);
    if ((e = sq_prep(s, &q[0],
                     "SELECT count(*), coalesce(sum(state = 0), 0), coalesce(sum(state = 1), 0), "
                     "coalesce(sum(state = 2), 0), coalesce(sum(state = 1 AND (lease_until IS "
                     "NULL OR lease_until <= ?1)), 0), coalesce(sum(attempts > 1), 0) FROM batch")) !=
            ZK_OK ||
        (e = sq_prep(s, &q[1],
                     "SELECT (SELECT count(*) FROM proof), (SELECT count(*) FROM userproof), "
                     "(SELECT count(*) FROM meta)")) != ZK_OK)
        return sq_finish(s, q, 2, e);
    sqlite3_bind_int64(q[0], 1, zk__now_ms());
    if (!sq_step(s, q[0], &e, "count batches") || !sq_step(s, q[1], &e, "count rows"))
        return sq_finish(s, q, 2, e);
    uint64_t *dst[6] = {&c->batches, &c->published, &c->claimed, &c->proven, &c->expired, &c->retried};
    for (int i = 0; i < 6; i++) *dst[i] = (uint64_t)sqlite3_column_int64(q[0], i);
    c->proofs = (uint64_t)sqlite3_column_int64(q[1], 0);
    c->userproofs = (uint64_t)sqlite3_column_int64(q[1], 1);
    c->meta = (uint64_t)sqlite3_column_int64(q[1], 2);
    e = sq_commit(s);
    return sq_finish(s, q, 2, e);
}

static zk_err sq_delete_all(zk_store *st) {
    sq *s = S(st);
    static const char *const del[] = {"DELETE FROM userproof", "DELETE FROM proof",
                                      "DELETE FROM batch", "DELETE FROM meta"};
    zk_err e = sq_exec(s, "BEGIN IMMEDIATE", "begin");
    for (size_t i = 0; e == ZK_OK && i < 4; i++) e = sq_exec(s, del[i], del[i]);
    if (e == ZK_OK) e = sq_commit(s);
    return sq_finish(s, NULL, 0, e);
}

static const zk__store_vt sq_vt = {
    "sqlite",          sq_close,         sq_schema_version, sq_meta_set,     sq_meta_put_once,
    sq_meta_get,       sq_put_batch,     sq_get_batch,      sq_max_batch,    sq_claim_next,
    sq_renew_lease,    sq_release,       sq_complete,       sq_get_proof,    sq_proof_page,
    sq_put_userproofs, sq_get_userproof, sq_max_userproof,  sq_userproof_page, sq_counts,
    sq_delete_all,
};
