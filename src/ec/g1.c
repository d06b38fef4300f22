/* G1: y^2 = x^3 + 3 over Fp, prime order r (cofactor 1).
 *
 * The group API comes from the shared templates (point_impl.h through
 * ec_internal.h, group_impl.h); this file supplies what is specific to G1:
 * the constants, the field-element byte/text layouts, and the trivial
 * subgroup check (every point on the curve is in the group). */
#include "ec_internal.h"

static const fp_t g1_curve_b = {EC_G1_B_INIT};

static zk_err g1_fe_from_be(fp_t *r, const uint8_t *in) { return fp_from_bytes_be(r, in); }
static void g1_fe_to_be(uint8_t *out, const fp_t *a) { fp_to_bytes_be(out, a); }
static zk_err g1_fe_from_lem(fp_t *r, const uint8_t *in) { return ec_fp_from_lem(r, in); }
static void g1_fe_to_lem(uint8_t *out, const fp_t *a) { ec_fp_to_lem(out, a); }
static zk_err g1_fe_from_dec(fp_t *r, const char *const *s) { return fp_from_dec(r, s[0]); }
static void g1_fe_to_dec(char (*out)[80], const fp_t *a) { fp_to_dec(out[0], 80, a); }

void g1_generator(g1_affine_t *r) {
    static const g1_affine_t gen = {{EC_G1_GEN_X_INIT}, {EC_G1_GEN_Y_INIT}};
    *r = gen;
}

/* Cofactor 1: a point on the curve is in the group. */
int g1_affine_is_in_subgroup(const g1_affine_t *a) {
    (void)a;
    return 1;
}

#define PT_G g1
#define PT_F fp
#define PT_FT fp_t
#define PT_FBYTES 32
#define PT_FSTRS 1
#include "group_impl.h"
