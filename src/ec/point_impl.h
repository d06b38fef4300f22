/* Internal template: Jacobian point formulas for y^2 = x^3 + b (a = 0),
 * written once for every group (blst style).
 *
 * Include after defining
 *   PT_G   group prefix (g1, g2)   -> types PT_G##_jac_t, PT_G##_affine_t
 *   PT_F   field prefix (fp, fp2)  -> PT_F##_mul, _sqr, _add, ... of ff.h
 *   PT_FT  field element type
 * The file undefines them at its end, so it can be included once per group
 * (ec_internal.h does that for G1 and G2). Everything here is static inline:
 * g1.c / g2.c wrap it into the public API and msm.c can inline it into its
 * loops.
 *
 * Design:
 * - Formulas from the Explicit-Formulas Database for a = 0: doubling
 *   dbl-2009-l, addition add-2007-bl, mixed addition madd-2007-bl, except
 *   that products like Z1*Z2 are taken as products rather than via the
 *   "(a+b)^2 - a^2 - b^2" squaring trick: fp_sqr costs as much as fp_mul, so
 *   the trick only adds additions.
 * - Two flavours of addition:
 *   *_add_inl / *_add_mixed_inl branch on the exceptional cases (an operand
 *     at infinity, P = Q -> doubling, P = -Q -> infinity). These branches are
 *     almost never taken on random data, so they are cheap and well
 *     predicted; they must only see public points (MSM, verification).
 *   *_add_ct computes the generic sum AND the doubling and selects the
 *     right result with cmov: complete and branch-free, for secret-dependent
 *     points (constant-time scalar multiplication).
 * - Infinity: Jacobian Z = 0 (X, Y arbitrary); affine (0, 0).
 * - Aliasing: every output may alias any input. */
#if !defined(PT_G) || !defined(PT_F) || !defined(PT_FT)
#error "define PT_G, PT_F and PT_FT before including point_impl.h"
#endif

#define PT_CAT2(a, b) a##_##b
#define PT_CAT(a, b) PT_CAT2(a, b)
#define PG(n) PT_CAT(PT_G, n)
#define PF(n) PT_CAT(PT_F, n)

ZK_INLINE int PG(jac_is_inf_inl)(const PG(jac_t) *a) { return PF(is_zero)(&a->z); }

ZK_INLINE int PG(affine_is_inf_inl)(const PG(affine_t) *a) {
    return PF(is_zero)(&a->x) & PF(is_zero)(&a->y);
}

ZK_INLINE void PG(jac_set_inf_inl)(PG(jac_t) *r) {
    PF(one)(&r->x);
    PF(one)(&r->y);
    PF(zero)(&r->z);
}

/* r = flag ? a : r, constant time */
ZK_INLINE void PG(jac_cmov_inl)(PG(jac_t) *r, const PG(jac_t) *a, int flag) {
    PF(cmov)(&r->x, &a->x, flag);
    PF(cmov)(&r->y, &a->y, flag);
    PF(cmov)(&r->z, &a->z, flag);
}

/* Affine -> Jacobian; (0, 0) becomes Z = 0. Constant time. */
ZK_INLINE void PG(from_affine_inl)(PG(jac_t) *r, const PG(affine_t) *a) {
    PT_FT zero;
    int inf = PG(affine_is_inf_inl)(a);
    PF(zero)(&zero);
    r->x = a->x;
    r->y = a->y;
    PF(one)(&r->z);
    PF(cmov)(&r->z, &zero, inf);
}

/* dbl-2009-l with D = 4*X*B: 3M + 4S. Z3 = 2*Y*Z is 0 when Z = 0, so
 * infinity maps to infinity; the curves have no point of order 2 (odd group
 * orders), so Y = 0 never occurs on a finite point. Constant time. */
ZK_INLINE void PG(dbl_inl)(PG(jac_t) *r, const PG(jac_t) *p) {
    PT_FT a, b, c, d, e, f, t;
    PF(sqr)(&a, &p->x);          /* A = X^2 */
    PF(sqr)(&b, &p->y);          /* B = Y^2 */
    PF(sqr)(&c, &b);             /* C = B^2 */
    PF(mul)(&d, &p->x, &b);
    PF(dbl)(&d, &d);
    PF(dbl)(&d, &d);             /* D = 4 X B */
    PF(dbl)(&e, &a);
    PF(add)(&e, &e, &a);         /* E = 3 A */
    PF(sqr)(&f, &e);             /* F = E^2 */
    PF(mul)(&t, &p->y, &p->z);
    PF(dbl)(&r->z, &t);          /* Z3 = 2 Y Z (p no longer read below) */
    PF(dbl)(&t, &d);
    PF(sub)(&r->x, &f, &t);      /* X3 = F - 2D */
    PF(sub)(&t, &d, &r->x);
    PF(mul)(&t, &e, &t);
    PF(dbl)(&c, &c);
    PF(dbl)(&c, &c);
    PF(dbl)(&c, &c);
    PF(sub)(&r->y, &t, &c);      /* Y3 = E (D - X3) - 8 C */
}

/* First half of add-2007-bl: the quantities whose vanishing flags the
 * exceptional cases. h = U2 - U1, rr = S2 - S1. */
typedef struct { PT_FT u1, s1, h, rr; } PG(add_state);

ZK_INLINE void PG(add_begin)(PG(add_state) *st, const PG(jac_t) *p, const PG(jac_t) *q) {
    PT_FT z1z1, z2z2, u2, s2;
    PF(sqr)(&z1z1, &p->z);
    PF(sqr)(&z2z2, &q->z);
    PF(mul)(&st->u1, &p->x, &z2z2);
    PF(mul)(&u2, &q->x, &z1z1);
    PF(mul)(&st->s1, &p->y, &q->z);
    PF(mul)(&st->s1, &st->s1, &z2z2);
    PF(mul)(&s2, &q->y, &p->z);
    PF(mul)(&s2, &s2, &z1z1);
    PF(sub)(&st->h, &u2, &st->u1);
    PF(sub)(&st->rr, &s2, &st->s1);
}

/* Second half: r = p + q for the generic case; zz = Z1*Z2 (or Z1 when q is
 * affine). I = (2H)^2, J = H I, V = U1 I, R = 2 rr,
 * X3 = R^2 - J - 2V, Y3 = R (V - X3) - 2 S1 J, Z3 = 2 zz H.
 * zz is read before r is written, so it may point into an input aliasing r. */
ZK_INLINE void PG(add_end)(PG(jac_t) *r, const PG(add_state) *st, const PT_FT *zz) {
    PT_FT i, j, v, rr, t;
    PF(dbl)(&i, &st->h);
    PF(sqr)(&i, &i);
    PF(mul)(&j, &st->h, &i);
    PF(mul)(&v, &st->u1, &i);
    PF(dbl)(&rr, &st->rr);
    PF(mul)(&t, zz, &st->h);
    PF(dbl)(&r->z, &t);
    PF(sqr)(&t, &rr);
    PF(sub)(&t, &t, &j);
    PF(sub)(&t, &t, &v);
    PF(sub)(&r->x, &t, &v);
    PF(sub)(&t, &v, &r->x);
    PF(mul)(&t, &rr, &t);
    PF(mul)(&j, &st->s1, &j);
    PF(dbl)(&j, &j);
    PF(sub)(&r->y, &t, &j);
}

/* r = p + q, all cases, branching only on exceptional inputs (public data). */
ZK_INLINE void PG(add_inl)(PG(jac_t) *r, const PG(jac_t) *p, const PG(jac_t) *q) {
    if (PG(jac_is_inf_inl)(p)) { *r = *q; return; }
    if (PG(jac_is_inf_inl)(q)) { *r = *p; return; }
    PG(add_state) st;
    PG(add_begin)(&st, p, q);
    if (PF(is_zero)(&st.h)) {
        if (PF(is_zero)(&st.rr)) PG(dbl_inl)(r, p);
        else PG(jac_set_inf_inl)(r);
        return;
    }
    PT_FT zz;
    PF(mul)(&zz, &p->z, &q->z);
    PG(add_end)(r, &st, &zz);
}

/* r = p + q, complete and branch-free (for secret-dependent points). */
ZK_INLINE void PG(add_ct)(PG(jac_t) *r, const PG(jac_t) *p, const PG(jac_t) *q) {
    PG(add_state) st;
    PG(jac_t) sum, d;
    PT_FT zz;
    int p_inf = PG(jac_is_inf_inl)(p), q_inf = PG(jac_is_inf_inl)(q);
    PG(add_begin)(&st, p, q);
    int same = PF(is_zero)(&st.h) & PF(is_zero)(&st.rr);
    PF(mul)(&zz, &p->z, &q->z);
    PG(add_end)(&sum, &st, &zz);   /* P = -Q gives Z3 = 0 here by itself */
    PG(dbl_inl)(&d, p);
    PG(jac_cmov_inl)(&sum, &d, same);
    PG(jac_cmov_inl)(&sum, q, p_inf);
    PG(jac_cmov_inl)(&sum, p, q_inf);
    *r = sum;
}

/* madd-2007-bl core for q affine and finite: U1 = X1, S1 = Y1. */
ZK_INLINE void PG(add_mixed_begin)(PG(add_state) *st, const PG(jac_t) *p, const PG(affine_t) *q) {
    PT_FT z1z1, u2, s2;
    PF(sqr)(&z1z1, &p->z);
    PF(mul)(&u2, &q->x, &z1z1);
    PF(mul)(&s2, &q->y, &p->z);
    PF(mul)(&s2, &s2, &z1z1);
    st->u1 = p->x;
    st->s1 = p->y;
    PF(sub)(&st->h, &u2, &p->x);
    PF(sub)(&st->rr, &s2, &p->y);
}

/* r = p + q (q affine), all cases, branching only on exceptional inputs. */
ZK_INLINE void PG(add_mixed_inl)(PG(jac_t) *r, const PG(jac_t) *p, const PG(affine_t) *q) {
    if (PG(affine_is_inf_inl)(q)) { *r = *p; return; }
    if (PG(jac_is_inf_inl)(p)) {
        r->x = q->x;
        r->y = q->y;
        PF(one)(&r->z);
        return;
    }
    PG(add_state) st;
    PG(add_mixed_begin)(&st, p, q);
    if (PF(is_zero)(&st.h)) {
        if (PF(is_zero)(&st.rr)) PG(dbl_inl)(r, p);
        else PG(jac_set_inf_inl)(r);
        return;
    }
    PG(add_end)(r, &st, &p->z);
}

/* Projective equality, constant time. */
ZK_INLINE int PG(jac_eq_inl)(const PG(jac_t) *a, const PG(jac_t) *b) {
    PT_FT z1z1, z2z2, t1, t2;
    int ai = PG(jac_is_inf_inl)(a), bi = PG(jac_is_inf_inl)(b);
    PF(sqr)(&z1z1, &a->z);
    PF(sqr)(&z2z2, &b->z);
    PF(mul)(&t1, &a->x, &z2z2);
    PF(mul)(&t2, &b->x, &z1z1);
    int e = PF(eq)(&t1, &t2);
    PF(mul)(&t1, &a->y, &z2z2);
    PF(mul)(&t1, &t1, &b->z);
    PF(mul)(&t2, &b->y, &z1z1);
    PF(mul)(&t2, &t2, &a->z);
    e &= PF(eq)(&t1, &t2);
    return (ai & bi) | ((ai ^ 1) & (bi ^ 1) & e);
}

#undef PG
#undef PF
#undef PT_CAT
#undef PT_CAT2
#undef PT_G
#undef PT_F
#undef PT_FT
