/* solvency: the Binance-compatible data layer (zkmerkle-proof-of-solvency v1,
 * spec ../../shared/spec/binance-compat.md §1, §3, §4, §9, §14.5).
 *
 *   balance-sheet CSV files --zk_sheet_load--> accounts (sparse assets)
 *   accounts --zk_tree_build--> depth-28 Poseidon account tree (file: zk_tree_save/open)
 *   account + tree --zk_userproof_v1_format--> the v1 user-proof JSON, byte for byte
 *   user-proof JSON --zk_userproof_verify--> leaf, root, verdict (v1 and v2 layouts)
 *   sheet --zk_batcher--> batch witnesses (§6.1) <--encode/decode--> stored blobs
 *   batch witness --zk_batch_circuit--> the v1 batch R1CS (§7), any zk_cs mode
 *
 * Design: the reader reproduces v1's numeric and ordering rules exactly (the
 * quirks are listed where they are implemented) but never drops data
 * silently: every rejected row, skipped value and inconsistency is reported
 * with file, line and column, and a strict mode turns any of them into an
 * error. Accounts are stored densely (index = position) with their non-zero
 * assets in one arena, so memory follows accounts x held assets, not the
 * size of the CSV text, which is streamed. Everything here is plain C with
 * POSIX file access isolated in sheet.c and tree.c, so the hashing and JSON
 * parts also build for WebAssembly. Totals (at most 350 * (2^64-1)^2 < 2^137)
 * use a 192-bit integer type instead of a bignum library. */
#ifndef ZKPOS_SOLVENCY_H
#define ZKPOS_SOLVENCY_H

#include <stddef.h>
#include <stdint.h>

#include "../ff/ff.h"
#include "../r1cs/r1cs.h"
#include "../util/util.h"

#define ZK_V1_ASSET_COUNT 350   /* AssetCounts of v1 */
#define ZK_V1_COMMIT_ELEMS 234  /* (2*350 + 2) / 3 packed elements */
#define ZK_TREE_DEPTH 28        /* AccountTreeDepth */
#define ZK_V2_MAX_TIERS 8       /* asset-count tiers accepted by the v2 verifier */

/* ------------------------------------------------------------------ */
/* Integers                                                             */

/* Unsigned 192-bit integer, little-endian 64-bit limbs. */
typedef struct { uint64_t l[3]; } zk_u192;

/* Decimal text of a (no leading zeros; "0" for zero). out needs 59 bytes;
 * returns the length written (excluding the NUL). */
size_t zk_u192_to_dec(char out[59], const zk_u192 *a);
/* Parses a non-empty string of decimal digits (no sign); ZK_ERR_PARSE on any
 * other character, ZK_ERR_ARG if the value is >= 2^192. */
ZK_WUR zk_err zk_u192_from_dec(zk_u192 *out, const char *s, size_t len);
int zk_u192_cmp(const zk_u192 *a, const zk_u192 *b); /* -1, 0, 1 */

/* Converts an amount or price string the way v1 does (spec §4.3): the literal
 * "0.0" is 0; otherwise shopspring/decimal v1.3.1 syntax (optional sign,
 * digits with at most one '.', optional e/E and a signed 32-bit decimal
 * exponent), multiplied by 10^scale_pow10 and truncated toward zero; the
 * result must lie in [0, 2^64). On failure *why (if not NULL) points to a
 * static explanation and the result is ZK_ERR_PARSE (syntax) or ZK_ERR_ARG
 * (negative or too large). */
ZK_WUR zk_err zk_decimal_to_u64(uint64_t *out, const char *s, size_t len, unsigned scale_pow10,
                                const char **why);

/* ------------------------------------------------------------------ */
/* Balance sheet (v1 CSV layout, spec §4)                               */

/* One non-empty asset of an account, in v1 units (amount x 10^8, or x 10^2
 * for upper-case two-digit symbols). */
typedef struct {
    uint64_t equity, debt;
    uint16_t index;
} zk_asset;

typedef struct {
    uint8_t id[32];         /* account id reduced mod r (the published AccountIdHash) */
    zk_u192 equity, debt;   /* TotalEquity, TotalDebt in USD x 10^16 */
    uint64_t first_asset;   /* position of its first asset in zk_sheet.assets */
    uint32_t n_assets;      /* non-empty assets, sorted by index */
    uint32_t file;          /* index into zk_sheet.files */
    uint64_t line;          /* line of the row in that file (1-based) */
} zk_account;

typedef enum {
    ZK_ISSUE_VALUE = 1, /* an amount failed to convert: the asset is skipped, the account kept (v1) */
    ZK_ISSUE_ROW,       /* a row was rejected and takes no account index */
    ZK_ISSUE_PRICE,     /* a price failed to convert and counts as 0 (v1) */
    ZK_ISSUE_FILE,      /* a file differs from the first one, or has no data rows */
    ZK_ISSUE_FATAL      /* I/O or structural error: loading fails */
} zk_issue_kind;

typedef struct {
    zk_issue_kind kind;
    const char *file;      /* DIR/NAME (zk_sheet_load) or the given name (_mem); "" if none */
    uint64_t line, column; /* 1-based byte column within the line; 0 if not applicable */
    const char *message;
} zk_issue;

typedef void (*zk_issue_fn)(void *ctx, const zk_issue *issue);

typedef struct {
    size_t files, rows;        /* data rows seen (header excluded, blank lines skipped) */
    size_t accepted;           /* accounts (indices 0 .. accepted-1) */
    size_t rejected_rows;      /* rows without an index */
    size_t skipped_values;     /* assets skipped because an amount failed to convert */
    size_t bad_prices;         /* prices that failed to convert (counted as 0) */
    size_t file_issues;        /* ZK_ISSUE_FILE reports */
    size_t asset_entries;      /* non-empty (account, asset) pairs kept */
    size_t issues_not_listed;  /* issues counted but beyond max_issues_per_file */
} zk_sheet_stats;

typedef struct {
    zk_pool *pool;             /* files are parsed one task per file; NULL = serial */
    int strict;                /* any issue makes loading fail with ZK_ERR_PARSE */
    zk_issue_fn on_issue;      /* called in file order, then line order; may be NULL */
    void *issue_ctx;
    size_t max_issues_per_file; /* details kept per file; 0 = 100000 (counts stay exact) */
    zk_sheet_stats *stats;     /* if not NULL, filled whenever parsing got that far */
} zk_sheet_opts;

typedef struct {
    size_t n_assets;           /* N: asset columns of the first file */
    char **symbols;            /* N symbols (header of the net-balance columns), first file */
    uint64_t prices[ZK_V1_ASSET_COUNT]; /* BasePrice of the first file; 0 beyond N */
    zk_account *accounts;      /* account i has AccountIndex i */
    size_t n_accounts;
    zk_asset *assets;          /* all accounts' assets, in account order */
    size_t n_asset_entries;
    char **files;              /* DIR/NAME of each file, in processing (byte) order */
    size_t n_files;
    zk_sheet_stats stats;
} zk_sheet;

/* Reads every entry of dir whose name contains ".csv", in byte order of the
 * names (spec §4.1). Issues go to opts->on_issue. Returns ZK_OK (and *out),
 * ZK_ERR_PARSE (strict mode and an issue, or a structural error such as a
 * header that is not 3 + 4N columns), ZK_ERR_IO or ZK_ERR_NOMEM; *out is NULL
 * on failure. opts may be NULL. */
ZK_WUR zk_err zk_sheet_load(zk_sheet **out, const char *dir, const zk_sheet_opts *opts);
/* Same for in-memory files, processed in the order given (no name filter). */
ZK_WUR zk_err zk_sheet_load_mem(zk_sheet **out, const char *const *names, const char *const *texts,
                                const size_t *lens, size_t n, const zk_sheet_opts *opts);
void zk_sheet_free(zk_sheet *s);
/* 64-bit fingerprint of the accounts (ids, totals, assets), stored in tree
 * files so that a tree is never paired with different input. */
uint64_t zk_sheet_digest(const zk_sheet *s);

/* ------------------------------------------------------------------ */
/* Hashing of accounts (spec §3.1, §3.2, §14.5)                         */

/* v1 user asset commitment over 350 (equity, debt) pairs. Assets may come in
 * any order; indices must be < 350 and distinct (ZK_ERR_ARG otherwise). */
ZK_WUR zk_err zk_v1_asset_commitment(fr_t *out, const zk_asset *assets, size_t n);
/* v1 leaf = Poseidon(id, TotalEquity, TotalDebt, commitment), chunk 16.
 * ZK_ERR_NOT_CANONICAL if id or a total is >= r. */
ZK_WUR zk_err zk_v1_leaf(fr_t *out, const uint8_t id[32], const zk_u192 *equity, const zk_u192 *debt,
                         const fr_t *commitment);
/* The leaf of an account of a sheet. */
ZK_WUR zk_err zk_v1_account_leaf(fr_t *out, const zk_sheet *s, size_t index);
/* The same over an A-entry asset table (zk_asset_commitment_sized; A = 350
 * gives zk_v1_account_leaf). */
ZK_WUR zk_err zk_account_leaf_sized(fr_t *out, const zk_sheet *s, size_t index, unsigned asset_count);

typedef struct {
    uint64_t equity, debt, loan, margin, portfolio_margin;
    uint16_t index;
} zk_asset_v2;

/* v2 commitment (§14.5): the assets (sorted, strictly increasing indices) are
 * merged with filler slots up to K = the smallest tier >= n, then the 6K
 * slot values are packed by three and hashed with chunk 12. tiers must be
 * ascending (e.g. {50, 500}). ZK_ERR_ARG if unsorted or n exceeds every tier. */
ZK_WUR zk_err zk_v2_asset_commitment(fr_t *out, const zk_asset_v2 *assets, size_t n,
                                     const unsigned *tiers, size_t n_tiers);
ZK_WUR zk_err zk_v2_leaf(fr_t *out, const uint8_t id[32], const zk_u192 *equity, const zk_u192 *debt,
                         const zk_u192 *collateral, const fr_t *commitment);

/* Root of the path from leaf at index with the 28 siblings (leaf level first). */
ZK_WUR zk_err zk_merkle_root(fr_t *root, const fr_t *leaf, uint64_t index, const fr_t proof[ZK_TREE_DEPTH]);

/* ------------------------------------------------------------------ */
/* Account tree (spec §3.3, §3.4)                                       */

/* Nodes are kept as 32-byte big-endian canonical values, level by level
 * (level 0 = the n leaves, level k = ceil(n / 2^k) nodes, level 28 = root);
 * positions beyond a level's prefix are the empty-subtree hash E[k]. The
 * same layout is the data part of the tree file, which zk_tree_open maps. */
typedef struct zk_tree zk_tree;

/* Builds the tree of a sheet (v1 leaves); leaves and levels use the pool. */
ZK_WUR zk_err zk_tree_build(zk_tree **out, const zk_sheet *s, zk_pool *pool);
/* The same with leaves over an A-entry asset table (1 <= A <= 350, at least
 * the sheet's asset columns; ZK_ERR_ARG otherwise) and the empty subtrees of
 * that table (zk_empty_hashes): the root of a pipeline run with --assets A.
 * A = 350 is zk_tree_build. Saved files record A. */
ZK_WUR zk_err zk_tree_build_sized(zk_tree **out, const zk_sheet *s, unsigned asset_count, zk_pool *pool);
/* The tree's asset table size A (350 for v1 trees and zk_tree_build_from_leaves). */
unsigned zk_tree_asset_count(const zk_tree *t);
/* Builds a tree over given leaves (canonical 32-byte values). */
ZK_WUR zk_err zk_tree_build_from_leaves(zk_tree **out, const uint8_t (*leaves)[32], size_t n,
                                        zk_pool *pool);
void zk_tree_free(zk_tree *t);
uint64_t zk_tree_leaf_count(const zk_tree *t);
void zk_tree_root(uint8_t out[32], const zk_tree *t);
/* Leaf at index (E[0] beyond the populated prefix); ZK_ERR_ARG if index >= 2^28. */
ZK_WUR zk_err zk_tree_leaf(uint8_t out[32], const zk_tree *t, uint64_t index);
/* The 28 siblings of index, leaf level first (proof[k] = sibling at level k). */
ZK_WUR zk_err zk_tree_proof(uint8_t out[ZK_TREE_DEPTH][32], const zk_tree *t, uint64_t index);
/* Empty-subtree hash E[level], level 0..28 (E[0] = empty leaf, E[28] = empty root). */
void zk_tree_empty(uint8_t out[32], const zk_tree *t, unsigned level);
/* Fingerprint of the sheet the tree was built from (zk_sheet_digest; 0 for
 * zk_tree_build_from_leaves). */
uint64_t zk_tree_input_digest(const zk_tree *t);

/* Writes the tree file atomically (temporary file, fsync, rename): a 128-byte
 * header (magic "ZKPOSTRE", format version, leaf kind, depth, counts, input
 * digest, root, data and header checksums) followed by the nodes. */
ZK_WUR zk_err zk_tree_save(const zk_tree *t, const char *path);
/* Maps a tree file read-only. Checks magic, version, sizes, header checksum
 * and root; verify_data also checks the data checksum (reads every page).
 * ZK_ERR_FORMAT for a file that is not a valid tree, ZK_ERR_IO otherwise. */
ZK_WUR zk_err zk_tree_open(zk_tree **out, const char *path, int verify_data);

/* ------------------------------------------------------------------ */
/* User proofs (spec §9, §14.11)                                        */

/* Upper bound of a v1 user-proof JSON (350 assets with maximal values). */
#define ZK_USERPROOF_V1_MAX 32768

/* Formats the compact v1 user-proof JSON exactly as Go's json.Marshal of
 * {AccountIndex, AccountIdHash, TotalEquity, TotalDebt, Assets, Root, Proof}
 * does. Returns the length (no NUL added), or 0 if cap is too small. */
size_t zk_userproof_v1_format(char *out, size_t cap, uint32_t account_index, const uint8_t id[32],
                              const zk_u192 *equity, const zk_u192 *debt, const zk_asset *assets,
                              size_t n_assets, const uint8_t root[32],
                              const uint8_t proof[ZK_TREE_DEPTH][32]);
/* The user proof of account index of a sheet and its tree. */
size_t zk_userproof_v1_account(char *out, size_t cap, const zk_sheet *s, const zk_tree *t, size_t index);

typedef struct {
    int version;              /* 1 or 2 (v2 = has TotalCollateral) */
    uint64_t account_index;
    uint8_t leaf[32];         /* recomputed leaf (valid once the input is well-formed) */
    uint8_t root[32];         /* root recomputed from leaf and proof */
    uint8_t claimed_root[32]; /* the file's Root */
    char message[256];        /* why verification failed ("" on success) */
} zk_userproof_result;

/* Verifies one user-proof JSON (v1, or v2 when TotalCollateral is present;
 * v2 pads assets to the smallest of tiers >= their count; tiers NULL means
 * {50, 500}). Returns ZK_OK if the recomputed root equals Root,
 * ZK_ERR_VERIFY if it does not (leaf and roots filled), and ZK_ERR_PARSE /
 * ZK_ERR_ARG / ZK_ERR_NOT_CANONICAL for malformed input, with a message that
 * names the field (or the JSON line and column). */
ZK_WUR zk_err zk_userproof_verify(zk_userproof_result *res, const char *json, size_t len,
                                  const unsigned *tiers, size_t n_tiers);
/* The same for a proof from a tree over an A-entry asset table (a pipeline
 * run with --assets A; v1 leaves use zk_asset_commitment_sized, Index < A).
 * zk_userproof_verify is asset_count = 350. v2 proofs ignore asset_count. */
ZK_WUR zk_err zk_userproof_verify_sized(zk_userproof_result *res, const char *json, size_t len,
                                        const unsigned *tiers, size_t n_tiers, unsigned asset_count);

/* ------------------------------------------------------------------ */
/* Encodings used by the formats above                                  */

void zk_hex_encode(char *out, const uint8_t *in, size_t len); /* lowercase, NUL-terminated */
/* Exactly 2*out_len hex digits (either case); ZK_ERR_PARSE otherwise. */
ZK_WUR zk_err zk_hex_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len);
/* Standard base64 with padding; out gets 4*ceil(len/3) chars + NUL. */
void zk_base64_encode(char *out, const uint8_t *in, size_t len);
/* Strict standard base64 with padding (canonical trailing bits); returns the
 * decoded length in *out_len. ZK_ERR_PARSE on any deviation. */
ZK_WUR zk_err zk_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *in, size_t in_len);

/* ------------------------------------------------------------------ */
/* Batch witness (spec §3.5, §3.6, §6.1, §8.1)                          */

/* A batch inserts B accounts into the tree and adds their amounts to the
 * CEX totals over an asset table of A entries. Binance v1 is B = 864,
 * A = 350; any B in [1, 2^28] and A in [1, 350] gives an instance of the
 * same statement over an A-entry table: user commitments pack the 2A
 * (equity, debt) values (zero-extended to a multiple of 3, so
 * (2A + 2) / 3 elements), the CEX commitment hashes A entries, and the empty
 * leaf E[0] = Poseidon(0, 0, 0, commitment of 2A zeros), hence every empty
 * subtree and the empty root, depend on A. Only A = 350 reproduces Binance's
 * values; smaller A (tests, exchanges listing fewer assets) is a different,
 * incompatible tree. Hashes are chunk 16 (v1). */
#define ZK_V1_BATCH_USERS 864 /* BatchCreateUserOpsCounts */

typedef struct {
    uint64_t equity, debt, price; /* TotalEquity, TotalDebt, BasePrice */
} zk_cex_entry;

typedef struct {
    uint32_t account_index;
    uint32_t n_assets;            /* its non-empty assets, sorted by index: */
    uint64_t first_asset;         /* witness->asset_list[first_asset .. + n_assets) */
    fr_t id;                      /* AccountIdHash (0 for a padding account) */
    fr_t siblings[ZK_TREE_DEPTH]; /* AccountProof before the insertion, leaf level first */
    fr_t before_root, after_root;
} zk_batch_op;

typedef struct {
    uint64_t number;              /* batch number (height), from 0 */
    uint32_t users, assets;       /* B, A */
    fr_t before_root, after_root; /* account tree roots */
    fr_t before_cex, after_cex;   /* CEX asset commitments */
    fr_t commitment;              /* BatchCommitment, the circuit's public input */
    zk_cex_entry *cex;            /* the A CEX entries before the batch */
    zk_batch_op *ops;             /* the B operations */
    zk_asset *asset_list;         /* all ops' assets, in op order */
    size_t n_asset_entries;
} zk_batch_witness;

/* A zeroed witness with room for the given asset entries (one allocation).
 * ZK_ERR_ARG if users or assets is out of range. */
ZK_WUR zk_err zk_batch_witness_new(zk_batch_witness **out, unsigned users, unsigned assets,
                                   size_t n_asset_entries);
void zk_batch_witness_free(zk_batch_witness *w);

/* User asset commitment over an A-entry table (A = 350: zk_v1_asset_commitment). */
ZK_WUR zk_err zk_asset_commitment_sized(fr_t *out, const zk_asset *assets, size_t n, unsigned asset_count);
/* CEX commitment (§3.5): Poseidon over pack3(TotalEquity, TotalDebt, BasePrice) of the A entries. */
ZK_WUR zk_err zk_cex_commitment(fr_t *out, const zk_cex_entry *entries, unsigned asset_count);
/* BatchCommitment (§3.6) = Poseidon(before root, after root, before CEX, after CEX). */
ZK_WUR zk_err zk_batch_commitment(fr_t *out, const fr_t *before_root, const fr_t *after_root,
                                  const fr_t *before_cex, const fr_t *after_cex);
/* Empty-subtree hashes E[0] (empty leaf) .. E[28] (empty root) for an A-entry table. */
ZK_WUR zk_err zk_empty_hashes(fr_t out[ZK_TREE_DEPTH + 1], unsigned asset_count);

/* Produces the batch witnesses of a sheet in order (§6.1): accounts padded
 * with empty accounts to a multiple of B, the tree and the CEX totals start
 * empty (prices from the sheet) and carry from batch to batch. The tree is
 * kept as the frontier of an append-only Merkle tree (v1 indices have no
 * gaps), so memory is O(B * held assets), whatever the number of users.
 * The sheet must outlive the batcher; pool (may be NULL) hashes leaves. */
typedef struct zk_batcher zk_batcher;
/* ZK_ERR_ARG if the sheet has more than A assets or the padded account count
 * exceeds 2^28. */
ZK_WUR zk_err zk_batcher_new(zk_batcher **out, const zk_sheet *s, unsigned users, unsigned assets,
                             zk_pool *pool);
void zk_batcher_free(zk_batcher *b);
uint64_t zk_batcher_batches(const zk_batcher *b); /* ceil(accounts / B) */
uint64_t zk_batcher_position(const zk_batcher *b); /* number of the next batch */
/* Moves to batch number (<= batches) without producing the batches in
 * between (their leaves are hashed, their roots are not): crash recovery.
 * Going back restarts from the empty tree. */
ZK_WUR zk_err zk_batcher_seek(zk_batcher *b, uint64_t number);
/* The next batch's witness. ZK_ERR_ARG when there is none left; ZK_ERR_ARG
 * too if a CEX total would overflow 2^64 (v1 aborts), after which the
 * batcher is unusable. */
ZK_WUR zk_err zk_batcher_next(zk_batcher *b, zk_batch_witness **out);
/* Current CEX entries (totals of the accounts inserted so far; after the
 * last batch they are the totals to publish) and tree root. */
const zk_cex_entry *zk_batcher_cex(const zk_batcher *b);
void zk_batcher_root(fr_t *out, const zk_batcher *b);

/* Compact binary form of a witness, for storage (format in batch_codec.c):
 * versioned header, varint amounts, sparse assets, siblings that equal an
 * empty subtree or the previous op's sibling left out, and a checksum: about
 * 75 bytes per op plus ~11 per held asset (Binance's sample files: 165
 * bytes per op), against ~1.1 KB per op for Go's gob.
 * encode: *out is malloc'd (ZK_ERR_ARG if an op's assets are not sorted and
 * distinct, or the witness is malformed). decode: ZK_ERR_FORMAT for anything
 * not produced by encode (bad magic/version/checksum, non-canonical hash,
 * out-of-range index, trailing bytes). */
ZK_WUR zk_err zk_batch_witness_encode(uint8_t **out, size_t *len, const zk_batch_witness *w);
ZK_WUR zk_err zk_batch_witness_decode(zk_batch_witness **out, const uint8_t *in, size_t len);

/* What the proof table publishes per batch, and the verifier's chain checks
 * (§8.1) without the Groth16 verification: each commitment is recomputed
 * from its four values; batch 0 starts at the empty root E[28] and at the
 * commitment of the published prices with zero totals; every before-value
 * equals the previous after-value; the last after-CEX commitment equals the
 * commitment of the published entries. ZK_ERR_VERIFY (with *bad = the batch,
 * or n for the final check, and *why) if one fails; ZK_ERR_ARG for A out of
 * range. */
typedef struct {
    fr_t before_root, after_root, before_cex, after_cex, commitment;
} zk_batch_header;
ZK_WUR zk_err zk_batch_chain_verify(size_t *bad, const char **why, const zk_batch_header *h, size_t n,
                                    const zk_cex_entry *published, unsigned asset_count);

/* ------------------------------------------------------------------ */
/* Batch circuit (spec §7)                                              */

/* Synthesises the v1 batch circuit for w (its B and A) into cs, in any
 * mode; PROVE/CHECK take the values from w. Public input: BatchCommitment
 * only. Returns ZK_ERR_ARG for a malformed witness (asset index >= A,
 * unsorted assets, account index >= 2^28) and otherwise zk_cs_status(cs);
 * violated constraints are counted by cs (zk_cs_nfailures), not returned.
 * Walks the whole batch once; a prover synthesises one batch at a time.
 *
 * Labels (zk_cs_label_get, counts inclusive): "batch_commitment",
 * "cex_before", "user" (per op: "chain", "index", "empty_path", "amounts",
 * "balance", "td_le_te", "asset_commitment", "leaf", "after_path"), "chain"
 * (last op to AfterRoot), "cex_after" (running totals < 2^64 and AfterCEX);
 * the gadgets' own ("range", "poseidon", "merkle", ...) nest inside.
 * Private variables are allocated in a fixed order that hint hooks may
 * rely on (by zk_cs_label_top): under "batch_commitment" the before root,
 * after root, before CEX and after CEX commitments; under "cex_before" the
 * 3A entries (equity, debt, price of asset 0, then asset 1, ...); per op
 * under "user" its before and after roots, under "index" its 28 bits, under
 * "siblings" the 28 siblings, under "amounts" the 64 bits (LSB first) of
 * equity_0, debt_0, equity_1, ... (an amount exists only as its bits),
 * under "balance" the 2A products, under "leaf" the id. */
ZK_WUR zk_err zk_batch_circuit(zk_cs *cs, const zk_batch_witness *w);
/* The same circuit without a witness (COUNT, SETUP). */
ZK_WUR zk_err zk_batch_circuit_shape(zk_cs *cs, unsigned users, unsigned assets);

#endif
