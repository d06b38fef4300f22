/* The v1 batch circuit (spec §7, BatchCreateUserCircuit) for B users and
 * an A-entry asset table, written once for every zk_cs mode.
 *
 * Statement (public input: BatchCommitment only):
 *  1. BatchCommitment = Poseidon(BeforeRoot, AfterRoot, BeforeCEX, AfterCEX);
 *  2. each CEX entry's TotalEquity, TotalDebt, BasePrice < 2^64, and
 *     BeforeCEX = Poseidon over pack3 of the A entries;
 *  3. roots chain: BeforeRoot = op[0].before, op[i].after = op[i+1].before,
 *     op[B-1].after = AfterRoot;
 *  4. per op: 28 index bits drive both paths; the path of the empty leaf
 *     E[0] (a constant) gives op.before; every equity and debt < 2^64;
 *     TE = sum equity_j price_j, TD = sum debt_j price_j in the field;
 *     TD <= TE as canonical integers; leaf = Poseidon(id, TE, TD,
 *     Poseidon(pack3 of the 2A amounts)); the leaf's path gives op.after;
 *  5. running totals before_j + sum over ops < 2^64 and AfterCEX = Poseidon
 *     over pack3(totals, price).
 *
 * Cost choices (the statement is unchanged by them):
 *  - An amount exists only as its 64 bits: "amount < 2^64" is 64 boolean
 *    constraints and the amount is the linear combination sum 2^i b_i, so
 *    the recomposition constraint of a range check disappears (700 per
 *    user at A = 350). pack3 elements, TE and TD are linear combinations
 *    too; the only multiplications are the 2A amount x price products.
 *    Likewise the account index is just its 28 bits.
 *  - Prices are variables range-checked once per batch, so each product is
 *    one constraint with a single-variable B row.
 *  - The running totals are one linear combination per asset and side,
 *    built after the ops from the recorded first-bit variable of every
 *    amount (bits are allocated consecutively), grouped by bit position
 *    (sum over ops of bit i, times 2^i): no per-op constraint, and a SETUP
 *    walk never holds more than one such combination. Their range check
 *    gives bits, and the after commitment packs those bits.
 *  - Separate before/after root variables per op with equality constraints
 *    keep every witness field meaningful (one constraint per link).
 * Per user at A = 350: 44800 amount bits, 700 products, 1074 comparison,
 * 9027 asset commitment, 297 leaf, 2 x 6749 paths, 28 index bits, 1 chain
 * = 69425 constraints (the Merkle paths and the commitment follow the
 * gadgets' counts in r1cs.h).
 *
 * The shape depends on B and A only, never on values (required by the
 * builder); in value modes every variable's value comes from the witness,
 * and gadget hints from the builder, so a hint hook can corrupt any of
 * them. */
#include <stdlib.h>
#include <string.h>

#include "solv_internal.h"

#define AMOUNT_BITS 64

typedef struct {
    zk_cs *cs;
    const zk_batch_witness *w; /* NULL when the mode computes no values */
    unsigned B, A;
    fr_t s64, s128;  /* 2^64, 2^128 */
    fr_t pow2[AMOUNT_BITS];
    fr_t empty_leaf; /* E[0] for A */
    zk_var *first_bit; /* B x 2A: first bit variable of each amount */
    zk_var *cex;       /* 3A: equity, debt, price variables */
    zk_lc *amt;        /* 2A amount lcs of the current op */
    zk_lc *el;         /* max(A, (2A+2)/3) hash inputs */
    int not_consecutive;
} synth;

static zk_var alloc_fr(synth *s, const fr_t *v) { return zk_cs_private(s->cs, s->w ? v : NULL); }

static zk_var alloc_u64(synth *s, uint64_t v) {
    fr_t x;
    fr_set_u64(&x, v);
    return alloc_fr(s, &x);
}

static zk_var new_bit(synth *s, int bit) {
    fr_t x;
    if (bit) fr_one(&x);
    else fr_zero(&x);
    return zk_g_new_bit(s->cs, s->w ? &x : NULL);
}

/* r = sum_{i<n} 2^i v_i for consecutive variables first .. first+n-1 */
static void lc_from_bits(synth *s, zk_lc *r, zk_var first, unsigned n) {
    zk_lc_clear(r);
    for (unsigned i = 0; i < n; i++) zk_lc_add_var(s->cs, r, &s->pow2[i], first + i);
}

/* r = a 2^128 + b 2^64 + c (a, b, c may be NULL for 0) */
static void pack3_lc(synth *s, zk_lc *r, const zk_lc *a, const zk_lc *b, const zk_lc *c) {
    zk_lc_clear(r);
    if (a) zk_lc_add(s->cs, r, &s->s128, a);
    if (b) zk_lc_add(s->cs, r, &s->s64, b);
    if (c) zk_lc_add(s->cs, r, NULL, c);
}

static void eq_var(synth *s, const zk_lc *a, zk_var v) {
    zk_lc t;
    zk_lc_init(&t);
    zk_lc_set_var(s->cs, &t, v);
    zk_cs_eq(s->cs, a, &t);
    zk_lc_free(&t);
}

static void eq_vars(synth *s, zk_var a, zk_var b) {
    zk_lc t;
    zk_lc_init(&t);
    zk_lc_set_var(s->cs, &t, a);
    eq_var(s, &t, b);
    zk_lc_free(&t);
}

/* 1. BatchCommitment = Poseidon(4); returns the four private variables. */
static void batch_commitment(synth *s, zk_var v[4]) {
    zk_cs *cs = s->cs;
    const zk_batch_witness *w = s->w;
    zk_cs_push(cs, "batch_commitment");
    zk_var pub = zk_cs_public(cs, w ? &w->commitment : NULL);
    v[0] = alloc_fr(s, w ? &w->before_root : NULL);
    v[1] = alloc_fr(s, w ? &w->after_root : NULL);
    v[2] = alloc_fr(s, w ? &w->before_cex : NULL);
    v[3] = alloc_fr(s, w ? &w->after_cex : NULL);
    zk_lc in[4], out;
    for (int i = 0; i < 4; i++) {
        zk_lc_init(&in[i]);
        zk_lc_set_var(cs, &in[i], v[i]);
    }
    zk_lc_init(&out);
    zk_g_poseidon_hash(cs, &out, in, 4, ZK_POSEIDON_CHUNK_V1);
    eq_var(s, &out, pub);
    for (int i = 0; i < 4; i++) zk_lc_free(&in[i]);
    zk_lc_free(&out);
    zk_cs_pop(cs);
}

/* 2. CEX entries < 2^64 and their commitment. */
static void cex_before(synth *s, zk_var before_cex) {
    zk_cs *cs = s->cs;
    unsigned A = s->A;
    zk_cs_push(cs, "cex_before");
    for (unsigned j = 0; j < A; j++) {
        const zk_cex_entry *c = s->w ? &s->w->cex[j] : NULL;
        s->cex[3 * j] = alloc_u64(s, c ? c->equity : 0);
        s->cex[3 * j + 1] = alloc_u64(s, c ? c->debt : 0);
        s->cex[3 * j + 2] = alloc_u64(s, c ? c->price : 0);
    }
    zk_lc x[3], out;
    for (int i = 0; i < 3; i++) zk_lc_init(&x[i]);
    zk_lc_init(&out);
    for (unsigned j = 0; j < 3 * A; j++) {
        zk_lc_set_var(cs, &x[0], s->cex[j]);
        zk_g_range(cs, &x[0], AMOUNT_BITS);
    }
    for (unsigned j = 0; j < A; j++) {
        for (int i = 0; i < 3; i++) zk_lc_set_var(cs, &x[i], s->cex[3 * j + i]);
        pack3_lc(s, &s->el[j], &x[0], &x[1], &x[2]);
    }
    zk_g_poseidon_hash(cs, &out, s->el, A, ZK_POSEIDON_CHUNK_V1);
    eq_var(s, &out, before_cex);
    for (int i = 0; i < 3; i++) zk_lc_free(&x[i]);
    zk_lc_free(&out);
    zk_cs_pop(cs);
}

/* 4. One create-user operation; returns its after-root variable. */
static zk_var user_op(synth *s, unsigned u, zk_var prev_root) {
    zk_cs *cs = s->cs;
    unsigned A = s->A;
    const zk_batch_op *op = s->w ? &s->w->ops[u] : NULL;
    uint64_t eq[ZK_V1_ASSET_COUNT], dt[ZK_V1_ASSET_COUNT];
    memset(eq, 0, A * sizeof *eq);
    memset(dt, 0, A * sizeof *dt);
    if (op) {
        const zk_asset *a = s->w->asset_list + op->first_asset;
        for (uint32_t k = 0; k < op->n_assets; k++) {
            eq[a[k].index] = a[k].equity;
            dt[a[k].index] = a[k].debt;
        }
    }
    zk_lc t, te, td, leaf_in[4], root, price;
    zk_lc_init(&t);
    zk_lc_init(&te);
    zk_lc_init(&td);
    zk_lc_init(&root);
    zk_lc_init(&price);
    for (int i = 0; i < 4; i++) zk_lc_init(&leaf_in[i]);
    zk_var bits[ZK_TREE_DEPTH], sib[ZK_TREE_DEPTH];

    zk_cs_push(cs, "user");
    zk_var before = alloc_fr(s, op ? &op->before_root : NULL);
    zk_var after = alloc_fr(s, op ? &op->after_root : NULL);

    zk_cs_push(cs, "chain");
    eq_vars(s, prev_root, before);
    zk_cs_pop(cs);

    zk_cs_push(cs, "index");
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) bits[k] = new_bit(s, op ? (int)((op->account_index >> k) & 1) : 0);
    zk_cs_pop(cs);

    zk_cs_push(cs, "siblings");
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) sib[k] = alloc_fr(s, op ? &op->siblings[k] : NULL);
    zk_cs_pop(cs);

    zk_cs_push(cs, "empty_path"); /* the index was empty in op.before */
    zk_lc_set_const(cs, &t, &s->empty_leaf);
    zk_g_merkle_root(cs, &root, &t, sib, bits, ZK_TREE_DEPTH);
    eq_var(s, &root, before);
    zk_cs_pop(cs);

    zk_cs_push(cs, "amounts"); /* < 2^64 each: the amounts are their bits */
    zk_var *fb = s->first_bit + (size_t)u * 2 * A;
    for (unsigned j = 0; j < 2 * A; j++) {
        uint64_t v = (j & 1) ? dt[j / 2] : eq[j / 2];
        for (unsigned i = 0; i < AMOUNT_BITS; i++) {
            zk_var b = new_bit(s, (int)((v >> i) & 1));
            if (i == 0) fb[j] = b;
            else if (b != fb[j] + i) s->not_consecutive = 1; /* cannot happen: the builder counts up */
        }
        lc_from_bits(s, &s->amt[j], fb[j], AMOUNT_BITS);
    }
    zk_cs_pop(cs);

    zk_cs_push(cs, "balance"); /* TE, TD: field sums of amount x price */
    for (unsigned j = 0; j < A; j++) {
        zk_lc_set_var(cs, &price, s->cex[3 * j + 2]);
        zk_lc_add_var(cs, &te, NULL, zk_cs_mul_new(cs, &s->amt[2 * j], &price));
        zk_lc_add_var(cs, &td, NULL, zk_cs_mul_new(cs, &s->amt[2 * j + 1], &price));
    }
    zk_cs_pop(cs);

    zk_cs_push(cs, "td_le_te");
    zk_g_assert_le(cs, &td, &te);
    zk_cs_pop(cs);

    zk_cs_push(cs, "asset_commitment"); /* F = (e0, d0, e1, d1, ..., 0, 0) by three */
    unsigned ne = (2 * A + 2) / 3;
    for (unsigned k = 0; k < ne; k++) {
        const zk_lc *f[3];
        for (unsigned i = 0; i < 3; i++) f[i] = 3 * k + i < 2 * A ? &s->amt[3 * k + i] : NULL;
        pack3_lc(s, &s->el[k], f[0], f[1], f[2]);
    }
    zk_g_poseidon_hash(cs, &leaf_in[3], s->el, ne, ZK_POSEIDON_CHUNK_V1);
    zk_cs_pop(cs);

    zk_cs_push(cs, "leaf");
    zk_lc_set_var(cs, &leaf_in[0], alloc_fr(s, op ? &op->id : NULL)); /* AccountIdHash: unconstrained */
    zk_lc_copy(cs, &leaf_in[1], &te);
    zk_lc_copy(cs, &leaf_in[2], &td);
    zk_g_poseidon_hash(cs, &t, leaf_in, 4, ZK_POSEIDON_CHUNK_V1);
    zk_cs_pop(cs);

    zk_cs_push(cs, "after_path");
    zk_g_merkle_root(cs, &root, &t, sib, bits, ZK_TREE_DEPTH);
    eq_var(s, &root, after);
    zk_cs_pop(cs);

    zk_cs_pop(cs); /* user */
    zk_lc_free(&t);
    zk_lc_free(&te);
    zk_lc_free(&td);
    zk_lc_free(&root);
    zk_lc_free(&price);
    for (int i = 0; i < 4; i++) zk_lc_free(&leaf_in[i]);
    return after;
}

/* 5. Running totals < 2^64 and the after commitment. */
static void cex_after(synth *s, zk_var after_cex) {
    zk_cs *cs = s->cs;
    unsigned A = s->A, B = s->B;
    zk_lc total, sum, side[2], price, out;
    zk_lc_init(&total);
    zk_lc_init(&sum);
    zk_lc_init(&side[0]);
    zk_lc_init(&side[1]);
    zk_lc_init(&price);
    zk_lc_init(&out);
    zk_var tb[AMOUNT_BITS];
    zk_cs_push(cs, "cex_after");
    for (unsigned j = 0; j < A; j++) {
        for (unsigned d = 0; d < 2; d++) {
            zk_lc_set_var(cs, &total, s->cex[3 * j + d]);
            for (unsigned i = 0; i < AMOUNT_BITS; i++) {
                zk_lc_clear(&sum);
                for (unsigned u = 0; u < B; u++)
                    zk_lc_add_var(cs, &sum, NULL, s->first_bit[((size_t)u * 2 * A) + 2 * j + d] + i);
                zk_lc_add(cs, &total, &s->pow2[i], &sum);
            }
            zk_g_to_bits(cs, tb, &total, AMOUNT_BITS);
            zk_lc_clear(&side[d]);
            for (unsigned i = 0; i < AMOUNT_BITS; i++) zk_lc_add_var(cs, &side[d], &s->pow2[i], tb[i]);
        }
        zk_lc_set_var(cs, &price, s->cex[3 * j + 2]);
        pack3_lc(s, &s->el[j], &side[0], &side[1], &price);
    }
    zk_g_poseidon_hash(cs, &out, s->el, A, ZK_POSEIDON_CHUNK_V1);
    eq_var(s, &out, after_cex);
    zk_cs_pop(cs);
    zk_lc_free(&total);
    zk_lc_free(&sum);
    zk_lc_free(&side[0]);
    zk_lc_free(&side[1]);
    zk_lc_free(&price);
    zk_lc_free(&out);
}

static zk_err synthesize(zk_cs *cs, const zk_batch_witness *w, unsigned B, unsigned A) {
    if (B < 1 || B > (1u << ZK_TREE_DEPTH) || A < 1 || A > ZK_V1_ASSET_COUNT) return ZK_ERR_ARG;
    synth s;
    memset(&s, 0, sizeof s);
    s.cs = cs;
    s.w = zk_cs_has_values(cs) ? w : NULL;
    s.B = B;
    s.A = A;
    fr_one(&s.pow2[0]);
    for (unsigned i = 1; i < AMOUNT_BITS; i++) fr_dbl(&s.pow2[i], &s.pow2[i - 1]);
    fr_dbl(&s.s64, &s.pow2[AMOUNT_BITS - 1]);
    fr_sqr(&s.s128, &s.s64);
    fr_t empty[ZK_TREE_DEPTH + 1];
    zk_err e = zk_empty_hashes(empty, A);
    if (e != ZK_OK) return e;
    s.empty_leaf = empty[0];
    unsigned nel = A > (2 * A + 2) / 3 ? A : (2 * A + 2) / 3;
    s.first_bit = malloc((size_t)B * 2 * A * sizeof *s.first_bit);
    s.cex = malloc(3 * (size_t)A * sizeof *s.cex);
    s.amt = malloc(2 * (size_t)A * sizeof *s.amt);
    s.el = malloc(nel * sizeof *s.el);
    if (!s.first_bit || !s.cex || !s.amt || !s.el) {
        e = ZK_ERR_NOMEM;
        goto done;
    }
    for (unsigned j = 0; j < 2 * A; j++) zk_lc_init(&s.amt[j]);
    for (unsigned k = 0; k < nel; k++) zk_lc_init(&s.el[k]);

    zk_var top[4];
    batch_commitment(&s, top);
    cex_before(&s, top[2]);
    zk_var prev = top[0];
    for (unsigned u = 0; u < B && zk_cs_status(cs) == ZK_OK; u++) prev = user_op(&s, u, prev);
    zk_cs_push(cs, "chain");
    eq_vars(&s, prev, top[1]);
    zk_cs_pop(cs);
    cex_after(&s, top[3]);
    e = zk_cs_status(cs);
    if (e == ZK_OK && s.not_consecutive) e = ZK_ERR_ARG;
    for (unsigned j = 0; j < 2 * A; j++) zk_lc_free(&s.amt[j]);
    for (unsigned k = 0; k < nel; k++) zk_lc_free(&s.el[k]);
done:
    free(s.first_bit);
    free(s.cex);
    free(s.amt);
    free(s.el);
    return e;
}

zk_err zk_batch_circuit(zk_cs *cs, const zk_batch_witness *w) {
    if (!w || w->users < 1 || w->users > (1u << ZK_TREE_DEPTH) || w->assets < 1 || w->assets > ZK_V1_ASSET_COUNT)
        return ZK_ERR_ARG;
    for (uint32_t i = 0; i < w->users; i++) {
        const zk_batch_op *op = &w->ops[i];
        if (op->account_index >> ZK_TREE_DEPTH || op->n_assets > w->assets || op->first_asset > w->n_asset_entries ||
            op->n_assets > w->n_asset_entries - op->first_asset)
            return ZK_ERR_ARG;
        const zk_asset *a = w->asset_list + op->first_asset;
        for (uint32_t k = 0; k < op->n_assets; k++)
            if (a[k].index >= w->assets || (k && a[k].index <= a[k - 1].index)) return ZK_ERR_ARG;
    }
    return synthesize(cs, w, w->users, w->assets);
}

zk_err zk_batch_circuit_shape(zk_cs *cs, unsigned users, unsigned assets) {
    if (zk_cs_has_values(cs)) return ZK_ERR_ARG;
    return synthesize(cs, NULL, users, assets);
}
