/* Internal template: Pippenger multi-scalar multiplication, written once and
 * instantiated for G1 (msm_g1.c) and G2 (msm_g2.c).
 *
 * Include after defining
 *   MSM_G        group prefix (g1, g2): types, *_inl point formulas of ec_internal.h
 *   MSM_F        prefix of the inlined field operations of msm_field.h used in
 *                the hot loops (mfp, mfp2): _add/_sub/_mul/_sqr/_dbl/_neg/_eq
 *                and _norm/_div, which let every batch invert in Fp
 *   MSM_FT       the field element type
 *   MSM_INV_COST an inversion in field multiplications (planner cost model)
 *   MSM_SPLIT    1, or 2 for an endomorphism split; then also
 *                MSM_SPLIT_BITS  bit bound of the two halves,
 *                MSM_SPLIT_FN(k1, &neg1, k2, &neg2, k)  scalar split,
 *                MSM_ENDO_FN(&r, &p)  the matching endomorphism on points.
 *   MSM_VG       (optional) prefix of the group's vector formulas in msm_ifma.h
 *                (vg1, vg2), used where the compiler targets AVX-512 IFMA.
 *
 * Design (why it is built this way):
 * - Trivial terms first: scalar 0 and points at infinity are dropped, scalar 1
 *   terms are summed on their own by levels of pairwise affine additions
 *   (batched like the buckets), so Groth16 witnesses made mostly of bits cost
 *   at most one addition per 1 and nothing per 0.
 * - The other scalars are recoded into signed digits: bits + 1 digit bits
 *   split into windows of c or c - 1 bits (as even as possible, so no window
 *   is a stub with few buckets and many conflicts), a window of width c
 *   giving digits in [-2^(c-1), 2^(c-1)] and needing 2^(c-1) buckets; a
 *   negative digit adds the negated point (negating y is free).
 * - Buckets are affine points. The additions bucket += P of a batch are
 *   independent, so K of them share one inversion (Montgomery's trick): ~6
 *   multiplications per addition instead of 11 for a mixed Jacobian one.
 *   An addition whose bucket already has one pending waits in a queue that
 *   is retried after the batch; if the queue is full (inputs that keep
 *   hitting one bucket, e.g. a repeated point with a repeated scalar) the
 *   point goes into a lazily allocated Jacobian "overflow" bucket, and so do
 *   the rare doublings and cancellations (B = +-P), so no input pattern
 *   degrades to one inversion per addition. For small inputs Jacobian
 *   buckets are cheaper; the planner picks c, the bucket kind, the batch
 *   size and the split into point ranges from a cost model.
 * - The batch kernel exists twice: portable C over msm_field.h, and, where
 *   the compiler targets AVX-512 IFMA, 8 additions per vector instruction
 *   (msm_ifma.h), about 3x faster; both are tested (zk_msm_opts.no_simd).
 * - The bucket reduction sum_j (j + 1) B_j runs L interleaved running sums
 *   over slices of the buckets, so each step is again a batch of L affine
 *   additions (~2 batched additions per bucket instead of 2 Jacobian ones).
 * - Scalars are processed in chunks of MSM_CHUNK points: a parallel pass
 *   converts them (fr_to_u256), applies the endomorphism split and writes the
 *   chunk's digit table; then every (window, range) task feeds its own
 *   buckets, which live across chunks. Extra memory is the buckets plus one
 *   chunk's tables, small next to the input up to 2^26 points and beyond;
 *   sizes and indices are size_t (bucket indices and digits are 32-bit).
 * - Parallelism: tasks are windows x point ranges; more than one range (each
 *   with its own buckets, summed at the end) is used when the windows alone
 *   would leave a thread idle, e.g. 9 windows on 2 threads. The conversion
 *   pass, the scalar-1 sums and the reductions are spread over the pool too.
 * - Endomorphisms: k = k1 + k2 lambda with halves of ~127 bits on P and
 *   phi(P) (GLV on G1, psi on G2). The additions stay the same in number
 *   (twice the points, half the windows) but the bucket reductions, the
 *   cost not proportional to n, are halved. */
#if !defined(MSM_G) || !defined(MSM_F) || !defined(MSM_FT) || !defined(MSM_SPLIT)
#error "define MSM_G, MSM_F, MSM_FT, MSM_SPLIT before including msm_impl.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ec_internal.h"
#include "msm_field.h"
#include "msm_internal.h"

#define MSM_CAT2(a, b) a##_##b
#define MSM_CAT(a, b) MSM_CAT2(a, b)
#define MG(n) MSM_CAT(MSM_G, n)
#define MF(n) MSM_CAT(MSM_F, n)

typedef MG(affine_t) maff_t;
typedef MG(jac_t) mjac_t;
typedef MSM_FT mf_t;

/* The AVX-512 IFMA kernel (msm_ifma.h) where the compiler targets it; the
 * group supplies its vector formulas as MSM_VG (vg1, vg2). */
#if defined(MSM_VG) && defined(__AVX512IFMA__) && defined(__AVX512DQ__) && defined(__AVX512VL__) && \
    defined(__AVX512BW__) && !defined(ZKPOS_PORTABLE)
#define MSM_IFMA 1
#include <stddef.h>
#include "msm_ifma.h"
#define MV(n) MSM_CAT(MSM_VG, n)
typedef MV(f) mvf_t;
#endif

#define MSM_CHUNK ((size_t)1 << 16) /* points per digit-table chunk */
#define MSM_PART ((size_t)2048)     /* points per conversion task */
#define MSM_MAX_BATCH 2048u
#define MSM_JPAGE 64u                 /* Jacobian buckets per page */
#define MSM_MAX_NWIN 130u             /* 255 bits in windows of >= 2 bits */
#define MSM_FULL 1u
#define MSM_BUSY 2u

/* ---------------- the chord addition ----------------
 * r = a + b' (b' = negb ? -b : b) for finite a, b with x_a != x_b, from the
 * inverse of the norm of x_b - x_a (see MF(div)); r may alias a. */
ZK_INLINE void pair_finish(maff_t *r, const maff_t *a, const maff_t *b, int negb, const fp_t *inv) {
    mf_t d, lam, t, x3;
    MF(sub)(&d, &b->x, &a->x);
    if (negb) {
        MF(add)(&t, &b->y, &a->y);
        MF(neg)(&t, &t);
    } else {
        MF(sub)(&t, &b->y, &a->y);
    }
    MF(div)(&lam, &t, &d, inv);
    MF(sqr)(&x3, &lam);
    MF(sub)(&x3, &x3, &a->x);
    MF(sub)(&x3, &x3, &b->x);
    MF(sub)(&t, &a->x, &x3);
    MF(mul)(&t, &t, &lam);
    MF(sub)(&r->y, &t, &a->y);
    r->x = x3;
}

/* ---------------- batches of independent affine additions ----------------
 * dst[idx[i]] += (neg[i] ? -src[i] : src[i]) for i < k: finite points, the
 * idx distinct, so all additions share one inversion. Where x(dst[idx[i]]) =
 * x(src[i]) (a doubling or a cancellation: rare, and not the chord formula)
 * the kernel leaves dst[idx[i]] alone, sets skip[i] and counts it; the
 * caller finishes those. Scratch for up to `cap` additions. */
typedef struct {
    uint8_t *skip;
    fp_t *den, *pre; /* norms of the denominators, prefix products */
#ifdef MSM_IFMA
    vfp_t *vpre, *vnrm; /* per group of 8 */
    mvf_t *vbx, *vpx, *vd;
#endif
} msm_scratch;

static void scratch_free(msm_scratch *s) {
    free(s->skip);
    free(s->den);
    free(s->pre);
#ifdef MSM_IFMA
    free(s->vpre);
    free(s->vnrm);
    free(s->vbx);
    free(s->vpx);
    free(s->vd);
#endif
}

static zk_err scratch_init(msm_scratch *s, size_t cap) {
    memset(s, 0, sizeof *s);
    s->skip = malloc(cap);
    s->den = malloc(cap * sizeof *s->den);
    s->pre = malloc(cap * sizeof *s->pre);
    if (!s->skip || !s->den || !s->pre) return ZK_ERR_NOMEM;
#ifdef MSM_IFMA
    size_t g = (cap + 7) / 8;
    s->vpre = aligned_alloc(64, g * sizeof *s->vpre);
    s->vnrm = aligned_alloc(64, g * sizeof *s->vnrm);
    s->vbx = aligned_alloc(64, g * sizeof *s->vbx);
    s->vpx = aligned_alloc(64, g * sizeof *s->vpx);
    s->vd = aligned_alloc(64, g * sizeof *s->vd);
    if (!s->vpre || !s->vnrm || !s->vbx || !s->vpx || !s->vd) return ZK_ERR_NOMEM;
#endif
    return ZK_OK;
}

__attribute__((flatten)) static uint32_t batch_add_scalar(maff_t *dst, const uint32_t *idx, const maff_t *const *src,
                                                          const uint8_t *neg, uint32_t k, msm_scratch *s) {
    fp_t acc;
    uint32_t skips = 0;
    mfp_one(&acc);
    for (uint32_t i = 0; i < k; i++) {
        mf_t d;
        s->skip[i] = (uint8_t)MF(eq)(&src[i]->x, &dst[idx[i]].x);
        skips += s->skip[i];
        MF(sub)(&d, &src[i]->x, &dst[idx[i]].x);
        if (s->skip[i]) mfp_one(&s->den[i]);
        else MF(norm)(&s->den[i], &d);
        s->pre[i] = acc;
        mfp_mul(&acc, &acc, &s->den[i]);
    }
    mfp_inv_var(&acc, &acc);
    for (uint32_t i = k; i-- > 0;) {
        fp_t inv;
        maff_t *b = &dst[idx[i]];
        mfp_mul(&inv, &acc, &s->pre[i]);
        if (i) mfp_mul(&acc, &acc, &s->den[i]);
        if (!s->skip[i]) pair_finish(b, b, src[i], neg[i], &inv);
    }
    return skips;
}

#ifdef MSM_IFMA
/* The same with 8 additions per vector: each lane keeps its own chain of
 * prefix products, the 8 lane products are combined and inverted once. */
__attribute__((flatten)) static uint32_t batch_add_ifma(maff_t *dst, const uint32_t *idx, const maff_t *const *src,
                                                        const uint8_t *neg, uint32_t k, msm_scratch *s,
                                                        const vfp_const *K) {
    uint32_t skips = 0;
    const uint32_t ng = (k + 7) / 8;
    const __m512i vdst = _mm512_set1_epi64((long long)(uintptr_t)dst);
    const __m512i yoff = _mm512_set1_epi64((long long)offsetof(maff_t, y));
    vfp_t acc;
    for (int i = 0; i < 5; i++) acc.l[i] = K->one[i];
#define MSM_LANES(g)                                                                                   \
    const uint32_t lanes = k - 8 * (g) < 8 ? k - 8 * (g) : 8;                                          \
    const __mmask8 m = (__mmask8)((1u << lanes) - 1);                                                  \
    const __m512i vb = _mm512_add_epi64(                                                               \
        vdst, _mm512_mullo_epi64(_mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(m, idx + 8 * (g))),     \
                                 _mm512_set1_epi64((long long)sizeof(maff_t))));                       \
    const __m512i vp = _mm512_mask_blend_epi64(m, _mm512_set1_epi64((long long)(uintptr_t)src[8 * (g)]), \
                                               _mm512_maskz_loadu_epi64(m, src + 8 * (g)))
    for (uint32_t g = 0; g < ng; g++) {
        MSM_LANES(g);
        MV(gather)(&s->vbx[g], vb);
        MV(gather)(&s->vpx[g], vp);
        /* equal x (canonical inputs, so equal limbs): skipped, neutral lane */
        __mmask8 eq = MV(eq)(&s->vbx[g], &s->vpx[g]) & m;
        s->skip[g] = eq;
        skips += (uint32_t)__builtin_popcount(eq);
        vfp_t nrm;
        MV(den)(&nrm, &s->vd[g], &s->vbx[g], &s->vpx[g], K);
        for (int i = 0; i < 5; i++) nrm.l[i] = _mm512_mask_blend_epi64(m & ~eq, K->one[i], nrm.l[i]);
        s->vnrm[g] = nrm;
        s->vpre[g] = acc;
        vfp_mul(&acc, &acc, &nrm, K); /* < 16 * 33 / 85 + 1 < 7.3 p */
    }
    /* lanes: a_l -> 1 / a_l = (1 / prod) * prod_{m != l} a_m */
    {
        __m512i w[4];
        uint64_t wl[4][8];
        fp_t a[8], pf[8], r;
        vfp_red(&acc, &acc, K);
        vfp_to_fp(w, &acc, K);
        for (int i = 0; i < 4; i++) _mm512_storeu_si512(wl[i], w[i]);
        mfp_one(&r);
        for (int l = 0; l < 8; l++) {
            for (int i = 0; i < 4; i++) a[l].l[i] = wl[i][l];
            pf[l] = r;
            mfp_mul(&r, &r, &a[l]);
        }
        mfp_inv_var(&r, &r);
        for (int l = 8; l-- > 0;) {
            fp_t il;
            mfp_mul(&il, &r, &pf[l]);
            mfp_mul(&r, &r, &a[l]);
            for (int i = 0; i < 4; i++) wl[i][l] = il.l[i];
        }
        for (int i = 0; i < 4; i++) w[i] = _mm512_loadu_si512(wl[i]);
        vfp_from_fp(&acc, w); /* acc = per-lane inverse, < 16 p */
    }
    for (uint32_t g = ng; g-- > 0;) {
        MSM_LANES(g);
        vfp_t ig;
        vfp_mul(&ig, &acc, &s->vpre[g], K); /* < 16 * 16 / 85 + 1 < 4.02 p */
        vfp_mul(&acc, &acc, &s->vnrm[g], K);
        mvf_t by, py, x3, y3;
        MV(gather)(&by, _mm512_add_epi64(vb, yoff));
        MV(gather)(&py, _mm512_add_epi64(vp, yoff));
        __mmask8 vneg = _mm512_test_epi64_mask(_mm512_cvtepu8_epi64(_mm_maskz_loadu_epi8(m, neg + 8 * g)),
                                               _mm512_set1_epi64(1));
        MV(finish)(&x3, &y3, &s->vbx[g], &by, &s->vpx[g], &py, &s->vd[g], vneg, &ig, K);
        const __mmask8 w = m & ~(__mmask8)s->skip[g];
        MV(scatter)(vb, w, &x3, K);
        MV(scatter)(_mm512_add_epi64(vb, yoff), w, &y3, K);
    }
#undef MSM_LANES
    if (skips) /* per-entry flags like the scalar kernel (group masks were kept in skip[g]) */
        for (uint32_t g = ng; g-- > 0;) {
            uint8_t bits = s->skip[g];
            for (uint32_t l = 0; l < 8; l++) s->skip[8 * g + l] = (uint8_t)((bits >> l) & 1);
        }
    return skips;
}
#endif

/* ---------------- per-task buckets ---------------- */
typedef struct {
    const maff_t *p;
    uint32_t j;
    uint32_t neg;
} msm_qent;

typedef struct {
    /* buckets: affine (with state bytes) and/or Jacobian (Jacobian mode, or
     * the overflow of affine mode), the latter in pages of MSM_JPAGE buckets
     * allocated on first use, so a few overflows cost a few pages */
    maff_t *bucket;
    uint8_t *state;
    mjac_t **jb;
    uint32_t nb, top; /* bucket count; 1 + highest bucket ever used */
    /* pending batch (k additions), scratch for up to cap >= k */
    uint32_t k, nbatch, cap;
    uint8_t *alive; /* tree sums: pairs that did not cancel */
    uint8_t *gone;  /* per batch entry: the sum was infinity */
    uint32_t *bj;
    const maff_t **bp;
    uint8_t *bneg;
    msm_scratch scr;
    int simd;
    const void *K; /* vfp_const of the IFMA kernel */
    /* additions waiting for a busy bucket */
    msm_qent *q, *q2;
    uint32_t nq, qcap;
    int ran;    /* a batch ran since the queue was last retried */
    zk_err err;
    mjac_t sum; /* sum over j of (j + 1) * bucket j, after the reduction */
} msm_task;

/* the Jacobian bucket j if it was ever used, else NULL */
ZK_INLINE const mjac_t *task_jb(const msm_task *t, uint32_t j) {
    return t->jb && t->jb[j / MSM_JPAGE] ? &t->jb[j / MSM_JPAGE][j % MSM_JPAGE] : NULL;
}

static void task_jac_add(msm_task *t, uint32_t j, const maff_t *p, uint32_t neg) {
    if (!t->jb) {
        t->jb = calloc((t->nb + MSM_JPAGE - 1) / MSM_JPAGE, sizeof *t->jb);
        if (!t->jb) { t->err = ZK_ERR_NOMEM; return; }
    }
    mjac_t **page = &t->jb[j / MSM_JPAGE];
    if (!*page) {
        *page = malloc(MSM_JPAGE * sizeof **page);
        if (!*page) { t->err = ZK_ERR_NOMEM; return; }
        for (uint32_t i = 0; i < MSM_JPAGE; i++) MG(jac_set_inf_inl)(&(*page)[i]);
    }
    mjac_t *b = &(*page)[j % MSM_JPAGE];
    if (neg) {
        maff_t q;
        q.x = p->x;
        MF(neg)(&q.y, &p->y);
        MG(add_mixed_inl)(b, b, &q);
    } else {
        MG(add_mixed_inl)(b, b, p);
    }
    if (j >= t->top) t->top = j + 1;
}

static uint32_t batch_add(maff_t *dst, const uint32_t *idx, const maff_t *const *src, const uint8_t *neg,
                          uint32_t k, msm_scratch *s, int simd, const void *vk) {
#ifdef MSM_IFMA
    if (simd) return batch_add_ifma(dst, idx, src, neg, k, s, vk);
#endif
    (void)simd;
    (void)vk;
    return batch_add_scalar(dst, idx, src, neg, k, s);
}

/* Finishes the entries a batch skipped (x equal): where the points are
 * equal, the doubling (tangent slope 3x^2 / 2y; the doublings share one
 * inversion), where they are opposite, the sum is infinity: gone[i] = 1
 * (dst left alone). gone[i] = 0 for every other entry. */
static void batch_finish_skipped(maff_t *dst, const uint32_t *idx, const maff_t *const *src, const uint8_t *neg,
                                 uint32_t k, msm_scratch *s, uint8_t *gone) {
    fp_t acc;
    uint32_t nd = 0;
    mfp_one(&acc);
    for (uint32_t i = 0; i < k; i++) {
        gone[i] = 0;
        if (!s->skip[i]) continue;
        const maff_t *a = &dst[idx[i]];
        mf_t by = src[i]->y, d;
        if (neg[i]) MF(neg)(&by, &by);
        if (!MF(eq)(&a->y, &by)) {
            gone[i] = 1;
            s->skip[i] = 0;
            continue;
        }
        MF(dbl)(&d, &a->y); /* y != 0: no points of order 2 */
        MF(norm)(&s->den[i], &d);
        s->pre[i] = acc;
        mfp_mul(&acc, &acc, &s->den[i]);
        nd++;
    }
    if (!nd) return;
    mfp_inv_var(&acc, &acc);
    for (uint32_t i = k; i-- > 0;) {
        if (!s->skip[i]) continue;
        maff_t *a = &dst[idx[i]];
        fp_t inv;
        mf_t d, t, lam, x3;
        mfp_mul(&inv, &acc, &s->pre[i]);
        mfp_mul(&acc, &acc, &s->den[i]);
        MF(dbl)(&d, &a->y);
        MF(sqr)(&t, &a->x);
        MF(dbl)(&lam, &t);
        MF(add)(&t, &t, &lam);
        MF(div)(&lam, &t, &d, &inv);
        MF(sqr)(&x3, &lam);
        MF(sub)(&x3, &x3, &a->x);
        MF(sub)(&x3, &x3, &a->x);
        MF(sub)(&t, &a->x, &x3);
        MF(mul)(&t, &t, &lam);
        MF(sub)(&a->y, &t, &a->y);
        a->x = x3;
    }
}

static void task_exec(msm_task *t) {
    uint32_t k = t->nbatch;
    if (!k) return;
    uint32_t skips = batch_add(t->bucket, t->bj, t->bp, t->bneg, k, &t->scr, t->simd, t->K);
    for (uint32_t i = 0; i < k; i++) t->state[t->bj[i]] = MSM_FULL;
    if (skips) { /* B = +-P: doubling or cancellation */
        batch_finish_skipped(t->bucket, t->bj, t->bp, t->bneg, k, &t->scr, t->gone);
        for (uint32_t i = 0; i < k; i++)
            if (t->gone[i]) t->state[t->bj[i]] = 0;
    }
    t->nbatch = 0;
    t->ran = 1;
}

ZK_INLINE void task_put(msm_task *t, uint32_t j, const maff_t *p, uint32_t neg) {
    uint8_t s = t->state[j];
    if (s & MSM_BUSY) {
        if (t->nq < t->qcap) t->q[t->nq++] = (msm_qent){p, j, neg};
        else task_jac_add(t, j, p, neg);
        return;
    }
    if (!(s & MSM_FULL)) {
        t->bucket[j].x = p->x;
        if (neg) MF(neg)(&t->bucket[j].y, &p->y);
        else t->bucket[j].y = p->y;
        t->state[j] = MSM_FULL;
        if (j >= t->top) t->top = j + 1;
        return;
    }
    __builtin_prefetch(&t->bucket[j]);
    uint32_t i = t->nbatch++;
    t->bj[i] = j;
    t->bp[i] = p;
    t->bneg[i] = (uint8_t)neg;
    t->state[j] = MSM_FULL | MSM_BUSY;
    if (i + 1 == t->k) task_exec(t);
}

/* Retries the queued additions once (they may re-queue). */
static void task_drain(msm_task *t) {
    uint32_t n = t->nq;
    msm_qent *q = t->q;
    t->q = t->q2;
    t->q2 = q;
    t->nq = 0;
    for (uint32_t i = 0; i < n; i++) task_put(t, q[i].j, q[i].p, q[i].neg);
}

/* End of a chunk: nothing may stay pending (the chunk's GLV points go away). */
static void task_flush(msm_task *t) {
    task_exec(t);
    task_drain(t);
    task_exec(t);
    t->ran = 0;
    for (uint32_t i = 0; i < t->nq; i++) task_jac_add(t, t->q[i].j, t->q[i].p, t->q[i].neg);
    t->nq = 0;
}

static void task_free(msm_task *t) {
    free(t->bucket);
    free(t->state);
    if (t->jb)
        for (uint32_t i = 0; i < (t->nb + MSM_JPAGE - 1) / MSM_JPAGE; i++) free(t->jb[i]);
    free(t->jb);
    free(t->bj);
    free(t->bp);
    free(t->bneg);
    free(t->alive);
    free(t->gone);
    scratch_free(&t->scr);
    free(t->q);
    free(t->q2);
}

static zk_err task_init(msm_task *t, uint32_t nb, int affine, uint32_t k, size_t chunk) {
    memset(t, 0, sizeof *t);
    t->nb = nb;
    MG(jac_set_inf_inl)(&t->sum);
    /* batch arrays also serve the tree sums of scalar-1 points (at most
     * chunk / 2 pairs): 256, fewer for tiny inputs */
    t->cap = chunk / 2 < 256 ? (uint32_t)chunk / 2 + 1 : 256;
    if (affine && k > t->cap) t->cap = k;
    size_t cap8 = ((size_t)t->cap + 7) & ~(size_t)7; /* whole groups of 8 for the vector loads */
    t->bj = calloc(cap8, sizeof *t->bj);
    t->bp = calloc(cap8, sizeof *t->bp);
    t->bneg = calloc(cap8, 1);
    t->alive = malloc(MSM_PART / 2);
    t->gone = malloc(cap8);
    if (!t->bj || !t->bp || !t->bneg || !t->alive || !t->gone) return ZK_ERR_NOMEM;
    zk_err e = scratch_init(&t->scr, cap8);
    if (e) return e;
    if (!affine) return ZK_OK; /* Jacobian buckets only, paged in on use */
    t->k = k;
    t->qcap = 2 * k;
    t->bucket = aligned_alloc(64, ((size_t)nb * sizeof(maff_t) + 63) & ~(size_t)63);
    t->state = calloc(nb, 1);
    t->q = malloc(2 * (size_t)k * sizeof *t->q);
    t->q2 = malloc(2 * (size_t)k * sizeof *t->q2);
    if (!t->bucket || !t->state || !t->q || !t->q2) return ZK_ERR_NOMEM;
    return ZK_OK;
}

/* ---------------- the whole MSM ---------------- */
/* One chunk of points [base, base + len) and its tables. */
typedef struct {
    size_t base, len, parts;
    int32_t *dig;     /* nwin rows of (chunk size * split) digits */
    maff_t *phi;      /* endomorphism images (split = 2) */
    maff_t *ones;     /* the scalar-1 points, per part, summed in place */
    size_t *ones_n;   /* per part */
    mjac_t *ones_sum; /* per part */
} msm_chunk;

typedef struct {
    const maff_t *points;
    const fr_t *scalars;
    /* plan */
    unsigned nwin, ranges, split, bits;
    unsigned cw[MSM_MAX_NWIN], pos[MSM_MAX_NWIN]; /* window widths and offsets */
    uint64_t h[4]; /* recoding offset: 2^(cw - 1) in every window but the top one */
    int affine, ones_apart;
    size_t chunk, nparts, ntasks, dstride;
    msm_chunk ch[2]; /* double buffer: buckets of one chunk, digits of the next */
    msm_chunk *cur, *nxt;
    msm_task *tasks;
} msm_ctx;

/* Signed digits of k (k < 2^bits) in windows of widths cw[w] at offsets
 * pos[w] (the widths add up to bits + 1), written to d[w * stride]: with
 * h = sum over all windows but the top one of 2^(pos + cw - 1), window w of
 * k + h minus 2^(cw - 1) is the digit (in [-2^(cw-1), 2^(cw-1)), the borrow
 * of a negative digit being the carry that adding h propagated), and the top
 * window of k + h is at most 2^(cw - 1) because k < 2^(pos + cw - 1) there. */
ZK_INLINE void msm_recode(int32_t *d, size_t stride, const uint64_t k[4], int neg, unsigned nwin,
                          const unsigned *pos, const unsigned *cw, const uint64_t h[4]) {
    uint64_t kk[5];
    zk_u128 carry = 0;
    for (int i = 0; i < 4; i++) {
        carry += (zk_u128)k[i] + h[i];
        kk[i] = (uint64_t)carry;
        carry >>= 64;
    }
    kk[4] = (uint64_t)carry;
    const int32_t sign = neg ? -1 : 1;
    for (unsigned w = 0; w < nwin; w++) {
        unsigned c = cw[w], limb = pos[w] >> 6, sh = pos[w] & 63;
        uint64_t bits = kk[limb] >> sh;
        if (sh + c > 64) bits |= kk[limb + 1] << (64 - sh);
        int32_t dd = (int32_t)(bits & ((UINT64_C(1) << c) - 1)) - (w + 1 < nwin ? (int32_t)1 << (c - 1) : 0);
        d[(size_t)w * stride] = sign * dd;
    }
}

static void chunk_digits(msm_ctx *x, msm_chunk *ck, size_t pi) {
    size_t s = pi * MSM_PART, e = s + MSM_PART;
    if (e > ck->len) e = ck->len;
    const size_t ds = x->dstride;
    maff_t *ones = ck->ones + s;
    size_t nones = 0;
    for (size_t i = s; i < e; i++) {
        const fr_t *sc = &x->scalars[ck->base + i];
        const maff_t *pt = &x->points[ck->base + i];
        int triv = fr_is_zero(sc) || MG(affine_is_inf_inl)(pt);
        if (!triv && x->ones_apart && fr_is_one(sc)) {
            ones[nones++] = *pt;
            triv = 1;
        }
        if (triv) {
            for (unsigned w = 0; w < x->nwin; w++) {
                ck->dig[w * ds + i] = 0;
                if (x->split == 2) ck->dig[w * ds + ck->len + i] = 0;
            }
            continue;
        }
        uint64_t k[4];
        fr_to_u256(k, sc);
#if MSM_SPLIT == 2
        if (x->split == 2) {
            uint64_t k1[4], k2[4];
            int n1, n2;
            MSM_SPLIT_FN(k1, &n1, k2, &n2, k);
            msm_recode(ck->dig + i, ds, k1, n1, x->nwin, x->pos, x->cw, x->h);
            msm_recode(ck->dig + ck->len + i, ds, k2, n2, x->nwin, x->pos, x->cw, x->h);
            MSM_ENDO_FN(&ck->phi[i], pt);
            continue;
        }
#endif
        msm_recode(ck->dig + i, ds, k, 0, x->nwin, x->pos, x->cw, x->h);
    }
    ck->ones_n[pi] = nones;
}

/* r = sum of buf[0..m) (finite points; buf is clobbered): levels of pairwise
 * sums in place, each level in batches sharing one inversion, down to a few
 * points that are added in Jacobian coordinates (cheaper than more levels
 * with an inversion each). */
static void tree_sum(msm_task *t, mjac_t *r, maff_t *buf, size_t m) {
    while (m > 32) {
        size_t pairs = m / 2, w = 0;
        for (size_t b0 = 0; b0 < pairs; b0 += t->cap) {
            uint32_t n = (uint32_t)(pairs - b0 < t->cap ? pairs - b0 : t->cap);
            for (uint32_t i = 0; i < n; i++) {
                t->bj[i] = (uint32_t)(2 * (b0 + i));
                t->bp[i] = &buf[2 * (b0 + i) + 1];
                t->bneg[i] = 0;
                t->alive[b0 + i] = 1;
            }
            if (batch_add(buf, t->bj, t->bp, t->bneg, n, &t->scr, t->simd, t->K)) {
                batch_finish_skipped(buf, t->bj, t->bp, t->bneg, n, &t->scr, t->gone);
                for (uint32_t i = 0; i < n; i++) t->alive[b0 + i] = (uint8_t)!t->gone[i];
            }
        }
        for (size_t i = 0; i < pairs; i++) /* w <= i: no unread input is overwritten */
            if (t->alive[i]) buf[w++] = buf[2 * i];
        if (m & 1) buf[w++] = buf[m - 1];
        m = w;
    }
    MG(jac_set_inf_inl)(r);
    for (size_t i = 0; i < m; i++) MG(add_mixed_inl)(r, r, &buf[i]);
}

static void chunk_buckets(msm_ctx *x, const msm_chunk *ck, size_t ti) {
    msm_task *t = &x->tasks[ti];
    if (t->err) return;
    size_t w = ti / x->ranges, r = ti % x->ranges;
    size_t vn = ck->len * x->split, v0 = vn * r / x->ranges, v1 = vn * (r + 1) / x->ranges;
    const int32_t *d = ck->dig + w * x->dstride;
    const maff_t *pts = x->points + ck->base;
    for (size_t v = v0; v < v1; v++) {
        int32_t dv = d[v];
        if (!dv) continue;
        const maff_t *p = v < ck->len ? &pts[v] : &ck->phi[v - ck->len];
        uint32_t neg = dv < 0, j = (uint32_t)(neg ? -dv : dv) - 1;
        if (x->affine) {
            task_put(t, j, p, neg);
            while (t->ran) {
                t->ran = 0;
                task_drain(t);
            }
        } else {
            task_jac_add(t, j, p, neg);
        }
    }
    if (x->affine) task_flush(t);
    /* the scalar-1 sums of this chunk's parts, spread over the tasks */
    for (size_t pi = ti; pi < ck->parts; pi += x->ntasks)
        tree_sum(t, &ck->ones_sum[pi], ck->ones + pi * MSM_PART, ck->ones_n[pi]);
}

/* One pool run per chunk: the bucket tasks of the current chunk (first, they
 * are the long ones) and the digit parts of the next, so a thread never
 * waits at a barrier between the two passes. */
static void pass_chunk(void *vctx, size_t i) {
    msm_ctx *x = vctx;
    size_t nb = x->cur ? x->ntasks : 0;
    if (i < nb) chunk_buckets(x, x->cur, i);
    else chunk_digits(x, x->nxt, i - nb);
}

/* sum_j (j + 1) B_j over the affine buckets with L interleaved running sums:
 * lane l covers buckets l S .. l S + S - 1 and keeps run_l (the sum of its
 * buckets from the top down to the current one) and tot_l (the sum of the
 * run_l so far), so one step updates all lanes with two batches of L
 * independent affine additions. Then sum = sum_l tot_l + S sum_l l run_l.
 * About 2 batched affine additions per bucket instead of 2 Jacobian ones. */
static int reduce_lanes(msm_task *t, mjac_t *out) {
    uint32_t top = t->top, L = 1;
    while (L * L < 8 * top && 2 * L <= t->cap) L *= 2;
    if (L < 16) return 0; /* tiny batches: not worth it */
    uint32_t S = (top + L - 1) / L;
    maff_t *run = malloc(2 * (size_t)L * sizeof *run);
    uint8_t *flag = calloc(2 * (size_t)L, 1);
    if (!run || !flag) {
        free(run);
        free(flag);
        return 0;
    }
    maff_t *tot = run + L;
    uint8_t *rf = flag, *tf = flag + L;
    uint32_t *idx = t->bj;
    const maff_t **src = t->bp;
    memset(t->bneg, 0, t->cap);
    for (uint32_t s = S; s-- > 0;) {
        uint32_t n = 0;
        for (uint32_t l = 0; l < L; l++) {
            uint32_t j = l * S + s;
            if (j >= top || !(t->state[j] & MSM_FULL)) continue;
            if (!rf[l]) {
                run[l] = t->bucket[j];
                rf[l] = 1;
                continue;
            }
            idx[n] = l;
            src[n++] = &t->bucket[j];
        }
        if (n && batch_add(run, idx, src, t->bneg, n, &t->scr, t->simd, t->K)) {
            batch_finish_skipped(run, idx, src, t->bneg, n, &t->scr, t->gone);
            for (uint32_t i = 0; i < n; i++)
                if (t->gone[i]) rf[idx[i]] = 0;
        }
        n = 0;
        for (uint32_t l = 0; l < L; l++) {
            if (!rf[l]) continue;
            if (!tf[l]) {
                tot[l] = run[l];
                tf[l] = 1;
                continue;
            }
            idx[n] = l;
            src[n++] = &run[l];
        }
        if (n && batch_add(tot, idx, src, t->bneg, n, &t->scr, t->simd, t->K)) {
            batch_finish_skipped(tot, idx, src, t->bneg, n, &t->scr, t->gone);
            for (uint32_t i = 0; i < n; i++)
                if (t->gone[i]) tf[idx[i]] = 0;
        }
    }
    mjac_t acc, r, u;
    MG(jac_set_inf_inl)(&acc);
    MG(jac_set_inf_inl)(&r);
    MG(jac_set_inf_inl)(&u);
    for (uint32_t l = 0; l < L; l++)
        if (tf[l]) MG(add_mixed_inl)(&acc, &acc, &tot[l]);
    for (uint32_t l = L; l-- > 1;) { /* u = sum_l l run_l */
        if (rf[l]) MG(add_mixed_inl)(&r, &r, &run[l]);
        MG(add_inl)(&u, &u, &r);
    }
    const uint64_t sv[4] = {S, 0, 0, 0};
    MG(mul_u256_var)(&u, &u, sv);
    MG(add_inl)(out, &acc, &u);
    free(run);
    free(flag);
    return 1;
}

/* sum = sum_j (j + 1) bucket_j */
static void pass_reduce(void *vctx, size_t ti) {
    msm_ctx *x = vctx;
    msm_task *t = &x->tasks[ti];
    mjac_t run, tot;
    MG(jac_set_inf_inl)(&run);
    MG(jac_set_inf_inl)(&tot);
    if (!(x->affine && t->top >= 256 && reduce_lanes(t, &tot))) {
        /* running sums over every bucket, top first */
        for (uint32_t j = t->top; j-- > 0;) {
            const mjac_t *jbj = task_jb(t, j);
            if (t->state && (t->state[j] & MSM_FULL)) MG(add_mixed_inl)(&run, &run, &t->bucket[j]);
            if (jbj && !MG(jac_is_inf_inl)(jbj)) MG(add_inl)(&run, &run, jbj);
            MG(add_inl)(&tot, &tot, &run);
        }
    } else if (t->jb) {
        /* the overflow pages only: across a run of g empty buckets the
         * running sum is constant, so the total grows by g times it */
        mjac_t part, gsum;
        uint64_t gap = 0;
        MG(jac_set_inf_inl)(&part);
        for (uint32_t pg = (t->nb + MSM_JPAGE - 1) / MSM_JPAGE; pg-- > 0;) {
            if (!t->jb[pg]) {
                gap += MSM_JPAGE;
                continue;
            }
            if (gap && !MG(jac_is_inf_inl)(&run)) {
                const uint64_t g[4] = {gap, 0, 0, 0};
                MG(mul_u256_var)(&gsum, &run, g);
                MG(add_inl)(&part, &part, &gsum);
            }
            gap = 0;
            for (uint32_t i = MSM_JPAGE; i-- > 0;) {
                const mjac_t *jbj = &t->jb[pg][i];
                if (!MG(jac_is_inf_inl)(jbj)) MG(add_inl)(&run, &run, jbj);
                MG(add_inl)(&part, &part, &run);
            }
        }
        if (gap && !MG(jac_is_inf_inl)(&run)) {
            const uint64_t g[4] = {gap, 0, 0, 0};
            MG(mul_u256_var)(&gsum, &run, g);
            MG(add_inl)(&part, &part, &gsum);
        }
        MG(add_inl)(&tot, &tot, &part);
    }
    t->sum = tot;
}

/* ---------------- planning ---------------- */
typedef struct {
    unsigned c, ranges, batch;
    int affine;
    double cost;
} msm_choice;

/* Additions per inversion: an eighth of the buckets (an inversion costs
 * ~100 vector additions, but more pending buckets mean more conflicts, and
 * at a quarter the queue starts to overflow into Jacobian additions). */
static unsigned msm_batch_for(unsigned c, unsigned forced) {
    if (forced) return forced;
    uint32_t nb = 1u << (c - 1), k = nb / 8;
    if (k > MSM_MAX_BATCH) k = MSM_MAX_BATCH;
    return k ? k : 1;
}

/* bits + 1 digit bits in windows of at most c bits, as even as possible:
 * returns the window count and fills the widths (larger ones first). */
static unsigned msm_windows(unsigned *cw, unsigned bits, unsigned c) {
    unsigned total = bits + 1, nwin = (total + c - 1) / c, q = total / nwin, extra = total % nwin;
    for (unsigned w = 0; w < nwin; w++) cw[w] = q + (w < extra);
    return nwin;
}

/* Estimated time (in scalar field multiplications on the slowest thread) of
 * the bucket phase for m non-trivial points split into `split` parts of
 * `bits`. Per addition: affine ~6 multiplications (~2 with the IFMA kernel)
 * plus the inversion's share and queueing, Jacobian mixed 11; per bucket in
 * the reduction: two batched affine additions (lanes) or 27-32 Jacobian. */
static msm_choice msm_plan(size_t m, unsigned split, unsigned bits, int threads, size_t mem_cap, int simd,
                           const zk_msm_opts *o) {
    msm_choice best = {0, 0, 0, 0, 0};
    unsigned c_lo = 2, c_hi = ZK_MSM_MAX_WINDOW, cw[MSM_MAX_NWIN];
    if (o && o->window) c_lo = c_hi = o->window;
    for (unsigned c = c_lo; c <= c_hi; c++) {
        unsigned nwin = msm_windows(cw, bits, c);
        for (int affine = 0; affine <= 1; affine++) {
            if (o && o->bucket_mode && o->bucket_mode != (affine ? 1 : 2)) continue;
            if (affine && !(o && o->bucket_mode == 1) && msm_batch_for(cw[nwin - 1], o ? o->batch : 0) < 8) continue;
            unsigned r_lo = 1, r_hi = threads > 1 ? 4 : 1;
            if (o && o->ranges) r_lo = r_hi = o->ranges;
            for (unsigned r = r_lo; r <= r_hi; r++) {
                double mem = 0, sum = 0, longest = 0;
                for (unsigned w = 0; w < nwin; w++) {
                    double nb = (double)(1u << (cw[w] - 1));
                    unsigned k = msm_batch_for(cw[w], o ? o->batch : 0);
                    double core = simd ? 2.2 : 7.0;
                    double add = affine ? core + 0.5 + (double)MSM_INV_COST / k : 11.0;
                    /* lanes: L ~ sqrt(8 nb) running sums, two inversions per step */
                    double lanes = sqrt(8.0 * nb) < k ? sqrt(8.0 * nb) : k;
                    double red = affine ? (nb >= 256 && k >= 32 ? 2.0 * core + 1.0 + 2.0 * MSM_INV_COST / lanes : 27.0)
                                        : 32.0;
                    /* fixed: the setup and, for affine buckets, the flush and the lanes' last steps */
                    double fixed = affine ? 4.0 * MSM_INV_COST + 500.0 : 200.0;
                    double task = (double)m * split / r * (add + 0.3) + nb * red + fixed;
                    mem += r * nb * (affine ? sizeof(maff_t) + 1.0 : sizeof(mjac_t));
                    sum += r * task;
                    if (task > longest) longest = task;
                }
                if (mem > (double)mem_cap && !(o && o->window)) continue;
                /* dynamic claiming: about sum / threads, but never below the longest task, and
                 * a round of tasks that does not fill the threads wastes the rest */
                double rounds = (double)((nwin * r + (unsigned)threads - 1) / (unsigned)threads);
                double cost = sum / threads > longest * rounds ? sum / threads : longest * rounds;
                if (!best.c || cost < best.cost) best = (msm_choice){c, r, 0, affine, cost};
            }
        }
    }
    return best;
}

zk_err MG(msm_var_opts)(zk_pool *pool, mjac_t *out, const maff_t *points, const fr_t *scalars,
                        size_t n, const zk_msm_opts *o) {
    if (!out) return ZK_ERR_ARG;
    MG(jac_set_inf_inl)(out);
    if (n == 0) return ZK_OK;
    if (!points || !scalars) return ZK_ERR_ARG;
    if (o && o->window && (o->window < 2 || o->window > ZK_MSM_MAX_WINDOW)) return ZK_ERR_ARG;
    if (o && o->batch > 1u << 20) return ZK_ERR_ARG;

    msm_ctx x;
    memset(&x, 0, sizeof x);
    x.points = points;
    x.scalars = scalars;
    x.ones_apart = !(o && o->no_ones);
    x.split = MSM_SPLIT;
    x.bits = 254;
#if MSM_SPLIT == 2
    x.bits = MSM_SPLIT_BITS;
    if (o && o->no_glv) {
        x.split = 1;
        x.bits = 254;
    }
#endif
    /* Estimate the non-trivial scalars from a sample (only the plan depends on it). */
    size_t step = n > 4096 ? n / 4096 : 1, seen = 0, nontriv = 0;
    for (size_t i = 0; i < n; i += step, seen++)
        nontriv += !(fr_is_zero(&scalars[i]) || (x.ones_apart && fr_is_one(&scalars[i])));
    size_t m = (size_t)((double)nontriv / (double)seen * (double)n) + 1;
    if (m > n) m = n;

    int threads = zk_pool_threads(pool);
    size_t mem_cap = n * sizeof(maff_t) / 2;
    if (mem_cap < ((size_t)64 << 20)) mem_cap = (size_t)64 << 20;
    int simd = 0;
#ifdef MSM_IFMA
    vfp_const vk;
    vfp_const_init(&vk);
    simd = !(o && o->no_simd);
#endif
    msm_choice ch = msm_plan(m, x.split, x.bits, threads, mem_cap, simd, o);
    /* A few terms: one wNAF scalar multiplication each (~2500 products) is
     * cheaper than setting up windows of buckets. */
    if (!(o && (o->window || o->bucket_mode || o->ranges || o->batch || o->chunk)) &&
        (double)m * 2500.0 < ch.cost) {
        for (size_t i = 0; i < n; i++) {
            if (fr_is_zero(&scalars[i]) || MG(affine_is_inf_inl)(&points[i])) continue;
            mjac_t pj, t;
            MG(from_affine_inl)(&pj, &points[i]);
            if (fr_is_one(&scalars[i])) t = pj;
            else MG(mul_var)(&t, &pj, &scalars[i]);
            MG(add_inl)(out, out, &t);
        }
        return ZK_OK;
    }
    x.nwin = msm_windows(x.cw, x.bits, ch.c);
    for (unsigned w = 0; w < x.nwin; w++) {
        x.pos[w] = w ? x.pos[w - 1] + x.cw[w - 1] : 0;
        if (w + 1 < x.nwin) {
            unsigned b = x.pos[w] + x.cw[w] - 1; /* < bits < 255 */
            x.h[b >> 6] |= UINT64_C(1) << (b & 63);
        }
    }
    x.ranges = ch.ranges;
    x.affine = ch.affine;
    x.chunk = o && o->chunk ? o->chunk : MSM_CHUNK;
    if (x.chunk > n) x.chunk = n;
    x.nparts = (x.chunk + MSM_PART - 1) / MSM_PART;
    x.dstride = x.chunk * x.split;

    zk_err err = ZK_OK;
    size_t ntasks = (size_t)x.nwin * x.ranges;
    x.ntasks = ntasks;
    x.tasks = calloc(ntasks, sizeof *x.tasks);
    if (!x.tasks) err = ZK_ERR_NOMEM;
    for (int b = 0; b < 2 && !err; b++) {
        msm_chunk *ck = &x.ch[b];
        ck->dig = malloc(x.nwin * x.dstride * sizeof *ck->dig);
        ck->ones = malloc(x.chunk * sizeof *ck->ones);
        ck->ones_n = malloc(x.nparts * sizeof *ck->ones_n);
        ck->ones_sum = malloc(x.nparts * sizeof *ck->ones_sum);
        if (x.split == 2) ck->phi = malloc(x.chunk * sizeof *ck->phi);
        if (!ck->dig || !ck->ones || !ck->ones_n || !ck->ones_sum || (x.split == 2 && !ck->phi))
            err = ZK_ERR_NOMEM;
    }
    for (size_t i = 0; i < ntasks && !err; i++) {
        unsigned cw = x.cw[i / x.ranges];
        err = task_init(&x.tasks[i], 1u << (cw - 1), x.affine, msm_batch_for(cw, o ? o->batch : 0), x.chunk);
        x.tasks[i].simd = simd;
#ifdef MSM_IFMA
        x.tasks[i].K = &vk;
#endif
    }

    mjac_t ones_sum;
    MG(jac_set_inf_inl)(&ones_sum);
    /* chunk i's buckets run with chunk i + 1's digits (x.cur / x.nxt) */
    x.cur = NULL;
    for (size_t base = 0, i = 0; !err && (x.cur || base < n); i++) {
        x.nxt = NULL;
        size_t run = x.cur ? ntasks : 0;
        if (base < n) {
            x.nxt = &x.ch[i & 1];
            x.nxt->base = base;
            x.nxt->len = n - base < x.chunk ? n - base : x.chunk;
            x.nxt->parts = (x.nxt->len + MSM_PART - 1) / MSM_PART;
            base += x.nxt->len;
            run += x.nxt->parts;
        }
        zk_pool_run(pool, run, pass_chunk, &x);
        if (x.cur) {
            for (size_t t = 0; t < ntasks && !err; t++) err = x.tasks[t].err;
            for (size_t pi = 0; pi < x.cur->parts && !err; pi++)
                MG(add_inl)(&ones_sum, &ones_sum, &x.cur->ones_sum[pi]);
        }
        x.cur = x.nxt;
    }
    if (!err) {
        zk_pool_run(pool, ntasks, pass_reduce, &x);
        mjac_t acc;
        MG(jac_set_inf_inl)(&acc);
        for (unsigned w = x.nwin; w-- > 0;) {
            if (!MG(jac_is_inf_inl)(&acc))
                for (unsigned b = 0; b < x.cw[w]; b++) MG(dbl_inl)(&acc, &acc);
            for (unsigned r = 0; r < x.ranges; r++) MG(add_inl)(&acc, &acc, &x.tasks[w * x.ranges + r].sum);
        }
        MG(add_inl)(out, &acc, &ones_sum);
    }

    if (x.tasks)
        for (size_t i = 0; i < ntasks; i++) task_free(&x.tasks[i]);
    free(x.tasks);
    for (int b = 0; b < 2; b++) {
        free(x.ch[b].dig);
        free(x.ch[b].ones);
        free(x.ch[b].ones_n);
        free(x.ch[b].ones_sum);
        free(x.ch[b].phi);
    }
    return err;
}

uint32_t MG(msm_batch_add_var)(maff_t *dst, const uint32_t *idx, const maff_t *const *src,
                                    const uint8_t *neg, uint32_t k, int simd) {
    msm_scratch scr;
    memset(&scr, 0, sizeof scr);
    uint32_t skips = UINT32_MAX;
    size_t cap8 = ((size_t)k + 7) & ~(size_t)7;
    uint32_t *idx8 = calloc(cap8 ? cap8 : 1, sizeof *idx8);
    const maff_t **src8 = calloc(cap8 ? cap8 : 1, sizeof *src8);
    uint8_t *neg8 = calloc(cap8 ? cap8 : 1, 1);
    if (idx8 && src8 && neg8 && scratch_init(&scr, cap8 ? cap8 : 8) == ZK_OK) {
        memcpy(idx8, idx, k * sizeof *idx);
        memcpy(src8, src, k * sizeof *src);
        memcpy(neg8, neg, k);
#ifdef MSM_IFMA
        vfp_const vk;
        vfp_const_init(&vk);
        skips = k ? batch_add(dst, idx8, src8, neg8, k, &scr, simd, &vk) : 0;
#else
        skips = k ? batch_add(dst, idx8, src8, neg8, k, &scr, simd, NULL) : 0;
#endif
    }
    scratch_free(&scr);
    free(idx8);
    free(src8);
    free(neg8);
    return skips;
}

zk_err MG(msm_var)(zk_pool *pool, mjac_t *out, const maff_t *points, const fr_t *scalars, size_t n) {
    return MG(msm_var_opts)(pool, out, points, scalars, n, NULL);
}

#undef MG
#undef MF
#undef MSM_CAT
#undef MSM_CAT2
