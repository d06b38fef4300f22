/* Optimal ate pairing of BN254.
 *
 * Miller loop: the loop parameter 6x + 2 in non-adjacent form (22 non-zero
 * digits instead of 37 bits set), T kept in homogeneous projective
 * coordinates on the twist (X/Z, Y/Z) so that no step inverts, and the line
 * functions evaluated directly at P (no precomputed line tables: one pass,
 * stack only). Lines on the D-type twist untwist to l0 + l1 w + l3 w^3, which
 * fp12_mul_by_013 multiplies in 13 Fp2 products. Every line is scaled by a
 * factor of Fp2 (denominators, signs) that the final exponentiation kills,
 * because (p^12 - 1)/r is a multiple of p^2 - 1. Several pairs share one
 * accumulator, so a product of n pairings costs n line evaluations per step
 * but only one Fp12 squaring; inputs at infinity are skipped (factor 1).
 * The line formulas use the inline Fp2 arithmetic of ff/fp2_inline.h and the
 * batched Fp products of ff/fp_batch.h (ff internals, like the generated
 * tower constants). Each doubling and addition step is cut into stages of
 * independent products (dbl1..3, adda..d below), and every stage is one
 * batch together with the Fp12 work that does not depend on it: the
 * squaring of f joins stage 1 of the doublings, the first line product
 * f * l joins the stage after the one that finishes the line. On the IFMA
 * core a batch multiplies 8 Fp products at the cost of about two scalar
 * ones, so a doubling position costs 14 vector products plus additions
 * (Miller loop about 0.65x the time of the scalar version on the 2-core
 * Xeon: ~254 us -> ~160 us).
 *
 * Final exponentiation: easy part f^((p^6 - 1)(p^2 + 1)) with one inversion
 * and a Frobenius. The hard part raises to m (p^4 - p^2 + 1)/r with
 * m = 2x(6x^2 + 3x + 1), a multiple coprime to r (Fuentes-Castaneda, Knapp,
 * Rodriguez-Henriquez), because it has the shorter base-p form
 *     m (p^4 - p^2 + 1)/r = l0 + l1 p + l2 p^2 + l3 p^3,
 *     l1 = 12x^3 + 6x^2 + 4x,   l2 = l1 + 2x,   l3 = l1 - 1,
 *     l0 = l2 + 6x^2 + 1
 * (an identity of polynomials in x; tests/test_pairing.c compares the result
 * with plain exponentiation by m (p^12 - 1)/r). The pairing is thus the
 * standard reduced pairing raised to the fixed power m: still bilinear and
 * non-degenerate, identical for every "== 1" check (EIP-197, Groth16), and
 * the very value snarkjs computes (its vk_alphabeta_12 matches, see
 * tests/test_snarkjs_verify.c). The chain, with f^x by cyclotomic squarings
 * over the width-4 NAF of x:
 *     f^(2x), f^(4x), f^(6x); f^(6x^2) = (f^(6x))^x; f^(12x^3) = (f^(12x^2))^x
 *     A = f^l1 = f^(12x^3) f^(6x^2) f^(4x),  B = f^l2 = A f^(2x),
 *     C = f^l0 = B f^(6x^2) f,  D = f^l3 = A / f
 *     result = C * A^p * B^(p^2) * D^(p^3)
 * costs 3 exponentiations by x, 3 squarings, 10 products, 3 Frobenius maps. */
#include "pairing.h"

#include <string.h>

#include "../ff/fp2_inline.h"
#include "../ff/fp_batch.h"
#include "../ff/tower_constants.h"

/* Homogeneous projective point on the twist: (X/Z, Y/Z). */
typedef struct { fp2_t x, y, z; } g2_proj_t;

/* One pair of the Miller loop with its precomputed values of P. */
typedef struct {
    fp_t xp, xp3, myp;    /* xP, 3 xP, -yP */
    g2_affine_t q, mq;    /* Q, -Q */
    g2_proj_t t;          /* running multiple of Q */
} pair_state;

/* A line l0 + l1 w + l3 w^3 evaluated at P. */
typedef struct { fp2_t l0, l1, l3; } line_t;

static void fp2_half(fp2_t *r, const fp2_t *a) {
    mont_half(r->c0.l, a->c0.l, FP_MOD);
    mont_half(r->c1.l, a->c1.l, FP_MOD);
}

/* Zero-pad a slot batch to a multiple of 8 (fp_batch.h) and multiply it. */
static void batch_mul(fp_t *A, fp_t *B, size_t n) {
    size_t n8 = (n + 7) & ~(size_t)7;
    memset(A + n, 0, (n8 - n) * sizeof A[0]);
    memset(B + n, 0, (n8 - n) * sizeof B[0]);
    fpb_mul(A, A, B, n8);
}

/* T = 2T and the tangent at T evaluated at P. With A = XY/2, B = Y^2,
 * C = Z^2, E = 3b'C, F = 3E, G = (B + F)/2, H = 2YZ = (Y + Z)^2 - B - C:
 *   X3 = A (B - F), Y3 = G^2 - 3E^2, Z3 = B H;
 * the tangent (yP - y) - 3x^2/(2y) (xP - x), untwisted (x = X/Z on the twist
 * is x w^2 on the curve, y is y w^3) and scaled by -2YZ, is
 *   -H yP + 3X^2 xP w + (E - B) w^3
 * (Y^2 Z = X^3 + b' Z^3 turns the constant term 3X^3/Z - 2Y^2 into B - E).
 * The step is split into three batches of independent products (fp_batch.h)
 * so that the Miller loop can merge them with its Fp12 work:
 *   1: XY, Y^2, Z^2, (Y + Z)^2, X^2              (11 slots)
 *   2: E = 3b' C, -H yP, 3X^2 xP (the line)      (7 slots)
 *   3: XY (B - F)/2, E^2, G^2, B H               (10 slots) */
typedef struct { fp2_t xy, b, c, h, j, e; } dbl_tmp;
#define DBL1_SLOTS 11
#define DBL2_SLOTS 7
#define DBL3_SLOTS 10

static void dbl1_in(fp_t *A, fp_t *B, const g2_proj_t *t) {
    fp2_t s;
    fp2b_mul_in(A, B, &t->x, &t->y);
    fp2b_sqr_in(A + 3, B + 3, &t->y);
    fp2b_sqr_in(A + 5, B + 5, &t->z);
    fp2i_add(&s, &t->y, &t->z);
    fp2b_sqr_in(A + 7, B + 7, &s);
    fp2b_sqr_in(A + 9, B + 9, &t->x);
}
static void dbl1_out(dbl_tmp *d, const fp_t *P) {
    fp2b_mul_out(&d->xy, P);
    fp2b_sqr_out(&d->b, P + 3);
    fp2b_sqr_out(&d->c, P + 5);
    fp2b_sqr_out(&d->h, P + 7);
    fp2i_sub(&d->h, &d->h, &d->b);
    fp2i_sub(&d->h, &d->h, &d->c);
    fp2b_sqr_out(&d->j, P + 9);
}
static void dbl2_in(fp_t *A, fp_t *B, const dbl_tmp *d, const fp_t *xp3, const fp_t *myp) {
    fp2b_mul_in(A, B, &d->c, &TWIST_B3);
    A[3] = d->h.c0; B[3] = *myp;
    A[4] = d->h.c1; B[4] = *myp;
    A[5] = d->j.c0; B[5] = *xp3;
    A[6] = d->j.c1; B[6] = *xp3;
}
static void dbl2_out(line_t *l, dbl_tmp *d, const fp_t *P) {
    fp2b_mul_out(&d->e, P);
    l->l0.c0 = P[3]; l->l0.c1 = P[4];
    l->l1.c0 = P[5]; l->l1.c1 = P[6];
    fp2i_sub(&l->l3, &d->e, &d->b);
}
static void dbl3_in(fp_t *A, fp_t *B, const dbl_tmp *d) {
    fp2_t f, s, g;
    fp2i_dbl(&f, &d->e);
    fp2i_add(&f, &f, &d->e);
    fp2i_sub(&s, &d->b, &f);
    fp2_half(&s, &s);
    fp2i_add(&g, &d->b, &f);
    fp2_half(&g, &g);
    fp2b_mul_in(A, B, &d->xy, &s);
    fp2b_sqr_in(A + 3, B + 3, &d->e);
    fp2b_sqr_in(A + 5, B + 5, &g);
    fp2b_mul_in(A + 7, B + 7, &d->b, &d->h);
}
static void dbl3_out(g2_proj_t *t, const fp_t *P) {
    fp2_t e2, g2, s;
    fp2b_mul_out(&t->x, P);
    fp2b_sqr_out(&e2, P + 3);
    fp2b_sqr_out(&g2, P + 5);
    fp2i_dbl(&s, &e2);
    fp2i_add(&s, &s, &e2);
    fp2i_sub(&t->y, &g2, &s);
    fp2b_mul_out(&t->z, P + 7);
}

/* T = T + Q (Q affine, T != +-Q) and the line through T and Q at P. With
 * theta = Y - yQ Z, lambda = X - xQ Z (slope theta/lambda), C = theta^2,
 * D = lambda^2, E = lambda D, F = Z C, G = X D, H = E + F - 2G:
 *   X3 = lambda H, Y3 = theta (G - H) - Y E, Z3 = Z E;
 * the line (yP - yQ) - slope (xP - xQ), untwisted and scaled by -lambda:
 *   -lambda yP + theta xP w + (lambda yQ - theta xQ) w^3.
 * Four batches of independent products, the third shared with the line
 * product f l (see miller_add):
 *   A: yQ Z, xQ Z                                          (6 slots)
 *   B: lambda yQ, theta xQ, -lambda yP, theta xP, C, D     (14 slots)
 *   C: E, F, G                                             (9 slots)
 *   D: lambda H, theta (G - H), Y E, Z E                   (12 slots) */
typedef struct { fp2_t theta, lambda, c, d, e, g, h; } add_tmp;
#define ADDA_SLOTS 6
#define ADDB_SLOTS 14
#define ADDC_SLOTS 9
#define ADDD_SLOTS 12

static void adda_in(fp_t *A, fp_t *B, const g2_proj_t *t, const g2_affine_t *q) {
    fp2b_mul_in(A, B, &q->y, &t->z);
    fp2b_mul_in(A + 3, B + 3, &q->x, &t->z);
}
static void adda_out(add_tmp *d, const g2_proj_t *t, const fp_t *P) {
    fp2_t u;
    fp2b_mul_out(&u, P);
    fp2i_sub(&d->theta, &t->y, &u);
    fp2b_mul_out(&u, P + 3);
    fp2i_sub(&d->lambda, &t->x, &u);
}
static void addb_in(fp_t *A, fp_t *B, const add_tmp *d, const g2_affine_t *q, const fp_t *xp,
                    const fp_t *myp) {
    fp2b_mul_in(A, B, &d->lambda, &q->y);
    fp2b_mul_in(A + 3, B + 3, &d->theta, &q->x);
    A[6] = d->lambda.c0; B[6] = *myp;
    A[7] = d->lambda.c1; B[7] = *myp;
    A[8] = d->theta.c0; B[8] = *xp;
    A[9] = d->theta.c1; B[9] = *xp;
    fp2b_sqr_in(A + 10, B + 10, &d->theta);
    fp2b_sqr_in(A + 12, B + 12, &d->lambda);
}
static void addb_out(line_t *l, add_tmp *d, const fp_t *P) {
    fp2_t u, v;
    fp2b_mul_out(&u, P);
    fp2b_mul_out(&v, P + 3);
    fp2i_sub(&l->l3, &u, &v);
    l->l0.c0 = P[6]; l->l0.c1 = P[7];
    l->l1.c0 = P[8]; l->l1.c1 = P[9];
    fp2b_sqr_out(&d->c, P + 10);
    fp2b_sqr_out(&d->d, P + 12);
}
static void addc_in(fp_t *A, fp_t *B, const add_tmp *d, const g2_proj_t *t) {
    fp2b_mul_in(A, B, &d->lambda, &d->d);
    fp2b_mul_in(A + 3, B + 3, &t->z, &d->c);
    fp2b_mul_in(A + 6, B + 6, &t->x, &d->d);
}
static void addc_out(add_tmp *d, const fp_t *P) {
    fp2_t f;
    fp2b_mul_out(&d->e, P);
    fp2b_mul_out(&f, P + 3);
    fp2b_mul_out(&d->g, P + 6);
    fp2i_dbl(&d->h, &d->g);
    fp2i_sub(&d->h, &f, &d->h);
    fp2i_add(&d->h, &d->h, &d->e);
}
static void addd_in(fp_t *A, fp_t *B, const add_tmp *d, const g2_proj_t *t) {
    fp2_t s;
    fp2b_mul_in(A, B, &d->lambda, &d->h);
    fp2i_sub(&s, &d->g, &d->h);
    fp2b_mul_in(A + 3, B + 3, &s, &d->theta);
    fp2b_mul_in(A + 6, B + 6, &t->y, &d->e);
    fp2b_mul_in(A + 9, B + 9, &t->z, &d->e);
}
static void addd_out(g2_proj_t *t, const fp_t *P) {
    fp2_t u, v;
    fp2b_mul_out(&t->x, P);
    fp2b_mul_out(&u, P + 3);
    fp2b_mul_out(&v, P + 6);
    fp2i_sub(&t->y, &u, &v);
    fp2b_mul_out(&t->z, P + 9);
}

/* pi carried to the twist: (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2)). */
static void twist_frobenius(g2_affine_t *r, const g2_affine_t *q) {
    fp2i_conj(&r->x, &q->x);
    fp2i_mul(&r->x, &r->x, &TOWER_FROB[0][2]);
    fp2i_conj(&r->y, &q->y);
    fp2i_mul(&r->y, &r->y, &TOWER_FROB[0][3]);
}

/* -pi^2 on the twist: (x xi^((p^2-1)/3), -y xi^((p^2-1)/2)); both in Fp. */
static void twist_neg_frobenius2(g2_affine_t *r, const g2_affine_t *q) {
    fp_t m;
    fp2i_mul_fp(&r->x, &q->x, &TOWER_FROB[1][2].c0);
    fpi_neg(&m, &TOWER_FROB[1][3].c0);
    fp2i_mul_fp(&r->y, &q->y, &m);
}

static void mul_line(fp12_t *f, const line_t *l, int *f_is_one) {
    if (*f_is_one) { /* first line: f = l, no product */
        fp12_zero(f);
        f->c0.c0 = l->l0;
        f->c1.c0 = l->l1;
        f->c1.c1 = l->l3;
        *f_is_one = 0;
        return;
    }
    fp12_mul_by_013(f, f, &l->l0, &l->l1, &l->l3);
}

/* Pairs handled with one shared accumulator; larger inputs are cut into
 * batches whose results are multiplied (keeps everything on the stack). */
#define MILLER_BATCH 8

/* Slots of the largest batch: f^2 and stage 1 of every pair's doubling. */
#define MILLER_SLOTS (FP12B_SQR_SLOTS + DBL1_SLOTS * MILLER_BATCH + 8)

/* One doubling position of the loop: f = f^2 * prod_j l_j, T_j = 2 T_j, with
 * the products gathered into three batches: f^2 with stage 1 of the
 * doublings, stage 2 (the lines), then stage 3 with the first line product
 * f l_0; the other pairs' lines follow one by one. */
static void miller_dbl(fp12_t *f, int *f_is_one, pair_state *s, size_t m) {
    fp_t A[MILLER_SLOTS], B[MILLER_SLOTS];
    dbl_tmp d[MILLER_BATCH];
    line_t l[MILLER_BATCH];
    size_t n = 0;
    int sq = !*f_is_one;
    if (sq) {
        fp12b_sqr_in(A, B, f);
        n = FP12B_SQR_SLOTS;
    }
    for (size_t j = 0; j < m; j++) dbl1_in(A + n + DBL1_SLOTS * j, B + n + DBL1_SLOTS * j, &s[j].t);
    batch_mul(A, B, n + DBL1_SLOTS * m);
    if (sq) fp12b_sqr_out(f, A);
    for (size_t j = 0; j < m; j++) dbl1_out(&d[j], A + n + DBL1_SLOTS * j);

    for (size_t j = 0; j < m; j++) dbl2_in(A + DBL2_SLOTS * j, B + DBL2_SLOTS * j, &d[j], &s[j].xp3, &s[j].myp);
    batch_mul(A, B, DBL2_SLOTS * m);
    for (size_t j = 0; j < m; j++) dbl2_out(&l[j], &d[j], A + DBL2_SLOTS * j);

    n = 0;
    if (!*f_is_one) {
        fp12b_mul013_in(A, B, f, &l[0].l0, &l[0].l1, &l[0].l3);
        n = FP12B_MUL013_SLOTS;
    }
    for (size_t j = 0; j < m; j++) dbl3_in(A + n + DBL3_SLOTS * j, B + n + DBL3_SLOTS * j, &d[j]);
    batch_mul(A, B, n + DBL3_SLOTS * m);
    if (n) fp12b_mul013_out(f, A);
    else mul_line(f, &l[0], f_is_one);
    for (size_t j = 0; j < m; j++) dbl3_out(&s[j].t, A + n + DBL3_SLOTS * j);
    for (size_t j = 1; j < m; j++) mul_line(f, &l[j], f_is_one);
}

/* One addition: f = f * prod_j l_j, T_j = T_j + q[j], in the four batches
 * of the addition step; the first line product joins batch C. */
static void miller_add(fp12_t *f, int *f_is_one, pair_state *s, const g2_affine_t *const *q, size_t m) {
    fp_t A[MILLER_SLOTS], B[MILLER_SLOTS];
    add_tmp d[MILLER_BATCH];
    line_t l[MILLER_BATCH];
    size_t n;
    for (size_t j = 0; j < m; j++) adda_in(A + ADDA_SLOTS * j, B + ADDA_SLOTS * j, &s[j].t, q[j]);
    batch_mul(A, B, ADDA_SLOTS * m);
    for (size_t j = 0; j < m; j++) adda_out(&d[j], &s[j].t, A + ADDA_SLOTS * j);

    for (size_t j = 0; j < m; j++)
        addb_in(A + ADDB_SLOTS * j, B + ADDB_SLOTS * j, &d[j], q[j], &s[j].xp, &s[j].myp);
    batch_mul(A, B, ADDB_SLOTS * m);
    for (size_t j = 0; j < m; j++) addb_out(&l[j], &d[j], A + ADDB_SLOTS * j);

    n = 0;
    if (!*f_is_one) {
        fp12b_mul013_in(A, B, f, &l[0].l0, &l[0].l1, &l[0].l3);
        n = FP12B_MUL013_SLOTS;
    }
    for (size_t j = 0; j < m; j++) addc_in(A + n + ADDC_SLOTS * j, B + n + ADDC_SLOTS * j, &d[j], &s[j].t);
    batch_mul(A, B, n + ADDC_SLOTS * m);
    if (n) fp12b_mul013_out(f, A);
    else mul_line(f, &l[0], f_is_one);
    for (size_t j = 0; j < m; j++) addc_out(&d[j], A + n + ADDC_SLOTS * j);

    for (size_t j = 0; j < m; j++) addd_in(A + ADDD_SLOTS * j, B + ADDD_SLOTS * j, &d[j], &s[j].t);
    batch_mul(A, B, ADDD_SLOTS * m);
    for (size_t j = 0; j < m; j++) addd_out(&s[j].t, A + ADDD_SLOTS * j);
    for (size_t j = 1; j < m; j++) mul_line(f, &l[j], f_is_one);
}

static void miller_batch(fp12_t *out, pair_state *s, size_t m) {
    const g2_affine_t *q[MILLER_BATCH];
    g2_affine_t q1[MILLER_BATCH];
    int f_is_one = 1;
    fp12_one(out);
    for (size_t j = 0; j < m; j++) {
        s[j].t.x = s[j].q.x;
        s[j].t.y = s[j].q.y;
        fp2_one(&s[j].t.z);
    }
    /* the top digit is 1: T starts at Q */
    for (int i = BN_ATE_NAF_LEN - 2; i >= 0; i--) {
        miller_dbl(out, &f_is_one, s, m);
        int d = BN_ATE_NAF[i];
        if (d == 0) continue;
        for (size_t j = 0; j < m; j++) q[j] = d > 0 ? &s[j].q : &s[j].mq;
        miller_add(out, &f_is_one, s, q, m);
    }
    /* x > 0 for BN254, so no final conjugation; two more lines: T + pi(Q), then
     * with -pi^2(Q) (T is not needed afterwards, its update is wasted). */
    for (size_t j = 0; j < m; j++) {
        twist_frobenius(&q1[j], &s[j].q);
        q[j] = &q1[j];
    }
    miller_add(out, &f_is_one, s, q, m);
    for (size_t j = 0; j < m; j++) twist_neg_frobenius2(&q1[j], &s[j].q);
    miller_add(out, &f_is_one, s, q, m);
}

void zk_miller_loop(fp12_t *out, const g1_affine_t *p, const g2_affine_t *q, size_t n) {
    pair_state s[MILLER_BATCH];
    fp12_t acc, f;
    size_t m = 0, batches = 0;
    fp12_one(&acc);
    for (size_t i = 0; i < n; i++) {
        if (g1_affine_is_infinity(&p[i]) || g2_affine_is_infinity(&q[i])) continue;
        pair_state *st = &s[m++];
        st->xp = p[i].x;
        fpi_dbl(&st->xp3, &p[i].x);
        fpi_add(&st->xp3, &st->xp3, &p[i].x);
        fpi_neg(&st->myp, &p[i].y);
        st->q = q[i];
        st->mq.x = q[i].x;
        fp2i_neg(&st->mq.y, &q[i].y);
        if (m == MILLER_BATCH) {
            miller_batch(&f, s, m);
            if (batches++) fp12_mul(&acc, &acc, &f);
            else acc = f;
            m = 0;
        }
    }
    if (m > 0) {
        miller_batch(&f, s, m);
        if (batches++) fp12_mul(&acc, &acc, &f);
        else acc = f;
    }
    *out = acc;
}

/* r = a^x for a in the cyclotomic subgroup, left to right over the width-4
 * NAF of x (public) with a table of a, a^3, a^5, a^7; negative digits use
 * conjugates (inverses there): 62 squarings and 13 + 3 products. */
static void cyclotomic_exp_x(fp12_t *r, const fp12_t *a) {
    fp12_t tab[4], a2, acc, t;
    tab[0] = *a;
    fp12_cyclotomic_sqr(&a2, a);
    for (int k = 1; k < 4; k++) fp12_mul(&tab[k], &tab[k - 1], &a2);
    acc = tab[(BN_X_WNAF[BN_X_WNAF_LEN - 1] - 1) / 2]; /* the top digit is positive */
    for (int i = BN_X_WNAF_LEN - 2; i >= 0; i--) {
        int d = BN_X_WNAF[i];
        fp12_cyclotomic_sqr(&acc, &acc);
        if (d > 0) {
            fp12_mul(&acc, &acc, &tab[(d - 1) / 2]);
        } else if (d < 0) {
            fp12_conj(&t, &tab[(-d - 1) / 2]);
            fp12_mul(&acc, &acc, &t);
        }
    }
    *r = acc;
}

static void final_exp_hard(fp12_t *out, const fp12_t *f) {
    fp12_t f2x, f4x, f6x, f6x2, f12x2, f12x3, a, b, c, d, t;
    cyclotomic_exp_x(&t, f);
    fp12_cyclotomic_sqr(&f2x, &t);
    fp12_cyclotomic_sqr(&f4x, &f2x);
    fp12_mul(&f6x, &f4x, &f2x);
    cyclotomic_exp_x(&f6x2, &f6x);
    fp12_cyclotomic_sqr(&f12x2, &f6x2);
    cyclotomic_exp_x(&f12x3, &f12x2);

    fp12_mul(&a, &f12x3, &f6x2);
    fp12_mul(&a, &a, &f4x);         /* f^l1 */
    fp12_mul(&b, &a, &f2x);         /* f^l2 */
    fp12_mul(&c, &b, &f6x2);
    fp12_mul(&c, &c, f);            /* f^l0 */
    fp12_conj(&t, f);
    fp12_mul(&d, &a, &t);           /* f^l3 */

    fp12_frobenius(&t, &a, 1);
    fp12_mul(&c, &c, &t);
    fp12_frobenius(&t, &b, 2);
    fp12_mul(&c, &c, &t);
    fp12_frobenius(&t, &d, 3);
    fp12_mul(out, &c, &t);
}

void zk_final_exp(fp12_t *out, const fp12_t *in) {
    fp12_t f, t;
    /* easy part: f^(p^6 - 1) = conj(f)/f, then ^(p^2 + 1) */
    fp12_inv(&t, in);
    fp12_conj(&f, in);
    fp12_mul(&f, &f, &t);
    fp12_frobenius(&t, &f, 2);
    fp12_mul(&f, &f, &t);
    final_exp_hard(out, &f);
}

void zk_pairing(fp12_t *out, const g1_affine_t *p, const g2_affine_t *q) {
    fp12_t f;
    zk_miller_loop(&f, p, q, 1);
    zk_final_exp(out, &f);
}

int zk_pairing_check(const g1_affine_t *p, const g2_affine_t *q, size_t n) {
    fp12_t f;
    zk_miller_loop(&f, p, q, n);
    zk_final_exp(&f, &f);
    return fp12_is_one(&f);
}
