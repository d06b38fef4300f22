/* G1 multi-scalar multiplication: the msm_impl.h template over Fp with the
 * GLV split k = k1 + k2 lambda (constants from tools/gen, target glv) and
 * phi(x, y) = (beta x, y). The split uses a lattice basis (both halves are
 * signed, about 127 bits) because lambda is a full-size scalar here. */
#include "ec_internal.h"
#include "glv_constants.h"
#include "msm_field.h"
#include "msm_internal.h"
#include "msm_wide.h"

void g1_glv_split(uint64_t k1[4], int *neg1, uint64_t k2[4], int *neg2, const uint64_t k[4]) {
    uint64_t c1[3], c2[3];
    mul_shr256(c1, k, GLV_G1);
    mul_shr256(c2, k, GLV_G2);
    /* k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2, with the signs of g, a, b */
    uint64_t a[3] = {k[0], k[1], k[2]}, b[3] = {0, 0, 0};
    muladd192(a, c1, GLV_A1, !(GLV_G1_NEG ^ GLV_A1_NEG));
    muladd192(a, c2, GLV_A2, !(GLV_G2_NEG ^ GLV_A2_NEG));
    muladd192(b, c1, GLV_B1, !(GLV_G1_NEG ^ GLV_B1_NEG));
    muladd192(b, c2, GLV_B2, !(GLV_G2_NEG ^ GLV_B2_NEG));
    abs192(k1, neg1, a);
    abs192(k2, neg2, b);
}

static void glv_endo(g1_affine_t *r, const g1_affine_t *p) {
    static const fp_t beta = {GLV_BETA_MONT_INIT};
    mfp_mul(&r->x, &p->x, &beta);
    r->y = p->y;
}

#define MSM_G g1
#define MSM_F mfp
#define MSM_FT fp_t
#define MSM_INV_COST 200
#define MSM_SPLIT 2
#define MSM_SPLIT_BITS GLV_K_BITS
#define MSM_SPLIT_FN g1_glv_split
#define MSM_VG vg1
#define MSM_ENDO_FN glv_endo
#include "msm_impl.h"
