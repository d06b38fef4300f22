/* Exact decimal conversion of CSV amounts and prices, and 192-bit integers.
 *
 * Design: v1 parses each number with shopspring/decimal v1.3.1
 * (NewFromString), multiplies by a power of ten and truncates toward zero.
 * Rather than a bignum we note that the result must be < 2^64 < 10^20: after
 * stripping the sign, the point and leading zeros, the value is D * 10^E for
 * a digit string D, so only the integer digits of D * 10^E matter and at
 * most 20 of them can be non-zero. Everything else is bookkeeping of the
 * syntax v1.3.1 accepts, which has a few quirks that are kept on purpose:
 *   - the exponent starts at the FIRST 'e' or 'E' and is parsed like
 *     strconv.ParseInt(s, 10, 32): optional sign, digits, int32 range;
 *   - the point is removed textually before the integer is parsed, so the
 *     sign may follow it (".-5" is -0.05) and "5." or ".5" are fine;
 *   - the fraction length is subtracted from the exponent, and the sum must
 *     still fit an int32;
 *   - negative values fail unless they truncate to zero ("-0.000000001").
 * The literal "0.0" short-cut of v1 gives 0 like the general rule would. */
#include <string.h>

#include "solv_internal.h"

static const char WHY_SYNTAX[] = "not a decimal number";
static const char WHY_EXP_SYNTAX[] = "exponent is not numeric";
static const char WHY_EXP_RANGE[] = "exponent out of range";
static const char WHY_DOTS[] = "more than one '.'";
static const char WHY_NEG[] = "negative value";
static const char WHY_BIG[] = "value does not fit in 64 bits after scaling";

static zk_err fail(const char **why, const char *msg, zk_err e) {
    if (why) *why = msg;
    return e;
}

zk_err zk_decimal_to_u64(uint64_t *out, const char *s, size_t len, unsigned scale_pow10, const char **why) {
    *out = 0;
    if (why) *why = NULL;
    if (len == 3 && s[0] == '0' && s[1] == '.' && s[2] == '0') return ZK_OK;

    /* exponent: from the first e/E to the end */
    size_t mlen = len;
    int64_t exp = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == 'e' || s[i] == 'E') {
            mlen = i;
            break;
        }
    if (mlen < len) {
        size_t p = mlen + 1;
        int neg = 0;
        if (p < len && (s[p] == '+' || s[p] == '-')) neg = s[p++] == '-';
        if (p == len) return fail(why, WHY_EXP_SYNTAX, ZK_ERR_PARSE);
        uint64_t v = 0;
        int range = 0;
        for (; p < len; p++) {
            unsigned d = (unsigned char)s[p] - '0';
            if (d > 9) return fail(why, WHY_EXP_SYNTAX, ZK_ERR_PARSE);
            if (v <= (1ULL << 32)) v = v * 10 + d;
            if (v > (neg ? (1ULL << 31) : (1ULL << 31) - 1)) range = 1;
        }
        /* strconv reports a syntax error before a range error */
        if (range) return fail(why, WHY_EXP_RANGE, ZK_ERR_PARSE);
        exp = neg ? -(int64_t)v : (int64_t)v;
    }

    /* mantissa: the point is removed, then [+-]?[0-9]+ must remain */
    size_t dot = mlen;
    for (size_t i = 0; i < mlen; i++)
        if (s[i] == '.') {
            if (dot != mlen) return fail(why, WHY_DOTS, ZK_ERR_PARSE);
            dot = i;
        }
    if (dot != mlen) exp -= (int64_t)(mlen - dot - 1);
    size_t i = 0;
    if (i == dot) i++;
    int negative = 0;
    if (i < mlen && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        i++;
        if (i == dot) i++;
    }
    size_t ndigits = 0, first_sig = mlen, nsig = 0;
    for (size_t k = i; k < mlen; k++) {
        if (k == dot) continue;
        unsigned d = (unsigned char)s[k] - '0';
        if (d > 9) return fail(why, WHY_SYNTAX, ZK_ERR_PARSE);
        ndigits++;
        if (first_sig == mlen && d != 0) first_sig = k;
        if (first_sig != mlen) nsig++;
    }
    if (ndigits == 0) return fail(why, WHY_SYNTAX, ZK_ERR_PARSE);
    if (exp < INT32_MIN || exp > INT32_MAX) return fail(why, WHY_EXP_RANGE, ZK_ERR_PARSE);
    if (nsig == 0) return ZK_OK; /* zero, whatever the sign and exponent */

    /* value = D * 10^E with D the nsig significant digits */
    int64_t e = exp + (int64_t)scale_pow10;
    int64_t int_digits = (int64_t)nsig + e; /* digits before the point */
    if (int_digits <= 0) return ZK_OK;      /* truncates to zero (also when negative) */
    if (int_digits > 20) return fail(why, negative ? WHY_NEG : WHY_BIG, ZK_ERR_ARG);
    zk_u128 v = 0;
    int64_t taken = 0;
    for (size_t k = first_sig; k < mlen && taken < int_digits; k++) {
        if (k == dot) continue;
        v = v * 10 + (unsigned)(s[k] - '0');
        taken++;
    }
    for (; taken < int_digits; taken++) v *= 10;
    if (v == 0) return ZK_OK;
    if (negative) return fail(why, WHY_NEG, ZK_ERR_ARG);
    if (v > UINT64_MAX) return fail(why, WHY_BIG, ZK_ERR_ARG);
    *out = (uint64_t)v;
    return ZK_OK;
}

/* ---- 192-bit integers ---- */

int zk_u192_cmp(const zk_u192 *a, const zk_u192 *b) {
    for (int i = 2; i >= 0; i--)
        if (a->l[i] != b->l[i]) return a->l[i] < b->l[i] ? -1 : 1;
    return 0;
}

size_t zk_u192_to_dec(char out[59], const zk_u192 *a) {
    static const uint64_t TEN19 = 10000000000000000000ULL;
    uint64_t x[3] = {a->l[0], a->l[1], a->l[2]};
    uint64_t parts[4]; /* base-10^19 digits, least significant first */
    size_t np = 0;
    do {
        zk_u128 rem = 0;
        for (int i = 2; i >= 0; i--) {
            zk_u128 cur = (rem << 64) | x[i];
            x[i] = (uint64_t)(cur / TEN19);
            rem = cur % TEN19;
        }
        parts[np++] = (uint64_t)rem;
    } while (x[0] | x[1] | x[2]);
    char tmp[24];
    size_t n = 0;
    for (size_t p = np; p-- > 0;) {
        uint64_t v = parts[p];
        int k = 0;
        do {
            tmp[k++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (p != np - 1)
            while (k < 19) tmp[k++] = '0';
        while (k) out[n++] = tmp[--k];
    }
    out[n] = 0;
    return n;
}

zk_err zk_u192_from_dec(zk_u192 *out, const char *s, size_t len) {
    memset(out, 0, sizeof *out);
    if (len == 0) return ZK_ERR_PARSE;
    zk_u192 v = {{0, 0, 0}};
    int over = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) return ZK_ERR_PARSE;
        zk_u128 c = d;
        for (int k = 0; k < 3; k++) {
            c += (zk_u128)v.l[k] * 10;
            v.l[k] = (uint64_t)c;
            c >>= 64;
        }
        if (c) over = 1;
    }
    if (over) return ZK_ERR_ARG;
    *out = v;
    return ZK_OK;
}
