/* Internal to the ec layer (g1.c, g2.c, msm*.c): the inline point formulas
 * of point_impl.h instantiated for both groups, and the curve constants.
 *
 * Functions (G in {g1, g2}; all static inline, outputs may alias inputs):
 *   G_dbl_inl(r, p)            doubling, constant time
 *   G_add_inl(r, p, q)         Jacobian + Jacobian, all cases; branches on
 *                              infinity / P = Q / P = -Q only (public points)
 *   G_add_mixed_inl(r, p, q)   Jacobian + affine, same policy
 *   G_add_ct(r, p, q)          complete and branch-free (secret points)
 *   G_add_begin / G_add_mixed_begin / G_add_end
 *                              the two halves of the addition, for callers
 *                              that handle the exceptional cases themselves
 *   G_jac_is_inf_inl, G_affine_is_inf_inl, G_jac_set_inf_inl,
 *   G_jac_cmov_inl, G_from_affine_inl, G_jac_eq_inl
 * The public G_add / G_add_mixed / G_dbl of ec.h are these same functions.
 * G1's instance runs on fpi_*, ff's inline wrappers of the mont.h core (the
 * fp_* functions of ff.h are the same operations, out of line). */
#ifndef ZKPOS_EC_INTERNAL_H
#define ZKPOS_EC_INTERNAL_H

#include <string.h>

#include "../ff/ff_constants.h"
#include "../ff/fp2_inline.h"
#include "../ff/mont.h"
#include "ec.h"
#include "ec_constants.h"

/* G1 runs on the inlined Montgomery arithmetic of ff's fp2_inline.h (the
 * same mont.h core that fp.c wraps): the point formulas are chains of ~20
 * field operations, where the call overhead of the out-of-line fp_*
 * functions is measurable. */
#define PT_G g1
#define PT_F fpi
#define PT_FT fp_t
#include "point_impl.h"

#define PT_G g2
#define PT_F fp2
#define PT_FT fp2_t
#include "point_impl.h"

/* Field elements in the snarkjs binary layout (LEM): the 32 bytes are the
 * little-endian Montgomery limbs, which is our representation (R = 2^256).
 * Rejects raw values >= p (ZK_ERR_NOT_CANONICAL). */
ZK_INLINE zk_err ec_fp_from_lem(fp_t *r, const uint8_t in[32]) {
    uint64_t v[4];
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--) w = (w << 8) | in[8 * i + k];
        v[i] = w;
    }
    if (!mont_lt(v, FP_MOD)) return ZK_ERR_NOT_CANONICAL;
    memcpy(r->l, v, sizeof v);
    return ZK_OK;
}

ZK_INLINE void ec_fp_to_lem(uint8_t out[32], const fp_t *a) {
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[8 * i + k] = (uint8_t)(a->l[i] >> (8 * k));
}

#endif
