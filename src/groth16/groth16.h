/* groth16: Groth16 zk-SNARKs over BN254, compatible with snarkjs 0.7.
 *
 * Design. The QAP and proving convention is snarkjs's, exactly, so that a
 * key we generate can be exported as a .zkey (and proven by snarkjs) and a
 * snarkjs .zkey can be proven by us:
 *   - domain n = 2^k, the smallest power of two >= m + npublic + 1 (m = R1CS
 *     constraints); constraints m .. m+npublic are the extra "public input"
 *     rows A = w_i (i = 0..npublic), B = C = 0 that snarkjs's zkey_new adds;
 *   - the prover interpolates the per-constraint values of A, B, C = A*B and
 *     evaluates them on the "odd" coset x_i = w_2n * w_n^i (w_2n a primitive
 *     2n-th root of unity; snarkjs's shift), where Z(x) = x^n - 1 = -2; the
 *     H points of the key are L^{2n}_{2i+1}(tau)/delta (odd Lagrange basis of
 *     the 2n domain), so the H scalars are simply A(x_i)B(x_i) - C(x_i);
 *   - proof: A = alpha + sum w_i A_i + r delta, B = beta + sum w_i B_i + s delta
 *     (in G2, and in G1 for C), C = sum_priv w_i C_i + sum h_i H_i + s A + r B1
 *     - r s delta, r and s fresh from the OS CSPRNG.
 *
 * A proving key is one contiguous image (header + 64-byte-aligned sections
 * of g1_affine_t / g2_affine_t in the in-memory Montgomery form the MSM
 * consumes + the A/B coefficients of the QAP), so our key file is that image
 * on disk: loading is one mmap plus a checksum pass, no per-element parsing
 * (see zk_g16_pk_load). The same image is built by setup and by the .zkey
 * reader.
 *
 * iden3 binary formats (.r1cs v1, .wtns v2, Groth16 .zkey v1) are read and
 * written; JSON files (verification_key.json, proof.json, public.json) are
 * written byte for byte as snarkjs writes them (JSON.stringify, indent 1).
 *
 * Performance design (issue 4 targets: 2^20 constraints proven in <= 7 s
 * and set up in <= 60 s on 2 threads, proving memory <= 1.5 x the key):
 *   - setup: every key point is a multiple of a generator, made by the ec
 *     layer's fixed-base batch multiplication (window tables built once per
 *     group, batched affine additions; g16_setup.c);
 *   - prover: two n-element arrays for the QAP (the third, C, is refilled
 *     into the second), the C and H MSMs fused into one (adjacent
 *     sections), each MSM on the whole pool; a mapped key's pages are
 *     dropped from the process after the load checksum and after each MSM,
 *     so the key file does not all stay resident (g16_prove.c, g16_key.c);
 *   - verifier: e(alpha, beta) precomputed in the prepared key, one 3-pair
 *     Miller loop and one final exponentiation.
 *   ZKPOS_G16_PROFILE=1 in the environment prints setup / prover phase times.
 *
 * Threads: every heavy step takes a zk_pool (NULL = this thread only).
 * Timing: the prover's secret-dependent work (witness MSMs) is variable time
 * in the witness, like every practical Groth16 prover (snarkjs, gnark); the
 * blinding r, s are applied with constant-time scalar multiplication. Setup
 * uses variable-time fixed-base multiplication on the toxic waste: run it on
 * a machine nobody else can time. */
#ifndef ZKPOS_GROTH16_H
#define ZKPOS_GROTH16_H

#include <stddef.h>
#include <stdint.h>

#include "../ec/ec.h"
#include "../ff/ff.h"
#include "../r1cs/r1cs.h"
#include "../util/util.h"

/* ---------------- R1CS view ----------------
 * Matrices A, B, C (index 0, 1, 2) in the CSR form of the r1cs layer: row c
 * of matrix k is terms[k][row_start[k][c] .. row_start[k][c+1]); a term's
 * coefficient is coeffs[term.coeff]. Variable 0 is the constant 1, then the
 * npublic public inputs, then the private variables. */
typedef struct {
    uint64_t nconstraints, nvars, npublic;
    const uint64_t *row_start[3];
    const zk_cs_term *terms[3];
    const fr_t *coeffs;
    size_t ncoeffs;
} zk_r1cs_view;

/* View of a builder run in ZK_CS_SETUP mode (not streaming); valid while cs
 * lives and is not extended. ZK_ERR_ARG if cs has no recorded matrices. */
ZK_WUR zk_err zk_r1cs_view_from_cs(zk_r1cs_view *v, const zk_cs *cs);

/* A parsed iden3 .r1cs file (owns its memory; view is ready to use). */
typedef struct zk_r1cs_file zk_r1cs_file;
/* Why a file was rejected (readers fill it when msg != NULL). */
typedef struct {
    char text[160];
} zk_g16_msg;

/* Reads .r1cs v1: sections found by type (any order), header sizes and the
 * field prime (must be BN254 r, n8 = 32) checked, every coefficient < r,
 * every wire index < nWires. */
ZK_WUR zk_err zk_r1cs_read(zk_r1cs_file **out, const char *path, zk_g16_msg *msg);
void zk_r1cs_file_free(zk_r1cs_file *f);
const zk_r1cs_view *zk_r1cs_file_view(const zk_r1cs_file *f);
/* Writes .r1cs v1 (sections 1, 2, 3 in that order; nPubOut = 0, nPubIn =
 * npublic, nPrvIn = 0: all private wires are internal; label of wire i = i). */
ZK_WUR zk_err zk_r1cs_write(const char *path, const zk_r1cs_view *v);

/* .wtns v2: values little-endian canonical. read: *w (malloc, n values,
 * Montgomery fr); checks the prime, sizes and every value < r. */
ZK_WUR zk_err zk_wtns_read(fr_t **w, size_t *n, const char *path, zk_g16_msg *msg);
ZK_WUR zk_err zk_wtns_write(const char *path, const fr_t *w, size_t n);

/* ---------------- keys and proofs ---------------- */
typedef struct {
    g1_affine_t a;
    g2_affine_t b;
    g1_affine_t c;
} zk_g16_proof;

/* One coefficient of the QAP (as in .zkey section 4): matrix 0 = A, 1 = B. */
typedef struct {
    uint32_t matrix, constraint, signal, pad_;
    fr_t value; /* Montgomery form */
} zk_g16_coef;

/* Proving key: read-only view of the image (all pointers into it). */
typedef struct {
    uint64_t nvars, npublic;
    uint64_t nconstraints; /* R1CS constraints m (without the npublic+1 extra rows) */
    uint64_t domain_size;  /* n */
    unsigned log_n;
    uint64_t ncoefs;
    const g1_affine_t *alpha1, *beta1, *delta1;
    const g2_affine_t *beta2, *gamma2, *delta2;
    const g1_affine_t *ic; /* npublic + 1 */
    const g1_affine_t *a;  /* nvars */
    const g1_affine_t *b1; /* nvars */
    const g2_affine_t *b2; /* nvars */
    const g1_affine_t *c;  /* nvars - npublic - 1 (private variables) */
    const g1_affine_t *h;  /* domain_size */
    const zk_g16_coef *coefs;
    /* ownership (private) */
    void *image_;
    size_t image_len_;
    int mapped_;
} zk_g16_pk;

/* Verifying key; ic has npublic + 1 points (owned). */
typedef struct {
    uint64_t npublic;
    g1_affine_t alpha1;
    g2_affine_t beta2, gamma2, delta2;
    g1_affine_t *ic;
} zk_g16_vk;

/* Prepared verifying key: e(alpha, beta) precomputed, -gamma and -delta. */
typedef struct {
    zk_g16_vk vk; /* a copy (owns its ic) */
    fp12_t alpha_beta;
    g2_affine_t neg_gamma2, neg_delta2;
} zk_g16_pvk;

void zk_g16_pk_free(zk_g16_pk *pk);
void zk_g16_vk_free(zk_g16_vk *vk);
void zk_g16_pvk_free(zk_g16_pvk *pvk);
/* The verifying key contained in a proving key. */
ZK_WUR zk_err zk_g16_vk_from_pk(zk_g16_vk *vk, const zk_g16_pk *pk);

/* Setup from fresh randomness (tau, alpha, beta, gamma, delta from
 * zk_os_random, wiped after use). Needs m + npublic + 1 <= 2^27. */
ZK_WUR zk_err zk_g16_setup(zk_pool *pool, zk_g16_pk *pk, const zk_r1cs_view *r1cs);

/* Proves with witness w (nvars values, w[0] = 1). abc: the per-constraint
 * values <A_c,w>, <B_c,w> for c < pk->nconstraints (e.g. zk_cs_abc of a PROVE
 * walk); NULL computes them from the key's coefficients. C is taken as A*B
 * per constraint, as snarkjs does. Does not check that w satisfies the
 * circuit (an unsatisfied witness yields a proof that does not verify). */
ZK_WUR zk_err zk_g16_prove(zk_pool *pool, zk_g16_proof *proof, const zk_g16_pk *pk, const fr_t *w, size_t nw,
                           const fr_t *a_vals, const fr_t *b_vals);

/* Verification. Checks the proof's points (on curve; B in the G2 subgroup)
 * and npub == vk->npublic; public inputs are field elements (parsers reject
 * values >= r). ZK_OK if valid, ZK_ERR_VERIFY if the equation fails, another
 * code for malformed input. */
ZK_WUR zk_err zk_g16_pvk_prepare(zk_g16_pvk *pvk, const zk_g16_vk *vk);
ZK_WUR zk_err zk_g16_verify(const zk_g16_pvk *pvk, const zk_g16_proof *proof, const fr_t *pub, size_t npub);

/* ---------------- files ----------------
 * Readers explain a rejection in *msg when msg != NULL. */

/* snarkjs Groth16 .zkey v1 (10 sections, LEM points, section-4 values
 * c*R^2 mod r). read: field primes, sizes and section lengths are checked,
 * header/vk/IC points are validated fully (on curve, G2 subgroup); the big
 * A/B1/B2/C/H sections are checked on-curve only (no subgroup check: they
 * come from a trusted ceremony and a subgroup test per G2 point would cost
 * more than proving). write: section 10 has a zero csHash and no
 * contributions (snarkjs prove / export verificationkey do not read it). */
ZK_WUR zk_err zk_zkey_read(zk_pool *pool, zk_g16_pk *pk, const char *path, zk_g16_msg *msg);
ZK_WUR zk_err zk_zkey_write(const char *path, const zk_g16_pk *pk);

/* Our key files (little-endian hosts). Proving key: a 512-byte header
 * (magic "ZKG16PK\0", version 1, sizes, section table, payload length and
 * the 64-bit zk_g16_hash of the payload) followed by the image sections,
 * each 64-byte aligned, holding the affine points exactly as in memory.
 * zk_g16_pk_load mmaps the file read-only, checks the header, section table
 * and file length (a truncated file is rejected before anything is read)
 * and the checksum (one parallel pass), then points into the mapping; the
 * points are not re-validated (the checksum guards against corruption; the
 * file is ours). Verifying key "ZKG16VK\0": same scheme, small, and its
 * points are fully validated on load. */
ZK_WUR zk_err zk_g16_pk_save(const char *path, const zk_g16_pk *pk);
ZK_WUR zk_err zk_g16_pk_load(zk_pool *pool, zk_g16_pk *pk, const char *path, zk_g16_msg *msg);
ZK_WUR zk_err zk_g16_vk_save(const char *path, const zk_g16_vk *vk);
ZK_WUR zk_err zk_g16_vk_load(zk_g16_vk *vk, const char *path, zk_g16_msg *msg);

/* The key-file checksum: 64-bit, tree of 1 MiB chunks (each hashed by four
 * 64-bit multiply-rotate lanes, finished with a 128-bit-multiply mix; the
 * chunk digests hashed again in order), so it runs on the pool. Not
 * cryptographic: it detects corruption, not tampering. */
uint64_t zk_g16_hash(zk_pool *pool, const void *data, size_t len);

/* snarkjs JSON. to_*: NUL-terminated text (free()), exactly as snarkjs
 * writes it (JSON.stringify(x, null, 1)). from_*: parses and validates. */
ZK_WUR zk_err zk_g16_proof_to_json(char **out, const zk_g16_proof *proof);
ZK_WUR zk_err zk_g16_proof_from_json(zk_g16_proof *proof, const char *text, size_t len);
ZK_WUR zk_err zk_g16_public_to_json(char **out, const fr_t *pub, size_t n);
ZK_WUR zk_err zk_g16_public_from_json(fr_t **pub, size_t *n, const char *text, size_t len);
/* verification_key.json including vk_alphabeta_12 (computed). */
ZK_WUR zk_err zk_g16_vk_to_json(char **out, const zk_g16_vk *vk);
ZK_WUR zk_err zk_g16_vk_from_json(zk_g16_vk *vk, const char *text, size_t len);

/* Whole-file helpers. Writes (and zk_g16_pk_save, zk_g16_vk_save) go to
 * PATH.tmp.PID, fsync, rename: all or nothing under PATH. */
ZK_WUR zk_err zk_g16_read_file(char **text, size_t *len, const char *path);
ZK_WUR zk_err zk_g16_write_file(const char *path, const void *data, size_t len);

#endif
