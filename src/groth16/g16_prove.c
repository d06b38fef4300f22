/* The Groth16 prover (snarkjs's algorithm; see groth16.h).
 *
 * Design: the quotient is never divided explicitly. The per-constraint
 * values of A and B (C = A*B) are interpolated (inverse NTT), shifted onto
 * the odd coset x_i = s*w^i with s a primitive 2n-th root of unity by
 * scaling coefficient j by s^j, and evaluated there (forward NTT, output in
 * bit-reversed order so no permutation is paid per polynomial); on that
 * coset Z = -2 is constant and the key's H points already carry the 1/Z
 * factor, so the H scalars are A*B - C pointwise, permuted once to natural
 * order. Peak extra memory: three n-element Fr arrays (96n bytes), less
 * than the H section of the key (64n) plus the A/B/C point sections.
 * The MSMs come from the ec layer (Pippenger, cheap for 0/1 scalars). */
#include <stdlib.h>
#include <string.h>

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
        fr_mul(&c->a[j], &c->a[j], &c->b[j]);
        fr_sub(&c->a[j], &c->a[j], &c->c[j]);
    }
}

static void random_scalar(fr_t *r, zk_err *e) {
    uint8_t buf[64];
    if (*e == ZK_OK) *e = zk_os_random(buf, sizeof buf);
    fr_from_bytes_be_reduce(r, buf, sizeof buf); /* 512 bits mod r: negligible bias */
    zk_memzero(buf, sizeof buf);
}

zk_err zk_g16_prove(zk_pool *pool, zk_g16_proof *proof, const zk_g16_pk *pk, const fr_t *w, size_t nw,
                    const fr_t *a_vals, const fr_t *b_vals) {
    if (!pk || !pk->image_ || !w || nw != pk->nvars || (!a_vals) != (!b_vals)) return ZK_ERR_ARG;
    if (!fr_is_one(&w[0])) return ZK_ERR_ARG;
    const size_t n = (size_t)pk->domain_size, m = (size_t)pk->nconstraints, npub = (size_t)pk->npublic;
    zk_err e = ZK_OK;
    zk_ntt_domain *dom = NULL;
    fr_t *abc = NULL;
    if ((e = zk_ntt_domain_new(pool, &dom, pk->log_n)) != ZK_OK) return e;
    if (posix_memalign((void **)&abc, 64, 3 * n * sizeof(fr_t)) != 0) {
        zk_ntt_domain_free(dom);
        return ZK_ERR_NOMEM;
    }
    fr_t *A = abc, *B = abc + n, *C = abc + 2 * n;
    memset(abc, 0, 3 * n * sizeof(fr_t));

    /* 1. per-constraint values */
    if (a_vals) {
        memcpy(A, a_vals, m * sizeof(fr_t));
        memcpy(B, b_vals, m * sizeof(fr_t));
        for (size_t i = 0; i <= npub; i++) A[m + i] = w[i];
    } else {
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
    }
    for (size_t i = 0; i < n; i++) fr_mul(&C[i], &A[i], &B[i]);

    /* 2. odd-coset evaluations, bit-reversed */
    zk_intt(pool, dom, A);
    zk_intt(pool, dom, B);
    zk_intt(pool, dom, C);
    fr_t shift;
    g16_h_shift(&shift, pk->log_n);
    size_t nt = (size_t)zk_pool_threads(pool) * 4, chunk = (n + nt - 1) / nt;
    scale_ctx sc = {{A, B, C}, n, chunk, &shift};
    zk_pool_run(pool, (n + chunk - 1) / chunk, scale_task, &sc);
    zk_ntt_to_bitrev(pool, dom, A);
    zk_ntt_to_bitrev(pool, dom, B);
    zk_ntt_to_bitrev(pool, dom, C);
    join_ctx jc = {A, B, C, n, chunk};
    zk_pool_run(pool, (n + chunk - 1) / chunk, join_task, &jc);
    zk_bitrev_permute(pool, A, pk->log_n);

    /* 3. multi-scalar multiplications */
    g1_jac_t pa, pb1, pc, ph, t1;
    g2_jac_t pb2, t2;
    if ((e = g1_msm_var(pool, &pa, pk->a, w, nw)) != ZK_OK) goto out;
    if ((e = g1_msm_var(pool, &pb1, pk->b1, w, nw)) != ZK_OK) goto out;
    if ((e = g2_msm_var(pool, &pb2, pk->b2, w, nw)) != ZK_OK) goto out;
    if ((e = g1_msm_var(pool, &pc, pk->c, w + npub + 1, nw - npub - 1)) != ZK_OK) goto out;
    if ((e = g1_msm_var(pool, &ph, pk->h, A, n)) != ZK_OK) goto out;

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
out:
    zk_memzero(abc, 3 * n * sizeof(fr_t));
    free(abc);
    zk_ntt_domain_free(dom);
    return e;
}
