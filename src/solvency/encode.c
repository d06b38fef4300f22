/* Hex and base64 as the v1 formats use them (Go encoding/hex and
 * base64.StdEncoding). Decoding is strict: padding required, canonical
 * trailing bits, no whitespace, so every accepted string has exactly one
 * encoding and a corrupted proof cannot hide in ignored characters. */
#include "solv_internal.h"

static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void zk_hex_encode(char *out, const uint8_t *in, size_t len) {
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = HEX[in[i] >> 4];
        out[2 * i + 1] = HEX[in[i] & 15];
    }
    out[2 * len] = 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

zk_err zk_hex_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len) {
    if (in_len != 2 * out_len) return ZK_ERR_PARSE;
    for (size_t i = 0; i < out_len; i++) {
        int h = hexval(in[2 * i]), l = hexval(in[2 * i + 1]);
        if (h < 0 || l < 0) return ZK_ERR_PARSE;
        out[i] = (uint8_t)(h << 4 | l);
    }
    return ZK_OK;
}

void zk_base64_encode(char *out, const uint8_t *in, size_t len) {
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = B64[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = '=';
    }
    out[o] = 0;
}

static int b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

zk_err zk_base64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *in, size_t in_len) {
    *out_len = 0;
    if (in_len % 4) return ZK_ERR_PARSE;
    size_t o = 0;
    for (size_t i = 0; i < in_len; i += 4) {
        int last = i + 4 == in_len;
        int pad = 0;
        if (last && in[i + 3] == '=') pad = in[i + 2] == '=' ? 2 : 1;
        int v[4];
        for (int k = 0; k < 4 - pad; k++)
            if ((v[k] = b64val(in[i + k])) < 0) return ZK_ERR_PARSE;
        for (int k = 4 - pad; k < 4; k++) v[k] = 0;
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        size_t n = 3 - (size_t)pad;
        if (pad == 1 && (w & 0xff)) return ZK_ERR_PARSE;     /* non-canonical trailing bits */
        if (pad == 2 && (w & 0xffff)) return ZK_ERR_PARSE;
        if (o + n > cap) return ZK_ERR_ARG;
        out[o++] = (uint8_t)(w >> 16);
        if (n > 1) out[o++] = (uint8_t)(w >> 8);
        if (n > 2) out[o++] = (uint8_t)w;
    }
    *out_len = o;
    return ZK_OK;
}
