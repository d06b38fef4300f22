/* Groth16 key generation from fresh randomness (snarkjs's QAP; groth16.h).
 *
 * Design: everything the key needs is an evaluation at tau, computed in
 * O(n + nnz) field operations rather than by interpolating polynomials:
 *   L_c(tau) = w^c (tau^n - 1) / (n (tau - w^c))        (Lagrange basis of H_n)
 *   A_i(tau) = sum_c A[c][i] L_c(tau) (+ L_{m+i} for public i), same for B, C
 *   H_i = L^{2n}_{2i+1}(tau) / delta = x_i (tau^2n - 1) / (2n (tau - x_i)) / delta,
 *         x_i = w_2n^(2i+1): the odd half of the 2n-domain Lagrange basis,
 *         which is what snarkjs's zkey_new stores and its prover expects.
 * The denominators are inverted in batches (Montgomery's trick) on the pool.
 * The points are then made by the ec layer's fixed-base batch
 * multiplication (one window table per group, built once for all of A, B1,
 * C, IC, H resp. B2; batched affine additions, no doublings, no per-point
 * inversion). This is variable time in the secret
 * scalars (toxic waste): setup must run on a machine nobody can time, and
 * all secrets are wiped (zk_memzero) before returning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "g16_internal.h"

/* ---------------- Lagrange evaluations ---------------- */
typedef struct {
    fr_t *out;
    size_t n, chunk;
    fr_t root;  /* generator of the evaluation points: point c = offset * root^c */
    fr_t off;   /* offset */
    fr_t tau;
    fr_t num;   /* (tau^N - 1)/N, N the full domain size */
    fr_t scale; /* extra factor (1 or 1/delta) */
    volatile int nomem;
} lag_ctx;

/* out[c] = x_c * num * scale / (tau - x_c),  x_c = off * root^c */
static void lag_task(void *vctx, size_t t) {
    lag_ctx *c = vctx;
    size_t lo = t * c->chunk, hi = lo + c->chunk < c->n ? lo + c->chunk : c->n;
    fr_t *scratch = malloc((hi - lo) * sizeof(fr_t));
    if (!scratch) {
        c->nomem = 1;
        return;
    }
    uint64_t e[4] = {lo, 0, 0, 0};
    fr_t x, f;
    fr_pow(&x, &c->root, e, 1);
    fr_mul(&x, &x, &c->off);
    for (size_t i = lo; i < hi; i++) {
        fr_sub(&c->out[i], &c->tau, &x);
        fr_mul(&x, &x, &c->root);
    }
    fr_batch_inv_var(c->out + lo, c->out + lo, hi - lo, scratch);
    fr_mul(&f, &c->num, &c->scale);
    fr_pow(&x, &c->root, e, 1);
    fr_mul(&x, &x, &c->off);
    for (size_t i = lo; i < hi; i++) {
        fr_t t2;
        fr_mul(&t2, &x, &f);
        fr_mul(&c->out[i], &c->out[i], &t2);
        fr_mul(&x, &x, &c->root);
    }
    zk_memzero(scratch, (hi - lo) * sizeof(fr_t));
    free(scratch);
}

static zk_err lagrange(zk_pool *pool, fr_t *out, size_t n, const fr_t *root, const fr_t *off, const fr_t *tau,
                       uint64_t full_n, const fr_t *scale) {
    lag_ctx c;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.n = n;
    c.chunk = 1 << 14;
    c.root = *root;
    c.off = *off;
    c.tau = *tau;
    c.scale = *scale;
    uint64_t e[4] = {full_n, 0, 0, 0};
    fr_t one, nn;
    fr_one(&one);
    fr_pow(&c.num, tau, e, 1);
    fr_sub(&c.num, &c.num, &one);
    fr_set_u64(&nn, full_n);
    fr_inv(&nn, &nn);
    fr_mul(&c.num, &c.num, &nn);
    zk_pool_run(n > c.chunk ? pool : NULL, (n + c.chunk - 1) / c.chunk, lag_task, &c);
    int nomem = c.nomem;
    zk_memzero(&c, sizeof c);
    return nomem ? ZK_ERR_NOMEM : ZK_OK;
}

/* phase times on stderr when ZKPOS_G16_PROFILE is set */
static void prof_mark(const char *on, double *t, const char *what) {
    if (!on) return;
    double now = zk_now();
    fprintf(stderr, "g16_setup %-10s %8.3f s\n", what, now - *t);
    *t = now;
}

static zk_err random_nonzero(fr_t *r) {
    uint8_t buf[64];
    do {
        zk_err e = zk_os_random(buf, sizeof buf);
        if (e != ZK_OK) return e;
        fr_from_bytes_be_reduce(r, buf, sizeof buf);
    } while (fr_is_zero(r));
    zk_memzero(buf, sizeof buf);
    return ZK_OK;
}

zk_err zk_g16_setup(zk_pool *pool, zk_g16_pk *pk, const zk_r1cs_view *v) {
    memset(pk, 0, sizeof *pk);
    if (v->nvars < v->npublic + 1 || v->nvars > UINT32_MAX) return ZK_ERR_ARG;
    const unsigned log_n = g16_log_domain(v->nconstraints, v->npublic);
    if (log_n + 1 > FR_TWO_ADICITY) return ZK_ERR_ARG;
    const size_t n = (size_t)1 << log_n, nv = (size_t)v->nvars, m = (size_t)v->nconstraints;
    const size_t npub = (size_t)v->npublic;
    for (int k = 0; k < 3; k++)
        for (size_t j = 0; j < (size_t)v->row_start[k][m]; j++)
            if (v->terms[k][j].var >= nv || v->terms[k][j].coeff >= v->ncoeffs) return ZK_ERR_ARG;
    uint64_t ncoefs = v->row_start[0][m] + v->row_start[1][m] + npub + 1;
    zk_err e = g16_pk_alloc(pk, nv, npub, m, log_n, ncoefs);
    if (e != ZK_OK) return e;

    const char *prof = getenv("ZKPOS_G16_PROFILE");
    double pt = zk_now();
    g1_fixed_base *t1 = NULL;
    g2_fixed_base *t2 = NULL;
    struct {
        fr_t tau, alpha, beta, gamma, delta, gi, di;
    } s;
    fr_t *L = malloc(n * sizeof(fr_t)), *abc = malloc(3 * nv * sizeof(fr_t));
    fr_t *scal = malloc((nv > n ? nv : n) * sizeof(fr_t));
    if (!L || !abc || !scal) {
        e = ZK_ERR_NOMEM;
        goto out;
    }
    fr_t one, root, root2, t2n;
    fr_one(&one);
    fr_root_of_unity(&root, log_n);
    fr_root_of_unity(&root2, log_n + 1);
    for (;;) {
        if ((e = random_nonzero(&s.tau)) != ZK_OK) goto out;
        uint64_t ex[4] = {2 * (uint64_t)n, 0, 0, 0};
        fr_pow(&t2n, &s.tau, ex, 1);
        if (!fr_is_one(&t2n)) break; /* tau must avoid the 2n-th roots of unity */
    }
    if ((e = random_nonzero(&s.alpha)) != ZK_OK || (e = random_nonzero(&s.beta)) != ZK_OK ||
        (e = random_nonzero(&s.gamma)) != ZK_OK || (e = random_nonzero(&s.delta)) != ZK_OK)
        goto out;
    fr_inv(&s.gi, &s.gamma);
    fr_inv(&s.di, &s.delta);

    /* Lagrange basis of the n domain at tau */
    if ((e = lagrange(pool, L, n, &root, &one, &s.tau, n, &one)) != ZK_OK) goto out;

    /* per-variable A, B, C at tau, and the key's coefficient list */
    fr_t *At = abc, *Bt = abc + nv, *Ct = abc + 2 * nv;
    memset(abc, 0, 3 * nv * sizeof(fr_t));
    zk_g16_coef *cf = g16_sec(pk, G16_SEC_COEFS);
    size_t nc = 0;
    for (size_t c = 0; c < m; c++)
        for (int k = 0; k < 3; k++) {
            fr_t *dst = abc + (size_t)k * nv;
            for (uint64_t j = v->row_start[k][c]; j < v->row_start[k][c + 1]; j++) {
                const zk_cs_term *t = &v->terms[k][j];
                fr_t x;
                fr_mul(&x, &v->coeffs[t->coeff], &L[c]);
                fr_add(&dst[t->var], &dst[t->var], &x);
                if (k < 2) {
                    cf[nc].matrix = (uint32_t)k;
                    cf[nc].constraint = (uint32_t)c;
                    cf[nc].signal = t->var;
                    cf[nc].value = v->coeffs[t->coeff];
                    nc++;
                }
            }
        }
    for (size_t i = 0; i <= npub; i++) {
        fr_add(&At[i], &At[i], &L[m + i]);
        cf[nc].matrix = 0;
        cf[nc].constraint = (uint32_t)(m + i);
        cf[nc].signal = (uint32_t)i;
        cf[nc].value = one;
        nc++;
    }

    prof_mark(prof, &pt, "lagrange");
    /* points */
    g1_affine_t g1;
    g2_affine_t g2;
    g1_generator(&g1);
    g2_generator(&g2);
    if ((e = g1_fixed_base_new(pool, &t1, &g1, 3 * nv + n)) != ZK_OK) goto out;
    if ((e = g2_fixed_base_new(pool, &t2, &g2, nv)) != ZK_OK) goto out;
    prof_mark(prof, &pt, "tables");
    if ((e = g1_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_A), t1, At, nv)) != ZK_OK) goto out;
    if ((e = g1_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_B1), t1, Bt, nv)) != ZK_OK) goto out;
    prof_mark(prof, &pt, "g1 a b1");
    if ((e = g2_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_B2), t2, Bt, nv)) != ZK_OK) goto out;
    prof_mark(prof, &pt, "g2 b2");
    for (size_t i = 0; i < nv; i++) { /* (beta A + alpha B + C) / (gamma or delta) */
        fr_t x;
        fr_mul(&scal[i], &s.beta, &At[i]);
        fr_mul(&x, &s.alpha, &Bt[i]);
        fr_add(&scal[i], &scal[i], &x);
        fr_add(&scal[i], &scal[i], &Ct[i]);
        fr_mul(&scal[i], &scal[i], i <= npub ? &s.gi : &s.di);
    }
    if ((e = g1_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_IC), t1, scal, npub + 1)) != ZK_OK) goto out;
    if ((e = g1_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_C), t1, scal + npub + 1, nv - npub - 1)) != ZK_OK)
        goto out;
    /* H: odd half of the 2n-domain Lagrange basis, over delta */
    if ((e = lagrange(pool, L, n, &root, &root2, &s.tau, 2 * (uint64_t)n, &s.di)) != ZK_OK) goto out;
    if ((e = g1_fixed_base_mul_batch_var(pool, g16_sec(pk, G16_SEC_H), t1, L, n)) != ZK_OK) goto out;
    prof_mark(prof, &pt, "g1 c ic h");
    /* alpha, beta, delta in G1; beta, gamma, delta in G2 */
    fr_t k1[3] = {s.alpha, s.beta, s.delta}, k2[3] = {s.beta, s.gamma, s.delta};
    g1_affine_t *f1 = g16_sec(pk, G16_SEC_FIXED);
    if ((e = g1_fixed_base_mul_batch_var(NULL, f1, t1, k1, 3)) != ZK_OK) goto out;
    if ((e = g2_fixed_base_mul_batch_var(NULL, (g2_affine_t *)((uint8_t *)f1 + 192), t2, k2, 3)) != ZK_OK) goto out;
    zk_memzero(k1, sizeof k1);
    zk_memzero(k2, sizeof k2);
out:
    g1_fixed_base_free(t1);
    g2_fixed_base_free(t2);
    zk_memzero(&s, sizeof s);
    if (L) zk_memzero(L, n * sizeof(fr_t));
    if (abc) zk_memzero(abc, 3 * nv * sizeof(fr_t));
    if (scal) zk_memzero(scal, (nv > n ? nv : n) * sizeof(fr_t));
    free(L);
    free(abc);
    free(scal);
    if (e != ZK_OK) zk_g16_pk_free(pk);
    return e;
}
