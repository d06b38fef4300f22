/* The multiplication-chain circuit shared by tests/test_groth16.c and
 * bench/bench_groth16.c: publics x, y; v_0 = x, v_{i+1} = v_i (v_i + 1),
 * y = v_{n-1}; n constraints (n - 1 products and y = v_{n-1}). The witness
 * values are full-size field elements (no cheap 0/1 scalars), the worst
 * case for the prover's MSMs. Works in every builder mode (values are
 * computed only when the builder holds them). */
#ifndef ZKPOS_TESTS_MULT_CHAIN_H
#define ZKPOS_TESTS_MULT_CHAIN_H

#include "r1cs/r1cs.h"

static inline void mult_chain_circuit(zk_cs *cs, uint64_t n, uint64_t x0) {
    fr_t x, y, one;
    fr_set_u64(&x, x0);
    fr_one(&one);
    y = x;
    int vals = zk_cs_has_values(cs);
    for (uint64_t i = 0; vals && i + 1 < n; i++) {
        fr_t t;
        fr_add(&t, &y, &one);
        fr_mul(&y, &y, &t);
    }
    zk_var vx = zk_cs_public(cs, vals ? &x : NULL), vy = zk_cs_public(cs, vals ? &y : NULL);
    zk_lc a, b, ly;
    zk_lc_init(&a);
    zk_lc_init(&b);
    zk_lc_init(&ly);
    zk_lc_set_var(cs, &a, vx);
    for (uint64_t i = 0; i + 1 < n; i++) {
        zk_lc_copy(cs, &b, &a);
        zk_lc_add_const(cs, &b, &one);
        zk_lc_set_var(cs, &a, zk_cs_mul_new(cs, &a, &b));
    }
    zk_lc_set_var(cs, &ly, vy);
    zk_cs_eq(cs, &a, &ly);
    zk_lc_free(&a);
    zk_lc_free(&b);
    zk_lc_free(&ly);
}

#endif
