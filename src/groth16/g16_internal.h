/* Internal helpers shared by the groth16 sources: the proving-key image
 * layout, message formatting and small field helpers. */
#ifndef ZKPOS_G16_INTERNAL_H
#define ZKPOS_G16_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "groth16.h"

#define G16_HEADER_LEN 512u
#define G16_NSEC 8
enum { G16_SEC_FIXED = 0, G16_SEC_IC, G16_SEC_A, G16_SEC_B1, G16_SEC_B2, G16_SEC_C, G16_SEC_H, G16_SEC_COEFS };

/* On-disk and in-memory header of a proving-key image (little-endian). */
typedef struct {
    char magic[8]; /* "ZKG16PK\0" */
    uint32_t version, header_len;
    uint64_t nvars, npublic, nconstraints, domain_size, log_n, ncoefs;
    uint64_t image_len; /* header + payload */
    uint64_t checksum;  /* g16_image_checksum */
    uint64_t sec_off[G16_NSEC], sec_len[G16_NSEC];
} g16_pk_header;
_Static_assert(sizeof(g16_pk_header) <= G16_HEADER_LEN, "header fits");
_Static_assert(sizeof(g1_affine_t) == 64 && sizeof(g2_affine_t) == 128 && sizeof(zk_g16_coef) == 48, "layout");

/* Fills h (magic, sizes, section table, image_len); checksum left 0.
 * ZK_ERR_ARG if the sizes are inconsistent or overflow. */
zk_err g16_layout(g16_pk_header *h, uint64_t nvars, uint64_t npublic, uint64_t nconstraints, unsigned log_n,
                  uint64_t ncoefs);
/* Allocates a zeroed, 64-byte-aligned image for these sizes and binds pk. */
zk_err g16_pk_alloc(zk_g16_pk *pk, uint64_t nvars, uint64_t npublic, uint64_t nconstraints, unsigned log_n,
                    uint64_t ncoefs);
/* Sets pk's sizes and pointers from the header at image (already checked). */
void g16_pk_bind(zk_g16_pk *pk, void *image, size_t len, int mapped);
/* Writable pointer to a section of pk's image. */
void *g16_sec(const zk_g16_pk *pk, int sec);
/* Checksum of an image (header with checksum field zeroed + payload). */
uint64_t g16_image_checksum(zk_pool *pool, const void *image, size_t len, int release);
/* Drops the pages of [p, p+len) from the process (mapped files only: the
 * data stays in the page cache and faults back in when touched again). */
void g16_release(const void *p, size_t len);
/* g16_release if pk is a mapped key file, else nothing. */
void g16_pk_release(const zk_g16_pk *pk, const void *p, size_t len);

void g16_msg(zk_g16_msg *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Smallest log_n with 2^log_n >= m + npublic + 1 (snarkjs's cirPower). */
unsigned g16_log_domain(uint64_t nconstraints, uint64_t npublic);

/* The coset shift used for H: a primitive 2n-th root of unity (snarkjs's
 * Fr.w[log_n+1]); for log_n = 28 snarkjs uses its Fr.shift, unsupported. */
void g16_h_shift(fr_t *s, unsigned log_n);

#endif
