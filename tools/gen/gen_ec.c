/* Curve constants of G1 and G2 (target "ec" -> src/ec/ec_constants.h).
 *
 * Computed and checked with GMP from the curve definition: b = 3 on
 * y^2 = x^3 + b over Fp, b' = 3/(9+u) for the D-type sextic twist over
 * Fp2 = Fp[u]/(u^2+1), the generators (G1: (1, 2); G2: the EIP-197
 * generator), and the endomorphism psi = untwist o Frobenius o twist,
 *   psi(x, y) = (conj(x) * xi^((p-1)/3), conj(y) * xi^((p-1)/2)),  xi = 9+u,
 * which acts on G2 as multiplication by p = 6x^2 (mod r). Before writing
 * anything the generator checks: p and r are the BN polynomials in x; both
 * generators are on their curves with [r]G = O; psi(G2) = [6x^2]G2; and the
 * twist group has order r*(2p - r) (a point of it times that order is O).
 * A failed check aborts, so a wrong constant cannot be emitted. Arithmetic is
 * affine with inversions: slow but obviously correct. G1 uses the same code
 * with imaginary parts zero. */
#include <stdlib.h>

#include "gen.h"

#define BN_X_DEC "4965661367192848881"
#define G2_X0 "10857046999023057135944570762232829481370756359578518086990519993285655852781"
#define G2_X1 "11559732032986387107991004021392285783925812861821192530917403151452391805634"
#define G2_Y0 "8495653923123431417604973247489272438418190587263600148770280649306958101930"
#define G2_Y1 "4082367875863433681332203403145435568316851327593401208105741076214120093531"

static mpz_t P;

typedef struct { mpz_t a, b; } q2; /* a + b u */
typedef struct { q2 x, y; int inf; } pt;

static void q2_init(q2 *r) { mpz_inits(r->a, r->b, NULL); }
static void q2_clear(q2 *r) { mpz_clears(r->a, r->b, NULL); }
static void q2_set(q2 *r, const q2 *a) { mpz_set(r->a, a->a); mpz_set(r->b, a->b); }
static void q2_set_str(q2 *r, const char *a, const char *b) {
    mpz_set_str(r->a, a, 10);
    mpz_set_str(r->b, b, 10);
}
static int q2_eq(const q2 *a, const q2 *b) { return mpz_cmp(a->a, b->a) == 0 && mpz_cmp(a->b, b->b) == 0; }
static int q2_is_zero(const q2 *a) { return mpz_sgn(a->a) == 0 && mpz_sgn(a->b) == 0; }
static void q2_add(q2 *r, const q2 *a, const q2 *b) {
    mpz_add(r->a, a->a, b->a); mpz_mod(r->a, r->a, P);
    mpz_add(r->b, a->b, b->b); mpz_mod(r->b, r->b, P);
}
static void q2_sub(q2 *r, const q2 *a, const q2 *b) {
    mpz_sub(r->a, a->a, b->a); mpz_mod(r->a, r->a, P);
    mpz_sub(r->b, a->b, b->b); mpz_mod(r->b, r->b, P);
}
static void q2_mul(q2 *r, const q2 *a, const q2 *b) {
    mpz_t t0, t1;
    mpz_inits(t0, t1, NULL);
    mpz_mul(t0, a->a, b->a);
    mpz_submul(t0, a->b, b->b); /* u^2 = -1 */
    mpz_mul(t1, a->a, b->b);
    mpz_addmul(t1, a->b, b->a);
    mpz_mod(r->a, t0, P);
    mpz_mod(r->b, t1, P);
    mpz_clears(t0, t1, NULL);
}
static void q2_inv(q2 *r, const q2 *a) { /* (a - bu) / (a^2 + b^2) */
    mpz_t n;
    mpz_init(n);
    mpz_mul(n, a->a, a->a);
    mpz_addmul(n, a->b, a->b);
    mpz_mod(n, n, P);
    if (mpz_invert(n, n, P) == 0) { fprintf(stderr, "gen_ec: inverse of 0\n"); exit(1); }
    mpz_mul(r->a, a->a, n); mpz_mod(r->a, r->a, P);
    mpz_mul(r->b, a->b, n); mpz_neg(r->b, r->b); mpz_mod(r->b, r->b, P);
    mpz_clear(n);
}
static void q2_pow(q2 *r, const q2 *a, const mpz_t e) {
    q2 acc, base;
    q2_init(&acc); q2_init(&base);
    mpz_set_ui(acc.a, 1);
    q2_set(&base, a);
    for (long i = (long)mpz_sizeinbase(e, 2) - 1; i >= 0; i--) {
        q2_mul(&acc, &acc, &acc);
        if (mpz_tstbit(e, (mp_bitcnt_t)i)) q2_mul(&acc, &acc, &base);
    }
    q2_set(r, &acc);
    q2_clear(&acc); q2_clear(&base);
}

static void pt_init(pt *r) { q2_init(&r->x); q2_init(&r->y); r->inf = 1; }
static void pt_clear(pt *r) { q2_clear(&r->x); q2_clear(&r->y); }
static void pt_set(pt *r, const pt *a) { q2_set(&r->x, &a->x); q2_set(&r->y, &a->y); r->inf = a->inf; }
static int pt_eq(const pt *a, const pt *b) {
    if (a->inf || b->inf) return a->inf == b->inf;
    return q2_eq(&a->x, &b->x) && q2_eq(&a->y, &b->y);
}
static int pt_on_curve(const pt *a, const q2 *b) {
    if (a->inf) return 1;
    q2 l, r;
    q2_init(&l); q2_init(&r);
    q2_mul(&l, &a->y, &a->y);
    q2_mul(&r, &a->x, &a->x);
    q2_mul(&r, &r, &a->x);
    q2_add(&r, &r, b);
    int ok = q2_eq(&l, &r);
    q2_clear(&l); q2_clear(&r);
    return ok;
}

/* chord and tangent, a = 0 */
static void pt_add(pt *r, const pt *a, const pt *c) {
    if (a->inf) { pt_set(r, c); return; }
    if (c->inf) { pt_set(r, a); return; }
    q2 lam, t, x3, y3;
    q2_init(&lam); q2_init(&t); q2_init(&x3); q2_init(&y3);
    if (q2_eq(&a->x, &c->x)) {
        q2_add(&t, &a->y, &c->y);
        if (q2_is_zero(&t)) { r->inf = 1; goto done; }
        q2_mul(&lam, &a->x, &a->x);          /* 3x^2 / 2y */
        q2_add(&t, &lam, &lam);
        q2_add(&lam, &t, &lam);
        q2_add(&t, &a->y, &a->y);
    } else {
        q2_sub(&lam, &c->y, &a->y);
        q2_sub(&t, &c->x, &a->x);
    }
    q2_inv(&t, &t);
    q2_mul(&lam, &lam, &t);
    q2_mul(&x3, &lam, &lam);
    q2_sub(&x3, &x3, &a->x);
    q2_sub(&x3, &x3, &c->x);
    q2_sub(&t, &a->x, &x3);
    q2_mul(&y3, &lam, &t);
    q2_sub(&y3, &y3, &a->y);
    q2_set(&r->x, &x3);
    q2_set(&r->y, &y3);
    r->inf = 0;
done:
    q2_clear(&lam); q2_clear(&t); q2_clear(&x3); q2_clear(&y3);
}

static void pt_mul(pt *r, const pt *a, const mpz_t k) {
    pt acc, base;
    pt_init(&acc); pt_init(&base);
    pt_set(&base, a);
    for (long i = (long)mpz_sizeinbase(k, 2) - 1; i >= 0; i--) {
        pt_add(&acc, &acc, &acc);
        if (mpz_tstbit(k, (mp_bitcnt_t)i)) pt_add(&acc, &acc, &base);
    }
    pt_set(r, &acc);
    pt_clear(&acc); pt_clear(&base);
}

static void check(int ok, const char *what) {
    if (!ok) { fprintf(stderr, "gen_ec: check failed: %s\n", what); exit(1); }
}

static void emit_fp(FILE *out, const char *name, const mpz_t v) {
    mpz_t m;
    mpz_init(m);
    gen_to_mont(m, v, P);
    fprintf(out, "#define %s ", name);
    gen_emit_limb_list(out, m);
    fprintf(out, "\n");
    mpz_clear(m);
}

static void emit_fp2(FILE *out, const char *name, const q2 *v) {
    char n[96];
    snprintf(n, sizeof n, "%s_C0_INIT", name);
    emit_fp(out, n, v->a);
    snprintf(n, sizeof n, "%s_C1_INIT", name);
    emit_fp(out, n, v->b);
}

void gen_ec(FILE *out) {
    mpz_t r, x, t, e, lambda, h;
    q2 b1, b2, xi, cx, cy;
    pt g1, g2, q, s;
    mpz_init_set_str(P, BN254_P_DEC, 10);
    mpz_inits(r, x, t, e, lambda, h, NULL);
    q2_init(&b1); q2_init(&b2); q2_init(&xi); q2_init(&cx); q2_init(&cy);
    pt_init(&g1); pt_init(&g2); pt_init(&q); pt_init(&s);
    mpz_set_str(r, BN254_R_DEC, 10);
    mpz_set_str(x, BN_X_DEC, 10);

    gen_check_bn_params(x, P, r, "gen_ec");
    mpz_mul(lambda, x, x);
    mpz_mul_ui(lambda, lambda, 6); /* 6x^2: the eigenvalue of psi on G2 */

    /* b = 3, b' = 3 / xi */
    mpz_set_ui(b1.a, 3);
    q2_set_str(&xi, "9", "1");
    q2_inv(&b2, &xi);
    q2_mul(&b2, &b2, &b1);

    /* generators */
    mpz_set_ui(g1.x.a, 1);
    mpz_set_ui(g1.y.a, 2);
    g1.inf = 0;
    q2_set_str(&g2.x, G2_X0, G2_X1);
    q2_set_str(&g2.y, G2_Y0, G2_Y1);
    g2.inf = 0;
    check(pt_on_curve(&g1, &b1), "G1 generator on curve");
    check(pt_on_curve(&g2, &b2), "G2 generator on twist");
    pt_mul(&q, &g1, r);
    check(q.inf, "[r]G1 = O");
    pt_mul(&q, &g2, r);
    check(q.inf, "[r]G2 = O");
    mpz_sub_ui(t, r, 1);
    pt_mul(&q, &g2, t);
    check(!q.inf, "G2 generator has order r");

    /* psi constants and the eigenvalue check on G2 */
    mpz_sub_ui(e, P, 1);
    mpz_fdiv_q_ui(e, e, 3);
    q2_pow(&cx, &xi, e);
    mpz_sub_ui(e, P, 1);
    mpz_fdiv_q_ui(e, e, 2);
    q2_pow(&cy, &xi, e);
    mpz_neg(s.x.b, g2.x.b); mpz_mod(s.x.b, s.x.b, P); mpz_set(s.x.a, g2.x.a);
    mpz_neg(s.y.b, g2.y.b); mpz_mod(s.y.b, s.y.b, P); mpz_set(s.y.a, g2.y.a);
    q2_mul(&s.x, &s.x, &cx);
    q2_mul(&s.y, &s.y, &cy);
    s.inf = 0;
    check(pt_on_curve(&s, &b2), "psi maps the twist to itself");
    pt_mul(&q, &g2, lambda);
    check(pt_eq(&q, &s), "psi(G2) = [6x^2]G2");

    /* twist order r * (2p - r): a point found from x = 1 + k u */
    mpz_mul_2exp(h, P, 1);
    mpz_sub(h, h, r);
    for (unsigned long k = 1;; k++) {
        q2 rhs, y;
        q2_init(&rhs); q2_init(&y);
        mpz_set_ui(q.x.a, 1);
        mpz_set_ui(q.x.b, k);
        q2_mul(&rhs, &q.x, &q.x);
        q2_mul(&rhs, &rhs, &q.x);
        q2_add(&rhs, &rhs, &b2);
        /* square in Fp2 iff its norm is a square in Fp */
        mpz_mul(t, rhs.a, rhs.a);
        mpz_addmul(t, rhs.b, rhs.b);
        mpz_mod(t, t, P);
        int found = mpz_legendre(t, P) == 1;
        if (found) {
            /* y = sqrt(a + bu) by the norm method: with n = sqrt(a^2 + b^2),
             * c0^2 = (a + n)/2 or (a - n)/2 (whichever is a square in Fp)
             * and c1 = b / (2 c0); pt_on_curve below confirms y. */
            mpz_t nrm, c0, d;
            mpz_inits(nrm, c0, d, NULL);
            mpz_add_ui(e, P, 1);
            mpz_fdiv_q_2exp(e, e, 2);
            mpz_powm(nrm, t, e, P);          /* sqrt(norm), p = 3 mod 4 */
            /* c0^2 = (a + nrm)/2 or (a - nrm)/2, whichever is a square */
            mpz_add(d, rhs.a, nrm);
            if (mpz_odd_p(d)) mpz_add(d, d, P);
            mpz_fdiv_q_2exp(d, d, 1);
            mpz_mod(d, d, P);
            if (mpz_legendre(d, P) != 1) {
                mpz_sub(d, rhs.a, nrm);
                mpz_mod(d, d, P);
                if (mpz_odd_p(d)) mpz_add(d, d, P);
                mpz_fdiv_q_2exp(d, d, 1);
                mpz_mod(d, d, P);
            }
            mpz_powm(c0, d, e, P);
            mpz_set(y.a, c0);
            mpz_mul_2exp(d, c0, 1);           /* c1 = b / (2 c0) */
            if (mpz_invert(d, d, P) == 0) { fprintf(stderr, "gen_ec: c0 = 0\n"); exit(1); }
            mpz_mul(y.b, rhs.b, d);
            mpz_mod(y.b, y.b, P);
            q2_set(&q.y, &y);
            q.inf = 0;
            mpz_clears(nrm, c0, d, NULL);
            check(pt_on_curve(&q, &b2), "twist point on curve");
        }
        q2_clear(&rhs); q2_clear(&y);
        if (found) break;
    }
    pt_mul(&s, &q, r);
    check(!s.inf, "sample twist point outside G2");
    pt_mul(&s, &s, h);
    check(s.inf, "#E'(Fp2) = r (2p - r)");

    fprintf(out, "#ifndef ZKPOS_EC_CONSTANTS_H\n#define ZKPOS_EC_CONSTANTS_H\n#include <stdint.h>\n\n");
    fprintf(out, "/* Field elements in Montgomery form, limbs little-endian. */\n");
    fprintf(out, "/* BN parameter x: p = 36x^4+36x^3+24x^2+6x+1, r = p - 6x^2 */\n");
    fprintf(out, "#define EC_BN_X %sULL\n", BN_X_DEC);
    fprintf(out, "/* lambda = 6x^2 = p - r (integer, not Montgomery): psi = [lambda] on G2 */\n");
    fprintf(out, "#define EC_G2_LAMBDA_INIT ");
    gen_emit_limb_list(out, lambda);
    fprintf(out, "\n/* G1: y^2 = x^3 + 3, generator (1, 2) */\n");
    emit_fp(out, "EC_G1_B_INIT", b1.a);
    emit_fp(out, "EC_G1_GEN_X_INIT", g1.x.a);
    emit_fp(out, "EC_G1_GEN_Y_INIT", g1.y.a);
    fprintf(out, "/* G2: y^2 = x^3 + 3/(9+u) */\n");
    emit_fp2(out, "EC_G2_B", &b2);
    emit_fp2(out, "EC_G2_GEN_X", &g2.x);
    emit_fp2(out, "EC_G2_GEN_Y", &g2.y);
    fprintf(out, "/* psi(x, y) = (conj(x) * PSI_X, conj(y) * PSI_Y); (9+u)^((p-1)/3), (9+u)^((p-1)/2) */\n");
    emit_fp2(out, "EC_G2_PSI_X", &cx);
    emit_fp2(out, "EC_G2_PSI_Y", &cy);
    fprintf(out, "\n#endif\n");

    mpz_clears(r, x, t, e, lambda, h, P, NULL);
    q2_clear(&b1); q2_clear(&b2); q2_clear(&xi); q2_clear(&cx); q2_clear(&cy);
    pt_clear(&g1); pt_clear(&g2); pt_clear(&q); pt_clear(&s);
}
