/* Fp12 = Fp6[w]/(w^2 - v): the pairing target field.
 *
 * Multiplication is Karatsuba over Fp6 (3 Fp6 products), squaring the
 * "complex" method (2 Fp6 products). Two special products carry the pairing:
 *   - fp12_mul_by_013: a Miller-loop line over the D-type twist has only the
 *     coefficients of 1, w and w^3 (= v w), so multiplying by it costs 13 Fp2
 *     products instead of 18;
 *   - fp12_cyclotomic_sqr: after the easy part of the final exponentiation
 *     every element satisfies a^(p^6 + 1) = 1, and Granger-Scott squaring
 *     over Fp4 = Fp2[s]/(s^2 - xi), s = w^3, costs 9 Fp2 squarings.
 * Frobenius maps use the generated coefficients xi^(i (p^k - 1)/6)
 * (tower_constants.h): writing a = sum_{i<6} g_i w^i with g_i in Fp2,
 * a^(p^k) = sum conj^k(g_i) xi^(i (p^k-1)/6) w^i. In the tower layout the
 * w-powers are c0 = g0 + g2 v + g4 v^2 and c1 = (g1 + g3 v + g5 v^2) w. */
#include "ff.h"
#include "fp2_inline.h"
#include "tower_constants.h"

void fp12_zero(fp12_t *r) { fp6_zero(&r->c0); fp6_zero(&r->c1); }
void fp12_one(fp12_t *r) { fp6_one(&r->c0); fp6_zero(&r->c1); }
int fp12_is_one(const fp12_t *a) {
    fp12_t one;
    fp12_one(&one);
    return fp12_eq(a, &one);
}
int fp12_eq(const fp12_t *a, const fp12_t *b) { return fp6_eq(&a->c0, &b->c0) & fp6_eq(&a->c1, &b->c1); }
void fp12_add(fp12_t *r, const fp12_t *a, const fp12_t *b) {
    fp6_add(&r->c0, &a->c0, &b->c0);
    fp6_add(&r->c1, &a->c1, &b->c1);
}
void fp12_sub(fp12_t *r, const fp12_t *a, const fp12_t *b) {
    fp6_sub(&r->c0, &a->c0, &b->c0);
    fp6_sub(&r->c1, &a->c1, &b->c1);
}
void fp12_conj(fp12_t *r, const fp12_t *a) {
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}
void fp12_cmov(fp12_t *r, const fp12_t *a, int flag) {
    fp6_cmov(&r->c0, &a->c0, flag);
    fp6_cmov(&r->c1, &a->c1, flag);
}

/* (a0 + a1 w)(b0 + b1 w) = (t0 + v t1) + ((a0 + a1)(b0 + b1) - t0 - t1) w */
void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b) {
    fp6_t t0, t1, s, t;
    fp6_mul(&t0, &a->c0, &b->c0);
    fp6_mul(&t1, &a->c1, &b->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_add(&t, &b->c0, &b->c1);
    fp6_mul(&s, &s, &t);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* (a0 + a1 w)^2 = (a0 + a1)(a0 + v a1) - t - v t + 2 t w, t = a0 a1 */
void fp12_sqr(fp12_t *r, const fp12_t *a) {
    fp6_t t, s, u;
    fp6_mul(&t, &a->c0, &a->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_v(&u, &a->c1);
    fp6_add(&u, &u, &a->c0);
    fp6_mul(&s, &s, &u);
    fp6_sub(&s, &s, &t);
    fp6_mul_v(&u, &t);
    fp6_sub(&r->c0, &s, &u);
    fp6_dbl(&r->c1, &t);
}

/* a * (l0 + l1 w + l3 w^3): in the tower the line is L0 + L1 w with L0 = l0
 * (a scalar of Fp6) and L1 = l1 + l3 v. */
void fp12_mul_by_013(fp12_t *r, const fp12_t *a, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3) {
    fp6_t t0, t1, s;
    fp2_t m;
    fp6_mul_fp2(&t0, &a->c0, l0);
    fp6_mul_by_01(&t1, &a->c1, l1, l3);
    fp6_add(&s, &a->c0, &a->c1);
    fp2i_add(&m, l0, l1);
    fp6_mul_by_01(&s, &s, &m, l3);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* 1/(a0 + a1 w) = (a0 - a1 w)/(a0^2 - v a1^2) */
static void fp12_inv_with(fp12_t *r, const fp12_t *a, void (*inv)(fp6_t *, const fp6_t *)) {
    fp6_t t, s;
    fp6_sqr(&t, &a->c0);
    fp6_sqr(&s, &a->c1);
    fp6_mul_v(&s, &s);
    fp6_sub(&t, &t, &s);
    inv(&t, &t);
    fp6_mul(&r->c0, &a->c0, &t);
    fp6_mul(&t, &a->c1, &t);
    fp6_neg(&r->c1, &t);
}
void fp12_inv(fp12_t *r, const fp12_t *a) { fp12_inv_with(r, a, fp6_inv); }
void fp12_inv_var(fp12_t *r, const fp12_t *a) { fp12_inv_with(r, a, fp6_inv_var); }

void fp12_frobenius(fp12_t *r, const fp12_t *a, unsigned power) {
    /* coefficient of w^i, i = 0..5, in the tower layout */
    const fp2_t *in[6] = {&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2};
    fp2_t g[6];
    power %= 12;
    if (power == 0) { *r = *a; return; }
    if (power > 3) { /* a^(p^k) for k > 3: compose (rarely used, so kept simple) */
        fp12_t t;
        fp12_frobenius(&t, a, 3);
        fp12_frobenius(r, &t, power - 3);
        return;
    }
    const fp2_t *gamma = TOWER_FROB[power - 1];
    for (int i = 0; i < 6; i++) {
        if (power & 1) fp2i_conj(&g[i], in[i]);
        else g[i] = *in[i];
        if (i == 0) continue;
        if (power == 2) fp2i_mul_fp(&g[i], &g[i], &gamma[i].c0); /* the k = 2 row lies in Fp */
        else fp2i_mul(&g[i], &g[i], &gamma[i]);
    }
    r->c0.c0 = g[0]; r->c1.c0 = g[1]; r->c0.c1 = g[2];
    r->c1.c1 = g[3]; r->c0.c2 = g[4]; r->c1.c2 = g[5];
}

void fp12_pow(fp12_t *r, const fp12_t *a, const uint64_t *e, size_t e_limbs) {
    fp12_t acc, t, base = *a;
    fp12_one(&acc);
    for (size_t i = e_limbs; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            fp12_sqr(&acc, &acc);
            fp12_mul(&t, &acc, &base);
            fp12_cmov(&acc, &t, (int)((e[i] >> b) & 1));
        }
    }
    *r = acc;
}

/* (x + y s)^2 over Fp4 = Fp2[s]/(s^2 - xi): x^2 + xi y^2 + 2xy s, from three
 * squarings: 2xy = (x + y)^2 - x^2 - y^2. */
static void fp4_sqr(fp2_t *r0, fp2_t *r1, const fp2_t *x, const fp2_t *y) {
    fp2_t x2, y2, t;
    fp2i_sqr(&x2, x);
    fp2i_sqr(&y2, y);
    fp2i_add(&t, x, y);
    fp2i_sqr(&t, &t);
    fp2i_sub(&t, &t, &x2);
    fp2i_sub(r1, &t, &y2);
    fp2i_mul_xi(&y2, &y2);
    fp2i_add(r0, &x2, &y2);
}

/* 3 z - 2 g and 3 z + 2 g (the two shapes of the Granger-Scott formula) */
static void three_minus_two(fp2_t *r, const fp2_t *z, const fp2_t *g) {
    fp2_t t;
    fp2i_sub(&t, z, g);
    fp2i_dbl(&t, &t);
    fp2i_add(r, &t, z);
}
static void three_plus_two(fp2_t *r, const fp2_t *z, const fp2_t *g) {
    fp2_t t;
    fp2i_add(&t, z, g);
    fp2i_dbl(&t, &t);
    fp2i_add(r, &t, z);
}

/* Granger-Scott: view a = A + B w + C w^2 over Fp4[w]/(w^3 - s), s = w^3, with
 * A = g0 + g3 s, B = g1 + g4 s, C = g2 + g5 s. If a^(p^6 + 1) = 1 then
 *   a^2 = (3A^2 - 2 conj(A)) + (3 s C^2 + 2 conj(B)) w + (3B^2 - 2 conj(C)) w^2,
 * where conj(x + y s) = x - y s. */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a) {
    fp2_t a0, a1, b0, b1, c0, c1, t;
    fp4_sqr(&a0, &a1, &a->c0.c0, &a->c1.c1); /* A^2 */
    fp4_sqr(&b0, &b1, &a->c1.c0, &a->c0.c2); /* B^2 */
    fp4_sqr(&c0, &c1, &a->c0.c1, &a->c1.c2); /* C^2 */
    /* A' = 3A^2 - 2 conj(A) */
    three_minus_two(&r->c0.c0, &a0, &a->c0.c0);
    three_plus_two(&r->c1.c1, &a1, &a->c1.c1);
    /* B' = 3 s C^2 + 2 conj(B), s C^2 = xi c1 + c0 s */
    fp2i_mul_xi(&t, &c1);
    three_plus_two(&r->c1.c0, &t, &a->c1.c0);
    three_minus_two(&r->c0.c2, &c0, &a->c0.c2);
    /* C' = 3B^2 - 2 conj(C) */
    three_minus_two(&r->c0.c1, &b0, &a->c0.c1);
    three_plus_two(&r->c1.c2, &b1, &a->c1.c2);
}
