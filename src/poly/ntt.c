/* NTT over Fr: radix-2/4 Cooley-Tukey forward, Gentleman-Sande inverse.
 *
 * Design.
 * - One twiddle table of n/2 elements in bit-reversed order,
 *   tw[j] = w^bitrev_{log_n-1}(j). The forward transform (natural in,
 *   bit-reversed out) splits a block reduced modulo x^L - zeta into halves
 *   modulo x^(L/2) -+ sqrt(zeta); with the table in this order the twiddle of
 *   block b is tw[b] at every level, so each level reads a contiguous prefix
 *   of the table and a block needs one twiddle, not one per butterfly.
 *   Block 0 always has twiddle 1, so its multiplications are skipped.
 * - The inverse needs tw[b]^-1 = w^-e (e = bitrev(b)) = -w^(n/2-e), which is
 *   again a table entry: the inverse reads the same table and negates by
 *   swapping the operands of its subtraction. So twiddles cost 16n bytes
 *   (half the data) and nothing else is allocated per call.
 * - Cache: levels whose blocks exceed 2^BLOCK_LOG elements (128 KiB) run as
 *   whole-array passes, two levels per pass (radix 4) and parallel across
 *   butterflies; then each 2^BLOCK_LOG block does all remaining levels while
 *   it sits in L2, blocks spread over the pool. Field multiplication
 *   dominates (about 100x a cache line transfer per butterfly), so this
 *   simple two-phase split is enough; no six-step transposes.
 * - Natural order costs one bit-reversal permutation, done in 8x8 tiles so
 *   both sides of every swap use whole cache lines.
 * - The butterflies call the inline Montgomery core of the ff layer
 *   (mont.h with the generated Fr constants) rather than the out-of-line
 *   fr_mul/fr_add/fr_sub: with the portable C core that halves the cost of
 *   a butterfly (the modulus folds into the code), with the x86-64 ADX core
 *   it still saves a few percent, and the formula exists only once, in ff.
 * - With AVX-512 IFMA (ff/mont_ifma.h; not in the portable build) and
 *   n >= 64, every butterfly runs 8 at a time: the element arrays stay
 *   fr_t (loads/stores transpose 8 elements into radix-2^52 vectors), and
 *   the domain holds two more tables of n/2 twiddles pre-scaled by 16 (the
 *   radix-2^52 product divides by 2^260, so a scaled twiddle gives exactly
 *   fr_mul): tw16[c] = 16 tw[c] and itw16[c] = 16 tw[c'] (the inverse's
 *   twiddle, indexed linearly so that lanes can load it). Levels whose
 *   butterflies are at distance >= 8 vectorize across consecutive j with
 *   one broadcast twiddle; the last three levels of each in-cache block
 *   (distances 4, 2, 1) work on 64-element tiles loaded transposed (lane c
 *   = 8-element group c, vector k = position k in the group), where all
 *   butterflies are between whole vectors and twiddles are strided loads.
 *   Every vector operation returns canonical values, so outputs are
 *   bit-identical to the scalar path. Cost: 32n more bytes of twiddles. */
#include <stdlib.h>
#include <string.h>

#include "poly.h"
#include "../ff/ff_constants.h"
#include "../ff/mont.h"
#include "../ff/mont_ifma.h"

#define BLOCK_LOG 12  /* in-cache block: 2^12 * 32 B = 128 KiB */
#define CHUNK_LOG 9   /* butterflies (or quads) per task in whole-array passes */
#define SCALE_CHUNK_LOG 12
#define PAR_MIN_LOG 10 /* below this size the pool costs more than it saves */

struct zk_ntt_domain {
    unsigned log_n;
    size_t n;
    fr_t *tw;     /* n/2 twiddles, bit-reversed order */
    fr_t n_inv;   /* 1/n */
    fr_t g;       /* coset shift */
    fr_t g_inv;
    fr_t *tw16;   /* IFMA builds, log_n >= IFMA_MIN_LOG: 16 tw[c] */
    fr_t *itw16;  /* 16 tw[inv_tw_index(c)], itw16[0] = 16 (-1); else NULL */
};

#define IFMA_MIN_LOG 6 /* the vector block code needs 64-element tiles */

/* ---- field operations (inline, Fr) ---- */
ZK_INLINE void f_mul(fr_t *r, const fr_t *a, const fr_t *b) { mont_mul(r->l, a->l, b->l, FR_MOD, FR_N0); }
ZK_INLINE void f_add(fr_t *r, const fr_t *a, const fr_t *b) { mont_add(r->l, a->l, b->l, FR_MOD); }
ZK_INLINE void f_sub(fr_t *r, const fr_t *a, const fr_t *b) { mont_sub(r->l, a->l, b->l, FR_MOD); }

/* r = a^e, variable time in the public exponent e. */
static void pow_u64_var(fr_t *r, const fr_t *a, uint64_t e) {
    fr_t acc, base = *a;
    fr_one(&acc);
    while (e) {
        if (e & 1) f_mul(&acc, &acc, &base);
        e >>= 1;
        if (e) f_mul(&base, &base, &base);
    }
    *r = acc;
}

static inline uint64_t rev_bits(uint64_t x, unsigned bits) {
    if (bits == 0) return 0;
    x = __builtin_bswap64(x);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((x & 0x0f0f0f0f0f0f0f0fULL) << 4);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    return x >> (64 - bits);
}

/* Index c' with tw[c']  = -tw[c]^-1 (c >= 1): tw[c] = w^e, e = bitrev(c),
 * and w^-e = w^(n/2) * w^(n/2-e) = -tw[bitrev(n/2 - e)]. */
static inline size_t inv_tw_index(const zk_ntt_domain *d, size_t c) {
    unsigned m = d->log_n - 1;
    return (size_t)rev_bits(((uint64_t)1 << m) - rev_bits(c, m), m);
}

/* ---- butterflies ----
 * ct:  (x, y) -> (x + t*y, x - t*y)
 * gs:  (x, y) -> (x + y, (y - x)*u)  where u = -t^-1 = tw[c'] */
ZK_INLINE void bf_ct(fr_t *x, fr_t *y, const fr_t *t) {
    fr_t u;
    f_mul(&u, y, t);
    f_sub(y, x, &u);
    f_add(x, x, &u);
}
ZK_INLINE void bf_ct1(fr_t *x, fr_t *y) {
    fr_t u = *y;
    f_sub(y, x, &u);
    f_add(x, x, &u);
}
ZK_INLINE void bf_gs(fr_t *x, fr_t *y, const fr_t *u) {
    fr_t v = *x;
    f_add(x, &v, y);
    f_sub(y, y, &v);
    f_mul(y, y, u);
}
ZK_INLINE void bf_gs1(fr_t *x, fr_t *y) {
    fr_t v = *x;
    f_add(x, &v, y);
    f_sub(y, &v, y);
}

/* Forward, one level: block b of length 2h at p, butterflies j in [j0, j1). */
static void fwd_r2(const zk_ntt_domain *d, fr_t *p, size_t h, size_t b, size_t j0, size_t j1) {
    if (b == 0) {
        for (size_t j = j0; j < j1; j++) bf_ct1(&p[j], &p[j + h]);
    } else {
        const fr_t t = d->tw[b];
        for (size_t j = j0; j < j1; j++) bf_ct(&p[j], &p[j + h], &t);
    }
}

/* Forward, two levels: block b of length 4q at p (level s, twiddle tw[b]),
 * then its halves 2b and 2b+1 (level s+1). */
static void fwd_r4(const zk_ntt_domain *d, fr_t *p, size_t q, size_t b, size_t j0, size_t j1) {
    fr_t *p0 = p, *p1 = p + q, *p2 = p + 2 * q, *p3 = p + 3 * q;
    const fr_t t3 = d->tw[2 * b + 1];
    if (b == 0) {
        for (size_t j = j0; j < j1; j++) {
            bf_ct1(&p0[j], &p2[j]);
            bf_ct1(&p1[j], &p3[j]);
            bf_ct1(&p0[j], &p1[j]);
            bf_ct(&p2[j], &p3[j], &t3);
        }
    } else {
        const fr_t t1 = d->tw[b], t2 = d->tw[2 * b];
        for (size_t j = j0; j < j1; j++) {
            bf_ct(&p0[j], &p2[j], &t1);
            bf_ct(&p1[j], &p3[j], &t1);
            bf_ct(&p0[j], &p1[j], &t2);
            bf_ct(&p2[j], &p3[j], &t3);
        }
    }
}

static void inv_r2(const zk_ntt_domain *d, fr_t *p, size_t h, size_t b, size_t j0, size_t j1) {
    if (b == 0) {
        for (size_t j = j0; j < j1; j++) bf_gs1(&p[j], &p[j + h]);
    } else {
        const fr_t u = d->tw[inv_tw_index(d, b)];
        for (size_t j = j0; j < j1; j++) bf_gs(&p[j], &p[j + h], &u);
    }
}

/* Inverse of fwd_r4: levels s+1 (blocks 2b, 2b+1) then s (block b). */
static void inv_r4(const zk_ntt_domain *d, fr_t *p, size_t q, size_t b, size_t j0, size_t j1) {
    fr_t *p0 = p, *p1 = p + q, *p2 = p + 2 * q, *p3 = p + 3 * q;
    const fr_t u3 = d->tw[inv_tw_index(d, 2 * b + 1)];
    if (b == 0) {
        for (size_t j = j0; j < j1; j++) {
            bf_gs1(&p0[j], &p1[j]);
            bf_gs(&p2[j], &p3[j], &u3);
            bf_gs1(&p0[j], &p2[j]);
            bf_gs1(&p1[j], &p3[j]);
        }
    } else {
        const fr_t u1 = d->tw[inv_tw_index(d, b)], u2 = d->tw[inv_tw_index(d, 2 * b)];
        for (size_t j = j0; j < j1; j++) {
            bf_gs(&p0[j], &p1[j], &u2);
            bf_gs(&p2[j], &p3[j], &u3);
            bf_gs(&p0[j], &p2[j], &u1);
            bf_gs(&p1[j], &p3[j], &u1);
        }
    }
}

/* ---- 8-lane IFMA butterflies (see the design note) ---- */
#ifdef ZK_HAVE_MONT_IFMA
typedef m52x8 vf;

ZK_INLINE void vld(vf *r, const fr_t *p, size_t stride) { m52_load(r, p->l, stride); }
ZK_INLINE void vst(fr_t *p, size_t stride, const vf *a) { m52_store(p->l, stride, a); }
ZK_INLINE void vset1(vf *r, const fr_t *t) { m52_set1(r, t->l); }
ZK_INLINE void fr_mod52(m52_mod *K) { m52_mod_init(K, FR_MOD, FR_N0, FR_R1); }

/* t, u: scaled twiddles (16 x) */
ZK_INLINE void vbf_ct(vf *x, vf *y, const vf *t, const m52_mod *K) {
    vf u;
    m52_mul_red(&u, y, t, K);
    m52_sub(y, x, &u, K);
    m52_add(x, x, &u, K);
}
ZK_INLINE void vbf_ct1(vf *x, vf *y, const m52_mod *K) {
    vf u = *y;
    m52_sub(y, x, &u, K);
    m52_add(x, x, &u, K);
}
ZK_INLINE void vbf_gs(vf *x, vf *y, const vf *u, const m52_mod *K) {
    vf v = *x;
    m52_add(x, &v, y, K);
    m52_sub(y, y, &v, K);
    m52_mul_red(y, y, u, K);
}
ZK_INLINE void vbf_gs1(vf *x, vf *y, const m52_mod *K) {
    vf v = *x;
    m52_add(x, &v, y, K);
    m52_sub(y, &v, y, K);
}

/* As fwd_r2 .. inv_r4, for j0, j1, h, q multiples of 8. */
static void vfwd_r2(const zk_ntt_domain *d, fr_t *p, size_t h, size_t b, size_t j0, size_t j1) {
    m52_mod K;
    fr_mod52(&K);
    vf t, x, y;
    vset1(&t, &d->tw16[b]);
    for (size_t j = j0; j < j1; j += 8) {
        vld(&x, p + j, 1);
        vld(&y, p + j + h, 1);
        if (b == 0) vbf_ct1(&x, &y, &K);
        else vbf_ct(&x, &y, &t, &K);
        vst(p + j, 1, &x);
        vst(p + j + h, 1, &y);
    }
}

static void vfwd_r4(const zk_ntt_domain *d, fr_t *p, size_t q, size_t b, size_t j0, size_t j1) {
    m52_mod K;
    fr_mod52(&K);
    vf t1, t2, t3, x0, x1, x2, x3;
    vset1(&t1, &d->tw16[b]);
    vset1(&t2, &d->tw16[2 * b]);
    vset1(&t3, &d->tw16[2 * b + 1]);
    for (size_t j = j0; j < j1; j += 8) {
        vld(&x0, p + j, 1);
        vld(&x1, p + q + j, 1);
        vld(&x2, p + 2 * q + j, 1);
        vld(&x3, p + 3 * q + j, 1);
        if (b == 0) {
            vbf_ct1(&x0, &x2, &K);
            vbf_ct1(&x1, &x3, &K);
            vbf_ct1(&x0, &x1, &K);
        } else {
            vbf_ct(&x0, &x2, &t1, &K);
            vbf_ct(&x1, &x3, &t1, &K);
            vbf_ct(&x0, &x1, &t2, &K);
        }
        vbf_ct(&x2, &x3, &t3, &K);
        vst(p + j, 1, &x0);
        vst(p + q + j, 1, &x1);
        vst(p + 2 * q + j, 1, &x2);
        vst(p + 3 * q + j, 1, &x3);
    }
}

static void vinv_r2(const zk_ntt_domain *d, fr_t *p, size_t h, size_t b, size_t j0, size_t j1) {
    m52_mod K;
    fr_mod52(&K);
    vf u, x, y;
    vset1(&u, &d->itw16[b]);
    for (size_t j = j0; j < j1; j += 8) {
        vld(&x, p + j, 1);
        vld(&y, p + j + h, 1);
        if (b == 0) vbf_gs1(&x, &y, &K);
        else vbf_gs(&x, &y, &u, &K);
        vst(p + j, 1, &x);
        vst(p + j + h, 1, &y);
    }
}

static void vinv_r4(const zk_ntt_domain *d, fr_t *p, size_t q, size_t b, size_t j0, size_t j1) {
    m52_mod K;
    fr_mod52(&K);
    vf u1, u2, u3, x0, x1, x2, x3;
    vset1(&u1, &d->itw16[b]);
    vset1(&u2, &d->itw16[2 * b]);
    vset1(&u3, &d->itw16[2 * b + 1]);
    for (size_t j = j0; j < j1; j += 8) {
        vld(&x0, p + j, 1);
        vld(&x1, p + q + j, 1);
        vld(&x2, p + 2 * q + j, 1);
        vld(&x3, p + 3 * q + j, 1);
        vbf_gs(&x2, &x3, &u3, &K);
        if (b == 0) {
            vbf_gs1(&x0, &x1, &K);
            vbf_gs1(&x0, &x2, &K);
            vbf_gs1(&x1, &x3, &K);
        } else {
            vbf_gs(&x0, &x1, &u2, &K);
            vbf_gs(&x0, &x2, &u1, &K);
            vbf_gs(&x1, &x3, &u1, &K);
        }
        vst(p + j, 1, &x0);
        vst(p + q + j, 1, &x1);
        vst(p + 2 * q + j, 1, &x2);
        vst(p + 3 * q + j, 1, &x3);
    }
}

/* The last three levels of block blk (2^cl elements at p, cl >= 6), in
 * 64-element tiles: v[k] lane c = element 8c + k of the tile, so group c
 * (an 8-element sub-block of level cl-3) sits in lane c of v[0..7]. The
 * sub-block twiddles of 8 consecutive groups are then loads from the tables
 * with stride 1 (level cl-3), 2 (cl-2) and 4 (cl-1). */
static void vfwd_tail(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    m52_mod K;
    fr_mod52(&K);
    const fr_t *t3 = d->tw16 + (blk << (cl - 3)), *t2 = d->tw16 + (blk << (cl - 2)),
               *t1 = d->tw16 + (blk << (cl - 1));
    vf v[8], t;
    for (size_t g = 0; g < ((size_t)1 << (cl - 6)); g++) {
        fr_t *pc = p + 64 * g;
        for (int k = 0; k < 8; k++) vld(&v[k], pc + k, 8);
        vld(&t, t3 + 8 * g, 1);
        for (int k = 0; k < 4; k++) vbf_ct(&v[k], &v[k + 4], &t, &K);
        for (int s = 0; s < 2; s++) {
            vld(&t, t2 + 16 * g + s, 2);
            vbf_ct(&v[4 * s], &v[4 * s + 2], &t, &K);
            vbf_ct(&v[4 * s + 1], &v[4 * s + 3], &t, &K);
        }
        for (int s = 0; s < 4; s++) {
            vld(&t, t1 + 32 * g + s, 4);
            vbf_ct(&v[2 * s], &v[2 * s + 1], &t, &K);
        }
        for (int k = 0; k < 8; k++) vst(pc + k, 8, &v[k]);
    }
}

static void vinv_tail(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    m52_mod K;
    fr_mod52(&K);
    const fr_t *u3 = d->itw16 + (blk << (cl - 3)), *u2 = d->itw16 + (blk << (cl - 2)),
               *u1 = d->itw16 + (blk << (cl - 1));
    vf v[8], u;
    for (size_t g = 0; g < ((size_t)1 << (cl - 6)); g++) {
        fr_t *pc = p + 64 * g;
        for (int k = 0; k < 8; k++) vld(&v[k], pc + k, 8);
        for (int s = 0; s < 4; s++) {
            vld(&u, u1 + 32 * g + s, 4);
            vbf_gs(&v[2 * s], &v[2 * s + 1], &u, &K);
        }
        for (int s = 0; s < 2; s++) {
            vld(&u, u2 + 16 * g + s, 2);
            vbf_gs(&v[4 * s], &v[4 * s + 2], &u, &K);
            vbf_gs(&v[4 * s + 1], &v[4 * s + 3], &u, &K);
        }
        vld(&u, u3 + 8 * g, 1);
        for (int k = 0; k < 4; k++) vbf_gs(&v[k], &v[k + 4], &u, &K);
        for (int k = 0; k < 8; k++) vst(pc + k, 8, &v[k]);
    }
}

/* fwd_block / inv_block with vectors: the cl-3 levels of distance >= 8
 * (radix 4, one radix-2 level if their count is odd), then the tail. */
static void vfwd_block(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    unsigned nl = cl - 3, l = 0;
    for (; l + 2 <= nl; l += 2) {
        size_t nb = (size_t)1 << l, q = (size_t)1 << (cl - l - 2);
        for (size_t i = 0; i < nb; i++) vfwd_r4(d, p + i * 4 * q, q, (blk << l) + i, 0, q);
    }
    if (l < nl) {
        size_t nb = (size_t)1 << l, h = (size_t)1 << (cl - l - 1);
        for (size_t i = 0; i < nb; i++) vfwd_r2(d, p + i * 2 * h, h, (blk << l) + i, 0, h);
    }
    vfwd_tail(d, p, blk, cl);
}

static void vinv_block(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    unsigned nl = cl - 3, l = nl;
    vinv_tail(d, p, blk, cl);
    if (nl & 1) {
        l = nl - 1;
        size_t nb = (size_t)1 << l, h = (size_t)1 << (cl - l - 1);
        for (size_t i = 0; i < nb; i++) vinv_r2(d, p + i * 2 * h, h, (blk << l) + i, 0, h);
    }
    while (l >= 2) {
        l -= 2;
        size_t nb = (size_t)1 << l, q = (size_t)1 << (cl - l - 2);
        for (size_t i = 0; i < nb; i++) vinv_r4(d, p + i * 4 * q, q, (blk << l) + i, 0, q);
    }
}
#endif

/* ---- phase 1: whole-array passes over levels with large blocks ---- */
typedef struct {
    const zk_ntt_domain *d;
    fr_t *a;
    int radix4, inverse;
    size_t per_block;  /* butterflies (radix 2) or quads (radix 4) per block */
    size_t chunk;      /* of those per task; divides per_block */
} pass_ctx;

static void pass_task(void *vctx, size_t t) {
    const pass_ctx *c = vctx;
    size_t g = t * c->chunk;
    size_t b = g / c->per_block, j0 = g % c->per_block, j1 = j0 + c->chunk;
    size_t len = c->per_block * (c->radix4 ? 4 : 2);
    fr_t *p = c->a + b * len;
#ifdef ZK_HAVE_MONT_IFMA
    if (c->d->tw16) { /* per_block >= 2^cl >= 64, chunk a multiple of 8 */
        if (c->radix4) (c->inverse ? vinv_r4 : vfwd_r4)(c->d, p, c->per_block, b, j0, j1);
        else (c->inverse ? vinv_r2 : vfwd_r2)(c->d, p, c->per_block, b, j0, j1);
        return;
    }
#endif
    if (c->radix4) {
        (c->inverse ? inv_r4 : fwd_r4)(c->d, p, c->per_block, b, j0, j1);
    } else {
        (c->inverse ? inv_r2 : fwd_r2)(c->d, p, c->per_block, b, j0, j1);
    }
}

static void run_pass(zk_pool *pool, const zk_ntt_domain *d, fr_t *a, unsigned s, int radix4, int inverse) {
    pass_ctx c;
    c.d = d;
    c.a = a;
    c.radix4 = radix4;
    c.inverse = inverse;
    c.per_block = d->n >> (s + (radix4 ? 2 : 1));
    c.chunk = c.per_block < ((size_t)1 << CHUNK_LOG) ? c.per_block : (size_t)1 << CHUNK_LOG;
    size_t total = d->n >> (radix4 ? 2 : 1);
    zk_pool_run(pool, total / c.chunk, pass_task, &c);
}

/* ---- phase 2: all remaining levels inside one block of 2^cl elements ---- */
typedef struct {
    const zk_ntt_domain *d;
    fr_t *a;
    unsigned cl; /* levels done inside each block */
} block_ctx;

static void fwd_block(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    unsigned l = 0;
    for (; l + 2 <= cl; l += 2) {
        size_t nb = (size_t)1 << l, q = (size_t)1 << (cl - l - 2);
        for (size_t i = 0; i < nb; i++) fwd_r4(d, p + i * 4 * q, q, (blk << l) + i, 0, q);
    }
    if (l < cl) { /* one level left: blocks of 2 */
        size_t nb = (size_t)1 << l;
        for (size_t i = 0; i < nb; i++) fwd_r2(d, p + 2 * i, 1, (blk << l) + i, 0, 1);
    }
}

static void inv_block(const zk_ntt_domain *d, fr_t *p, size_t blk, unsigned cl) {
    unsigned l = cl;
    if (cl & 1) {
        l = cl - 1;
        size_t nb = (size_t)1 << l;
        for (size_t i = 0; i < nb; i++) inv_r2(d, p + 2 * i, 1, (blk << l) + i, 0, 1);
    }
    while (l >= 2) {
        l -= 2;
        size_t nb = (size_t)1 << l, q = (size_t)1 << (cl - l - 2);
        for (size_t i = 0; i < nb; i++) inv_r4(d, p + i * 4 * q, q, (blk << l) + i, 0, q);
    }
}

static void fwd_block_task(void *vctx, size_t blk) {
    const block_ctx *c = vctx;
#ifdef ZK_HAVE_MONT_IFMA
    if (c->d->tw16) {
        vfwd_block(c->d, c->a + (blk << c->cl), blk, c->cl);
        return;
    }
#endif
    fwd_block(c->d, c->a + (blk << c->cl), blk, c->cl);
}

static void inv_block_task(void *vctx, size_t blk) {
    const block_ctx *c = vctx;
#ifdef ZK_HAVE_MONT_IFMA
    if (c->d->tw16) {
        vinv_block(c->d, c->a + (blk << c->cl), blk, c->cl);
        return;
    }
#endif
    inv_block(c->d, c->a + (blk << c->cl), blk, c->cl);
}

/* Levels per in-cache block: BLOCK_LOG, lowered so that a pool has at least
 * four blocks per thread to share. */
static unsigned block_levels(zk_pool *pool, unsigned k) {
    unsigned cl = k < BLOCK_LOG ? k : BLOCK_LOG;
    size_t want = 4 * (size_t)zk_pool_threads(pool);
    if (want > 4) {
        while (cl > 6 && ((size_t)1 << (k - cl)) < want) cl--;
    }
    return cl;
}

static zk_pool *effective_pool(zk_pool *pool, unsigned k) {
    return k < PAR_MIN_LOG ? NULL : pool;
}

static void forward_nr(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    unsigned k = d->log_n;
    if (k == 0) return;
    pool = effective_pool(pool, k);
    unsigned cl = block_levels(pool, k), outer = k - cl, s = 0;
    if (outer & 1) run_pass(pool, d, a, s++, 0, 0);
    for (; s < outer; s += 2) run_pass(pool, d, a, s, 1, 0);
    block_ctx c = {d, a, cl};
    zk_pool_run(pool, (size_t)1 << outer, fwd_block_task, &c);
}

static void inverse_rn_unscaled(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    unsigned k = d->log_n;
    if (k == 0) return;
    pool = effective_pool(pool, k);
    unsigned cl = block_levels(pool, k), outer = k - cl;
    block_ctx c = {d, a, cl};
    zk_pool_run(pool, (size_t)1 << outer, inv_block_task, &c);
    unsigned s = outer;
    while (s >= 2) {
        s -= 2;
        run_pass(pool, d, a, s, 1, 1);
    }
    if (s == 1) run_pass(pool, d, a, 0, 0, 1);
}

/* ---- scaling: a[i] *= c0 * h^i (h may be one) ---- */
typedef struct {
    fr_t *a;
    size_t n;
    fr_t c0, h;
    int powers;
} scale_ctx;

#ifdef ZK_HAVE_MONT_IFMA
/* scale_task on 8 lanes: lane j multiplies by c0 h^(i+j), the lanes'
 * factors (kept scaled by 16) advancing by h^8 per step; i1 - i0 is a
 * multiple of 8. */
static void vscale(const scale_ctx *c, size_t i0, size_t i1) {
    m52_mod K;
    fr_mod52(&K);
    fr_t f[8];
    vf x, fv, h8;
    if (!c->powers) {
        m52_scale16(f[0].l, c->c0.l, FR_MOD);
        vset1(&fv, &f[0]);
        for (size_t i = i0; i < i1; i += 8) {
            vld(&x, c->a + i, 1);
            m52_mul_red(&x, &x, &fv, &K);
            vst(c->a + i, 1, &x);
        }
        return;
    }
    pow_u64_var(&f[0], &c->h, i0);
    f_mul(&f[0], &f[0], &c->c0);
    for (int j = 1; j < 8; j++) f_mul(&f[j], &f[j - 1], &c->h);
    fr_t hs;
    pow_u64_var(&hs, &c->h, 8);
    m52_scale16(hs.l, hs.l, FR_MOD);
    vset1(&h8, &hs);
    for (int j = 0; j < 8; j++) m52_scale16(f[j].l, f[j].l, FR_MOD);
    vld(&fv, f, 1);
    for (size_t i = i0; i < i1; i += 8) {
        vld(&x, c->a + i, 1);
        m52_mul_red(&x, &x, &fv, &K);
        vst(c->a + i, 1, &x);
        m52_mul_red(&fv, &fv, &h8, &K);
    }
}
#endif

static void scale_task(void *vctx, size_t t) {
    const scale_ctx *c = vctx;
    size_t i0 = t << SCALE_CHUNK_LOG, i1 = i0 + ((size_t)1 << SCALE_CHUNK_LOG);
    if (i1 > c->n) i1 = c->n;
#ifdef ZK_HAVE_MONT_IFMA
    if (c->n >= ((size_t)1 << IFMA_MIN_LOG)) {
        vscale(c, i0, i1);
        return;
    }
#endif
    if (!c->powers) {
        for (size_t i = i0; i < i1; i++) f_mul(&c->a[i], &c->a[i], &c->c0);
        return;
    }
    fr_t p;
    pow_u64_var(&p, &c->h, i0);
    f_mul(&p, &p, &c->c0);
    for (size_t i = i0; i < i1; i++) {
        f_mul(&c->a[i], &c->a[i], &p);
        f_mul(&p, &p, &c->h);
    }
}

static void scale(zk_pool *pool, const zk_ntt_domain *d, fr_t *a, const fr_t *c0, const fr_t *h) {
    scale_ctx c;
    c.a = a;
    c.n = d->n;
    c.c0 = *c0;
    if (h) c.h = *h;
    else fr_one(&c.h);
    c.powers = h != NULL;
    zk_pool_run(effective_pool(pool, d->log_n), (d->n + ((size_t)1 << SCALE_CHUNK_LOG) - 1) >> SCALE_CHUNK_LOG,
                scale_task, &c);
}

/* ---- bit reversal ---- */
#define TILE_LOG 3

typedef struct {
    fr_t *a;
    unsigned k;
    size_t per_task; /* middle values (tiled) or indices (simple) per task */
} bitrev_ctx;

static inline void swap_fr(fr_t *x, fr_t *y) {
    fr_t t = *x;
    *x = *y;
    *y = t;
}

static void bitrev_simple_task(void *vctx, size_t t) {
    const bitrev_ctx *c = vctx;
    size_t n = (size_t)1 << c->k, i0 = t * c->per_task, i1 = i0 + c->per_task;
    if (i1 > n) i1 = n;
    for (size_t i = i0; i < i1; i++) {
        size_t r = (size_t)rev_bits(i, c->k);
        if (i < r) swap_fr(&c->a[i], &c->a[r]);
    }
}

/* Index bits are [hi: TILE_LOG][mid][lo: TILE_LOG]; bitrev maps the tile
 * (*, mid, *) onto (*, rev(mid), *), transposing the hi/lo bits. Each tile
 * pair is 2 x 64 elements in 8-element (256-byte) rows. */
static void bitrev_tiled_task(void *vctx, size_t t) {
    const bitrev_ctx *c = vctx;
    const unsigned k = c->k, mbits = k - 2 * TILE_LOG, hshift = k - TILE_LOG;
    const size_t tile = (size_t)1 << TILE_LOG;
    size_t m0 = t * c->per_task, m1 = m0 + c->per_task;
    for (size_t m = m0; m < m1; m++) {
        size_t mr = (size_t)rev_bits(m, mbits);
        if (m > mr) continue;
        for (size_t h = 0; h < tile; h++) {
            size_t hr = (size_t)rev_bits(h, TILE_LOG);
            for (size_t l = 0; l < tile; l++) {
                size_t i = (h << hshift) | (m << TILE_LOG) | l;
                size_t r = ((size_t)rev_bits(l, TILE_LOG) << hshift) | (mr << TILE_LOG) | hr;
                if (m < mr || i < r) swap_fr(&c->a[i], &c->a[r]);
            }
        }
    }
}

void zk_bitrev_permute(zk_pool *pool, fr_t *a, unsigned log_n) {
    if (log_n < 2 || log_n > FR_TWO_ADICITY) return;
    pool = effective_pool(pool, log_n);
    bitrev_ctx c;
    c.a = a;
    c.k = log_n;
    if (log_n < 2 * TILE_LOG + 2) {
        c.per_task = (size_t)1 << log_n;
        zk_pool_run(pool, 1, bitrev_simple_task, &c);
        return;
    }
    unsigned mbits = log_n - 2 * TILE_LOG;
    unsigned task_bits = mbits < 6 ? mbits : 6; /* up to 64 tasks */
    c.per_task = (size_t)1 << (mbits - task_bits);
    zk_pool_run(pool, (size_t)1 << task_bits, bitrev_tiled_task, &c);
}

/* ---- domain ---- */
typedef struct {
    fr_t *tw;
    size_t off;   /* 2^s: fills tw[off + j] = tw[j] * rho for j in [0, off) */
    size_t chunk;
    fr_t rho;
} tw_ctx;

static void tw_task(void *vctx, size_t t) {
    const tw_ctx *c = vctx;
    size_t j0 = t * c->chunk, j1 = j0 + c->chunk;
    for (size_t j = j0; j < j1; j++) f_mul(&c->tw[c->off + j], &c->tw[j], &c->rho);
}

#ifdef ZK_HAVE_MONT_IFMA
typedef struct {
    zk_ntt_domain *d;
    size_t chunk;
} tw16_ctx;

static void tw16_task(void *vctx, size_t t) {
    const tw16_ctx *c = vctx;
    zk_ntt_domain *d = c->d;
    size_t j0 = t * c->chunk, j1 = j0 + c->chunk;
    for (size_t j = j0; j < j1; j++) {
        m52_scale16(d->tw16[j].l, d->tw[j].l, FR_MOD);
        if (j == 0) {
            fr_t m1;
            fr_one(&m1);
            fr_neg(&m1, &m1); /* u = -t^-1 for t = 1 */
            m52_scale16(d->itw16[0].l, m1.l, FR_MOD);
        } else {
            m52_scale16(d->itw16[j].l, d->tw[inv_tw_index(d, j)].l, FR_MOD);
        }
    }
}
#endif

zk_err zk_ntt_domain_new(zk_pool *pool, zk_ntt_domain **out, unsigned log_n) {
    if (!out) return ZK_ERR_ARG;
    *out = NULL;
    if (log_n > FR_TWO_ADICITY) return ZK_ERR_ARG;
    zk_ntt_domain *d = calloc(1, sizeof *d);
    if (!d) return ZK_ERR_NOMEM;
    d->log_n = log_n;
    d->n = (size_t)1 << log_n;
    size_t half = d->n / 2;
    if (half) {
        d->tw = malloc(half * sizeof(fr_t));
        if (!d->tw) { free(d); return ZK_ERR_NOMEM; }
        /* bitrev_{k-1}(2^s + j) = bitrev_{k-1}(j) + n/2^(s+2) for j < 2^s, so
         * the block [2^s, 2^(s+1)) is the block [0, 2^s) times
         * rho_s = w^(n/2^(s+2)), the primitive 2^(s+2)-th root. */
        fr_one(&d->tw[0]);
        for (unsigned s = 0; s + 1 < log_n; s++) {
            tw_ctx c;
            c.tw = d->tw;
            c.off = (size_t)1 << s;
            c.chunk = c.off < ((size_t)1 << SCALE_CHUNK_LOG) ? c.off : (size_t)1 << SCALE_CHUNK_LOG;
            fr_root_of_unity(&c.rho, s + 2);
            zk_pool_run(s + 1 < PAR_MIN_LOG ? NULL : pool, c.off / c.chunk, tw_task, &c);
        }
    }
#ifdef ZK_HAVE_MONT_IFMA
    if (log_n >= IFMA_MIN_LOG) {
        d->tw16 = malloc(half * sizeof(fr_t));
        d->itw16 = malloc(half * sizeof(fr_t));
        if (!d->tw16 || !d->itw16) {
            zk_ntt_domain_free(d);
            return ZK_ERR_NOMEM;
        }
        size_t chunk = half < ((size_t)1 << SCALE_CHUNK_LOG) ? half : (size_t)1 << SCALE_CHUNK_LOG;
        zk_pool_run(log_n < PAR_MIN_LOG ? NULL : pool, half / chunk, tw16_task,
                    &(tw16_ctx){d, chunk});
    }
#endif
    fr_t nf;
    fr_set_u64(&nf, (uint64_t)d->n);
    fr_inv(&d->n_inv, &nf);
    fr_generator(&d->g);
    fr_inv(&d->g_inv, &d->g);
    *out = d;
    return ZK_OK;
}

void zk_ntt_domain_free(zk_ntt_domain *d) {
    if (!d) return;
    free(d->tw16);
    free(d->itw16);
    free(d->tw);
    free(d);
}

unsigned zk_ntt_domain_log_n(const zk_ntt_domain *d) { return d->log_n; }
size_t zk_ntt_domain_size(const zk_ntt_domain *d) { return d->n; }

/* ---- public transforms ---- */
void zk_ntt_to_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) { forward_nr(pool, d, a); }

void zk_ntt_coset_to_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    fr_t one;
    fr_one(&one);
    scale(pool, d, a, &one, &d->g);
    forward_nr(pool, d, a);
}

void zk_intt_from_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    inverse_rn_unscaled(pool, d, a);
    scale(pool, d, a, &d->n_inv, NULL);
}

void zk_intt_coset_from_bitrev(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    inverse_rn_unscaled(pool, d, a);
    scale(pool, d, a, &d->n_inv, &d->g_inv);
}

void zk_ntt(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    zk_ntt_to_bitrev(pool, d, a);
    zk_bitrev_permute(pool, a, d->log_n);
}

void zk_ntt_coset(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    zk_ntt_coset_to_bitrev(pool, d, a);
    zk_bitrev_permute(pool, a, d->log_n);
}

void zk_intt(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    zk_bitrev_permute(pool, a, d->log_n);
    zk_intt_from_bitrev(pool, d, a);
}

void zk_intt_coset(zk_pool *pool, const zk_ntt_domain *d, fr_t *a) {
    zk_bitrev_permute(pool, a, d->log_n);
    zk_intt_coset_from_bitrev(pool, d, a);
}
