/* Internal template: the whole prime-field API of ff.h for one field.
 *
 * Included by fp.c and fr.c after defining
 *   PF        function prefix (fp / fr)        PF_T   element type
 *   PF_MOD, PF_N0, PF_R1, PF_R2, PF_R3, PF_MOD_MINUS_2   generated constants
 * so that the logic exists once and each field is a thin wrapper (blst style). */
#include <string.h>

#include "ff.h"
#include "mont.h"

#define PF_CAT2(a, b) a##_##b
#define PF_CAT(a, b) PF_CAT2(a, b)
#define PF_FN(name) PF_CAT(PF, name)

void PF_FN(zero)(PF_T *r) { memset(r, 0, sizeof *r); }
void PF_FN(one)(PF_T *r) { memcpy(r->l, PF_R1, 32); }
int PF_FN(is_zero)(const PF_T *a) { return mont_is_zero(a->l); }
int PF_FN(is_one)(const PF_T *a) { return mont_eq(a->l, PF_R1); }
int PF_FN(eq)(const PF_T *a, const PF_T *b) { return mont_eq(a->l, b->l); }
void PF_FN(add)(PF_T *r, const PF_T *a, const PF_T *b) { mont_add(r->l, a->l, b->l, PF_MOD); }
void PF_FN(sub)(PF_T *r, const PF_T *a, const PF_T *b) { mont_sub(r->l, a->l, b->l, PF_MOD); }
void PF_FN(neg)(PF_T *r, const PF_T *a) { mont_neg(r->l, a->l, PF_MOD); }
void PF_FN(dbl)(PF_T *r, const PF_T *a) { mont_add(r->l, a->l, a->l, PF_MOD); }
void PF_FN(half)(PF_T *r, const PF_T *a) { mont_half(r->l, a->l, PF_MOD); }
void PF_FN(mul)(PF_T *r, const PF_T *a, const PF_T *b) { mont_mul(r->l, a->l, b->l, PF_MOD, PF_N0); }
void PF_FN(sqr)(PF_T *r, const PF_T *a) { mont_sqr(r->l, a->l, PF_MOD, PF_N0); }
void PF_FN(mul_portable)(PF_T *r, const PF_T *a, const PF_T *b) {
    mont_mul_portable(r->l, a->l, b->l, PF_MOD, PF_N0);
}

void PF_FN(cmov)(PF_T *r, const PF_T *a, int flag) {
    uint64_t mask = 0 - (uint64_t)(flag != 0);
    for (int i = 0; i < 4; i++) r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

void PF_FN(set_u64)(PF_T *r, uint64_t v) {
    uint64_t t[4] = {v, 0, 0, 0};
    mont_mul(r->l, t, PF_R2, PF_MOD, PF_N0);
}

void PF_FN(pow)(PF_T *r, const PF_T *a, const uint64_t *e, size_t e_limbs) {
    PF_T acc, t, base = *a;
    PF_FN(one)(&acc);
    for (size_t i = e_limbs; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            PF_FN(sqr)(&acc, &acc);
            PF_FN(mul)(&t, &acc, &base);
            PF_FN(cmov)(&acc, &t, (int)((e[i] >> b) & 1));
        }
    }
    *r = acc;
}

/* a^e for a PUBLIC exponent e: fixed 4-bit windows over a table of a^0..a^15,
 * so the sequence of operations depends on e only and the time is still
 * independent of a. About 250 squarings and 80 products for a 254-bit e,
 * against 2 x 256 operations for the ladder of F_pow (whose exponent may be
 * secret). */
static void PF_FN(pow_public_exp)(PF_T *r, const PF_T *a, const uint64_t *e, size_t e_limbs) {
    PF_T tab[16], acc;
    int started = 0;
    PF_FN(one)(&tab[0]);
    tab[1] = *a;
    for (int k = 2; k < 16; k++) PF_FN(mul)(&tab[k], &tab[k - 1], a);
    PF_FN(one)(&acc);
    for (size_t i = e_limbs; i-- > 0;) {
        for (int b = 60; b >= 0; b -= 4) {
            unsigned w = (unsigned)(e[i] >> b) & 15;
            if (started)
                for (int k = 0; k < 4; k++) PF_FN(sqr)(&acc, &acc);
            if (w) {
                if (started) PF_FN(mul)(&acc, &acc, &tab[w]);
                else acc = tab[w];
                started = 1;
            }
        }
    }
    *r = acc;
}

void PF_FN(inv)(PF_T *r, const PF_T *a) { PF_FN(pow_public_exp)(r, a, PF_MOD_MINUS_2, 4); }

/* Binary extended Euclid on the Montgomery representative x = aR:
 * gives x^-1 = a^-1 R^-1; one Montgomery product with R^3 yields a^-1 R. */
void PF_FN(inv_var)(PF_T *r, const PF_T *a) {
    if (mont_is_zero(a->l)) { PF_FN(zero)(r); return; }
    uint64_t u[4], v[4], x1[4] = {1, 0, 0, 0}, x2[4] = {0, 0, 0, 0};
    memcpy(u, a->l, 32);
    memcpy(v, PF_MOD, 32);
    static const uint64_t ONE[4] = {1, 0, 0, 0};
    while (!mont_eq(u, ONE) && !mont_eq(v, ONE)) {
        while ((u[0] & 1) == 0) {
            for (int i = 0; i < 3; i++) u[i] = (u[i] >> 1) | (u[i + 1] << 63);
            u[3] >>= 1;
            mont_half(x1, x1, PF_MOD);
        }
        while ((v[0] & 1) == 0) {
            for (int i = 0; i < 3; i++) v[i] = (v[i] >> 1) | (v[i + 1] << 63);
            v[3] >>= 1;
            mont_half(x2, x2, PF_MOD);
        }
        if (!mont_lt(u, v)) {
            mont_sub_raw(u, u, v);
            mont_sub(x1, x1, x2, PF_MOD);
        } else {
            mont_sub_raw(v, v, u);
            mont_sub(x2, x2, x1, PF_MOD);
        }
    }
    const uint64_t *x = mont_eq(u, ONE) ? x1 : x2;
    mont_mul(r->l, x, PF_R3, PF_MOD, PF_N0);
}

void PF_FN(batch_inv_var)(PF_T *out, const PF_T *in, size_t n, PF_T *scratch) {
    if (n == 0) return;
    PF_T acc;
    PF_FN(one)(&acc);
    for (size_t i = 0; i < n; i++) {
        scratch[i] = acc; /* product of the non-zero in[0..i-1] */
        if (!PF_FN(is_zero)(&in[i])) PF_FN(mul)(&acc, &acc, &in[i]);
    }
    PF_FN(inv_var)(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (PF_FN(is_zero)(&in[i])) { PF_FN(zero)(&out[i]); continue; }
        PF_T t;
        PF_FN(mul)(&t, &acc, &scratch[i]);
        PF_FN(mul)(&acc, &acc, &in[i]);
        out[i] = t;
    }
}

zk_err PF_FN(from_u256)(PF_T *r, const uint64_t v[4]) {
    if (!mont_lt(v, PF_MOD)) return ZK_ERR_NOT_CANONICAL;
    mont_mul(r->l, v, PF_R2, PF_MOD, PF_N0);
    return ZK_OK;
}

void PF_FN(from_u256_reduce)(PF_T *r, const uint64_t v[4]) {
    /* v < 2^256: v*R2/R < 2m, which mont_mul's final subtraction handles */
    mont_mul(r->l, v, PF_R2, PF_MOD, PF_N0);
}

void PF_FN(to_u256)(uint64_t v[4], const PF_T *a) {
    static const uint64_t ONE[4] = {1, 0, 0, 0};
    mont_mul(v, a->l, ONE, PF_MOD, PF_N0);
}

static void PF_FN(limbs_from_be)(uint64_t v[4], const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int k = 0; k < 8; k++) w = (w << 8) | in[(3 - i) * 8 + k];
        v[i] = w;
    }
}

zk_err PF_FN(from_bytes_be)(PF_T *r, const uint8_t in[32]) {
    uint64_t v[4];
    PF_FN(limbs_from_be)(v, in);
    return PF_FN(from_u256)(r, v);
}

zk_err PF_FN(from_bytes_le)(PF_T *r, const uint8_t in[32]) {
    uint64_t v[4];
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--) w = (w << 8) | in[i * 8 + k];
        v[i] = w;
    }
    return PF_FN(from_u256)(r, v);
}

void PF_FN(from_bytes_be_reduce)(PF_T *r, const uint8_t *in, size_t len) {
    uint8_t buf[64] = {0};
    if (len > 64) len = 64; /* documented limit; callers never pass more */
    memcpy(buf + 64 - len, in, len);
    uint64_t hi[4], lo[4];
    PF_FN(limbs_from_be)(hi, buf);
    PF_FN(limbs_from_be)(lo, buf + 32);
    PF_T a, b;
    mont_mul(a.l, lo, PF_R2, PF_MOD, PF_N0);  /* lo*R */
    mont_mul(b.l, hi, PF_R3, PF_MOD, PF_N0);  /* hi*2^256*R */
    PF_FN(add)(r, &a, &b);
}

void PF_FN(to_bytes_be)(uint8_t out[32], const PF_T *a) {
    uint64_t v[4];
    PF_FN(to_u256)(v, a);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[(3 - i) * 8 + k] = (uint8_t)(v[i] >> (56 - 8 * k));
}

void PF_FN(to_bytes_le)(uint8_t out[32], const PF_T *a) {
    uint64_t v[4];
    PF_FN(to_u256)(v, a);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[i * 8 + k] = (uint8_t)(v[i] >> (8 * k));
}

/* v = v*mul + add on 256 bits; returns 1 on overflow */
static int PF_FN(u256_muladd)(uint64_t v[4], uint64_t mul, uint64_t add) {
    zk_u128 c = add;
    for (int i = 0; i < 4; i++) {
        c += (zk_u128)v[i] * mul;
        v[i] = (uint64_t)c;
        c >>= 64;
    }
    return c != 0;
}

zk_err PF_FN(from_dec)(PF_T *r, const char *s) {
    uint64_t v[4] = {0, 0, 0, 0};
    if (!s || !*s) return ZK_ERR_PARSE;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return ZK_ERR_PARSE;
        if (PF_FN(u256_muladd)(v, 10, (uint64_t)(*s - '0'))) return ZK_ERR_NOT_CANONICAL;
    }
    return PF_FN(from_u256)(r, v);
}

zk_err PF_FN(from_hex)(PF_T *r, const char *s) {
    uint64_t v[4] = {0, 0, 0, 0};
    if (!s) return ZK_ERR_PARSE;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    if (!*s) return ZK_ERR_PARSE;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9') d = *s - '0';
        else if (*s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
        else return ZK_ERR_PARSE;
        if (v[3] >> 60) return ZK_ERR_NOT_CANONICAL;
        PF_FN(u256_muladd)(v, 16, (uint64_t)d);
    }
    return PF_FN(from_u256)(r, v);
}

size_t PF_FN(to_dec)(char *out, size_t out_len, const PF_T *a) {
    uint64_t v[4];
    char tmp[80];
    size_t n = 0;
    PF_FN(to_u256)(v, a);
    do {
        /* divide v by 10, collecting the remainder */
        zk_u128 rem = 0;
        for (int i = 3; i >= 0; i--) {
            zk_u128 cur = (rem << 64) | v[i];
            v[i] = (uint64_t)(cur / 10);
            rem = cur % 10;
        }
        tmp[n++] = (char)('0' + (int)rem);
    } while (v[0] | v[1] | v[2] | v[3]);
    if (out_len < n + 1) return 0;
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

void PF_FN(to_hex)(char out[65], const PF_T *a) {
    static const char digits[] = "0123456789abcdef";
    uint8_t b[32];
    PF_FN(to_bytes_be)(b, a);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[64] = 0;
}
