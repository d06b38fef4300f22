/* Montgomery parameters, exponents and roots of unity for Fp and Fr. */
#include "gen.h"

static void emit_field(FILE *out, const char *P, const mpz_t m) {
    char name[64];
    mpz_t t, b64, r;
    mpz_inits(t, b64, r, NULL);
    mpz_ui_pow_ui(b64, 2, 64);

    snprintf(name, sizeof name, "%s_MOD", P);
    gen_emit_limbs(out, name, m);
    /* n0 = -m^-1 mod 2^64 */
    mpz_invert(t, m, b64);
    mpz_sub(t, b64, t);
    fprintf(out, "#define %s_N0 0x%016llxULL\n", P, (unsigned long long)mpz_get_ui(t));
    mpz_set_ui(r, 1);
    gen_to_mont(t, r, m);
    snprintf(name, sizeof name, "%s_R1", P);  /* 1 in Montgomery form */
    gen_emit_limbs(out, name, t);
    mpz_ui_pow_ui(t, 2, 512);
    mpz_mod(t, t, m);
    snprintf(name, sizeof name, "%s_R2", P);
    gen_emit_limbs(out, name, t);
    mpz_ui_pow_ui(t, 2, 768);
    mpz_mod(t, t, m);
    snprintf(name, sizeof name, "%s_R3", P);
    gen_emit_limbs(out, name, t);
    mpz_sub_ui(t, m, 2);
    snprintf(name, sizeof name, "%s_MOD_MINUS_2", P);
    gen_emit_limbs(out, name, t);
    mpz_sub_ui(t, m, 1);
    mpz_fdiv_q_2exp(t, t, 1);
    snprintf(name, sizeof name, "%s_MOD_MINUS_1_HALF", P);
    gen_emit_limbs(out, name, t);
    mpz_clears(t, b64, r, NULL);
}

void gen_ff(FILE *out) {
    mpz_t p, r, t, g, e;
    mpz_inits(p, r, t, g, e, NULL);
    mpz_set_str(p, BN254_P_DEC, 10);
    mpz_set_str(r, BN254_R_DEC, 10);

    fprintf(out, "#ifndef ZKPOS_FF_CONSTANTS_H\n#define ZKPOS_FF_CONSTANTS_H\n#include <stdint.h>\n\n");
    fprintf(out, "/* Fp: p = %s */\n", BN254_P_DEC);
    emit_field(out, "FP", p);
    /* p = 3 mod 4: sqrt(a) = a^((p+1)/4); Fp2 sqrt uses (p-3)/4 */
    mpz_add_ui(t, p, 1);
    mpz_fdiv_q_2exp(t, t, 2);
    gen_emit_limbs(out, "FP_SQRT_EXP", t);
    mpz_sub_ui(t, p, 3);
    mpz_fdiv_q_2exp(t, t, 2);
    gen_emit_limbs(out, "FP_MOD_MINUS_3_QUARTER", t);

    fprintf(out, "\n/* Fr: r = %s */\n", BN254_R_DEC);
    emit_field(out, "FR", r);
    /* two-adicity of r-1 and the 2^s-th root of unity from generator 5 */
    mpz_sub_ui(t, r, 1);
    unsigned long s = mpz_scan1(t, 0);
    fprintf(out, "#define FR_GEN_TWO_ADICITY %lu\n", s);
    mpz_set_ui(g, 5);
    /* check that 5 is a generator: g^((r-1)/q) != 1 for every prime q | r-1 is
     * expensive to factor here; it suffices for the NTT that g is a non-residue
     * of order divisible by 2^s, i.e. g^((r-1)/2) = -1. */
    mpz_fdiv_q_2exp(e, t, 1);
    mpz_powm(e, g, e, r);
    mpz_add_ui(e, e, 1);
    if (mpz_cmp(e, r) != 0) { fprintf(stderr, "5 is a square mod r\n"); }
    gen_to_mont(e, g, r);
    gen_emit_limbs(out, "FR_GENERATOR_MONT", e);
    mpz_fdiv_q_2exp(e, t, s);
    mpz_powm(e, g, e, r);  /* primitive 2^s-th root */
    gen_to_mont(g, e, r);
    gen_emit_limbs(out, "FR_ROOT_OF_UNITY_MONT", g);
    fprintf(out, "\n#endif\n");
    mpz_clears(p, r, t, g, e, NULL);
}
