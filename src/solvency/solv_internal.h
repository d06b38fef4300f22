/* Internal helpers shared by the solvency sources (not a public header).
 *
 * 192-bit accumulation for account totals: a product of two uint64 values is
 * added into three limbs with unsigned __int128, which GCC, Clang and the
 * WebAssembly target all provide. The 64-bit checksum is for detecting
 * corruption and mismatched inputs in tree files, not an adversary. */
#ifndef ZKPOS_SOLV_INTERNAL_H
#define ZKPOS_SOLV_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "../hash/hash.h"
#include "solvency.h"

typedef unsigned __int128 zk_u128;

/* a += x * y */
static inline void u192_addmul(zk_u192 *a, uint64_t x, uint64_t y) {
    zk_u128 p = (zk_u128)x * y;
    zk_u128 s = (zk_u128)a->l[0] + (uint64_t)p;
    a->l[0] = (uint64_t)s;
    s = (s >> 64) + a->l[1] + (uint64_t)(p >> 64);
    a->l[1] = (uint64_t)s;
    a->l[2] += (uint64_t)(s >> 64);
}

static inline void u192_to_u256(uint64_t v[4], const zk_u192 *a) {
    v[0] = a->l[0];
    v[1] = a->l[1];
    v[2] = a->l[2];
    v[3] = 0;
}

/* Canonical field element from 32 big-endian bytes already known to be < r. */
ZK_WUR zk_err solv_fr_from_be(fr_t *out, const uint8_t in[32]);

/* Tree-building fast path for v1 commitments: a commitment whose first
 * non-zero packed element lies in chunk k starts from the precomputed digest
 * state after k all-zero chunks (carry 0, zero inputs: the same for every
 * account), saving k of its 15 permutations. zero[k] = state after 16k zeros. */
typedef struct {
    poseidon_digest zero[ZK_V1_COMMIT_ELEMS / ZK_POSEIDON_CHUNK_V1 + 1];
} solv_v1_ctx;
ZK_WUR zk_err solv_v1_ctx_init(solv_v1_ctx *c);
/* Leaf of account index of s (its assets sorted and distinct, as the reader
 * produces them); equals zk_v1_account_leaf. */
ZK_WUR zk_err solv_v1_account_leaf_fast(fr_t *out, const solv_v1_ctx *c, const zk_sheet *s, size_t index);
/* Leaves of accounts idx[0..n) of s into out[0..n), hashed side by side
 * through the batch Poseidon b (NULL: scalar); equals
 * solv_v1_account_leaf_fast for each. Groups of 8 consecutive entries share
 * their zero-prefix skip, so callers order idx by solv_v1_first_chunk. */
ZK_WUR zk_err solv_v1_account_leaves_batch(fr_t *out, const solv_v1_ctx *c, const poseidon_batch *b,
                                           const zk_sheet *s, const size_t *idx, size_t n);
/* Chunk (0..14) holding the first non-zero packed element of account index
 * (14 when it has no assets; out-of-range indices give >= 14). */
size_t solv_v1_first_chunk(const zk_sheet *s, size_t index);

/* Streaming 64-bit checksum (word-wise multiply-xorshift, murmur finaliser). */
typedef struct { uint64_t h, n; } zk_sum64;
static inline void sum64_init(zk_sum64 *s, uint64_t seed) {
    s->h = seed ^ 0x6a09e667f3bcc908ULL;
    s->n = 0;
}
static inline void sum64_word(zk_sum64 *s, uint64_t w) {
    s->h = (s->h ^ w) * 0x9e3779b97f4a7c15ULL;
    s->h ^= s->h >> 29;
    s->n++;
}
static inline void sum64_bytes(zk_sum64 *s, const void *p, size_t len) {
    const unsigned char *b = p;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        sum64_word(s, w);
        b += 8;
        len -= 8;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, b, len);
        sum64_word(s, w ^ ((uint64_t)len << 56));
    }
}
static inline uint64_t sum64_final(const zk_sum64 *s) {
    uint64_t h = s->h ^ s->n;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* ---- CSV (csv.c): RFC 4180 records as Go's encoding/csv reads them ---- */
typedef struct {
    /* source: a FILE* or a memory block */
    void *file;
    const char *mem;
    size_t mem_len, mem_pos;
    char *buf;         /* read buffer */
    size_t buf_len, buf_pos, buf_cap;
    int eof, io_error;
    uint64_t line;     /* current line (1-based) */
    uint64_t line_start; /* absolute offset of the current line's first byte */
    uint64_t pos;      /* absolute offset of the next byte */
} csv_reader;

typedef struct {
    char *text;        /* fields, each NUL-terminated */
    size_t text_len, text_cap;
    size_t *off;       /* field start in text */
    size_t *len;       /* field length */
    uint64_t *col;     /* 1-based column of the field's first byte */
    size_t nf, fcap;
    uint64_t line;     /* line where the record starts */
} csv_record;

typedef enum { CSV_RECORD = 1, CSV_EOF = 0, CSV_SYNTAX = -1, CSV_IOERR = -2, CSV_NOMEM = -3 } csv_status;

void csv_reader_init_file(csv_reader *r, void *file);
void csv_reader_init_mem(csv_reader *r, const char *text, size_t len);
void csv_reader_free(csv_reader *r);
void csv_record_free(csv_record *rec);
/* Reads the next record. On CSV_SYNTAX the rest of the offending line is
 * skipped, msg describes the error and *err_line / *err_col locate it. */
csv_status csv_next(csv_reader *r, csv_record *rec, char *msg, size_t msg_len, uint64_t *err_line,
                    uint64_t *err_col);

#endif
