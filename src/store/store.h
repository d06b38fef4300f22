/* store: the durable state of a proof-of-solvency run — batch witnesses, the
 * claims of prover workers on them, batch proofs, user proofs and a few
 * named values (run configuration, CEX assets, final root).
 *
 *   zkpos witness    put_batch (idempotent: a restarted generator resumes
 *                    after max_batch without duplicates)
 *   zkpos prove      claim_next -> [renew_lease ...] -> complete | release
 *   zkpos userproof  put_userproofs in chunks (resumes after max_userproof)
 *   zkpos publish    each_proof, meta_get;  zkpos db  counts, get_*, delete_all
 *
 * Design (as SQLite does with its VFS): every operation goes through a small
 * table of function pointers, implemented by two real backends chosen by the
 * URL given to zk_store_open:
 *   - SQLite (a file path or sqlite://PATH): one file in WAL mode with a busy
 *     timeout; every write is one transaction, claims take the write lock
 *     first (BEGIN IMMEDIATE), so several worker processes on one machine
 *     may share the file.
 *   - PostgreSQL (postgres://… or postgresql://…, libpq connection URIs):
 *     for workers on many machines; claims use SELECT … FOR UPDATE SKIP
 *     LOCKED in a transaction, lease times come from the server's clock.
 * and by a fault-injecting wrapper (zk_store_faulty_open) that tests use to
 * show that callers lose nothing and that no operation is ever half-written.
 *
 * What Binance's services got wrong and this layer fixes (spec §5, §10, §11):
 * a prover that dies leaves its row "received" forever and a manual
 * `prover -rerun` pass is needed. Here a claim is a lease: the row records
 * the worker id and lease_until; a worker renews while it proves; once the
 * lease has run out any worker may claim the batch again. A late completion
 * by the worker that lost its lease cannot duplicate anything: the proof
 * table is keyed by batch number, the first proof stored wins and every later
 * completion gets ZK_STORE_ALREADY_PROVEN (proofs are checked by the caller
 * before they are stored, so whichever valid proof arrives first is as good).
 *
 * Contract: a handle is used by one thread at a time and never across fork()
 * (a child opens its own). Every function returning zk_err sets a message,
 * retrievable with zk_store_errmsg, naming the operation and what failed.
 * Error codes: ZK_ERR_ARG (invalid argument, bad URL), ZK_ERR_IO (the
 * database failed: unreachable, locked, I/O, an injected fault), ZK_ERR_FORMAT
 * (content conflicts with what is stored, or the schema is newer than this
 * program), ZK_ERR_NOMEM. Outcomes that are not errors (not found, nothing
 * left to claim, already proven, ...) come back as a zk_store_result. */
#ifndef ZKPOS_STORE_H
#define ZKPOS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

typedef struct zk_store zk_store;

#define ZK_STORE_SCHEMA_VERSION 1  /* schema this program creates and reads */
#define ZK_STORE_WORKER_MAX 64     /* worker id: 1..64 printable ASCII bytes, no space */
#define ZK_STORE_KEY_MAX 128       /* meta key: 1..128 printable ASCII bytes, no space */
#define ZK_STORE_REASON_MAX 255    /* release reason: longer text is cut */
#define ZK_STORE_BLOB_MAX (512u << 20) /* witness, proof, meta value, user-proof JSON */
#define ZK_STORE_CRASH_EXIT 86     /* exit status of a process crashed by a fault plan */

typedef enum {
    ZK_BATCH_PUBLISHED = 0, /* witness stored, waiting for a prover */
    ZK_BATCH_CLAIMED = 1,   /* a worker holds a lease on it (maybe expired) */
    ZK_BATCH_PROVEN = 2,    /* its proof is stored */
} zk_batch_state;

typedef enum {
    ZK_STORE_DONE = 0,       /* the operation took effect / the row was found */
    ZK_STORE_UNCHANGED,      /* put: an identical value was already stored */
    ZK_STORE_NOT_FOUND,      /* no such row */
    ZK_STORE_NONE_LEFT,      /* claim: no batch is published or claimed (all proven, or none yet) */
    ZK_STORE_WAIT,           /* claim: every unproven batch is claimed under a live lease */
    ZK_STORE_ALREADY_PROVEN, /* complete: a proof for this batch was stored first; ours is dropped */
    ZK_STORE_LEASE_LOST,     /* renew/release: the batch is not claimed by this worker (any more) */
} zk_store_result;

/* Static name of a result ("done", "unchanged", "not-found", ...). */
const char *zk_store_result_name(zk_store_result r);
/* Static name of a batch state ("published", "claimed", "proven"). */
const char *zk_store_state_name(zk_batch_state s);

/* ------------------------------------------------------------------ */
/* Opening                                                              */

/* Opens (creating if needed, and migrating the schema to
 * ZK_STORE_SCHEMA_VERSION) the store named by url:
 *   "PATH" or "sqlite://PATH"   SQLite file (sqlite:///abs/path, sqlite://rel/path)
 *   "postgres://…", "postgresql://…"  PostgreSQL (libpq URI: user, password,
 *                               host, port, database, ?options; a
 *                               connect_timeout of 10 s unless given)
 * On failure *st is still set (unless it is NULL for lack of memory) so that
 * zk_store_errmsg(*st) explains; the caller closes it in every case. */
ZK_WUR zk_err zk_store_open(zk_store **st, const char *url);
void zk_store_close(zk_store *st); /* NULL is fine */
/* Message of the last failed operation on st ("" if none); NULL st gives
 * "out of memory". Valid until the next operation on st. */
const char *zk_store_errmsg(const zk_store *st);
/* "sqlite", "postgres" or "faulty" (a fault-injecting wrapper). */
const char *zk_store_backend(const zk_store *st);
/* Schema version recorded in the store (schema_version table). */
ZK_WUR zk_err zk_store_schema_version(zk_store *st, int *version);

/* A worker id unique enough across machines and processes:
 * "<hostname>-<pid>-<8 random hex digits>" (hostname cut to 40 bytes,
 * characters outside [A-Za-z0-9._-] replaced by '_'). */
ZK_WUR zk_err zk_store_worker_id(char out[ZK_STORE_WORKER_MAX + 1]);

/* ------------------------------------------------------------------ */
/* Named values (meta table: key -> blob)                               */

/* Sets key to value (replacing any earlier value). len may be 0. */
ZK_WUR zk_err zk_store_meta_set(zk_store *st, const char *key, const void *value, size_t len);
/* Sets key only if unset: *res = DONE (stored) or UNCHANGED (the same value
 * was there); a different stored value is ZK_ERR_FORMAT. For values that
 * must not change during a run (its configuration). */
ZK_WUR zk_err zk_store_meta_put_once(zk_store *st, zk_store_result *res, const char *key,
                                     const void *value, size_t len);
/* *res = DONE with *value (malloc'd, NUL-terminated after len bytes; free())
 * or NOT_FOUND with *value = NULL. */
ZK_WUR zk_err zk_store_meta_get(zk_store *st, zk_store_result *res, char **value, size_t *len,
                                const char *key);

/* ------------------------------------------------------------------ */
/* Batches and claims                                                   */

typedef struct {
    uint64_t batch_number;
    zk_batch_state state;
    uint32_t attempts;       /* number of claims so far */
    int64_t lease_until_ms;  /* claimed: end of the lease (ms since 1970, the store's clock); else 0 */
    int64_t now_ms;          /* the store's clock when this was read */
    int64_t created_ms, claimed_ms, proven_ms; /* 0 when not (yet) */
    uint64_t witness_len;
    char worker[ZK_STORE_WORKER_MAX + 1];      /* claimed: holder; proven: who stored the proof */
    char last_error[ZK_STORE_REASON_MAX + 1];  /* reason of the last release, "" if none */
} zk_store_batch_info;

/* Stores the witness of a batch (state published). *res = DONE, or
 * UNCHANGED if the same witness is already stored; a different witness under
 * the same number is ZK_ERR_FORMAT and changes nothing. 1 <= len <= BLOB_MAX. */
ZK_WUR zk_err zk_store_put_batch(zk_store *st, zk_store_result *res, uint64_t batch,
                                 const void *witness, size_t len);
/* Reads a batch: *res = DONE or NOT_FOUND. info and/or witness may be NULL
 * when not wanted; *witness is malloc'd (free()), its length in *len. */
ZK_WUR zk_err zk_store_get_batch(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                                 uint8_t **witness, size_t *len, uint64_t batch);
/* Highest batch number stored: *res = DONE, or NOT_FOUND if there is none. */
ZK_WUR zk_err zk_store_max_batch(zk_store *st, zk_store_result *res, uint64_t *batch);

/* Claims the lowest-numbered batch that is published or whose lease has run
 * out, for worker with a lease of lease_seconds (0 < lease <= 30 days):
 * *res = DONE with *batch set; otherwise NONE_LEFT (nothing unproven: the
 * caller decides from its own knowledge, e.g. a meta key, whether more
 * batches may still come) or WAIT (others hold live leases: poll again,
 * e.g. after min(lease, a few seconds)). Each claim counts an attempt. */
ZK_WUR zk_err zk_store_claim_next(zk_store *st, zk_store_result *res, uint64_t *batch,
                                  const char *worker, double lease_seconds);
/* Extends the lease to now + lease_seconds: DONE, or LEASE_LOST if worker
 * no longer holds the batch (reclaimed by another, proven, released). An
 * expired lease nobody took yet is still held and is renewed. */
ZK_WUR zk_err zk_store_renew_lease(zk_store *st, zk_store_result *res, uint64_t batch,
                                   const char *worker, double lease_seconds);
/* Gives the batch back (state published) after a failure, recording reason
 * (may be NULL): DONE, or LEASE_LOST if worker does not hold it. */
ZK_WUR zk_err zk_store_release(zk_store *st, zk_store_result *res, uint64_t batch,
                               const char *worker, const char *reason);

/* A batch proof with its public values (32-byte big-endian field elements). */
typedef struct {
    uint64_t batch_number;
    uint8_t before_root[32], after_root[32];  /* account tree roots */
    uint8_t before_cex[32], after_cex[32];    /* CEX asset commitments */
    uint8_t commitment[32];                   /* batch commitment (the public input) */
    uint8_t *proof;                           /* proof bytes (opaque) */
    size_t proof_len;                         /* 1 .. BLOB_MAX */
    char worker[ZK_STORE_WORKER_MAX + 1];     /* read back: who stored it */
    int64_t created_ms;                       /* read back: when */
} zk_store_proof;

/* Stores p (p->worker and p->created_ms are ignored) and marks the batch
 * proven, atomically. *res = DONE; ALREADY_PROVEN if a proof for the batch
 * exists (the stored one is kept, nothing changes); NOT_FOUND if there is no
 * such batch. Accepted from any worker whether or not it still holds the
 * lease: the first proof stored wins. */
ZK_WUR zk_err zk_store_complete(zk_store *st, zk_store_result *res, const zk_store_proof *p,
                                const char *worker);
/* Reads the proof of a batch: DONE (p->proof malloc'd; zk_store_proof_clear)
 * or NOT_FOUND. */
ZK_WUR zk_err zk_store_get_proof(zk_store *st, zk_store_result *res, zk_store_proof *p,
                                 uint64_t batch);
void zk_store_proof_clear(zk_store_proof *p);
/* Calls fn on every proof with batch number >= first, in batch order (read
 * in pages, so fn may use the store). A non-OK return of fn stops the walk
 * and is returned. p is valid during the call only. */
typedef zk_err (*zk_store_proof_fn)(void *ctx, const zk_store_proof *p);
ZK_WUR zk_err zk_store_each_proof(zk_store *st, uint64_t first, zk_store_proof_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* User proofs                                                          */

typedef struct {
    uint64_t account_index;   /* < 2^63 */
    char account_id[65];      /* 64 lowercase hex digits (reduced account id), unique */
    char leaf[65];            /* 64 lowercase hex digits (account leaf hash) */
    char *json;               /* the user-proof JSON text (NUL-terminated; 1..BLOB_MAX bytes) */
} zk_store_userproof;

/* Stores rows[0..n) in one transaction (all or nothing). A row equal to
 * the stored one under its index is accepted (so a chunk may be re-put after
 * an interruption); a different row under a stored index, or a stored
 * account id under another index, is ZK_ERR_FORMAT and stores none of the
 * chunk. n may be 0. */
ZK_WUR zk_err zk_store_put_userproofs(zk_store *st, const zk_store_userproof *rows, size_t n);
/* By index, or by account id (64 lowercase hex): DONE (row->json malloc'd;
 * zk_store_userproof_clear) or NOT_FOUND. */
ZK_WUR zk_err zk_store_get_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                                     uint64_t account_index);
ZK_WUR zk_err zk_store_find_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                                      const char *account_id);
void zk_store_userproof_clear(zk_store_userproof *row);
/* Highest stored account index (resume after it): DONE or NOT_FOUND. */
ZK_WUR zk_err zk_store_max_userproof(zk_store *st, zk_store_result *res, uint64_t *account_index);
/* Calls fn on every user proof with index >= first, in index order (paged,
 * as each_proof). */
typedef zk_err (*zk_store_userproof_fn)(void *ctx, const zk_store_userproof *row);
ZK_WUR zk_err zk_store_each_userproof(zk_store *st, uint64_t first, zk_store_userproof_fn fn,
                                      void *ctx);

/* ------------------------------------------------------------------ */
/* Status and maintenance                                               */

typedef struct {
    uint64_t batches;    /* all batch rows */
    uint64_t published, claimed, proven; /* per state; they add up to batches */
    uint64_t expired;    /* claimed whose lease has run out (part of claimed) */
    uint64_t retried;    /* batches claimed more than once */
    uint64_t proofs, userproofs, meta;
} zk_store_counts;

/* Counts, read from one consistent snapshot. */
ZK_WUR zk_err zk_store_counts_get(zk_store *st, zk_store_counts *c);
/* Deletes every row of every table (the schema stays), in one transaction. */
ZK_WUR zk_err zk_store_delete_all(zk_store *st);

/* ------------------------------------------------------------------ */
/* Fault injection (tests)                                              */

/* Which call or internal step of a wrapped store fails. Calls are the
 * operations above made on the wrapper; steps are the statements the real
 * backend executes for them (BEGIN, each SELECT/INSERT/UPDATE, COMMIT), so
 * failing step k of an operation is a database error, or with crash set a
 * process death, between its steps k-1 and k. Counting starts at 1; 0 is
 * never. */
typedef struct {
    uint64_t fail_call;  /* this call fails before reaching the backend */
    uint64_t fail_step;  /* this backend step fails (the operation rolls back) */
    int repeat;          /* also fail every later multiple of fail_call / fail_step */
    int after;           /* fail_call instead runs the call and then reports a failure
                          * (the reply was lost: the operation did take effect) */
    int crash;           /* at the fault, _exit(ZK_STORE_CRASH_EXIT) instead of failing
                          * (use in a forked child) */
    unsigned delay_us;   /* sleep this long before every step: widens the windows
                          * between statements so concurrency tests hit races */
} zk_store_fault_plan;

/* Wraps inner (which must outlive the wrapper and is not closed with it)
 * so that every operation goes through the wrapper and faults per plan.
 * plan may be NULL (no faults). On failure *st is NULL. */
ZK_WUR zk_err zk_store_faulty_open(zk_store **st, zk_store *inner, const zk_store_fault_plan *plan);
/* Replaces the plan and resets the counters. */
void zk_store_faulty_set_plan(zk_store *st, const zk_store_fault_plan *plan);
/* Calls and steps seen, and faults injected, since the plan was set. */
void zk_store_faulty_stats(const zk_store *st, uint64_t *calls, uint64_t *steps, uint64_t *faults);

#endif
