/* Internal template: fixed-base batch scalar multiplication (comb of
 * windows), written once and instantiated for G1 and G2 by fixed_base.c.
 *
 * Design (why it is built this way): Groth16 setup multiplies ONE base (the
 * generator) by millions of scalars. With a table of d * 2^(w j) * B for
 * every window j and d = 1 .. 2^(w-1), a scalar recoded into signed w-bit
 * digits costs one addition per non-zero digit and no doubling at all. The
 * additions of one window over a chunk of scalars are independent (each
 * goes into its own accumulator), so they run as a batch of affine chord
 * additions sharing one inversion (Montgomery's trick) on the MSM's batch
 * kernel (msm_impl.h: ~6 products per addition, or 8 additions per vector
 * instruction with AVX-512 IFMA) instead of 11 products for a mixed
 * Jacobian addition; the accumulators are the affine outputs themselves, so
 * no final normalisation is paid either. An exceptional addition
 * (accumulator = +-table entry, equal x) cannot occur for scalars < r and a
 * base of order r (the partial sum is smaller in absolute value than the
 * next window's entry), but is guarded anyway: such an addition is left out
 * of the batch and done in Jacobian coordinates. The window w minimises (scalars *
 * windows + table building) for the expected number of scalars, capped at
 * 16 (a G2 table is then 67 MB). Table rows are built in parallel, one
 * inversion per row. Variable time in the scalars. */
#if !defined(FB_G)
#error "define FB_G before including fixed_base_impl.h"
#endif

#define FB_CAT2(a, b) a##_##b
#define FB_CAT(a, b) FB_CAT2(a, b)
#define FG(n) FB_CAT(FB_G, n)

struct FG(fixed_base) {
    unsigned w, nwin, half;
    FG(affine_t) *table; /* nwin rows of half entries: row j, entry d-1 = d 2^(wj) B */
};

typedef struct {
    FG(affine_t) *table;
    const FG(affine_t) *rowbase;
    unsigned half;
    volatile int nomem;
} FG(fb_build_ctx);

static void FG(fb_build_task)(void *vctx, size_t j) {
    FG(fb_build_ctx) *c = vctx;
    FG(jac_t) *tmp = malloc((size_t)c->half * sizeof *tmp);
    if (!tmp) {
        c->nomem = 1;
        return;
    }
    FG(from_affine)(&tmp[0], &c->rowbase[j]);
    for (unsigned d = 1; d < c->half; d++) FG(add_mixed)(&tmp[d], &tmp[d - 1], &c->rowbase[j]);
    FG(batch_to_affine)(c->table + j * c->half, tmp, c->half);
    free(tmp);
}

zk_err FG(fixed_base_new)(zk_pool *pool, FG(fixed_base) **out, const FG(affine_t) *base, size_t n_hint) {
    *out = NULL;
    FG(fixed_base) *fb = calloc(1, sizeof *fb);
    if (!fb) return ZK_ERR_NOMEM;
    double best = 0;
    for (unsigned w = 2; w <= FB_MAX_W; w++) {
        unsigned nwin = (FB_SCALAR_BITS + w - 1) / w;
        double cost = (double)n_hint * nwin + FB_TABLE_WEIGHT * (double)nwin * (double)(1u << (w - 1));
        if (w == 2 || cost < best) best = cost, fb->w = w;
    }
    fb->half = 1u << (fb->w - 1);
    fb->nwin = (FB_SCALAR_BITS + fb->w - 1) / fb->w;
    FG(jac_t) *rj = malloc(fb->nwin * sizeof *rj);
    FG(affine_t) *rowbase = malloc(fb->nwin * sizeof *rowbase);
    fb->table = malloc((size_t)fb->nwin * fb->half * sizeof *fb->table);
    if (!rj || !rowbase || !fb->table) {
        free(rj);
        free(rowbase);
        FG(fixed_base_free)(fb);
        return ZK_ERR_NOMEM;
    }
    FG(from_affine)(&rj[0], base); /* row bases 2^(wj) B, affine so rows use mixed additions */
    for (unsigned j = 1; j < fb->nwin; j++) {
        rj[j] = rj[j - 1];
        for (unsigned t = 0; t < fb->w; t++) FG(dbl)(&rj[j], &rj[j]);
    }
    FG(batch_to_affine)(rowbase, rj, fb->nwin);
    free(rj);
    FG(fb_build_ctx) c = {fb->table, rowbase, fb->half, 0};
    zk_pool_run(fb->half >= 256 ? pool : NULL, fb->nwin, FG(fb_build_task), &c);
    free(rowbase);
    if (c.nomem) {
        FG(fixed_base_free)(fb);
        return ZK_ERR_NOMEM;
    }
    *out = fb;
    return ZK_OK;
}

void FG(fixed_base_free)(FG(fixed_base) *fb) {
    if (!fb) return;
    free(fb->table);
    free(fb);
}

typedef struct {
    const FG(fixed_base) *fb;
    FG(affine_t) *out;
    const fr_t *k;
    size_t n;
    volatile int nomem;
} FG(fb_mul_ctx);

static void FG(fb_mul_task)(void *vctx, size_t t) {
    FG(fb_mul_ctx) *c = vctx;
    const FG(fixed_base) *fb = c->fb;
    const size_t lo = t * FB_CHUNK, cnt = lo + FB_CHUNK < c->n ? FB_CHUNK : c->n - lo;
    const unsigned w = fb->w, nwin = fb->nwin;
    int32_t *dig = malloc((size_t)nwin * cnt * sizeof *dig);
    uint32_t *idx = malloc(cnt * sizeof *idx);
    const FG(affine_t) **src = malloc(cnt * sizeof *src);
    uint8_t *neg = malloc(cnt), *inf = malloc(cnt);
    FG(affine_t) *acc = c->out + lo;
    if (!dig || !idx || !src || !neg || !inf) {
        c->nomem = 1;
        goto out;
    }
    /* signed digits: d_j in [-(2^(w-1) - 1), 2^(w-1)], sum d_j 2^(wj) = k */
    for (size_t i = 0; i < cnt; i++) {
        uint64_t v[4];
        fr_to_u256(v, &c->k[lo + i]);
        int32_t carry = 0;
        for (unsigned j = 0; j < nwin; j++) {
            unsigned bit = j * w, limb = bit >> 6, sh = bit & 63;
            uint64_t x = v[limb] >> sh;
            if (sh + w > 64 && limb < 3) x |= v[limb + 1] << (64 - sh);
            int32_t d = (int32_t)(x & ((1u << w) - 1)) + carry;
            carry = d > (int32_t)fb->half;
            dig[(size_t)j * cnt + i] = carry ? d - (int32_t)(1u << w) : d;
        }
        zk_memzero(v, sizeof v);
        inf[i] = 1;
    }
    for (unsigned j = 0; j < nwin; j++) {
        const FG(affine_t) *row = fb->table + (size_t)j * fb->half;
        const int32_t *dj = dig + (size_t)j * cnt;
        uint32_t m = 0;
        for (size_t i = 0; i < cnt; i++) {
            int32_t d = dj[i];
            if (d == 0) continue;
            const FG(affine_t) *e = &row[(d < 0 ? -d : d) - 1];
            if (FG(affine_is_infinity)(e)) continue; /* base at infinity */
            if (inf[i]) {
                if (d < 0) FG(affine_neg)(&acc[i], e);
                else acc[i] = *e;
                inf[i] = 0;
            } else if (memcmp(&acc[i].x, &e->x, sizeof e->x) == 0) {
                /* acc = +-e: doubling or cancellation, outside the batch */
                FG(jac_t) a;
                FG(affine_t) ee;
                if (d < 0) FG(affine_neg)(&ee, e);
                else ee = *e;
                FG(from_affine)(&a, &acc[i]);
                FG(add_mixed)(&a, &a, &ee);
                inf[i] = (uint8_t)FG(jac_is_infinity)(&a);
                FG(to_affine)(&acc[i], &a);
            } else {
                idx[m] = (uint32_t)i;
                src[m] = e;
                neg[m] = d < 0;
                m++;
            }
        }
        if (m && FG(msm_batch_add_var)(acc, idx, src, neg, m, 1) == UINT32_MAX) {
            c->nomem = 1;
            goto out;
        }
    }
    for (size_t i = 0; i < cnt; i++)
        if (inf[i]) FG(affine_set_infinity)(&acc[i]);
out:
    if (dig) zk_memzero(dig, (size_t)nwin * cnt * sizeof *dig);
    free(dig);
    free(idx);
    free(src);
    free(neg);
    free(inf);
}

zk_err FG(fixed_base_mul_batch_var)(zk_pool *pool, FG(affine_t) *out, const FG(fixed_base) *fb, const fr_t *k,
                                    size_t n) {
    if (n == 0) return ZK_OK;
    FG(fb_mul_ctx) c = {fb, out, k, n, 0};
    zk_pool_run(n > FB_CHUNK / 4 ? pool : NULL, (n + FB_CHUNK - 1) / FB_CHUNK, FG(fb_mul_task), &c);
    return c.nomem ? ZK_ERR_NOMEM : ZK_OK;
}

#undef FG
#undef FB_CAT
#undef FB_CAT2
#undef FB_G
