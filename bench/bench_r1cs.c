/* r1cs benchmark (one thread): the per-user part of the v1 batch statement
 * (spec §7 item 4) built with the gadgets, to size the batch circuit:
 * 700 64-bit range checks, the two price-weighted totals (700 products),
 * TotalDebt <= TotalEquity (full width), the 234-element asset commitment
 * (chunk 16), the leaf hash, the 28-bit index and the two depth-28 Merkle
 * paths (before: constant empty leaf; after: the leaf). Prices are shared
 * inputs; CEX running totals are omitted (linear, no constraints).
 * Prints per-user constraints/variables/terms, the per-label counts, and
 * per-user CPU time in COUNT, PROVE, CHECK and SETUP (streaming sink, so the
 * matrices are not kept) modes. Arguments: [users] (default 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff/ff.h"
#include "hash/hash.h"
#include "r1cs/r1cs.h"

#define ASSETS 350

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng = 0x1234567;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct {
    fr_t price[ASSETS], eq[ASSETS], debt[ASSETS], sib[28], id, index;
} user;

static void build_user(zk_cs *cs, const user *u, const zk_var *price, const fr_t *empty_leaf) {
    zk_lc tmp, te, td, packs[234], leaf_in[4], leaf, root, idx, empty;
    zk_var e[ASSETS + 1], d[ASSETS + 1];
    zk_lc_init(&tmp);
    zk_lc_init(&te);
    zk_lc_init(&td);
    zk_lc_init(&leaf);
    zk_lc_init(&root);
    zk_lc_init(&idx);
    zk_lc_init(&empty);
    zk_cs_push(cs, "user");
    zk_cs_push(cs, "assets");
    for (int j = 0; j < ASSETS; j++) {
        e[j] = zk_cs_private(cs, &u->eq[j]);
        d[j] = zk_cs_private(cs, &u->debt[j]);
        zk_lc_set_var(cs, &tmp, e[j]);
        zk_g_range(cs, &tmp, 64);
        zk_lc pr;
        zk_lc_init(&pr);
        zk_lc_set_var(cs, &pr, price[j]);
        zk_lc_add_var(cs, &te, NULL, zk_cs_mul_new(cs, &tmp, &pr));
        zk_lc_set_var(cs, &tmp, d[j]);
        zk_g_range(cs, &tmp, 64);
        zk_lc_add_var(cs, &td, NULL, zk_cs_mul_new(cs, &tmp, &pr));
        zk_lc_free(&pr);
    }
    zk_cs_pop(cs);
    zk_g_assert_le(cs, &td, &te);
    /* commitment: pack3 of (e0, d0, e1, d1, ...) + two zeros */
    fr_t s64, s128;
    fr_set_u64(&s64, 1);
    for (int i = 0; i < 64; i++) fr_dbl(&s64, &s64);
    fr_sqr(&s128, &s64);
    for (int k = 0; k < 234; k++) {
        zk_lc_init(&packs[k]);
        for (int i = 0; i < 3; i++) {
            int f = 3 * k + i;
            if (f >= 2 * ASSETS) continue;
            zk_var v = f % 2 ? d[f / 2] : e[f / 2];
            zk_lc_add_var(cs, &packs[k], i == 0 ? &s128 : i == 1 ? &s64 : NULL, v);
        }
    }
    for (int i = 0; i < 4; i++) zk_lc_init(&leaf_in[i]);
    zk_lc_set_var(cs, &leaf_in[0], zk_cs_private(cs, &u->id));
    zk_lc_copy(cs, &leaf_in[1], &te);
    zk_lc_copy(cs, &leaf_in[2], &td);
    zk_g_poseidon_hash(cs, &leaf_in[3], packs, 234, ZK_POSEIDON_CHUNK_V1);
    zk_g_poseidon_hash(cs, &leaf, leaf_in, 4, ZK_POSEIDON_CHUNK_V1);
    zk_var sib[28], bits[28];
    for (int k = 0; k < 28; k++) sib[k] = zk_cs_private(cs, &u->sib[k]);
    zk_lc_set_var(cs, &idx, zk_cs_private(cs, &u->index));
    zk_g_to_bits(cs, bits, &idx, 28);
    zk_lc_set_const(cs, &empty, empty_leaf);
    zk_g_merkle_root(cs, &root, &empty, sib, bits, 28);
    zk_g_merkle_root(cs, &root, &leaf, sib, bits, 28);
    zk_cs_pop(cs);
    for (int k = 0; k < 234; k++) zk_lc_free(&packs[k]);
    for (int i = 0; i < 4; i++) zk_lc_free(&leaf_in[i]);
    zk_lc_free(&tmp);
    zk_lc_free(&te);
    zk_lc_free(&td);
    zk_lc_free(&leaf);
    zk_lc_free(&root);
    zk_lc_free(&idx);
    zk_lc_free(&empty);
}

static uint64_t sink_terms;
static void sink(void *ctx, uint64_t index, const zk_cs_term *const rows[3], const uint32_t lens[3],
                 const fr_t *coeffs) {
    (void)ctx, (void)index, (void)rows, (void)coeffs;
    sink_terms += (uint64_t)lens[0] + lens[1] + lens[2];
}

static double walk(zk_cs_mode mode, const user *us, int n, uint64_t *ncons, uint64_t *nvars, zk_cs **keep) {
    double t0 = cpu_now();
    zk_cs *cs = zk_cs_new(mode);
    if (!cs) exit(1);
    if (mode == ZK_CS_SETUP) zk_cs_set_row_sink(cs, sink, NULL);
    fr_t empty_leaf;
    fr_set_u64(&empty_leaf, 7);
    zk_var price[ASSETS];
    for (int j = 0; j < ASSETS; j++) price[j] = zk_cs_private(cs, &us[0].price[j]);
    for (int i = 0; i < n; i++) build_user(cs, &us[i], price, &empty_leaf);
    double dt = cpu_now() - t0;
    if (zk_cs_status(cs) != ZK_OK) {
        fprintf(stderr, "builder error %s\n", zk_strerror(zk_cs_status(cs)));
        exit(1);
    }
    *ncons = zk_cs_nconstraints(cs);
    *nvars = zk_cs_nvars(cs);
    if (keep) *keep = cs;
    else zk_cs_free(cs);
    return dt;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2;
    if (n < 1) n = 1;
    user *us = calloc((size_t)n, sizeof *us);
    if (!us) return 1;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < ASSETS; j++) {
            fr_set_u64(&us[i].price[j], rnd() >> 30);
            fr_set_u64(&us[i].eq[j], rnd() >> 20);
            fr_set_u64(&us[i].debt[j], rnd() >> 24);
        }
        for (int k = 0; k < 28; k++) fr_set_u64(&us[i].sib[k], rnd());
        fr_set_u64(&us[i].id, rnd());
        fr_set_u64(&us[i].index, rnd() & ((1u << 28) - 1));
    }
    uint64_t nc, nv;
    zk_cs *cs;
    double t = walk(ZK_CS_COUNT, us, n, &nc, &nv, &cs);
    uint64_t pc = (nc - 0) / (uint64_t)n, pv = (nv - 1 - ASSETS) / (uint64_t)n;
    printf("r1cs per user: %llu constraints, %llu variables (threads 1)\n", (unsigned long long)pc,
           (unsigned long long)pv);
    for (size_t l = 0; l < zk_cs_nlabels(cs); l++) {
        zk_cs_label_stats st;
        zk_cs_label_get(cs, &st, l);
        printf("r1cs label %-10s %10.1f constraints/user %8.1f calls/user\n", st.name,
               (double)st.constraints / n, (double)st.calls / n);
    }
    zk_cs_free(cs);
    printf("r1cs COUNT  %8.3f ms/user (threads 1)\n", 1e3 * t / n);
    t = walk(ZK_CS_PROVE, us, n, &nc, &nv, NULL);
    printf("r1cs PROVE  %8.3f ms/user (threads 1), 864 users: %.1f s\n", 1e3 * t / n, 864 * t / n);
    t = walk(ZK_CS_CHECK, us, n, &nc, &nv, NULL);
    printf("r1cs CHECK  %8.3f ms/user (threads 1)\n", 1e3 * t / n);
    t = walk(ZK_CS_SETUP, us, n, &nc, &nv, NULL);
    printf("r1cs SETUP  %8.3f ms/user (threads 1, streamed), %.0f terms/user = %.1f MB/user as 8-byte terms\n",
           1e3 * t / n, (double)sink_terms / n, 8.0 * (double)sink_terms / n / 1e6);
    free(us);
    return 0;
}
