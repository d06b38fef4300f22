/* The depth-28 account tree, stored densely, and its file format.
 *
 * Design: v1 assigns indices 0..n-1 without gaps, so instead of a sparse
 * Merkle tree every level is a flat array of the populated prefix (level k
 * has ceil(n / 2^k) nodes) and everything to the right is the empty-subtree
 * hash E[k]. That is about 2n hashes of 32 bytes, built level by level with
 * the thread pool (leaves dominate: ~16 permutations each). Nodes are kept
 * as canonical big-endian bytes, which is what proofs print and what the
 * file holds, so a saved tree is used by mapping the file (no parsing, no
 * rebuild); a build and an opened file are the same object.
 * Leaves and pairs are hashed through the batch Poseidon of hash.h (eight
 * side by side with AVX-512 IFMA, the scalar loop otherwise): tasks cover
 * whole groups of 8, and every result equals the scalar hash (tested).
 * The asset table size A is a parameter (leaves commit to A entries, the
 * empty subtrees follow): A = 350 is Binance v1 and takes the batched leaf
 * path; other A (pipeline runs with --assets A, small in practice) hash
 * leaves one by one, so their root equals the batch circuit's final root.
 *
 * File layout (little-endian integers):
 *   0  "ZKPOSTRE"          8  u32 format version (1)   12 u32 leaf kind (1 = Binance v1,
 *                                                          2 = v1 leaves over an A-entry table)
 *   16 u32 depth (28)      20 u32 header size (128)    24 u64 leaves
 *   32 u64 data bytes      40 u64 input digest         48 u64 data checksum
 *   56 root (32 bytes)     88 u32 A (kind 2; 0 for kind 1), then zero
 *   120 u64 checksum of bytes 0..119
 *   128 data: level 0 nodes, level 1 nodes, ..., level 28 (the root when n > 0). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "solv_internal.h"

#define TREE_MAGIC "ZKPOSTRE"
#define TREE_VERSION 1
#define TREE_KIND_V1 1
#define TREE_KIND_SIZED 2
#define TREE_HEADER 128

struct zk_tree {
    uint64_t n;
    const uint8_t *data;             /* all levels, 32 bytes per node */
    uint64_t level_off[ZK_TREE_DEPTH + 1];
    uint64_t level_len[ZK_TREE_DEPTH + 1];
    uint8_t empty[ZK_TREE_DEPTH + 1][32];
    uint8_t root[32];
    uint64_t input_digest;
    unsigned assets;                 /* asset table entries A (350 = v1) */
    uint8_t *owned;                  /* malloc'd data of a build */
    void *map;                       /* mapping of an opened file */
    size_t map_len;
};

static uint64_t layout(zk_tree *t, uint64_t n) {
    uint64_t off = 0, len = n;
    for (unsigned k = 0; k <= ZK_TREE_DEPTH; k++) {
        t->level_off[k] = off;
        t->level_len[k] = len;
        off += len;
        len = (len + 1) / 2;
    }
    return off;
}

static zk_err hash2(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]) {
    fr_t in[2];
    zk_err e;
    if ((e = fr_from_bytes_be(&in[0], a)) != ZK_OK) return e;
    if ((e = fr_from_bytes_be(&in[1], b)) != ZK_OK) return e;
    if ((e = poseidon_hash(&in[0], in, 2, ZK_POSEIDON_CHUNK_V1)) != ZK_OK) return e;
    fr_to_bytes_be(out, &in[0]);
    return ZK_OK;
}

static zk_err compute_empty(zk_tree *t) {
    fr_t e[ZK_TREE_DEPTH + 1];
    zk_err err = zk_empty_hashes(e, t->assets);
    if (err != ZK_OK) return err;
    for (unsigned k = 0; k <= ZK_TREE_DEPTH; k++) fr_to_bytes_be(t->empty[k], &e[k]);
    return ZK_OK;
}

static const uint8_t *node(const zk_tree *t, unsigned level, uint64_t i) {
    if (i < t->level_len[level]) return t->data + 32 * (t->level_off[level] + i);
    return t->empty[level];
}

/* ---- building ---- */

/* Leaves and pairs go through the batch Poseidon (8 side by side with
 * IFMA): tasks are multiples of the 8-lane group; a level task hashes its
 * pairs in slices of NODE_SLICE to keep the conversion buffer small. */
#define LEAF_TASK 32
#define NODE_TASK 2048
#define NODE_SLICE 256

typedef struct {
    zk_tree *t;
    uint8_t *data;
    const zk_sheet *sheet;
    const uint8_t (*leaves)[32];
    size_t *order;                   /* accounts by first non-zero chunk */
    unsigned level;
    solv_v1_ctx v1;
    poseidon_batch *batch;
    atomic_int err;
} build_ctx;

static void leaf_task(void *p, size_t task) {
    build_ctx *c = p;
    uint64_t lo = (uint64_t)task * LEAF_TASK, hi = lo + LEAF_TASK;
    if (hi > c->t->n) hi = c->t->n;
    fr_t leaf[LEAF_TASK];
    zk_err e = solv_v1_account_leaves_batch(leaf, &c->v1, c->batch, c->sheet, c->order + lo, hi - lo);
    if (e != ZK_OK) {
        atomic_store(&c->err, (int)e);
        return;
    }
    for (uint64_t i = lo; i < hi; i++) fr_to_bytes_be(c->data + 32 * c->order[i], &leaf[i - lo]);
}

/* Leaves over an A-entry table, A != 350: one account at a time. */
static void leaf_task_sized(void *p, size_t task) {
    build_ctx *c = p;
    uint64_t lo = (uint64_t)task * LEAF_TASK, hi = lo + LEAF_TASK;
    if (hi > c->t->n) hi = c->t->n;
    for (uint64_t i = lo; i < hi; i++) {
        fr_t leaf;
        zk_err e = zk_account_leaf_sized(&leaf, c->sheet, i, c->t->assets);
        if (e != ZK_OK) {
            atomic_store(&c->err, (int)e);
            return;
        }
        fr_to_bytes_be(c->data + 32 * i, &leaf);
    }
}

/* Counting sort of the accounts by the chunk of their first non-zero
 * commitment element: a batch group then skips the zero prefix of all its
 * lanes (most of a realistic sheet starts in chunk 0, the rest spreads out). */
#define NCHUNK (ZK_V1_COMMIT_ELEMS / ZK_POSEIDON_CHUNK_V1 + 1)
static size_t *order_by_first_chunk(const zk_sheet *s) {
    size_t n = s->n_accounts, count[NCHUNK + 1] = {0};
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t k = solv_v1_first_chunk(s, i);
        count[(k < NCHUNK ? k : NCHUNK - 1) + 1]++;
    }
    for (size_t k = 1; k <= NCHUNK; k++) count[k] += count[k - 1];
    for (size_t i = 0; i < n; i++) {
        size_t k = solv_v1_first_chunk(s, i);
        order[count[k < NCHUNK ? k : NCHUNK - 1]++] = i;
    }
    return order;
}

static void level_task(void *p, size_t task) {
    build_ctx *c = p;
    zk_tree *t = c->t;
    unsigned k = c->level;
    uint64_t lo = (uint64_t)task * NODE_TASK, hi = lo + NODE_TASK;
    if (hi > t->level_len[k]) hi = t->level_len[k];
    fr_t buf[2 * NODE_SLICE];
    for (uint64_t s = lo; s < hi; s += NODE_SLICE) {
        uint64_t m = hi - s < NODE_SLICE ? hi - s : NODE_SLICE;
        zk_err e = ZK_OK;
        for (uint64_t i = 0; i < m && e == ZK_OK; i++) {
            e = fr_from_bytes_be(&buf[2 * i], node(t, k - 1, 2 * (s + i)));
            if (e == ZK_OK) e = fr_from_bytes_be(&buf[2 * i + 1], node(t, k - 1, 2 * (s + i) + 1));
        }
        if (e == ZK_OK) e = poseidon_hash_batch(c->batch, buf, buf, 2, (size_t)m, ZK_POSEIDON_CHUNK_V1, NULL);
        if (e != ZK_OK) {
            atomic_store(&c->err, (int)e);
            return;
        }
        for (uint64_t i = 0; i < m; i++) fr_to_bytes_be(c->data + 32 * (t->level_off[k] + s + i), &buf[i]);
    }
}

static zk_err build(zk_tree **out, const zk_sheet *s, const uint8_t (*leaves)[32], size_t n, unsigned assets,
                    zk_pool *pool) {
    *out = NULL;
    if ((uint64_t)n > (1ULL << ZK_TREE_DEPTH) || assets < 1 || assets > ZK_V1_ASSET_COUNT) return ZK_ERR_ARG;
    if (s && s->n_assets > assets) return ZK_ERR_ARG;
    int v1 = assets == ZK_V1_ASSET_COUNT;
    zk_tree *t = calloc(1, sizeof *t);
    if (!t) return ZK_ERR_NOMEM;
    t->n = n;
    t->assets = assets;
    uint64_t total = layout(t, n);
    t->owned = malloc(total ? 32 * total : 1);
    if (!t->owned) {
        free(t);
        return ZK_ERR_NOMEM;
    }
    t->data = t->owned;
    zk_err e = compute_empty(t);
    build_ctx *cp = calloc(1, sizeof *cp);
    if (!cp) e = ZK_ERR_NOMEM;
    build_ctx dummy;
    build_ctx *c = cp ? cp : &dummy;
    c->t = t;
    c->batch = NULL;
    c->order = NULL;
    c->data = t->owned;
    c->sheet = s;
    c->leaves = leaves;
    atomic_init(&c->err, 0);
    if (e == ZK_OK && s && v1) e = solv_v1_ctx_init(&c->v1);
    if (e == ZK_OK) e = poseidon_batch_new(&c->batch);
    if (e == ZK_OK && s && v1 && !(c->order = order_by_first_chunk(s))) e = ZK_ERR_NOMEM;
    if (e == ZK_OK) {
        if (s) {
            zk_pool_run(pool, (n + LEAF_TASK - 1) / LEAF_TASK, v1 ? leaf_task : leaf_task_sized, c);
            t->input_digest = zk_sheet_digest(s);
        } else {
            for (size_t i = 0; i < n && e == ZK_OK; i++) {
                fr_t x;
                e = fr_from_bytes_be(&x, leaves[i]); /* leaves must be canonical */
                memcpy(t->owned + 32 * i, leaves[i], 32);
            }
        }
        for (unsigned k = 1; k <= ZK_TREE_DEPTH && e == ZK_OK && !atomic_load(&c->err); k++) {
            c->level = k;
            uint64_t m = t->level_len[k];
            if (m > NODE_TASK) zk_pool_run(pool, (m + NODE_TASK - 1) / NODE_TASK, level_task, c);
            else if (m) level_task(c, 0);
        }
        if (atomic_load(&c->err)) e = (zk_err)atomic_load(&c->err);
    }
    poseidon_batch_free(c->batch);
    free(c->order);
    free(cp);
    if (e != ZK_OK) {
        zk_tree_free(t);
        return e;
    }
    memcpy(t->root, node(t, ZK_TREE_DEPTH, 0), 32);
    *out = t;
    return ZK_OK;
}

zk_err zk_tree_build(zk_tree **out, const zk_sheet *s, zk_pool *pool) {
    return build(out, s, NULL, s->n_accounts, ZK_V1_ASSET_COUNT, pool);
}

zk_err zk_tree_build_sized(zk_tree **out, const zk_sheet *s, unsigned asset_count, zk_pool *pool) {
    return build(out, s, NULL, s->n_accounts, asset_count, pool);
}

unsigned zk_tree_asset_count(const zk_tree *t) { return t->assets; }

zk_err zk_tree_build_from_leaves(zk_tree **out, const uint8_t (*leaves)[32], size_t n, zk_pool *pool) {
    return build(out, NULL, leaves, n, ZK_V1_ASSET_COUNT, pool);
}

void zk_tree_free(zk_tree *t) {
    if (!t) return;
    free(t->owned);
    if (t->map) munmap(t->map, t->map_len);
    free(t);
}

uint64_t zk_tree_leaf_count(const zk_tree *t) { return t->n; }
uint64_t zk_tree_input_digest(const zk_tree *t) { return t->input_digest; }
void zk_tree_root(uint8_t out[32], const zk_tree *t) { memcpy(out, t->root, 32); }

void zk_tree_empty(uint8_t out[32], const zk_tree *t, unsigned level) {
    if (level > ZK_TREE_DEPTH) level = ZK_TREE_DEPTH;
    memcpy(out, t->empty[level], 32);
}

zk_err zk_tree_leaf(uint8_t out[32], const zk_tree *t, uint64_t index) {
    if (index >> ZK_TREE_DEPTH) return ZK_ERR_ARG;
    memcpy(out, node(t, 0, index), 32);
    return ZK_OK;
}

zk_err zk_tree_proof(uint8_t out[ZK_TREE_DEPTH][32], const zk_tree *t, uint64_t index) {
    if (index >> ZK_TREE_DEPTH) return ZK_ERR_ARG;
    for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) memcpy(out[k], node(t, k, (index >> k) ^ 1), 32);
    return ZK_OK;
}

/* ---- file ---- */

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static uint64_t get64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static uint64_t data_checksum(const uint8_t *data, uint64_t len) {
    zk_sum64 s;
    sum64_init(&s, 0x747265656461746bULL);
    sum64_bytes(&s, data, len);
    return sum64_final(&s);
}

static uint64_t header_checksum(const uint8_t *h) {
    zk_sum64 s;
    sum64_init(&s, 0x7472656568656164ULL);
    sum64_bytes(&s, h, 120);
    return sum64_final(&s);
}

static int write_all(int fd, const uint8_t *p, uint64_t len) {
    while (len) {
        size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t w = write(fd, p, chunk);
        if (w < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        p += w;
        len -= (uint64_t)w;
    }
    return 1;
}

zk_err zk_tree_save(const zk_tree *t, const char *path) {
    uint64_t bytes = 32 * (t->level_off[ZK_TREE_DEPTH] + t->level_len[ZK_TREE_DEPTH]);
    uint8_t h[TREE_HEADER];
    memset(h, 0, sizeof h);
    memcpy(h, TREE_MAGIC, 8);
    put32(h + 8, TREE_VERSION);
    put32(h + 12, t->assets == ZK_V1_ASSET_COUNT ? TREE_KIND_V1 : TREE_KIND_SIZED);
    if (t->assets != ZK_V1_ASSET_COUNT) put32(h + 88, t->assets);
    put32(h + 16, ZK_TREE_DEPTH);
    put32(h + 20, TREE_HEADER);
    put64(h + 24, t->n);
    put64(h + 32, bytes);
    put64(h + 40, t->input_digest);
    put64(h + 48, data_checksum(t->data, bytes));
    memcpy(h + 56, t->root, 32);
    put64(h + 120, header_checksum(h));

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp) return ZK_ERR_NOMEM;
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(tmp);
        return ZK_ERR_IO;
    }
    int ok = write_all(fd, h, sizeof h) && write_all(fd, t->data, bytes) && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
    free(tmp);
    return ok ? ZK_OK : ZK_ERR_IO;
}

zk_err zk_tree_open(zk_tree **out, const char *path, int verify_data) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ZK_ERR_IO;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return ZK_ERR_IO;
    }
    if (sb.st_size < TREE_HEADER) {
        close(fd);
        return ZK_ERR_FORMAT;
    }
    size_t len = (size_t)sb.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return ZK_ERR_IO;
    zk_tree *t = calloc(1, sizeof *t);
    if (!t) {
        munmap(map, len);
        return ZK_ERR_NOMEM;
    }
    t->map = map;
    t->map_len = len;
    const uint8_t *h = map;
    zk_err e = ZK_ERR_FORMAT;
    if (memcmp(h, TREE_MAGIC, 8) || get64(h + 120) != header_checksum(h)) goto fail;
    if (get32(h + 8) != TREE_VERSION || get32(h + 16) != ZK_TREE_DEPTH || get32(h + 20) != TREE_HEADER) goto fail;
    if (get32(h + 12) == TREE_KIND_V1 && get32(h + 88) == 0)
        t->assets = ZK_V1_ASSET_COUNT;
    else if (get32(h + 12) == TREE_KIND_SIZED && get32(h + 88) >= 1 && get32(h + 88) < ZK_V1_ASSET_COUNT)
        t->assets = get32(h + 88);
    else
        goto fail;
    t->n = get64(h + 24);
    if (t->n > (1ULL << ZK_TREE_DEPTH)) goto fail;
    uint64_t bytes = 32 * layout(t, t->n);
    if (get64(h + 32) != bytes || (uint64_t)len != TREE_HEADER + bytes) goto fail;
    t->data = h + TREE_HEADER;
    t->input_digest = get64(h + 40);
    if (verify_data && get64(h + 48) != data_checksum(t->data, bytes)) goto fail;
    if ((e = compute_empty(t)) != ZK_OK) goto fail;
    e = ZK_ERR_FORMAT;
    memcpy(t->root, node(t, ZK_TREE_DEPTH, 0), 32);
    if (memcmp(t->root, h + 56, 32)) goto fail;
    *out = t;
    return ZK_OK;
fail:
    zk_tree_free(t);
    return e;
}
