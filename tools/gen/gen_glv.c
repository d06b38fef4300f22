/* GLV parameters of G1 and G2 (used by the MSM to halve scalar lengths).
 *
 * G1 (y^2 = x^3 + 3, j = 0) has the endomorphism phi(x, y) = (beta x, y)
 * with beta a primitive cube root of unity in Fp; on the prime-order group it
 * acts as multiplication by lambda, a primitive cube root of unity in Fr.
 * Which beta goes with which lambda is fixed by computing lambda * G for the
 * generator G = (1, 2): phi(G) = (beta, 2), so beta = x(lambda G).
 *
 * A scalar k is split as k = k1 + k2 lambda (mod r) with short k1, k2 using a
 * reduced basis v1 = (a1, b1), v2 = (a2, b2) of the lattice
 * {(u, v) : u + v lambda = 0 mod r}, found by the extended Euclid algorithm on
 * (r, lambda) (Gallant-Lambert-Vanstone 2001, section 4). The runtime rounds
 * with precomputed g1 = round(2^256 b2 / d), g2 = round(-2^256 b1 / d),
 * d = a1 b2 - a2 b1 = +-r:
 *   c_i = sign(g_i) * floor(k |g_i| / 2^256),
 *   k1 = k - c1 a1 - c2 a2,  k2 = -c1 b1 - c2 b2.
 * The truncations put each c_i within 1 + 2^-3 of the exact k b2/d resp.
 * -k b1/d, so |k1| <= 1.125 (|a1| + |a2|) and |k2| <= 1.125 (|b1| + |b2|);
 * GLV_K_BITS is the bit length of the larger bound. That bound is checked
 * below on edge and random scalars with exactly the runtime arithmetic
 * (everything mod 2^192 with the small result read as signed).
 *
 * G2: psi (the untwist-Frobenius-twist endomorphism, constants in
 * ec_constants.h) acts as [p] = [p - r] = [6x^2] on the order-r subgroup, and
 * 6x^2 ~ 2^126.6 is already about sqrt(r), so no lattice is needed:
 * k2 = floor(k / 6x^2), k1 = k - k2 6x^2, both non-negative and below
 * 2^GLV2_K_BITS. The runtime takes the quotient as floor(k R / 2^256) with
 * R = floor(2^256 / 6x^2), which is the true quotient or one less; one
 * conditional correction fixes it (checked below). */
#include <stdlib.h>

#include "gen.h"

static void die(const char *what) {
    fprintf(stderr, "gen_glv: check failed: %s\n", what);
    exit(1);
}

/* Affine point arithmetic mod P on y^2 = x^3 + b (inputs finite; a doubling
 * of a point with y = 0 or a sum that is infinity cannot occur for the
 * multiples of the generator computed here since k < r). */
typedef struct { mpz_t x, y; int inf; } gpt;

static void pt_add(gpt *r, const gpt *a, const gpt *b, const mpz_t P) {
    if (a->inf) { mpz_set(r->x, b->x); mpz_set(r->y, b->y); r->inf = b->inf; return; }
    if (b->inf) { mpz_set(r->x, a->x); mpz_set(r->y, a->y); r->inf = 0; return; }
    mpz_t l, t, x3;
    mpz_inits(l, t, x3, NULL);
    if (mpz_cmp(a->x, b->x) == 0) {
        mpz_add(t, a->y, b->y);
        mpz_mod(t, t, P);
        if (mpz_sgn(t) == 0) { r->inf = 1; mpz_clears(l, t, x3, NULL); return; }
        mpz_mul(l, a->x, a->x);
        mpz_mul_ui(l, l, 3);
        mpz_mul_ui(t, a->y, 2);
    } else {
        mpz_sub(l, b->y, a->y);
        mpz_sub(t, b->x, a->x);
    }
    mpz_mod(t, t, P);
    if (!mpz_invert(t, t, P)) die("inverse");
    mpz_mul(l, l, t);
    mpz_mod(l, l, P);
    mpz_mul(x3, l, l);
    mpz_sub(x3, x3, a->x);
    mpz_sub(x3, x3, b->x);
    mpz_mod(x3, x3, P);
    mpz_sub(t, a->x, x3);
    mpz_mul(t, t, l);
    mpz_sub(t, t, a->y);
    mpz_mod(r->y, t, P);
    mpz_set(r->x, x3);
    r->inf = 0;
    mpz_clears(l, t, x3, NULL);
}

static void pt_mul(gpt *r, const gpt *a, const mpz_t k, const mpz_t P) {
    gpt acc;
    mpz_inits(acc.x, acc.y, NULL);
    acc.inf = 1;
    for (long i = (long)mpz_sizeinbase(k, 2) - 1; i >= 0; i--) {
        pt_add(&acc, &acc, &acc, P);
        if (mpz_tstbit(k, (mp_bitcnt_t)i)) pt_add(&acc, &acc, a, P);
    }
    mpz_set(r->x, acc.x);
    mpz_set(r->y, acc.y);
    r->inf = acc.inf;
    mpz_clears(acc.x, acc.y, NULL);
}

/* A primitive cube root of unity mod m (m = 1 mod 3): g^((m-1)/3) != 1. */
static void cube_root_of_unity(mpz_t w, const mpz_t m) {
    mpz_t e;
    mpz_init(e);
    mpz_sub_ui(e, m, 1);
    if (!mpz_divisible_ui_p(e, 3)) die("m = 1 mod 3");
    mpz_divexact_ui(e, e, 3);
    for (unsigned long g = 2;; g++) {
        mpz_set_ui(w, g);
        mpz_powm(w, w, e, m);
        if (mpz_cmp_ui(w, 1) != 0) break;
    }
    mpz_clear(e);
}

/* Emits |v| as 4 limbs and its sign. */
static void emit_signed(FILE *out, const char *name, const mpz_t v) {
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, v);
    if (mpz_sizeinbase(a, 2) > 192) die("basis/rounding constant too long");
    gen_emit_limbs(out, name, a);
    fprintf(out, "#define %s_NEG %d\n", name, mpz_sgn(v) < 0);
    mpz_clear(a);
}

/* The runtime decomposition, on mpz but with the runtime's truncations and
 * its mod 2^192 arithmetic. */
static void decompose(mpz_t k1, mpz_t k2, const mpz_t k, const mpz_t g1, const mpz_t g2,
                      const mpz_t a1, const mpz_t b1, const mpz_t a2, const mpz_t b2) {
    mpz_t c1, c2, m, half;
    mpz_inits(c1, c2, m, half, NULL);
    mpz_mul(c1, k, g1);
    mpz_abs(c1, c1);
    mpz_fdiv_q_2exp(c1, c1, 256);
    if (mpz_sgn(g1) < 0) mpz_neg(c1, c1);
    mpz_mul(c2, k, g2);
    mpz_abs(c2, c2);
    mpz_fdiv_q_2exp(c2, c2, 256);
    if (mpz_sgn(g2) < 0) mpz_neg(c2, c2);
    mpz_set(k1, k);
    mpz_submul(k1, c1, a1);
    mpz_submul(k1, c2, a2);
    mpz_set_ui(k2, 0);
    mpz_submul(k2, c1, b1);
    mpz_submul(k2, c2, b2);
    /* reduce mod 2^192 into [-2^191, 2^191) like the runtime */
    mpz_ui_pow_ui(m, 2, 192);
    mpz_ui_pow_ui(half, 2, 191);
    mpz_ptr ks[2] = {k1, k2};
    for (int i = 0; i < 2; i++) {
        mpz_mod(ks[i], ks[i], m);
        if (mpz_cmp(ks[i], half) >= 0) mpz_sub(ks[i], ks[i], m);
    }
    mpz_clears(c1, c2, m, half, NULL);
}

void gen_glv(FILE *out) {
    mpz_t p, r, lambda, l2, beta, t, u;
    mpz_t r0, r1, s0, s1, q, tmp, sq;
    mpz_t a1, b1, a2, b2, det, g1, g2, bound, bound2, k, k1, k2, lim;
    mpz_inits(p, r, lambda, l2, beta, t, u, r0, r1, s0, s1, q, tmp, sq, NULL);
    mpz_inits(a1, b1, a2, b2, det, g1, g2, bound, bound2, k, k1, k2, lim, NULL);
    mpz_set_str(p, BN254_P_DEC, 10);
    mpz_set_str(r, BN254_R_DEC, 10);

    /* lambda: the smaller of the two primitive cube roots of unity mod r */
    cube_root_of_unity(lambda, r);
    mpz_mul(l2, lambda, lambda);
    mpz_mod(l2, l2, r);
    if (mpz_cmp(l2, lambda) < 0) mpz_swap(l2, lambda);
    mpz_mul(t, lambda, lambda);
    mpz_add(t, t, lambda);
    mpz_add_ui(t, t, 1);
    if (!mpz_divisible_p(t, r)) die("lambda^2 + lambda + 1 = 0 mod r");

    /* beta = x(lambda G), G = (1, 2) */
    gpt G, L;
    mpz_inits(G.x, G.y, L.x, L.y, NULL);
    mpz_set_ui(G.x, 1);
    mpz_set_ui(G.y, 2);
    G.inf = 0;
    pt_mul(&L, &G, lambda, p);
    if (L.inf || mpz_cmp_ui(L.y, 2) != 0) die("lambda G = (beta, 2)");
    mpz_set(beta, L.x);
    mpz_powm_ui(t, beta, 3, p);
    if (mpz_cmp_ui(t, 1) != 0 || mpz_cmp_ui(beta, 1) == 0) die("beta is a primitive cube root of unity");
    /* and phi commutes with lambda on another point: 5G */
    mpz_set_ui(t, 5);
    gpt P5, LP5;
    mpz_inits(P5.x, P5.y, LP5.x, LP5.y, NULL);
    pt_mul(&P5, &G, t, p);
    pt_mul(&LP5, &P5, lambda, p);
    mpz_mul(t, P5.x, beta);
    mpz_mod(t, t, p);
    if (mpz_cmp(t, LP5.x) != 0 || mpz_cmp(P5.y, LP5.y) != 0) die("phi(5G) = lambda 5G");

    /* Extended Euclid on (r, lambda): r_i = s_i r + t_i lambda; we track only
     * t_i (as s1/s0 here) since r_i - t_i lambda = 0 mod r. Stop at the first
     * remainder below sqrt(r). */
    mpz_sqrt(sq, r);
    mpz_set(r0, r);
    mpz_set(r1, lambda);
    mpz_set_ui(s0, 0);  /* t for r0 */
    mpz_set_ui(s1, 1);  /* t for r1 */
    mpz_t pr, ps;       /* the pair before (r0, s0) */
    mpz_inits(pr, ps, NULL);
    while (mpz_cmp(r1, sq) >= 0) {
        mpz_fdiv_q(q, r0, r1);
        mpz_set(pr, r0);
        mpz_set(ps, s0);
        mpz_set(tmp, r1);
        mpz_mul(t, q, r1);
        mpz_sub(r1, r0, t);
        mpz_set(r0, tmp);
        mpz_set(tmp, s1);
        mpz_mul(t, q, s1);
        mpz_sub(s1, s0, t);
        mpz_set(s0, tmp);
    }
    /* now r0 >= sqrt(r) > r1: (r_l, t_l) = (r0, s0), (r_{l+1}, t_{l+1}) = (r1, s1) */
    mpz_set(a1, r1);
    mpz_neg(b1, s1);
    /* v2: the shorter of (r_l, -t_l) and (r_{l+2}, -t_{l+2}) */
    mpz_fdiv_q(q, r0, r1);
    mpz_mul(t, q, r1);
    mpz_sub(t, r0, t);     /* r_{l+2} */
    mpz_mul(u, q, s1);
    mpz_sub(u, s0, u);     /* t_{l+2} */
    mpz_t n0, n2;
    mpz_inits(n0, n2, NULL);
    mpz_mul(n0, r0, r0);
    mpz_addmul(n0, s0, s0);
    mpz_mul(n2, t, t);
    mpz_addmul(n2, u, u);
    if (mpz_cmp(n0, n2) <= 0) { mpz_set(a2, r0); mpz_neg(b2, s0); }
    else { mpz_set(a2, t); mpz_neg(b2, u); }
    mpz_clears(n0, n2, pr, ps, NULL);

    /* lattice checks: a + b lambda = 0 mod r, det = +-r */
    mpz_mul(t, b1, lambda);
    mpz_add(t, t, a1);
    if (!mpz_divisible_p(t, r)) die("a1 + b1 lambda = 0");
    mpz_mul(t, b2, lambda);
    mpz_add(t, t, a2);
    if (!mpz_divisible_p(t, r)) die("a2 + b2 lambda = 0");
    mpz_mul(det, a1, b2);
    mpz_submul(det, a2, b1);
    mpz_abs(t, det);
    if (mpz_cmp(t, r) != 0) die("det = +-r");

    /* g1 = round(2^256 b2 / det), g2 = round(-2^256 b1 / det) */
    mpz_t num;
    mpz_init(num);
    mpz_mul_2exp(num, b2, 256);
    mpz_mul_2exp(t, num, 1);
    mpz_add(t, t, det);
    mpz_mul_2exp(u, det, 1);
    mpz_fdiv_q(g1, t, u);   /* floor((2 num + det) / (2 det)) = round(num / det) */
    mpz_mul_2exp(num, b1, 256);
    mpz_neg(num, num);
    mpz_mul_2exp(t, num, 1);
    mpz_add(t, t, det);
    mpz_fdiv_q(g2, t, u);
    mpz_clear(num);

    /* bound = ceil(1.125 max(|a1| + |a2|, |b1| + |b2|)) */
    mpz_abs(bound, a1);
    mpz_abs(t, a2);
    mpz_add(bound, bound, t);
    mpz_abs(bound2, b1);
    mpz_abs(t, b2);
    mpz_add(bound2, bound2, t);
    if (mpz_cmp(bound2, bound) > 0) mpz_set(bound, bound2);
    mpz_mul_ui(bound, bound, 9);
    mpz_cdiv_q_ui(bound, bound, 8);
    size_t kbits = mpz_sizeinbase(bound, 2);
    if (kbits > 190) die("GLV bound");
    mpz_ui_pow_ui(lim, 2, kbits);

    /* check the runtime decomposition on edge and pseudo-random scalars */
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 254);
    for (int i = 0; i < 20000; i++) {
        if (i == 0) mpz_set_ui(k, 0);
        else if (i == 1) mpz_set_ui(k, 1);
        else if (i == 2) mpz_sub_ui(k, r, 1);
        else if (i == 3) mpz_set(k, lambda);
        else if (i == 4) mpz_fdiv_q_2exp(k, r, 1);
        else mpz_urandomm(k, rs, r);
        decompose(k1, k2, k, g1, g2, a1, b1, a2, b2);
        mpz_mul(t, k2, lambda);
        mpz_add(t, t, k1);
        mpz_sub(t, t, k);
        if (!mpz_divisible_p(t, r)) die("k1 + k2 lambda = k");
        mpz_abs(t, k1);
        mpz_abs(u, k2);
        if (mpz_cmp(t, lim) >= 0 || mpz_cmp(u, lim) >= 0) die("|k1|, |k2| < 2^GLV_K_BITS");
    }
    gmp_randclear(rs);

    fprintf(out, "#ifndef ZKPOS_GLV_CONSTANTS_H\n#define ZKPOS_GLV_CONSTANTS_H\n#include <stdint.h>\n\n");
    fprintf(out, "/* phi(x, y) = (beta x, y) = [lambda](x, y) on G1; beta in Montgomery form. */\n");
    gen_to_mont(t, beta, p);
    gen_emit_limbs(out, "GLV_BETA_MONT", t);
    fprintf(out, "/* lambda (integer): lambda^2 + lambda + 1 = 0 mod r */\n");
    gen_emit_limbs(out, "GLV_LAMBDA", lambda);
    fprintf(out, "/* lattice basis v1 = (a1, b1), v2 = (a2, b2) of {(u, v): u + v lambda = 0 mod r}:\n"
                 " * magnitudes and signs */\n");
    emit_signed(out, "GLV_A1", a1);
    emit_signed(out, "GLV_B1", b1);
    emit_signed(out, "GLV_A2", a2);
    emit_signed(out, "GLV_B2", b2);
    fprintf(out, "/* rounding constants g1 = round(2^256 b2 / d), g2 = round(-2^256 b1 / d), d = a1 b2 - a2 b1 */\n");
    emit_signed(out, "GLV_G1", g1);
    emit_signed(out, "GLV_G2", g2);
    fprintf(out, "/* |k1|, |k2| < 2^GLV_K_BITS */\n#define GLV_K_BITS %zu\n", kbits);

    /* ---- G2: lambda2 = p - r = 6x^2 ---- */
    mpz_t l2v, rec, q2, k1b;
    mpz_inits(l2v, rec, q2, k1b, NULL);
    mpz_sub(l2v, p, r);
    mpz_set_str(t, "4965661367192848881", 10);
    mpz_mul(u, t, t);
    mpz_mul_ui(u, u, 6);
    if (mpz_cmp(u, l2v) != 0) die("p - r = 6x^2");
    mpz_ui_pow_ui(rec, 2, 256);
    mpz_fdiv_q(rec, rec, l2v);
    mpz_sub_ui(t, l2v, 1);
    size_t k2bits = mpz_sizeinbase(t, 2);          /* k1 <= lambda2 - 1 */
    mpz_sub_ui(t, r, 1);
    mpz_fdiv_q(t, t, l2v);
    if (mpz_sizeinbase(t, 2) > k2bits) k2bits = mpz_sizeinbase(t, 2); /* k2 <= (r-1) / lambda2 */
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 2254);
    for (int i = 0; i < 20000; i++) {
        if (i == 0) mpz_set_ui(k, 0);
        else if (i == 1) mpz_sub_ui(k, r, 1);
        else if (i == 2) mpz_set(k, l2v);
        else if (i == 3) mpz_sub_ui(k, l2v, 1);
        else if (i < 1000) { /* multiples of lambda2 and one less: the correction's edge */
            mpz_add_ui(u, t, 1);
            mpz_urandomm(k, rs, u);
            mpz_mul(k, k, l2v);
            if ((i & 1) && mpz_sgn(k) > 0) mpz_sub_ui(k, k, 1);
        }
        else mpz_urandomm(k, rs, r);
        mpz_mul(q2, k, rec);
        mpz_fdiv_q_2exp(q2, q2, 256);
        mpz_set(k1b, k);
        mpz_submul(k1b, q2, l2v);
        if (mpz_cmp(k1b, l2v) >= 0) { mpz_sub(k1b, k1b, l2v); mpz_add_ui(q2, q2, 1); }
        if (mpz_sgn(k1b) < 0 || mpz_cmp(k1b, l2v) >= 0) die("G2 split remainder");
        if (mpz_sizeinbase(q2, 2) > k2bits || mpz_sizeinbase(k1b, 2) > k2bits) die("G2 split bound");
    }
    gmp_randclear(rs);
    fprintf(out, "\n/* G2: psi = [lambda2] on G2 with lambda2 = p - r = 6x^2 (integer);\n"
                 " * GLV2_RECIP = floor(2^256 / lambda2); k1, k2 < 2^GLV2_K_BITS */\n");
    gen_emit_limbs(out, "GLV2_LAMBDA", l2v);
    gen_emit_limbs(out, "GLV2_RECIP", rec);
    fprintf(out, "#define GLV2_K_BITS %zu\n", k2bits);
    mpz_clears(l2v, rec, q2, k1b, NULL);
    fprintf(out, "\n#endif\n");

    mpz_clears(G.x, G.y, L.x, L.y, P5.x, P5.y, LP5.x, LP5.y, NULL);
    mpz_clears(p, r, lambda, l2, beta, t, u, r0, r1, s0, s1, q, tmp, sq, NULL);
    mpz_clears(a1, b1, a2, b2, det, g1, g2, bound, bound2, k, k1, k2, lim, NULL);
}
