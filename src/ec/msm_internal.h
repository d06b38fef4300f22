/* Internal to the ec layer, its tests and benchmarks: the MSM with explicit
 * tuning knobs, and its pieces that tests check on their own (the batch
 * kernel, the endomorphism splits). g1_msm_var / g2_msm_var of ec.h are the
 * _opts functions with opts = NULL (everything automatic). The knobs exist
 * so that tests can drive the rare paths (bucket conflicts, Jacobian buckets,
 * tiny windows and chunks, no split, the portable kernel) on small inputs
 * and compare independent configurations on large ones. */
#ifndef ZKPOS_EC_MSM_INTERNAL_H
#define ZKPOS_EC_MSM_INTERNAL_H

#include "ec.h"

/* Largest window the planner or a caller may use (2^(c-1) buckets). */
#define ZK_MSM_MAX_WINDOW 22

typedef struct {
    unsigned window;   /* c, 0 = automatic, else 2..ZK_MSM_MAX_WINDOW */
    int bucket_mode;   /* 0 = automatic, 1 = affine buckets with batched inversion, 2 = Jacobian buckets */
    unsigned ranges;   /* point ranges with their own buckets, 0 = automatic */
    unsigned batch;    /* affine additions per inversion, 0 = automatic */
    int no_glv;        /* 254-bit digits without the endomorphism split (GLV / psi) */
    int no_ones;       /* treat scalar 1 like any other (no separate tree sum) */
    int no_simd;       /* the portable batch kernel even where AVX-512 IFMA is available */
    size_t chunk;      /* points per chunk (digit tables), 0 = automatic */
} zk_msm_opts;

ZK_WUR zk_err g1_msm_var_opts(zk_pool *pool, g1_jac_t *out, const g1_affine_t *points,
                              const fr_t *scalars, size_t n, const zk_msm_opts *opts);
ZK_WUR zk_err g2_msm_var_opts(zk_pool *pool, g2_jac_t *out, const g2_affine_t *points,
                              const fr_t *scalars, size_t n, const zk_msm_opts *opts);

/* The batched affine addition kernel alone (one shared inversion per call),
 * used by the fixed-base tables of setup and by the differential tests of the
 * vector kernel against the portable one on arbitrary field elements (the
 * chord formula does not need points on the curve): dst[idx[i]] +=
 * (neg[i] ? -src[i] : src[i]) with distinct idx; entries with equal x are
 * left alone. simd = 0 forces the portable kernel. Returns the number of
 * such skipped entries (UINT32_MAX if out of memory). */
uint32_t g1_msm_batch_add_var(g1_affine_t *dst, const uint32_t *idx, const g1_affine_t *const *src,
                                   const uint8_t *neg, uint32_t k, int simd);
uint32_t g2_msm_batch_add_var(g2_affine_t *dst, const uint32_t *idx, const g2_affine_t *const *src,
                                   const uint8_t *neg, uint32_t k, int simd);

/* The G1 GLV split (exposed for tests): k = k1 + k2 lambda mod r with
 * k1 = (-1)^neg1 |k1|, |k1|, |k2| < 2^GLV_K_BITS (limbs 2, 3 are zero). */
void g1_glv_split(uint64_t k1[4], int *neg1, uint64_t k2[4], int *neg2, const uint64_t k[4]);
/* The G2 psi split: k = k1 + k2 lambda2 with lambda2 = 6x^2 (psi = [lambda2]
 * on G2), 0 <= k1 < lambda2, k2 < 2^GLV2_K_BITS; neg1 = neg2 = 0. */
void g2_psi_split(uint64_t k1[4], int *neg1, uint64_t k2[4], int *neg2, const uint64_t k[4]);

#endif
