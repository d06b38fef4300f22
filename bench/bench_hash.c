/* Poseidon benchmark (one thread): width-3 hashes of two inputs (one t=3
 * permutation each: Merkle tree nodes) and 350-asset v1 account leaves
 * (234-element commitment with chunk 16, then the 4-input leaf hash), each
 * reported per second as the best of several runs; plus the raw permutation
 * rate for every width. --quick: shorter runs.
 * Rates are per second of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
 * i.e. per core, so that other processes on a shared machine distort them
 * less than wall-clock time would; the wall-clock rate is printed beside.
 * The "batched" lines run the same work through the batch API
 * (poseidon_hash_batch: 8 hashes side by side with AVX-512 IFMA, the scalar
 * loop without), still on one thread. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ff/ff.h"
#include "hash/hash.h"

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall_rate; /* wall-clock rate of the best run */
static double best_rate(void (*fn)(fr_t *, size_t), fr_t *st, size_t iters, int reps) {
    double best = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = cpu_now(), w0 = zk_now();
        fn(st, iters);
        double rate = (double)iters / (cpu_now() - t0);
        if (rate > best) {
            best = rate;
            wall_rate = (double)iters / (zk_now() - w0);
        }
    }
    return best;
}

static void run_hash2(fr_t *st, size_t iters) {
    for (size_t i = 0; i < iters; i++)
        if (poseidon_hash(&st[0], st, 2, ZK_POSEIDON_CHUNK_V1) != ZK_OK) return;
}

static void run_leaf(fr_t *st, size_t iters) {
    fr_t leaf[4];
    memcpy(leaf, st, 3 * sizeof *st);
    for (size_t i = 0; i < iters; i++) {
        if (poseidon_hash(&leaf[3], st + 4, 234, ZK_POSEIDON_CHUNK_V1) != ZK_OK) return;
        if (poseidon_hash(&st[4], leaf, 4, ZK_POSEIDON_CHUNK_V1) != ZK_OK) return; /* chain to keep it live */
    }
}

/* batched: BATCH independent hash2 per call, leaves in groups of 8 */
#define BATCH 256
static poseidon_batch *g_batch;
static void run_hash2_batch(fr_t *st, size_t iters) {
    static fr_t pairs[2 * BATCH];
    for (size_t i = 0; i < 2 * BATCH; i++) pairs[i] = st[i % 240];
    for (size_t i = 0; i < iters; i += BATCH) /* chain: outputs become the next inputs */
        if (poseidon_hash_batch(g_batch, pairs, pairs, 2, BATCH, ZK_POSEIDON_CHUNK_V1, NULL) != ZK_OK) return;
    st[0] = pairs[0];
}

static void run_leaf_batch(fr_t *st, size_t iters) {
    static fr_t commit_in[8 * 234], leaf_in[8 * 4], out[8];
    for (size_t i = 0; i < 8 * 234; i++) commit_in[i] = st[(i + i / 234) % 240];
    for (size_t i = 0; i < 8 * 4; i++) leaf_in[i] = st[i % 240];
    for (size_t i = 0; i < iters; i += 8) {
        if (poseidon_hash_batch(g_batch, out, commit_in, 234, 8, ZK_POSEIDON_CHUNK_V1, NULL) != ZK_OK) return;
        for (size_t j = 0; j < 8; j++) leaf_in[4 * j + 3] = out[j];
        if (poseidon_hash_batch(g_batch, out, leaf_in, 4, 8, ZK_POSEIDON_CHUNK_V1, NULL) != ZK_OK) return;
        for (size_t j = 0; j < 8; j++) commit_in[234 * j] = out[j];
    }
}

static size_t perm_width;
static void run_perm(fr_t *st, size_t iters) {
    for (size_t i = 0; i < iters; i++)
        if (poseidon_permute(st, perm_width) != ZK_OK) return;
}
/* 64 states of width perm_width per call (8 groups of 8 lanes) */
static void run_perm_batch(fr_t *st, size_t iters) {
    static fr_t states[64 * 17];
    for (size_t i = 0; i < 64 * perm_width; i++) states[i] = st[i % 240];
    for (size_t i = 0; i < iters; i += 64)
        if (poseidon_permute_batch(g_batch, states, perm_width, 64) != ZK_OK) return;
    st[0] = states[0];
}
static void run_perm_ref(fr_t *st, size_t iters) {
    for (size_t i = 0; i < iters; i++)
        if (poseidon_permute_reference(st, perm_width) != ZK_OK) return;
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int reps = quick ? 1 : 5;
    static fr_t st[240];
    for (size_t i = 0; i < 240; i++) fr_set_u64(&st[i], 0x9e3779b97f4a7c15ULL * (i + 1));
    double r = best_rate(run_hash2, st, quick ? 20000 : 100000, reps);
    printf("poseidon hash2 (t=3) threads=1 %.0f hashes/s per core (%.2f us each; wall clock %.0f/s)\n", r, 1e6 / r,
           wall_rate);
    r = best_rate(run_leaf, st, quick ? 100 : 1000, reps);
    printf("poseidon v1 leaf (350 assets: 234-element commitment + 4-input leaf) threads=1 %.0f leaves/s per core "
           "(%.1f us each; wall clock %.0f/s)\n", r, 1e6 / r, wall_rate);
    if (poseidon_batch_new(&g_batch) != ZK_OK) return 1;
    r = best_rate(run_hash2_batch, st, quick ? 20 * BATCH : 400 * BATCH, reps);
    printf("poseidon hash2 (t=3) batched lanes=%u threads=1 %.0f hashes/s per core (%.2f us each; wall clock %.0f/s)\n",
           poseidon_batch_lanes(), r, 1e6 / r, wall_rate);
    r = best_rate(run_leaf_batch, st, quick ? 64 : 1024, reps);
    printf("poseidon v1 leaf (350 assets) batched lanes=%u threads=1 %.0f leaves/s per core (%.1f us each; wall clock "
           "%.0f/s)\n", poseidon_batch_lanes(), r, 1e6 / r, wall_rate);
    for (perm_width = 2; perm_width <= 17; perm_width++) {
        size_t iters = (quick ? 40000 : 200000) / (perm_width * perm_width);
        double ro = best_rate(run_perm, st, iters, reps), rr = best_rate(run_perm_ref, st, iters, reps);
        double rb = best_rate(run_perm_batch, st, (iters + 63) / 64 * 64 * 4, reps);
        printf("poseidon permute t=%zu threads=1 optimised %.0f/s reference %.0f/s batched %.0f/s\n", perm_width, ro,
               rr, rb);
    }
    poseidon_batch_free(g_batch);
    fflush(stdout);
    return 0;
}
