/* Reference Poseidon permutation: the rounds exactly as circomlib's
 * poseidon_reference states them (add constants, S-box on all words or on
 * word 0, dense MDS product). Deliberately plain: it is the yardstick the
 * optimised poseidon_permute is tested against, and it uses only the
 * reference tables of the generated header. */
#include "hash.h"
#include "poseidon_constants.h"

static void pow5(fr_t *x) {
    fr_t x2, x4;
    fr_sqr(&x2, x);
    fr_sqr(&x4, &x2);
    fr_mul(x, &x4, x);
}

zk_err poseidon_permute_reference(fr_t *state, size_t t) {
    if (t < POSEIDON_T_MIN || t > POSEIDON_T_MAX) return ZK_ERR_ARG;
    const fr_t *c = POSEIDON_REF[t - 2].c, *m = POSEIDON_REF[t - 2].m;
    unsigned rp = POSEIDON_RP[t - 2], half = POSEIDON_RF / 2;
    fr_t next[POSEIDON_T_MAX], prod;
    for (unsigned r = 0; r < POSEIDON_RF + rp; r++) {
        for (size_t i = 0; i < t; i++) fr_add(&state[i], &state[i], &c[r * t + i]);
        int full = r < half || r >= half + rp;
        for (size_t i = 0; i < (full ? t : 1); i++) pow5(&state[i]);
        for (size_t i = 0; i < t; i++) {
            fr_zero(&next[i]);
            for (size_t j = 0; j < t; j++) {
                fr_mul(&prod, &m[i * t + j], &state[j]);
                fr_add(&next[i], &next[i], &prod);
            }
        }
        for (size_t i = 0; i < t; i++) state[i] = next[i];
    }
    return ZK_OK;
}

const fr_t *poseidon_round_constants(size_t t) {
    return t >= POSEIDON_T_MIN && t <= POSEIDON_T_MAX ? POSEIDON_REF[t - 2].c : NULL;
}

const fr_t *poseidon_mds_matrix(size_t t) {
    return t >= POSEIDON_T_MIN && t <= POSEIDON_T_MAX ? POSEIDON_REF[t - 2].m : NULL;
}

unsigned poseidon_partial_rounds(size_t t) {
    return t >= POSEIDON_T_MIN && t <= POSEIDON_T_MAX ? POSEIDON_RP[t - 2] : 0;
}

_Static_assert(POSEIDON_RF == ZK_POSEIDON_FULL_ROUNDS, "full rounds");
