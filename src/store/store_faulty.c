/* store wrapper: fault injection for tests (in the spirit of SQLite's test
 * VFS and its I/O-error loops).
 *
 * Design: the wrapper is a backend like the others, whose every operation
 * counts a call and then forwards to the wrapped store. It also installs
 * itself as the wrapped store's step hook, so it sees each statement the real
 * backend executes and can fail it (the backend then rolls back as after any
 * database error) or end the process right there (_exit, no cleanup: what a
 * power cut or kill -9 leaves behind, since the transaction never commits).
 * A test sweeps the failing call or step 1, 2, 3, ... until the operation
 * completes without reaching it, checking after each fault that the store
 * holds exactly its state from before the operation, and that a retry
 * succeeds. "after" faults model a lost reply: the operation took effect but
 * the caller sees an error, which tests use to show retries are idempotent.
 * A per-step delay stretches every operation so that concurrent tests make
 * other processes run between its statements, where a missing lock shows. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    zk_store base;
    zk_store *inner;
    zk_store_fault_plan plan;
    uint64_t calls, steps, faults;
} fz;

#define F(st) ((fz *)(st))

static int hits(uint64_t count, uint64_t at, int repeat) {
    return at && (count == at || (repeat && count > at && count % at == 0));
}

static int fz_step(void *ctx) {
    fz *f = ctx;
    f->steps++;
    if (f->plan.delay_us) usleep(f->plan.delay_us);
    if (!hits(f->steps, f->plan.fail_step, f->plan.repeat)) return 0;
    f->faults++;
    if (f->plan.crash) _exit(ZK_STORE_CRASH_EXIT);
    return 1;
}

/* Before a call: nonzero (message set) if it is to fail now. */
static int fz_before(fz *f) {
    f->calls++;
    if (f->plan.after || !hits(f->calls, f->plan.fail_call, f->plan.repeat)) return 0;
    f->faults++;
    if (f->plan.crash) _exit(ZK_STORE_CRASH_EXIT);
    zk__store_fail(&f->base, ZK_ERR_IO, "injected fault (call %llu)", (unsigned long long)f->calls);
    return 1;
}

/* After a call: passes the result on, copying the inner message, or fails
 * an "after" call that went through. */
static zk_err fz_after(fz *f, zk_err e) {
    if (e != ZK_OK) {
        memcpy(f->base.msg, f->inner->msg, sizeof f->base.msg);
        return e;
    }
    if (f->plan.after && hits(f->calls, f->plan.fail_call, f->plan.repeat)) {
        f->faults++;
        if (f->plan.crash) _exit(ZK_STORE_CRASH_EXIT);
        return zk__store_fail(&f->base, ZK_ERR_IO, "injected fault after call %llu (reply lost)",
                              (unsigned long long)f->calls);
    }
    return ZK_OK;
}

#define FORWARD(method, ...)                                                               \
    do {                                                                                   \
        fz *f = F(st);                                                                     \
        if (fz_before(f)) return ZK_ERR_IO;                                                \
        f->inner->msg[0] = 0;                                                              \
        return fz_after(f, f->inner->vt->method(f->inner, __VA_ARGS__));                   \
    } while (0)

static void fz_close(zk_store *st) {
    fz *f = F(st);
    f->inner->step_hook = NULL;
    f->inner->step_ctx = NULL;
    free(f);
}

static zk_err fz_schema_version(zk_store *st, int *v) { FORWARD(schema_version, v); }
static zk_err fz_meta_set(zk_store *st, const char *k, const void *v, size_t n) {
    FORWARD(meta_set, k, v, n);
}
static zk_err fz_meta_put_once(zk_store *st, zk_store_result *res, const char *k, const void *v,
                               size_t n) {
    FORWARD(meta_put_once, res, k, v, n);
}
static zk_err fz_meta_get(zk_store *st, zk_store_result *res, char **v, size_t *n, const char *k) {
    FORWARD(meta_get, res, v, n, k);
}
static zk_err fz_put_batch(zk_store *st, zk_store_result *res, uint64_t b, const void *w, size_t n) {
    FORWARD(put_batch, res, b, w, n);
}
static zk_err fz_get_batch(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                           uint8_t **w, size_t *n, uint64_t b) {
    FORWARD(get_batch, res, info, w, n, b);
}
static zk_err fz_max_batch(zk_store *st, zk_store_result *res, uint64_t *b) {
    FORWARD(max_batch, res, b);
}
static zk_err fz_claim_next(zk_store *st, zk_store_result *res, uint64_t *b, const char *w,
                            int64_t ms) {
    FORWARD(claim_next, res, b, w, ms);
}
static zk_err fz_renew_lease(zk_store *st, zk_store_result *res, uint64_t b, const char *w,
                             int64_t ms) {
    FORWARD(renew_lease, res, b, w, ms);
}
static zk_err fz_release(zk_store *st, zk_store_result *res, uint64_t b, const char *w,
                         const char *why) {
    FORWARD(release, res, b, w, why);
}
static zk_err fz_complete(zk_store *st, zk_store_result *res, const zk_store_proof *p,
                          const char *w) {
    FORWARD(complete, res, p, w);
}
static zk_err fz_get_proof(zk_store *st, zk_store_result *res, zk_store_proof *p, uint64_t b) {
    FORWARD(get_proof, res, p, b);
}
static zk_err fz_proof_page(zk_store *st, zk_store_proof *out, size_t *n, uint64_t first) {
    fz *f = F(st);
    if (fz_before(f)) return ZK_ERR_IO;
    f->inner->msg[0] = 0;
    zk_err e = fz_after(f, f->inner->vt->proof_page(f->inner, out, n, first));
    if (e != ZK_OK) { /* a failed page holds nothing */
        while (*n) zk_store_proof_clear(&out[--*n]);
    }
    return e;
}
static zk_err fz_put_userproofs(zk_store *st, const zk_store_userproof *rows, size_t n) {
    FORWARD(put_userproofs, rows, n);
}
static zk_err fz_get_userproof(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                               uint64_t i, const char *id) {
    FORWARD(get_userproof, res, row, i, id);
}
static zk_err fz_max_userproof(zk_store *st, zk_store_result *res, uint64_t *i) {
    FORWARD(max_userproof, res, i);
}
static zk_err fz_userproof_page(zk_store *st, zk_store_userproof *out, size_t *n, uint64_t first) {
    fz *f = F(st);
    if (fz_before(f)) return ZK_ERR_IO;
    f->inner->msg[0] = 0;
    zk_err e = fz_after(f, f->inner->vt->userproof_page(f->inner, out, n, first));
    if (e != ZK_OK) {
        while (*n) zk_store_userproof_clear(&out[--*n]);
    }
    return e;
}
static zk_err fz_counts(zk_store *st, zk_store_counts *c) { FORWARD(counts, c); }
static zk_err fz_delete_all(zk_store *st) {
    fz *f = F(st);
    if (fz_before(f)) return ZK_ERR_IO;
    f->inner->msg[0] = 0;
    return fz_after(f, f->inner->vt->delete_all(f->inner));
}

static const zk__store_vt fz_vt = {
    "faulty",          fz_close,         fz_schema_version, fz_meta_set,     fz_meta_put_once,
    fz_meta_get,       fz_put_batch,     fz_get_batch,      fz_max_batch,    fz_claim_next,
    fz_renew_lease,    fz_release,       fz_complete,       fz_get_proof,    fz_proof_page,
    fz_put_userproofs, fz_get_userproof, fz_max_userproof,  fz_userproof_page, fz_counts,
    fz_delete_all,
};

zk_err zk_store_faulty_open(zk_store **st, zk_store *inner, const zk_store_fault_plan *plan) {
    if (!st) return ZK_ERR_ARG;
    *st = NULL;
    if (!inner || !inner->vt || inner->step_hook) return ZK_ERR_ARG; /* one wrapper at a time */
    fz *f = calloc(1, sizeof *f);
    if (!f) return ZK_ERR_NOMEM;
    f->base.vt = &fz_vt;
    f->inner = inner;
    if (plan) f->plan = *plan;
    inner->step_hook = fz_step;
    inner->step_ctx = f;
    *st = &f->base;
    return ZK_OK;
}

void zk_store_faulty_set_plan(zk_store *st, const zk_store_fault_plan *plan) {
    if (!st || st->vt != &fz_vt) return;
    fz *f = F(st);
    memset(&f->plan, 0, sizeof f->plan);
    if (plan) f->plan = *plan;
    f->calls = f->steps = f->faults = 0;
}

void zk_store_faulty_stats(const zk_store *st, uint64_t *calls, uint64_t *steps, uint64_t *faults) {
    const fz *f = st && st->vt == &fz_vt ? (const fz *)st : NULL;
    if (calls) *calls = f ? f->calls : 0;
    if (steps) *steps = f ? f->steps : 0;
    if (faults) *faults = f ? f->faults : 0;
}
