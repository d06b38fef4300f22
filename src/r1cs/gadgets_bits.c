/* Bit gadgets: booleans, range checks, canonical decomposition, comparisons.
 *
 * Comparisons of bit vectors are arithmetic rather than bit by bit: for
 * n-bit A, B with n <= 252, B - A + 2^n lies in [1, 2^(n+1)) exactly when
 * A <= B and never wraps mod r, so one (n+1)-bit decomposition gives the
 * answer (about 1 constraint per bit, against 2-4 for a bitwise scan). Full
 * 254-bit values do not fit that way, so they are split into two halves
 * taken from their (canonical) bits. Comparing with a constant is bitwise,
 * because there a whole run of 0-bits of the constant costs one constraint.
 * Input bits of the comparisons must already be constrained to be boolean. */
#include <string.h>

#include "r1cs_internal.h"

static int bit_of(const uint64_t v[4], unsigned i) { return (int)((v[i >> 6] >> (i & 63)) & 1); }

void zk_g_assert_bool(zk_cs *cs, const zk_lc *b) {
    zk_lc nb;
    zk_lc_init(&nb);
    zk_lc_set_const(cs, &nb, NULL);
    zk_lc_sub(cs, &nb, b);
    zk_cs_mul(cs, b, &nb, NULL);
    zk_lc_free(&nb);
}

zk_var zk_g_new_bit(zk_cs *cs, const fr_t *value) {
    zk_var v = zk_cs_private(cs, value);
    zk_lc b;
    zk_lc_init(&b);
    zk_lc_set_var(cs, &b, v);
    zk_g_assert_bool(cs, &b);
    zk_lc_free(&b);
    return v;
}

/* Decomposition of x into n <= 253 bits (no label). */
static void to_bits(zk_cs *cs, zk_var *bits, const zk_lc *x, unsigned n) {
    if (n < 1 || n > 253) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    uint64_t xv[4] = {0, 0, 0, 0};
    if (cs->values) fr_to_u256(xv, &x->val);
    fr_t zero;
    fr_zero(&zero);
    zk_lc sum;
    zk_lc_init(&sum);
    for (unsigned i = 0; i < n; i++) {
        zk_var b = zk_g_new_bit(cs, bit_of(xv, i) ? &cs->one : &zero);
        if (bits) bits[i] = b;
        zk_lc_add_var(cs, &sum, &cs->pow2[i], b);
    }
    zk_cs_eq(cs, &sum, x);
    zk_lc_free(&sum);
}

void zk_g_to_bits(zk_cs *cs, zk_var *bits, const zk_lc *x, unsigned n) {
    zk_cs_push(cs, "range");
    to_bits(cs, bits, x, n);
    zk_cs_pop(cs);
}

void zk_g_assert_bits_le_const(zk_cs *cs, const zk_var *bits, unsigned n, const uint64_t k[4]) {
    if (n < 1 || n > 256) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    for (unsigned i = n; i < 256; i++)
        if (bit_of(k, i)) return; /* k >= 2^n: nothing to check */
    unsigned z; /* lowest 0-bit of k; below it any bits are fine */
    for (z = 0; z < n && bit_of(k, z); z++) {}
    if (z == n) return; /* k = 2^n - 1 */
    zk_cs_push(cs, "le_const");
    zk_lc t, run;
    zk_lc_init(&t);
    zk_lc_init(&run);
    zk_lc_set_const(cs, &t, NULL); /* prefix of the bits equals k's prefix */
    for (unsigned i = n; i-- > z;) {
        if (bit_of(k, i)) {
            zk_lc b;
            zk_lc_init(&b);
            zk_lc_set_var(cs, &b, bits[i]);
            if (t.is_const) {
                zk_lc_copy(cs, &t, &b);
            } else {
                zk_var nt = zk_cs_mul_new(cs, &t, &b);
                zk_lc_set_var(cs, &t, nt);
            }
            zk_lc_free(&b);
        } else { /* a run of 0-bits of k: no bit may be set while t = 1 */
            zk_lc_clear(&run);
            zk_lc_add_var(cs, &run, NULL, bits[i]);
            while (i > z && !bit_of(k, i - 1)) zk_lc_add_var(cs, &run, NULL, bits[--i]);
            zk_cs_mul(cs, &t, &run, NULL); /* t * sum = 0; the sum is < r */
        }
    }
    zk_lc_free(&t);
    zk_lc_free(&run);
    zk_cs_pop(cs);
}

void zk_g_to_bits_canonical(zk_cs *cs, zk_var bits[254], const zk_lc *x) {
    zk_cs_push(cs, "canonical");
    uint64_t xv[4] = {0, 0, 0, 0}, rm1[4];
    if (cs->values) fr_to_u256(xv, &x->val);
    memcpy(rm1, FR_MODULUS, sizeof rm1);
    rm1[0] -= 1; /* r is odd */
    fr_t zero;
    fr_zero(&zero);
    zk_lc sum;
    zk_lc_init(&sum);
    for (unsigned i = 0; i < 254; i++) {
        bits[i] = zk_g_new_bit(cs, bit_of(xv, i) ? &cs->one : &zero);
        zk_lc_add_var(cs, &sum, &cs->pow2[i], bits[i]);
    }
    zk_cs_eq(cs, &sum, x); /* holds mod r, so also for x + r < 2^254 ... */
    zk_lc_free(&sum);
    zk_g_assert_bits_le_const(cs, bits, 254, rm1); /* ... which this excludes */
    zk_cs_pop(cs);
}

/* lc = sum_{i<n} 2^i bits[i] (shifted coefficients, no constraint). */
static void pack(zk_cs *cs, zk_lc *lc, const fr_t *k, const zk_var *bits, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        fr_t c = cs->pow2[i];
        if (k) fr_mul(&c, &c, k);
        zk_lc_add_var(cs, lc, &c, bits[i]);
    }
}

/* out = [A <= B] (strict = 0) or [A < B] (strict = 1) for n <= 252 bits:
 * bit n of B - A - strict + 2^n. n + 2 constraints. */
static void cmp_small(zk_cs *cs, zk_lc *out, const zk_var *a, const zk_var *b, unsigned n, int strict) {
    zk_lc d;
    zk_lc_init(&d);
    pack(cs, &d, NULL, b, n);
    pack(cs, &d, &cs->minus_one, a, n);
    zk_lc_add_const(cs, &d, &cs->pow2[n]);
    if (strict) zk_lc_add_const(cs, &d, &cs->minus_one);
    zk_var dbits[253];
    to_bits(cs, dbits, &d, n + 1);
    zk_lc_set_var(cs, out, dbits[n]);
    zk_lc_free(&d);
}

/* Asserts A <= B for n <= 252 bits: B - A is an n-bit number. n + 1 constraints. */
static void assert_small(zk_cs *cs, const zk_var *a, const zk_var *b, unsigned n) {
    zk_lc d;
    zk_lc_init(&d);
    pack(cs, &d, NULL, b, n);
    pack(cs, &d, &cs->minus_one, a, n);
    to_bits(cs, NULL, &d, n);
    zk_lc_free(&d);
}

static void bits_le(zk_cs *cs, zk_lc *out, const zk_var *a, const zk_var *b, unsigned n) {
    if (n < 1 || n > 254) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    if (n <= 252) {
        if (out) cmp_small(cs, out, a, b, n, 0);
        else assert_small(cs, a, b, n);
        return;
    }
    unsigned lo = n / 2, hi = n - lo;
    zk_lc le_lo, ah, bh, eq;
    zk_lc_init(&le_lo);
    zk_lc_init(&ah);
    zk_lc_init(&bh);
    zk_lc_init(&eq);
    cmp_small(cs, &le_lo, a, b, lo, 0);
    pack(cs, &ah, NULL, a + lo, hi);
    pack(cs, &bh, NULL, b + lo, hi);
    zk_g_is_equal(cs, &eq, &ah, &bh);
    if (out) { /* out = [A_hi < B_hi] + eq * le_lo */
        zk_lc lt, m;
        zk_lc_init(&lt);
        zk_lc_init(&m);
        cmp_small(cs, &lt, a + lo, b + lo, hi, 1);
        zk_lc_set_var(cs, &m, zk_cs_mul_new(cs, &eq, &le_lo));
        zk_lc_copy(cs, out, &lt);
        zk_lc_add(cs, out, NULL, &m);
        zk_lc_free(&lt);
        zk_lc_free(&m);
    } else { /* A_hi <= B_hi, and eq * (1 - le_lo) = 0 */
        assert_small(cs, a + lo, b + lo, hi);
        zk_lc nle;
        zk_lc_init(&nle);
        zk_lc_set_const(cs, &nle, NULL);
        zk_lc_sub(cs, &nle, &le_lo);
        zk_cs_mul(cs, &eq, &nle, NULL);
        zk_lc_free(&nle);
    }
    zk_lc_free(&le_lo);
    zk_lc_free(&ah);
    zk_lc_free(&bh);
    zk_lc_free(&eq);
}

void zk_g_bits_le(zk_cs *cs, zk_lc *out, const zk_var *a_bits, const zk_var *b_bits, unsigned n) {
    zk_cs_push(cs, "cmp");
    bits_le(cs, out, a_bits, b_bits, n);
    zk_cs_pop(cs);
}

void zk_g_assert_bits_le(zk_cs *cs, const zk_var *a_bits, const zk_var *b_bits, unsigned n) {
    zk_cs_push(cs, "cmp");
    bits_le(cs, NULL, a_bits, b_bits, n);
    zk_cs_pop(cs);
}

static void le_full(zk_cs *cs, zk_lc *out, const zk_lc *a, const zk_lc *b) {
    zk_var ab[254], bb[254];
    zk_cs_push(cs, "le");
    zk_g_to_bits_canonical(cs, ab, a);
    zk_g_to_bits_canonical(cs, bb, b);
    zk_cs_push(cs, "cmp");
    bits_le(cs, out, ab, bb, 254);
    zk_cs_pop(cs);
    zk_cs_pop(cs);
}

void zk_g_le(zk_cs *cs, zk_lc *out, const zk_lc *a, const zk_lc *b) { le_full(cs, out, a, b); }
void zk_g_assert_le(zk_cs *cs, const zk_lc *a, const zk_lc *b) { le_full(cs, NULL, a, b); }

void zk_g_is_equal(zk_cs *cs, zk_lc *out, const zk_lc *a, const zk_lc *b) {
    zk_lc d, inv, m, nm;
    zk_lc_init(&d);
    zk_lc_init(&inv);
    zk_lc_init(&m);
    zk_lc_init(&nm);
    zk_lc_copy(cs, &d, a);
    zk_lc_sub(cs, &d, b);
    fr_t iv;
    fr_zero(&iv);
    if (cs->values) fr_inv_var(&iv, &d.val); /* 0 -> 0 */
    zk_lc_set_var(cs, &inv, zk_cs_private(cs, &iv));
    zk_lc_set_var(cs, &m, zk_cs_mul_new(cs, &d, &inv)); /* m = d * inv */
    zk_lc_set_const(cs, &nm, NULL);
    zk_lc_sub(cs, &nm, &m);
    zk_cs_mul(cs, &d, &nm, NULL); /* d * (1 - m) = 0 */
    zk_lc_copy(cs, out, &nm);
    zk_lc_free(&d);
    zk_lc_free(&inv);
    zk_lc_free(&m);
    zk_lc_free(&nm);
}

void zk_g_cswap(zk_cs *cs, zk_lc *l, zk_lc *r, zk_var bit, const zk_lc *x, const zk_lc *y) {
    zk_lc bl, diff, tl, tr;
    zk_lc_init(&bl);
    zk_lc_init(&diff);
    zk_lc_init(&tl);
    zk_lc_init(&tr);
    zk_lc_set_var(cs, &bl, bit);
    zk_lc_copy(cs, &diff, y);
    zk_lc_sub(cs, &diff, x);
    zk_var d = zk_cs_mul_new(cs, &bl, &diff);
    zk_lc_copy(cs, &tl, x);
    zk_lc_add_var(cs, &tl, NULL, d);
    zk_lc_copy(cs, &tr, y);
    zk_lc_sub_var(cs, &tr, d);
    zk_lc_copy(cs, l, &tl);
    zk_lc_copy(cs, r, &tr);
    zk_lc_free(&bl);
    zk_lc_free(&diff);
    zk_lc_free(&tl);
    zk_lc_free(&tr);
}
