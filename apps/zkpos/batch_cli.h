/* The step that prove-batch and the prove worker share: synthesise a batch
 * witness in PROVE mode, check that it fits the proving key and satisfies
 * every constraint, so that neither command ever proves a bad witness. */
#ifndef ZKPOS_BATCH_CLI_H
#define ZKPOS_BATCH_CLI_H

#include <stddef.h>

#include "groth16/groth16.h"
#include "r1cs/r1cs.h"
#include "solvency/solvency.h"

/* On success returns 0 and *out holds the PROVE-mode builder (witness and
 * per-constraint values for zk_g16_prove); otherwise returns 1, *out is NULL
 * and why holds the reason (size mismatch with the key, violated constraints
 * with the first one's label, synthesis errors). */
int batch_cli_synthesize(zk_cs **out, char *why, size_t why_len, const zk_g16_pk *pk,
                         const zk_batch_witness *w);

#endif
