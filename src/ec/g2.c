/* G2: the order-r subgroup of the sextic twist y^2 = x^3 + 3/(9+u) over Fp2.
 *
 * The group API comes from the shared templates (point_impl.h through
 * ec_internal.h, group_impl.h); this file supplies what is specific to G2:
 * the constants, the field-element layouts (EIP-197 and gnark put the
 * imaginary part first, snarkjs the real part), the endomorphism psi and
 * the subgroup check.
 *
 * Subgroup check: psi = untwist o Frobenius o twist satisfies
 * psi^2 - t psi + p = 0 on the whole twist (it is conjugate to the p-power
 * Frobenius of E/Fp, whose trace is t = p + 1 - r = 6x^2 + 1). Let
 * lambda = 6x^2 = p - r. If psi(P) = [lambda]P then
 *   O = psi^2(P) - [t]psi(P) + [p]P = [lambda^2 - (lambda + 1) lambda + p]P
 *     = [p - lambda]P = [r]P,
 * so the test accepts only points of order dividing r. Conversely the
 * twist has a single subgroup of order r (r^2 does not divide its order
 * r(2p - r)), on which psi acts as a root of X^2 - tX + p = (X-1)(X-p) mod r;
 * tools/gen checks psi(G2) = [lambda]G2, so every point of G2 passes. The
 * scalar lambda has 127 bits, half of r. tests/test_ec.c compares the test
 * with [r]P = O on points inside and outside G2. */
#include "ec_internal.h"

static const fp2_t g2_curve_b = {{EC_G2_B_C0_INIT}, {EC_G2_B_C1_INIT}};

static zk_err g2_fe_from_be(fp2_t *r, const uint8_t *in) {
    zk_err e = fp_from_bytes_be(&r->c1, in);
    return e != ZK_OK ? e : fp_from_bytes_be(&r->c0, in + 32);
}
static void g2_fe_to_be(uint8_t *out, const fp2_t *a) {
    fp_to_bytes_be(out, &a->c1);
    fp_to_bytes_be(out + 32, &a->c0);
}
static zk_err g2_fe_from_lem(fp2_t *r, const uint8_t *in) {
    zk_err e = ec_fp_from_lem(&r->c0, in);
    return e != ZK_OK ? e : ec_fp_from_lem(&r->c1, in + 32);
}
static void g2_fe_to_lem(uint8_t *out, const fp2_t *a) {
    ec_fp_to_lem(out, &a->c0);
    ec_fp_to_lem(out + 32, &a->c1);
}
static zk_err g2_fe_from_dec(fp2_t *r, const char *const *s) {
    zk_err e = fp_from_dec(&r->c0, s[0]);
    return e != ZK_OK ? e : fp_from_dec(&r->c1, s[1]);
}
static void g2_fe_to_dec(char (*out)[80], const fp2_t *a) {
    fp_to_dec(out[0], 80, &a->c0);
    fp_to_dec(out[1], 80, &a->c1);
}

void g2_generator(g2_affine_t *r) {
    static const g2_affine_t gen = {{{EC_G2_GEN_X_C0_INIT}, {EC_G2_GEN_X_C1_INIT}},
                                    {{EC_G2_GEN_Y_C0_INIT}, {EC_G2_GEN_Y_C1_INIT}}};
    *r = gen;
}

/* psi(X, Y, Z) = (conj(X) c_x, conj(Y) c_y, conj(Z)): conj is a field
 * automorphism, so it commutes with the Jacobian scaling. */
void g2_psi(g2_jac_t *r, const g2_jac_t *a) {
    static const fp2_t cx = {{EC_G2_PSI_X_C0_INIT}, {EC_G2_PSI_X_C1_INIT}};
    static const fp2_t cy = {{EC_G2_PSI_Y_C0_INIT}, {EC_G2_PSI_Y_C1_INIT}};
    fp2_conj(&r->x, &a->x);
    fp2_mul(&r->x, &r->x, &cx);
    fp2_conj(&r->y, &a->y);
    fp2_mul(&r->y, &r->y, &cy);
    fp2_conj(&r->z, &a->z);
}

int g2_affine_is_in_subgroup(const g2_affine_t *a) {
    static const uint64_t lambda[4] = EC_G2_LAMBDA_INIT;
    g2_jac_t p, lp, pp;
    if (g2_affine_is_infinity(a)) return 1;
    g2_from_affine(&p, a);
    g2_psi(&pp, &p);
    g2_mul_u256_var(&lp, &p, lambda);
    return g2_jac_eq(&lp, &pp);
}

#define PT_G g2
#define PT_F fp2
#define PT_FT fp2_t
#define PT_FBYTES 64
#define PT_FSTRS 2
#include "group_impl.h"

zk_err g2_from_lem_unchecked(g2_affine_t *r, const uint8_t in[128]) {
    return g2_from_lem_checked(r, in, 0);
}
