/* Fp6/Fp12 tower and the optimal ate pairing.
 *
 * Independent references: a schoolbook product in Fp2[w]/(w^6 - xi) for the
 * tower multiplication, plain exponentiation (square-and-multiply by GMP-
 * computed exponents p^k, (p^12 - 1)/r, r) for the Frobenius maps, the
 * cyclotomic squaring and the whole final exponentiation, and the algebraic
 * properties of a pairing (bilinearity with random scalars, non-degeneracy,
 * order r, products). The value itself is checked against Ethereum's and
 * snarkjs's vectors in test_eth_pairing.c / test_snarkjs_verify.c. */
#include <gmp.h>

#include "ec/ec.h"
#include "ff/ff.h"
#include "pairing/pairing.h"
#include "test.h"

static void rand_fp(fp_t *a) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 3};
    fp_from_u256_reduce(a, v);
}
static void rand_fp2(fp2_t *a) { rand_fp(&a->c0); rand_fp(&a->c1); }
static void rand_fp6(fp6_t *a) { rand_fp2(&a->c0); rand_fp2(&a->c1); rand_fp2(&a->c2); }
static void rand_fp12(fp12_t *a) { rand_fp6(&a->c0); rand_fp6(&a->c1); }
static void rand_fr(fr_t *a) {
    uint64_t v[4] = {test_rand64(), test_rand64(), test_rand64(), test_rand64() >> 3};
    fr_from_u256_reduce(a, v);
}

/* coefficient of w^i (i < 6) in the tower layout */
static fp2_t *coef(fp12_t *a, int i) {
    fp6_t *h = (i & 1) ? &a->c1 : &a->c0;
    return i / 2 == 0 ? &h->c0 : i / 2 == 1 ? &h->c1 : &h->c2;
}

/* Reference product: a, b as polynomials of degree < 6 in w over Fp2,
 * schoolbook, then w^6 = xi. */
static void ref_fp12_mul(fp12_t *r, const fp12_t *a_in, const fp12_t *b_in) {
    fp12_t a = *a_in, b = *b_in, out;
    fp2_t acc[11], t;
    for (int i = 0; i < 11; i++) fp2_zero(&acc[i]);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            fp2_mul(&t, coef(&a, i), coef(&b, j));
            fp2_add(&acc[i + j], &acc[i + j], &t);
        }
    for (int i = 10; i >= 6; i--) {
        fp2_mul_xi(&t, &acc[i]);
        fp2_add(&acc[i - 6], &acc[i - 6], &t);
    }
    for (int i = 0; i < 6; i++) *coef(&out, i) = acc[i];
    *r = out;
}

static void pow_mpz(fp12_t *r, const fp12_t *a, const mpz_t e) {
    size_t n = (mpz_sizeinbase(e, 2) + 63) / 64;
    uint64_t *limbs = calloc(n + 1, sizeof *limbs);
    size_t count = 0;
    mpz_export(limbs, &count, -1, sizeof(uint64_t), 0, 0, e);
    fp12_pow(r, a, limbs, count ? count : 1);
    free(limbs);
}

static void mpz_from_limbs(mpz_t z, const uint64_t *v, size_t n) { mpz_import(z, n, -1, sizeof(uint64_t), 0, 0, v); }

/* f^((p^6 - 1)(p^2 + 1)): lands in the cyclotomic subgroup */
static void easy_part(fp12_t *r, const fp12_t *f) {
    fp12_t t, s;
    fp12_inv(&t, f);
    fp12_conj(&s, f);
    fp12_mul(&s, &s, &t);
    fp12_frobenius(&t, &s, 2);
    fp12_mul(r, &s, &t);
}

static void test_fp6(void) {
    for (int it = 0; it < 200; it++) {
        fp6_t a, b, c, t1, t2, t3, one;
        rand_fp6(&a); rand_fp6(&b); rand_fp6(&c);
        fp6_one(&one);
        fp6_mul(&t1, &a, &b); fp6_mul(&t1, &t1, &c);
        fp6_mul(&t2, &b, &c); fp6_mul(&t2, &a, &t2);
        CHECK(fp6_eq(&t1, &t2));
        fp6_mul(&t1, &a, &b); fp6_mul(&t2, &b, &a);
        CHECK(fp6_eq(&t1, &t2));
        fp6_add(&t1, &b, &c); fp6_mul(&t1, &a, &t1);
        fp6_mul(&t2, &a, &b); fp6_mul(&t3, &a, &c); fp6_add(&t2, &t2, &t3);
        CHECK(fp6_eq(&t1, &t2));
        fp6_sqr(&t1, &a); fp6_mul(&t2, &a, &a);
        CHECK(fp6_eq(&t1, &t2));
        fp6_mul(&t1, &a, &one);
        CHECK(fp6_eq(&t1, &a));
        fp6_inv(&t1, &a); fp6_mul(&t2, &t1, &a);
        CHECK(fp6_eq(&t2, &one));
        fp6_inv_var(&t2, &a);
        CHECK(fp6_eq(&t1, &t2));
        fp6_sub(&t1, &a, &b); fp6_add(&t1, &t1, &b);
        CHECK(fp6_eq(&t1, &a));
        fp6_neg(&t1, &a); fp6_add(&t1, &t1, &a);
        CHECK(fp6_is_zero(&t1));
        /* v as an element; mul_v, mul_fp2, mul_by_01 against the full product */
        fp6_t v; fp6_zero(&v); fp2_one(&v.c1);
        fp6_mul(&t1, &a, &v); fp6_mul_v(&t2, &a);
        CHECK(fp6_eq(&t1, &t2));
        fp6_t s; fp6_zero(&s); s.c0 = b.c0;
        fp6_mul(&t1, &a, &s); fp6_mul_fp2(&t2, &a, &b.c0);
        CHECK(fp6_eq(&t1, &t2));
        s.c1 = b.c1;
        fp6_mul(&t1, &a, &s); fp6_mul_by_01(&t2, &a, &b.c0, &b.c1);
        CHECK(fp6_eq(&t1, &t2));
        fp6_dbl(&t1, &a); fp6_add(&t2, &a, &a);
        CHECK(fp6_eq(&t1, &t2));
    }
    /* v^3 = xi */
    fp6_t v, t, x;
    fp6_zero(&v); fp2_one(&v.c1);
    fp6_mul(&t, &v, &v); fp6_mul(&t, &t, &v);
    fp6_zero(&x); fp_set_u64(&x.c0.c0, 9); fp_one(&x.c0.c1);
    CHECK(fp6_eq(&t, &x));
    fp6_zero(&t); fp6_inv(&t, &t);
    CHECK(fp6_is_zero(&t));
}

/* The batched tower kernels (fp12_mul, fp12_sqr, fp12_mul_by_013) on
 * coefficients at the edges of their lazy bounds (all p - 1, 0, 1, mixed)
 * against the schoolbook reference. */
static void test_fp12_edges(void) {
    fp_t pm1, one1, zero1;
    fp_one(&one1); fp_zero(&zero1);
    fp_neg(&pm1, &one1);
    const fp_t *vals[3] = {&pm1, &zero1, &one1};
    for (int pat = 0; pat < 40; pat++) {
        fp12_t a, b, t1, t2, sp;
        for (int i = 0; i < 6; i++) {
            /* pattern 0: every coefficient p - 1; others: random choices */
            int ka = pat == 0 ? 0 : (int)(test_rand64() % 3), kb = pat == 0 ? 0 : (int)(test_rand64() % 3);
            coef(&a, i)->c0 = *vals[ka];
            coef(&a, i)->c1 = *vals[pat == 0 ? 0 : (int)(test_rand64() % 3)];
            coef(&b, i)->c0 = *vals[kb];
            coef(&b, i)->c1 = *vals[pat == 0 ? 0 : (int)(test_rand64() % 3)];
        }
        fp12_mul(&t1, &a, &b); ref_fp12_mul(&t2, &a, &b);
        CHECK_MSG(fp12_eq(&t1, &t2), "edge mul %d", pat);
        fp12_sqr(&t1, &a); ref_fp12_mul(&t2, &a, &a);
        CHECK_MSG(fp12_eq(&t1, &t2), "edge sqr %d", pat);
        fp12_zero(&sp);
        sp.c0.c0 = b.c0.c0; sp.c1.c0 = b.c1.c0; sp.c1.c1 = b.c1.c1;
        fp12_mul_by_013(&t1, &a, &b.c0.c0, &b.c1.c0, &b.c1.c1);
        ref_fp12_mul(&t2, &a, &sp);
        CHECK_MSG(fp12_eq(&t1, &t2), "edge mul_by_013 %d", pat);
    }
}

static void test_fp12(void) {
    mpz_t p, e;
    mpz_inits(p, e, NULL);
    mpz_from_limbs(p, FP_MODULUS, 4);
    fp12_t one;
    fp12_one(&one);
    for (int it = 0; it < 100; it++) {
        fp12_t a, b, c, t1, t2, t3;
        rand_fp12(&a); rand_fp12(&b); rand_fp12(&c);
        fp12_mul(&t1, &a, &b); ref_fp12_mul(&t2, &a, &b);
        CHECK(fp12_eq(&t1, &t2));
        fp12_mul(&t1, &a, &b); fp12_mul(&t1, &t1, &c);
        fp12_mul(&t2, &b, &c); fp12_mul(&t2, &a, &t2);
        CHECK(fp12_eq(&t1, &t2));
        fp12_add(&t1, &b, &c); fp12_mul(&t1, &a, &t1);
        fp12_mul(&t2, &a, &b); fp12_mul(&t3, &a, &c); fp12_add(&t2, &t2, &t3);
        CHECK(fp12_eq(&t1, &t2));
        fp12_sub(&t1, &t1, &t3); fp12_mul(&t3, &a, &b);
        CHECK(fp12_eq(&t1, &t3));
        fp12_sqr(&t1, &a); ref_fp12_mul(&t2, &a, &a);
        CHECK(fp12_eq(&t1, &t2));
        t1 = a; fp12_sqr(&t1, &t1); /* aliasing */
        CHECK(fp12_eq(&t1, &t2));
        fp12_inv(&t1, &a); fp12_mul(&t2, &t1, &a);
        CHECK(fp12_is_one(&t2));
        fp12_inv_var(&t2, &a);
        CHECK(fp12_eq(&t1, &t2));
        CHECK(!fp12_is_one(&a));
        /* sparse line product against the full product */
        fp12_zero(&t3);
        t3.c0.c0 = b.c0.c0; t3.c1.c0 = b.c1.c0; t3.c1.c1 = b.c1.c1;
        fp12_mul(&t1, &a, &t3);
        fp12_mul_by_013(&t2, &a, &b.c0.c0, &b.c1.c0, &b.c1.c1);
        CHECK(fp12_eq(&t1, &t2));
        /* w^2 = v: conj is the p^6 power (w -> -w) */
        if (it < 3) {
            for (unsigned k = 1; k <= 3; k++) {
                mpz_pow_ui(e, p, k);
                pow_mpz(&t1, &a, e);
                fp12_frobenius(&t2, &a, k);
                CHECK_MSG(fp12_eq(&t1, &t2), "frobenius %u", k);
            }
            mpz_pow_ui(e, p, 6);
            pow_mpz(&t1, &a, e);
            fp12_conj(&t2, &a);
            CHECK(fp12_eq(&t1, &t2));
        }
        for (unsigned k = 1; k < 12; k++) { /* composition, and order 12 */
            fp12_frobenius(&t1, &a, k);
            fp12_frobenius(&t2, &a, k - 1);
            fp12_frobenius(&t2, &t2, 1);
            CHECK_MSG(fp12_eq(&t1, &t2), "frobenius %u by composition", k);
        }
        fp12_frobenius(&t1, &a, 6); fp12_conj(&t2, &a);
        CHECK(fp12_eq(&t1, &t2));
        fp12_frobenius(&t1, &a, 12);
        CHECK(fp12_eq(&t1, &a));
        /* cyclotomic squaring on the image of the easy part */
        easy_part(&b, &a);
        fp12_cyclotomic_sqr(&t1, &b); fp12_sqr(&t2, &b);
        CHECK(fp12_eq(&t1, &t2));
        fp12_conj(&t1, &b); fp12_mul(&t1, &t1, &b); /* conj = inverse there */
        CHECK(fp12_is_one(&t1));
    }
    /* w^6 = xi, w^12 = xi^2 */
    fp12_t w, t;
    fp12_zero(&w); fp2_one(&w.c1.c0);
    fp12_sqr(&t, &w);
    fp12_t v; fp12_zero(&v); fp2_one(&v.c0.c1);
    CHECK(fp12_eq(&t, &v));
    mpz_clears(p, e, NULL);
}

/* zk_final_exp against plain exponentiation by m (p^12 - 1)/r,
 * m = 2x(6x^2 + 3x + 1) (see pairing.h) */
static void test_final_exp(void) {
    mpz_t p, r, e;
    mpz_inits(p, r, e, NULL);
    mpz_from_limbs(p, FP_MODULUS, 4);
    mpz_from_limbs(r, FR_MODULUS, 4);
    mpz_pow_ui(e, p, 12);
    mpz_sub_ui(e, e, 1);
    CHECK(mpz_divisible_p(e, r));
    mpz_divexact(e, e, r);
    mpz_t x, m;
    mpz_inits(x, m, NULL);
    mpz_set_str(x, "4965661367192848881", 10);
    mpz_mul(m, x, x);
    mpz_mul_ui(m, m, 6);
    mpz_addmul_ui(m, x, 3);
    mpz_add_ui(m, m, 1);
    mpz_mul(m, m, x);
    mpz_mul_ui(m, m, 2);
    mpz_mul(e, e, m);
    mpz_clears(x, m, NULL);
    for (int it = 0; it < 2; it++) {
        fp12_t f, t1, t2;
        rand_fp12(&f);
        zk_final_exp(&t1, &f);
        pow_mpz(&t2, &f, e);
        CHECK(fp12_eq(&t1, &t2));
        /* the result has order r */
        pow_mpz(&t2, &t1, r);
        CHECK(fp12_is_one(&t2));
    }
    mpz_clears(p, r, e, NULL);
}

static void g1_rand(g1_affine_t *r, fr_t *k) {
    g1_affine_t g; g1_jac_t j;
    rand_fr(k);
    g1_generator(&g);
    g1_from_affine(&j, &g);
    g1_mul_var(&j, &j, k);
    g1_to_affine(r, &j);
}
static void g2_rand(g2_affine_t *r, fr_t *k) {
    g2_affine_t g; g2_jac_t j;
    rand_fr(k);
    g2_generator(&g);
    g2_from_affine(&j, &g);
    g2_mul_var(&j, &j, k);
    g2_to_affine(r, &j);
}
static void fr_limbs(uint64_t v[4], const fr_t *a) { fr_to_u256(v, a); }

static void test_pairing(void) {
    g1_affine_t g1, p[12], inf1;
    g2_affine_t g2, q[12], inf2;
    fp12_t e, t, u, prod;
    fr_t a, b, ab;
    uint64_t lim[4];
    g1_generator(&g1);
    g2_generator(&g2);
    g1_affine_set_infinity(&inf1);
    g2_affine_set_infinity(&inf2);

    /* non-degeneracy and order r */
    fp12_t base;
    zk_pairing(&base, &g1, &g2);
    CHECK(!fp12_is_one(&base));
    fp12_pow(&t, &base, FR_MODULUS, 4);
    CHECK(fp12_is_one(&t));

    /* bilinearity: e(aG1, bG2) = e(G1, G2)^(ab) */
    for (int it = 0; it < 3; it++) {
        g1_affine_t pa; g2_affine_t qb;
        g1_rand(&pa, &a);
        g2_rand(&qb, &b);
        fr_mul(&ab, &a, &b);
        zk_pairing(&e, &pa, &qb);
        fr_limbs(lim, &ab);
        fp12_pow(&t, &base, lim, 4);
        CHECK(fp12_eq(&e, &t));
        /* e(aP, Q) = e(P, aQ) */
        g1_jac_t j; g2_jac_t k;
        g1_from_affine(&j, &pa); g1_mul_var(&j, &j, &b); g1_affine_t pab; g1_to_affine(&pab, &j);
        zk_pairing(&t, &pab, &g2);
        g2_from_affine(&k, &qb); g2_mul_var(&k, &k, &a); g2_affine_t qab; g2_to_affine(&qab, &k);
        zk_pairing(&u, &g1, &qab);
        CHECK(fp12_eq(&t, &u));
        CHECK(fp12_eq(&t, &e));
        /* linearity in each argument: e(P1 + P2, Q) = e(P1, Q) e(P2, Q) */
        g1_affine_t p1, p2, p12; g1_jac_t j1, j2;
        g1_rand(&p1, &a); g1_rand(&p2, &b);
        g1_from_affine(&j1, &p1); g1_from_affine(&j2, &p2); g1_add(&j1, &j1, &j2); g1_to_affine(&p12, &j1);
        zk_pairing(&e, &p12, &qb);
        zk_pairing(&t, &p1, &qb); zk_pairing(&u, &p2, &qb); fp12_mul(&t, &t, &u);
        CHECK(fp12_eq(&e, &t));
        g2_affine_t q1, q2, q12; g2_jac_t k1, k2;
        g2_rand(&q1, &a); g2_rand(&q2, &b);
        g2_from_affine(&k1, &q1); g2_from_affine(&k2, &q2); g2_add(&k1, &k1, &k2); g2_to_affine(&q12, &k1);
        zk_pairing(&e, &pa, &q12);
        zk_pairing(&t, &pa, &q1); zk_pairing(&u, &pa, &q2); fp12_mul(&t, &t, &u);
        CHECK(fp12_eq(&e, &t));
    }

    /* multi-pairing = product of pairings, across the batch size (8: 10 valid
     * pairs make a batch of 8 and one of 2) and with infinity pairs mixed in */
    fp12_one(&prod);
    for (int i = 0; i < 12; i++) {
        g1_rand(&p[i], &a);
        g2_rand(&q[i], &b);
        if (i == 3) p[i] = inf1;
        if (i == 7) q[i] = inf2;
        zk_pairing(&t, &p[i], &q[i]);
        if (i == 3 || i == 7) CHECK(fp12_is_one(&t));
        fp12_mul(&prod, &prod, &t);
    }
    zk_miller_loop(&t, p, q, 12);
    zk_final_exp(&t, &t);
    CHECK(fp12_eq(&t, &prod));
    zk_miller_loop(&t, p, q, 0);
    CHECK(fp12_is_one(&t));

    /* pairing check: e(P, Q) e(-P, Q) = 1, e(aP, Q) e(-P, aQ) = 1, infinities */
    {
        g1_affine_t pp[4]; g2_affine_t qq[4];
        g1_jac_t j; g2_jac_t k;
        g1_rand(&pp[0], &a);
        g2_rand(&qq[0], &b);
        g1_affine_neg(&pp[1], &pp[0]);
        qq[1] = qq[0];
        CHECK(zk_pairing_check(pp, qq, 2) == 1);
        CHECK(zk_pairing_check(pp, qq, 1) == 0);
        pp[2] = inf1; qq[2] = q[0];
        pp[3] = p[0]; qq[3] = inf2;
        CHECK(zk_pairing_check(pp, qq, 4) == 1);
        CHECK(zk_pairing_check(pp + 2, qq + 2, 2) == 1);
        CHECK(zk_pairing_check(pp, qq, 0) == 1);
        CHECK(zk_pairing_check(&pp[2], &qq[0], 1) == 1);
        CHECK(zk_pairing_check(&pp[0], &qq[3], 1) == 1);
        rand_fr(&a);
        g1_from_affine(&j, &pp[0]); g1_mul_var(&j, &j, &a); g1_to_affine(&pp[2], &j);
        qq[2] = qq[0];
        g2_from_affine(&k, &qq[0]); g2_mul_var(&k, &k, &a); g2_to_affine(&qq[3], &k);
        pp[3] = pp[1];
        CHECK(zk_pairing_check(pp + 2, qq + 2, 2) == 1);
        /* a wrong scalar breaks it */
        g1_from_affine(&j, &pp[2]); g1_dbl(&j, &j); g1_to_affine(&pp[2], &j);
        CHECK(zk_pairing_check(pp + 2, qq + 2, 2) == 0);
    }
}

int main(void) {
    test_init();
    test_fp6();
    test_fp12_edges();
    test_fp12();
    test_final_exp();
    test_pairing();
    TEST_DONE();
}
