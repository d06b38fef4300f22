/* Arithmetic micro-benchmarks: one line per measurement, "name X ns/op threads=N".
 *
 * Design: every measurement is an entry of the BENCHES table (name, threads,
 * optional setup/teardown, and a run function doing n operations), so adding
 * a benchmark (curve add/double, pairing, MSM ...) is one function plus one
 * table line. The harness grows n until a run fills a 2 ms slice, then keeps
 * the best of many such runs (which filters out preemption on a shared
 * machine). Field operations run as dependent chains (x = x*y), i.e. they
 * measure latency, the cost seen in exponentiations; the *_indep8 entries run
 * 8 independent chains and measure throughput.
 * The *_portable entries call the portable C core directly (internal header)
 * to show what the x86-64 asm buys.
 *
 * Usage: bench_arith [--quick] [substring ...]   (--quick: a smaller time
 * budget per entry; substrings select entries by name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff/ff.h"
#include "ff/ff_constants.h"
#include "ff/mont.h"
#include "ec/ec.h"
#include "pairing/pairing.h"

typedef struct {
    const char *name;
    int threads;                    /* printed; the entry must use that many */
    void *(*setup)(void);           /* optional: state handed to run */
    void (*run)(void *state, uint64_t n);
    void (*teardown)(void *state);  /* optional */
} bench_t;

/* Keeps results alive so the chains are not optimised away. */
static volatile uint64_t bench_sink;

static void seed_fp(fp_t *x, uint64_t k) { fp_set_u64(x, 0x9e3779b97f4a7c15ULL * k + 12345); }
static void seed_fr(fr_t *x, uint64_t k) { fr_set_u64(x, 0xbf58476d1ce4e5b9ULL * k + 6789); }

/* out of line like fp_add / fp_sub, for a fair comparison */
__attribute__((noinline)) static void fp_add_portable(fp_t *r, const fp_t *a, const fp_t *b) {
    mont_add_portable(r->l, a->l, b->l, FP_MOD);
}
__attribute__((noinline)) static void fp_sub_portable(fp_t *r, const fp_t *a, const fp_t *b) {
    mont_sub_portable(r->l, a->l, b->l, FP_MOD);
}

/* ---- Fp / Fr ---- */
#define FIELD_BENCH2(NAME, T, SEED, STMT)                       \
    static void NAME(void *state, uint64_t n) {                 \
        (void)state;                                            \
        T x, y;                                                 \
        SEED(&x, 1);                                            \
        SEED(&y, 2);                                            \
        for (uint64_t i = 0; i < n; i++) { STMT; }              \
        bench_sink += x.l[0];                                   \
    }

FIELD_BENCH2(b_fp_mul, fp_t, seed_fp, fp_mul(&x, &x, &y))
FIELD_BENCH2(b_fp_mul_portable, fp_t, seed_fp, fp_mul_portable(&x, &x, &y))
FIELD_BENCH2(b_fp_sqr, fp_t, seed_fp, fp_sqr(&x, &x))
FIELD_BENCH2(b_fp_sqr_portable, fp_t, seed_fp, fp_mul_portable(&x, &x, &x))
FIELD_BENCH2(b_fr_mul, fr_t, seed_fr, fr_mul(&x, &x, &y))
FIELD_BENCH2(b_fr_mul_portable, fr_t, seed_fr, fr_mul_portable(&x, &x, &y))
FIELD_BENCH2(b_fp_add, fp_t, seed_fp, fp_add(&x, &x, &y))
FIELD_BENCH2(b_fp_add_portable, fp_t, seed_fp, fp_add_portable(&x, &x, &y))
FIELD_BENCH2(b_fp_sub, fp_t, seed_fp, fp_sub(&x, &x, &y))
FIELD_BENCH2(b_fp_sub_portable, fp_t, seed_fp, fp_sub_portable(&x, &x, &y))
FIELD_BENCH2(b_fp_neg, fp_t, seed_fp, fp_neg(&x, &x))
FIELD_BENCH2(b_fp_inv, fp_t, seed_fp, fp_inv(&x, &x); fp_add(&x, &x, &y))
FIELD_BENCH2(b_fp_inv_var, fp_t, seed_fp, fp_inv_var(&x, &x); fp_add(&x, &x, &y))

/* Throughput: 8 independent chains per step, the ILP that curve formulas,
 * NTT butterflies and MSM bucket sums offer; reported per multiplication. */
#define FIELD_BENCH_X8(NAME, T, SEED, OP)                                   \
    static void NAME(void *state, uint64_t n) {                             \
        (void)state;                                                        \
        T x[8], y;                                                          \
        for (int k = 0; k < 8; k++) SEED(&x[k], (uint64_t)k + 3);           \
        SEED(&y, 2);                                                        \
        for (uint64_t i = 0; i < (n + 7) / 8; i++)                          \
            for (int k = 0; k < 8; k++) OP(&x[k], &x[k], &y);               \
        for (int k = 0; k < 8; k++) bench_sink += x[k].l[0];                \
    }

FIELD_BENCH_X8(b_fp_mul_x8, fp_t, seed_fp, fp_mul)
FIELD_BENCH_X8(b_fp_mul_portable_x8, fp_t, seed_fp, fp_mul_portable)
#define FP_SQR_AS_BINOP(r, a, b) ((void)(b), fp_sqr(r, a))
FIELD_BENCH_X8(b_fp_sqr_x8, fp_t, seed_fp, FP_SQR_AS_BINOP)

/* 8-lane AVX-512 IFMA products (ff/mont_ifma.h): four independent vectors
 * of 8 lanes, x = x * y16 (y16 pre-scaled by 16, so each lane equals
 * fr_mul/fp_mul); reported per element, comparable with *_indep8. */
#include "ff/mont_ifma.h"
#ifdef ZK_HAVE_MONT_IFMA
#define IFMA_BENCH(NAME, T, SEED, MOD, N0, R1)                              \
    static void NAME(void *state, uint64_t n) {                             \
        (void)state;                                                        \
        m52_mod K;                                                          \
        m52_mod_init(&K, MOD, N0, R1);                                      \
        T e[32], y;                                                         \
        for (int k = 0; k < 32; k++) SEED(&e[k], (uint64_t)k + 3);          \
        SEED(&y, 2);                                                        \
        m52_scale16(y.l, y.l, MOD);                                         \
        m52x8 x[4], yv;                                                     \
        for (int k = 0; k < 4; k++) m52_load(&x[k], e[8 * k].l, 1);         \
        m52_set1(&yv, y.l);                                                 \
        for (uint64_t i = 0; i < (n + 31) / 32; i++) {                      \
            m52_mul_red(&x[0], &x[0], &yv, &K);                             \
            m52_mul_red(&x[1], &x[1], &yv, &K);                             \
            m52_mul_red(&x[2], &x[2], &yv, &K);                             \
            m52_mul_red(&x[3], &x[3], &yv, &K);                             \
        }                                                                   \
        for (int k = 0; k < 4; k++) m52_store(e[8 * k].l, 1, &x[k]);        \
        for (int k = 0; k < 32; k++) bench_sink += e[k].l[0];               \
    }
IFMA_BENCH(b_fr_mul_ifma8, fr_t, seed_fr, FR_MOD, FR_N0, FR_R1)
IFMA_BENCH(b_fp_mul_ifma8, fp_t, seed_fp, FP_MOD, FP_N0, FP_R1)
#endif
FIELD_BENCH_X8(b_fr_mul_x8, fr_t, seed_fr, fr_mul)

/* ---- Fp12 and the pairing ---- */
static void seed_fp12(fp12_t *x, uint64_t k) {
    fp2_t *c[6] = {&x->c0.c0, &x->c0.c1, &x->c0.c2, &x->c1.c0, &x->c1.c1, &x->c1.c2};
    for (int i = 0; i < 6; i++) {
        seed_fp(&c[i]->c0, 12 * k + 2 * (uint64_t)i);
        seed_fp(&c[i]->c1, 12 * k + 2 * (uint64_t)i + 1);
    }
}

typedef struct {
    fp12_t x, y, cyc;  /* cyc: in the cyclotomic subgroup */
    g1_affine_t p[4];
    g2_affine_t q[4];
} pairing_state;

static void *pairing_setup(void) {
    pairing_state *s = malloc(sizeof *s);
    if (!s) return NULL;
    seed_fp12(&s->x, 1);
    seed_fp12(&s->y, 2);
    fp12_t t; /* easy part of the final exponentiation: x^((p^6-1)(p^2+1)) */
    fp12_inv(&t, &s->x);
    fp12_conj(&s->cyc, &s->x);
    fp12_mul(&s->cyc, &s->cyc, &t);
    fp12_frobenius(&t, &s->cyc, 2);
    fp12_mul(&s->cyc, &s->cyc, &t);
    g1_affine_t g1;
    g2_affine_t g2;
    g1_generator(&g1);
    g2_generator(&g2);
    for (int i = 0; i < 4; i++) {
        fr_t k;
        g1_jac_t a;
        g2_jac_t b;
        seed_fr(&k, (uint64_t)i + 10);
        g1_from_affine(&a, &g1);
        g1_mul_var(&a, &a, &k);
        g1_to_affine(&s->p[i], &a);
        seed_fr(&k, (uint64_t)i + 20);
        g2_from_affine(&b, &g2);
        g2_mul_var(&b, &b, &k);
        g2_to_affine(&s->q[i], &b);
    }
    return s;
}

#define PAIRING_BENCH(NAME, STMT)                              \
    static void NAME(void *state, uint64_t n) {                \
        pairing_state *s = state;                              \
        fp12_t x = s->x;                                       \
        for (uint64_t i = 0; i < n; i++) { STMT; }             \
        bench_sink += x.c0.c0.c0.l[0];                         \
    }

PAIRING_BENCH(b_fp12_mul, fp12_mul(&x, &x, &s->y))
PAIRING_BENCH(b_fp12_sqr, fp12_sqr(&x, &x))
PAIRING_BENCH(b_fp12_mul_by_013, fp12_mul_by_013(&x, &x, &s->y.c0.c0, &s->y.c1.c0, &s->y.c1.c1))
PAIRING_BENCH(b_fp2_mul, fp2_mul(&x.c0.c0, &x.c0.c0, &s->y.c0.c0))
PAIRING_BENCH(b_fp2_sqr, fp2_sqr(&x.c0.c0, &x.c0.c0))
PAIRING_BENCH(b_fp12_cyclotomic_sqr, fp12_cyclotomic_sqr(&s->cyc, &s->cyc); x = s->cyc)
PAIRING_BENCH(b_fp12_inv, fp12_inv(&x, &x))
PAIRING_BENCH(b_miller_loop, zk_miller_loop(&x, s->p, s->q, 1))
PAIRING_BENCH(b_final_exp, zk_final_exp(&x, &x))
PAIRING_BENCH(b_pairing, zk_pairing(&x, &s->p[i & 3], &s->q[i & 3]))
PAIRING_BENCH(b_pairing_check4, x.c0.c0.c0.l[0] += (uint64_t)zk_pairing_check(s->p, s->q, 4))

/* ---- curve points (G1, G2) ---- */
typedef struct {
    g1_jac_t p1, q1;
    g1_affine_t a1;
    g2_jac_t p2, q2;
    g2_affine_t a2;
    fr_t k;
} ec_state;

static void *ec_setup(void) {
    ec_state *s = malloc(sizeof *s);
    if (!s) return NULL;
    g1_affine_t g1;
    g2_affine_t g2;
    fr_t k;
    g1_generator(&g1);
    g2_generator(&g2);
    g1_from_affine(&s->p1, &g1);
    g2_from_affine(&s->p2, &g2);
    seed_fr(&k, 31);
    g1_mul_var(&s->q1, &s->p1, &k);
    g2_mul_var(&s->q2, &s->p2, &k);
    seed_fr(&k, 32);
    g1_mul_var(&s->p1, &s->p1, &k); /* Z != 1 */
    g2_mul_var(&s->p2, &s->p2, &k);
    g1_to_affine(&s->a1, &s->q1);
    g2_to_affine(&s->a2, &s->q2);
    seed_fr(&s->k, 33);
    fr_inv(&s->k, &s->k); /* a full-size scalar */
    return s;
}

#define EC_BENCH(NAME, STMT)                                   \
    static void NAME(void *state, uint64_t n) {                \
        ec_state *s = state;                                   \
        for (uint64_t i = 0; i < n; i++) { STMT; }             \
        bench_sink += s->p1.x.l[0] + s->p2.x.c0.l[0];          \
    }

EC_BENCH(b_g1_add_mixed, g1_add_mixed(&s->p1, &s->p1, &s->a1))
EC_BENCH(b_g1_add, g1_add(&s->p1, &s->p1, &s->q1))
EC_BENCH(b_g1_dbl, g1_dbl(&s->p1, &s->p1))
EC_BENCH(b_g2_add_mixed, g2_add_mixed(&s->p2, &s->p2, &s->a2))
EC_BENCH(b_g2_add, g2_add(&s->p2, &s->p2, &s->q2))
EC_BENCH(b_g2_dbl, g2_dbl(&s->p2, &s->p2))
EC_BENCH(b_g1_mul, g1_mul(&s->p1, &s->p1, &s->k))
EC_BENCH(b_g1_mul_var, g1_mul_var(&s->p1, &s->p1, &s->k))
EC_BENCH(b_g2_mul, g2_mul(&s->p2, &s->p2, &s->k))
EC_BENCH(b_g2_mul_var, g2_mul_var(&s->p2, &s->p2, &s->k))
EC_BENCH(b_g2_subgroup_check, bench_sink += (uint64_t)g2_affine_is_in_subgroup(&s->a2))

static const bench_t BENCHES[] = {
    {"fp_mul", 1, NULL, b_fp_mul, NULL},
    {"fp_mul_portable", 1, NULL, b_fp_mul_portable, NULL},
    {"fp_mul_indep8", 1, NULL, b_fp_mul_x8, NULL},
    {"fp_mul_portable_indep8", 1, NULL, b_fp_mul_portable_x8, NULL},
    {"fp_sqr", 1, NULL, b_fp_sqr, NULL},
    {"fp_sqr_indep8", 1, NULL, b_fp_sqr_x8, NULL},
    {"fp_sqr_portable", 1, NULL, b_fp_sqr_portable, NULL},
    {"fr_mul", 1, NULL, b_fr_mul, NULL},
    {"fr_mul_portable", 1, NULL, b_fr_mul_portable, NULL},
    {"fr_mul_indep8", 1, NULL, b_fr_mul_x8, NULL},
#ifdef ZK_HAVE_MONT_IFMA
    {"fr_mul_ifma8", 1, NULL, b_fr_mul_ifma8, NULL},  /* per element */
    {"fp_mul_ifma8", 1, NULL, b_fp_mul_ifma8, NULL},
#endif
    {"fp_add", 1, NULL, b_fp_add, NULL},
    {"fp_add_portable", 1, NULL, b_fp_add_portable, NULL},
    {"fp_sub", 1, NULL, b_fp_sub, NULL},
    {"fp_sub_portable", 1, NULL, b_fp_sub_portable, NULL},
    {"fp_neg", 1, NULL, b_fp_neg, NULL},
    {"fp_inv", 1, NULL, b_fp_inv, NULL},         /* includes one fp_add */
    {"fp_inv_var", 1, NULL, b_fp_inv_var, NULL}, /* includes one fp_add */
    {"fp2_mul", 1, pairing_setup, b_fp2_mul, free},
    {"fp2_sqr", 1, pairing_setup, b_fp2_sqr, free},
    {"fp12_mul", 1, pairing_setup, b_fp12_mul, free},
    {"fp12_mul_by_013", 1, pairing_setup, b_fp12_mul_by_013, free},  /* Miller-loop line */
    {"fp12_sqr", 1, pairing_setup, b_fp12_sqr, free},
    {"fp12_cyclotomic_sqr", 1, pairing_setup, b_fp12_cyclotomic_sqr, free},
    {"fp12_inv", 1, pairing_setup, b_fp12_inv, free},
    {"miller_loop", 1, pairing_setup, b_miller_loop, free},
    {"final_exp", 1, pairing_setup, b_final_exp, free},
    {"pairing", 1, pairing_setup, b_pairing, free},
    {"pairing_check4", 1, pairing_setup, b_pairing_check4, free}, /* Groth16 verification shape */
    {"g1_add_mixed", 1, ec_setup, b_g1_add_mixed, free},
    {"g1_add", 1, ec_setup, b_g1_add, free},
    {"g1_dbl", 1, ec_setup, b_g1_dbl, free},
    {"g2_add_mixed", 1, ec_setup, b_g2_add_mixed, free},
    {"g2_add", 1, ec_setup, b_g2_add, free},
    {"g2_dbl", 1, ec_setup, b_g2_dbl, free},
    {"g1_mul", 1, ec_setup, b_g1_mul, free},          /* constant time */
    {"g1_mul_var", 1, ec_setup, b_g1_mul_var, free},  /* wNAF */
    {"g2_mul", 1, ec_setup, b_g2_mul, free},
    {"g2_mul_var", 1, ec_setup, b_g2_mul_var, free},
    {"g2_subgroup_check", 1, ec_setup, b_g2_subgroup_check, free},
};

/* ---- harness ---- */
static double time_run(const bench_t *b, void *state, uint64_t n) {
    double t0 = zk_now();
    b->run(state, n);
    return zk_now() - t0;
}

static void print_result(const char *name, double ns, int threads) {
    if (ns >= 1e6) printf("%s %.3f ms/op threads=%d\n", name, ns / 1e6, threads);
    else if (ns >= 1e3) printf("%s %.3f us/op threads=%d\n", name, ns / 1e3, threads);
    else printf("%s %.2f ns/op threads=%d\n", name, ns, threads);
    fflush(stdout);
}

static int selected(const char *name, int argc, char **argv) {
    int any = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        any = 1;
        if (strstr(name, argv[i])) return 1;
    }
    return !any;
}

int main(int argc, char **argv) {
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--quick] [name-substring ...]\n", argv[0]);
            return 2;
        }
    }
    /* Short timed runs, many of them, keeping the best: on a shared machine
     * that filters out the runs during which another process had the core. */
    const double slice = 0.002;                  /* seconds per timed run */
    const double budget = quick ? 0.03 : 0.4;    /* seconds per entry */
    for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++) {
        const bench_t *b = &BENCHES[i];
        if (!selected(b->name, argc, argv)) continue;
        void *state = b->setup ? b->setup() : NULL;
        if (b->setup && !state) {
            fprintf(stderr, "%s: setup failed\n", b->name);
            return 1;
        }
        /* calibrate: double n until one run takes a tenth of the slice (also warms up) */
        uint64_t n = 1;
        double t = time_run(b, state, n);
        while (t < slice / 10 && n < (UINT64_C(1) << 40)) {
            n *= 2;
            t = time_run(b, state, n);
        }
        uint64_t nrun = (uint64_t)((double)n * slice / (t > 1e-9 ? t : 1e-9));
        if (nrun < 1) nrun = 1;
        double per_run = t * (double)nrun / (double)n;
        int reps = (int)(budget / (per_run > 1e-9 ? per_run : 1e-9));
        if (reps < 1) reps = 1;
        if (reps > 200) reps = 200;
        double best = 1e300;
        for (int r = 0; r < reps; r++) {
            double tr = time_run(b, state, nrun) / (double)nrun;
            if (tr < best) best = tr;
        }
        print_result(b->name, best * 1e9, b->threads);
        if (b->teardown) b->teardown(state);
    }
    return (int)(bench_sink & 0); /* sink read keeps the chains live */
}
