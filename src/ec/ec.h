/* ec: the BN254 groups G1 and G2 and multi-scalar multiplication.
 *
 *   G1: y^2 = x^3 + 3 over Fp, prime order r, cofactor 1, generator (1, 2).
 *   G2: y^2 = x^3 + 3/(9+u) over Fp2 (the D-type sextic twist), order-r
 *       subgroup of a group with a large cofactor: every G2 point taken from
 *       outside MUST pass the subgroup check (the *_from_* parsers do it).
 *
 * Affine points store the point at infinity as (0, 0), which is on neither
 * curve (b != 0), so affine arrays stay compact for MSM. Jacobian points
 * (X, Y, Z) represent (X/Z^2, Y/Z^3); Z = 0 is infinity.
 *
 * The point formulas are written once (point_impl.h) and instantiated for
 * G1 over Fp and G2 over Fp2 (blst style). Functions without the _var suffix
 * are constant-time with respect to scalars. */
#ifndef ZKPOS_EC_H
#define ZKPOS_EC_H

#include "../ff/ff.h"
#include "../util/util.h"

typedef struct { fp_t x, y; } g1_affine_t;
typedef struct { fp_t x, y, z; } g1_jac_t;
typedef struct { fp2_t x, y; } g2_affine_t;
typedef struct { fp2_t x, y, z; } g2_jac_t;

/* The same API for G in {g1, g2}:
 * void G_generator(G_affine_t *r);
 * void G_affine_set_infinity(G_affine_t *r);  int G_affine_is_infinity(const G_affine_t *a);
 * void G_jac_set_infinity(G_jac_t *r);        int G_jac_is_infinity(const G_jac_t *a);
 * void G_from_affine(G_jac_t *r, const G_affine_t *a);
 * void G_to_affine(G_affine_t *r, const G_jac_t *a);
 * void G_batch_to_affine(G_affine_t *r, const G_jac_t *a, size_t n);   one inversion for all
 * int  G_affine_eq(const G_affine_t *a, const G_affine_t *b);
 * int  G_jac_eq(const G_jac_t *a, const G_jac_t *b);                   projective equality
 * void G_add(G_jac_t *r, const G_jac_t *a, const G_jac_t *b);          all cases (equal, opposite, infinity)
 * void G_add_mixed(G_jac_t *r, const G_jac_t *a, const G_affine_t *b); all cases
 * void G_dbl(G_jac_t *r, const G_jac_t *a);
 * void G_neg(G_jac_t *r, const G_jac_t *a);  void G_affine_neg(G_affine_t *r, const G_affine_t *a);
 * void G_mul(G_jac_t *r, const G_jac_t *p, const fr_t *k);             constant-time (secret k)
 * void G_mul_var(G_jac_t *r, const G_jac_t *p, const fr_t *k);         variable time (public k)
 * void G_mul_u256_var(G_jac_t *r, const G_jac_t *p, const uint64_t k[4]); any 256-bit integer k (not reduced mod r)
 * int  G_affine_is_on_curve(const G_affine_t *a);                      infinity counts as on the curve
 * int  G_affine_is_in_subgroup(const G_affine_t *a);                   assumes on curve
 *
 * G_add and G_add_mixed branch on the exceptional cases only (an operand at
 * infinity, P = Q, P = -Q): fast for MSM and verification, but they must not
 * see secret-dependent points; G_mul uses a complete branch-free addition.
 * g2_affine_is_in_subgroup and the parsers are variable time (public data).
 */
#define ZK_DECLARE_GROUP(G)                                                               \
    void G##_generator(G##_affine_t *r);                                                  \
    void G##_affine_set_infinity(G##_affine_t *r);                                        \
    int G##_affine_is_infinity(const G##_affine_t *a);                                    \
    void G##_jac_set_infinity(G##_jac_t *r);                                              \
    int G##_jac_is_infinity(const G##_jac_t *a);                                          \
    void G##_from_affine(G##_jac_t *r, const G##_affine_t *a);                            \
    void G##_to_affine(G##_affine_t *r, const G##_jac_t *a);                              \
    void G##_batch_to_affine(G##_affine_t *r, const G##_jac_t *a, size_t n);              \
    int G##_affine_eq(const G##_affine_t *a, const G##_affine_t *b);                      \
    int G##_jac_eq(const G##_jac_t *a, const G##_jac_t *b);                               \
    void G##_add(G##_jac_t *r, const G##_jac_t *a, const G##_jac_t *b);                   \
    void G##_add_mixed(G##_jac_t *r, const G##_jac_t *a, const G##_affine_t *b);          \
    void G##_dbl(G##_jac_t *r, const G##_jac_t *a);                                       \
    void G##_neg(G##_jac_t *r, const G##_jac_t *a);                                       \
    void G##_affine_neg(G##_affine_t *r, const G##_affine_t *a);                          \
    void G##_mul(G##_jac_t *r, const G##_jac_t *p, const fr_t *k);                        \
    void G##_mul_var(G##_jac_t *r, const G##_jac_t *p, const fr_t *k);                    \
    void G##_mul_u256_var(G##_jac_t *r, const G##_jac_t *p, const uint64_t k[4]);         \
    int G##_affine_is_on_curve(const G##_affine_t *a);                                    \
    int G##_affine_is_in_subgroup(const G##_affine_t *a);

ZK_DECLARE_GROUP(g1)
ZK_DECLARE_GROUP(g2)

/* psi = untwist o (p-power Frobenius) o twist on the twist curve:
 * psi(x, y) = (conj(x) * xi^((p-1)/3), conj(y) * xi^((p-1)/2)), xi = 9 + u.
 * An endomorphism of E'(Fp2) acting on G2 as multiplication by p = 6x^2
 * (mod r); used by the subgroup check (and usable by the pairing for the
 * Frobenius images of Q). Constant time. */
void g2_psi(g2_jac_t *r, const g2_jac_t *a);

/* ---------------- encodings ----------------
 * Every parser checks canonical coordinates (< p), that the point is on the
 * curve and, for G2, in the subgroup; it returns a specific zk_err.
 *
 * Ethereum EIP-196/197: big-endian 32-byte words; G1 = x||y (64 bytes), G2 =
 * x_im||x_re||y_im||y_re (128 bytes); all zeros = infinity. */
ZK_WUR zk_err g1_from_eth(g1_affine_t *r, const uint8_t in[64]);
void g1_to_eth(uint8_t out[64], const g1_affine_t *a);
ZK_WUR zk_err g2_from_eth(g2_affine_t *r, const uint8_t in[128]);
void g2_to_eth(uint8_t out[128], const g2_affine_t *a);

/* Compressed (gnark-crypto bn254 layout): big-endian x (G2: x_im||x_re), the
 * two top bits of the first byte are flags: 10 = y is the lexicographically
 * smallest root, 11 = largest, 01 = infinity (rest zero). 32 / 64 bytes. */
ZK_WUR zk_err g1_from_compressed(g1_affine_t *r, const uint8_t in[32]);
void g1_to_compressed(uint8_t out[32], const g1_affine_t *a);
ZK_WUR zk_err g2_from_compressed(g2_affine_t *r, const uint8_t in[64]);
void g2_to_compressed(uint8_t out[64], const g2_affine_t *a);

/* snarkjs / iden3 layouts.
 * JSON: decimal strings; G1 [x, y, z], G2 [[x0, x1], [y0, y1], [z0, z1]]
 * (real part first), projective with z = 1, or z = 0 for infinity
 * ("0","1","0" in snarkjs). Binary (zkey, wtns): little-endian Montgomery
 * form ("LEM"): G1 x||y (64 bytes), G2 x0||x1||y0||y1 (128 bytes); all zeros
 * = infinity. The _unchecked variants skip the subgroup check (only for
 * trusted, checksummed key files of our own; they still check the curve). */
ZK_WUR zk_err g1_from_snarkjs_strings(g1_affine_t *r, const char *const xyz[3]);
ZK_WUR zk_err g2_from_snarkjs_strings(g2_affine_t *r, const char *const xyz[6]); /* x0,x1,y0,y1,z0,z1 */
/* Writes decimal strings into caller buffers of 80 bytes each (x, y, z order as above). */
void g1_to_snarkjs_strings(char out[3][80], const g1_affine_t *a);
void g2_to_snarkjs_strings(char out[6][80], const g2_affine_t *a);
ZK_WUR zk_err g1_from_lem(g1_affine_t *r, const uint8_t in[64]);
void g1_to_lem(uint8_t out[64], const g1_affine_t *a);
ZK_WUR zk_err g2_from_lem(g2_affine_t *r, const uint8_t in[128]);
ZK_WUR zk_err g2_from_lem_unchecked(g2_affine_t *r, const uint8_t in[128]);
void g2_to_lem(uint8_t out[128], const g2_affine_t *a);

/* ---------------- multi-scalar multiplication ----------------
 * out = sum_i scalars[i] * points[i]. Variable time (Pippenger buckets with
 * signed digits); correct for n = 0, 1, zero scalars and infinity/repeated
 * points; runs on the pool (NULL = serial); memory linear in n.
 * Scalars are Fr elements (Montgomery form, as a witness holds them). */
ZK_WUR zk_err g1_msm_var(zk_pool *pool, g1_jac_t *out, const g1_affine_t *points, const fr_t *scalars, size_t n);
ZK_WUR zk_err g2_msm_var(zk_pool *pool, g2_jac_t *out, const g2_affine_t *points, const fr_t *scalars, size_t n);

/* ---------------- fixed-base batch multiplication (fixed_base.c) ----------------
 * out[i] = k[i] * base for many scalars and one base (Groth16 setup): a
 * table of windowed multiples of base (window chosen for about n_hint
 * scalars, at most 2^15 entries per window), then one batched affine
 * addition per non-zero signed digit. Variable time in the scalars (run
 * where nobody can time it); results affine, infinity as (0, 0). */
#define ZK_DECLARE_FIXED_BASE(G)                                                                        \
    typedef struct G##_fixed_base G##_fixed_base;                                                       \
    ZK_WUR zk_err G##_fixed_base_new(zk_pool *pool, G##_fixed_base **fb, const G##_affine_t *base,      \
                                     size_t n_hint);                                                    \
    ZK_WUR zk_err G##_fixed_base_mul_batch_var(zk_pool *pool, G##_affine_t *out, const G##_fixed_base *fb, \
                                               const fr_t *k, size_t n);                                \
    void G##_fixed_base_free(G##_fixed_base *fb);
ZK_DECLARE_FIXED_BASE(g1)
ZK_DECLARE_FIXED_BASE(g2)

#endif
