/* The step that prove-batch and the prove worker share: synthesise a batch
 * witness in PROVE mode, check that it fits the proving key and satisfies
 * every constraint, so that neither command ever proves a bad witness. */
#ifndef ZKPOS_BATCH_CLI_H
#define ZKPOS_BATCH_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "groth16/groth16.h"
#include "r1cs/r1cs.h"
#include "solvency/solvency.h"

/* On success returns 0 and *out holds the PROVE-mode builder (witness and
 * per-constraint values for zk_g16_prove); otherwise returns 1, *out is NULL
 * and why holds the reason (size mismatch with the key, violated constraints
 * with the first one's label, synthesis errors). */
int batch_cli_synthesize(zk_cs **out, char *why, size_t why_len, const zk_g16_pk *pk,
                         const zk_batch_witness *w);

/* The batch circuit is fixed + B * per_user constraints (one public input),
 * so two count walks (B = 1, 2) give the largest B whose circuit fits the
 * Groth16 domain 2^lg: *max_users (0 if not even B = 1 fits). Lets
 * circuit-info and keygen say how full the power-of-two domain is, since a
 * B just past a power of two doubles the proving cost of every batch.
 * Returns 0, or 1 with a message on stderr. */
int batch_cli_fit_users(unsigned *max_users, unsigned assets, unsigned lg);
/* log2 of the domain a circuit of that size needs (as setup computes it). */
unsigned batch_cli_log_domain(uint64_t nconstraints, uint64_t npublic);
/* Prints to f the domain-use line of circuit-info and keygen, e.g.
 * "domain use 55.4 % of 2^21 (B <= 115 fits 2^21; B <= 57 fits 2^20)". */
int batch_cli_domain_note(FILE *f, const char *prefix, unsigned assets, uint64_t nconstraints, uint64_t npublic);

#endif
