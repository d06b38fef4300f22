/* Batched Poseidon: many independent permutations / hashes at once.
 *
 * Why: the account tree is embarrassingly data parallel (every leaf, every
 * pair of a level), while one permutation is a chain of dependent products.
 * With AVX-512 IFMA eight states are permuted side by side, lane j of every
 * vector holding state j, on the radix-2^52 Montgomery core of
 * ff/mont_ifma.h (one vpmadd52 does eight 52 x 52-bit products).
 *
 * Domain: the whole state lives in the R' = 2^260 domain of m52_mul
 * (x is held as x 2^260 mod r), so that a product of two state values needs
 * no scaling. The tables of poseidon_constants.h (R = 2^256 domain) are
 * converted once into the context (16 x mod r, split into 52-bit limbs);
 * inputs are converted on load (product with 2^264 mod r) and outputs on
 * store (product with 2^256 mod r, then one conditional subtraction).
 *
 * Lazy reduction: a row of a matrix product, sum_j M_ij s_j + k_i, is
 * accumulated as an unreduced 10-limb sum of 52 x 52 products (each 64-bit
 * limb gathers < 2^60 for 17 terms) with k_i added at weight 2^260, and
 * Montgomery-reduced once: about 50 vpmadd52 per term plus 55 per row,
 * against 105 per term for separate products, and no modular additions.
 * Sums are not reduced either, so values are only kept below small
 * multiples of r:
 *   reduce(W) < W / 2^260 + r, and every operand must stay < 2^260
 *   (normalized 52-bit limbs, 2^260 > 84 r).
 * The bounds, with r^2 / 2^260 < r / 84: S-box outputs are < 2r, full-round
 * outputs < 5r; in a partial round the words s_j (j >= 1) grow by at
 * most w y / 2^260 + r < 1.03 r per round, so they are renormalized (a
 * product with 2^260 mod r, result < 2r) every RENORM rounds and before the
 * closing full rounds, keeping every operand below 40 r.
 * From width 4 on, full-round rows use Winograd's inner product as
 * poseidon.c does (about half the products, for operand sums that need a
 * carry pass on the ports the multiplier leaves free: ~10-20% faster).
 *
 * The optimised round structure (sparse partial rounds, merged matrix PRE)
 * is exactly the one of poseidon.c and uses the same generated tables, so
 * the batch and the scalar permutation agree word for word (tested).
 * Without IFMA (or with ZKPOS_PORTABLE) every batch entry point runs the
 * scalar permutation in a loop. */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "../ff/ff_constants.h"
#include "../ff/mont.h"
#include "../ff/mont_ifma.h"
#include "poseidon_constants.h"

#ifdef ZK_HAVE_MONT_IFMA
#define BATCH_LANES 8
#define RENORM 32

/* a constant in the R' domain, as 5 limbs of 52 bits (broadcast on use) */
typedef struct { uint64_t w[5]; } c52;

typedef struct {
    const c52 *c, *k, *m, *pre, *s; /* as poseidon_opt_tables, converted */
    const c52 *kd;                    /* k for dense rows (see below) */
} x8_tables;

struct poseidon_batch {
    x8_tables tab[POSEIDON_T_MAX - 1];
    c52 to_rp;   /* 2^264 mod r: R -> R' */
    c52 to_r;    /* 2^256 mod r: R' -> R */
    c52 one;     /* 2^260 mod r: renormalization */
    c52 two_r;   /* 2r (not reduced), for -sigma = 2r - sigma */
    m52_mod K;
    c52 *store;
};
#else
#define BATCH_LANES 1
struct poseidon_batch {
    int unused;
};
#endif

unsigned poseidon_batch_lanes(void) { return BATCH_LANES; }

#ifdef ZK_HAVE_MONT_IFMA

/* 16 x mod r (x < r) split into limbs */
static void conv(c52 *o, const fr_t *x) {
    uint64_t s[4];
    m52_scale16(s, x->l, FR_MOD);
    m52_split(o->w, s);
}

static c52 *conv_table(c52 *dst, const fr_t *src, size_t n) {
    for (size_t i = 0; i < n; i++) conv(&dst[i], &src[i]);
    return dst + n;
}

zk_err poseidon_batch_new(poseidon_batch **out) {
    *out = NULL;
    size_t total = 0;
    for (size_t t = POSEIDON_T_MIN; t <= POSEIDON_T_MAX; t++)
        total += 2 * t + 16 * t + 2 * t * t + POSEIDON_RP[t - 2] * (2 * t - 1);
    poseidon_batch *b = aligned_alloc(64, (sizeof *b + 63) / 64 * 64);
    if (!b) return ZK_ERR_NOMEM;
    memset(b, 0, sizeof *b);
    b->store = malloc(total * sizeof *b->store);
    if (!b->store) {
        free(b);
        return ZK_ERR_NOMEM;
    }
    c52 *p = b->store;
    for (size_t t = POSEIDON_T_MIN; t <= POSEIDON_T_MAX; t++) {
        const poseidon_opt_tables *src = &POSEIDON_OPT[t - 2];
        x8_tables *d = &b->tab[t - 2];
        d->c = p;
        p = conv_table(p, src->c, 2 * t);
        d->k = p;
        p = conv_table(p, src->k, 8 * t);
        d->kd = p;
        for (unsigned r = 0; r < 8; r++)
            for (size_t i = 0; i < t; i++) {
                /* poseidon.c's Winograd rows (t >= POSEIDON_WINOGRAD_MIN_T)
                 * have rho_i = sum_k M[i][2k] M[i][2k+1] subtracted from the
                 * round's constants by the generator; the dense rows here
                 * add it back. */
                fr_t k = src->k[r * t + i], prod;
                const fr_t *row = (r == 3 ? src->pre : src->m) + i * t;
                if (t >= POSEIDON_WINOGRAD_MIN_T)
                    for (size_t j = 0; j + 1 < t; j += 2) {
                        fr_mul(&prod, &row[j], &row[j + 1]);
                        fr_add(&k, &k, &prod);
                    }
                conv(p++, &k);
            }
        d->m = p;
        p = conv_table(p, src->m, t * t);
        d->pre = p;
        p = conv_table(p, src->pre, t * t);
        d->s = p;
        p = conv_table(p, src->s, POSEIDON_RP[t - 2] * (2 * t - 1));
    }
    /* raw operands of the domain changes: 2^260, 2^264 and 2^256 mod r */
    uint64_t s[4];
    m52_scale16(s, FR_R1, FR_MOD); /* 2^260 */
    m52_split(b->one.w, s);
    m52_scale16(s, s, FR_MOD); /* 2^264 */
    m52_split(b->to_rp.w, s);
    m52_split(b->to_r.w, FR_R1); /* 2^256 */
    uint64_t two[4], carry = 0;
    for (int i = 0; i < 4; i++) {
        two[i] = (FR_MOD[i] << 1) | carry;
        carry = FR_MOD[i] >> 63;
    }
    m52_split(b->two_r.w, two);
    m52_mod_init(&b->K, FR_MOD, FR_N0, FR_R1);
    *out = b;
    return ZK_OK;
}

void poseidon_batch_free(poseidon_batch *b) {
    if (!b) return;
    free(b->store);
    free(b);
}

/* ---- lazily reduced arithmetic on 8 lanes ---- */

typedef struct { __m512i l[10]; } wide8;

ZK_INLINE void w_zero(wide8 *W) {
    for (int i = 0; i < 10; i++) W->l[i] = _mm512_setzero_si512();
}

/* W += a * c, c a broadcast constant */
ZK_INLINE void w_madd_c(wide8 *W, const m52x8 *a, const c52 *c) {
    __m512i b[5];
    for (int j = 0; j < 5; j++) b[j] = _mm512_set1_epi64((long long)c->w[j]);
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) W->l[i + j] = _mm512_madd52lo_epu64(W->l[i + j], a->l[i], b[j]);
        for (int j = 0; j < 5; j++) W->l[i + j + 1] = _mm512_madd52hi_epu64(W->l[i + j + 1], a->l[i], b[j]);
    }
}

/* W += a * b */
ZK_INLINE void w_madd(wide8 *W, const m52x8 *a, const m52x8 *b) {
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) W->l[i + j] = _mm512_madd52lo_epu64(W->l[i + j], a->l[i], b->l[j]);
        for (int j = 0; j < 5; j++) W->l[i + j + 1] = _mm512_madd52hi_epu64(W->l[i + j + 1], a->l[i], b->l[j]);
    }
}

/* W += c 2^260 */
ZK_INLINE void w_add_hi_c(wide8 *W, const c52 *c) {
    for (int j = 0; j < 5; j++) W->l[5 + j] = _mm512_add_epi64(W->l[5 + j], _mm512_set1_epi64((long long)c->w[j]));
}
ZK_INLINE void w_add_hi(wide8 *W, const m52x8 *a) {
    for (int j = 0; j < 5; j++) W->l[5 + j] = _mm512_add_epi64(W->l[5 + j], a->l[j]);
}

/* r = W / 2^260 mod r, r < W / 2^260 + modulus, normalized */
ZK_INLINE void w_reduce(m52x8 *r, wide8 *W, const m52_mod *K) {
    const __m512i z = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++) {
        const __m512i q = _mm512_madd52lo_epu64(z, W->l[i], K->n0);
        for (int j = 0; j < 5; j++) W->l[i + j] = _mm512_madd52lo_epu64(W->l[i + j], q, K->m[j]);
        for (int j = 0; j < 5; j++) W->l[i + j + 1] = _mm512_madd52hi_epu64(W->l[i + j + 1], q, K->m[j]);
        W->l[i + 1] = _mm512_add_epi64(W->l[i + 1], _mm512_srli_epi64(W->l[i], 52));
    }
    __m512i t[5];
    for (int j = 0; j < 5; j++) t[j] = W->l[5 + j];
    m52_norm(t, K->mask, 0);
    for (int j = 0; j < 5; j++) r->l[j] = t[j];
}

ZK_INLINE void x_mul(m52x8 *r, const m52x8 *a, const m52x8 *b, const m52_mod *K) {
    wide8 W;
    w_zero(&W);
    w_madd(&W, a, b);
    w_reduce(r, &W, K);
}

ZK_INLINE void x_mul_c(m52x8 *r, const m52x8 *a, const c52 *c, const m52_mod *K) {
    wide8 W;
    w_zero(&W);
    w_madd_c(&W, a, c);
    w_reduce(r, &W, K);
}

/* r = a + c (no reduction; both small, result stays far below 2^260) */
ZK_INLINE void x_add_c(m52x8 *r, const m52x8 *a, const c52 *c, const m52_mod *K) {
    __m512i t[5];
    for (int j = 0; j < 5; j++) t[j] = _mm512_add_epi64(a->l[j], _mm512_set1_epi64((long long)c->w[j]));
    m52_norm(t, K->mask, 0);
    for (int j = 0; j < 5; j++) r->l[j] = t[j];
}

ZK_INLINE void x_pow5(m52x8 *x, const m52_mod *K) {
    m52x8 x2, x4;
    x_mul(&x2, x, x, K);
    x_mul(&x4, &x2, &x2, K);
    x_mul(x, &x4, x, K);
}

/* s = M s^5 + kappa. From POSEIDON_WINOGRAD_MIN_T on, each row uses
 * Winograd's inner product as poseidon.c does (kw: the generator's
 * constants, rho already subtracted), the operand sums m + s normalized
 * (cheap shifts on the ports the multiplier leaves free), and -sigma added
 * as 2r - sigma; narrower widths use dense rows with kd (rho added back). */
static void full_round(const poseidon_batch *b, m52x8 *s, const c52 *m, const c52 *kw, const c52 *kd, size_t t) {
    const m52_mod *K = &b->K;
    m52x8 next[POSEIDON_T_MAX];
    for (size_t i = 0; i < t; i++) x_pow5(&s[i], K);
    if (t >= POSEIDON_WINOGRAD_MIN_T) {
        wide8 W;
        w_zero(&W);
        for (size_t k = 0; k + 1 < t; k += 2) w_madd(&W, &s[k], &s[k + 1]);
        m52x8 sig, neg;
        w_reduce(&sig, &W, K); /* < 2r */
        for (int j = 0; j < 5; j++)
            neg.l[j] = _mm512_sub_epi64(_mm512_set1_epi64((long long)b->two_r.w[j]), sig.l[j]);
        m52_norm(neg.l, K->mask, 1); /* 2r - sigma > 0 */
        for (size_t i = 0; i < t; i++) {
            const c52 *mi = &m[i * t];
            w_zero(&W);
            for (size_t k = 0; k + 1 < t; k += 2) {
                m52x8 x, y;
                x_add_c(&x, &s[k + 1], &mi[k], K);
                x_add_c(&y, &s[k], &mi[k + 1], K);
                w_madd(&W, &x, &y);
            }
            if (t & 1) w_madd_c(&W, &s[t - 1], &mi[t - 1]);
            w_add_hi_c(&W, &kw[i]);
            w_add_hi(&W, &neg);
            w_reduce(&next[i], &W, K);
        }
        memcpy(s, next, t * sizeof *s);
        return;
    }
    for (size_t i = 0; i < t; i++) {
        wide8 W;
        w_zero(&W);
        for (size_t j = 0; j < t; j++) w_madd_c(&W, &s[j], &m[i * t + j]);
        w_add_hi_c(&W, &kd[i]);
        w_reduce(&next[i], &W, K);
    }
    memcpy(s, next, t * sizeof *s);
}

/* The optimised permutation of poseidon.c on 8 states in the R' domain
 * (inputs < 3r, outputs < 3r). */
static void permute_x8(const poseidon_batch *b, m52x8 *s, size_t t) {
    const x8_tables *tab = &b->tab[t - 2];
    const m52_mod *K = &b->K;
    unsigned rp = POSEIDON_RP[t - 2];
    for (size_t i = 0; i < t; i++) x_add_c(&s[i], &s[i], &tab->c[i], K);
    for (unsigned r = 0; r < 4; r++) full_round(b, s, r == 3 ? tab->pre : tab->m, tab->k + r * t, tab->kd + r * t, t);
    const c52 *m00 = &tab->m[0], *row = tab->s;
    for (unsigned r = 0; r < rp; r++, row += 2 * t - 1) {
        const c52 *u = row, *w = row + t - 1;
        m52x8 mx, x2, x4, y;
        x_mul_c(&mx, &s[0], m00, K);
        x_mul(&x2, &s[0], &s[0], K);
        x_mul(&x4, &x2, &x2, K);
        x_mul(&y, &x4, &mx, K);
        /* s0 = y + sum_j u_j s_j + k_next: y enters at weight 2^260 */
        wide8 W;
        w_zero(&W);
        for (size_t j = 1; j < t; j++) w_madd_c(&W, &s[j], &u[j - 1]);
        w_add_hi_c(&W, &row[2 * t - 2]);
        w_add_hi(&W, &y);
        /* s_j += w_j y, as reduce(w_j y + s_j 2^260) */
        for (size_t j = 1; j < t; j++) {
            wide8 V;
            w_zero(&V);
            w_madd_c(&V, &y, &w[j - 1]);
            w_add_hi(&V, &s[j]);
            w_reduce(&s[j], &V, K);
        }
        w_reduce(&s[0], &W, K);
        if ((r + 1) % RENORM == 0)
            for (size_t j = 1; j < t; j++) x_mul_c(&s[j], &s[j], &b->one, K);
    }
    /* renormalize and add the constants of the 5th full round: s = s 1 + c */
    for (size_t i = 0; i < t; i++) {
        wide8 W;
        w_zero(&W);
        w_madd_c(&W, &s[i], &b->one);
        w_add_hi_c(&W, &tab->c[t + i]);
        w_reduce(&s[i], &W, K);
    }
    for (unsigned r = 4; r < 8; r++) full_round(b, s, tab->m, tab->k + r * t, tab->kd + r * t, t);
}

/* ---- loads and stores between fr_t (R domain) and lanes (R' domain) ---- */

ZK_INLINE __m512i pair(const fr_t *a, const fr_t *c) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)a->l)),
                              _mm256_loadu_si256((const __m256i *)c->l), 1);
}

/* lane j <- *p[j] converted to R' */
static void load8(m52x8 *r, const fr_t *const p[8], const poseidon_batch *b) {
    m52x8 x;
    m52_from_rows(&x, pair(p[0], p[1]), pair(p[2], p[3]), pair(p[4], p[5]), pair(p[6], p[7]));
    x_mul_c(r, &x, &b->to_rp, &b->K);
}

/* *p[j] <- lane j converted to R, canonical; a < 2^260 */
static void store8(fr_t *const p[8], const m52x8 *a, const poseidon_batch *b) {
    m52x8 x;
    x_mul_c(&x, a, &b->to_r, &b->K); /* < a 2^256 / 2^260 + r < 2r */
    m52_reduce(&x, &x, &b->K);
    __m512i row[4];
    m52_to_rows(&row[0], &row[1], &row[2], &row[3], &x);
    for (int k = 0; k < 4; k++) {
        _mm256_storeu_si256((__m256i *)p[2 * k]->l, _mm512_castsi512_si256(row[k]));
        _mm256_storeu_si256((__m256i *)p[2 * k + 1]->l, _mm512_extracti64x4_epi64(row[k], 1));
    }
}

zk_err poseidon_permute_batch(const poseidon_batch *b, fr_t *states, size_t t, size_t n) {
    if (t < POSEIDON_T_MIN || t > POSEIDON_T_MAX) return ZK_ERR_ARG;
    if (!b) {
        for (size_t k = 0; k < n; k++)
            if (poseidon_permute(states + k * t, t) != ZK_OK) return ZK_ERR_ARG;
        return ZK_OK;
    }
    fr_t scratch[POSEIDON_T_MAX];
    memset(scratch, 0, sizeof scratch);
    for (size_t g = 0; g < n; g += 8) {
        m52x8 s[POSEIDON_T_MAX];
        for (size_t i = 0; i < t; i++) {
            fr_t *p[8];
            for (size_t j = 0; j < 8; j++) p[j] = g + j < n ? &states[(g + j) * t + i] : &scratch[i];
            load8(&s[i], (const fr_t *const *)p, b);
        }
        permute_x8(b, s, t);
        for (size_t i = 0; i < t; i++) {
            fr_t *p[8];
            for (size_t j = 0; j < 8; j++) p[j] = g + j < n ? &states[(g + j) * t + i] : &scratch[i];
            store8(p, &s[i], b);
        }
    }
    return ZK_OK;
}

/* Binance hash of up to 8 inputs of equal length, lane j reading in[j]. */
static void hash_x8(const poseidon_batch *b, fr_t *const out[8], const fr_t *const in[8], size_t len,
                    unsigned chunk, const fr_t *carry) {
    m52x8 s[POSEIDON_T_MAX], c;
    if (carry) {
        const fr_t *p[8] = {carry, carry, carry, carry, carry, carry, carry, carry};
        load8(&c, p, b);
    } else
        memset(&c, 0, sizeof c);
    size_t pos = 0;
    while (pos < len) {
        size_t m = len - pos < chunk ? len - pos : chunk;
        s[0] = c;
        for (size_t i = 0; i < m; i++) {
            const fr_t *p[8];
            for (size_t j = 0; j < 8; j++) p[j] = in[j] + pos + i;
            load8(&s[1 + i], p, b);
        }
        permute_x8(b, s, m + 1);
        c = s[0];
        pos += m;
    }
    store8(out, &s[1], b);
}

#else /* portable: the scalar permutation in a loop */

zk_err poseidon_batch_new(poseidon_batch **out) {
    *out = calloc(1, sizeof **out);
    return *out ? ZK_OK : ZK_ERR_NOMEM;
}

void poseidon_batch_free(poseidon_batch *b) { free(b); }

zk_err poseidon_permute_batch(const poseidon_batch *b, fr_t *states, size_t t, size_t n) {
    (void)b;
    if (t < POSEIDON_T_MIN || t > POSEIDON_T_MAX) return ZK_ERR_ARG;
    for (size_t k = 0; k < n; k++)
        if (poseidon_permute(states + k * t, t) != ZK_OK) return ZK_ERR_ARG;
    return ZK_OK;
}

#endif

/* Scalar chunked hash continuing a chain (carry = word 0 left by earlier
 * full chunks, NULL = none): the definition the batch path must match. */
static void hash_one(fr_t *out, const fr_t *in, size_t len, unsigned chunk, const fr_t *carry) {
    fr_t s[POSEIDON_T_MAX], c;
    if (carry) c = *carry;
    else fr_zero(&c);
    size_t pos = 0;
    while (pos < len) {
        size_t m = len - pos < chunk ? len - pos : chunk;
        s[0] = c;
        memcpy(&s[1], in + pos, m * sizeof *in);
        zk_err e = poseidon_permute(s, m + 1);
        (void)e; /* width in [2, 17] by construction */
        c = s[0];
        pos += m;
    }
    *out = s[1];
}

zk_err poseidon_hash_batch(const poseidon_batch *b, fr_t *out, const fr_t *in, size_t len, size_t n,
                           unsigned chunk, const fr_t *carry) {
    if (len == 0 || chunk < 1 || chunk > POSEIDON_T_MAX - 1) return ZK_ERR_ARG;
#ifdef ZK_HAVE_MONT_IFMA
    if (b) {
        for (size_t g = 0; g < n; g += 8) {
            size_t live = n - g < 8 ? n - g : 8;
            const fr_t *p[8];
            fr_t res[8];
            fr_t *r[8] = {&res[0], &res[1], &res[2], &res[3], &res[4], &res[5], &res[6], &res[7]};
            /* dead lanes re-read lane 0's input; their results are dropped */
            for (size_t j = 0; j < 8; j++) p[j] = in + (g + (j < live ? j : 0)) * len;
            hash_x8(b, r, p, len, chunk, carry);
            /* written after the group's reads, so out may alias in */
            for (size_t j = 0; j < live; j++) out[g + j] = res[j];
        }
        return ZK_OK;
    }
#endif
    (void)b;
    for (size_t k = 0; k < n; k++) {
        fr_t h;
        hash_one(&h, in + k * len, len, chunk, carry);
        out[k] = h;
    }
    return ZK_OK;
}

zk_err poseidon_hash_batch_ptr(const poseidon_batch *b, fr_t *const *out, const fr_t *const *in, size_t len,
                               size_t n, unsigned chunk, const fr_t *carry) {
    if (len == 0 || chunk < 1 || chunk > POSEIDON_T_MAX - 1) return ZK_ERR_ARG;
#ifdef ZK_HAVE_MONT_IFMA
    if (b) {
        for (size_t g = 0; g < n; g += 8) {
            size_t live = n - g < 8 ? n - g : 8;
            const fr_t *p[8];
            fr_t res[8];
            fr_t *r[8] = {&res[0], &res[1], &res[2], &res[3], &res[4], &res[5], &res[6], &res[7]};
            for (size_t j = 0; j < 8; j++) p[j] = in[g + (j < live ? j : 0)];
            hash_x8(b, r, p, len, chunk, carry);
            for (size_t j = 0; j < live; j++) *out[g + j] = res[j];
        }
        return ZK_OK;
    }
#endif
    (void)b;
    for (size_t k = 0; k < n; k++) {
        fr_t h;
        hash_one(&h, in[k], len, chunk, carry);
        *out[k] = h;
    }
    return ZK_OK;
}
