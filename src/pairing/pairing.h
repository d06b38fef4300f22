/* pairing: the optimal ate pairing of BN254, e: G1 x G2 -> GT (in Fp12).
 *
 *   e(P, Q) = (f_{6x+2,Q}(P) * l_{[6x+2]Q, pi(Q)}(P) * l_{..., -pi^2(Q)}(P))^(m (p^12 - 1)/r)
 *
 * with x = 4965661367192848881, Q on the D-type twist y^2 = x^3 + 3/(9+u),
 * pi the p-power Frobenius carried to the twist and m = 2x(6x^2 + 3x + 1)
 * (coprime to r). The factor m comes from the fast final exponentiation of
 * Fuentes-Castaneda et al.; it is the same as in snarkjs (whose
 * vk_alphabeta_12 = e(alpha, beta) we reproduce), and irrelevant to every
 * "product == 1" check such as Ethereum's precompile 0x08 or Groth16.
 *
 * Inputs must be valid group elements: P on G1, Q in the order-r subgroup of
 * the twist (the ec parsers check this); the point at infinity (stored as
 * (0, 0)) is allowed anywhere and contributes the factor 1.
 * The computation does not branch on coordinates (only on which inputs are
 * infinity and on the public loop constant). Memory: stack only. */
#ifndef ZKPOS_PAIRING_H
#define ZKPOS_PAIRING_H

#include <stddef.h>

#include "../ec/ec.h"
#include "../ff/ff.h"
#include "../util/util.h"

/* out = e(p, q), with the full final exponentiation. */
void zk_pairing(fp12_t *out, const g1_affine_t *p, const g2_affine_t *q);

/* out = prod_{i<n} f_i, the Miller-loop values of the pairs (p[i], q[i])
 * (one shared squaring chain); n = 0 gives 1. Not yet exponentiated: only
 * zk_final_exp(out) is meaningful to compare. */
void zk_miller_loop(fp12_t *out, const g1_affine_t *p, const g2_affine_t *q, size_t n);

/* out = in^(m (p^12 - 1)/r), m = 2x(6x^2 + 3x + 1). in must be non-zero (a
 * Miller-loop value never is). */
void zk_final_exp(fp12_t *out, const fp12_t *in);

/* 1 iff prod_{i<n} e(p[i], q[i]) == 1 (one final exponentiation for all);
 * n = 0 gives 1. This is the EIP-197 / Groth16 verification check. */
int zk_pairing_check(const g1_affine_t *p, const g2_affine_t *q, size_t n);

#endif
