/* hash: Poseidon over the BN254 scalar field Fr, circomlib parameters.
 *
 * Permutation: widths t = 2..17, x^5 S-box, 8 full rounds and circomlib's
 * partial-round counts, constants from the Grain LFSR (tools/gen). Two entry
 * points compute the same function: poseidon_permute uses the optimised form
 * (partial rounds with scalar constants and sparse matrices, O(t) per round)
 * and poseidon_permute_reference the textbook rounds, for cross-checks and
 * for circuits that follow the reference structure.
 *
 * On top of it:
 *  - poseidon_circom: circomlib/iden3 hash, state [0, in...], output word 0.
 *  - poseidon_hash: the Binance zkmerkle-proof-of-solvency hash (spec §2.2):
 *    chunks of `chunk` inputs (16 in v1, 12 in v1-early and v2) each run
 *    through the width-(chunk+1) permutation on [carry, chunk], carry = word
 *    0; a short tail gets its own width; output is word 1 of the last state.
 *  - poseidon_hash_bytes and the streaming digest: the byte-level entry
 *    points of spec §2.3 (big-endian integers of any length, 32-byte output).
 *  - batches (poseidon_x8.c): many independent permutations or chunked
 *    hashes at once, eight side by side with AVX-512 IFMA, for the data
 *    parallel work (account-tree leaves and levels).
 *
 * Everything here is constant time in the values hashed (only lengths and
 * widths steer control flow). Outputs first, then inputs; lengths follow
 * their pointers; functions that can fail return zk_err. */
#ifndef ZKPOS_HASH_H
#define ZKPOS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "../ff/ff.h"

#define ZK_POSEIDON_T_MIN 2
#define ZK_POSEIDON_T_MAX 17

/* In-place permutation of state[0..t). ZK_ERR_ARG if t is outside [2, 17]. */
ZK_WUR zk_err poseidon_permute(fr_t *state, size_t t);
ZK_WUR zk_err poseidon_permute_reference(fr_t *state, size_t t);

/* The reference parameters of width t, for circuit builders and
 * cross-checks (Montgomery form; NULL / 0 if t is outside [2, 17]):
 * round constants C[r*t + i] for r < 8 + RP, the MDS matrix M[i*t + j]
 * (row-major, new_i = sum_j M[i][j] s_j) and RP. Rounds r < 4 and
 * r >= 4 + RP are full. */
const fr_t *poseidon_round_constants(size_t t);
const fr_t *poseidon_mds_matrix(size_t t);
unsigned poseidon_partial_rounds(size_t t);
#define ZK_POSEIDON_FULL_ROUNDS 8

/* circomlib poseidon(in[0..n)): permutation of [0, in...] (width n+1), word 0.
 * ZK_ERR_ARG unless 1 <= n <= 16. */
ZK_WUR zk_err poseidon_circom(fr_t *out, const fr_t *in, size_t n);

/* Chunk sizes of the Binance hash: v1 (2023-10) and v2 / v1-early. */
#define ZK_POSEIDON_CHUNK_V1 16
#define ZK_POSEIDON_CHUNK_V2 12

/* Binance Poseidon(in[0..n)) with chunk size chunk (spec §2.2). ZK_ERR_ARG if
 * n == 0 (Go panics) or chunk is outside [1, 16]. out may alias in. */
ZK_WUR zk_err poseidon_hash(fr_t *out, const fr_t *in, size_t n, unsigned chunk);

/* PoseidonBytes (spec §2.3): in[i] is a big-endian integer of in_lens[i]
 * bytes (any length; empty means 0). ZK_ERR_NOT_CANONICAL if some value is
 * >= r (Go panics), ZK_ERR_ARG for n == 0 or a bad chunk. out: 32 bytes
 * big-endian. */
ZK_WUR zk_err poseidon_hash_bytes(uint8_t out[32], const uint8_t *const *in, const size_t *in_lens, size_t n,
                                  unsigned chunk);

/* Reads a big-endian integer of any length (empty = 0) as an Fr element;
 * ZK_ERR_NOT_CANONICAL if it is >= r. */
ZK_WUR zk_err poseidon_fr_from_bytes(fr_t *r, const uint8_t *in, size_t len);

/* ---- Batches: many independent permutations / hashes at once ----
 * With AVX-512 IFMA eight states run side by side (poseidon_x8.c); without
 * it (or with ZKPOS_PORTABLE) the scalar permutation runs in a loop. The
 * results equal the scalar functions'. A context holds the round constants
 * converted for the lanes: create it once, share it read-only between
 * threads. Every batch function also accepts b == NULL (scalar loop). */
typedef struct poseidon_batch poseidon_batch;
ZK_WUR zk_err poseidon_batch_new(poseidon_batch **out);
void poseidon_batch_free(poseidon_batch *b);
/* states run side by side: 8 with IFMA, 1 without */
unsigned poseidon_batch_lanes(void);

/* n states of width t, state k at states + k t, permuted in place. */
ZK_WUR zk_err poseidon_permute_batch(const poseidon_batch *b, fr_t *states, size_t t, size_t n);

/* out[k] = poseidon_hash(in + k len, len, chunk) for k < n, except that the
 * chain starts from word 0 = *carry instead of 0 when carry != NULL (the
 * state left by earlier full chunks: continues a longer hash). ZK_ERR_ARG if
 * len == 0 or chunk is outside [1, 16]. out may alias in. */
ZK_WUR zk_err poseidon_hash_batch(const poseidon_batch *b, fr_t *out, const fr_t *in, size_t len, size_t n,
                                  unsigned chunk, const fr_t *carry);
/* The same with one pointer per input and per output. */
ZK_WUR zk_err poseidon_hash_batch_ptr(const poseidon_batch *b, fr_t *const *out, const fr_t *const *in,
                                      size_t len, size_t n, unsigned chunk, const fr_t *carry);

/* Streaming digest mirroring the Go hash.Hash of the Binance fork
 * (NewPoseidon): write appends one element, sum hashes everything written
 * since the last sum/reset and then clears it. It needs no heap: full chunks
 * are absorbed as soon as they are complete, which gives the same result as
 * hashing the whole list at the end.
 *
 * Go compatibility quirk (deliberate): Go's Write drops a value >= r and
 * returns an error that every caller ignores, so e.g. a Merkle sibling >= r
 * is silently left out of the hash. poseidon_digest_write does the same -
 * the value is dropped - and reports ZK_ERR_NOT_CANONICAL; callers that want
 * Go's behaviour ignore that code (cast to void), others treat it as fatal. */
typedef struct {
    fr_t pending[16]; /* inputs of the chunk being filled */
    fr_t carry;       /* word 0 of the last full-chunk permutation */
    fr_t last;        /* word 1 of the last full-chunk permutation */
    size_t npending;
    uint64_t count;   /* elements written since the last sum/reset */
    unsigned chunk;
} poseidon_digest;

/* ZK_ERR_ARG if chunk is outside [1, 16]. */
ZK_WUR zk_err poseidon_digest_init(poseidon_digest *d, unsigned chunk);
void poseidon_digest_reset(poseidon_digest *d);
ZK_WUR zk_err poseidon_digest_write(poseidon_digest *d, const uint8_t *in, size_t len);
void poseidon_digest_write_fr(poseidon_digest *d, const fr_t *x);
/* ZK_ERR_ARG if nothing was written (Go panics); the digest is reset either way. */
ZK_WUR zk_err poseidon_digest_sum(poseidon_digest *d, uint8_t out[32]);
ZK_WUR zk_err poseidon_digest_sum_fr(poseidon_digest *d, fr_t *out);

#endif
