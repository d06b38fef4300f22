/* Poseidon in the circuit: the permutation, the Binance chunked hash and
 * Merkle paths.
 *
 * The circuit follows the reference rounds (add constants, x^5, dense MDS
 * M), so each S-box costs 3 constraints and the linear layers cost none.
 * Built naively, the partial rounds would re-mix linear combinations that
 * grow by one term per round (t^2 (t+k) work in round k). Instead a
 * per-width plan, computed once per builder, writes each partial-round
 * S-box input, and the state after the partial rounds, directly over the
 * last first-half round's S-box outputs u and the earlier partial-round
 * outputs y_0..: round k's input has t + k terms and is recorded as is; the
 * same plan drives the value modes (t + k multiplications per round).
 *
 * The plan in closed form. Let z_k be the state entering partial round k
 * (z_0 = M u), C_k that round's constants, P = diag(0, 1, .., 1) and
 * A = M P. Then z_{k+1} = M e0 y_k + A z_k + A C_k, so
 *   x_k = h_k . u + sum_{q<k} g_{k-1-q} y_q + kappa_k[0] + C_k[0],
 *   z_RP = A^RP M u + sum_q v_{RP-1-q} y_q + kappa_RP,
 * with h_k = e0^T A^k M, v_d = A^d M e0, g_d = v_d[0], kappa_0 = 0 and
 * kappa_{k+1} = A (kappa_k + C_k): O(RP t^2) plus A^RP by squaring.
 *
 * The constants are the reference tables that the hash layer generates
 * (tools/gen); ref_tables reads them from its generated header because
 * hash.h has no accessor for them yet. */
#include <stdlib.h>
#include <string.h>

#include "../hash/hash.h"
#include "../hash/poseidon_constants.h"
#include "r1cs_internal.h"

#define POS_RF 8 /* full rounds, 4 + 4 */

struct zk_poseidon_plan {
    unsigned t, rp;
    const fr_t *c, *m; /* reference constants c[(8+rp)*t], MDS m[t*t] row-major */
    fr_t *h;           /* rp rows of t: u-coefficients of partial round k's S-box input */
    fr_t *g;           /* rp: coefficient of y_q in round k's input is g[k-1-q] */
    fr_t *pconst;      /* rp constants of the S-box inputs */
    fr_t *frow;        /* state after the partial rounds: t rows of t + rp coefficients */
    fr_t *fconst;      /* t constants */
};

void zk_poseidon_plan_free(zk_poseidon_plan *p) {
    if (!p) return;
    free(p->h);
    free(p->g);
    free(p->pconst);
    free(p->frow);
    free(p->fconst);
    free(p);
}

/* r = a b for t x t matrices (r must not alias a or b). */
static void mat_mul(fr_t *r, const fr_t *a, const fr_t *b, unsigned t) {
    fr_t prod;
    for (unsigned i = 0; i < t; i++)
        for (unsigned j = 0; j < t; j++) {
            fr_zero(&r[i * t + j]);
            for (unsigned k = 0; k < t; k++) {
                fr_mul(&prod, &a[i * t + k], &b[k * t + j]);
                fr_add(&r[i * t + j], &r[i * t + j], &prod);
            }
        }
}

/* r = a v (r must not alias v). */
static void mat_vec(fr_t *r, const fr_t *a, const fr_t *v, unsigned t) {
    fr_t prod;
    for (unsigned i = 0; i < t; i++) {
        fr_zero(&r[i]);
        for (unsigned j = 0; j < t; j++) {
            fr_mul(&prod, &a[i * t + j], &v[j]);
            fr_add(&r[i], &r[i], &prod);
        }
    }
}

/* The only place that reads the hash layer's tables: reference round
 * constants c[(8+rp)*t] (round-major), MDS m[t*t] (row-major, new_i =
 * sum_j m[i*t+j] s_j) and the partial-round count, for 2 <= t <= 17. */
static void ref_tables(unsigned t, const fr_t **c, const fr_t **m, unsigned *rp) {
    *c = POSEIDON_REF[t - 2].c;
    *m = POSEIDON_REF[t - 2].m;
    *rp = POSEIDON_RP[t - 2];
}

static zk_poseidon_plan *plan_build(unsigned t) {
    const fr_t *m, *c;
    unsigned rp;
    ref_tables(t, &c, &m, &rp);
    unsigned b = t + rp;
    zk_poseidon_plan *p = calloc(1, sizeof *p);
    fr_t *a = calloc((size_t)4 * t * t, sizeof *a), *v = calloc((size_t)rp * t, sizeof *v);
    if (!p || !a || !v) goto fail;
    fr_t *pw = a + t * t, *tmp = a + 2 * t * t, *f = a + 3 * t * t; /* A^k, scratch, A^RP M */
    p->t = t;
    p->rp = rp;
    p->c = c;
    p->m = m;
    p->h = calloc((size_t)rp * t, sizeof *p->h);
    p->g = calloc(rp, sizeof *p->g);
    p->pconst = calloc(rp, sizeof *p->pconst);
    p->frow = calloc((size_t)t * b, sizeof *p->frow);
    p->fconst = calloc(t, sizeof *p->fconst);
    if (!p->h || !p->g || !p->pconst || !p->frow || !p->fconst) goto fail;
    /* A = M P: M with column 0 cleared */
    memcpy(a, m, (size_t)t * t * sizeof *a);
    for (unsigned i = 0; i < t; i++) fr_zero(&a[i * t]);
    fr_t rho[ZK_POSEIDON_T_MAX], kap[ZK_POSEIDON_T_MAX], w[ZK_POSEIDON_T_MAX], prod;
    for (unsigned i = 0; i < t; i++) {
        fr_zero(&rho[i]);
        fr_zero(&kap[i]);
        v[i] = m[i * t]; /* v_0 = M e0 */
    }
    fr_one(&rho[0]);
    for (unsigned k = 0; k < rp; k++) {
        const fr_t *ck = c + (size_t)(4 + k) * t;
        fr_t *hk = p->h + (size_t)k * t;
        for (unsigned j = 0; j < t; j++) { /* h_k = rho_k M, rho_{k+1} = h_k P */
            fr_zero(&hk[j]);
            for (unsigned i = 0; i < t; i++) {
                fr_mul(&prod, &rho[i], &m[i * t + j]);
                fr_add(&hk[j], &hk[j], &prod);
            }
        }
        memcpy(rho, hk, t * sizeof *rho);
        fr_zero(&rho[0]);
        fr_add(&p->pconst[k], &kap[0], &ck[0]);
        for (unsigned i = 0; i < t; i++) fr_add(&w[i], &kap[i], &ck[i]); /* kappa_{k+1} = A (kappa_k + C_k) */
        mat_vec(kap, a, w, t);
        if (k + 1 < rp) mat_vec(v + (size_t)(k + 1) * t, a, v + (size_t)k * t, t); /* v_{k+1} = A v_k */
        p->g[k] = v[(size_t)k * t];
    }
    /* F = A^rp M by square-and-multiply */
    memcpy(f, m, (size_t)t * t * sizeof *f);
    memcpy(pw, a, (size_t)t * t * sizeof *pw);
    for (unsigned e = rp; e; e >>= 1) {
        if (e & 1) {
            mat_mul(tmp, pw, f, t);
            memcpy(f, tmp, (size_t)t * t * sizeof *f);
        }
        if (e > 1) {
            mat_mul(tmp, pw, pw, t);
            memcpy(pw, tmp, (size_t)t * t * sizeof *pw);
        }
    }
    for (unsigned i = 0; i < t; i++) {
        fr_t *row = p->frow + (size_t)i * b;
        memcpy(row, f + (size_t)i * t, t * sizeof *row);
        for (unsigned q = 0; q < rp; q++) row[t + q] = v[(size_t)(rp - 1 - q) * t + i];
        p->fconst[i] = kap[i];
    }
    free(a);
    free(v);
    return p;
fail:
    free(a);
    free(v);
    zk_poseidon_plan_free(p);
    return NULL;
}

static const zk_poseidon_plan *get_plan(zk_cs *cs, unsigned t) {
    if (!cs->plans[t]) {
        cs->plans[t] = plan_build(t);
        if (!cs->plans[t]) zk_cs_set_error(cs, ZK_ERR_NOMEM);
    }
    return cs->plans[t];
}

uint64_t zk_g_poseidon_constraints(unsigned t) {
    if (t < ZK_POSEIDON_T_MIN || t > ZK_POSEIDON_T_MAX) return 0;
    const fr_t *c, *m;
    unsigned rp;
    ref_tables(t, &c, &m, &rp);
    return 3 * ((uint64_t)POS_RF * t + rp);
}

/* y = x^5: x2 = x*x, x4 = x2*x2, y = x4*x; folded if x is a constant. */
static void sbox(zk_cs *cs, zk_lc *y, const zk_lc *x) {
    if (x->is_const) {
        fr_t v2, v4, v5;
        fr_sqr(&v2, &x->val);
        fr_sqr(&v4, &v2);
        fr_mul(&v5, &v4, &x->val);
        zk_lc_set_const(cs, y, &v5);
        return;
    }
    zk_lc x2, x4;
    zk_lc_init(&x2);
    zk_lc_init(&x4);
    zk_lc_set_var(cs, &x2, zk_cs_mul_new(cs, x, x));
    zk_lc_set_var(cs, &x4, zk_cs_mul_new(cs, &x2, &x2));
    zk_var v = zk_cs_mul_new(cs, &x4, x);
    zk_lc_set_var(cs, y, v);
    zk_lc_free(&x2);
    zk_lc_free(&x4);
}

/* Full round r: state += C_r, y = x^5 of every word, then state = M y (the
 * mix of round 3 is part of the plan). */
static void full_round(zk_cs *cs, const zk_poseidon_plan *p, zk_lc *state, zk_lc *y, unsigned r, int mix) {
    unsigned t = p->t;
    for (unsigned i = 0; i < t; i++) {
        zk_lc_add_const(cs, &state[i], &p->c[(size_t)r * t + i]);
        sbox(cs, &y[i], &state[i]);
    }
    if (!mix) return;
    for (unsigned i = 0; i < t; i++) {
        zk_lc_clear(&state[i]);
        for (unsigned j = 0; j < t; j++) zk_lc_add(cs, &state[i], &p->m[i * t + j], &y[j]);
    }
}

void zk_g_poseidon_permute(zk_cs *cs, zk_lc *state, unsigned t) {
    if (cs->err) return;
    if (t < ZK_POSEIDON_T_MIN || t > ZK_POSEIDON_T_MAX) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    const zk_poseidon_plan *p = get_plan(cs, t);
    if (!p) return;
    unsigned rp = p->rp;
    zk_lc y[ZK_POSEIDON_T_MAX], py[80], x;
    if (rp > sizeof py / sizeof py[0]) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    for (unsigned i = 0; i < t; i++) zk_lc_init(&y[i]);
    for (unsigned k = 0; k < rp; k++) zk_lc_init(&py[k]);
    zk_lc_init(&x);
    zk_cs_push(cs, "poseidon");
    for (unsigned r = 0; r < 4; r++) full_round(cs, p, state, y, r, r < 3);
    /* partial rounds over the basis (u = y, py) */
    for (unsigned k = 0; k < rp; k++) {
        const fr_t *hk = p->h + (size_t)k * t;
        zk_lc_set_const(cs, &x, &p->pconst[k]);
        for (unsigned j = 0; j < t; j++) zk_lc_add(cs, &x, &hk[j], &y[j]);
        for (unsigned q = 0; q < k; q++) zk_lc_add(cs, &x, &p->g[k - 1 - q], &py[q]);
        sbox(cs, &py[k], &x);
    }
    unsigned b = t + rp;
    for (unsigned i = 0; i < t; i++) {
        const fr_t *f = p->frow + (size_t)i * b;
        zk_lc_set_const(cs, &state[i], &p->fconst[i]);
        for (unsigned j = 0; j < t; j++) zk_lc_add(cs, &state[i], &f[j], &y[j]);
        for (unsigned q = 0; q < rp; q++) zk_lc_add(cs, &state[i], &f[t + q], &py[q]);
    }
    for (unsigned r = 4 + rp; r < POS_RF + rp; r++) full_round(cs, p, state, y, r, 1);
    zk_cs_pop(cs);
    for (unsigned i = 0; i < t; i++) zk_lc_free(&y[i]);
    for (unsigned k = 0; k < rp; k++) zk_lc_free(&py[k]);
    zk_lc_free(&x);
}

void zk_g_poseidon_hash(zk_cs *cs, zk_lc *out, const zk_lc *in, size_t n, unsigned chunk) {
    if (cs->err) return;
    if (n == 0 || chunk < 1 || chunk > ZK_POSEIDON_T_MAX - 1) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    zk_lc st[ZK_POSEIDON_T_MAX], carry, last;
    for (unsigned i = 0; i < ZK_POSEIDON_T_MAX; i++) zk_lc_init(&st[i]);
    zk_lc_init(&carry); /* 0 */
    zk_lc_init(&last);
    size_t i = 0;
    for (; n - i >= chunk; i += chunk) {
        zk_lc_copy(cs, &st[0], &carry);
        for (unsigned j = 0; j < chunk; j++) zk_lc_copy(cs, &st[1 + j], &in[i + j]);
        zk_g_poseidon_permute(cs, st, chunk + 1);
        zk_lc_copy(cs, &carry, &st[0]);
        zk_lc_copy(cs, &last, &st[1]);
    }
    if (i < n) {
        size_t r = n - i;
        zk_lc_copy(cs, &st[0], &carry);
        for (size_t j = 0; j < r; j++) zk_lc_copy(cs, &st[1 + j], &in[i + j]);
        zk_g_poseidon_permute(cs, st, (unsigned)r + 1);
        zk_lc_copy(cs, &last, &st[1]);
    }
    zk_lc_copy(cs, out, &last);
    for (unsigned k = 0; k < ZK_POSEIDON_T_MAX; k++) zk_lc_free(&st[k]);
    zk_lc_free(&carry);
    zk_lc_free(&last);
}

void zk_g_merkle_root(zk_cs *cs, zk_lc *root, const zk_lc *leaf, const zk_var *siblings, const zk_var *bits,
                      unsigned depth) {
    if (cs->err) return;
    zk_lc node, sib, st[3];
    zk_lc_init(&node);
    zk_lc_init(&sib);
    for (int k = 0; k < 3; k++) zk_lc_init(&st[k]);
    zk_cs_push(cs, "merkle");
    zk_lc_copy(cs, &node, leaf);
    for (unsigned k = 0; k < depth; k++) {
        zk_lc_set_var(cs, &sib, siblings[k]);
        zk_lc_clear(&st[0]);
        zk_g_cswap(cs, &st[1], &st[2], bits[k], &node, &sib); /* bit 0: (node, sib) */
        zk_g_poseidon_permute(cs, st, 3);
        zk_lc_copy(cs, &node, &st[1]);
    }
    zk_cs_pop(cs);
    zk_lc_copy(cs, root, &node);
    zk_lc_free(&node);
    zk_lc_free(&sib);
    for (int k = 0; k < 3; k++) zk_lc_free(&st[k]);
}
