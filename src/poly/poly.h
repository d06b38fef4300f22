/* poly: number-theoretic transforms over the BN254 scalar field Fr.
 *
 * A domain of size n = 2^log_n (0 <= log_n <= FR_TWO_ADICITY = 28) is the
 * group H = {w^i} of n-th roots of unity, w = fr_root_of_unity(log_n); its
 * coset is g*H with g = fr_generator() = 5. Transforms work in place on n
 * elements and split their work over a thread pool (NULL = this thread).
 *
 *   zk_ntt:        coefficients a_0..a_{n-1}  ->  evaluations a(w^i)
 *   zk_intt:       evaluations a(w^i)         ->  coefficients (includes 1/n)
 *   zk_ntt_coset:  coefficients               ->  evaluations a(g*w^i)
 *   zk_intt_coset: evaluations a(g*w^i)       ->  coefficients
 * Input and output are in natural order (index i <-> w^i and x^i).
 *
 * The *_to_bitrev / *_from_bitrev variants skip the bit-reversal permutation:
 * "to_bitrev" forward transforms take natural-order coefficients and leave
 * evaluation number i at index bitrev(i); "from_bitrev" inverses take that
 * order and return natural-order coefficients. Pointwise work in between is
 * order-agnostic, so a pipeline such as the Groth16 quotient
 *     zk_intt -> zk_ntt_coset_to_bitrev -> (pointwise) -> zk_intt_coset_from_bitrev
 * never permutes on the coset side.
 *
 * The domain stores n/2 twiddles (16*n bytes; 48*n bytes in builds with
 * AVX-512 IFMA, which keep two more pre-scaled tables for the vector
 * butterflies); transforms need no other memory. Domains are immutable after creation and may be shared by
 * threads. A transform runs its pool (zk_pool_run is not reentrant: do not
 * call these from a task of the same pool). The operations performed do not
 * depend on the values in a, so secret inputs are fine. */
#ifndef ZKPOS_POLY_H
#define ZKPOS_POLY_H

#include <stddef.h>

#include "../ff/ff.h"
#include "../util/util.h"

typedef struct zk_ntt_domain zk_ntt_domain;

/* Creates the domain of size 2^log_n; pool (may be NULL) speeds up the
 * twiddle computation. ZK_ERR_ARG if log_n > FR_TWO_ADICITY or out is NULL,
 * ZK_ERR_NOMEM if allocation fails. */
ZK_WUR zk_err zk_ntt_domain_new(zk_pool *pool, zk_ntt_domain **out, unsigned log_n);
void zk_ntt_domain_free(zk_ntt_domain *d);
unsigned zk_ntt_domain_log_n(const zk_ntt_domain *d);
size_t zk_ntt_domain_size(const zk_ntt_domain *d);

/* Natural order in and out; a holds zk_ntt_domain_size(d) elements. */
void zk_ntt(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
void zk_intt(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
void zk_ntt_coset(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
void zk_intt_coset(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);

/* Natural-order coefficients in, bit-reversed evaluations out. */
void zk_ntt_to_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
void zk_ntt_coset_to_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
/* Bit-reversed evaluations in, natural-order coefficients out. */
void zk_intt_from_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);
void zk_intt_coset_from_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a);

/* Swaps a[i] and a[bitrev_log_n(i)] for all i < 2^log_n (log_n <= 28);
 * an involution. Cache-blocked and parallel. */
void zk_bitrev_permute(zk_pool *pool, fr_t *a, unsigned log_n);

#endif
