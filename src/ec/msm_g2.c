/* G2 multi-scalar multiplication: the msm_impl.h template over Fp2 with the
 * psi split. psi(x, y) = (conj(x) c_x, conj(y) c_y) acts as [6x^2] on G2 and
 * 6x^2 ~ 2^126.6 is about sqrt(r), so a plain division gives the halves:
 * k = k1 + k2 6x^2 with 0 <= k1, k2 < 2^127. Halving the scalar length halves
 * the windows and with them the bucket reductions, which are a large share of
 * the work on G2 at prover sizes (Jacobian additions in Fp2). */
#include "ec_internal.h"
#include "glv_constants.h"
#include "msm_field.h"
#include "msm_internal.h"
#include "msm_wide.h"

void g2_psi_split(uint64_t k1[4], int *neg1, uint64_t k2[4], int *neg2, const uint64_t k[4]) {
    uint64_t q[3], a[3] = {k[0], k[1], k[2]};
    mul_shr256(q, k, GLV2_RECIP); /* the quotient or one less */
    muladd192(a, q, GLV2_LAMBDA, 1);
    /* a = k - q lambda2 < 2 lambda2 < 2^128 */
    if (a[2] || a[1] > GLV2_LAMBDA[1] || (a[1] == GLV2_LAMBDA[1] && a[0] >= GLV2_LAMBDA[0])) {
        static const uint64_t one[3] = {1, 0, 0};
        muladd192(a, one, GLV2_LAMBDA, 1);
        zk_u128 c = (zk_u128)q[0] + 1;
        q[0] = (uint64_t)c;
        c = (zk_u128)q[1] + (uint64_t)(c >> 64);
        q[1] = (uint64_t)c;
    }
    k1[0] = a[0];
    k1[1] = a[1];
    k1[2] = k1[3] = 0;
    k2[0] = q[0];
    k2[1] = q[1];
    k2[2] = k2[3] = 0;
    *neg1 = *neg2 = 0;
}

static void psi(g2_affine_t *r, const g2_affine_t *p) {
    static const fp2_t cx = {{EC_G2_PSI_X_C0_INIT}, {EC_G2_PSI_X_C1_INIT}};
    static const fp2_t cy = {{EC_G2_PSI_Y_C0_INIT}, {EC_G2_PSI_Y_C1_INIT}};
    mfp2_mul_conj(&r->x, &cx, &p->x);
    mfp2_mul_conj(&r->y, &cy, &p->y);
}

#define MSM_G g2
#define MSM_F mfp2
#define MSM_FT fp2_t
#define MSM_INV_COST 80
#define MSM_SPLIT 2
#define MSM_SPLIT_BITS GLV2_K_BITS
#define MSM_SPLIT_FN g2_psi_split
#define MSM_VG vg2
#define MSM_ENDO_FN psi
#include "msm_impl.h"
