/* Compact binary serialisation of a batch witness (the store keeps one blob
 * per batch; the prover decodes it and synthesises the circuit).
 *
 * Design: Go's gob row spends ~1 KB per op, mostly the 28 full siblings and
 * two roots. In an append-only tree most siblings are either an empty
 * subtree E[k] (every level where the index has a 0-bit) or the same left
 * neighbour as the previous op's (the frontier changes at one level per
 * insertion), so each sibling gets a 2-bit code and only the others are
 * written; an op's before root is omitted when it chains (it always does in
 * an honest witness). Amounts and indices are LEB128 varints and assets are
 * sparse, so an op costs ~75 bytes plus ~11 per held asset. The format is
 * lossless for every witness struct (a tampered one included, as long as
 * its assets are sorted), which the soundness tests rely on. Decoding is
 * strict: one encoding per witness (minimal varints, no unknown flags,
 * canonical field elements) and a checksum against storage corruption (not
 * an adversary: the circuit checks everything that matters).
 *
 * Layout (integers "uv" = unsigned LEB128, minimal; "zz" = zigzag of a
 * signed 64-bit value, then uv; fr = 32 bytes big-endian, < r):
 *   "ZKBW" u8 version (1) u8 kind (1 = v1 create-user batch) u8 0 u8 0
 *   uv number, uv B, uv A, uv total asset entries
 *   fr before root, after root, before CEX, after CEX, batch commitment
 *   A x (uv TotalEquity, uv TotalDebt, uv BasePrice)
 *   B ops:
 *     u8 flags: 1 = id is 0 (omitted), 2 = before root omitted (equals the
 *        previous op's after root, for op 0 the batch's before root)
 *     op 0: uv account index; later ops: zz (index - previous index - 1)
 *     [fr id]
 *     uv asset count, then per asset: uv (index - previous index - 1; the
 *        first: index), uv equity, uv debt
 *     7 bytes: 2-bit code per level k at bits 2k..2k+1 (little-endian):
 *        0 = sibling follows, 1 = E[k], 2 = previous op's sibling k
 *     the siblings with code 0, leaf level first
 *     [fr before root], fr after root
 *   u64 little-endian checksum of everything before it */
#include "solv_internal.h"

#define BW_VERSION 1
#define BW_KIND_V1 1
#define CODE_EXPLICIT 0
#define CODE_EMPTY 1
#define CODE_PREVIOUS 2
#define FLAG_ZERO_ID 1
#define FLAG_CHAINED 2
#define CHECK_SEED 0x5a4b4257u /* "ZKBW" */

typedef struct {
    uint8_t *p;
    size_t len, cap;
    int nomem;
} wbuf;

static void put(wbuf *b, const void *src, size_t n) {
    if (b->nomem) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->nomem = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_u8(wbuf *b, uint8_t v) { put(b, &v, 1); }

static void put_uv(wbuf *b, uint64_t v) {
    uint8_t t[10];
    size_t n = 0;
    do {
        t[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v) t[n] |= 0x80;
        n++;
    } while (v);
    put(b, t, n);
}

static void put_zz(wbuf *b, int64_t v) { put_uv(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); }

static void put_fr(wbuf *b, const fr_t *x) {
    uint8_t t[32];
    fr_to_bytes_be(t, x);
    put(b, t, 32);
}

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} rbuf;

static const uint8_t *get(rbuf *r, size_t n) {
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}

static uint8_t get_u8(rbuf *r) {
    const uint8_t *q = get(r, 1);
    return q ? *q : 0;
}

static uint64_t get_uv(rbuf *r) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 10; i++) {
        const uint8_t *q = get(r, 1);
        if (!q) return 0;
        uint64_t bits = *q & 0x7f;
        if (i == 9 && bits > 1) break; /* beyond 64 bits */
        v |= bits << (7 * i);
        if (!(*q & 0x80)) {
            if (i && !bits) break; /* not minimal */
            return v;
        }
    }
    r->bad = 1;
    return 0;
}

static int64_t get_zz(rbuf *r) {
    uint64_t u = get_uv(r);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static void get_fr(rbuf *r, fr_t *x) {
    const uint8_t *q = get(r, 32);
    if (!q || fr_from_bytes_be(x, q) != ZK_OK) {
        r->bad = 1;
        fr_zero(x);
    }
}

static uint64_t checksum(const uint8_t *p, size_t n) {
    zk_sum64 s;
    sum64_init(&s, CHECK_SEED);
    sum64_bytes(&s, p, n);
    return sum64_final(&s);
}

static int op_assets_ok(const zk_batch_witness *w, const zk_batch_op *op) {
    if (op->n_assets > w->assets || op->first_asset > w->n_asset_entries ||
        op->n_assets > w->n_asset_entries - op->first_asset)
        return 0;
    const zk_asset *a = w->asset_list + op->first_asset;
    for (uint32_t i = 0; i < op->n_assets; i++)
        if (a[i].index >= w->assets || (i && a[i].index <= a[i - 1].index)) return 0;
    return 1;
}

zk_err zk_batch_witness_encode(uint8_t **out, size_t *len, const zk_batch_witness *w) {
    *out = NULL;
    *len = 0;
    if (w->users < 1 || w->users > (1u << ZK_TREE_DEPTH) || w->assets < 1 || w->assets > ZK_V1_ASSET_COUNT)
        return ZK_ERR_ARG;
    size_t total = 0;
    for (uint32_t i = 0; i < w->users; i++) {
        if (!op_assets_ok(w, &w->ops[i])) return ZK_ERR_ARG;
        total += w->ops[i].n_assets;
    }
    fr_t empty[ZK_TREE_DEPTH + 1];
    zk_err e = zk_empty_hashes(empty, w->assets);
    if (e != ZK_OK) return e;
    wbuf b = {0};
    static const uint8_t head[8] = {'Z', 'K', 'B', 'W', BW_VERSION, BW_KIND_V1, 0, 0};
    put(&b, head, sizeof head);
    put_uv(&b, w->number);
    put_uv(&b, w->users);
    put_uv(&b, w->assets);
    put_uv(&b, total);
    put_fr(&b, &w->before_root);
    put_fr(&b, &w->after_root);
    put_fr(&b, &w->before_cex);
    put_fr(&b, &w->after_cex);
    put_fr(&b, &w->commitment);
    for (uint32_t j = 0; j < w->assets; j++) {
        put_uv(&b, w->cex[j].equity);
        put_uv(&b, w->cex[j].debt);
        put_uv(&b, w->cex[j].price);
    }
    for (uint32_t i = 0; i < w->users; i++) {
        const zk_batch_op *op = &w->ops[i], *prev = i ? &w->ops[i - 1] : NULL;
        const fr_t *chain = prev ? &prev->after_root : &w->before_root;
        uint8_t flags = (uint8_t)((fr_is_zero(&op->id) ? FLAG_ZERO_ID : 0) |
                                  (fr_eq(&op->before_root, chain) ? FLAG_CHAINED : 0));
        put_u8(&b, flags);
        if (prev) put_zz(&b, (int64_t)op->account_index - (int64_t)prev->account_index - 1);
        else put_uv(&b, op->account_index);
        if (!(flags & FLAG_ZERO_ID)) put_fr(&b, &op->id);
        put_uv(&b, op->n_assets);
        const zk_asset *a = w->asset_list + op->first_asset;
        for (uint32_t k = 0; k < op->n_assets; k++) {
            put_uv(&b, k ? (uint64_t)(a[k].index - a[k - 1].index - 1) : a[k].index);
            put_uv(&b, a[k].equity);
            put_uv(&b, a[k].debt);
        }
        uint64_t codes = 0;
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) {
            uint64_t c = CODE_EXPLICIT;
            if (fr_eq(&op->siblings[k], &empty[k])) c = CODE_EMPTY;
            else if (prev && fr_eq(&op->siblings[k], &prev->siblings[k])) c = CODE_PREVIOUS;
            codes |= c << (2 * k);
        }
        for (unsigned k = 0; k < 7; k++) put_u8(&b, (uint8_t)(codes >> (8 * k)));
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++)
            if (((codes >> (2 * k)) & 3) == CODE_EXPLICIT) put_fr(&b, &op->siblings[k]);
        if (!(flags & FLAG_CHAINED)) put_fr(&b, &op->before_root);
        put_fr(&b, &op->after_root);
    }
    uint64_t sum = checksum(b.p, b.len);
    for (unsigned k = 0; k < 8; k++) put_u8(&b, (uint8_t)(sum >> (8 * k)));
    if (b.nomem) {
        free(b.p);
        return ZK_ERR_NOMEM;
    }
    *out = b.p;
    *len = b.len;
    return ZK_OK;
}

zk_err zk_batch_witness_decode(zk_batch_witness **out, const uint8_t *in, size_t len) {
    *out = NULL;
    if (len < 16) return ZK_ERR_FORMAT;
    uint64_t sum = 0;
    for (unsigned k = 0; k < 8; k++) sum |= (uint64_t)in[len - 8 + k] << (8 * k);
    if (sum != checksum(in, len - 8)) return ZK_ERR_FORMAT;
    rbuf r = {.p = in, .len = len - 8};
    const uint8_t *h = get(&r, 8);
    if (memcmp(h, "ZKBW", 4) || h[4] != BW_VERSION || h[5] != BW_KIND_V1 || h[6] || h[7]) return ZK_ERR_FORMAT;
    uint64_t number = get_uv(&r), users = get_uv(&r), assets = get_uv(&r), total = get_uv(&r);
    if (r.bad || users < 1 || users > (1u << ZK_TREE_DEPTH) || assets < 1 || assets > ZK_V1_ASSET_COUNT ||
        total > users * assets || total > r.len) /* each asset takes >= 3 bytes */
        return ZK_ERR_FORMAT;
    /* every op takes at least 1 + 1 + 1 + 7 + 32 bytes: bounds the allocation */
    if (users > r.len / 42) return ZK_ERR_FORMAT;
    fr_t empty[ZK_TREE_DEPTH + 1];
    zk_err e = zk_empty_hashes(empty, (unsigned)assets);
    if (e != ZK_OK) return e;
    zk_batch_witness *w;
    if ((e = zk_batch_witness_new(&w, (unsigned)users, (unsigned)assets, (size_t)total)) != ZK_OK) return e;
    w->number = number;
    get_fr(&r, &w->before_root);
    get_fr(&r, &w->after_root);
    get_fr(&r, &w->before_cex);
    get_fr(&r, &w->after_cex);
    get_fr(&r, &w->commitment);
    for (uint32_t j = 0; j < w->assets; j++) {
        w->cex[j].equity = get_uv(&r);
        w->cex[j].debt = get_uv(&r);
        w->cex[j].price = get_uv(&r);
    }
    size_t pos = 0;
    for (uint32_t i = 0; i < w->users && !r.bad; i++) {
        zk_batch_op *op = &w->ops[i], *prev = i ? &w->ops[i - 1] : NULL;
        uint8_t flags = get_u8(&r);
        if (flags & ~(FLAG_ZERO_ID | FLAG_CHAINED)) r.bad = 1;
        int64_t idx;
        if (prev) {
            int64_t d = get_zz(&r);
            if (d < -((int64_t)1 << 33) || d > ((int64_t)1 << 33)) r.bad = 1, d = 0;
            idx = (int64_t)prev->account_index + 1 + d;
        } else {
            uint64_t u = get_uv(&r);
            idx = u > UINT32_MAX ? -1 : (int64_t)u;
        }
        if (idx < 0 || idx > UINT32_MAX) r.bad = 1;
        op->account_index = (uint32_t)idx;
        if (!(flags & FLAG_ZERO_ID)) {
            get_fr(&r, &op->id);
            if (fr_is_zero(&op->id)) r.bad = 1; /* would have been omitted */
        }
        uint64_t n = get_uv(&r);
        if (n > w->assets || n > total - pos) {
            r.bad = 1;
            break;
        }
        op->first_asset = pos;
        op->n_assets = (uint32_t)n;
        uint64_t index = 0;
        for (uint64_t k = 0; k < n; k++) {
            uint64_t d = get_uv(&r);
            index = k ? index + 1 + d : d;
            if (d >= w->assets || index >= w->assets) r.bad = 1;
            zk_asset *a = &w->asset_list[pos++];
            a->index = (uint16_t)index;
            a->equity = get_uv(&r);
            a->debt = get_uv(&r);
        }
        uint64_t codes = 0;
        for (unsigned k = 0; k < 7; k++) codes |= (uint64_t)get_u8(&r) << (8 * k);
        for (unsigned k = 0; k < ZK_TREE_DEPTH; k++) {
            unsigned c = (unsigned)(codes >> (2 * k)) & 3;
            /* the encoder's choice is unique: E[k] first, then the previous op's */
            if (c == CODE_EXPLICIT) {
                get_fr(&r, &op->siblings[k]);
                if (fr_eq(&op->siblings[k], &empty[k]) || (prev && fr_eq(&op->siblings[k], &prev->siblings[k])))
                    r.bad = 1;
            } else if (c == CODE_EMPTY) {
                op->siblings[k] = empty[k];
            } else if (c == CODE_PREVIOUS && prev && !fr_eq(&prev->siblings[k], &empty[k])) {
                op->siblings[k] = prev->siblings[k];
            } else {
                r.bad = 1;
            }
        }
        const fr_t *chain = prev ? &prev->after_root : &w->before_root;
        if (flags & FLAG_CHAINED) {
            op->before_root = *chain;
        } else {
            get_fr(&r, &op->before_root);
            if (fr_eq(&op->before_root, chain)) r.bad = 1;
        }
        get_fr(&r, &op->after_root);
    }
    if (r.bad || pos != total || r.pos != r.len) {
        zk_batch_witness_free(w);
        return ZK_ERR_FORMAT;
    }
    *out = w;
    return ZK_OK;
}
