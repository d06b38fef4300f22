/* MSM benchmark: G1 at 2^16, 2^18, 2^20 points (random scalars, and Groth16-
 * like scalars: 40 % zeros, 40 % ones, 20 % random), G2 at 2^16 and 2^18,
 * each with 1 and 2 threads. One line per measurement: the best wall time of
 * --reps runs (default 2), and that run's process CPU time, which tells how
 * much a busy machine held the threads back. --quick: only 2^16.
 *
 * Points are start + i * step (one addition each, then one batch conversion
 * to affine), so setting up 2^20 points takes well under a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ec/ec.h"

static uint64_t rng_state = 0x243f6a8885a308d3ULL;
static uint64_t rng64(void) { /* splitmix64: fixed seed, reproducible inputs */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void rand_fr(fr_t *r) {
    uint64_t v[4] = {rng64(), rng64(), rng64(), rng64()};
    fr_from_u256_reduce(r, v);
}

static void scalars_fill(fr_t *k, size_t n, int sparse) {
    for (size_t i = 0; i < n; i++) {
        uint64_t c = sparse ? rng64() % 10 : 9;
        if (c < 4) fr_zero(&k[i]);
        else if (c < 8) fr_one(&k[i]);
        else rand_fr(&k[i]);
    }
}

#define BENCH_POINTS(G)                                                      \
    static G##_affine_t *G##_points(size_t n) {                              \
        G##_affine_t *out = malloc(n * sizeof *out), ga;                     \
        G##_jac_t *tmp = malloc(n * sizeof *tmp), g, start, step;            \
        if (!out || !tmp) { fprintf(stderr, "out of memory\n"); exit(1); }   \
        fr_t a, b;                                                           \
        rand_fr(&a);                                                         \
        rand_fr(&b);                                                         \
        G##_generator(&ga);                                                  \
        G##_from_affine(&g, &ga);                                            \
        G##_mul_var(&start, &g, &a);                                         \
        G##_mul_var(&step, &g, &b);                                          \
        for (size_t i = 0; i < n; i++) {                                     \
            tmp[i] = start;                                                  \
            G##_add(&start, &start, &step);                                  \
        }                                                                    \
        G##_batch_to_affine(out, tmp, n);                                    \
        free(tmp);                                                           \
        return out;                                                          \
    }                                                                        \
    static double G##_time(zk_pool *pool, const G##_affine_t *p, const fr_t *k, size_t n, int reps, \
                           double *cpu) {                                    \
        double best = 1e30;                                                  \
        for (int r = 0; r < reps; r++) {                                     \
            G##_jac_t out;                                                   \
            double t = zk_now(), c = cpu_now();                              \
            if (G##_msm_var(pool, &out, p, k, n) != ZK_OK) { fprintf(stderr, "msm failed\n"); exit(1); } \
            t = zk_now() - t;                                                \
            if (t < best) { best = t; *cpu = cpu_now() - c; }                \
        }                                                                    \
        return best;                                                         \
    }
BENCH_POINTS(g1)
BENCH_POINTS(g2)

int main(int argc, char **argv) {
    int quick = 0, reps = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else { fprintf(stderr, "usage: %s [--quick] [--reps N]\n", argv[0]); return 2; }
    }
    if (reps < 1) reps = 1;
    zk_pool *pools[2] = {zk_pool_new(1), zk_pool_new(2)};
    if (!pools[0] || !pools[1]) return 1;

    unsigned g1_max = quick ? 16 : 20, g2_max = quick ? 16 : 18;
    size_t n1 = (size_t)1 << g1_max;
    g1_affine_t *p1 = g1_points(n1);
    fr_t *k = malloc(n1 * sizeof *k);
    if (!k) return 1;
    for (unsigned lg = 16; lg <= g1_max; lg += 2) {
        size_t n = (size_t)1 << lg;
        for (int sparse = 0; sparse <= 1; sparse++) {
            scalars_fill(k, n, sparse);
            for (int t = 0; t < 2; t++) {
                double cpu = 0, wall = g1_time(pools[t], p1, k, n, reps, &cpu);
                printf("g1_msm n=2^%u threads=%d scalars=%s %.3f s (cpu %.3f s)\n", lg, zk_pool_threads(pools[t]),
                       sparse ? "80%-zero-one" : "random", wall, cpu);
            }
            fflush(stdout);
        }
    }
    free(p1);

    size_t n2 = (size_t)1 << g2_max;
    g2_affine_t *p2 = g2_points(n2);
    for (unsigned lg = 16; lg <= g2_max; lg += 2) {
        size_t n = (size_t)1 << lg;
        scalars_fill(k, n, 0);
        for (int t = 0; t < 2; t++) {
            double cpu = 0, wall = g2_time(pools[t], p2, k, n, reps, &cpu);
            printf("g2_msm n=2^%u threads=%d scalars=random %.3f s (cpu %.3f s)\n", lg, zk_pool_threads(pools[t]),
                   wall, cpu);
        }
        fflush(stdout);
    }
    free(p2);
    free(k);
    zk_pool_free(pools[0]);
    zk_pool_free(pools[1]);
    return 0;
}
