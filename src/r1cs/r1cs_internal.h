/* Builder state shared by the r1cs sources (not a public header).
 *
 * Everything the walks store lives in flat, geometrically grown arrays:
 * the witness w, the per-constraint values va/vb/vc (PROVE), and for SETUP
 * one CSR structure per matrix plus the coefficient table, deduplicated with
 * an open-addressing hash of the Montgomery limbs (values below r have a
 * unique representation, so equal limbs <=> equal coefficients). */
#ifndef ZKPOS_R1CS_INTERNAL_H
#define ZKPOS_R1CS_INTERNAL_H

#include "r1cs.h"

typedef struct zk_poseidon_plan zk_poseidon_plan;
void zk_poseidon_plan_free(zk_poseidon_plan *plan); /* gadgets_poseidon.c */

typedef struct {
    char name[32];
    uint64_t constraints, privates, calls;
} zk_cs_label;

struct zk_cs {
    zk_cs_mode mode;
    int values;      /* PROVE, CHECK: variables carry values, constraints are checked */
    int record_vals; /* PROVE: per-constraint values are stored */
    int record_rows; /* SETUP: matrices are stored, lcs carry terms */
    zk_err err;
    uint64_t nvars, npub, ncons;

    fr_t *w;
    uint64_t w_cap;
    fr_t *va, *vb, *vc;
    uint64_t v_cap;

    uint64_t *rows[3];
    uint64_t rows_cap;
    zk_cs_term *terms[3];
    uint64_t nterms[3], terms_cap[3];
    fr_t *coeffs;
    uint64_t ncoeffs, coeffs_cap;
    uint32_t *ctab; /* coefficient index + 1, 0 = empty */
    uint64_t ctab_size;
    zk_term *scratch;
    uint64_t scratch_cap;

    zk_cs_label labels[ZK_CS_MAX_LABELS];
    uint32_t nlabels, depth;
    uint16_t stack[ZK_CS_MAX_DEPTH];
    uint8_t counted[ZK_CS_MAX_DEPTH]; /* 0 if the label also sits lower on the stack */

    uint64_t nfail, first_fail;
    char first_fail_path[ZK_CS_MAX_DEPTH * 32 + 1];

    zk_cs_hint_hook hook;
    void *hook_ctx;
    zk_cs_row_sink sink;
    void *sink_ctx;

    zk_lc one_lc;
    fr_t one, minus_one;
    fr_t pow2[256]; /* 2^i mod r */
    zk_poseidon_plan *plans[18]; /* by width, built on first use */
};

void zk_cs_set_error(zk_cs *cs, zk_err e); /* keeps the first error */

static inline const zk_term *zk_lc_terms(const zk_lc *a) { return a->heap ? a->heap : a->inl; }

#endif
