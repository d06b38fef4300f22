/* Fr of BN254: the shared prime-field template plus roots of unity. */
#include "ff.h"
#include "ff_constants.h"

#define PF fr
#define PF_T fr_t
#define PF_MOD FR_MOD
#define PF_N0 FR_N0
#define PF_R1 FR_R1
#define PF_R2 FR_R2
#define PF_R3 FR_R3
#define PF_MOD_MINUS_2 FR_MOD_MINUS_2
#include "prime_field_impl.h"

const uint64_t FR_MODULUS[4] = FR_MOD_INIT;

_Static_assert(FR_GEN_TWO_ADICITY == FR_TWO_ADICITY, "two-adicity of r-1");

void fr_root_of_unity(fr_t *r, unsigned log_n) {
    memcpy(r->l, FR_ROOT_OF_UNITY_MONT, 32);
    for (unsigned i = log_n; i < FR_TWO_ADICITY; i++) fr_sqr(r, r);
}

void fr_generator(fr_t *r) { memcpy(r->l, FR_GENERATOR_MONT, 32); }
