/* Internal template: the public group API of ec.h for one group, written
 * once and included by g1.c (G1 over Fp) and g2.c (G2 over Fp2).
 *
 * The includer defines
 *   PT_G, PT_F, PT_FT   as for point_impl.h (instantiated via ec_internal.h)
 *   PT_FBYTES           bytes of one field element in the byte encodings
 *   PT_FSTRS            decimal strings per field element (1 or 2)
 * and, before the include, the group-specific pieces:
 *   static const PT_FT PG(curve_b);                       b in Montgomery form
 *   PG(fe_from_be) / PG(fe_to_be)    big-endian field element (G2: im, re)
 *   PG(fe_from_lem) / PG(fe_to_lem)  little-endian Montgomery (G2: re, im)
 *   PG(fe_from_dec) / PG(fe_to_dec)  PT_FSTRS decimal strings (G2: re, im)
 * plus PG(generator) and PG(affine_is_in_subgroup) (declared in ec.h).
 *
 * Scalar multiplication:
 * - G_mul (secret scalar): fixed 4-bit windows over all 256 bits of the
 *   canonical scalar, 4 doublings + 1 addition per window whatever the
 *   digits, the table entry read by a cmov scan over all 16 entries, and the
 *   complete branch-free addition (add_ct), so neither the digits nor the
 *   exceptional cases (accumulator at infinity, zero digit, equal points)
 *   select a code path. Residual caveats: the field layer's own constant-time
 *   guarantees (portable C with __int128; compilers are not obliged to keep
 *   masks branch-free); the inversion in G_to_affine is the constant-time one.
 * - G_mul_var / G_mul_u256_var (public scalar): width-5 wNAF with a table of
 *   8 odd multiples and the fast branching addition. Works for any point on
 *   the curve, also outside the prime-order subgroup (subgroup checks,
 *   cofactor tests), and any 256-bit integer. */
#include <string.h>

#if !defined(PT_G) || !defined(PT_F) || !defined(PT_FT) || !defined(PT_FBYTES) || !defined(PT_FSTRS)
#error "define PT_G, PT_F, PT_FT, PT_FBYTES and PT_FSTRS before including group_impl.h"
#endif

#define GI_CAT2(a, b) a##_##b
#define GI_CAT(a, b) GI_CAT2(a, b)
#define PG(n) GI_CAT(PT_G, n)
#define PF(n) GI_CAT(PT_F, n)

/* ---------------- basic operations ---------------- */
void PG(affine_set_infinity)(PG(affine_t) *r) {
    PF(zero)(&r->x);
    PF(zero)(&r->y);
}
int PG(affine_is_infinity)(const PG(affine_t) *a) { return PG(affine_is_inf_inl)(a); }
void PG(jac_set_infinity)(PG(jac_t) *r) { PG(jac_set_inf_inl)(r); }
int PG(jac_is_infinity)(const PG(jac_t) *a) { return PG(jac_is_inf_inl)(a); }
void PG(from_affine)(PG(jac_t) *r, const PG(affine_t) *a) { PG(from_affine_inl)(r, a); }
int PG(jac_eq)(const PG(jac_t) *a, const PG(jac_t) *b) { return PG(jac_eq_inl)(a, b); }
void PG(add)(PG(jac_t) *r, const PG(jac_t) *a, const PG(jac_t) *b) { PG(add_inl)(r, a, b); }
void PG(add_mixed)(PG(jac_t) *r, const PG(jac_t) *a, const PG(affine_t) *b) { PG(add_mixed_inl)(r, a, b); }
void PG(dbl)(PG(jac_t) *r, const PG(jac_t) *a) { PG(dbl_inl)(r, a); }

int PG(affine_eq)(const PG(affine_t) *a, const PG(affine_t) *b) {
    return PF(eq)(&a->x, &b->x) & PF(eq)(&a->y, &b->y);
}

void PG(neg)(PG(jac_t) *r, const PG(jac_t) *a) {
    r->x = a->x;
    PF(neg)(&r->y, &a->y);
    r->z = a->z;
}

void PG(affine_neg)(PG(affine_t) *r, const PG(affine_t) *a) {
    r->x = a->x;
    PF(neg)(&r->y, &a->y); /* (0, 0) stays (0, 0) */
}

/* Constant-time inversion; Z = 0 inverts to 0, which yields (0, 0). */
void PG(to_affine)(PG(affine_t) *r, const PG(jac_t) *a) {
    PT_FT zi, zi2;
    PF(inv)(&zi, &a->z);
    PF(sqr)(&zi2, &zi);
    PF(mul)(&r->x, &a->x, &zi2);
    PF(mul)(&zi2, &zi2, &zi);
    PF(mul)(&r->y, &a->y, &zi2);
}

/* Montgomery's trick with one constant-time inversion; r[i].x holds the
 * prefix products in between (r and a cannot alias: different types).
 * Points at infinity are skipped in the products by cmov, not by branches. */
void PG(batch_to_affine)(PG(affine_t) *r, const PG(jac_t) *a, size_t n) {
    if (n == 0) return;
    PT_FT acc, t, zi, zi2, zero;
    PF(one)(&acc);
    PF(zero)(&zero);
    for (size_t i = 0; i < n; i++) {
        r[i].x = acc;
        PF(mul)(&t, &acc, &a[i].z);
        PF(cmov)(&acc, &t, PG(jac_is_inf_inl)(&a[i]) ^ 1);
    }
    PF(inv)(&acc, &acc); /* 1 / (product of the non-zero Z) */
    for (size_t i = n; i-- > 0;) {
        int inf = PG(jac_is_inf_inl)(&a[i]);
        PF(mul)(&zi, &acc, &r[i].x);
        PF(mul)(&t, &acc, &a[i].z);
        PF(cmov)(&acc, &t, inf ^ 1);
        PF(sqr)(&zi2, &zi);
        PF(mul)(&r[i].x, &a[i].x, &zi2);
        PF(mul)(&zi2, &zi2, &zi);
        PF(mul)(&r[i].y, &a[i].y, &zi2);
        PF(cmov)(&r[i].x, &zero, inf);
        PF(cmov)(&r[i].y, &zero, inf);
    }
}

int PG(affine_is_on_curve)(const PG(affine_t) *a) {
    PT_FT l, rhs;
    PF(sqr)(&l, &a->y);
    PF(sqr)(&rhs, &a->x);
    PF(mul)(&rhs, &rhs, &a->x);
    PF(add)(&rhs, &rhs, &PG(curve_b));
    return PF(eq)(&l, &rhs) | PG(affine_is_inf_inl)(a);
}

/* ---------------- scalar multiplication ---------------- */
void PG(mul)(PG(jac_t) *r, const PG(jac_t) *p, const fr_t *k) {
    PG(jac_t) table[16], acc, t;
    uint64_t e[4];
    fr_to_u256(e, k);
    PG(jac_set_inf_inl)(&table[0]);
    table[1] = *p;
    for (int i = 2; i < 16; i++) {
        if (i & 1) PG(add_ct)(&table[i], &table[i - 1], p);
        else PG(dbl_inl)(&table[i], &table[i / 2]);
    }
    PG(jac_set_inf_inl)(&acc);
    for (int w = 63; w >= 0; w--) {
        for (int j = 0; j < 4; j++) PG(dbl_inl)(&acc, &acc);
        uint64_t d = (e[w / 16] >> (4 * (w % 16))) & 15;
        t = table[0];
        for (uint64_t j = 1; j < 16; j++) {
            uint64_t diff = j ^ d; /* 0 iff j == d; (diff - 1) >> 63 is then 1 */
            PG(jac_cmov_inl)(&t, &table[j], (int)((diff - 1) >> 63));
        }
        PG(add_ct)(&acc, &acc, &t);
    }
    *r = acc;
    zk_memzero(e, sizeof e);
    zk_memzero(table, sizeof table);
    zk_memzero(&t, sizeof t);
}

/* Width-w NAF of the 256-bit k: digits odd or 0, |d| < 2^(w-1), at most one
 * non-zero in any w consecutive digits. Returns the digit count (<= 257). */
static int PG(wnaf)(int8_t digits[260], const uint64_t k[4], int w) {
    uint64_t v[5] = {k[0], k[1], k[2], k[3], 0};
    const uint64_t mask = ((uint64_t)1 << w) - 1, half = (uint64_t)1 << (w - 1);
    int len = 0;
    while (v[0] | v[1] | v[2] | v[3] | v[4]) {
        int d = 0;
        if (v[0] & 1) {
            uint64_t m = v[0] & mask;
            if (m >= half) {                  /* d = m - 2^w < 0: v += 2^w - m */
                d = (int)m - (int)(mask + 1);
                uint64_t add = mask + 1 - m, c = add;
                for (int i = 0; i < 5 && c; i++) {
                    v[i] += c;
                    c = v[i] < c;
                }
            } else {                          /* d = m > 0: v -= m, no borrow */
                d = (int)m;
                v[0] -= m;
            }
        }
        digits[len++] = (int8_t)d;
        for (int i = 0; i < 4; i++) v[i] = (v[i] >> 1) | (v[i + 1] << 63);
        v[4] >>= 1;
    }
    return len;
}

void PG(mul_u256_var)(PG(jac_t) *r, const PG(jac_t) *p, const uint64_t k[4]) {
    enum { W = 5, TN = 1 << (W - 2) };
    PG(jac_t) table[TN], p2, acc, neg;
    int8_t digits[260];
    int len = PG(wnaf)(digits, k, W);
    if (len == 0 || PG(jac_is_inf_inl)(p)) { PG(jac_set_inf_inl)(r); return; }
    table[0] = *p; /* table[i] = (2i+1) P */
    PG(dbl_inl)(&p2, p);
    for (int i = 1; i < TN; i++) PG(add_inl)(&table[i], &table[i - 1], &p2);
    PG(jac_set_inf_inl)(&acc);
    int started = 0;
    for (int i = len - 1; i >= 0; i--) {
        if (started) PG(dbl_inl)(&acc, &acc);
        int d = digits[i];
        if (d > 0) {
            PG(add_inl)(&acc, &acc, &table[d >> 1]);
            started = 1;
        } else if (d < 0) {
            PG(neg)(&neg, &table[(-d) >> 1]);
            PG(add_inl)(&acc, &acc, &neg);
            started = 1;
        }
    }
    *r = acc;
}

void PG(mul_var)(PG(jac_t) *r, const PG(jac_t) *p, const fr_t *k) {
    uint64_t e[4];
    fr_to_u256(e, k);
    PG(mul_u256_var)(r, p, e);
}

/* ---------------- encodings ---------------- */
/* Shared tail of the parsers: on-curve, then (if asked) subgroup. */
static zk_err PG(check_point)(const PG(affine_t) *a, int subgroup) {
    if (!PG(affine_is_on_curve)(a)) return ZK_ERR_NOT_ON_CURVE;
    if (subgroup && !PG(affine_is_in_subgroup)(a)) return ZK_ERR_NOT_IN_SUBGROUP;
    return ZK_OK;
}

/* (x, y) from two field elements read by `rd`; (0, 0) is infinity. */
static zk_err PG(from_pair)(PG(affine_t) *r, const uint8_t *in,
                             zk_err (*rd)(PT_FT *, const uint8_t *), int subgroup) {
    PG(affine_t) t;
    zk_err e = rd(&t.x, in);
    if (e == ZK_OK) e = rd(&t.y, in + PT_FBYTES);
    if (e != ZK_OK) return e;
    if (!PG(affine_is_inf_inl)(&t)) {
        e = PG(check_point)(&t, subgroup);
        if (e != ZK_OK) return e;
    }
    *r = t;
    return ZK_OK;
}

zk_err PG(from_eth)(PG(affine_t) *r, const uint8_t in[2 * PT_FBYTES]) {
    return PG(from_pair)(r, in, PG(fe_from_be), 1);
}

void PG(to_eth)(uint8_t out[2 * PT_FBYTES], const PG(affine_t) *a) {
    PG(fe_to_be)(out, &a->x);
    PG(fe_to_be)(out + PT_FBYTES, &a->y);
}

static zk_err PG(from_lem_checked)(PG(affine_t) *r, const uint8_t *in, int subgroup) {
    return PG(from_pair)(r, in, PG(fe_from_lem), subgroup);
}

zk_err PG(from_lem)(PG(affine_t) *r, const uint8_t in[2 * PT_FBYTES]) {
    return PG(from_lem_checked)(r, in, 1);
}

void PG(to_lem)(uint8_t out[2 * PT_FBYTES], const PG(affine_t) *a) {
    PG(fe_to_lem)(out, &a->x);
    PG(fe_to_lem)(out + PT_FBYTES, &a->y);
}

/* gnark layout: flags in the top two bits of the first byte. */
#define GI_FLAG_MASK 0xC0
#define GI_FLAG_INFINITY 0x40
#define GI_FLAG_SMALLEST 0x80
#define GI_FLAG_LARGEST 0xC0

zk_err PG(from_compressed)(PG(affine_t) *r, const uint8_t in[PT_FBYTES]) {
    uint8_t buf[PT_FBYTES];
    uint8_t flags = in[0] & GI_FLAG_MASK;
    memcpy(buf, in, PT_FBYTES);
    buf[0] &= (uint8_t)~GI_FLAG_MASK;
    if (flags == GI_FLAG_INFINITY) {
        uint8_t any = 0;
        for (size_t i = 0; i < PT_FBYTES; i++) any |= buf[i];
        if (any) return ZK_ERR_BAD_ENCODING;
        PG(affine_set_infinity)(r);
        return ZK_OK;
    }
    if (flags != GI_FLAG_SMALLEST && flags != GI_FLAG_LARGEST) return ZK_ERR_BAD_ENCODING;
    PG(affine_t) t;
    PT_FT rhs, ny;
    zk_err e = PG(fe_from_be)(&t.x, buf);
    if (e != ZK_OK) return e;
    PF(sqr)(&rhs, &t.x);
    PF(mul)(&rhs, &rhs, &t.x);
    PF(add)(&rhs, &rhs, &PG(curve_b));
    if (PF(sqrt)(&t.y, &rhs) != ZK_OK) return ZK_ERR_NOT_ON_CURVE;
    PF(neg)(&ny, &t.y);
    PF(cmov)(&t.y, &ny, PF(is_lexicographically_largest)(&t.y) ^ (flags == GI_FLAG_LARGEST));
    e = PG(check_point)(&t, 1);
    if (e != ZK_OK) return e;
    *r = t;
    return ZK_OK;
}

void PG(to_compressed)(uint8_t out[PT_FBYTES], const PG(affine_t) *a) {
    if (PG(affine_is_inf_inl)(a)) {
        memset(out, 0, PT_FBYTES);
        out[0] = GI_FLAG_INFINITY;
        return;
    }
    PG(fe_to_be)(out, &a->x);
    out[0] |= PF(is_lexicographically_largest)(&a->y) ? GI_FLAG_LARGEST : GI_FLAG_SMALLEST;
}

/* snarkjs JSON: [x, y, z] with z = 1 (affine) or z = 0 (infinity; x and y
 * are then ignored, snarkjs writes 0 and 1). Any other z is rejected as
 * ZK_ERR_BAD_ENCODING: snarkjs always writes normalised points. */
zk_err PG(from_snarkjs_strings)(PG(affine_t) *r, const char *const xyz[3 * PT_FSTRS]) {
    PG(affine_t) t;
    PT_FT z;
    zk_err e = PG(fe_from_dec)(&t.x, xyz);
    if (e == ZK_OK) e = PG(fe_from_dec)(&t.y, xyz + PT_FSTRS);
    if (e == ZK_OK) e = PG(fe_from_dec)(&z, xyz + 2 * PT_FSTRS);
    if (e != ZK_OK) return e;
    if (PF(is_zero)(&z)) {
        PG(affine_set_infinity)(r);
        return ZK_OK;
    }
    PT_FT one;
    PF(one)(&one);
    if (!PF(eq)(&z, &one)) return ZK_ERR_BAD_ENCODING;
    /* (0, 0) with z = 1 is not a point (affine_is_on_curve counts it as O) */
    if (!PG(affine_is_on_curve)(&t) || PG(affine_is_inf_inl)(&t)) return ZK_ERR_NOT_ON_CURVE;
    if (!PG(affine_is_in_subgroup)(&t)) return ZK_ERR_NOT_IN_SUBGROUP;
    *r = t;
    return ZK_OK;
}

void PG(to_snarkjs_strings)(char out[3 * PT_FSTRS][80], const PG(affine_t) *a) {
    PT_FT one, zero;
    PF(one)(&one);
    PF(zero)(&zero);
    if (PG(affine_is_inf_inl)(a)) {
        PG(fe_to_dec)(out, &zero);
        PG(fe_to_dec)(out + PT_FSTRS, &one);
        PG(fe_to_dec)(out + 2 * PT_FSTRS, &zero);
    } else {
        PG(fe_to_dec)(out, &a->x);
        PG(fe_to_dec)(out + PT_FSTRS, &a->y);
        PG(fe_to_dec)(out + 2 * PT_FSTRS, &one);
    }
}

#undef GI_FLAG_MASK
#undef GI_FLAG_INFINITY
#undef GI_FLAG_SMALLEST
#undef GI_FLAG_LARGEST
#undef PG
#undef PF
#undef GI_CAT
#undef GI_CAT2
#undef PT_G
#undef PT_F
#undef PT_FT
#undef PT_FBYTES
#undef PT_FSTRS
