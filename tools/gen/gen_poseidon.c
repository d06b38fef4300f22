/* Poseidon (circomlib parameters) for widths t = 2..17: reference constants
 * from the Grain LFSR, and the optimised partial-round form derived from them.
 *
 * Reference (hadeshash generate_parameters_grain.sage 1 0 254 t 8 RP p):
 * an 80-bit LFSR seeded with the parameter bits, clocked 160 times, then
 * read through the self-shrinking rule (of each bit pair, the second bit is
 * output iff the first is 1). Round constants are 254-bit samples below p
 * (rejection); the MDS matrix is M[i][j] = 1/(x_i + y_j) from 2t further
 * samples (reduced mod p, pairwise distinct, no x_i + y_j = 0).
 * Round r: s += C_r; x^5 on all words (full) or word 0 (partial); s = M s.
 *
 * Optimised form (derived here, checked against the reference by the tests):
 * 1. Constants: in a partial round only word 0 meets the S-box, so the part
 *    of the round constant on words 1..t-1 commutes with it and can be moved
 *    through M into the next round's constant: d_0 = C_4, k_i = d_i[0],
 *    d_{i+1} = C_{5+i} + M (0, d_i[1..]). Each partial round then adds one
 *    scalar k_i; the remainder d_RP becomes the constant of the first full
 *    round after the partial rounds.
 * 2. Matrices: write the matrix N of partial round i as N = S P with
 *    P = diag(1, N11) and S = [[N00, u^T], [N10, I]], u^T = N01 N11^-1. P
 *    leaves word 0 alone, so it commutes with that round's S-box and with the
 *    scalar constant, and moves into the previous round: N_{i-1} = P_i M.
 *    Going backwards from the last partial round, every partial round keeps a
 *    sparse S_i (2t-1 multiplications) and P_0 M becomes the matrix of the
 *    last full round before the partial rounds ("PRE"). N00 is always M00.
 * 3. Latency: the S-box output x^5 only ever appears multiplied by M00 (new
 *    word 0) or by w (words 1..t-1). So the tables hold w' = w / M00 and the
 *    permutation computes y = x^4 * (M00 x), where M00 x runs in parallel
 *    with the squarings: three multiplications on the critical path.
 * 4. Constant placement: every constant is added where an addition happens
 *    anyway. C_0 before the first round; then each full round ends with
 *    "s = mat s^5 + kappa_r", kappa_r being the next round's constants (k_0
 *    on word 0 after the 4th round, nothing after the last); each partial
 *    round's sparse row carries the next partial round's k; the remainder
 *    d_RP is added before the 5th full round.
 * 5. Winograd's inner product for the dense products from t = 4 on:
 *    sum_j m_j s_j = sum_k (m_2k + s_2k+1)(m_2k+1 + s_2k) - rho - sigma
 *    (+ m_t-1 s_t-1 for odd t), rho = sum_k m_2k m_2k+1 depends only on the
 *    matrix row and is subtracted inside kappa here; sigma = sum_k s_2k s_2k+1
 *    is shared by all rows. About t^2/2 multiplications instead of t^2; for
 *    t = 2, 3 the extra additions cost as much as the saved multiplications.
 *
 * Everything is emitted in Montgomery form as static const fr_t tables. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const unsigned RP_TABLE[16] = {56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68};
#define RF 8
/* from this width on, the dense products use Winograd's inner-product form */
#define WINOGRAD_MIN_T 4

typedef struct {
    unsigned char s[80]; /* s[0] is the oldest bit */
} grain;

static unsigned grain_clock(grain *g) {
    unsigned b = g->s[62] ^ g->s[51] ^ g->s[38] ^ g->s[23] ^ g->s[13] ^ g->s[0];
    memmove(g->s, g->s + 1, 79);
    g->s[79] = (unsigned char)b;
    return b;
}

static void grain_init(grain *g, unsigned t, unsigned rp) {
    /* field 1 (2 bits), sbox 0 (4), n = 254 (12), t (12), RF (10), RP (10), 30 ones */
    static const unsigned widths[6] = {2, 4, 12, 12, 10, 10};
    unsigned vals[6] = {1, 0, 254, t, RF, rp};
    size_t k = 0;
    for (int f = 0; f < 6; f++)
        for (int b = (int)widths[f] - 1; b >= 0; b--) g->s[k++] = (unsigned char)((vals[f] >> b) & 1);
    while (k < 80) g->s[k++] = 1;
    for (int i = 0; i < 160; i++) grain_clock(g);
}

static unsigned grain_bit(grain *g) {
    for (;;) {
        unsigned first = grain_clock(g);
        unsigned second = grain_clock(g);
        if (first) return second;
    }
}

static void grain_sample(mpz_t out, grain *g, unsigned nbits) { /* most significant bit first */
    mpz_set_ui(out, 0);
    for (unsigned i = 0; i < nbits; i++) {
        mpz_mul_2exp(out, out, 1);
        if (grain_bit(g)) mpz_add_ui(out, out, 1);
    }
}

static void die(const char *msg, unsigned t) {
    fprintf(stderr, "gen_poseidon: %s (t=%u)\n", msg, t);
    exit(1);
}

static void emit_table(FILE *out, const char *name, unsigned t, mpz_t *v, size_t n, const mpz_t p) {
    mpz_t m, w;
    mpz_inits(m, w, NULL);
    fprintf(out, "static const fr_t %s_%u[%zu] = {\n", name, t, n);
    for (size_t i = 0; i < n; i++) {
        gen_to_mont(m, v[i], p);
        fprintf(out, "{{");
        for (int l = 0; l < 4; l++) {
            mpz_fdiv_r_2exp(w, m, 64);
            mpz_fdiv_q_2exp(m, m, 64);
            gmp_fprintf(out, "0x%Zx%s", w, l < 3 ? "," : "}},\n");
        }
    }
    fprintf(out, "};\n");
    mpz_clears(m, w, NULL);
}

static mpz_t *vec_new(size_t n) {
    mpz_t *v = malloc(n * sizeof *v);
    if (!v) die("out of memory", 0);
    for (size_t i = 0; i < n; i++) mpz_init(v[i]);
    return v;
}

static void vec_free(mpz_t *v, size_t n) {
    for (size_t i = 0; i < n; i++) mpz_clear(v[i]);
    free(v);
}

/* r = a * b for t x t row-major matrices mod p (r distinct from a, b). */
static void mat_mul(mpz_t *r, mpz_t *a, mpz_t *b, unsigned t, const mpz_t p) {
    for (unsigned i = 0; i < t; i++)
        for (unsigned j = 0; j < t; j++) {
            mpz_set_ui(r[i * t + j], 0);
            for (unsigned k = 0; k < t; k++) mpz_addmul(r[i * t + j], a[i * t + k], b[k * t + j]);
            mpz_mod(r[i * t + j], r[i * t + j], p);
        }
}

/* Inverse of the n x n row-major matrix a mod p by Gauss-Jordan (a is destroyed). */
static void mat_inv(mpz_t *inv, mpz_t *a, unsigned n, const mpz_t p, unsigned t) {
    mpz_t f, tmp;
    mpz_inits(f, tmp, NULL);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) mpz_set_ui(inv[i * n + j], i == j);
    for (unsigned c = 0; c < n; c++) {
        unsigned piv = c;
        while (piv < n && mpz_sgn(a[piv * n + c]) == 0) piv++;
        if (piv == n) die("singular matrix in the sparse decomposition", t);
        for (unsigned j = 0; j < n; j++) {
            mpz_swap(a[c * n + j], a[piv * n + j]);
            mpz_swap(inv[c * n + j], inv[piv * n + j]);
        }
        mpz_invert(f, a[c * n + c], p);
        for (unsigned j = 0; j < n; j++) {
            mpz_mul(a[c * n + j], a[c * n + j], f);
            mpz_mod(a[c * n + j], a[c * n + j], p);
            mpz_mul(inv[c * n + j], inv[c * n + j], f);
            mpz_mod(inv[c * n + j], inv[c * n + j], p);
        }
        for (unsigned r = 0; r < n; r++) {
            if (r == c || mpz_sgn(a[r * n + c]) == 0) continue;
            mpz_set(f, a[r * n + c]);
            for (unsigned j = 0; j < n; j++) {
                mpz_submul(a[r * n + j], f, a[c * n + j]);
                mpz_mod(a[r * n + j], a[r * n + j], p);
                mpz_submul(inv[r * n + j], f, inv[c * n + j]);
                mpz_mod(inv[r * n + j], inv[r * n + j], p);
            }
        }
    }
    mpz_clears(f, tmp, NULL);
}

static void gen_width(FILE *out, unsigned t, const mpz_t p) {
    unsigned rp = RP_TABLE[t - 2], nr = RF + rp;
    grain g;
    grain_init(&g, t, rp);

    /* reference round constants and MDS matrix */
    mpz_t *C = vec_new((size_t)nr * t), *M = vec_new((size_t)t * t), *xy = vec_new(2 * t);
    for (size_t i = 0; i < (size_t)nr * t; i++) {
        do grain_sample(C[i], &g, 254);
        while (mpz_cmp(C[i], p) >= 0);
    }
    for (unsigned i = 0; i < 2 * t; i++) {
        grain_sample(xy[i], &g, 254);
        mpz_mod(xy[i], xy[i], p);
    }
    for (unsigned i = 0; i < 2 * t; i++)
        for (unsigned j = i + 1; j < 2 * t; j++)
            if (mpz_cmp(xy[i], xy[j]) == 0) die("first MDS candidate has duplicates", t);
    for (unsigned i = 0; i < t; i++)
        for (unsigned j = 0; j < t; j++) {
            mpz_add(M[i * t + j], xy[i], xy[t + j]);
            mpz_mod(M[i * t + j], M[i * t + j], p);
            if (!mpz_invert(M[i * t + j], M[i * t + j], p)) die("first MDS candidate has x_i + y_j = 0", t);
        }

    /* 1. constants: k_i per partial round, d = remainder carried forward */
    mpz_t *k = vec_new(rp), *d = vec_new(t), *nd = vec_new(t);
    mpz_t *fullc = vec_new((size_t)RF * t);
    for (unsigned j = 0; j < t; j++) mpz_set(d[j], C[4 * t + j]);
    for (unsigned i = 0; i < rp; i++) {
        mpz_set(k[i], d[0]);
        for (unsigned r = 0; r < t; r++) {
            mpz_set(nd[r], C[(size_t)(5 + i) * t + r]); /* round 4+rp when i = rp-1: first full round after */
            for (unsigned j = 1; j < t; j++) mpz_addmul(nd[r], M[r * t + j], d[j]);
            mpz_mod(nd[r], nd[r], p);
        }
        for (unsigned j = 0; j < t; j++) mpz_set(d[j], nd[j]);
    }
    for (unsigned r = 0; r < 4; r++)
        for (unsigned j = 0; j < t; j++) {
            mpz_set(fullc[r * t + j], C[r * t + j]);
            mpz_set(fullc[(4 + r) * t + j], r == 0 ? d[j] : C[(size_t)(4 + rp + r) * t + j]);
        }

    /* 2. sparse matrices, from the last partial round backwards */
    unsigned n1 = t - 1, sw = 2 * t - 1;
    mpz_t *N = vec_new((size_t)t * t), *P = vec_new((size_t)t * t), *A = vec_new((size_t)n1 * n1),
          *Ainv = vec_new((size_t)n1 * n1), *S = vec_new((size_t)rp * sw);
    mpz_t m00inv;
    mpz_init(m00inv);
    if (!mpz_invert(m00inv, M[0], p)) die("M00 = 0", t);
    for (size_t i = 0; i < (size_t)t * t; i++) mpz_set(N[i], M[i]);
    for (unsigned i = rp; i-- > 0;) {
        if (mpz_cmp(N[0], M[0]) != 0) die("N00 != M00", t);
        for (unsigned r = 0; r < n1; r++)
            for (unsigned c = 0; c < n1; c++) mpz_set(A[r * n1 + c], N[(r + 1) * t + c + 1]);
        /* P = diag(1, N11), taken before A is destroyed by the inversion */
        for (unsigned r = 0; r < t; r++)
            for (unsigned c = 0; c < t; c++) {
                if (r == 0 || c == 0) mpz_set_ui(P[r * t + c], r == c);
                else mpz_set(P[r * t + c], A[(r - 1) * n1 + c - 1]);
            }
        mat_inv(Ainv, A, n1, p, t);
        mpz_t *row = &S[(size_t)i * sw];
        for (unsigned c = 0; c < n1; c++) { /* u_c = sum_r N[0][1+r] * N11^-1[r][c] */
            mpz_set_ui(row[c], 0);
            for (unsigned r = 0; r < n1; r++) mpz_addmul(row[c], N[1 + r], Ainv[r * n1 + c]);
            mpz_mod(row[c], row[c], p);
            /* w' = N10 / M00: the permutation computes y = M00 x^5 directly */
            mpz_mul(row[n1 + c], N[(c + 1) * t], m00inv);
            mpz_mod(row[n1 + c], row[n1 + c], p);
        }
        if (i + 1 < rp) mpz_set(row[2 * n1], k[i + 1]);
        else mpz_set_ui(row[2 * n1], 0);
        mat_mul(N, P, M, t, p); /* matrix of partial round i-1, or PRE after round 0 */
    }

    /* 3. per full round: the constants added after its matrix product (those
     * of the next round; k_0 after the 4th; none after the last), minus the
     * Winograd row terms of that round's matrix where that form is used. */
    mpz_t *oc = vec_new(2 * (size_t)t), *kap = vec_new((size_t)RF * t);
    for (unsigned j = 0; j < t; j++) {
        mpz_set(oc[j], fullc[j]);
        mpz_set(oc[t + j], fullc[4 * t + j]);
    }
    for (unsigned r = 0; r < RF; r++) {
        mpz_t *mat = r == 3 ? N : M;
        for (unsigned i = 0; i < t; i++) {
            mpz_t *kv = &kap[r * t + i];
            if (r == 3) mpz_set_ui(*kv, 0);
            else if (r < RF - 1) mpz_set(*kv, fullc[(r + 1) * t + i]);
            else mpz_set_ui(*kv, 0);
            if (r == 3 && i == 0) mpz_set(*kv, k[0]);
            if (t >= WINOGRAD_MIN_T)
                for (unsigned c = 0; c + 1 < t; c += 2) mpz_submul(*kv, mat[i * t + c], mat[i * t + c + 1]);
            mpz_mod(*kv, *kv, p);
        }
    }

    fprintf(out, "\n/* t = %u: RP = %u */\n", t, rp);
    emit_table(out, "POSEIDON_REF_C", t, C, (size_t)nr * t, p);
    emit_table(out, "POSEIDON_M", t, M, (size_t)t * t, p);
    emit_table(out, "POSEIDON_OPT_C", t, oc, 2 * (size_t)t, p);
    emit_table(out, "POSEIDON_OPT_K", t, kap, (size_t)RF * t, p);
    emit_table(out, "POSEIDON_OPT_PRE", t, N, (size_t)t * t, p);
    emit_table(out, "POSEIDON_OPT_S", t, S, (size_t)rp * sw, p);

    mpz_clear(m00inv);
    vec_free(oc, 2 * (size_t)t);
    vec_free(kap, (size_t)RF * t);
    vec_free(C, (size_t)nr * t);
    vec_free(M, (size_t)t * t);
    vec_free(xy, 2 * t);
    vec_free(k, rp);
    vec_free(d, t);
    vec_free(nd, t);
    vec_free(fullc, (size_t)RF * t);
    vec_free(N, (size_t)t * t);
    vec_free(P, (size_t)t * t);
    vec_free(A, (size_t)n1 * n1);
    vec_free(Ainv, (size_t)n1 * n1);
    vec_free(S, (size_t)rp * sw);
}

void gen_poseidon(FILE *out) {
    mpz_t p;
    mpz_init_set_str(p, BN254_R_DEC, 10);
    fprintf(out,
            "/* Poseidon (circomlib) tables for t = 2..17, Montgomery form; layout in\n"
            " * tools/gen/gen_poseidon.c. Per width t:\n"
            " *   POSEIDON_REF_C_t[(8+RP)*t]  reference round constants, round-major\n"
            " *   POSEIDON_M_t[t*t]           MDS matrix, row-major: new_i = sum_j M[i][j] s_j\n"
            " *   POSEIDON_OPT_C_t[2*t]       constants added before the 1st and the 5th full round\n"
            " *   POSEIDON_OPT_K_t[8*t]       per full round, added after its matrix product\n"
            " *   POSEIDON_OPT_PRE_t[t*t]     matrix of the 4th full round (P_0 M)\n"
            " *   POSEIDON_OPT_S_t[RP*(2t-1)] per partial round: u[1..t-1], w'[1..t-1] = w/M00,\n"
            " *                               then the next partial round's k (0 after the last) */\n"
            "#ifndef ZKPOS_POSEIDON_CONSTANTS_H\n#define ZKPOS_POSEIDON_CONSTANTS_H\n"
            "#include \"../ff/ff.h\"\n\n#define POSEIDON_T_MIN 2\n#define POSEIDON_T_MAX 17\n"
            "#define POSEIDON_RF 8\n#define POSEIDON_WINOGRAD_MIN_T %d\n", WINOGRAD_MIN_T);
    fprintf(out, "static const unsigned char POSEIDON_RP[16] = {");
    for (unsigned t = 2; t <= 17; t++) fprintf(out, "%u%s", RP_TABLE[t - 2], t < 17 ? ", " : "};\n");
    for (unsigned t = 2; t <= 17; t++) gen_width(out, t, p);

    fprintf(out, "\ntypedef struct { const fr_t *c, *m; } poseidon_ref_tables;\n"
                 "static const poseidon_ref_tables POSEIDON_REF[16] = {\n");
    for (unsigned t = 2; t <= 17; t++) fprintf(out, "{POSEIDON_REF_C_%u, POSEIDON_M_%u},\n", t, t);
    fprintf(out, "};\n\ntypedef struct { const fr_t *c, *k, *m, *pre, *s; } poseidon_opt_tables;\n"
                 "static const poseidon_opt_tables POSEIDON_OPT[16] = {\n");
    for (unsigned t = 2; t <= 17; t++)
        fprintf(out, "{POSEIDON_OPT_C_%u, POSEIDON_OPT_K_%u, POSEIDON_M_%u, POSEIDON_OPT_PRE_%u, POSEIDON_OPT_S_%u},\n",
                t, t, t, t, t);
    fprintf(out, "};\n\n#endif\n");
    mpz_clear(p);
}
