/* Thread pool: a fixed set of workers woken per zk_pool_run call.
 *
 * Tasks are claimed with an atomic counter, so uneven tasks balance
 * themselves; the calling thread works too, so a pool of N threads starts
 * N-1 workers. A generation counter lets workers tell a new job from a
 * spurious wake-up. */
#define _GNU_SOURCE
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct zk_pool {
    int nthreads;
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_cond_t done;
    uint64_t generation;
    int shutdown;
    /* current job */
    zk_task_fn fn;
    void *ctx;
    size_t ntasks;
    atomic_size_t next;
    int active; /* workers still inside the current job */
};

int zk_cpu_count(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

static void run_tasks(zk_pool *p) {
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->ntasks) break;
        p->fn(p->ctx, i);
    }
}

static void *worker_main(void *arg) {
    zk_pool *p = arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->shutdown && p->generation == seen) pthread_cond_wait(&p->wake, &p->mu);
        if (p->shutdown) break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        run_tasks(p);
        pthread_mutex_lock(&p->mu);
        if (--p->active == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

zk_pool *zk_pool_new(int nthreads) {
    if (nthreads <= 0) nthreads = zk_cpu_count();
    zk_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nthreads = nthreads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    if (nthreads > 1) {
        p->workers = calloc((size_t)nthreads - 1, sizeof(pthread_t));
        if (!p->workers) { free(p); return NULL; }
        for (int i = 0; i < nthreads - 1; i++) {
            if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) {
                p->nthreads = i + 1;
                break;
            }
        }
    }
    return p;
}

void zk_pool_free(zk_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->shutdown = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads - 1; i++) pthread_join(p->workers[i], NULL);
    free(p->workers);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    free(p);
}

int zk_pool_threads(const zk_pool *p) { return p ? p->nthreads : 1; }

void zk_pool_run(zk_pool *p, size_t ntasks, zk_task_fn fn, void *ctx) {
    if (ntasks == 0) return;
    if (!p || p->nthreads == 1 || ntasks == 1) {
        for (size_t i = 0; i < ntasks; i++) fn(ctx, i);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->ntasks = ntasks;
    atomic_store(&p->next, 0);
    p->active = p->nthreads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    run_tasks(p);
    pthread_mutex_lock(&p->mu);
    while (p->active > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
