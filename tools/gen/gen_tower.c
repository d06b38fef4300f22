/* Constants of the Fp6/Fp12 tower and of the optimal ate pairing.
 *
 * Computed here from p, xi = 9 + u and the BN parameter x with a tiny Fp2
 * arithmetic on mpz (schoolbook: speed does not matter, clarity does):
 *   TOWER_FROB[k-1][i] = xi^(i (p^k - 1) / 6), k = 1..3, i = 0..5:
 *       w^(p^k) = xi^((p^k-1)/6) w, so the w^i coefficient of a^(p^k) is
 *       conj^k(g_i) * TOWER_FROB[k-1][i]; the same values twist the G2
 *       Frobenius (i = 2 for x, i = 3 for y).
 *   TWIST_B3 = 3 * b' with b' = 3 / xi (the D-type twist y^2 = x^3 + b').
 *   BN_ATE_NAF: non-adjacent form of 6x + 2 (the optimal ate loop; digits in
 *   {-1, 0, 1}), and BN_X_WNAF: width-4 NAF of x (exponentiation by x in the
 *   final exponentiation; odd digits in [-7, 7], any two non-zero digits at
 *   least 4 apart: 14 non-zero digits against 24 in the plain NAF);
 *   least significant first.
 * Every value is checked before it is written (p = 1 mod 6, the k = 2 row lies
 * in Fp, xi is neither a square nor a cube, 6x + 2 and x are recovered from
 * their digits, p and r are the BN polynomials at x). */
#include <stdlib.h>

#include "gen.h"

#define BN_X_DEC "4965661367192848881"

typedef struct { mpz_t a, b; } gfp2; /* a + b u, u^2 = -1 */

static void g2_init(gfp2 *x) { mpz_init(x->a); mpz_init(x->b); }
static void g2_clear(gfp2 *x) { mpz_clear(x->a); mpz_clear(x->b); }
static void g2_set_ui(gfp2 *x, unsigned long a, unsigned long b) { mpz_set_ui(x->a, a); mpz_set_ui(x->b, b); }
static void g2_set(gfp2 *r, const gfp2 *x) { mpz_set(r->a, x->a); mpz_set(r->b, x->b); }

static void g2_mul(gfp2 *r, const gfp2 *x, const gfp2 *y, const mpz_t P) {
    mpz_t t0, t1, t2;
    mpz_inits(t0, t1, t2, NULL);
    mpz_mul(t0, x->a, y->a);
    mpz_mul(t1, x->b, y->b);
    mpz_sub(t2, t0, t1);          /* real: ac - bd */
    mpz_mul(t0, x->a, y->b);
    mpz_addmul(t0, x->b, y->a);   /* imag: ad + bc */
    mpz_mod(r->a, t2, P);
    mpz_mod(r->b, t0, P);
    mpz_clears(t0, t1, t2, NULL);
}

static void g2_pow(gfp2 *r, const gfp2 *x, const mpz_t e, const mpz_t P) {
    gfp2 acc, base;
    g2_init(&acc); g2_init(&base);
    g2_set_ui(&acc, 1, 0);
    g2_set(&base, x);
    for (size_t i = mpz_sizeinbase(e, 2); i-- > 0;) {
        g2_mul(&acc, &acc, &acc, P);
        if (mpz_tstbit(e, i)) g2_mul(&acc, &acc, &base, P);
    }
    if (mpz_sgn(e) == 0) g2_set_ui(&acc, 1, 0);
    g2_set(r, &acc);
    g2_clear(&acc); g2_clear(&base);
}

/* 1/(a + bu) = (a - bu)/(a^2 + b^2) */
static void g2_inv(gfp2 *r, const gfp2 *x, const mpz_t P) {
    mpz_t n;
    mpz_init(n);
    mpz_mul(n, x->a, x->a);
    mpz_addmul(n, x->b, x->b);
    mpz_mod(n, n, P);
    if (!mpz_invert(n, n, P)) { fprintf(stderr, "gen_tower: inverse of zero\n"); exit(1); }
    mpz_mul(r->a, x->a, n);
    mpz_mod(r->a, r->a, P);
    mpz_mul(r->b, x->b, n);
    mpz_neg(r->b, r->b);
    mpz_mod(r->b, r->b, P);
    mpz_clear(n);
}

static int g2_is_one(const gfp2 *x) { return mpz_cmp_ui(x->a, 1) == 0 && mpz_sgn(x->b) == 0; }

static void fail(const char *what) {
    fprintf(stderr, "gen_tower: check failed: %s\n", what);
    exit(1);
}

/* Prints an fp2_t initializer in Montgomery form. */
static void emit_fp2(FILE *out, const gfp2 *x, const mpz_t P) {
    mpz_t m;
    mpz_init(m);
    fprintf(out, "{{");
    gen_to_mont(m, x->a, P);
    gen_emit_limb_list(out, m);
    fprintf(out, "}, {");
    gen_to_mont(m, x->b, P);
    gen_emit_limb_list(out, m);
    fprintf(out, "}}");
    mpz_clear(m);
}

/* Width-w NAF of v > 0 into d (least significant first; w = 2 is the plain
 * NAF): odd digits |d| < 2^(w-1), at most one non-zero digit in any w
 * consecutive positions. Returns the length. */
static size_t wnaf(int d[], size_t cap, const mpz_t v, unsigned w) {
    mpz_t n;
    mpz_init_set(n, v);
    size_t len = 0;
    const long full = 1L << w, half = 1L << (w - 1);
    while (mpz_sgn(n) > 0) {
        if (len == cap) fail("NAF too long");
        long z = 0;
        if (mpz_odd_p(n)) {
            z = (long)mpz_fdiv_ui(n, (unsigned long)full);
            if (z >= half) z -= full;
            if (z > 0) mpz_sub_ui(n, n, (unsigned long)z); else mpz_add_ui(n, n, (unsigned long)-z);
        }
        d[len++] = (int)z;
        mpz_fdiv_q_2exp(n, n, 1);
    }
    /* check: sum d_i 2^i == v and the spacing of the non-zero digits */
    mpz_set_ui(n, 0);
    size_t last = (size_t)-1;
    for (size_t i = len; i-- > 0;) {
        mpz_mul_2exp(n, n, 1);
        if (d[i] > 0) mpz_add_ui(n, n, (unsigned long)d[i]);
        if (d[i] < 0) mpz_sub_ui(n, n, (unsigned long)-d[i]);
        if (d[i] != 0) {
            if (last != (size_t)-1 && last - i < w) fail("NAF digits too close");
            if (d[i] % 2 == 0 || d[i] >= half || d[i] <= -half) fail("NAF digit out of range");
            last = i;
        }
    }
    if (mpz_cmp(n, v) != 0) fail("NAF does not recompose");
    mpz_clear(n);
    return len;
}

static void emit_naf(FILE *out, const char *name, const char *what, const mpz_t v, unsigned w) {
    int d[128];
    size_t len = wnaf(d, 128, v, w);
    fprintf(out, "/* %s, NAF digits, least significant first */\n", what);
    fprintf(out, "#define %s_LEN %zu\nstatic const int8_t %s[%zu] = {", name, len, name, len);
    for (size_t i = 0; i < len; i++) fprintf(out, "%s%d", i ? (i % 24 ? ", " : ",\n    ") : "", d[i]);
    fprintf(out, "};\n");
}

void gen_tower(FILE *out) {
    mpz_t P, x, r, t, e, pk;
    mpz_inits(P, x, r, t, e, pk, NULL);
    mpz_set_str(P, BN254_P_DEC, 10);
    mpz_set_str(r, BN254_R_DEC, 10);
    mpz_set_str(x, BN_X_DEC, 10);

    gen_check_bn_params(x, P, r, "gen_tower");
    if (mpz_fdiv_ui(P, 6) != 1) fail("p != 1 mod 6");

    gfp2 xi, g, c;
    g2_init(&xi); g2_init(&g); g2_init(&c);
    g2_set_ui(&xi, 9, 1);
    /* xi must be neither a square nor a cube in Fp2 (irreducibility of v^3 - xi
     * and of w^6 - xi): xi^((p^2-1)/2) != 1 and xi^((p^2-1)/3) != 1. */
    mpz_mul(pk, P, P);
    mpz_sub_ui(e, pk, 1);
    mpz_divexact_ui(e, e, 2);
    g2_pow(&g, &xi, e, P);
    if (g2_is_one(&g)) fail("xi is a square");
    mpz_sub_ui(e, pk, 1);
    mpz_divexact_ui(e, e, 3);
    g2_pow(&g, &xi, e, P);
    if (g2_is_one(&g)) fail("xi is a cube");

    fprintf(out, "#ifndef ZKPOS_TOWER_CONSTANTS_H\n#define ZKPOS_TOWER_CONSTANTS_H\n");
    fprintf(out, "#include <stdint.h>\n\n#include \"ff.h\"\n\n");
    fprintf(out, "/* TOWER_FROB[k-1][i] = xi^(i (p^k - 1)/6), xi = 9 + u, k = 1..3, i = 0..5 (Montgomery form) */\n");
    fprintf(out, "static const fp2_t TOWER_FROB[3][6] = {\n");
    mpz_set(pk, P);
    for (int k = 1; k <= 3; k++) {
        mpz_sub_ui(e, pk, 1);
        mpz_divexact_ui(e, e, 6);
        g2_pow(&g, &xi, e, P);           /* xi^((p^k-1)/6) */
        g2_set_ui(&c, 1, 0);
        fprintf(out, "    {\n");
        for (int i = 0; i < 6; i++) {
            if (k == 2 && mpz_sgn(c.b) != 0) fail("xi^(i(p^2-1)/6) not in Fp");
            fprintf(out, "        ");
            emit_fp2(out, &c, P);
            fprintf(out, "%s\n", i < 5 ? "," : "");
            g2_mul(&c, &c, &g, P);
        }
        fprintf(out, "    }%s\n", k < 3 ? "," : "");
        mpz_mul(pk, pk, P);
    }
    fprintf(out, "};\n\n");

    /* b' = 3 / xi; emit 3 b' for the doubling formula */
    g2_inv(&g, &xi, P);
    mpz_mul_ui(g.a, g.a, 9);
    mpz_mod(g.a, g.a, P);
    mpz_mul_ui(g.b, g.b, 9);
    mpz_mod(g.b, g.b, P);
    g2_mul(&c, &g, &xi, P);
    if (mpz_cmp_ui(c.a, 9) != 0 || mpz_sgn(c.b) != 0) fail("3b' * xi != 9");
    fprintf(out, "/* 3 b', where b' = 3/xi is the constant of the D-type twist y^2 = x^3 + b' */\n");
    fprintf(out, "static const fp2_t TWIST_B3 = ");
    emit_fp2(out, &g, P);
    fprintf(out, ";\n\n");

    fprintf(out, "/* BN parameter x = %s */\n#define BN_X %sULL\n", BN_X_DEC, BN_X_DEC);
    mpz_mul_ui(t, x, 6);
    mpz_add_ui(t, t, 2);
    emit_naf(out, "BN_ATE_NAF", "6x + 2", t, 2);
    emit_naf(out, "BN_X_WNAF", "x, width 4", x, 4);
    fprintf(out, "\n#endif\n");

    g2_clear(&xi); g2_clear(&g); g2_clear(&c);
    mpz_clears(P, x, r, t, e, pk, NULL);
}
