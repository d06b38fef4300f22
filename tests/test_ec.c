/* Tests of the ec layer's point arithmetic and encodings (G1 and G2).
 *
 * Independent references: a naive affine chord-and-tangent implementation
 * written here (with field inversions), naive double-and-add, the curve
 * constants recomputed from their definitions (b' = 3/(9+u), the EIP-197
 * generator as decimal text, lambda = 6x^2, t = 6x^2 + 1 with GMP), the
 * snarkjs fixtures (verification key and proof as JSON decimal strings, and
 * the same points in the zkey's binary LEM layout), and GMP for the
 * Montgomery byte layout. */
#include <gmp.h>

#include "ec/ec.h"
#include "ec/ec_internal.h"
#include "json/json.h"
#include "test.h"

#define BN_X_DEC "4965661367192848881"
#define P_DEC "21888242871839275222246405745257275088696311157297823662689037894645226208583"
#define R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"

static uint64_t P_LIMBS[4], R_LIMBS[4], LAMBDA[4], TRACE[4], COFACTOR2[4];
static fp2_t B2_REF; /* 3 / (9 + u), computed here */

static void mpz_to_limbs(uint64_t v[4], const mpz_t z) {
    mpz_t t;
    mpz_init_set(t, z);
    for (int i = 0; i < 4; i++) {
        uint64_t lo = mpz_get_ui(t) & 0xffffffffULL;
        mpz_fdiv_q_2exp(t, t, 32);
        uint64_t hi = mpz_get_ui(t) & 0xffffffffULL;
        mpz_fdiv_q_2exp(t, t, 32);
        v[i] = lo | (hi << 32);
    }
    mpz_clear(t);
}

static void setup_constants(void) {
    mpz_t p, r, x, t;
    mpz_inits(p, r, x, t, NULL);
    mpz_set_str(p, P_DEC, 10);
    mpz_set_str(r, R_DEC, 10);
    mpz_set_str(x, BN_X_DEC, 10);
    mpz_to_limbs(P_LIMBS, p);
    mpz_to_limbs(R_LIMBS, r);
    mpz_mul(t, x, x);
    mpz_mul_ui(t, t, 6);
    mpz_to_limbs(LAMBDA, t);
    mpz_add_ui(t, t, 1);
    mpz_to_limbs(TRACE, t);
    mpz_mul_2exp(t, p, 1);
    mpz_sub(t, t, r); /* #E'(Fp2) = r (2p - r) */
    mpz_to_limbs(COFACTOR2, t);
    mpz_clears(p, r, x, t, NULL);
    fp2_t xi;
    fp_set_u64(&xi.c0, 9);
    fp_set_u64(&xi.c1, 1);
    fp2_inv(&B2_REF, &xi);
    fp_t three;
    fp_set_u64(&three, 3);
    fp2_mul_fp(&B2_REF, &B2_REF, &three);
}

static void rand_limbs(uint64_t v[4]) {
    for (int i = 0; i < 4; i++) v[i] = test_rand64();
}
static void rand_fr(fr_t *k) {
    uint64_t v[4];
    rand_limbs(v);
    fr_from_u256_reduce(k, v);
}
static void rand_fp(fp_t *a) {
    uint64_t v[4];
    rand_limbs(v);
    fp_from_u256_reduce(a, v);
}

/* ---- naive affine reference, once for both groups ---- */
#define DEFINE_REF(G, F, FT)                                                              \
    static void G##_ref_add(G##_affine_t *r, const G##_affine_t *a, const G##_affine_t *b) { \
        if (G##_affine_is_infinity(a)) { *r = *b; return; }                              \
        if (G##_affine_is_infinity(b)) { *r = *a; return; }                              \
        FT lam, t, x3, y3;                                                                \
        if (F##_eq(&a->x, &b->x)) {                                                       \
            F##_add(&t, &a->y, &b->y);                                                    \
            if (F##_is_zero(&t)) { G##_affine_set_infinity(r); return; }                  \
            F##_sqr(&lam, &a->x);                                                         \
            F##_add(&t, &lam, &lam);                                                      \
            F##_add(&lam, &t, &lam);                                                      \
            F##_add(&t, &a->y, &a->y);                                                    \
        } else {                                                                          \
            F##_sub(&lam, &b->y, &a->y);                                                  \
            F##_sub(&t, &b->x, &a->x);                                                    \
        }                                                                                 \
        F##_inv_var(&t, &t);                                                              \
        F##_mul(&lam, &lam, &t);                                                          \
        F##_sqr(&x3, &lam);                                                               \
        F##_sub(&x3, &x3, &a->x);                                                         \
        F##_sub(&x3, &x3, &b->x);                                                         \
        F##_sub(&t, &a->x, &x3);                                                          \
        F##_mul(&y3, &lam, &t);                                                           \
        F##_sub(&y3, &y3, &a->y);                                                         \
        r->x = x3;                                                                        \
        r->y = y3;                                                                        \
    }                                                                                     \
    static void G##_ref_mul(G##_affine_t *r, const G##_affine_t *a, const uint64_t k[4]) { \
        G##_affine_t acc;                                                                 \
        G##_affine_set_infinity(&acc);                                                    \
        for (int i = 255; i >= 0; i--) {                                                  \
            G##_ref_add(&acc, &acc, &acc);                                                \
            if ((k[i / 64] >> (i % 64)) & 1) G##_ref_add(&acc, &acc, a);                   \
        }                                                                                 \
        *r = acc;                                                                         \
    }                                                                                     \
    static G##_affine_t G##_aff(const G##_jac_t *p) {                                     \
        G##_affine_t a;                                                                   \
        G##_to_affine(&a, p);                                                             \
        return a;                                                                         \
    }                                                                                     \
    static G##_jac_t G##_jac(const G##_affine_t *a) {                                     \
        G##_jac_t p;                                                                      \
        G##_from_affine(&p, a);                                                           \
        return p;                                                                         \
    }                                                                                     \
    /* same point, other Jacobian representative (X l^2, Y l^3, Z l) */                  \
    static G##_jac_t G##_rescale(const G##_jac_t *p, const FT *l) {                       \
        G##_jac_t q;                                                                      \
        FT l2, l3;                                                                        \
        F##_sqr(&l2, l);                                                                  \
        F##_mul(&l3, &l2, l);                                                             \
        F##_mul(&q.x, &p->x, &l2);                                                        \
        F##_mul(&q.y, &p->y, &l3);                                                        \
        F##_mul(&q.z, &p->z, l);                                                          \
        return q;                                                                         \
    }

DEFINE_REF(g1, fp, fp_t)
DEFINE_REF(g2, fp2, fp2_t)

static void rand_fp2(fp2_t *a) { rand_fp(&a->c0); rand_fp(&a->c1); }

static g1_jac_t rand_g1(void) { /* [k]G with Z != 1 */
    g1_affine_t g;
    g1_jac_t p;
    fr_t k;
    g1_generator(&g);
    rand_fr(&k);
    p = g1_jac(&g);
    g1_mul_var(&p, &p, &k);
    return p;
}
static g2_jac_t rand_g2(void) {
    g2_affine_t g;
    g2_jac_t p;
    fr_t k;
    g2_generator(&g);
    rand_fr(&k);
    p = g2_jac(&g);
    g2_mul_var(&p, &p, &k);
    return p;
}
/* A point of E(Fp) found from a random x (cofactor 1: in G1 too). */
static g1_affine_t hash_g1(void) {
    g1_affine_t a;
    fp_t rhs, three;
    fp_set_u64(&three, 3);
    for (;;) {
        rand_fp(&a.x);
        fp_sqr(&rhs, &a.x);
        fp_mul(&rhs, &rhs, &a.x);
        fp_add(&rhs, &rhs, &three);
        if (fp_sqrt(&a.y, &rhs) == ZK_OK) return a;
    }
}
/* A point of the whole twist E'(Fp2) from a random x, NOT cofactor-cleared. */
static g2_affine_t hash_twist(void) {
    g2_affine_t a;
    fp2_t rhs;
    for (;;) {
        rand_fp2(&a.x);
        fp2_sqr(&rhs, &a.x);
        fp2_mul(&rhs, &rhs, &a.x);
        fp2_add(&rhs, &rhs, &B2_REF);
        if (fp2_sqrt(&a.y, &rhs) == ZK_OK) return a;
    }
}

/* ---------------- constants ---------------- */
static void test_constants(void) {
    g1_affine_t g1;
    g2_affine_t g2, e;
    g1_generator(&g1);
    fp_t one, two;
    fp_set_u64(&one, 1);
    fp_set_u64(&two, 2);
    CHECK(fp_eq(&g1.x, &one) && fp_eq(&g1.y, &two));
    g2_generator(&g2);
    CHECK(fp_from_dec(&e.x.c0, "10857046999023057135944570762232829481370756359578518086990519993285655852781") == ZK_OK);
    CHECK(fp_from_dec(&e.x.c1, "11559732032986387107991004021392285783925812861821192530917403151452391805634") == ZK_OK);
    CHECK(fp_from_dec(&e.y.c0, "8495653923123431417604973247489272438418190587263600148770280649306958101930") == ZK_OK);
    CHECK(fp_from_dec(&e.y.c1, "4082367875863433681332203403145435568316851327593401208105741076214120093531") == ZK_OK);
    CHECK(g2_affine_eq(&g2, &e));
    /* on the twist with b' = 3/(9+u) as computed here */
    fp2_t l, r;
    fp2_sqr(&l, &g2.y);
    fp2_sqr(&r, &g2.x);
    fp2_mul(&r, &r, &g2.x);
    fp2_add(&r, &r, &B2_REF);
    CHECK(fp2_eq(&l, &r));
    CHECK(g1_affine_is_on_curve(&g1) && g2_affine_is_on_curve(&g2));
    CHECK(g1_affine_is_in_subgroup(&g1) && g2_affine_is_in_subgroup(&g2));
    g1_affine_t inf1;
    g2_affine_t inf2;
    g1_affine_set_infinity(&inf1);
    g2_affine_set_infinity(&inf2);
    CHECK(g1_affine_is_infinity(&inf1) && g2_affine_is_infinity(&inf2));
    CHECK(g1_affine_is_on_curve(&inf1) && g2_affine_is_on_curve(&inf2));
    CHECK(fp_is_zero(&inf1.x) && fp_is_zero(&inf1.y));
    /* off-curve points */
    g1_affine_t bad = g1;
    fp_add(&bad.y, &bad.y, &one);
    CHECK(!g1_affine_is_on_curve(&bad));
    g2_affine_t bad2 = g2;
    fp_add(&bad2.x.c1, &bad2.x.c1, &one);
    CHECK(!g2_affine_is_on_curve(&bad2));
}

/* ---------------- group laws (both groups, one macro) ---------------- */
#define DEFINE_LAWS(G, F, FT, RAND, RANDF)                                                \
    static void G##_test_laws(int iters) {                                                \
        G##_jac_t o;                                                                      \
        G##_affine_t oa;                                                                  \
        G##_jac_set_infinity(&o);                                                         \
        G##_affine_set_infinity(&oa);                                                     \
        CHECK(G##_jac_is_infinity(&o));                                                   \
        for (int it = 0; it < iters; it++) {                                              \
            G##_jac_t p = RAND(), q = RAND(), s = RAND(), t1, t2, t3, np;                 \
            G##_affine_t pa = G##_aff(&p), qa = G##_aff(&q), ra, ref;                     \
            FT l;                                                                         \
            CHECK(G##_affine_is_on_curve(&pa) && !G##_affine_is_infinity(&pa));           \
            /* reference addition and doubling */                                        \
            G##_add(&t1, &p, &q);                                                         \
            G##_ref_add(&ref, &pa, &qa);                                                  \
            ra = G##_aff(&t1);                                                            \
            CHECK(G##_affine_eq(&ra, &ref));                                              \
            G##_dbl(&t1, &p);                                                             \
            G##_ref_add(&ref, &pa, &pa);                                                  \
            ra = G##_aff(&t1);                                                            \
            CHECK(G##_affine_eq(&ra, &ref));                                              \
            /* commutativity, associativity */                                           \
            G##_add(&t1, &p, &q);                                                         \
            G##_add(&t2, &q, &p);                                                         \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            G##_add(&t1, &t1, &s);                                                        \
            G##_add(&t2, &q, &s);                                                         \
            G##_add(&t2, &p, &t2);                                                        \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            /* identity, inverse */                                                      \
            G##_add(&t1, &p, &o);                                                         \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add(&t1, &o, &p);                                                         \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add(&t1, &o, &o);                                                         \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            G##_add_mixed(&t1, &p, &oa);                                                  \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add_mixed(&t1, &o, &pa);                                                  \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add_mixed(&t1, &o, &oa);                                                  \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            G##_neg(&np, &p);                                                             \
            G##_add(&t1, &p, &np);                                                        \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            G##_affine_t npa;                                                             \
            G##_affine_neg(&npa, &pa);                                                    \
            G##_add_mixed(&t1, &p, &npa);                                                 \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            G##_ref_add(&ref, &pa, &npa);                                                 \
            CHECK(G##_affine_is_infinity(&ref));                                          \
            G##_dbl(&t1, &o);                                                             \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            /* P + P through add / add_mixed, with another representative */            \
            RANDF(&l);                                                                    \
            t3 = G##_rescale(&p, &l);                                                     \
            CHECK(G##_jac_eq(&t3, &p));                                                   \
            G##_dbl(&t2, &p);                                                             \
            G##_add(&t1, &p, &t3);                                                        \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            G##_add_mixed(&t1, &t3, &pa);                                                 \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            G##_neg(&np, &t3);                                                            \
            G##_add(&t1, &p, &np);                                                        \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            /* mixed = full */                                                           \
            G##_add_mixed(&t1, &p, &qa);                                                  \
            G##_add(&t2, &p, &q);                                                         \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            /* aliasing: r = a, r = b */                                                 \
            t1 = p;                                                                       \
            G##_add(&t1, &t1, &q);                                                        \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            t1 = q;                                                                       \
            G##_add(&t1, &p, &t1);                                                        \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            t1 = p;                                                                       \
            G##_add_mixed(&t1, &t1, &qa);                                                 \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            /* jac_eq is not trivially true */                                           \
            CHECK(!G##_jac_eq(&p, &q) && !G##_jac_eq(&p, &o) && !G##_jac_eq(&o, &p));     \
            CHECK(G##_jac_eq(&o, &o));                                                    \
            /* complete branch-free addition: every case */                              \
            G##_add_ct(&t1, &p, &q);                                                      \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            G##_add_ct(&t1, &p, &t3);                                                     \
            G##_dbl(&t2, &p);                                                             \
            CHECK(G##_jac_eq(&t1, &t2));                                                  \
            G##_neg(&np, &t3);                                                            \
            G##_add_ct(&t1, &p, &np);                                                     \
            CHECK(G##_jac_is_infinity(&t1));                                              \
            G##_add_ct(&t1, &o, &p);                                                      \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add_ct(&t1, &p, &o);                                                      \
            CHECK(G##_jac_eq(&t1, &p));                                                   \
            G##_add_ct(&t1, &o, &o);                                                      \
            CHECK(G##_jac_is_infinity(&t1));                                              \
        }                                                                                 \
    }                                                                                     \
    static void G##_test_affine(void) {                                                   \
        enum { N = 9 };                                                                   \
        G##_jac_t pts[N];                                                                 \
        G##_affine_t aff[N], one;                                                         \
        for (int i = 0; i < N; i++) {                                                     \
            if (i % 3 == 1) G##_jac_set_infinity(&pts[i]);                                \
            else pts[i] = RAND();                                                         \
        }                                                                                 \
        /* an infinity whose X, Y are not (1, 1) */                                      \
        pts[4].x = pts[0].x;                                                              \
        pts[4].y = pts[0].y;                                                              \
        G##_batch_to_affine(aff, pts, N);                                                 \
        for (int i = 0; i < N; i++) {                                                     \
            G##_to_affine(&one, &pts[i]);                                                 \
            CHECK(G##_affine_eq(&one, &aff[i]));                                          \
            CHECK(G##_affine_is_infinity(&aff[i]) == (i % 3 == 1));                       \
            G##_jac_t back = G##_jac(&aff[i]);                                            \
            CHECK(G##_jac_eq(&back, &pts[i]));                                            \
            CHECK(G##_jac_is_infinity(&back) == (i % 3 == 1));                            \
        }                                                                                 \
        G##_batch_to_affine(aff, pts, 0);                                                 \
        G##_batch_to_affine(aff, pts + 1, 1);                                             \
        CHECK(G##_affine_is_infinity(&aff[0]));                                           \
    }

DEFINE_LAWS(g1, fp, fp_t, rand_g1, rand_fp)
DEFINE_LAWS(g2, fp2, fp2_t, rand_g2, rand_fp2)

/* ---------------- scalar multiplication ---------------- */
static void u256_from_fr(uint64_t v[4], const fr_t *k) { fr_to_u256(v, k); }

#define DEFINE_MUL_TESTS(G, RAND)                                                         \
    static void G##_test_mul(int iters) {                                                 \
        G##_affine_t g, ga, ref, got;                                                     \
        G##_jac_t p, a, b, c, o;                                                          \
        fr_t k, k2, kk;                                                                   \
        uint64_t v[4];                                                                    \
        G##_generator(&g);                                                                \
        G##_jac_set_infinity(&o);                                                         \
        for (int it = 0; it < iters; it++) {                                              \
            p = RAND();                                                                   \
            ga = G##_aff(&p);                                                             \
            rand_fr(&k);                                                                  \
            u256_from_fr(v, &k);                                                          \
            G##_ref_mul(&ref, &ga, v);                                                    \
            G##_mul(&a, &p, &k);                                                          \
            G##_mul_var(&b, &p, &k);                                                      \
            G##_mul_u256_var(&c, &p, v);                                                  \
            got = G##_aff(&a);                                                            \
            CHECK(G##_affine_eq(&got, &ref));                                             \
            CHECK(G##_jac_eq(&a, &b) && G##_jac_eq(&a, &c));                              \
            /* [a]([b]P) = [ab]P */                                                      \
            rand_fr(&k2);                                                                 \
            fr_mul(&kk, &k, &k2);                                                         \
            G##_mul(&b, &a, &k2);                                                         \
            G##_mul_var(&c, &p, &kk);                                                     \
            CHECK(G##_jac_eq(&b, &c));                                                    \
            /* [r]P = O, [r+5]P = [5]P, aliasing r = p */                                \
            G##_mul_u256_var(&a, &p, R_LIMBS);                                            \
            CHECK(G##_jac_is_infinity(&a));                                               \
            /* a 256-bit scalar above r against the naive reference */                   \
            rand_limbs(v);                                                                \
            v[3] |= 1ULL << 63;                                                           \
            G##_ref_mul(&ref, &ga, v);                                                    \
            a = p;                                                                        \
            G##_mul_u256_var(&a, &a, v);                                                  \
            got = G##_aff(&a);                                                            \
            CHECK(G##_affine_eq(&got, &ref));                                             \
        }                                                                                 \
        /* special scalars 0, 1, 2, r-1, r-2 (mod r) and the point at infinity */        \
        p = RAND();                                                                       \
        fr_zero(&k);                                                                      \
        G##_mul(&a, &p, &k);                                                              \
        G##_mul_var(&b, &p, &k);                                                          \
        CHECK(G##_jac_is_infinity(&a) && G##_jac_is_infinity(&b));                        \
        fr_one(&k);                                                                       \
        G##_mul(&a, &p, &k);                                                              \
        G##_mul_var(&b, &p, &k);                                                          \
        CHECK(G##_jac_eq(&a, &p) && G##_jac_eq(&b, &p));                                  \
        fr_set_u64(&k, 2);                                                                \
        G##_mul(&a, &p, &k);                                                              \
        G##_dbl(&c, &p);                                                                  \
        CHECK(G##_jac_eq(&a, &c));                                                        \
        fr_one(&k);                                                                       \
        fr_neg(&k, &k); /* r - 1 */                                                      \
        G##_mul(&a, &p, &k);                                                              \
        G##_mul_var(&b, &p, &k);                                                          \
        G##_neg(&c, &p);                                                                  \
        CHECK(G##_jac_eq(&a, &c) && G##_jac_eq(&b, &c));                                  \
        fr_set_u64(&k2, 2);                                                               \
        fr_neg(&k2, &k2); /* r - 2 */                                                    \
        G##_mul(&a, &p, &k2);                                                             \
        G##_dbl(&c, &p);                                                                  \
        G##_neg(&c, &c);                                                                  \
        CHECK(G##_jac_eq(&a, &c));                                                        \
        G##_mul(&a, &o, &k);                                                              \
        G##_mul_var(&b, &o, &k);                                                          \
        CHECK(G##_jac_is_infinity(&a) && G##_jac_is_infinity(&b));                        \
        memset(v, 0xff, sizeof v); /* 2^256 - 1 */                                       \
        ga = G##_aff(&p);                                                                 \
        G##_ref_mul(&ref, &ga, v);                                                        \
        G##_mul_u256_var(&a, &p, v);                                                      \
        got = G##_aff(&a);                                                                \
        CHECK(G##_affine_eq(&got, &ref));                                                 \
        /* scalars made of long runs of equal digits (wNAF carries) */                  \
        for (int i = 0; i < 4; i++) {                                                     \
            uint64_t w[4] = {0, 0, 0, 0};                                                 \
            w[i] = 0xfffffffffffffff0ULL | (uint64_t)i;                                   \
            G##_ref_mul(&ref, &ga, w);                                                    \
            G##_mul_u256_var(&a, &p, w);                                                  \
            got = G##_aff(&a);                                                            \
            CHECK(G##_affine_eq(&got, &ref));                                             \
        }                                                                                 \
    }

DEFINE_MUL_TESTS(g1, rand_g1)
DEFINE_MUL_TESTS(g2, rand_g2)

/* ---------------- G2: psi and the subgroup check ---------------- */
static void test_subgroup(int iters) {
    for (int it = 0; it < iters; it++) {
        g2_affine_t q = hash_twist(), qa, ca;
        g2_jac_t qj = g2_jac(&q), rq, c, t1, t2, t3, pp;
        CHECK(g2_affine_is_on_curve(&q));
        /* psi^2 - [t] psi + [p] = 0 on the whole twist */
        g2_psi(&t1, &qj);
        g2_psi(&t1, &t1);
        g2_psi(&t2, &qj);
        g2_mul_u256_var(&t2, &t2, TRACE);
        g2_neg(&t2, &t2);
        g2_mul_u256_var(&t3, &qj, P_LIMBS);
        g2_add(&t1, &t1, &t2);
        g2_add(&t1, &t1, &t3);
        CHECK(g2_jac_is_infinity(&t1));
        g2_psi(&pp, &qj);
        qa = g2_aff(&pp);
        CHECK(g2_affine_is_on_curve(&qa));
        /* the fast check agrees with [r]Q = O, outside and inside G2 */
        g2_mul_u256_var(&rq, &qj, R_LIMBS);
        CHECK(!g2_jac_is_infinity(&rq)); /* random twist points are outside G2 */
        CHECK(g2_affine_is_in_subgroup(&q) == g2_jac_is_infinity(&rq));
        /* [r]Q lies in the cofactor part only: not in G2 unless O */
        qa = g2_aff(&rq);
        g2_mul_u256_var(&t1, &rq, R_LIMBS);
        CHECK(g2_affine_is_in_subgroup(&qa) == g2_jac_is_infinity(&t1));
        CHECK(!g2_affine_is_in_subgroup(&qa));
        /* cofactor clearing: [2p - r]Q is in G2 */
        g2_mul_u256_var(&c, &qj, COFACTOR2);
        ca = g2_aff(&c);
        g2_mul_u256_var(&t1, &c, R_LIMBS);
        CHECK(g2_jac_is_infinity(&t1));
        CHECK(g2_affine_is_in_subgroup(&ca));
        g2_mul_u256_var(&t1, &c, LAMBDA);
        g2_psi(&t2, &c);
        CHECK(g2_jac_eq(&t1, &t2));
        /* G2 point plus a non-G2 point is not in G2 */
        g2_add(&t1, &c, &qj);
        qa = g2_aff(&t1);
        CHECK(!g2_affine_is_in_subgroup(&qa));
        /* constant-time and wNAF multiplication agree off the subgroup too */
        fr_t k;
        uint64_t v[4];
        rand_fr(&k);
        fr_to_u256(v, &k);
        g2_mul(&t1, &qj, &k);
        g2_mul_u256_var(&t2, &qj, v);
        g2_ref_mul(&ca, &q, v);
        qa = g2_aff(&t1);
        CHECK(g2_jac_eq(&t1, &t2) && g2_affine_eq(&qa, &ca));
    }
    /* G1: any curve point is in the group ([r]P = O) */
    for (int it = 0; it < iters; it++) {
        g1_affine_t a = hash_g1();
        g1_jac_t p = g1_jac(&a), t;
        CHECK(g1_affine_is_on_curve(&a) && g1_affine_is_in_subgroup(&a));
        g1_mul_u256_var(&t, &p, R_LIMBS);
        CHECK(g1_jac_is_infinity(&t));
    }
}

/* ---------------- encodings ---------------- */
static void set_be(uint8_t out[32], const uint64_t v[4]) {
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[(3 - i) * 8 + k] = (uint8_t)(v[i] >> (56 - 8 * k));
}
static void set_le(uint8_t out[32], const uint64_t v[4]) {
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[8 * i + k] = (uint8_t)(v[i] >> (8 * k));
}

static void test_encodings_roundtrip(int iters) {
    for (int it = 0; it <= iters; it++) {
        g1_jac_t pj = rand_g1();
        g2_jac_t qj = rand_g2();
        g1_affine_t p = g1_aff(&pj), p2;
        g2_affine_t q = g2_aff(&qj), q2;
        if (it == iters) { /* last round: infinity */
            g1_affine_set_infinity(&p);
            g2_affine_set_infinity(&q);
        }
        uint8_t b1[64], b2[128], c1[32], c2[64];
        g1_to_eth(b1, &p);
        CHECK(g1_from_eth(&p2, b1) == ZK_OK && g1_affine_eq(&p, &p2));
        g2_to_eth(b2, &q);
        CHECK(g2_from_eth(&q2, b2) == ZK_OK && g2_affine_eq(&q, &q2));
        g1_to_lem(b1, &p);
        CHECK(g1_from_lem(&p2, b1) == ZK_OK && g1_affine_eq(&p, &p2));
        g2_to_lem(b2, &q);
        CHECK(g2_from_lem(&q2, b2) == ZK_OK && g2_affine_eq(&q, &q2));
        CHECK(g2_from_lem_unchecked(&q2, b2) == ZK_OK && g2_affine_eq(&q, &q2));
        g1_to_compressed(c1, &p);
        CHECK(g1_from_compressed(&p2, c1) == ZK_OK && g1_affine_eq(&p, &p2));
        g2_to_compressed(c2, &q);
        CHECK(g2_from_compressed(&q2, c2) == ZK_OK && g2_affine_eq(&q, &q2));
        /* the flag selects the root: flipping it gives -P */
        if (it < iters) {
            g1_affine_t np;
            g2_affine_t nq;
            g1_affine_neg(&np, &p);
            g2_affine_neg(&nq, &q);
            CHECK((c1[0] & 0xC0) == (fp_is_lexicographically_largest(&p.y) ? 0xC0 : 0x80));
            c1[0] ^= 0x40;
            CHECK(g1_from_compressed(&p2, c1) == ZK_OK && g1_affine_eq(&np, &p2));
            c2[0] ^= 0x40;
            CHECK(g2_from_compressed(&q2, c2) == ZK_OK && g2_affine_eq(&nq, &q2));
            uint8_t c1n[32];
            g1_to_compressed(c1n, &np);
            CHECK(memcmp(c1n, c1, 32) == 0);
        } else {
            CHECK(c1[0] == 0x40 && c2[0] == 0x40);
            int z = 1;
            for (int i = 1; i < 32; i++) z &= c1[i] == 0;
            for (int i = 1; i < 64; i++) z &= c2[i] == 0;
            for (int i = 0; i < 64; i++) z &= b1[i] == 0;
            CHECK(z);
        }
        char s1[3][80], s2[6][80];
        g1_to_snarkjs_strings(s1, &p);
        const char *v1[3] = {s1[0], s1[1], s1[2]};
        CHECK(g1_from_snarkjs_strings(&p2, v1) == ZK_OK && g1_affine_eq(&p, &p2));
        g2_to_snarkjs_strings(s2, &q);
        const char *v2[6] = {s2[0], s2[1], s2[2], s2[3], s2[4], s2[5]};
        CHECK(g2_from_snarkjs_strings(&q2, v2) == ZK_OK && g2_affine_eq(&q, &q2));
        if (it == iters) {
            CHECK(!strcmp(s1[0], "0") && !strcmp(s1[1], "1") && !strcmp(s1[2], "0"));
            CHECK(!strcmp(s2[0], "0") && !strcmp(s2[1], "0") && !strcmp(s2[2], "1") &&
                  !strcmp(s2[3], "0") && !strcmp(s2[4], "0") && !strcmp(s2[5], "0"));
        } else {
            CHECK(!strcmp(s1[2], "1") && !strcmp(s2[4], "1") && !strcmp(s2[5], "0"));
        }
    }

    /* known layouts of the generators */
    g1_affine_t g;
    g2_affine_t h;
    g1_generator(&g);
    g2_generator(&h);
    uint8_t b1[64], b2[128], exp[32];
    g1_to_eth(b1, &g);
    uint64_t one[4] = {1, 0, 0, 0}, two[4] = {2, 0, 0, 0};
    set_be(exp, one);
    CHECK(memcmp(b1, exp, 32) == 0);
    set_be(exp, two);
    CHECK(memcmp(b1 + 32, exp, 32) == 0);
    /* LEM: x = 1 is stored as 2^256 mod p (GMP), little-endian */
    mpz_t m, p;
    uint64_t ml[4];
    mpz_inits(m, p, NULL);
    mpz_set_str(p, P_DEC, 10);
    mpz_ui_pow_ui(m, 2, 256);
    mpz_mod(m, m, p);
    mpz_to_limbs(ml, m);
    g1_to_lem(b1, &g);
    set_le(exp, ml);
    CHECK(memcmp(b1, exp, 32) == 0);
    /* EIP-197 order for G2: x_im first */
    g2_to_eth(b2, &h);
    mpz_set_str(m, "11559732032986387107991004021392285783925812861821192530917403151452391805634", 10);
    mpz_to_limbs(ml, m);
    set_be(exp, ml);
    CHECK(memcmp(b2, exp, 32) == 0);
    mpz_set_str(m, "8495653923123431417604973247489272438418190587263600148770280649306958101930", 10);
    mpz_to_limbs(ml, m);
    set_be(exp, ml);
    CHECK(memcmp(b2 + 96, exp, 32) == 0);
    mpz_clears(m, p, NULL);
    char s[3][80];
    g1_to_snarkjs_strings(s, &g);
    CHECK(!strcmp(s[0], "1") && !strcmp(s[1], "2") && !strcmp(s[2], "1"));
}

static void test_encoding_rejections(void) {
    g1_affine_t g, t1;
    g2_affine_t h, t2;
    g1_generator(&g);
    g2_generator(&h);
    uint8_t b1[64], b2[128], c1[32], c2[64], pb[32];
    set_be(pb, P_LIMBS);

    /* Ethereum: non-canonical coordinates (x = p, x + p, 2^256 - 1) */
    g1_to_eth(b1, &g);
    memcpy(b1, pb, 32);
    CHECK(g1_from_eth(&t1, b1) == ZK_ERR_NOT_CANONICAL);
    memset(b1 + 32, 0xff, 32);
    CHECK(g1_from_eth(&t1, b1) == ZK_ERR_NOT_CANONICAL);
    {   /* y + p instead of y: same residue, rejected */
        uint64_t y[4], c = 0;
        g1_to_eth(b1, &g);
        fp_to_u256(y, &g.y);
        for (int i = 0; i < 4; i++) {
            unsigned __int128 s = (unsigned __int128)y[i] + P_LIMBS[i] + c;
            y[i] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        set_be(b1 + 32, y);
        CHECK(g1_from_eth(&t1, b1) == ZK_ERR_NOT_CANONICAL);
    }
    /* off curve: (1, 3), (0, 1) */
    memset(b1, 0, 64);
    b1[31] = 1;
    b1[63] = 3;
    CHECK(g1_from_eth(&t1, b1) == ZK_ERR_NOT_ON_CURVE);
    memset(b1, 0, 64);
    b1[63] = 1;
    CHECK(g1_from_eth(&t1, b1) == ZK_ERR_NOT_ON_CURVE);
    g2_to_eth(b2, &h);
    b2[127] ^= 1;
    CHECK(g2_from_eth(&t2, b2) == ZK_ERR_NOT_ON_CURVE);
    g2_to_eth(b2, &h);
    memcpy(b2 + 32, pb, 32); /* x_re = p */
    CHECK(g2_from_eth(&t2, b2) == ZK_ERR_NOT_CANONICAL);
    /* a twist point outside G2 */
    g2_affine_t q = hash_twist();
    g2_to_eth(b2, &q);
    CHECK(g2_from_eth(&t2, b2) == ZK_ERR_NOT_IN_SUBGROUP);
    g2_to_lem(b2, &q);
    CHECK(g2_from_lem(&t2, b2) == ZK_ERR_NOT_IN_SUBGROUP);
    CHECK(g2_from_lem_unchecked(&t2, b2) == ZK_OK && g2_affine_eq(&t2, &q));
    g2_to_compressed(c2, &q);
    CHECK(g2_from_compressed(&t2, c2) == ZK_ERR_NOT_IN_SUBGROUP);
    {
        char s[6][80];
        g2_to_snarkjs_strings(s, &q);
        const char *v[6] = {s[0], s[1], s[2], s[3], s[4], s[5]};
        CHECK(g2_from_snarkjs_strings(&t2, v) == ZK_ERR_NOT_IN_SUBGROUP);
    }

    /* LEM: raw Montgomery value >= p; off-curve */
    g1_to_lem(b1, &g);
    set_le(b1 + 32, P_LIMBS);
    CHECK(g1_from_lem(&t1, b1) == ZK_ERR_NOT_CANONICAL);
    g1_to_lem(b1, &g);
    b1[0] ^= 1;
    CHECK(g1_from_lem(&t1, b1) == ZK_ERR_NOT_ON_CURVE);
    g2_to_lem(b2, &h);
    set_le(b2 + 32, P_LIMBS);
    CHECK(g2_from_lem(&t2, b2) == ZK_ERR_NOT_CANONICAL);
    CHECK(g2_from_lem_unchecked(&t2, b2) == ZK_ERR_NOT_CANONICAL);
    g2_to_lem(b2, &h);
    b2[64] ^= 1;
    CHECK(g2_from_lem_unchecked(&t2, b2) == ZK_ERR_NOT_ON_CURVE);

    /* compressed: bad flags */
    g1_to_compressed(c1, &g);
    c1[0] &= 0x3f; /* 00 = uncompressed marker */
    CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_BAD_ENCODING);
    memset(c1, 0, 32);
    c1[0] = 0x40;
    CHECK(g1_from_compressed(&t1, c1) == ZK_OK && g1_affine_is_infinity(&t1));
    c1[31] = 1; /* infinity flag with a non-zero body */
    CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_BAD_ENCODING);
    memset(c1, 0, 32);
    c1[0] = 0x41;
    CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_BAD_ENCODING);
    memset(c2, 0, 64);
    c2[0] = 0x40;
    CHECK(g2_from_compressed(&t2, c2) == ZK_OK && g2_affine_is_infinity(&t2));
    c2[63] = 1;
    CHECK(g2_from_compressed(&t2, c2) == ZK_ERR_BAD_ENCODING);
    g2_to_compressed(c2, &h);
    c2[0] &= 0x3f;
    CHECK(g2_from_compressed(&t2, c2) == ZK_ERR_BAD_ENCODING);
    /* x >= p with a valid flag */
    memcpy(c1, pb, 32);
    c1[0] |= 0x80;
    CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_NOT_CANONICAL);
    memcpy(c2, pb, 32); /* x_im = p */
    c2[0] |= 0x80;
    CHECK(g2_from_compressed(&t2, c2) == ZK_ERR_NOT_CANONICAL);
    /* x with x^3 + b a non-square: no root */
    {
        fp_t x, rhs, three;
        fp_set_u64(&three, 3);
        uint64_t xv[4] = {0, 0, 0, 0};
        for (xv[0] = 1;; xv[0]++) {
            CHECK(fp_from_u256(&x, xv) == ZK_OK);
            fp_sqr(&rhs, &x);
            fp_mul(&rhs, &rhs, &x);
            fp_add(&rhs, &rhs, &three);
            if (!fp_is_square(&rhs)) break;
        }
        set_be(c1, xv);
        c1[0] |= 0x80;
        CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_NOT_ON_CURVE);
        c1[0] |= 0xC0;
        CHECK(g1_from_compressed(&t1, c1) == ZK_ERR_NOT_ON_CURVE);
        for (;;) { /* same for G2 */
            fp2_t x2, r2, y2;
            rand_fp2(&x2);
            fp2_sqr(&r2, &x2);
            fp2_mul(&r2, &r2, &x2);
            fp2_add(&r2, &r2, &B2_REF);
            if (fp2_sqrt(&y2, &r2) == ZK_OK) continue;
            t2.x = x2;
            fp2_zero(&t2.y);
            g2_to_eth(b2, &t2);
            memcpy(c2, b2, 64);
            c2[0] |= 0x80;
            CHECK(g2_from_compressed(&t2, c2) == ZK_ERR_NOT_ON_CURVE);
            break;
        }
    }

    /* snarkjs strings */
    {
        const char *ok[3] = {"1", "2", "1"};
        const char *z2[3] = {"1", "2", "2"};
        const char *off[3] = {"1", "3", "1"};
        const char *zero1[3] = {"0", "0", "1"};
        const char *txt[3] = {"1", "2x", "1"};
        const char *neg[3] = {"-1", "2", "1"};
        const char *big[3] = {P_DEC, "2", "1"};
        const char *inf[3] = {"0", "1", "0"};
        CHECK(g1_from_snarkjs_strings(&t1, ok) == ZK_OK && g1_affine_eq(&t1, &g));
        CHECK(g1_from_snarkjs_strings(&t1, z2) == ZK_ERR_BAD_ENCODING);
        CHECK(g1_from_snarkjs_strings(&t1, off) == ZK_ERR_NOT_ON_CURVE);
        CHECK(g1_from_snarkjs_strings(&t1, zero1) == ZK_ERR_NOT_ON_CURVE);
        CHECK(g1_from_snarkjs_strings(&t1, txt) == ZK_ERR_PARSE);
        CHECK(g1_from_snarkjs_strings(&t1, neg) == ZK_ERR_PARSE);
        CHECK(g1_from_snarkjs_strings(&t1, big) == ZK_ERR_NOT_CANONICAL);
        CHECK(g1_from_snarkjs_strings(&t1, inf) == ZK_OK && g1_affine_is_infinity(&t1));
        const char *g2z[6] = {"0", "0", "1", "0", "0", "0"};
        const char *g2bad[6] = {"1", "0", "1", "0", "1", "0"};
        const char *g2zim[6] = {"0", "0", "1", "0", "1", "1"};
        CHECK(g2_from_snarkjs_strings(&t2, g2z) == ZK_OK && g2_affine_is_infinity(&t2));
        CHECK(g2_from_snarkjs_strings(&t2, g2bad) == ZK_ERR_NOT_ON_CURVE);
        CHECK(g2_from_snarkjs_strings(&t2, g2zim) == ZK_ERR_BAD_ENCODING);
    }
}

/* ---------------- snarkjs fixtures: JSON strings vs zkey LEM ---------------- */
static const json_value *load_json(const char *rel, json_value **root) {
    size_t len;
    char *text = test_read_file(test_vector_path(rel), &len);
    *root = NULL;
    if (!text) return NULL;
    if (json_parse(root, text, len, NULL) != ZK_OK) *root = NULL;
    free(text);
    return *root;
}

static zk_err g1_from_json(g1_affine_t *r, const json_value *v) {
    const char *s[3];
    if (json_len(v) != 3) return ZK_ERR_PARSE;
    for (size_t i = 0; i < 3; i++) s[i] = json_as_string(json_at(v, i), NULL);
    return g1_from_snarkjs_strings(r, s);
}
static zk_err g2_from_json(g2_affine_t *r, const json_value *v) {
    const char *s[6];
    if (json_len(v) != 3) return ZK_ERR_PARSE;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++) s[2 * i + j] = json_as_string(json_at(json_at(v, i), j), NULL);
    return g2_from_snarkjs_strings(r, s);
}

static void test_snarkjs_fixtures(void) {
    json_value *vk, *proof;
    load_json("groth16-snarkjs/verification_key.json", &vk);
    load_json("groth16-snarkjs/proof.json", &proof);
    CHECK(vk != NULL && proof != NULL);
    if (!vk || !proof) { json_free(vk); json_free(proof); return; }
    g1_affine_t alpha, a, c, ic;
    g2_affine_t beta, gamma, delta, b, gen;
    CHECK(g1_from_json(&alpha, json_get(vk, "vk_alpha_1")) == ZK_OK);
    CHECK(g2_from_json(&beta, json_get(vk, "vk_beta_2")) == ZK_OK);
    CHECK(g2_from_json(&gamma, json_get(vk, "vk_gamma_2")) == ZK_OK);
    CHECK(g2_from_json(&delta, json_get(vk, "vk_delta_2")) == ZK_OK);
    for (size_t i = 0; i < json_len(json_get(vk, "IC")); i++)
        CHECK(g1_from_json(&ic, json_at(json_get(vk, "IC"), i)) == ZK_OK);
    CHECK(g1_from_json(&a, json_get(proof, "pi_a")) == ZK_OK);
    CHECK(g2_from_json(&b, json_get(proof, "pi_b")) == ZK_OK);
    CHECK(g1_from_json(&c, json_get(proof, "pi_c")) == ZK_OK);
    g2_generator(&gen);
    CHECK(g2_affine_eq(&gamma, &gen)); /* snarkjs uses the generator as gamma */
    /* writing the strings back reproduces the file's text */
    char s2[6][80];
    g2_to_snarkjs_strings(s2, &b);
    const json_value *pb = json_get(proof, "pi_b");
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            CHECK(!strcmp(s2[2 * i + j], json_as_string(json_at(json_at(pb, i), j), NULL)));

    /* zkey section 2 (Groth16 header) holds alpha1, beta1, beta2, gamma2,
     * delta1, delta2 in the LEM layout */
    size_t len;
    uint8_t *z = (uint8_t *)test_read_file(test_vector_path("groth16-snarkjs/circuit_final.zkey"), &len);
    CHECK(z != NULL);
    if (z) {
        size_t off = 12, found = 0;
        uint32_t nsec;
        memcpy(&nsec, z + 8, 4);
        for (uint32_t s = 0; s < nsec && off + 12 <= len; s++) {
            uint32_t type;
            uint64_t size;
            memcpy(&type, z + off, 4);
            memcpy(&size, z + off + 4, 8);
            if (type == 2) found = off + 12;
            off += 12 + size;
        }
        CHECK(found != 0);
        if (found) {
            const uint8_t *h = z + found;
            uint32_t n8q, n8r;
            memcpy(&n8q, h, 4);
            memcpy(&n8r, h + 4 + n8q, 4);
            h += 4 + n8q + 4 + n8r + 12; /* nVars, nPublic, domainSize */
            g1_affine_t alpha_l, beta1_l, delta1_l;
            g2_affine_t beta_l, gamma_l, delta_l;
            CHECK(g1_from_lem(&alpha_l, h) == ZK_OK && g1_affine_eq(&alpha_l, &alpha));
            CHECK(g1_from_lem(&beta1_l, h + 64) == ZK_OK);
            CHECK(g2_from_lem(&beta_l, h + 128) == ZK_OK && g2_affine_eq(&beta_l, &beta));
            CHECK(g2_from_lem(&gamma_l, h + 256) == ZK_OK && g2_affine_eq(&gamma_l, &gamma));
            CHECK(g1_from_lem(&delta1_l, h + 384) == ZK_OK);
            CHECK(g2_from_lem(&delta_l, h + 448) == ZK_OK && g2_affine_eq(&delta_l, &delta));
            uint8_t back[128];
            g2_to_lem(back, &delta);
            CHECK(memcmp(back, h + 448, 128) == 0);
        }
        free(z);
    }
    json_free(vk);
    json_free(proof);
}

int main(void) {
    test_init();
    setup_constants();
    test_constants();
    g1_test_laws(20);
    g2_test_laws(10);
    g1_test_affine();
    g2_test_affine();
    g1_test_mul(6);
    g2_test_mul(3);
    test_subgroup(4);
    test_encodings_roundtrip(8);
    test_encoding_rejections();
    test_snarkjs_fixtures();
    TEST_DONE();
}
