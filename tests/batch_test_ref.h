/* Naive reference for batch witnesses, shared by the batch and circuit tests.
 *
 * Independent of src/solvency/batch.c: the tree is a plain list of
 * (index, leaf) pairs whose nodes are recomputed recursively (empty subtrees
 * from their own E[k] chain), leaves and commitments are packed with field
 * arithmetic and hashed with poseidon_hash directly, and the CEX totals are
 * field elements, so a witness can be built for inputs the library refuses
 * (a reused index, debt above equity, a total >= 2^64). Only the hash layer
 * (checked against vectors in test_poseidon) is shared. */
#ifndef ZKPOS_BATCH_TEST_REF_H
#define ZKPOS_BATCH_TEST_REF_H

#include <stdlib.h>
#include <string.h>

#include "hash/hash.h"
#include "solvency/solvency.h"

typedef struct {
    uint32_t index;
    fr_t leaf;
} ref_leaf;

typedef struct {
    ref_leaf *l;
    size_t n, cap;
    unsigned A;
    fr_t empty[ZK_TREE_DEPTH + 1];
} ref_tree;

static fr_t ref_h2(const fr_t *a, const fr_t *b) {
    fr_t in[2] = {*a, *b}, out;
    if (poseidon_hash(&out, in, 2, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    return out;
}

/* x = a 2^128 + b 2^64 + c in the field */
static fr_t ref_pack3(const fr_t *a, const fr_t *b, const fr_t *c) {
    fr_t s64, s128, x, t;
    fr_set_u64(&s64, 1ULL << 32);
    fr_sqr(&s64, &s64);
    fr_sqr(&s128, &s64);
    fr_mul(&x, a, &s128);
    fr_mul(&t, b, &s64);
    fr_add(&x, &x, &t);
    fr_add(&x, &x, c);
    return x;
}

static fr_t ref_u64(uint64_t v) {
    fr_t x;
    fr_set_u64(&x, v);
    return x;
}

/* Commitment of the 2A amounts (dense arrays). */
static fr_t ref_commit(const uint64_t *eq, const uint64_t *dt, unsigned A) {
    size_t nv = 2 * (size_t)A, ne = (nv + 2) / 3;
    fr_t *flat = calloc(3 * ne, sizeof *flat), *el = calloc(ne, sizeof *el), out;
    for (unsigned j = 0; j < A; j++) {
        flat[2 * j] = ref_u64(eq[j]);
        flat[2 * j + 1] = ref_u64(dt[j]);
    }
    for (size_t k = 0; k < ne; k++) el[k] = ref_pack3(&flat[3 * k], &flat[3 * k + 1], &flat[3 * k + 2]);
    if (poseidon_hash(&out, el, ne, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    free(flat);
    free(el);
    return out;
}

/* Leaf = Poseidon(id, sum e p, sum d p, commitment), totals in the field. */
static fr_t ref_leaf_of(const fr_t *id, const uint64_t *eq, const uint64_t *dt, const uint64_t *price, unsigned A) {
    fr_t in[4], t, p;
    in[0] = *id;
    fr_zero(&in[1]);
    fr_zero(&in[2]);
    for (unsigned j = 0; j < A; j++) {
        p = ref_u64(price[j]);
        t = ref_u64(eq[j]);
        fr_mul(&t, &t, &p);
        fr_add(&in[1], &in[1], &t);
        t = ref_u64(dt[j]);
        fr_mul(&t, &t, &p);
        fr_add(&in[2], &in[2], &t);
    }
    in[3] = ref_commit(eq, dt, A);
    fr_t out;
    if (poseidon_hash(&out, in, 4, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    return out;
}

static void ref_tree_init(ref_tree *t, unsigned A) {
    memset(t, 0, sizeof *t);
    t->A = A;
    uint64_t *z = calloc(A, sizeof *z);
    fr_t zero;
    fr_zero(&zero);
    t->empty[0] = ref_leaf_of(&zero, z, z, z, A);
    free(z);
    for (unsigned k = 1; k <= ZK_TREE_DEPTH; k++) t->empty[k] = ref_h2(&t->empty[k - 1], &t->empty[k - 1]);
}

static void ref_tree_free(ref_tree *t) { free(t->l); }

static void ref_set(ref_tree *t, uint32_t index, const fr_t *leaf) {
    for (size_t i = 0; i < t->n; i++)
        if (t->l[i].index == index) {
            t->l[i].leaf = *leaf;
            return;
        }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->l = realloc(t->l, t->cap * sizeof *t->l);
    }
    t->l[t->n].index = index;
    t->l[t->n].leaf = *leaf;
    t->n++;
}

static fr_t ref_node(const ref_tree *t, unsigned level, uint64_t pos) {
    const ref_leaf *hit = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (((uint64_t)t->l[i].index >> level) == pos) hit = &t->l[i];
    if (!hit) return t->empty[level];
    if (level == 0) return hit->leaf;
    fr_t a = ref_node(t, level - 1, 2 * pos), b = ref_node(t, level - 1, 2 * pos + 1);
    return ref_h2(&a, &b);
}

typedef struct {
    uint32_t index;
    fr_t id;
    const zk_asset *assets;
    size_t n;
} ref_op;

/* Builds the witness of ops (B of them) on tree t with before-entries cex
 * (u64; prices included). total_e / total_d (A field elements each) carry
 * the running totals in and out. */
static zk_batch_witness *ref_batch(ref_tree *t, uint64_t number, const ref_op *ops, unsigned B, unsigned A,
                                   const zk_cex_entry *cex, fr_t *total_e, fr_t *total_d) {
    size_t na = 0;
    for (unsigned i = 0; i < B; i++) na += ops[i].n;
    zk_batch_witness *w;
    if (zk_batch_witness_new(&w, B, A, na) != ZK_OK) abort();
    w->number = number;
    memcpy(w->cex, cex, A * sizeof *cex);
    uint64_t *price = calloc(A, sizeof *price), *eq = calloc(A, sizeof *eq), *dt = calloc(A, sizeof *dt);
    fr_t *el = calloc(A, sizeof *el);
    for (unsigned j = 0; j < A; j++) {
        price[j] = cex[j].price;
        fr_t e = ref_u64(cex[j].equity), d = ref_u64(cex[j].debt), p = ref_u64(cex[j].price);
        el[j] = ref_pack3(&e, &d, &p);
    }
    if (poseidon_hash(&w->before_cex, el, A, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    w->before_root = ref_node(t, ZK_TREE_DEPTH, 0);
    size_t pos = 0;
    for (unsigned i = 0; i < B; i++) {
        zk_batch_op *op = &w->ops[i];
        op->account_index = ops[i].index;
        op->id = ops[i].id;
        op->first_asset = pos;
        op->n_assets = (uint32_t)ops[i].n;
        memset(eq, 0, A * sizeof *eq);
        memset(dt, 0, A * sizeof *dt);
        for (size_t k = 0; k < ops[i].n; k++) {
            const zk_asset *a = &ops[i].assets[k];
            w->asset_list[pos++] = *a;
            eq[a->index] = a->equity;
            dt[a->index] = a->debt;
            fr_t x = ref_u64(a->equity);
            fr_add(&total_e[a->index], &total_e[a->index], &x);
            x = ref_u64(a->debt);
            fr_add(&total_d[a->index], &total_d[a->index], &x);
        }
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) op->siblings[k] = ref_node(t, k, ((uint64_t)ops[i].index >> k) ^ 1);
        op->before_root = ref_node(t, ZK_TREE_DEPTH, 0);
        fr_t leaf = ref_leaf_of(&ops[i].id, eq, dt, price, A);
        ref_set(t, ops[i].index, &leaf);
        op->after_root = ref_node(t, ZK_TREE_DEPTH, 0);
    }
    w->after_root = ref_node(t, ZK_TREE_DEPTH, 0);
    for (unsigned j = 0; j < A; j++) {
        fr_t p = ref_u64(cex[j].price);
        el[j] = ref_pack3(&total_e[j], &total_d[j], &p);
    }
    if (poseidon_hash(&w->after_cex, el, A, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    fr_t in[4] = {w->before_root, w->after_root, w->before_cex, w->after_cex};
    if (poseidon_hash(&w->commitment, in, 4, ZK_POSEIDON_CHUNK_V1) != ZK_OK) abort();
    free(price);
    free(eq);
    free(dt);
    free(el);
    return w;
}

/* Field-by-field equality of two witnesses; prints the first difference. */
static int witness_eq(const zk_batch_witness *a, const zk_batch_witness *b, const char *what) {
#define WDIFF(cond, ...)                                                                                     \
    do {                                                                                                   \
        if (cond) {                                                                                        \
            fprintf(stderr, "%s: ", what);                                                                 \
            fprintf(stderr, __VA_ARGS__);                                                                  \
            fprintf(stderr, "\n");                                                                         \
            return 0;                                                                                      \
        }                                                                                                  \
    } while (0)
    WDIFF(a->number != b->number || a->users != b->users || a->assets != b->assets, "number/shape differ");
    WDIFF(!fr_eq(&a->before_root, &b->before_root), "before root");
    WDIFF(!fr_eq(&a->after_root, &b->after_root), "after root");
    WDIFF(!fr_eq(&a->before_cex, &b->before_cex), "before CEX");
    WDIFF(!fr_eq(&a->after_cex, &b->after_cex), "after CEX");
    WDIFF(!fr_eq(&a->commitment, &b->commitment), "commitment");
    for (unsigned j = 0; j < a->assets; j++)
        WDIFF(a->cex[j].equity != b->cex[j].equity || a->cex[j].debt != b->cex[j].debt ||
                  a->cex[j].price != b->cex[j].price,
              "cex entry %u", j);
    for (unsigned i = 0; i < a->users; i++) {
        const zk_batch_op *x = &a->ops[i], *y = &b->ops[i];
        WDIFF(x->account_index != y->account_index, "op %u index %u vs %u", i, x->account_index, y->account_index);
        WDIFF(!fr_eq(&x->id, &y->id), "op %u id", i);
        WDIFF(!fr_eq(&x->before_root, &y->before_root), "op %u before root", i);
        WDIFF(!fr_eq(&x->after_root, &y->after_root), "op %u after root", i);
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) WDIFF(!fr_eq(&x->siblings[k], &y->siblings[k]), "op %u sibling %u", i, k);
        WDIFF(x->n_assets != y->n_assets, "op %u asset count", i);
        for (unsigned k = 0; k < x->n_assets; k++) {
            const zk_asset *p = &a->asset_list[x->first_asset + k], *q = &b->asset_list[y->first_asset + k];
            WDIFF(p->index != q->index || p->equity != q->equity || p->debt != q->debt, "op %u asset %u", i, k);
        }
    }
#undef WDIFF
    return 1;
}

/* A synthetic v1 balance sheet: n rows, N assets (symbols a0..), random
 * amounts (some zero), every 4th row with a debt. */
static char *ref_random_csv(unsigned n, unsigned N, uint64_t (*rnd)(void)) {
    size_t cap = 4096 + (size_t)n * (80 + 60 * N);
    char *s = malloc(cap);
    size_t len = 0;
    len += (size_t)snprintf(s + len, cap - len, "rn,id");
    for (unsigned j = 0; j < N; j++) len += (size_t)snprintf(s + len, cap - len, ",e_a%u,d_a%u,a%u", j, j, j);
    for (unsigned j = 0; j < N; j++) len += (size_t)snprintf(s + len, cap - len, ",a%u_usdt_price", j);
    len += (size_t)snprintf(s + len, cap - len, ",total_net_balance_usdt\n");
    for (unsigned r = 0; r < n; r++) {
        len += (size_t)snprintf(s + len, cap - len, "%u,", r);
        for (int k = 0; k < 4; k++) len += (size_t)snprintf(s + len, cap - len, "%016llx", (unsigned long long)rnd());
        for (unsigned j = 0; j < N; j++) {
            uint64_t x = rnd();
            unsigned long long e = (x & 3) ? (x >> 8) % 100000000000ULL : 0;
            unsigned long long d = (r % 4 == 3 && j == 0) ? e / 3 : 0;
            len += (size_t)snprintf(s + len, cap - len, ",%llu.%08llu,%llu.%08llu,0", e / 100000000ULL,
                                    e % 100000000ULL, d / 100000000ULL, d % 100000000ULL);
        }
        for (unsigned j = 0; j < N; j++) len += (size_t)snprintf(s + len, cap - len, ",%u.5", 1 + j * 1000);
        len += (size_t)snprintf(s + len, cap - len, ",0.0\n");
    }
    return s;
}

/* The sheet's accounts as reference ops, padded with empty accounts. */
static void ref_ops_of_sheet(ref_op *ops, const zk_sheet *s, uint64_t first, unsigned B) {
    for (unsigned i = 0; i < B; i++) {
        uint64_t idx = first + i;
        memset(&ops[i], 0, sizeof ops[i]);
        ops[i].index = (uint32_t)idx;
        if (idx < s->n_accounts) {
            const zk_account *a = &s->accounts[idx];
            if (fr_from_bytes_be(&ops[i].id, a->id) != ZK_OK) abort();
            ops[i].assets = s->assets + a->first_asset;
            ops[i].n = a->n_assets;
        }
    }
}

#endif
