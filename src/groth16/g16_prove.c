/* The Groth16 prover (snarkjs's algorithm; see groth16.h).
 *
 * Design: the quotient is never divided explicitly. The per-constraint
 * values of A and B (C = A*B) are interpolated (inverse NTT), shifted onto
 * the odd coset x_i = s*w^i with s a primitive 2n-th root of unity by
 * scaling coefficient j by s^j, and evaluated there (forward NTT, output in
 * bit-reversed order so no permutation is paid per polynomial); on that
 * coset Z = -2 is constant and the key's H points already carry the 1/Z
 * factor, so the H scalars are A*B - C pointwise, permuted once to natural
 * order.
 *
 * Memory: two n-element Fr arrays (64n bytes; the first has room for the
 * private witness in front, for the fused C + H MSM). A and B go to the
 * coset and are multiplied into the first; the second is then refilled with
 * C = A*B per constraint (recomputed from the caller's values, so no third
 * array) and taken to the coset too. The NTT domain and the second array
 * are freed before the MSMs, and after each MSM the pages of that key
 * section are dropped if the key is a mapped file (g16_pk_release), so the
 * peak is about the largest section (B2) plus the H scalars and the MSM's
 * small scratch, not the whole key. Only without abc values (snarkjs .zkey
 * proving) a third array holds the C values meanwhile.
 * The MSMs come from the ec layer (Pippenger, cheap for 0/1 scalars) and
 * each one runs on the whole pool. Set ZKPOS_G16_PROFILE in the
 * environment to get the time of each phase on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../poly/poly.h"
#include "g16_internal.h"

typedef struct {
    fr_t *p[3];
    size_t n, chunk;
    const fr_t *shift;
} scale_ctx;

/* a[j] *= shift^j for the three arrays, chunk by chunk */
static void scale_task(void *vctx, size_t t) {
    scale_ctx *c = vctx;
    size_t lo = t * c->chunk, hi = lo + c->chunk < c->n ? lo + c->chunk : c->n;
    uint64_t e[4];
    fr_t pw, s = *c->shift;
    e[0] = lo, e[1] = e[2] = e[3] = 0;
    fr_pow(&pw, &s, e, 1);
    for (size_t j = lo; j < hi; j++) {
        for (int k = 0; k < 3; k++)
            if (c->p[k]) fr_mul(&c->p[k][j], &c->p[k][j], &pw);
        fr_mul(&pw, &pw, &s);
    }
}

typedef struct {
    fr_t *a;
    const fr_t *b, *c;
    size_t n, chunk;
} join_ctx;

static void join_task(void *vctx, size_t t) {
    join_ctx *c = vctx;
    size_t lo = t * c->chunk, hi = lo + c->chunk < c->n ? lo + c->chunk : c->n;
    for (size_t j = lo; j < hi; j++) {
        if (c->b) fr_mul(&c->a[j], &c->a[j], &c->b[j]);
        fr_sub(&c->a[j], &c->a[j], &c->c[j]);
    }
}

static void random_scalar(fr_t *r, zk_err *e) {
    uint8_t buf[64];
    if (*e == ZK_OK) *e = zk_os_random(buf, sizeof buf);
    fr_from_bytes_be_reduce(r, buf, sizeof buf); /* 512 bits mod r: negligible bias */
    zk_memzero(buf, sizeof buf);
}

/* A := coset evaluations (bit-reversed) of the polynomial interpolating A */
static void to_coset(zk_pool *pool, const zk_ntt_domain *dom, fr_t *a, size_t n, const fr_t *shift) {
    size_t nt = (size_t)zk_pool_threads(pool) * 4, chunk = (n + nt - 1) / nt;
    zk_intt(pool, dom, a);
    scale_ctx sc = {{a, NULL, NULL}, n, chunk, shift};
    zk_pool_run(pool, (n + chunk - 1) / chunk, scale_task, &sc);
    zk_ntt_to_bitrev(pool, dom, a);
}

typedef struct {
    fr_t *out;
    const fr_t *a, *b;
    size_t n, chunk;
} mul_ctx;

static void mul_task(void *vctx, size_t t) {
    mul_ctx *c = vctx;
    size_t lo = t * c->chunk, hi = lo + c->chunk < c->n ? lo + c->chunk : c->n;
    for (size_t j = lo; j < hi; j++) fr_mul(&c->out[j], &c->a[j], &c->b[j]);
}

/* out[j] = a[j] * b[j] for j < n, on the pool */
static void mul_arrays(zk_pool *pool, fr_t *out, const fr_t *a, const fr_t *b, size_t n) {
    size_t nt = (size_t)zk_pool_threads(pool) * 4, chunk = (n + nt - 1) / nt;
    if (n == 0) return;
    mul_ctx c = {out, a, b, n, chunk};
    zk_pool_run(pool, (n + chunk - 1) / chunk, mul_task, &c);
}

typedef struct {
    const char *on;
    double t;
} prof;

static void prof_mark(prof *p, const char *what) {
    if (!p->on) return;
    double now = zk_now();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "g16_prove %-10s %8.3f s  (peak RSS so far %.1f MiB)\n", what, now - p->t,
            (double)ru.ru_maxrss / 1024.0);
    p->t = now;
}

zk_err zk_g16_prove(zk_pool *pool, zk_g16_proof *proof, const zk_g16_pk *pk, const fr_t *w, size_t nw,
                    const fr_t *a_vals, const fr_t *b_vals) {
    if (!pk || !pk->image_ || !w || nw != pk->nvars || (!a_vals) != (!b_vals)) return ZK_ERR_ARG;
    if (!fr_is_one(&w[0])) return ZK_ERR_ARG;
    const size_t n = (size_t)pk->domain_size, m = (size_t)pk->nconstraints, npub = (size_t)pk->npublic;
    prof pr = {getenv("ZKPOS_G16_PROFILE"), zk_now()};
    zk_err e = ZK_OK;
    zk_ntt_domain *dom = NULL;
    fr_t *A = NULL, *B = NULL, *Cv = NULL;
    fr_t *Abuf = NULL;
    if ((e = zk_ntt_domain_new(pool, &dom, pk->log_n)) != ZK_OK) return e;
    /* The C and H sections are adjacent in the image (C has 64-byte points,
     * sections are 64-byte aligned), so sum_priv w_i C_i + sum h_i H_i is
     * one MSM over both: its scalars are the private witness followed by
     * the H scalars, so A gets npriv slots in front of the n values. */
    const size_t npriv = nw - npub - 1;
    const int fuse = pk->c + npriv == pk->h;
    const size_t front = fuse ? npriv : 0;
    if (posix_memalign((void **)&Abuf, 64, (front + n) * sizeof(fr_t)) != 0 ||
        posix_memalign((void **)&B, 64, n * sizeof(fr_t)) != 0) {
        e = ZK_ERR_NOMEM;
        goto out;
    }
    A = Abuf + front;

    /* 1. per-constraint values of A and B (rows m.. are A = w_i, B = 0) */
    if (a_vals) {
        memcpy(A, a_vals, m * sizeof(fr_t));
        memcpy(B, b_vals, m * sizeof(fr_t));
        memset(A + m, 0, (n - m) * sizeof(fr_t));
        memset(B + m, 0, (n - m) * sizeof(fr_t));
    } else {
        memset(A, 0, n * sizeof(fr_t));
        memset(B, 0, n * sizeof(fr_t));
        for (uint64_t k = 0; k < pk->ncoefs; k++) {
            const zk_g16_coef *cf = &pk->coefs[k];
            if (cf->constraint >= n || cf->signal >= nw || cf->matrix > 1) {
                e = ZK_ERR_FORMAT;
                goto out;
            }
            fr_t t;
            fr_mul(&t, &cf->value, &w[cf->signal]);
            fr_t *dst = cf->matrix ? &B[cf->constraint] : &A[cf->constraint];
            fr_add(dst, dst, &t);
        }
        g16_pk_release(pk, pk->coefs, (size_t)pk->ncoefs * sizeof *pk->coefs);
        if (posix_memalign((void **)&Cv, 64, n * sizeof(fr_t)) != 0) {
            e = ZK_ERR_NOMEM;
            goto out;
        }
        mul_arrays(pool, Cv, A, B, n);
    }
    if (a_vals)
        for (size_t i = 0; i <= npub; i++) A[m + i] = w[i];
    prof_mark(&pr, "values");

    /* 2. H scalars: coset(A) * coset(B) - coset(C), permuted to natural order */
    fr_t shift;
    g16_h_shift(&shift, pk->log_n);
    to_coset(pool, dom, A, n, &shift);
    to_coset(pool, dom, B, n, &shift);
    mul_arrays(pool, A, A, B, n);
    if (Cv) { /* B's coset values are spent: C takes its place */
        zk_memzero(B, n * sizeof(fr_t));
        free(B);
        B = Cv;
        Cv = NULL;
    } else {
        mul_arrays(pool, B, a_vals, b_vals, m); /* public rows: B = 0, so C = 0 */
        memset(B + m, 0, (n - m) * sizeof(fr_t));
    }
    to_coset(pool, dom, B, n, &shift);
    {
        size_t nt = (size_t)zk_pool_threads(pool) * 4, chunk = (n + nt - 1) / nt;
        join_ctx jc = {A, NULL, B, n, chunk};
        zk_pool_run(pool, (n + chunk - 1) / chunk, join_task, &jc);
    }
    zk_bitrev_permute(pool, A, pk->log_n);
    zk_ntt_domain_free(dom);
    dom = NULL;
    zk_memzero(B, n * sizeof(fr_t));
    free(B);
    B = NULL;
    prof_mark(&pr, "h (ntt)");

    /* 3. multi-scalar multiplications, each section released after use */
    g1_jac_t pa, pb1, pc, ph, t1;
    g2_jac_t pb2, t2;
    if (fuse) { /* C + H in one MSM */
        memcpy(Abuf, w + npub + 1, npriv * sizeof(fr_t));
        if ((e = g1_msm_var(pool, &pc, pk->c, Abuf, npriv + n)) != ZK_OK) goto out;
        g1_jac_set_infinity(&ph);
        g16_pk_release(pk, pk->c, (npriv + n) * sizeof *pk->c);
    } else {
        if ((e = g1_msm_var(pool, &ph, pk->h, A, n)) != ZK_OK) goto out;
        g16_pk_release(pk, pk->h, n * sizeof *pk->h);
        if ((e = g1_msm_var(pool, &pc, pk->c, w + npub + 1, npriv)) != ZK_OK) goto out;
        g16_pk_release(pk, pk->c, npriv * sizeof *pk->c);
    }
    zk_memzero(Abuf, (front + n) * sizeof(fr_t));
    free(Abuf);
    Abuf = A = NULL;
    prof_mark(&pr, "msm c+h");
    if ((e = g1_msm_var(pool, &pa, pk->a, w, nw)) != ZK_OK) goto out;
    g16_pk_release(pk, pk->a, nw * sizeof *pk->a);
    prof_mark(&pr, "msm a");
    if ((e = g1_msm_var(pool, &pb1, pk->b1, w, nw)) != ZK_OK) goto out;
    g16_pk_release(pk, pk->b1, nw * sizeof *pk->b1);
    prof_mark(&pr, "msm b1");
    if ((e = g2_msm_var(pool, &pb2, pk->b2, w, nw)) != ZK_OK) goto out;
    g16_pk_release(pk, pk->b2, nw * sizeof *pk->b2);
    prof_mark(&pr, "msm b2");

    /* 4. blinding */
    fr_t r, s, rs;
    random_scalar(&r, &e);
    random_scalar(&s, &e);
    if (e != ZK_OK) goto out;
    fr_mul(&rs, &r, &s);
    g1_jac_t d1;
    g2_jac_t d2;
    g1_from_affine(&d1, pk->delta1);
    g2_from_affine(&d2, pk->delta2);
    /* A = alpha + sum + r delta */
    g1_mul(&t1, &d1, &r);
    g1_add(&pa, &pa, &t1);
    g1_add_mixed(&pa, &pa, pk->alpha1);
    /* B = beta + sum + s delta (G2 and G1) */
    g2_mul(&t2, &d2, &s);
    g2_add(&pb2, &pb2, &t2);
    g2_add_mixed(&pb2, &pb2, pk->beta2);
    g1_mul(&t1, &d1, &s);
    g1_add(&pb1, &pb1, &t1);
    g1_add_mixed(&pb1, &pb1, pk->beta1);
    /* C = sum_priv + H + s A + r B1 - r s delta */
    g1_add(&pc, &pc, &ph);
    g1_mul(&t1, &pa, &s);
    g1_add(&pc, &pc, &t1);
    g1_mul(&t1, &pb1, &r);
    g1_add(&pc, &pc, &t1);
    g1_mul(&t1, &d1, &rs);
    g1_neg(&t1, &t1);
    g1_add(&pc, &pc, &t1);
    g1_to_affine(&proof->a, &pa);
    g2_to_affine(&proof->b, &pb2);
    g1_to_affine(&proof->c, &pc);
    zk_memzero(&r, sizeof r);
    zk_memzero(&s, sizeof s);
    zk_memzero(&rs, sizeof rs);
    zk_memzero(&t1, sizeof t1);
    zk_memzero(&pb1, sizeof pb1);
    prof_mark(&pr, "blinding");
out:
    if (Abuf) zk_memzero(Abuf, (front + n) * sizeof(fr_t));
    if (B) zk_memzero(B, n * sizeof(fr_t));
    if (Cv) zk_memzero(Cv, n * sizeof(fr_t));
    free(Abuf);
    free(B);
    free(Cv);
    zk_ntt_domain_free(dom);
    return e;
}
