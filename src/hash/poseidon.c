/* Optimised Poseidon permutation and the hash constructions built on it.
 *
 * The permutation follows the optimised form derived (and explained) in
 * tools/gen/gen_poseidon.c: 4 full rounds (the last with the merged matrix
 * PRE), RP partial rounds that add one scalar constant to word 0, apply x^5
 * to it and multiply by a sparse matrix [[M00, u^T], [w, I]] (2t-1
 * multiplications instead of t^2), then 4 full rounds whose dense products
 * use Winograd's inner-product form from t = 4 on. x^5 costs two squarings
 * and a multiplication. One instance per width is stamped out so that every
 * loop over the state has a constant trip count.
 *
 * The hash constructions all go through the streaming digest: full chunks
 * are absorbed as they complete, so no input list is ever copied whole. */
#include <string.h>

#include "hash.h"
#include "../ff/ff_constants.h"
#include "../ff/mont.h"
#include "poseidon_constants.h"

/* The permutation is the hot loop of the whole tree build. With the x86-64
 * asm core it uses the ff layer's inline Montgomery routines directly (no
 * call per operation, so independent multiplications overlap) and stamps
 * out one flattened instance per width. Elsewhere (portable C, WebAssembly)
 * it calls the ff functions from one generic instance: inlining the
 * portable core into 16 unrolled instances would only bloat the code and
 * the compile time. */
#ifdef ZK_HAVE_MONT_ADX
#define POSEIDON_PER_WIDTH 1
ZK_INLINE void f_mul(fr_t *r, const fr_t *a, const fr_t *b) { mont_mul(r->l, a->l, b->l, FR_MOD, FR_N0); }
ZK_INLINE void f_sqr(fr_t *r, const fr_t *a) { mont_sqr(r->l, a->l, FR_MOD, FR_N0); }
ZK_INLINE void f_add(fr_t *r, const fr_t *a, const fr_t *b) { mont_add(r->l, a->l, b->l, FR_MOD); }
ZK_INLINE void f_sub(fr_t *r, const fr_t *a, const fr_t *b) { mont_sub(r->l, a->l, b->l, FR_MOD); }
#else
#define POSEIDON_PER_WIDTH 0
ZK_INLINE void f_mul(fr_t *r, const fr_t *a, const fr_t *b) { fr_mul(r, a, b); }
ZK_INLINE void f_sqr(fr_t *r, const fr_t *a) { fr_sqr(r, a); }
ZK_INLINE void f_add(fr_t *r, const fr_t *a, const fr_t *b) { fr_add(r, a, b); }
ZK_INLINE void f_sub(fr_t *r, const fr_t *a, const fr_t *b) { fr_sub(r, a, b); }
#endif
/* a + b < 2r, not reduced: only ever a multiplication operand, which the
 * Montgomery core accepts below 2r (see ff/mont.h). */
ZK_INLINE void f_add_lazy(fr_t *r, const fr_t *a, const fr_t *b) { (void)mont_add_raw(r->l, a->l, b->l); }

ZK_INLINE void pow5(fr_t *x) {
    fr_t x2, x4;
    f_sqr(&x2, x);
    f_sqr(&x4, &x2);
    f_mul(x, &x4, x);
}

/* One full round after its constants were added: s = m s^5 + kappa, where
 * kappa holds the next round's constants. From POSEIDON_WINOGRAD_MIN_T on,
 * each row uses Winograd's inner product
 *   sum_j m_j s_j = sum_k (m_2k + s_2k+1)(m_2k+1 + s_2k) - rho - sigma
 *                   [+ m_t-1 s_t-1 for odd t],
 * rho = sum_k m_2k m_2k+1 (fixed, folded into kappa by the generator) and
 * sigma = sum_k s_2k s_2k+1 (shared by all rows): t*ceil(t/2) + floor(t/2)
 * multiplications instead of t^2, for a few more additions. */
ZK_INLINE void full_round(fr_t *s, const fr_t *m, const fr_t *kappa, size_t t) {
    fr_t next[POSEIDON_T_MAX], prod, a, b;
    for (size_t i = 0; i < t; i++) pow5(&s[i]);
    if (t >= POSEIDON_WINOGRAD_MIN_T) {
        fr_t sigma;
        f_mul(&sigma, &s[0], &s[1]);
        for (size_t k = 2; k + 1 < t; k += 2) {
            f_mul(&prod, &s[k], &s[k + 1]);
            f_add(&sigma, &sigma, &prod);
        }
        for (size_t i = 0; i < t; i++) {
            const fr_t *mi = &m[i * t];
            f_sub(&next[i], &kappa[i], &sigma);
            for (size_t k = 0; k + 1 < t; k += 2) {
                f_add_lazy(&a, &mi[k], &s[k + 1]);
                f_add_lazy(&b, &mi[k + 1], &s[k]);
                f_mul(&prod, &a, &b);
                f_add(&next[i], &next[i], &prod);
            }
            if (t & 1) {
                f_mul(&prod, &mi[t - 1], &s[t - 1]);
                f_add(&next[i], &next[i], &prod);
            }
        }
    } else {
        for (size_t i = 0; i < t; i++) {
            next[i] = kappa[i];
            for (size_t j = 0; j < t; j++) {
                f_mul(&prod, &m[i * t + j], &s[j]);
                f_add(&next[i], &next[i], &prod);
            }
        }
    }
    memcpy(s, next, t * sizeof *s);
}

/* The whole optimised permutation for one width; t is a compile-time
 * constant in each instance below, so the loops over words unroll. */
ZK_INLINE void permute_t(fr_t *s, size_t t) {
    const poseidon_opt_tables *tab = &POSEIDON_OPT[t - 2];
    unsigned rp = POSEIDON_RP[t - 2];
    const fr_t *m00 = &tab->m[0];
    for (size_t i = 0; i < t; i++) f_add(&s[i], &s[i], &tab->c[i]);
    for (unsigned r = 0; r < 4; r++) full_round(s, r == 3 ? tab->pre : tab->m, tab->k + r * t, t);
    /* Partial round (its k is already in s0): y = M00 x^5 = x^4 (M00 x);
     * s0 = y + sum_j u_j s_j + k_next; s_j += w'_j y. The sum does not
     * depend on y, so only the S-box is on the critical path. */
    const fr_t *row = tab->s;
    for (unsigned r = 0; r < rp; r++, row += 2 * t - 1) {
        const fr_t *u = row, *w = row + t - 1;
        fr_t mx, x2, x4, y, acc, prod;
        f_mul(&mx, &s[0], m00);
        f_sqr(&x2, &s[0]);
        f_sqr(&x4, &x2);
        f_mul(&y, &x4, &mx);
        f_mul(&acc, &u[0], &s[1]);
        for (size_t j = 2; j < t; j++) {
            f_mul(&prod, &u[j - 1], &s[j]);
            f_add(&acc, &acc, &prod);
        }
        f_add(&acc, &acc, &row[2 * t - 2]);
        for (size_t j = 1; j < t; j++) {
            f_mul(&prod, &w[j - 1], &y);
            f_add(&s[j], &s[j], &prod);
        }
        f_add(&s[0], &y, &acc);
    }
    for (size_t i = 0; i < t; i++) f_add(&s[i], &s[i], &tab->c[t + i]);
    for (unsigned r = 4; r < 8; r++) full_round(s, tab->m, tab->k + r * t, t);
}

#if POSEIDON_PER_WIDTH
/* flatten: GCC would otherwise keep the asm multiplication out of line */
#define PERM_INSTANCE(T) \
    __attribute__((flatten)) static void permute_##T(fr_t *s) { permute_t(s, T); }
PERM_INSTANCE(2) PERM_INSTANCE(3) PERM_INSTANCE(4) PERM_INSTANCE(5) PERM_INSTANCE(6) PERM_INSTANCE(7)
PERM_INSTANCE(8) PERM_INSTANCE(9) PERM_INSTANCE(10) PERM_INSTANCE(11) PERM_INSTANCE(12) PERM_INSTANCE(13)
PERM_INSTANCE(14) PERM_INSTANCE(15) PERM_INSTANCE(16) PERM_INSTANCE(17)

static void (*const PERMUTE[16])(fr_t *) = {permute_2,  permute_3,  permute_4,  permute_5,  permute_6,  permute_7,
                                             permute_8,  permute_9,  permute_10, permute_11, permute_12, permute_13,
                                             permute_14, permute_15, permute_16, permute_17};
#else
static void permute_any(fr_t *s, size_t t) { permute_t(s, t); }
#endif

zk_err poseidon_permute(fr_t *s, size_t t) {
    if (t < POSEIDON_T_MIN || t > POSEIDON_T_MAX) return ZK_ERR_ARG;
#if POSEIDON_PER_WIDTH
    PERMUTE[t - 2](s);
#else
    permute_any(s, t);
#endif
    return ZK_OK;
}

zk_err poseidon_circom(fr_t *out, const fr_t *in, size_t n) {
    if (n < 1 || n > POSEIDON_T_MAX - 1) return ZK_ERR_ARG;
    fr_t s[POSEIDON_T_MAX];
    fr_zero(&s[0]);
    memcpy(&s[1], in, n * sizeof *in);
    zk_err e = poseidon_permute(s, n + 1);
    if (e == ZK_OK) *out = s[0];
    return e;
}

/* ---- Binance hash: chunks of `chunk` inputs chained through word 0 ---- */

zk_err poseidon_digest_init(poseidon_digest *d, unsigned chunk) {
    memset(d, 0, sizeof *d);
    if (chunk < 1 || chunk > POSEIDON_T_MAX - 1) return ZK_ERR_ARG;
    d->chunk = chunk;
    return ZK_OK;
}

void poseidon_digest_reset(poseidon_digest *d) {
    unsigned chunk = d->chunk;
    memset(d, 0, sizeof *d);
    d->chunk = chunk;
}

/* Permutes [carry, pending...] (width npending+1); returns words 0 and 1. */
static void absorb(poseidon_digest *d, fr_t *w0, fr_t *w1) {
    fr_t s[POSEIDON_T_MAX];
    s[0] = d->carry;
    memcpy(&s[1], d->pending, d->npending * sizeof *s);
    zk_err e = poseidon_permute(s, d->npending + 1);
    (void)e; /* width is in [2, 17] by construction */
    *w0 = s[0];
    *w1 = s[1];
}

void poseidon_digest_write_fr(poseidon_digest *d, const fr_t *x) {
    d->pending[d->npending++] = *x;
    d->count++;
    if (d->npending == d->chunk) {
        absorb(d, &d->carry, &d->last);
        d->npending = 0;
    }
}

zk_err poseidon_digest_sum_fr(poseidon_digest *d, fr_t *out) {
    zk_err e = ZK_OK;
    if (d->count == 0) e = ZK_ERR_ARG;
    else if (d->npending == 0) *out = d->last;
    else {
        fr_t w0;
        absorb(d, &w0, out);
    }
    poseidon_digest_reset(d);
    return e;
}

zk_err poseidon_fr_from_bytes(fr_t *r, const uint8_t *in, size_t len) {
    while (len > 0 && in[0] == 0) { in++; len--; }
    if (len > 32) return ZK_ERR_NOT_CANONICAL;
    uint8_t buf[32] = {0};
    if (len) memcpy(buf + 32 - len, in, len);
    return fr_from_bytes_be(r, buf) == ZK_OK ? ZK_OK : ZK_ERR_NOT_CANONICAL;
}

zk_err poseidon_digest_write(poseidon_digest *d, const uint8_t *in, size_t len) {
    fr_t x;
    zk_err e = poseidon_fr_from_bytes(&x, in, len);
    if (e != ZK_OK) return e; /* dropped, as Go does */
    poseidon_digest_write_fr(d, &x);
    return ZK_OK;
}

zk_err poseidon_digest_sum(poseidon_digest *d, uint8_t out[32]) {
    fr_t h;
    zk_err e = poseidon_digest_sum_fr(d, &h);
    if (e == ZK_OK) fr_to_bytes_be(out, &h);
    return e;
}

zk_err poseidon_hash(fr_t *out, const fr_t *in, size_t n, unsigned chunk) {
    poseidon_digest d;
    if (n == 0) return ZK_ERR_ARG;
    zk_err e = poseidon_digest_init(&d, chunk);
    if (e != ZK_OK) return e;
    for (size_t i = 0; i < n; i++) poseidon_digest_write_fr(&d, &in[i]);
    return poseidon_digest_sum_fr(&d, out);
}

zk_err poseidon_hash_bytes(uint8_t out[32], const uint8_t *const *in, const size_t *in_lens, size_t n,
                           unsigned chunk) {
    poseidon_digest d;
    if (n == 0) return ZK_ERR_ARG;
    zk_err e = poseidon_digest_init(&d, chunk);
    if (e != ZK_OK) return e;
    for (size_t i = 0; i < n; i++) {
        e = poseidon_digest_write(&d, in[i], in_lens[i]);
        if (e != ZK_OK) return e;
    }
    return poseidon_digest_sum(&d, out);
}
