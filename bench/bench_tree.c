/* Account-tree benchmarks (Binance v1 layout): one line per measurement with
 * the thread count.
 *
 *   leaf_350_assets        leaf hashes per second on one core, every one of
 *                          the 350 assets non-zero (15 width-17 and one
 *                          width-11 permutation for the commitment + the leaf)
 *   leaf_350_assets_batched  the same through the tree build on one thread
 *                          (batch Poseidon: 8 leaves side by side with IFMA)
 *   tree_build             zk_tree_build for N synthetic accounts x 350
 *                          assets on the pool (leaves + 28 levels)
 *   userproof_format       user-proof JSON formatted per second into memory
 *                          (no disk), for 350-asset accounts and for typical
 *                          accounts with 8 assets (the sample files' mean)
 *
 * Design: the synthetic sheet is built in memory without CSV text; all
 * accounts share one 350-entry asset block (the layout allows it) so a
 * million accounts need ~100 MB, not 8 GB; ids and totals differ per account
 * so every leaf is distinct work.
 *
 * Usage: bench_tree [N] [--threads T]   (N default 1000; T default: all CPUs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solvency/solvency.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;
static uint64_t next64(void) {
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* n accounts with assets_per_account assets each, sharing one asset block */
static zk_sheet *synthetic(size_t n, unsigned assets_per_account) {
    zk_sheet *s = calloc(1, sizeof *s);
    s->accounts = calloc(n ? n : 1, sizeof *s->accounts);
    s->assets = calloc(ZK_V1_ASSET_COUNT, sizeof *s->assets);
    s->n_asset_entries = assets_per_account;
    unsigned step = ZK_V1_ASSET_COUNT / assets_per_account;
    for (unsigned k = 0; k < assets_per_account; k++) {
        s->assets[k].index = (uint16_t)(k * step);
        s->assets[k].equity = next64() >> 8;
        s->assets[k].debt = next64() >> 12;
    }
    s->n_accounts = n;
    for (size_t i = 0; i < n; i++) {
        zk_account *a = &s->accounts[i];
        for (int b = 0; b < 32; b++) a->id[b] = (uint8_t)next64();
        a->id[0] &= 0x1f; /* < r */
        a->equity.l[0] = next64();
        a->equity.l[1] = next64() >> 1;
        a->debt.l[0] = next64();
        a->debt.l[1] = a->equity.l[1] >> 1;
        a->first_asset = 0;
        a->n_assets = assets_per_account;
    }
    return s;
}

static double format_rate(const zk_sheet *s, const zk_tree *t, char *buf, size_t *bytes) {
    size_t done = 0, total = 0;
    double t0 = zk_now(), el;
    do {
        for (size_t i = 0; i < s->n_accounts; i++) {
            size_t len = zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, s, t, i);
            if (!len) {
                fprintf(stderr, "formatting failed\n");
                exit(1);
            }
            total += len;
        }
        done += s->n_accounts;
        el = zk_now() - t0;
    } while (el < 0.5);
    *bytes = total / done;
    return (double)done / el;
}

typedef struct {
    const zk_sheet *s;
    const zk_tree *t;
    char *bufs;
    size_t per_task;
    volatile size_t sink;
} fmt_ctx;

static void fmt_task(void *p, size_t task) {
    fmt_ctx *c = p;
    char *buf = c->bufs + task * ZK_USERPROOF_V1_MAX;
    size_t lo = task * c->per_task, hi = lo + c->per_task, total = 0;
    if (hi > c->s->n_accounts) hi = c->s->n_accounts;
    for (size_t i = lo; i < hi; i++) total += zk_userproof_v1_account(buf, ZK_USERPROOF_V1_MAX, c->s, c->t, i);
    c->sink += total;
}

/* the same on the pool: tasks of 256 accounts, one buffer per task */
static double format_rate_pool(const zk_sheet *s, const zk_tree *t, zk_pool *pool) {
    fmt_ctx c = {s, t, NULL, 256, 0};
    size_t tasks = (s->n_accounts + c.per_task - 1) / c.per_task;
    c.bufs = malloc(tasks * ZK_USERPROOF_V1_MAX);
    size_t done = 0;
    double t0 = zk_now(), el;
    do {
        zk_pool_run(pool, tasks, fmt_task, &c);
        done += s->n_accounts;
        el = zk_now() - t0;
    } while (el < 0.5);
    free(c.bufs);
    return (double)done / el;
}

int main(int argc, char **argv) {
    size_t n = 1000;
    int threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (argv[i][0] >= '0' && argv[i][0] <= '9') n = (size_t)strtoull(argv[i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_tree [N] [--threads T]\n");
            return 2;
        }
    }
    if (n < 1 || n > (1u << 28)) {
        fprintf(stderr, "N must be in [1, 2^28]\n");
        return 2;
    }

    /* 1. leaf hashes on one core, 350 non-zero assets */
    zk_sheet *one = synthetic(64, ZK_V1_ASSET_COUNT);
    size_t leaves = 0;
    double t0 = zk_now(), el;
    do {
        fr_t leaf;
        if (zk_v1_account_leaf(&leaf, one, leaves % one->n_accounts) != ZK_OK) return 1;
        leaves++;
        el = zk_now() - t0;
    } while (el < 1.0 || leaves < 16);
    printf("leaf_350_assets %.1f leaves/s (%.3f ms/leaf) threads=1 (scalar, zk_v1_account_leaf)\n", leaves / el,
           1e3 * el / leaves);
    zk_sheet_free(one);

    /* 1b. the same leaves as the tree build hashes them (batch Poseidon,
     * 8 side by side with IFMA): a one-thread tree of 512 accounts; the 511
     * pair hashes add well under 1% */
    {
        zk_pool *p1 = zk_pool_new(1);
        zk_sheet *b = synthetic(512, ZK_V1_ASSET_COUNT);
        zk_tree *bt = NULL;
        size_t built = 0;
        t0 = zk_now();
        do {
            if (zk_tree_build(&bt, b, p1) != ZK_OK) return 1;
            zk_tree_free(bt);
            built += b->n_accounts;
            el = zk_now() - t0;
        } while (el < 1.0);
        printf("leaf_350_assets_batched %.1f leaves/s (%.3f ms/leaf) threads=1 (tree build)\n", built / el,
               1e3 * el / built);
        zk_sheet_free(b);
        zk_pool_free(p1);
    }

    /* 2. tree build, N accounts x 350 assets */
    zk_pool *pool = zk_pool_new(threads);
    int nt = zk_pool_threads(pool);
    zk_sheet *s = synthetic(n, ZK_V1_ASSET_COUNT);
    zk_tree *t = NULL;
    t0 = zk_now();
    if (zk_tree_build(&t, s, pool) != ZK_OK) return 1;
    el = zk_now() - t0;
    printf("tree_build N=%zu assets=350 %.3f s (%.1f accounts/s) threads=%d\n", n, el, n / el, nt);

    /* 3. user proofs formatted per second, no disk */
    char *buf = malloc(ZK_USERPROOF_V1_MAX);
    size_t bytes;
    double r = format_rate(s, t, buf, &bytes);
    printf("userproof_format assets=350 %.0f proofs/s (%zu bytes each) threads=1\n", r, bytes);
    zk_sheet *typical = synthetic(n, 8);
    r = format_rate(typical, t, buf, &bytes);
    printf("userproof_format assets=8 %.0f proofs/s (%zu bytes each) threads=1\n", r, bytes);
    r = format_rate_pool(typical, t, pool);
    printf("userproof_format assets=8 %.0f proofs/s threads=%d\n", r, nt);

    free(buf);
    zk_sheet_free(typical);
    zk_tree_free(t);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return 0;
}
