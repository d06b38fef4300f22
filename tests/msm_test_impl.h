/* MSM test helpers written once for G1 and G2 (included by test_msm.c with
 * TG = g1 / g2). The reference is the naive sum of G_mul_var products, an
 * independent code path (wNAF double-and-add on Jacobian points). */
#define TCAT2(a, b) a##_##b
#define TCAT(a, b) TCAT2(a, b)
#define TGN(n) TCAT(TG, n)
typedef TGN(affine_t) TGN(taff);
typedef TGN(jac_t) TGN(tjac);

/* n points start + i step (random start and step), plus random infinity
 * holes if inf_every != 0: cheap to make (one addition per point). */
static void TGN(t_points)(TGN(taff) *out, size_t n, size_t inf_every) {
    TGN(tjac) g, start, step, *tmp = malloc((n ? n : 1) * sizeof *tmp);
    TGN(affine_t) ga;
    fr_t a, b;
    t_rand_fr(&a);
    t_rand_fr(&b);
    TGN(generator)(&ga);
    TGN(from_affine)(&g, &ga);
    TGN(mul_var)(&start, &g, &a);
    TGN(mul_var)(&step, &g, &b);
    for (size_t i = 0; i < n; i++) {
        tmp[i] = start;
        TGN(add)(&start, &start, &step);
    }
    TGN(batch_to_affine)(out, tmp, n);
    if (inf_every)
        for (size_t i = 0; i < n; i++)
            if (test_rand64() % inf_every == 0) TGN(affine_set_infinity)(&out[i]);
    free(tmp);
}

static void TGN(t_naive)(TGN(tjac) *r, const TGN(taff) *p, const fr_t *k, size_t n) {
    TGN(jac_set_infinity)(r);
    for (size_t i = 0; i < n; i++) {
        TGN(tjac) pj, t;
        TGN(from_affine)(&pj, &p[i]);
        TGN(mul_var)(&t, &pj, &k[i]);
        TGN(add)(r, r, &t);
    }
}

/* MSM with options o on pool equals ref (and the plain API when o is NULL). */
static int TGN(t_check)(zk_pool *pool, const TGN(taff) *p, const fr_t *k, size_t n,
                        const zk_msm_opts *o, const TGN(tjac) *ref, const char *what) {
    TGN(tjac) got;
    zk_err e = o ? TGN(msm_var_opts)(pool, &got, p, k, n, o) : TGN(msm_var)(pool, &got, p, k, n);
    int ok = e == ZK_OK && TGN(jac_eq)(&got, ref);
    CHECK_MSG(ok, "%s msm %s n=%zu threads=%d window=%u mode=%d ranges=%u batch=%u noglv=%d noones=%d nosimd=%d chunk=%zu",
              TG_NAME, what, n, zk_pool_threads(pool), o ? o->window : 0, o ? o->bucket_mode : 0,
              o ? o->ranges : 0, o ? o->batch : 0, o ? o->no_glv : 0, o ? o->no_ones : 0, o ? o->no_simd : 0, o ? o->chunk : 0);
    return ok;
}

/* Many configurations against one naive reference. */
static void TGN(t_configs)(zk_pool **pools, const TGN(taff) *p, const fr_t *k, size_t n, const char *what) {
    TGN(tjac) ref;
    TGN(t_naive)(&ref, p, k, n);
    for (int t = 0; t < 3; t++) TGN(t_check)(pools[t], p, k, n, NULL, &ref, what);
    static const unsigned windows[] = {2, 3, 5, 8, 10};
    for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++) {
        for (int mode = 1; mode <= 2; mode++) {
            if (mode == 1 && windows[wi] < 5) continue; /* affine batches of 1-2: slow, covered by 5 */
            zk_msm_opts o = {0};
            o.window = windows[wi];
            o.bucket_mode = mode;
            o.ranges = 1 + (unsigned)(test_rand64() % 3);
            o.batch = mode == 1 ? 1 + (unsigned)(test_rand64() % 40) : 0;
            o.no_glv = (int)(test_rand64() & 1);
            o.no_ones = (int)(test_rand64() & 1);
            o.no_simd = (int)(test_rand64() & 1);
            o.chunk = (test_rand64() & 1) ? 0 : 1 + (size_t)(test_rand64() % 200); /* several chunks */
            TGN(t_check)(pools[test_rand64() % 3], p, k, n, &o, &ref, what);
        }
    }
}

/* nmax >= 1000: the largest size checked against the naive sum */
static void TGN(t_suite)(zk_pool **pools, size_t nmax, size_t big) {
    static const size_t sizes[] = {1, 2, 3, 7, 64, 255, 1000};
    size_t cap = nmax > 3000 ? nmax : 3000;
    TGN(taff) *p = malloc(cap * sizeof *p);
    fr_t *k = malloc(cap * sizeof *k);
    TGN(tjac) ref, got;

    /* n = 0: infinity, with or without arrays */
    CHECK(TGN(msm_var)(pools[1], &got, NULL, NULL, 0) == ZK_OK && TGN(jac_is_infinity)(&got));

    /* random scalars and points across sizes */
    TGN(t_points)(p, nmax, 0);
    for (size_t i = 0; i < nmax; i++) t_rand_fr(&k[i]);
    {   /* one running naive sum, checked at every size */
        size_t next = 0;
        TGN(jac_set_infinity)(&ref);
        for (size_t i = 0; i <= nmax; i++) {
            if (i == nmax || (next < sizeof sizes / sizeof sizes[0] && i == sizes[next])) {
                for (int t = 0; t < 3; t++) TGN(t_check)(pools[t], p, k, i, NULL, &ref, "random");
                /* tiny inputs take the naive path by default: force the buckets too */
                zk_msm_opts o = {0};
                o.window = 4;
                TGN(t_check)(pools[1], p, k, i, &o, &ref, "random-buckets");
                o.window = 9;
                o.bucket_mode = 1;
                TGN(t_check)(pools[2], p, k, i, &o, &ref, "random-affine-buckets");
                next++;
            }
            if (i == nmax) break;
            TGN(tjac) pj, tt;
            TGN(from_affine)(&pj, &p[i]);
            TGN(mul_var)(&tt, &pj, &k[i]);
            TGN(add)(&ref, &ref, &tt);
        }
    }
    TGN(t_configs)(pools, p, k, 300, "random-configs");

    /* all-zero scalars */
    for (size_t i = 0; i < 500; i++) fr_zero(&k[i]);
    TGN(jac_set_infinity)(&ref);
    TGN(t_check)(pools[2], p, k, 500, NULL, &ref, "zeros");
    TGN(t_check)(pools[0], p, k, 1, NULL, &ref, "zero-1");

    /* scalars 0, 1, r - 1, 2, small, with infinity points mixed in */
    fr_t one, minus_one;
    fr_one(&one);
    fr_neg(&minus_one, &one);
    TGN(t_points)(p, 600, 7);
    for (size_t i = 0; i < 600; i++) {
        switch (test_rand64() % 6) {
        case 0: fr_zero(&k[i]); break;
        case 1: k[i] = one; break;
        case 2: k[i] = minus_one; break;
        case 3: fr_set_u64(&k[i], 2 + test_rand64() % 1000); break;
        default: t_rand_fr(&k[i]); break;
        }
    }
    TGN(t_configs)(pools, p, k, 600, "edge-scalars");
    /* single terms: 1 * P and (r - 1) * P = -P */
    TGN(from_affine)(&ref, &p[0]);
    if (!TGN(affine_is_infinity)(&p[0])) {
        TGN(t_check)(pools[0], p, &one, 1, NULL, &ref, "one");
        TGN(neg)(&ref, &ref);
        TGN(t_check)(pools[0], p, &minus_one, 1, NULL, &ref, "minus-one");
    }

    /* all points at infinity */
    for (size_t i = 0; i < 100; i++) { TGN(affine_set_infinity)(&p[i]); t_rand_fr(&k[i]); }
    TGN(jac_set_infinity)(&ref);
    TGN(t_check)(pools[1], p, k, 100, NULL, &ref, "all-infinity");

    /* scalars mostly 0 and 1 (Groth16 witnesses) */
    TGN(t_points)(p, nmax, 0);
    for (size_t i = 0; i < nmax; i++) {
        uint64_t r = test_rand64() % 10;
        if (r < 4) fr_zero(&k[i]);
        else if (r < 8) k[i] = one;
        else t_rand_fr(&k[i]);
    }
    TGN(t_naive)(&ref, p, k, nmax);
    for (int t = 0; t < 3; t++) TGN(t_check)(pools[t], p, k, nmax, NULL, &ref, "zeros-ones");
    {
        zk_msm_opts o = {0};
        o.chunk = 700; /* several chunks, scalar-1 sums per chunk */
        TGN(t_check)(pools[2], p, k, nmax, &o, &ref, "zeros-ones-chunks");
        o.no_ones = 1;
        TGN(t_check)(pools[1], p, k, nmax, &o, &ref, "zeros-ones-in-buckets");
    }

    /* repeated points: one point many times (same scalar, then random
     * scalars, then ones in the buckets), so that most additions in a batch
     * hit a bucket that is already busy */
    {
        size_t nr = 3000;
        TGN(taff) q;
        TGN(t_points)(&q, 1, 0);
        fr_t s, total;
        t_rand_fr(&s);
        fr_zero(&total);
        for (size_t i = 0; i < nr; i++) { p[i] = q; k[i] = s; fr_add(&total, &total, &s); }
        TGN(tjac) qj;
        TGN(from_affine)(&qj, &q);
        TGN(mul_var)(&ref, &qj, &total);
        TGN(t_check)(pools[1], p, k, nr, NULL, &ref, "repeated-same-scalar");
        zk_msm_opts o = {0};
        o.bucket_mode = 1;
        o.window = 9;
        o.batch = 64;
        TGN(t_check)(pools[2], p, k, nr, &o, &ref, "repeated-same-scalar-affine");
        o.no_simd = 1;
        TGN(t_check)(pools[2], p, k, nr, &o, &ref, "repeated-same-scalar-affine-scalar");
        o.no_simd = 0;
        fr_zero(&total);
        for (size_t i = 0; i < nr; i++) {
            if (i % 3 == 0) fr_set_u64(&k[i], 1 + test_rand64() % 5);
            else t_rand_fr(&k[i]);
            fr_add(&total, &total, &k[i]);
        }
        TGN(mul_var)(&ref, &qj, &total);
        TGN(t_check)(pools[1], p, k, nr, NULL, &ref, "repeated-random-scalars");
        TGN(t_check)(pools[0], p, k, nr, &o, &ref, "repeated-random-scalars-affine");
        fr_zero(&total);
        for (size_t i = 0; i < nr; i++) { k[i] = one; fr_add(&total, &total, &one); }
        TGN(mul_var)(&ref, &qj, &total);
        TGN(t_check)(pools[2], p, k, nr, NULL, &ref, "repeated-ones");
        o.no_ones = 1;
        TGN(t_check)(pools[1], p, k, nr, &o, &ref, "repeated-ones-in-buckets");
        /* P and -P alternating: buckets cancel to infinity and refill */
        TGN(taff) qn;
        TGN(affine_neg)(&qn, &q);
        fr_zero(&total);
        for (size_t i = 0; i < nr; i++) {
            p[i] = (i & 1) ? qn : q;
            k[i] = (i % 4 < 2) ? s : one;
        }
        TGN(jac_set_infinity)(&ref);
        TGN(t_check)(pools[1], p, k, nr, NULL, &ref, "cancelling");
        TGN(t_check)(pools[2], p, k, nr, &o, &ref, "cancelling-affine");
    }

    /* large n: the automatic plan against a different split and plan */
    if (big) {
        TGN(taff) *bp = malloc(big * sizeof *bp);
        fr_t *bk = malloc(big * sizeof *bk);
        TGN(t_points)(bp, big, 0);
        for (size_t i = 0; i < big; i++) t_rand_fr(&bk[i]);
        TGN(tjac) a, b;
        CHECK(TGN(msm_var)(pools[1], &got, bp, bk, big) == ZK_OK);
        zk_msm_opts o = {0};
        o.window = 10;
        o.ranges = 3;
        o.no_glv = 1;
        size_t h = big / 3;
        CHECK(TGN(msm_var_opts)(pools[2], &a, bp, bk, h, &o) == ZK_OK);
        o.window = 12;
        o.no_simd = 1;
        o.chunk = 5000; /* several chunks */
        CHECK(TGN(msm_var_opts)(pools[0], &b, bp + h, bk + h, big - h, &o) == ZK_OK);
        TGN(add)(&a, &a, &b);
        CHECK_MSG(TGN(jac_eq)(&a, &got), "%s big msm n=%zu vs split", TG_NAME, big);
        free(bp);
        free(bk);
    }
    free(p);
    free(k);
}

#undef TGN
#undef TCAT
#undef TCAT2
#undef TG
#undef TG_NAME
