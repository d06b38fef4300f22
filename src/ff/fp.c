/* Fp of BN254: the shared prime-field template plus square roots. */
#include "ff.h"
#include "ff_constants.h"

#define PF fp
#define PF_T fp_t
#define PF_MOD FP_MOD
#define PF_N0 FP_N0
#define PF_R1 FP_R1
#define PF_R2 FP_R2
#define PF_R3 FP_R3
#define PF_MOD_MINUS_2 FP_MOD_MINUS_2
#include "prime_field_impl.h"

const uint64_t FP_MODULUS[4] = FP_MOD_INIT;

zk_err fp_sqrt(fp_t *r, const fp_t *a) {
    fp_t s, chk;
    fp_pow_public_exp(&s, a, FP_SQRT_EXP, 4); /* public exponent: faster, still constant time in a */
    fp_sqr(&chk, &s);
    int ok = fp_eq(&chk, a);
    *r = s;
    return ok ? ZK_OK : ZK_ERR_NO_SQRT;
}

int fp_is_square(const fp_t *a) {
    fp_t t;
    fp_pow_public_exp(&t, a, FP_MOD_MINUS_1_HALF, 4);
    return fp_is_one(&t) | fp_is_zero(a);
}

int fp_is_lexicographically_largest(const fp_t *a) {
    uint64_t v[4];
    fp_to_u256(v, a);
    return mont_lt(FP_MOD_MINUS_1_HALF, v);
}
