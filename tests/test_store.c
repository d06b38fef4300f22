/* Store conformance suite: the same cases run against every backend —
 * SQLite always (a temporary file), PostgreSQL when ZKPOS_TEST_PG_URL is set
 * (tests/store_pg.sh starts a throwaway server and sets it), and against
 * URLs given on the command line instead when there are any.
 *
 * Expected states come from the test's own model (what was put, by whom,
 * in which order), never from earlier output of the store. The fault cases
 * sweep the failing call or statement 1, 2, 3, ... through each operation and
 * compare a digest of the whole store before and after every failure:
 * equality means nothing was half-written. Crash cases do the same in a
 * forked child that dies (_exit) at the chosen statement. Concurrency cases
 * fork three worker processes that claim until nothing is left. */
#define _GNU_SOURCE
#include "store/store.h"
#include "test.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *g_backend = "?";

#define OK(st, expr) ok_((st), (expr), #expr, __LINE__)
static int ok_(zk_store *st, zk_err e, const char *what, int line) {
    if (e == ZK_OK) {
        test_passed_++;
        return 1;
    }
    test_failed_++;
    fprintf(stderr, "%s:%d: [%s] %s failed: %s: %s (seed %" PRIu64 ")\n", __FILE__, line,
            g_backend, what, zk_strerror(e), zk_store_errmsg(st), test_seed_);
    return 0;
}
#define RES(r, want) CHECK_MSG((r) == (want), "[%s] result %s, expected %s", g_backend,      \
                               zk_store_result_name(r), zk_store_result_name(want))

/* ---- deterministic data from (seed, tag) ---- */

static uint64_t mix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fill(uint8_t *out, size_t n, uint64_t tag) {
    uint64_t s = test_seed_ ^ (tag * 0xd1b54a32d192ed03ULL);
    for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(mix(&s) >> 56);
}

static void hex(char *out, const uint8_t *b, size_t n) {
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) out[2 * i] = d[b[i] >> 4], out[2 * i + 1] = d[b[i] & 15];
    out[2 * n] = 0;
}

/* Witness of batch b, version v (v != 0: a different witness). */
static size_t witness_len(uint64_t b) { return 1 + (size_t)(b * 7919 % 3000) + (b % 5 == 4 ? 100000 : 0); }
static uint8_t *witness(uint64_t b, uint64_t v, size_t *len) {
    *len = witness_len(b);
    uint8_t *w = malloc(*len);
    fill(w, *len, 0x1000000 + b * 16 + v);
    if (*len > 10) memset(w + 3, 0, 5); /* embedded zero bytes */
    return w;
}

static int put_witness(zk_store *st, uint64_t b, uint64_t v, zk_store_result *res) {
    size_t n;
    uint8_t *w = witness(b, v, &n);
    int ok = OK(st, zk_store_put_batch(st, res, b, w, n));
    free(w);
    return ok;
}

/* Proof of batch b made by "tag" (a worker number). */
typedef struct {
    zk_store_proof p;
    uint8_t bytes[300];
} proof_buf;
static const zk_store_proof *make_proof(proof_buf *pb, uint64_t b, uint64_t tag) {
    uint8_t *f[5] = {pb->p.before_root, pb->p.after_root, pb->p.before_cex, pb->p.after_cex,
                     pb->p.commitment};
    memset(&pb->p, 0, sizeof pb->p);
    pb->p.batch_number = b;
    for (int i = 0; i < 5; i++) fill(f[i], 32, 0x2000000 + b * 64 + tag * 8 + (uint64_t)i);
    pb->p.proof_len = 200 + (size_t)(tag % 50);
    fill(pb->bytes, pb->p.proof_len, 0x3000000 + b * 64 + tag);
    pb->p.proof = pb->bytes;
    return &pb->p;
}

static int proof_equal(const zk_store_proof *a, const zk_store_proof *b) {
    return a->batch_number == b->batch_number && !memcmp(a->before_root, b->before_root, 32) &&
           !memcmp(a->after_root, b->after_root, 32) && !memcmp(a->before_cex, b->before_cex, 32) &&
           !memcmp(a->after_cex, b->after_cex, 32) && !memcmp(a->commitment, b->commitment, 32) &&
           a->proof_len == b->proof_len && !memcmp(a->proof, b->proof, a->proof_len);
}

/* Stored proof of b equals the one worker "tag" made, stored by worker w. */
static int proof_is(zk_store *st, uint64_t b, uint64_t tag, const char *w) {
    zk_store_proof got;
    proof_buf want;
    zk_store_result res;
    if (!OK(st, zk_store_get_proof(st, &res, &got, b))) return 0;
    int ok = res == ZK_STORE_DONE && proof_equal(&got, make_proof(&want, b, tag)) &&
             (!w || !strcmp(got.worker, w));
    if (!ok)
        fprintf(stderr, "[%s] proof of batch %llu: res %s, worker '%s' (want '%s')\n", g_backend,
                (unsigned long long)b, zk_store_result_name(res), got.worker, w ? w : "*");
    zk_store_proof_clear(&got);
    return ok;
}

/* User-proof row i, version v. */
static void make_up(zk_store_userproof *r, uint64_t i, uint64_t v) {
    uint8_t b[32];
    memset(r, 0, sizeof *r);
    r->account_index = i;
    fill(b, 32, 0x4000000 + i);
    hex(r->account_id, b, 32);
    fill(b, 32, 0x5000000 + i * 4 + v);
    hex(r->leaf, b, 32);
    size_t extra = (size_t)((i * 131 + v) % 700) + (i % 97 == 5 ? 4000 : 0);
    r->json = malloc(64 + 2 * extra + 1);
    int n = sprintf(r->json, "{\"AccountIndex\":%llu,\"V\":%llu,\"Pad\":\"",
                    (unsigned long long)i, (unsigned long long)v);
    uint8_t *pad = malloc(extra + 1);
    fill(pad, extra, 0x6000000 + i * 4 + v);
    hex(r->json + n, pad, extra);
    strcat(r->json, "\"}");
    free(pad);
}

static zk_store_userproof *up_rows(uint64_t first, size_t n, uint64_t v) {
    zk_store_userproof *rows = calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) make_up(&rows[i], first + i, v);
    return rows;
}

static void up_free(zk_store_userproof *rows, size_t n) {
    for (size_t i = 0; i < n; i++) free(rows[i].json);
    free(rows);
}

static int put_ups(zk_store *st, uint64_t first, size_t n, uint64_t v) {
    zk_store_userproof *rows = up_rows(first, n, v);
    int ok = OK(st, zk_store_put_userproofs(st, rows, n));
    up_free(rows, n);
    return ok;
}

static int up_equal(const zk_store_userproof *a, const zk_store_userproof *b) {
    return a->account_index == b->account_index && !strcmp(a->account_id, b->account_id) &&
           !strcmp(a->leaf, b->leaf) && a->json && b->json && !strcmp(a->json, b->json);
}

/* ---- whole-store digest ---- */

typedef struct {
    uint64_t h;
} dg;

static void dg_add(dg *d, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) d->h = (d->h ^ b[i]) * 0x100000001b3ULL;
    d->h = (d->h ^ n) * 0x100000001b3ULL; /* length-delimited */
}
static void dg_u64(dg *d, uint64_t v) { dg_add(d, &v, sizeof v); }

static zk_err dg_proof(void *ctx, const zk_store_proof *p) {
    dg *d = ctx;
    dg_u64(d, p->batch_number);
    dg_add(d, p->before_root, 32), dg_add(d, p->after_root, 32), dg_add(d, p->before_cex, 32);
    dg_add(d, p->after_cex, 32), dg_add(d, p->commitment, 32), dg_add(d, p->proof, p->proof_len);
    dg_add(d, p->worker, strlen(p->worker)), dg_u64(d, (uint64_t)p->created_ms);
    return ZK_OK;
}

static zk_err dg_up(void *ctx, const zk_store_userproof *r) {
    dg *d = ctx;
    dg_u64(d, r->account_index);
    dg_add(d, r->account_id, 64), dg_add(d, r->leaf, 64), dg_add(d, r->json, strlen(r->json));
    return ZK_OK;
}

static const char *const META_KEYS[] = {"alpha", "beta", "config"};

/* Hash of everything the store holds (except the clock). 0 on error. */
static uint64_t digest(zk_store *st) {
    dg d = {0xcbf29ce484222325ULL};
    zk_store_counts c;
    zk_store_result res;
    uint64_t maxb;
    if (!OK(st, zk_store_counts_get(st, &c))) return 0;
    dg_add(&d, &c, sizeof c);
    if (!OK(st, zk_store_max_batch(st, &res, &maxb))) return 0;
    for (uint64_t b = 0; res == ZK_STORE_DONE && b <= maxb; b++) {
        zk_store_batch_info in;
        zk_store_result r2;
        uint8_t *w;
        size_t n;
        if (!OK(st, zk_store_get_batch(st, &r2, &in, &w, &n, b))) return 0;
        dg_u64(&d, r2);
        if (r2 != ZK_STORE_DONE) continue;
        in.now_ms = 0;
        dg_u64(&d, in.batch_number), dg_u64(&d, in.state), dg_u64(&d, in.attempts);
        dg_u64(&d, (uint64_t)in.lease_until_ms), dg_u64(&d, (uint64_t)in.created_ms);
        dg_u64(&d, (uint64_t)in.claimed_ms), dg_u64(&d, (uint64_t)in.proven_ms);
        dg_u64(&d, in.witness_len), dg_add(&d, in.worker, strlen(in.worker));
        dg_add(&d, in.last_error, strlen(in.last_error)), dg_add(&d, w, n);
        free(w);
    }
    if (!OK(st, zk_store_each_proof(st, 0, dg_proof, &d))) return 0;
    if (!OK(st, zk_store_each_userproof(st, 0, dg_up, &d))) return 0;
    for (size_t i = 0; i < sizeof META_KEYS / sizeof *META_KEYS; i++) {
        char *v;
        size_t n;
        if (!OK(st, zk_store_meta_get(st, &res, &v, &n, META_KEYS[i]))) return 0;
        dg_u64(&d, res);
        if (v) dg_add(&d, v, n);
        free(v);
    }
    return d.h ? d.h : 1;
}

/* ---- opening ---- */

static zk_store *open_url(const char *url) {
    zk_store *st = NULL;
    zk_err e = zk_store_open(&st, url);
    if (e != ZK_OK) {
        CHECK_MSG(0, "[%s] open: %s", g_backend, zk_store_errmsg(st));
        zk_store_close(st);
        return NULL;
    }
    return st;
}

static zk_store *fresh(const char *url) {
    zk_store *st = open_url(url);
    if (st && !OK(st, zk_store_delete_all(st))) {
        zk_store_close(st);
        return NULL;
    }
    return st;
}

static int contains(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

/* ---- cases ---- */

static void t_schema(const char *url) {
    zk_store *st = fresh(url), *st2;
    int v = -1;
    zk_store_result res;
    char *val;
    size_t n;
    if (!st) return;
    CHECK(OK(st, zk_store_schema_version(st, &v)) && v == ZK_STORE_SCHEMA_VERSION);
    CHECK(!strcmp(zk_store_backend(st), contains(url, "postgres") ? "postgres" : "sqlite"));
    CHECK(OK(st, zk_store_meta_set(st, "alpha", "persist", 7)));
    zk_store_close(st);
    /* Reopening applies no migration twice and keeps the data. */
    if (!(st = open_url(url))) return;
    CHECK(OK(st, zk_store_schema_version(st, &v)) && v == ZK_STORE_SCHEMA_VERSION);
    CHECK(OK(st, zk_store_meta_get(st, &res, &val, &n, "alpha")) && res == ZK_STORE_DONE &&
          n == 7 && !memcmp(val, "persist", 8));
    free(val);
    /* Two handles see each other's writes. */
    if ((st2 = open_url(url))) {
        CHECK(OK(st2, zk_store_meta_set(st2, "beta", "b", 1)));
        CHECK(OK(st, zk_store_meta_get(st, &res, &val, &n, "beta")) && res == ZK_STORE_DONE &&
              n == 1 && val[0] == 'b');
        free(val);
        zk_store_close(st2);
    }
    zk_store_close(st);
}

static void t_meta(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    char *v;
    size_t n;
    uint8_t bin[300];
    if (!st) return;
    CHECK(OK(st, zk_store_meta_get(st, &res, &v, &n, "alpha")) && res == ZK_STORE_NOT_FOUND &&
          !v && !n);
    fill(bin, sizeof bin, 7);
    bin[0] = 0, bin[100] = 0;
    CHECK(OK(st, zk_store_meta_set(st, "alpha", bin, sizeof bin)));
    CHECK(OK(st, zk_store_meta_get(st, &res, &v, &n, "alpha")) && res == ZK_STORE_DONE &&
          n == sizeof bin && !memcmp(v, bin, n) && v[n] == 0);
    free(v);
    CHECK(OK(st, zk_store_meta_set(st, "alpha", "", 0))); /* replace; empty is a value */
    CHECK(OK(st, zk_store_meta_get(st, &res, &v, &n, "alpha")) && res == ZK_STORE_DONE && n == 0 &&
          v && v[0] == 0);
    free(v);
    const char *cfg = "{\"batch\":864,\"assets\":350}";
    CHECK(OK(st, zk_store_meta_put_once(st, &res, "config", cfg, strlen(cfg))));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_meta_put_once(st, &res, "config", cfg, strlen(cfg))));
    RES(res, ZK_STORE_UNCHANGED);
    zk_err e = zk_store_meta_put_once(st, &res, "config", "{}", 2);
    CHECK_MSG(e == ZK_ERR_FORMAT && contains(zk_store_errmsg(st), "meta_put_once") &&
                  contains(zk_store_errmsg(st), "different"),
              "[%s] put_once conflict: %s", g_backend, zk_store_errmsg(st));
    CHECK(OK(st, zk_store_meta_get(st, &res, &v, &n, "config")) && n == strlen(cfg) &&
          !strcmp(v, cfg));
    free(v);
    CHECK(zk_store_meta_set(st, "bad key", "x", 1) == ZK_ERR_ARG);
    CHECK(zk_store_meta_set(st, "", "x", 1) == ZK_ERR_ARG);
    CHECK(contains(zk_store_errmsg(st), "meta_set: meta key"));
    zk_store_close(st);
}

static void t_batches(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    uint64_t m;
    const uint64_t N = 12;
    if (!st) return;
    CHECK(OK(st, zk_store_max_batch(st, &res, &m)) && res == ZK_STORE_NOT_FOUND);
    for (uint64_t b = 0; b < N; b++) {
        CHECK(put_witness(st, b, 0, &res));
        RES(res, ZK_STORE_DONE);
    }
    CHECK(OK(st, zk_store_max_batch(st, &res, &m)) && res == ZK_STORE_DONE && m == N - 1);
    for (uint64_t b = 0; b < N; b++) {
        zk_store_batch_info in;
        uint8_t *w;
        size_t n, wn;
        uint8_t *want = witness(b, 0, &wn);
        CHECK(OK(st, zk_store_get_batch(st, &res, &in, &w, &n, b)) && res == ZK_STORE_DONE);
        CHECK(n == wn && w && !memcmp(w, want, n));
        CHECK(in.batch_number == b && in.state == ZK_BATCH_PUBLISHED && in.attempts == 0 &&
              in.worker[0] == 0 && in.lease_until_ms == 0 && in.witness_len == wn &&
              in.created_ms > 0 && in.created_ms <= in.now_ms + 5000);
        free(w);
        free(want);
    }
    /* Re-putting the same witness (a resumed generator) changes nothing. */
    uint64_t d0 = digest(st);
    CHECK(put_witness(st, 5, 0, &res));
    RES(res, ZK_STORE_UNCHANGED);
    CHECK(digest(st) == d0);
    /* A different witness under a stored number is refused. */
    size_t n;
    uint8_t *w = witness(5, 1, &n);
    zk_err e = zk_store_put_batch(st, &res, 5, w, n);
    CHECK_MSG(e == ZK_ERR_FORMAT && contains(zk_store_errmsg(st), "put_batch: batch 5") &&
                  contains(zk_store_errmsg(st), "different witness"),
              "[%s] %s", g_backend, zk_store_errmsg(st));
    free(w);
    CHECK(digest(st) == d0);
    /* Same length, one byte changed: still different. */
    w = witness(7, 0, &n);
    w[n - 1] ^= 1;
    CHECK(zk_store_put_batch(st, &res, 7, w, n) == ZK_ERR_FORMAT);
    free(w);
    CHECK(OK(st, zk_store_get_batch(st, &res, NULL, NULL, NULL, 99)) && res == ZK_STORE_NOT_FOUND);
    CHECK(zk_store_put_batch(st, &res, 1, "", 0) == ZK_ERR_ARG);
    CHECK(zk_store_put_batch(st, &res, (uint64_t)1 << 63, "x", 1) == ZK_ERR_ARG);
    CHECK(contains(zk_store_errmsg(st), "put_batch"));
    CHECK(digest(st) == d0);
    zk_store_close(st);
}

/* Claims, renewals, releases and completions of one worker, checked against
 * the expected state after each step. */
static void t_transitions(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    zk_store_batch_info in;
    zk_store_counts c;
    uint64_t b;
    proof_buf pb;
    const char *W = "worker-A", *X = "worker-X";
    if (!st) return;
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, W, 30)));
    RES(res, ZK_STORE_NONE_LEFT); /* empty store */
    for (uint64_t i = 0; i < 3; i++) CHECK(put_witness(st, i, 0, &res));

    CHECK(OK(st, zk_store_claim_next(st, &res, &b, W, 30)) && res == ZK_STORE_DONE && b == 0);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)));
    CHECK(in.state == ZK_BATCH_CLAIMED && !strcmp(in.worker, W) && in.attempts == 1 &&
          in.lease_until_ms >= in.now_ms + 25000 && in.lease_until_ms <= in.now_ms + 35000 &&
          in.claimed_ms > 0);
    int64_t lease0 = in.lease_until_ms;
    CHECK(OK(st, zk_store_renew_lease(st, &res, 0, W, 100)));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) && in.lease_until_ms > lease0 + 60000);
    CHECK(OK(st, zk_store_renew_lease(st, &res, 0, X, 100)));
    RES(res, ZK_STORE_LEASE_LOST);
    CHECK(OK(st, zk_store_release(st, &res, 0, X, "not mine")));
    RES(res, ZK_STORE_LEASE_LOST);
    CHECK(OK(st, zk_store_renew_lease(st, &res, 1, W, 100))); /* published, not held */
    RES(res, ZK_STORE_LEASE_LOST);

    /* Release on error: back to published with the reason recorded. */
    CHECK(OK(st, zk_store_release(st, &res, 0, W, "prover failed:\n out of memory")));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)));
    CHECK(in.state == ZK_BATCH_PUBLISHED && in.worker[0] == 0 && in.lease_until_ms == 0 &&
          in.attempts == 1 && !strcmp(in.last_error, "prover failed:? out of memory"));
    CHECK(OK(st, zk_store_release(st, &res, 0, W, NULL)));
    RES(res, ZK_STORE_LEASE_LOST);

    /* Lowest first again; attempts count claims. */
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, X, 30)) && res == ZK_STORE_DONE && b == 0);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) && in.attempts == 2 &&
          !strcmp(in.worker, X));
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, W, 30)) && res == ZK_STORE_DONE && b == 1);
    CHECK(OK(st, zk_store_counts_get(st, &c)));
    CHECK(c.batches == 3 && c.published == 1 && c.claimed == 2 && c.proven == 0 && c.expired == 0 &&
          c.retried == 1 && c.proofs == 0);

    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 0, 1), X)));
    RES(res, ZK_STORE_DONE);
    CHECK(proof_is(st, 0, 1, X));
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)));
    CHECK(in.state == ZK_BATCH_PROVEN && !strcmp(in.worker, X) && in.lease_until_ms == 0 &&
          in.proven_ms > 0);
    /* A second completion, even with another proof, changes nothing. */
    uint64_t d0 = digest(st);
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 0, 2), W)));
    RES(res, ZK_STORE_ALREADY_PROVEN);
    CHECK(digest(st) == d0);
    CHECK(proof_is(st, 0, 1, X));
    CHECK(OK(st, zk_store_renew_lease(st, &res, 0, X, 10)));
    RES(res, ZK_STORE_LEASE_LOST); /* proven batches are nobody's */
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 77, 1), W)));
    RES(res, ZK_STORE_NOT_FOUND);
    CHECK(OK(st, zk_store_get_proof(st, &res, &pb.p, 77)) && res == ZK_STORE_NOT_FOUND);

    /* Completion of a batch nobody claimed (first writer wins). */
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 2, 3), W)));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, X, 30)));
    RES(res, ZK_STORE_WAIT); /* batch 1 held by W */
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 1, 4), W)));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, X, 30)));
    RES(res, ZK_STORE_NONE_LEFT);
    CHECK(OK(st, zk_store_counts_get(st, &c)));
    CHECK(c.batches == 3 && c.published == 0 && c.claimed == 0 && c.proven == 3 && c.proofs == 3);

    /* Argument checks name the operation. */
    CHECK(zk_store_claim_next(st, &res, &b, "has space", 30) == ZK_ERR_ARG &&
          contains(zk_store_errmsg(st), "claim_next: worker id"));
    CHECK(zk_store_claim_next(st, &res, &b, W, 0) == ZK_ERR_ARG);
    CHECK(zk_store_claim_next(st, &res, &b, W, -1) == ZK_ERR_ARG);
    char longw[80];
    memset(longw, 'w', sizeof longw - 1), longw[79] = 0;
    CHECK(zk_store_claim_next(st, &res, &b, longw, 30) == ZK_ERR_ARG);
    CHECK(zk_store_complete(st, &res, NULL, W) == ZK_ERR_ARG);
    zk_store_close(st);
}

/* Three processes claim and complete until nothing is left: every batch is
 * claimed exactly once and proven by the worker that claimed it. */
static void t_concurrent_claims(const char *url) {
    enum { N = 40, WORKERS = 3 };
    zk_store *st = fresh(url);
    zk_store_result res;
    if (!st) return;
    for (uint64_t b = 0; b < N; b++) CHECK(put_witness(st, b, 0, &res));
    zk_store_close(st); /* no connection may cross fork() */
    int out[2], go[2];
    if (pipe(out) || pipe(go)) {
        CHECK(0);
        return;
    }
    fflush(NULL);
    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            close(out[0]), close(go[1]);
            zk_store *real = NULL, *cs = NULL;
            /* Slow statements: the others run between them. */
            zk_store_fault_plan slow = {.delay_us = 300};
            if (zk_store_open(&real, url) != ZK_OK || zk_store_faulty_open(&cs, real, &slow) != ZK_OK)
                _exit(2);
            char name[32], c;
            snprintf(name, sizeof name, "proc-%d", w);
            if (read(go[0], &c, 1) < 0) _exit(3); /* wait for the start: EOF */
            for (int spins = 0; spins < 100000;) {
                uint64_t b;
                proof_buf pb;
                if (zk_store_claim_next(cs, &res, &b, name, 60) != ZK_OK) {
                    fprintf(stderr, "[%s] %s: %s\n", g_backend, name, zk_store_errmsg(cs));
                    _exit(4);
                }
                if (res == ZK_STORE_NONE_LEFT) break;
                if (res == ZK_STORE_WAIT) { /* the others are completing */
                    spins++;
                    usleep(2000);
                    continue;
                }
                uint64_t rec[2] = {b, (uint64_t)w};
                if (write(out[1], rec, sizeof rec) != sizeof rec) _exit(5);
                usleep(1000); /* "proving", outside any lock, as real workers do */
                if (zk_store_complete(cs, &res, make_proof(&pb, b, (uint64_t)w), name) != ZK_OK ||
                    res != ZK_STORE_DONE) {
                    fprintf(stderr, "[%s] %s: complete %llu: %s %s\n", g_backend, name,
                            (unsigned long long)b, zk_store_result_name(res), zk_store_errmsg(cs));
                    _exit(6);
                }
            }
            _exit(0);
        }
    }
    close(out[1]), close(go[0]), close(go[1]);
    int claims[N] = {0}, by[N];
    uint64_t rec[2];
    int total = 0, per[WORKERS] = {0};
    while (read(out[0], rec, sizeof rec) == sizeof rec) {
        total++;
        if (rec[0] < N && rec[1] < WORKERS) claims[rec[0]]++, by[rec[0]] = (int)rec[1], per[rec[1]]++;
        else CHECK(0);
    }
    close(out[0]);
    for (int w = 0; w < WORKERS; w++) {
        int status = -1;
        waitpid(pids[w], &status, 0);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "[%s] worker %d status %d",
                  g_backend, w, status);
    }
    CHECK_MSG(total == N, "[%s] %d claims for %d batches", g_backend, total, N);
    if (!(st = open_url(url))) return;
    for (int b = 0; b < N; b++) {
        zk_store_batch_info in;
        char name[32];
        CHECK_MSG(claims[b] == 1, "[%s] batch %d claimed %d times", g_backend, b, claims[b]);
        if (claims[b] != 1) continue;
        snprintf(name, sizeof name, "proc-%d", by[b]);
        CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, (uint64_t)b)) &&
              in.state == ZK_BATCH_PROVEN && in.attempts == 1 && !strcmp(in.worker, name));
        CHECK(proof_is(st, (uint64_t)b, (uint64_t)by[b], name));
    }
    zk_store_counts c;
    CHECK(OK(st, zk_store_counts_get(st, &c)) && c.proven == N && c.proofs == N && c.retried == 0);
    printf("[%s] concurrent claims: %d batches by %d processes (%d/%d/%d)\n", g_backend, N, WORKERS,
           per[0], per[1], per[2]);
    zk_store_close(st);
}

/* A worker that dies keeps its batches only until its lease runs out; its
 * late completion never duplicates a proof, whoever comes first. */
static void t_dead_worker(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    zk_store_batch_info in;
    zk_store_counts c;
    uint64_t b;
    proof_buf pb;
    const char *A = "dead-A", *B = "live-B";
    if (!st) return;
    const double lease = 1.0;
    for (uint64_t i = 0; i < 4; i++) CHECK(put_witness(st, i, 0, &res));
    double t0 = zk_now();
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, A, lease)) && res == ZK_STORE_DONE && b == 0);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, A, lease)) && res == ZK_STORE_DONE && b == 1);
    double t1 = zk_now(); /* A's leases end before t1 + lease */
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, B, 60)) && res == ZK_STORE_DONE && b == 2);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, B, 60)) && res == ZK_STORE_DONE && b == 3);
    zk_store_result res_wait;
    CHECK(OK(st, zk_store_claim_next(st, &res_wait, &b, B, 60)));
    CHECK(OK(st, zk_store_counts_get(st, &c)) && c.claimed == 4);
    /* These hold only while A's leases last, which a very loaded machine
     * may already have passed: then they are not checked. */
    if (zk_now() - t0 < 0.8 * lease) {
        RES(res_wait, ZK_STORE_WAIT);
        CHECK(c.expired == 0);
    } else {
        printf("[%s] dead worker: machine too slow to check the live lease\n", g_backend);
    }
    double left = t1 + lease + 0.3 - zk_now(); /* A "died": wait for its leases to run out */
    if (left > 0) usleep((useconds_t)(left * 1e6));
    CHECK(OK(st, zk_store_counts_get(st, &c)) && c.claimed == 4 && c.expired == 2);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, B, 60)) && res == ZK_STORE_DONE && b == 0);
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, B, 60)) && res == ZK_STORE_DONE && b == 1);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 1)) && in.attempts == 2 &&
          !strcmp(in.worker, B) && in.state == ZK_BATCH_CLAIMED);
    CHECK(OK(st, zk_store_renew_lease(st, &res, 0, A, 1)));
    RES(res, ZK_STORE_LEASE_LOST);
    CHECK(OK(st, zk_store_release(st, &res, 0, A, "late")));
    RES(res, ZK_STORE_LEASE_LOST);
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) && !strcmp(in.worker, B));

    /* Batch 0: the new holder completes first, the late one is refused. */
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 0, 2), B)));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 0, 1), A)));
    RES(res, ZK_STORE_ALREADY_PROVEN);
    CHECK(proof_is(st, 0, 2, B));
    /* Batch 1: the late worker completes first and wins; the holder learns
     * it lost the batch and its completion is refused. */
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 1, 1), A)));
    RES(res, ZK_STORE_DONE);
    CHECK(OK(st, zk_store_renew_lease(st, &res, 1, B, 60)));
    RES(res, ZK_STORE_LEASE_LOST);
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 1, 2), B)));
    RES(res, ZK_STORE_ALREADY_PROVEN);
    CHECK(proof_is(st, 1, 1, A));
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 1)) && in.state == ZK_BATCH_PROVEN &&
          !strcmp(in.worker, A));
    for (uint64_t i = 2; i < 4; i++) {
        CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, i, 2), B)));
        RES(res, ZK_STORE_DONE);
    }
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, B, 60)));
    RES(res, ZK_STORE_NONE_LEFT);
    CHECK(OK(st, zk_store_counts_get(st, &c)) && c.proven == 4 && c.proofs == 4 && c.retried == 2 &&
          c.claimed == 0);
    zk_store_close(st);
}

typedef struct {
    uint64_t next;
    size_t count;
    int bad;
} walk;

static zk_err walk_up(void *ctx, const zk_store_userproof *r) {
    walk *w = ctx;
    zk_store_userproof want;
    make_up(&want, w->next, 0);
    if (!up_equal(r, &want)) w->bad++;
    free(want.json);
    w->next++;
    w->count++;
    return ZK_OK;
}

static void t_userproofs(const char *url) {
    zk_store *st = fresh(url), *fz = NULL;
    zk_store_result res;
    uint64_t m;
    if (!st) return;
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && res == ZK_STORE_NOT_FOUND);
    for (uint64_t i = 0; i < 500; i += 100) CHECK(put_ups(st, i, 100, 0));
    /* An interrupted chunk stores nothing: its 3rd statement fails (SQLite:
     * the 2nd row's INSERT; PostgreSQL: the COMMIT after one INSERT of all). */
    zk_store_fault_plan plan = {.fail_step = 3};
    if (OK(st, zk_store_faulty_open(&fz, st, &plan))) {
        zk_store_userproof *rows = up_rows(500, 100, 0);
        zk_err e = zk_store_put_userproofs(fz, rows, 100);
        uint64_t faults;
        zk_store_faulty_stats(fz, NULL, NULL, &faults);
        CHECK_MSG(e == ZK_ERR_IO && faults == 1 && contains(zk_store_errmsg(fz), "injected"),
                  "[%s] %s", g_backend, zk_store_errmsg(fz));
        up_free(rows, 100);
        zk_store_close(fz);
    }
    /* Resume after the highest stored index. */
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && res == ZK_STORE_DONE && m == 499);
    CHECK(put_ups(st, m + 1, 50, 0));
    CHECK(put_ups(st, 550, 450, 0)); /* one transaction, several INSERT slices */
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && m == 999);
    /* Re-putting a stored chunk is accepted and changes nothing. */
    uint64_t d0 = digest(st);
    CHECK(put_ups(st, 300, 100, 0));
    CHECK(digest(st) == d0);
    /* A chunk with one changed row is refused as a whole. */
    zk_store_userproof *rows = up_rows(990, 20, 0);
    free(rows[5].json);
    make_up(&rows[5], 995, 1);
    zk_err e = zk_store_put_userproofs(st, rows, 20);
    CHECK_MSG(e == ZK_ERR_FORMAT && contains(zk_store_errmsg(st), "account 995 is already stored"),
              "[%s] %s", g_backend, zk_store_errmsg(st));
    up_free(rows, 20);
    CHECK(digest(st) == d0);
    /* An account id stored under another index is refused. */
    rows = up_rows(1000, 1, 0);
    free(rows[0].json);
    make_up(&rows[0], 5, 0);
    rows[0].account_index = 1000;
    e = zk_store_put_userproofs(st, rows, 1);
    CHECK_MSG(e == ZK_ERR_FORMAT && contains(zk_store_errmsg(st), "already stored as account 5"),
              "[%s] %s", g_backend, zk_store_errmsg(st));
    free(rows[0].json);
    /* The same row twice in one chunk is stored once. */
    make_up(&rows[0], 1000, 0);
    zk_store_userproof two[2] = {rows[0], rows[0]};
    CHECK(OK(st, zk_store_put_userproofs(st, two, 2)));
    up_free(rows, 1);
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && m == 1000);
    /* Reads by index and by id. */
    for (int k = 0; k < 20; k++) {
        uint64_t i = test_rand64() % 1001;
        zk_store_userproof got, want;
        make_up(&want, i, 0);
        CHECK(OK(st, zk_store_get_userproof(st, &res, &got, i)) && res == ZK_STORE_DONE &&
              up_equal(&got, &want));
        zk_store_userproof_clear(&got);
        CHECK(OK(st, zk_store_find_userproof(st, &res, &got, want.account_id)) &&
              res == ZK_STORE_DONE && up_equal(&got, &want));
        zk_store_userproof_clear(&got);
        free(want.json);
    }
    zk_store_userproof got;
    CHECK(OK(st, zk_store_get_userproof(st, &res, &got, 5000)) && res == ZK_STORE_NOT_FOUND);
    CHECK(OK(st, zk_store_find_userproof(st, &res, &got,
                                         "00000000000000000000000000000000000000000000000000000000"
                                         "00000000")) &&
          res == ZK_STORE_NOT_FOUND);
    CHECK(zk_store_find_userproof(st, &res, &got, "ABCD") == ZK_ERR_ARG);
    /* Walks in index order, from any start. */
    walk w = {0, 0, 0};
    CHECK(OK(st, zk_store_each_userproof(st, 0, walk_up, &w)) && w.count == 1001 && w.bad == 0);
    w = (walk){700, 0, 0};
    CHECK(OK(st, zk_store_each_userproof(st, 700, walk_up, &w)) && w.count == 301 && w.bad == 0);
    /* Bad rows are refused before anything is written. */
    rows = up_rows(2000, 2, 0);
    rows[1].account_id[3] = 'A';
    CHECK(zk_store_put_userproofs(st, rows, 2) == ZK_ERR_ARG &&
          contains(zk_store_errmsg(st), "row 1 (account 2001)"));
    up_free(rows, 2);
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && m == 1000);
    zk_store_close(st);
}

typedef struct {
    uint64_t next, stop_at;
    int bad;
    size_t count;
} pwalk;

static zk_err walk_proof(void *ctx, const zk_store_proof *p) {
    pwalk *w = ctx;
    proof_buf want;
    if (p->batch_number == w->stop_at) return ZK_ERR_VERIFY;
    if (p->batch_number != w->next || !proof_equal(p, make_proof(&want, w->next, w->next % 3)) ||
        strcmp(p->worker, "w"))
        w->bad++;
    w->next += 2; /* only even batches are proven */
    w->count++;
    return ZK_OK;
}

static void t_iterate(const char *url) {
    enum { N = 560 }; /* more than two pages of proofs */
    zk_store *st = fresh(url);
    zk_store_result res;
    proof_buf pb;
    if (!st) return;
    for (uint64_t b = 0; b < N; b++) {
        uint8_t x[8];
        fill(x, 8, b);
        CHECK(OK(st, zk_store_put_batch(st, &res, b, x, 8)));
    }
    for (uint64_t b = 0; b < N; b += 2)
        CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, b, b % 3), "w")) &&
              res == ZK_STORE_DONE);
    pwalk w = {0, UINT64_MAX, 0, 0};
    CHECK(OK(st, zk_store_each_proof(st, 0, walk_proof, &w)) && w.count == N / 2 && w.bad == 0);
    w = (pwalk){300, UINT64_MAX, 0, 0};
    CHECK(OK(st, zk_store_each_proof(st, 299, walk_proof, &w)) && w.count == (N - 300) / 2 &&
          w.bad == 0);
    w = (pwalk){0, 400, 0, 0};
    CHECK(zk_store_each_proof(st, 0, walk_proof, &w) == ZK_ERR_VERIFY && w.count == 200 && !w.bad);
    zk_store_close(st);
}

static void t_delete_all(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    zk_store_counts c;
    proof_buf pb;
    uint64_t m;
    int v;
    if (!st) return;
    for (uint64_t b = 0; b < 3; b++) CHECK(put_witness(st, b, 0, &res));
    CHECK(OK(st, zk_store_complete(st, &res, make_proof(&pb, 1, 0), "w")));
    CHECK(put_ups(st, 0, 10, 0));
    CHECK(OK(st, zk_store_meta_set(st, "config", "x", 1)));
    CHECK(OK(st, zk_store_counts_get(st, &c)) && c.batches == 3 && c.proofs == 1 &&
          c.userproofs == 10 && c.meta == 1);
    CHECK(OK(st, zk_store_delete_all(st)));
    CHECK(OK(st, zk_store_counts_get(st, &c)));
    zk_store_counts zero = {0};
    CHECK(!memcmp(&c, &zero, sizeof c));
    CHECK(OK(st, zk_store_max_batch(st, &res, &m)) && res == ZK_STORE_NOT_FOUND);
    CHECK(OK(st, zk_store_max_userproof(st, &res, &m)) && res == ZK_STORE_NOT_FOUND);
    CHECK(OK(st, zk_store_schema_version(st, &v)) && v == ZK_STORE_SCHEMA_VERSION);
    /* Usable again: a new run starts from batch 0. */
    CHECK(put_witness(st, 0, 1, &res));
    RES(res, ZK_STORE_DONE);
    zk_store_close(st);
}

/* ---- fault injection ---- */

/* Base state of the fault cases: batches 0..3 (0 claimed by "holder"), a
 * proof of 3, user proofs 0..9, meta alpha. */
static int setup_base(zk_store *st) {
    zk_store_result res;
    uint64_t b;
    proof_buf pb;
    for (uint64_t i = 0; i < 4; i++)
        if (!put_witness(st, i, 0, &res)) return 0;
    return OK(st, zk_store_claim_next(st, &res, &b, "holder", 600)) && b == 0 &&
           OK(st, zk_store_complete(st, &res, make_proof(&pb, 3, 5), "holder")) &&
           put_ups(st, 0, 10, 0) && OK(st, zk_store_meta_set(st, "alpha", "a", 1));
}

/* Each operation under test: run it (on st, maybe a wrapper) and, once it
 * has succeeded, check its effect on the real store. */
typedef struct {
    const char *name;
    zk_err (*run)(zk_store *st);
    int (*check)(zk_store *st);
    zk_err expect; /* what the operation returns without faults */
} fault_op;

static zk_err op_put_batch(zk_store *st) {
    size_t n;
    zk_store_result res;
    uint8_t *w = witness(4, 0, &n);
    zk_err e = zk_store_put_batch(st, &res, 4, w, n);
    free(w);
    return e == ZK_OK && res != ZK_STORE_DONE && res != ZK_STORE_UNCHANGED ? ZK_ERR_VERIFY : e;
}
static int ck_put_batch(zk_store *st) {
    zk_store_result res;
    zk_store_batch_info in;
    return OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 4)) && res == ZK_STORE_DONE &&
           in.witness_len == witness_len(4) && in.state == ZK_BATCH_PUBLISHED;
}
static zk_err op_reput_batch(zk_store *st) {
    zk_store_result res;
    size_t n;
    uint8_t *w = witness(2, 0, &n);
    zk_err e = zk_store_put_batch(st, &res, 2, w, n);
    free(w);
    return e == ZK_OK && res != ZK_STORE_UNCHANGED ? ZK_ERR_VERIFY : e;
}
static int ck_none(zk_store *st) {
    (void)st;
    return 1;
}
static zk_err op_claim(zk_store *st) {
    zk_store_result res;
    uint64_t b;
    zk_err e = zk_store_claim_next(st, &res, &b, "claimer", 600);
    return e == ZK_OK && (res != ZK_STORE_DONE || b != 1) ? ZK_ERR_VERIFY : e;
}
static int ck_claim(zk_store *st) {
    zk_store_result res;
    zk_store_batch_info in;
    return OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 1)) &&
           in.state == ZK_BATCH_CLAIMED && in.attempts == 1 && !strcmp(in.worker, "claimer");
}
static zk_err op_complete(zk_store *st) {
    zk_store_result res;
    proof_buf pb;
    zk_err e = zk_store_complete(st, &res, make_proof(&pb, 0, 9), "holder");
    /* A retry after a lost reply finds its own proof stored. */
    return e == ZK_OK && res != ZK_STORE_DONE && res != ZK_STORE_ALREADY_PROVEN ? ZK_ERR_VERIFY : e;
}
static int ck_complete(zk_store *st) {
    zk_store_result res;
    zk_store_batch_info in;
    zk_store_counts c;
    return proof_is(st, 0, 9, "holder") && OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) &&
           in.state == ZK_BATCH_PROVEN && OK(st, zk_store_counts_get(st, &c)) && c.proofs == 2 &&
           c.proven == 2;
}
static zk_err op_release(zk_store *st) {
    zk_store_result res;
    zk_err e = zk_store_release(st, &res, 0, "holder", "boom");
    /* A retry after a lost reply finds the batch released already. */
    return e == ZK_OK && res != ZK_STORE_DONE && res != ZK_STORE_LEASE_LOST ? ZK_ERR_VERIFY : e;
}
static int ck_release(zk_store *st) {
    zk_store_result res;
    zk_store_batch_info in;
    return OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) &&
           in.state == ZK_BATCH_PUBLISHED && !strcmp(in.last_error, "boom");
}
static zk_err op_put_ups(zk_store *st) { /* 8, 9 stored already; 10..12 new */
    zk_store_userproof *rows = up_rows(8, 5, 0);
    zk_err e = zk_store_put_userproofs(st, rows, 5);
    up_free(rows, 5);
    return e;
}
static int ck_put_ups(zk_store *st) {
    zk_store_result res;
    uint64_t m;
    walk w = {0, 0, 0};
    return OK(st, zk_store_max_userproof(st, &res, &m)) && m == 12 &&
           OK(st, zk_store_each_userproof(st, 0, walk_up, &w)) && w.count == 13 && !w.bad;
}
static zk_err op_put_ups_conflict(zk_store *st) { /* 10, 11 new; 12 = stored 9 changed */
    zk_store_userproof *rows = up_rows(10, 3, 0);
    free(rows[2].json);
    make_up(&rows[2], 9, 2);
    zk_err e = zk_store_put_userproofs(st, rows, 3);
    up_free(rows, 3);
    return e;
}
static zk_err op_meta(zk_store *st) { return zk_store_meta_set(st, "beta", "new value", 9); }
static int ck_meta(zk_store *st) {
    zk_store_result res;
    char *v;
    size_t n;
    int ok = OK(st, zk_store_meta_get(st, &res, &v, &n, "beta")) && res == ZK_STORE_DONE && n == 9 &&
             !memcmp(v, "new value", 9);
    free(v);
    return ok;
}
static zk_err op_delete_all(zk_store *st) { return zk_store_delete_all(st); }
static int ck_delete_all(zk_store *st) {
    zk_store_counts c, zero = {0};
    return OK(st, zk_store_counts_get(st, &c)) && !memcmp(&c, &zero, sizeof c);
}

static const fault_op FAULT_OPS[] = {
    {"put_batch", op_put_batch, ck_put_batch, ZK_OK},
    {"put_batch again", op_reput_batch, ck_none, ZK_OK},
    {"claim_next", op_claim, ck_claim, ZK_OK},
    {"complete", op_complete, ck_complete, ZK_OK},
    {"release", op_release, ck_release, ZK_OK},
    {"put_userproofs", op_put_ups, ck_put_ups, ZK_OK},
    {"put_userproofs conflict", op_put_ups_conflict, ck_none, ZK_ERR_FORMAT},
    {"meta_set", op_meta, ck_meta, ZK_OK},
    {"delete_all", op_delete_all, ck_delete_all, ZK_OK},
};
#define N_FAULT_OPS (sizeof FAULT_OPS / sizeof FAULT_OPS[0])

/* Step k of the operation fails: the store is exactly as before, and a
 * retry succeeds. Then k+1, until the operation runs through. */
static void t_fault_steps(const char *url) {
    zk_store *st = open_url(url);
    if (!st) return;
    for (size_t o = 0; o < N_FAULT_OPS; o++) {
        const fault_op *op = &FAULT_OPS[o];
        int done = 0;
        for (uint64_t k = 1; k <= 40 && !done; k++) {
            zk_store *fz = NULL;
            zk_store_fault_plan plan = {.fail_step = k};
            uint64_t faults = 0, steps = 0;
            if (!OK(st, zk_store_delete_all(st)) || !setup_base(st)) break;
            uint64_t d0 = digest(st);
            if (!OK(st, zk_store_faulty_open(&fz, st, &plan))) break;
            zk_err e = op->run(fz);
            zk_store_faulty_stats(fz, NULL, &steps, &faults);
            zk_store_faulty_set_plan(fz, NULL); /* no faults while checking */
            if (faults) {
                CHECK_MSG(e == ZK_ERR_IO && contains(zk_store_errmsg(fz), "injected fault"),
                          "[%s] %s, step %llu: %s", g_backend, op->name, (unsigned long long)k,
                          zk_store_errmsg(fz));
                CHECK_MSG(digest(st) == d0, "[%s] %s: failing step %llu left a change", g_backend,
                          op->name, (unsigned long long)k);
                e = op->run(fz); /* the retry */
            } else {
                done = 1; /* ran through with fewer than k steps */
            }
            CHECK_MSG(e == op->expect, "[%s] %s after fault at step %llu: %s (%s)", g_backend,
                      op->name, (unsigned long long)k, zk_strerror(e), zk_store_errmsg(fz));
            if (op->expect != ZK_OK) CHECK(digest(st) == d0);
            else CHECK_MSG(op->check(st), "[%s] %s: wrong effect", g_backend, op->name);
            zk_store_close(fz);
        }
        CHECK_MSG(done, "[%s] %s: sweep did not finish", g_backend, op->name);
    }
    zk_store_close(st);
}

/* Lost replies: the operation took effect but the caller saw an error; the
 * retry must be harmless and give the same final state. */
static void t_fault_after(const char *url) {
    zk_store *st = open_url(url);
    if (!st) return;
    for (size_t o = 0; o < N_FAULT_OPS; o++) {
        const fault_op *op = &FAULT_OPS[o];
        zk_store *fz = NULL;
        zk_store_fault_plan plan = {.fail_call = 1, .after = 1};
        if (op->run == op_claim) continue; /* a lost claim waits for its lease: t_dead_worker */
        if (!OK(st, zk_store_delete_all(st)) || !setup_base(st)) break;
        if (!OK(st, zk_store_faulty_open(&fz, st, &plan))) break;
        zk_err e = op->run(fz);
        CHECK_MSG(e == (op->expect == ZK_OK ? ZK_ERR_IO : op->expect), "[%s] %s: %s", g_backend,
                  op->name, zk_store_errmsg(fz));
        e = op->run(fz);
        CHECK_MSG(e == op->expect, "[%s] %s retried: %s", g_backend, op->name, zk_store_errmsg(fz));
        zk_store_faulty_set_plan(fz, NULL);
        if (op->expect == ZK_OK) CHECK_MSG(op->check(st), "[%s] %s: wrong effect", g_backend, op->name);
        zk_store_close(fz);
    }
    zk_store_close(st);
}

/* A whole small run (witness, proving, user proofs) through a store whose
 * every 3rd call, or every 17th statement, fails; the driver retries failed
 * calls, as the pipeline does. The result must equal a fault-free run's,
 * with no batch claimed twice (a failed claim claims nothing). */
static int retry(zk_store *fz, zk_err (*fn)(zk_store *, void *), void *ctx, int line) {
    for (int i = 0; i < 30; i++) {
        zk_err e = fn(fz, ctx);
        if (e == ZK_OK) return 1;
        if (e != ZK_ERR_IO || !contains(zk_store_errmsg(fz), "injected")) {
            CHECK_MSG(0, "[%s] line %d: %s", g_backend, line, zk_store_errmsg(fz));
            return 0;
        }
    }
    CHECK_MSG(0, "[%s] line %d: still failing after 30 tries", g_backend, line);
    return 0;
}
typedef struct {
    uint64_t b;
    zk_store_result res;
} drv;
static zk_err d_put(zk_store *st, void *c) {
    drv *d = c;
    size_t n;
    uint8_t *w = witness(d->b, 0, &n);
    zk_err e = zk_store_put_batch(st, &d->res, d->b, w, n);
    free(w);
    return e;
}
static zk_err d_claim(zk_store *st, void *c) {
    drv *d = c;
    return zk_store_claim_next(st, &d->res, &d->b, "driver", 600);
}
static zk_err d_complete(zk_store *st, void *c) {
    drv *d = c;
    proof_buf pb;
    return zk_store_complete(st, &d->res, make_proof(&pb, d->b, 4), "driver");
}
static zk_err d_ups(zk_store *st, void *c) {
    drv *d = c;
    zk_store_userproof *rows = up_rows(d->b, 8, 0);
    zk_err e = zk_store_put_userproofs(st, rows, 8);
    up_free(rows, 8);
    return e;
}
static zk_err d_max_up(zk_store *st, void *c) {
    drv *d = c;
    return zk_store_max_userproof(st, &d->res, &d->b);
}

static void t_fault_pipeline(const char *url) {
    static const zk_store_fault_plan plans[] = {
        {.fail_call = 3, .repeat = 1},
        {.fail_step = 17, .repeat = 1},
    };
    for (size_t pi = 0; pi < 2; pi++) {
        enum { NB = 12, NU = 40 };
        zk_store *st = fresh(url), *fz = NULL;
        if (!st) return;
        if (!OK(st, zk_store_faulty_open(&fz, st, &plans[pi]))) {
            zk_store_close(st);
            return;
        }
        drv d;
        int ok = 1;
        for (uint64_t b = 0; ok && b < NB; b++) {
            d.b = b;
            ok = retry(fz, d_put, &d, __LINE__);
        }
        for (int guard = 0; ok && guard < 100; guard++) {
            ok = retry(fz, d_claim, &d, __LINE__);
            if (!ok || d.res == ZK_STORE_NONE_LEFT) break;
            CHECK(d.res == ZK_STORE_DONE);
            ok = retry(fz, d_complete, &d, __LINE__);
            CHECK(d.res == ZK_STORE_DONE);
        }
        /* User proofs in chunks of 8, resuming after the highest stored. */
        for (int guard = 0; ok && guard < 100; guard++) {
            ok = retry(fz, d_max_up, &d, __LINE__);
            uint64_t next = d.res == ZK_STORE_DONE ? d.b + 1 : 0;
            if (!ok || next >= NU) break;
            d.b = next;
            ok = retry(fz, d_ups, &d, __LINE__);
        }
        uint64_t faults;
        zk_store_faulty_stats(fz, NULL, NULL, &faults);
        CHECK_MSG(faults >= 5, "[%s] only %llu faults injected", g_backend, (unsigned long long)faults);
        zk_store_close(fz);
        /* The result equals the fault-free run's. */
        zk_store_counts c;
        zk_store_result res;
        CHECK(OK(st, zk_store_counts_get(st, &c)) && c.batches == NB && c.proven == NB &&
              c.proofs == NB && c.retried == 0 && c.userproofs == NU);
        for (uint64_t b = 0; b < NB; b++) {
            zk_store_batch_info in;
            uint8_t *w, *want;
            size_t n, wn;
            want = witness(b, 0, &wn);
            CHECK(OK(st, zk_store_get_batch(st, &res, &in, &w, &n, b)) && in.attempts == 1 &&
                  n == wn && !memcmp(w, want, n));
            CHECK(proof_is(st, b, 4, "driver"));
            free(w), free(want);
        }
        walk w = {0, 0, 0};
        CHECK(OK(st, zk_store_each_userproof(st, 0, walk_up, &w)) && w.count == NU && !w.bad);
        zk_store_close(st);
    }
}

/* The process dies at step k of an operation: a fresh handle finds the
 * store exactly as before, and the retried operation succeeds. */
static void t_crash(const char *url) {
    static const size_t ops[] = {2, 3, 5, 8}; /* claim, complete, put_userproofs, delete_all */
    for (size_t oi = 0; oi < sizeof ops / sizeof *ops; oi++) {
        const fault_op *op = &FAULT_OPS[ops[oi]];
        int done = 0;
        for (uint64_t k = 1; k <= 40 && !done; k++) {
            zk_store *st = fresh(url);
            if (!st) return;
            if (!setup_base(st)) {
                zk_store_close(st);
                return;
            }
            uint64_t d0 = digest(st);
            zk_store_close(st);
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) {
                zk_store *cs = NULL, *fz = NULL;
                zk_store_fault_plan plan = {.fail_step = k, .crash = 1};
                if (zk_store_open(&cs, url) != ZK_OK || zk_store_faulty_open(&fz, cs, &plan) != ZK_OK)
                    _exit(2);
                _exit(op->run(fz) == op->expect ? 0 : 1);
            }
            int status = -1;
            waitpid(pid, &status, 0);
            if (!(st = open_url(url))) return;
            if (WIFEXITED(status) && WEXITSTATUS(status) == ZK_STORE_CRASH_EXIT) {
                CHECK_MSG(digest(st) == d0, "[%s] %s: crash at step %llu left a change", g_backend,
                          op->name, (unsigned long long)k);
                zk_err e = op->run(st);
                CHECK_MSG(e == op->expect, "[%s] %s after crash at step %llu: %s", g_backend,
                          op->name, (unsigned long long)k, zk_store_errmsg(st));
            } else {
                CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "[%s] %s: child status %d",
                          g_backend, op->name, status);
                done = 1;
            }
            CHECK_MSG(op->check(st), "[%s] %s: wrong effect (crash step %llu)", g_backend, op->name,
                      (unsigned long long)k);
            zk_store_close(st);
        }
        CHECK_MSG(done, "[%s] %s: crash sweep did not finish", g_backend, op->name);
    }
}

/* PostgreSQL: the server ends the session (restart, failover, idle
 * timeout). The operation in flight fails with a message; the next one
 * reconnects, and nothing is lost. */
static void t_pg_reconnect(const char *url) {
    zk_store *st = fresh(url);
    zk_store_result res;
    uint64_t b;
    if (!st) return;
    CHECK(put_witness(st, 0, 0, &res));
    PGconn *admin = PQconnectdb(url);
    CHECK_MSG(PQstatus(admin) == CONNECTION_OK, "admin connection: %s", PQerrorMessage(admin));
    PGresult *r = PQexec(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name = 'zkpos' AND pid <> pg_backend_pid()");
    CHECK_MSG(PQresultStatus(r) == PGRES_TUPLES_OK && !strcmp(PQgetvalue(r, 0, 0), "1"),
              "terminate: %s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(admin);
    zk_err e = zk_store_claim_next(st, &res, &b, "w", 30);
    CHECK_MSG(e == ZK_ERR_IO && contains(zk_store_errmsg(st), "claim_next"), "%s",
              zk_store_errmsg(st));
    CHECK(OK(st, zk_store_claim_next(st, &res, &b, "w", 30)) && res == ZK_STORE_DONE && b == 0);
    zk_store_batch_info in;
    CHECK(OK(st, zk_store_get_batch(st, &res, &in, NULL, NULL, 0)) && in.attempts == 1);
    zk_store_close(st);
}

/* ---- opening errors (no server needed) ---- */

static void t_open_errors(const char *dir) {
    zk_store *st = NULL;
    char path[512];
    g_backend = "open";
#define OPEN_FAILS(url, code, sub)                                                         \
    do {                                                                                   \
        zk_err e_ = zk_store_open(&st, url);                                               \
        CHECK_MSG(e_ == (code) && st && contains(zk_store_errmsg(st), sub),                \
                  "open(%s): %s: %s", url, zk_strerror(e_), zk_store_errmsg(st));          \
        CHECK(!contains(zk_store_errmsg(st), "s3cret")); /* never shows a password */      \
        zk_store_close(st);                                                                \
    } while (0)
    OPEN_FAILS("", ZK_ERR_ARG, "empty store URL");
    OPEN_FAILS("mysql://root@localhost/zkpos", ZK_ERR_ARG, "unsupported store URL scheme 'mysql'");
    OPEN_FAILS("sqlite://", ZK_ERR_ARG, "without a path");
    OPEN_FAILS("/nonexistent-zkpos-dir/x/store.db", ZK_ERR_IO, "/nonexistent-zkpos-dir/x/store.db");
    OPEN_FAILS("postgres://zkpos@127.0.0.1:1/zkpos?connect_timeout=5", ZK_ERR_IO,
               "cannot connect to PostgreSQL");
    OPEN_FAILS("postgresql://zkpos@127.0.0.1:1/zkpos", ZK_ERR_IO, "127.0.0.1");
    OPEN_FAILS("postgresql://user@[::1/db", ZK_ERR_ARG, "bad PostgreSQL URL");
    OPEN_FAILS("postgres://h/db?nosuchoption=1", ZK_ERR_ARG, "nosuchoption");
    /* Messages never show a password. */
    OPEN_FAILS("postgresql://user:s3cret@[::1/db", ZK_ERR_ARG, "postgresql://user:***@[::1/db");
    OPEN_FAILS("postgres://u@[::1/db?password=s3cret&x=1", ZK_ERR_ARG, "password=***&x=1");
    OPEN_FAILS("postgres://u:s3cret@127.0.0.1:1/db", ZK_ERR_IO, "Connection refused");
    /* A file that is not a database. */
    snprintf(path, sizeof path, "%s/not-a-db", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        for (int i = 0; i < 4096; i++) fputc('x', f);
        fclose(f);
    }
    OPEN_FAILS(path, ZK_ERR_IO, "not a database");
    unlink(path);
    /* A schema newer than this program: refused, not misread. */
    snprintf(path, sizeof path, "%s/newer.db", dir);
    if (zk_store_open(&st, path) == ZK_OK) {
        zk_store_close(st);
        sqlite3 *db;
        CHECK(sqlite3_open(path, &db) == SQLITE_OK &&
              sqlite3_exec(db, "INSERT INTO schema_version VALUES (99, 'future', 0)", NULL, NULL,
                           NULL) == SQLITE_OK);
        sqlite3_close(db);
        OPEN_FAILS(path, ZK_ERR_FORMAT, "schema version 99, newer than this zkpos");
    } else {
        CHECK_MSG(0, "open %s: %s", path, zk_store_errmsg(st));
        zk_store_close(st);
    }
    char tail[600];
    snprintf(tail, sizeof tail, "%s-wal", path), unlink(tail);
    snprintf(tail, sizeof tail, "%s-shm", path), unlink(tail);
    unlink(path);
    /* sqlite:// prefix, then a failed handle refuses operations. */
    snprintf(path, sizeof path, "sqlite://%s/prefixed.db", dir);
    if (zk_store_open(&st, path) == ZK_OK) CHECK(!strcmp(zk_store_backend(st), "sqlite"));
    else CHECK_MSG(0, "open %s: %s", path, zk_store_errmsg(st));
    zk_store_close(st);
    CHECK(zk_store_open(&st, "mysql://x") == ZK_ERR_ARG);
    zk_store_counts c;
    CHECK(zk_store_counts_get(st, &c) == ZK_ERR_ARG && contains(zk_store_errmsg(st), "not open"));
    zk_store_close(st);
    CHECK(zk_store_errmsg(NULL)[0] != 0);
    char id[ZK_STORE_WORKER_MAX + 1], id2[ZK_STORE_WORKER_MAX + 1];
    CHECK(zk_store_worker_id(id) == ZK_OK && zk_store_worker_id(id2) == ZK_OK && strcmp(id, id2) &&
          strlen(id) > 10 && !strchr(id, ' '));
#undef OPEN_FAILS
}

static void suite(const char *url, const char *name) {
    double t0 = zk_now();
    int failed0 = test_failed_;
    g_backend = name;
#define RUN(t)                                                                             \
    do {                                                                                   \
        double t1 = zk_now();                                                              \
        t(url);                                                                            \
        if (getenv("ZKPOS_TEST_VERBOSE")) printf("[%s] %s %.2f s\n", name, #t, zk_now() - t1); \
    } while (0)
    RUN(t_schema);
    RUN(t_meta);
    RUN(t_batches);
    RUN(t_transitions);
    RUN(t_concurrent_claims);
    RUN(t_dead_worker);
    RUN(t_userproofs);
    RUN(t_iterate);
    RUN(t_delete_all);
    RUN(t_fault_steps);
    RUN(t_fault_after);
    RUN(t_fault_pipeline);
    RUN(t_crash);
    if (!strcmp(name, "postgres")) RUN(t_pg_reconnect);
#undef RUN
    printf("[%s] conformance suite: %s, %.1f s\n", name, test_failed_ == failed0 ? "ok" : "FAILED",
           zk_now() - t0);
}

int main(int argc, char **argv) {
    test_init();
    /* tmpfs when there is one: the cases commit thousands of small
     * transactions and fsync costs are not what they test (a process crash
     * keeps what the page cache holds on any file system). */
    char dir[64];
    snprintf(dir, sizeof dir, "%s/zkpos-test-store-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    t_open_errors(dir);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) suite(argv[i], contains(argv[i], "postgres") ? "postgres" : "sqlite");
    } else {
        char url[600];
        snprintf(url, sizeof url, "%s/store.db", dir);
        suite(url, "sqlite");
        const char *pg = getenv("ZKPOS_TEST_PG_URL");
        if (pg && *pg) suite(pg, "postgres");
        else printf("ZKPOS_TEST_PG_URL not set: PostgreSQL backend not tested here (tests/store_pg.sh does)\n");
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    TEST_DONE();
}
