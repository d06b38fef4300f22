/* The util layer's thread pool for WebAssembly: serial.
 *
 * Why a separate file: wasm32-wasi (without the threads proposal) has no
 * pthreads, and the verifiers compiled into web/zkpos.wasm only reach the
 * pool through optional parallelism (e.g. the MSM inside Groth16
 * verification with many public inputs), so scripts/build-wasm.sh compiles
 * this file in place of src/util/pool.c. Same contract as util.h: a pool of
 * one thread that runs every task on the caller's thread, in order. */
#include <stdlib.h>

#include "util/util.h"

struct zk_pool {
    int nthreads;
};

int zk_cpu_count(void) { return 1; }

zk_pool *zk_pool_new(int nthreads) {
    (void)nthreads;
    zk_pool *p = malloc(sizeof *p);
    if (p) p->nthreads = 1;
    return p;
}

void zk_pool_free(zk_pool *pool) { free(pool); }

int zk_pool_threads(const zk_pool *pool) { return pool ? pool->nthreads : 1; }

void zk_pool_run(zk_pool *pool, size_t ntasks, zk_task_fn fn, void *ctx) {
    (void)pool;
    for (size_t i = 0; i < ntasks; i++) fn(ctx, i);
}
