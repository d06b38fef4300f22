/* Shared helpers of the constant generator (GMP, cold path only). */
#ifndef ZKPOS_GEN_H
#define ZKPOS_GEN_H
#include <gmp.h>
#include <stdio.h>

#define BN254_P_DEC "21888242871839275222246405745257275088696311157297823662689037894645226208583"
#define BN254_R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"

/* Prints `static const uint64_t NAME[4] = {...};` with v's 4 little-endian limbs. */
void gen_emit_limbs(FILE *out, const char *name, const mpz_t v);
/* Prints only the brace-enclosed limb list "{0x..., ...}" (for tables). */
void gen_emit_limb_list(FILE *out, const mpz_t v);
/* v * 2^256 mod m (Montgomery form). */
void gen_to_mont(mpz_t out, const mpz_t v, const mpz_t m);

/* Exits with a message naming `who` unless p = 36x^4 + 36x^3 + 24x^2 + 6x + 1
 * and r = p - 6x^2 (the BN parametrisation every derived constant relies on). */
void gen_check_bn_params(const mpz_t x, const mpz_t p, const mpz_t r, const char *who);

/* Each target writes one generated header to out. */
typedef void (*gen_target_fn)(FILE *out);
void gen_ff(FILE *out);
void gen_ec(FILE *out);
void gen_tower(FILE *out);
void gen_poseidon(FILE *out);
void gen_glv(FILE *out);
#endif
