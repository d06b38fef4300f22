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
 * The line formulas use the inline Fp2 arithmetic of ff/fp2_inline.h (an ff
 * internal, like the generated tower constants): they are as hot as the
 * tower products, and calls would cost as much as the additions they wrap.
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

#include "../ff/fp2_inline.h"
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
    fp_half(&r->c0, &a->c0);
    fp_half(&r->c1, &a->c1);
}

/* T = 2T and the tangent at T evaluated at P. With A = XY/2, B = Y^2,
 * C = Z^2, E = 3b'C, F = 3E, G = (B + F)/2, H = 2YZ = (Y + Z)^2 - B - C:
 *   X3 = A (B - F), Y3 = G^2 - 3E^2, Z3 = B H;
 * the tangent (yP - y) - 3x^2/(2y) (xP - x), untwisted (x = X/Z on the twist
 * is x w^2 on the curve, y is y w^3) and scaled by -2YZ, is
 *   -H yP + 3X^2 xP w + (E - B) w^3
 * (Y^2 Z = X^3 + b' Z^3 turns the constant term 3X^3/Z - 2Y^2 into B - E). */
static void dbl_step(line_t *l, g2_proj_t *t, const fp_t *xp3, const fp_t *myp) {
    fp2_t a, b, c, e, f, g, h, j, s;
    fp2i_mul(&a, &t->x, &t->y);
    fp2_half(&a, &a);
    fp2i_sqr(&b, &t->y);
    fp2i_sqr(&c, &t->z);
    fp2i_mul(&e, &c, &TWIST_B3);
    fp2i_dbl(&f, &e);
    fp2i_add(&f, &f, &e);
    fp2i_add(&g, &b, &f);
    fp2_half(&g, &g);
    fp2i_add(&h, &t->y, &t->z);
    fp2i_sqr(&h, &h);
    fp2i_sub(&h, &h, &b);
    fp2i_sub(&h, &h, &c);
    fp2i_sqr(&j, &t->x);

    fp2i_sub(&l->l3, &e, &b);
    fp2i_mul_fp(&l->l0, &h, myp);
    fp2i_mul_fp(&l->l1, &j, xp3);

    fp2i_sub(&s, &b, &f);
    fp2i_mul(&t->x, &a, &s);
    fp2i_sqr(&e, &e);
    fp2i_dbl(&s, &e);
    fp2i_add(&s, &s, &e);
    fp2i_sqr(&g, &g);
    fp2i_sub(&t->y, &g, &s);
    fp2i_mul(&t->z, &b, &h);
}

/* T = T + Q (Q affine, T != +-Q) and the line through T and Q at P. With
 * theta = Y - yQ Z, lambda = X - xQ Z (slope theta/lambda), C = theta^2,
 * D = lambda^2, E = lambda D, F = Z C, G = X D, H = E + F - 2G:
 *   X3 = lambda H, Y3 = theta (G - H) - Y E, Z3 = Z E;
 * the line (yP - yQ) - slope (xP - xQ), untwisted and scaled by -lambda:
 *   -lambda yP + theta xP w + (lambda yQ - theta xQ) w^3. */
static void add_step(line_t *l, g2_proj_t *t, const g2_affine_t *q, const fp_t *xp, const fp_t *myp) {
    fp2_t theta, lambda, c, d, e, f, g, h, s;
    fp2i_mul(&theta, &q->y, &t->z);
    fp2i_sub(&theta, &t->y, &theta);
    fp2i_mul(&lambda, &q->x, &t->z);
    fp2i_sub(&lambda, &t->x, &lambda);

    fp2i_mul(&s, &lambda, &q->y);
    fp2i_mul(&c, &theta, &q->x);
    fp2i_sub(&l->l3, &s, &c);
    fp2i_mul_fp(&l->l0, &lambda, myp);
    fp2i_mul_fp(&l->l1, &theta, xp);

    fp2i_sqr(&c, &theta);
    fp2i_sqr(&d, &lambda);
    fp2i_mul(&e, &lambda, &d);
    fp2i_mul(&f, &t->z, &c);
    fp2i_mul(&g, &t->x, &d);
    fp2i_dbl(&h, &g);
    fp2i_sub(&h, &f, &h);
    fp2i_add(&h, &h, &e);
    fp2i_mul(&t->x, &lambda, &h);
    fp2i_sub(&s, &g, &h);
    fp2i_mul(&s, &s, &theta);
    fp2i_mul(&f, &t->y, &e);
    fp2i_sub(&t->y, &s, &f);
    fp2i_mul(&t->z, &t->z, &e);
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

static void miller_batch(fp12_t *out, pair_state *s, size_t m) {
    line_t l;
    int f_is_one = 1;
    fp12_one(out);
    for (size_t j = 0; j < m; j++) {
        s[j].t.x = s[j].q.x;
        s[j].t.y = s[j].q.y;
        fp2_one(&s[j].t.z);
    }
    /* the top digit is 1: T starts at Q */
    for (int i = BN_ATE_NAF_LEN - 2; i >= 0; i--) {
        if (!f_is_one) fp12_sqr(out, out);
        for (size_t j = 0; j < m; j++) {
            dbl_step(&l, &s[j].t, &s[j].xp3, &s[j].myp);
            mul_line(out, &l, &f_is_one);
        }
        int d = BN_ATE_NAF[i];
        if (d == 0) continue;
        for (size_t j = 0; j < m; j++) {
            add_step(&l, &s[j].t, d > 0 ? &s[j].q : &s[j].mq, &s[j].xp, &s[j].myp);
            mul_line(out, &l, &f_is_one);
        }
    }
    /* x > 0 for BN254, so no final conjugation; two more lines: T + pi(Q), then
     * with -pi^2(Q) (T is not needed afterwards, its update is wasted). */
    for (size_t j = 0; j < m; j++) {
        g2_affine_t q1;
        twist_frobenius(&q1, &s[j].q);
        add_step(&l, &s[j].t, &q1, &s[j].xp, &s[j].myp);
        mul_line(out, &l, &f_is_one);
        twist_neg_frobenius2(&q1, &s[j].q);
        add_step(&l, &s[j].t, &q1, &s[j].xp, &s[j].myp);
        mul_line(out, &l, &f_is_one);
    }
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
