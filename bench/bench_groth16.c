/* Groth16 benchmark: setup, key save/load, prove (2 threads by default) and
 * verify for a multiplication chain of 2^k constraints, with key sizes and
 * peak memory.
 *
 * Usage: bench_groth16 [--quick] [--big] [--threads N] [--log K]... [--reps R]
 *                      [--dir D] [--profile] [--export DIR]
 *   default sizes 2^16 and 2^18; --big adds 2^20; --quick runs 2^12 only;
 *   --reps: proofs per size (each printed, then the best); --dir: where the
 *   key file goes (default /tmp; big keys belong on a roomy disk);
 *   --profile: the prover prints each phase's time (ZKPOS_G16_PROFILE);
 *   --export DIR: after setup, write DIR/chain_K.zkey (snarkjs format) and
 *   DIR/chain_K.wtns and stop there (for bench/bench_zkey.sh, which times
 *   `zkpos groth16-prove` and snarkjs on the same files).
 * Proving memory is measured in a child process (fork + exec of this
 * program, so nothing of the parent's memory is counted) that maps the
 * saved key, walks the circuit in PROVE mode and proves: its ru_maxrss
 * (peak resident set, the mapped key pages it holds included) is compared
 * with the key file size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "groth16/groth16.h"
#include "r1cs/r1cs.h"
#include "../tests/mult_chain.h"

/* the multiplication chain shared with tests/test_groth16.c, x = 3 */
static void chain(zk_cs *cs, uint64_t n) { mult_chain_circuit(cs, n, 3); }

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static double maxrss_mb(int who) {
    struct rusage ru;
    getrusage(who, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int reps = 1;
static const char *dir = "/tmp";
static const char *export_dir = NULL;

/* --export: the key as a .zkey and the witness of a PROVE walk as a .wtns */
static int export_files(const zk_g16_pk *pk, unsigned k, uint64_t m) {
    char path[512];
    snprintf(path, sizeof path, "%s/chain_%u.zkey", export_dir, k);
    double t = zk_now();
    if (zk_zkey_write(path, pk) != ZK_OK) {
        fprintf(stderr, "bench_groth16: cannot write %s\n", path);
        return 1;
    }
    zk_cs *pc = zk_cs_new(ZK_CS_PROVE);
    if (!pc || zk_cs_reserve(pc, m, m + 2) != ZK_OK) return 1;
    chain(pc, m);
    snprintf(path, sizeof path, "%s/chain_%u.wtns", export_dir, k);
    if (zk_cs_status(pc) != ZK_OK || zk_wtns_write(path, zk_cs_witness(pc), pk->nvars) != ZK_OK) {
        fprintf(stderr, "bench_groth16: cannot write %s\n", path);
        return 1;
    }
    zk_cs_free(pc);
    printf("groth16 export    2^%u: %s/chain_%u.zkey and .wtns, %.2f s, threads 1\n", k, export_dir, k, zk_now() - t);
    fflush(stdout);
    return 0;
}

/* the exec'd child: load the key, walk the circuit in PROVE mode, prove
 * reps times; the proof and public inputs go to PATH.proof */
static int prove_child(const char *path, unsigned k, int threads) {
    uint64_t m = ((uint64_t)1 << k) - 3;
    zk_pool *pool = zk_pool_new(threads);
    zk_g16_pk lk;
    zk_g16_msg msg;
    double a = zk_now();
    if (zk_g16_pk_load(pool, &lk, path, &msg) != ZK_OK) {
        fprintf(stderr, "%s\n", msg.text);
        return 1;
    }
    double b = zk_now();
    zk_cs *pc = zk_cs_new(ZK_CS_PROVE);
    if (!pc || zk_cs_reserve(pc, m, m + 2) != ZK_OK) return 1;
    chain(pc, m);
    const fr_t *w = zk_cs_witness(pc), *av, *bv, *cv;
    zk_cs_abc(pc, &av, &bv, &cv);
    double c = zk_now();
    printf("groth16 load      2^%u: %.3f s (mmap + checksum), threads %d\n", k, b - a, threads);
    printf("groth16 witness   2^%u: %.2f s, threads 1\n", k, c - b);
    fflush(stdout);
    zk_g16_proof proof;
    double best = 0;
    for (int r = 0; r < reps; r++) {
        double t = zk_now(), u = cpu_s();
        if (zk_g16_prove(pool, &proof, &lk, w, lk.nvars, av, bv) != ZK_OK) return 1;
        t = zk_now() - t;
        u = cpu_s() - u;
        if (r == 0 || t < best) best = t;
        if (reps > 1)
            printf("groth16 prove     2^%u constraints: run %d: %.2f s (cpu %.2f s), threads %d\n", k, r + 1, t, u,
                   threads);
        fflush(stdout);
    }
    printf("groth16 prove     2^%u constraints: %.2f s%s, threads %d\n", k, best, reps > 1 ? " (best)" : "", threads);
    char proof_path[300];
    snprintf(proof_path, sizeof proof_path, "%s.proof", path);
    FILE *f = fopen(proof_path, "wb");
    if (!f || fwrite(&proof, sizeof proof, 1, f) != 1 || fwrite(&w[1], sizeof(fr_t), 2, f) != 2) return 1;
    fclose(f);
    fflush(stdout);
    zk_cs_free(pc);
    zk_g16_pk_free(&lk);
    zk_pool_free(pool);
    return 0;
}

/* number of constraints so that the domain is exactly 2^k (m + 2 + 1 <= 2^k) */

static int run(unsigned k, int threads) {
    uint64_t m = ((uint64_t)1 << k) - 3;
    zk_pool *pool = zk_pool_new(threads);
    char path[256];
    snprintf(path, sizeof path, "%s/bench_groth16_%d_%u.pk", dir, (int)getpid(), k);

    double t0 = zk_now();
    zk_cs *cs = zk_cs_new(ZK_CS_SETUP);
    chain(cs, m);
    zk_r1cs_view v;
    if (zk_cs_status(cs) != ZK_OK || zk_r1cs_view_from_cs(&v, cs) != ZK_OK) return 1;
    double t1 = zk_now(), u1 = cpu_s();
    zk_g16_pk pk;
    if (zk_g16_setup(pool, &pk, &v) != ZK_OK) return 1;
    double t2 = zk_now(), u2 = cpu_s();
    zk_cs_free(cs);
    printf("groth16 setup     2^%u constraints: %.2f s (cpu %.2f s; circuit walk %.2f s), threads %d\n", k, t2 - t1,
           u2 - u1, t1 - t0, threads);
    if (export_dir) {
        int rc = export_files(&pk, k, m);
        zk_g16_pk_free(&pk);
        zk_pool_free(pool);
        return rc;
    }
    double ksize = (double)pk.image_len_ / (1024.0 * 1024.0);
    double t3 = zk_now();
    if (zk_g16_pk_save(path, &pk) != ZK_OK) return 1;
    double t4 = zk_now();
    printf("groth16 key       2^%u: proving key %.1f MiB, save %.2f s, threads 1\n", k, ksize, t4 - t3);
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    if (zk_g16_vk_from_pk(&vk, &pk) != ZK_OK || zk_g16_pvk_prepare(&pvk, &vk) != ZK_OK) return 1;
    zk_g16_pk_free(&pk);
    fflush(stdout);

    char proof_path[300];
    snprintf(proof_path, sizeof proof_path, "%s.proof", path);
    pid_t pid = fork();
    if (pid == 0) { /* a fresh process (exec), so its peak RSS is the prover's alone */
        char ks[16], ts[16], rs[16];
        snprintf(ks, sizeof ks, "%u", k);
        snprintf(ts, sizeof ts, "%d", threads);
        snprintf(rs, sizeof rs, "%d", reps);
        execl("/proc/self/exe", "bench_groth16", "--prove-child", path, ks, ts, rs, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 1;
    double rss = maxrss_mb(RUSAGE_CHILDREN);
    printf("groth16 memory    2^%u: prover peak RSS %.1f MiB (key mapped), key %.1f MiB, ratio %.2f\n", k, rss, ksize,
           rss / ksize);
    zk_g16_proof proof;
    fr_t pub[2];
    FILE *f = fopen(proof_path, "rb");
    if (!f || fread(&proof, sizeof proof, 1, f) != 1 || fread(pub, sizeof(fr_t), 2, f) != 2) return 1;
    fclose(f);
    unlink(proof_path);
    int iters = 200;
    double a = zk_now(), ua = cpu_s();
    for (int i = 0; i < iters; i++)
        if (zk_g16_verify(&pvk, &proof, pub, 2) != ZK_OK) return 1;
    double b = zk_now(), ub = cpu_s();
    printf("groth16 verify    2^%u: %.3f ms (cpu %.3f ms), threads 1\n", k, (b - a) / iters * 1e3,
           (ub - ua) / iters * 1e3);
    zk_g16_vk_free(&vk);
    zk_g16_pvk_free(&pvk);
    unlink(path);
    zk_pool_free(pool);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    unsigned sizes[8], ns = 0;
    int threads = 2, quick = 0, big = 0;
    if (argc == 6 && !strcmp(argv[1], "--prove-child")) {
        reps = atoi(argv[5]);
        return prove_child(argv[2], (unsigned)atoi(argv[3]), atoi(argv[4]));
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--big")) big = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--log") && i + 1 < argc && ns < 8) sizes[ns++] = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 1;
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--profile")) setenv("ZKPOS_G16_PROFILE", "1", 1);
        else if (!strcmp(argv[i], "--export") && i + 1 < argc) export_dir = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--big] [--threads N] [--log K]... [--reps R] [--dir D] [--profile]\n"
                    "       [--export DIR]\n",
                    argv[0]);
            return 2;
        }
    }
    if (ns == 0) {
        if (quick) sizes[ns++] = 12;
        else {
            sizes[ns++] = 16;
            sizes[ns++] = 18;
            if (big) sizes[ns++] = 20;
        }
    }
    for (unsigned i = 0; i < ns; i++)
        if (run(sizes[i], threads) != 0) {
            fprintf(stderr, "bench_groth16: failed at 2^%u\n", sizes[i]);
            return 1;
        }
    return 0;
}
