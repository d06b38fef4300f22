/* util: error codes, attribute macros, a small thread pool and the OS CSPRNG.
 *
 * Design: the pool is an explicit object handed to whoever needs parallelism
 * (context first, as in libsecp256k1) so the crypto core has no global
 * mutable state. It is a plain "parallel for": callers split work into
 * independent tasks indexed 0..n-1; the pool runs them on its threads plus
 * the calling thread and returns when all are done. */
#ifndef ZKPOS_UTIL_H
#define ZKPOS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define ZK_WUR __attribute__((warn_unused_result))
#define ZK_INLINE static inline __attribute__((always_inline))
#else
#define ZK_WUR
#define ZK_INLINE static inline
#endif

typedef enum {
    ZK_OK = 0,
    ZK_ERR_ARG,            /* invalid argument (length, null, range) */
    ZK_ERR_NOT_CANONICAL,  /* integer >= modulus where a field element was expected */
    ZK_ERR_PARSE,          /* malformed text (decimal, hex, JSON, CSV ...) */
    ZK_ERR_NOT_ON_CURVE,
    ZK_ERR_NOT_IN_SUBGROUP,
    ZK_ERR_BAD_ENCODING,   /* flag bits or lengths of a point encoding are wrong */
    ZK_ERR_NO_SQRT,
    ZK_ERR_NOMEM,
    ZK_ERR_IO,
    ZK_ERR_VERIFY,         /* a proof or check did not verify */
    ZK_ERR_FORMAT,         /* file format / version / checksum mismatch */
} zk_err;

/* Human-readable name of an error code (static string). */
const char *zk_strerror(zk_err e);

/* ---- thread pool ---- */
typedef struct zk_pool zk_pool;

/* Creates a pool running tasks on nthreads threads in total (the caller's
 * thread included). nthreads <= 0 means one per online CPU. NULL on failure. */
zk_pool *zk_pool_new(int nthreads);
void zk_pool_free(zk_pool *pool);
/* Number of threads that run tasks (>= 1). A NULL pool means 1. */
int zk_pool_threads(const zk_pool *pool);

typedef void (*zk_task_fn)(void *ctx, size_t task_index);
/* Runs fn(ctx, i) for i in [0, ntasks) across the pool and waits for all.
 * pool may be NULL (runs serially). Not reentrant: a task must not call
 * zk_pool_run on the same pool. */
void zk_pool_run(zk_pool *pool, size_t ntasks, zk_task_fn fn, void *ctx);

/* Online CPU count (>= 1). */
int zk_cpu_count(void);

/* ---- randomness ---- */
/* Fills buf from the operating system's CSPRNG (getrandom). */
ZK_WUR zk_err zk_os_random(void *buf, size_t len);

/* Securely zeroes memory (not optimized away): for toxic waste and secrets. */
void zk_memzero(void *p, size_t len);

/* Monotonic time in seconds, for progress and benchmarks. */
double zk_now(void);

#endif
