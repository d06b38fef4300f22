/* iden3 binary formats: .r1cs (v1), .wtns (v2) and the Groth16 .zkey (v1).
 *
 * Design: all three share the iden3 container (4-byte magic, u32 version,
 * u32 section count, then sections {u32 type, u64 size, bytes}); sections are
 * located by type, never by position (circom writes the r1cs constraints
 * before the header). Input files are mapped, every size is checked against
 * the section length before anything is read, and field elements are
 * checked canonical. Points are little-endian Montgomery ("LEM"), converted
 * by the ec layer's parsers, in parallel for the big .zkey sections. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "g16_internal.h"

/* ---------------- container ---------------- */
#define MAX_SECTIONS 32
typedef struct {
    const uint8_t *data;
    size_t len;
    int nsec;
    uint32_t type[MAX_SECTIONS];
    uint64_t off[MAX_SECTIONS], size[MAX_SECTIONS];
} container;

static uint32_t rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static uint64_t rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static zk_err map_file(const uint8_t **data, size_t *len, const char *path, zk_g16_msg *msg) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        g16_msg(msg, "%s: cannot open: %s", path, strerror(errno));
        return ZK_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0) {
        close(fd);
        g16_msg(msg, "%s: empty or unreadable", path);
        return st.st_size == 0 ? ZK_ERR_FORMAT : ZK_ERR_IO;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        g16_msg(msg, "%s: mmap failed", path);
        return ZK_ERR_IO;
    }
    *data = p;
    *len = (size_t)st.st_size;
    return ZK_OK;
}

static zk_err container_open(container *c, const uint8_t *data, size_t len, const char magic[4], uint32_t version,
                             const char *path, zk_g16_msg *msg) {
    memset(c, 0, sizeof *c);
    c->data = data;
    c->len = len;
    if (len < 12 || memcmp(data, magic, 4) != 0) {
        g16_msg(msg, "%s: not a %.4s file", path, magic);
        return ZK_ERR_FORMAT;
    }
    if (rd32(data + 4) != version) {
        g16_msg(msg, "%s: unsupported %.4s version %u", path, magic, rd32(data + 4));
        return ZK_ERR_FORMAT;
    }
    uint32_t n = rd32(data + 8);
    size_t pos = 12;
    for (uint32_t i = 0; i < n; i++) {
        if (len - pos < 12 || c->nsec == MAX_SECTIONS) {
            g16_msg(msg, "%s: truncated section table", path);
            return ZK_ERR_FORMAT;
        }
        uint32_t t = rd32(data + pos);
        uint64_t sz = rd64(data + pos + 4);
        pos += 12;
        if (sz > len - pos) {
            g16_msg(msg, "%s: section %u truncated (%llu bytes declared, %zu left)", path, t,
                    (unsigned long long)sz, len - pos);
            return ZK_ERR_FORMAT;
        }
        for (int k = 0; k < c->nsec; k++)
            if (c->type[k] == t) {
                g16_msg(msg, "%s: duplicate section %u", path, t);
                return ZK_ERR_FORMAT;
            }
        c->type[c->nsec] = t;
        c->off[c->nsec] = pos;
        c->size[c->nsec] = sz;
        c->nsec++;
        pos += (size_t)sz;
    }
    return ZK_OK;
}

/* section of a type; expected size (0 = any) */
static const uint8_t *section(const container *c, uint32_t type, uint64_t *size, const char *path, zk_g16_msg *msg) {
    for (int k = 0; k < c->nsec; k++)
        if (c->type[k] == type) {
            *size = c->size[k];
            return c->data + c->off[k];
        }
    g16_msg(msg, "%s: section %u missing", path, type);
    return NULL;
}

static int is_prime(const uint8_t *p, const uint64_t mod[4]) {
    for (int i = 0; i < 4; i++)
        if (rd64(p + 8 * i) != mod[i]) return 0;
    return 1;
}

static int lt_mod(const uint64_t v[4], const uint64_t mod[4]) {
    for (int k = 3; k >= 0; k--)
        if (v[k] != mod[k]) return v[k] < mod[k];
    return 0;
}

/* ---------------- buffer writer ---------------- */
typedef struct {
    uint8_t *buf;
    size_t len, cap;
    int err;
} obuf;

static uint8_t *ob_reserve(obuf *b, size_t n) {
    if (b->err) return NULL;
    if (b->cap - b->len < n) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc - b->len < n) nc *= 2;
        uint8_t *nb = realloc(b->buf, nc);
        if (!nb) {
            b->err = 1;
            return NULL;
        }
        b->buf = nb;
        b->cap = nc;
    }
    uint8_t *p = b->buf + b->len;
    b->len += n;
    return p;
}
static void ob_put(obuf *b, const void *d, size_t n) {
    uint8_t *p = ob_reserve(b, n);
    if (p) memcpy(p, d, n);
}
static void ob_u32(obuf *b, uint32_t v) { ob_put(b, &v, 4); }
static void ob_u64(obuf *b, uint64_t v) { ob_put(b, &v, 8); }
static void ob_fr_le(obuf *b, const fr_t *x) {
    uint8_t t[32];
    fr_to_bytes_le(t, x);
    ob_put(b, t, 32);
}
static size_t ob_section_begin(obuf *b, uint32_t type) {
    ob_u32(b, type);
    ob_u64(b, 0);
    return b->len;
}
static void ob_section_end(obuf *b, size_t start) {
    if (b->err) return;
    uint64_t sz = b->len - start;
    memcpy(b->buf + start - 8, &sz, 8);
}
static zk_err ob_finish(obuf *b, const char *path) {
    zk_err e = b->err ? ZK_ERR_NOMEM : zk_g16_write_file(path, b->buf, b->len);
    free(b->buf);
    return e;
}

/* ---------------- R1CS ---------------- */
zk_err zk_r1cs_view_from_cs(zk_r1cs_view *v, const zk_cs *cs) {
    memset(v, 0, sizeof *v);
    if (zk_cs_get_mode(cs) != ZK_CS_SETUP) return ZK_ERR_ARG;
    for (int k = 0; k < 3; k++) {
        zk_cs_matrix(cs, k, &v->row_start[k], &v->terms[k]);
        if (!v->row_start[k]) return ZK_ERR_ARG;
    }
    v->coeffs = zk_cs_coeffs(cs, &v->ncoeffs);
    v->nconstraints = zk_cs_nconstraints(cs);
    v->nvars = zk_cs_nvars(cs);
    v->npublic = zk_cs_npublic(cs);
    return ZK_OK;
}

struct zk_r1cs_file {
    zk_r1cs_view view;
    uint64_t *rows[3];
    zk_cs_term *terms[3];
    fr_t *coeffs;
};

void zk_r1cs_file_free(zk_r1cs_file *f) {
    if (!f) return;
    for (int k = 0; k < 3; k++) {
        free(f->rows[k]);
        free(f->terms[k]);
    }
    free(f->coeffs);
    free(f);
}

const zk_r1cs_view *zk_r1cs_file_view(const zk_r1cs_file *f) { return &f->view; }

zk_err zk_r1cs_read(zk_r1cs_file **out, const char *path, zk_g16_msg *msg) {
    *out = NULL;
    const uint8_t *data;
    size_t len;
    zk_err e = map_file(&data, &len, path, msg);
    if (e != ZK_OK) return e;
    container c;
    zk_r1cs_file *f = NULL;
    uint64_t hs, cs_len;
    const uint8_t *h, *s;
    if ((e = container_open(&c, data, len, "r1cs", 1, path, msg)) != ZK_OK) goto out;
    e = ZK_ERR_FORMAT;
    if (!(h = section(&c, 1, &hs, path, msg)) || !(s = section(&c, 2, &cs_len, path, msg))) goto out;
    if (hs != 64 || rd32(h) != 32) {
        g16_msg(msg, "%s: header: unsupported field size", path);
        goto out;
    }
    if (!is_prime(h + 4, FR_MODULUS)) {
        g16_msg(msg, "%s: prime is not the BN254 scalar field", path);
        goto out;
    }
    uint32_t nwires = rd32(h + 36), npubout = rd32(h + 40), npubin = rd32(h + 44), m = rd32(h + 60);
    if (nwires == 0 || (uint64_t)npubout + npubin + 1 > nwires) {
        g16_msg(msg, "%s: header: inconsistent wire counts", path);
        goto out;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        e = ZK_ERR_NOMEM;
        goto out;
    }
    /* pass 1: bounds and term counts; pass 2: fill */
    uint64_t cnt[3] = {0, 0, 0};
    for (int pass = 0; pass < 2; pass++) {
        size_t pos = 0;
        uint64_t nterm = 0;
        for (uint32_t i = 0; i < m; i++) {
            for (int k = 0; k < 3; k++) {
                if (cs_len - pos < 4) goto trunc;
                uint32_t nt = rd32(s + pos);
                pos += 4;
                if ((cs_len - pos) / 36 < nt) goto trunc;
                if (pass) f->rows[k][i] = cnt[k];
                for (uint32_t j = 0; j < nt; j++, pos += 36) {
                    uint32_t wire = rd32(s + pos);
                    if (wire >= nwires) {
                        g16_msg(msg, "%s: constraint %u: wire %u out of range", path, i, wire);
                        goto out;
                    }
                    if (pass) {
                        if (fr_from_bytes_le(&f->coeffs[nterm], s + pos + 4) != ZK_OK) {
                            g16_msg(msg, "%s: constraint %u: coefficient not below r", path, i);
                            goto out;
                        }
                        f->terms[k][cnt[k]].var = wire;
                        f->terms[k][cnt[k]].coeff = (uint32_t)nterm;
                    }
                    cnt[k]++;
                    nterm++;
                }
            }
        }
        if (pos != cs_len) {
            g16_msg(msg, "%s: constraints section has %llu extra bytes", path, (unsigned long long)(cs_len - pos));
            goto out;
        }
        if (pass == 0) {
            if (nterm > UINT32_MAX) goto out;
            f->coeffs = malloc((nterm ? nterm : 1) * sizeof(fr_t));
            for (int k = 0; k < 3; k++) {
                f->rows[k] = malloc(((size_t)m + 1) * sizeof(uint64_t));
                f->terms[k] = malloc((cnt[k] ? cnt[k] : 1) * sizeof(zk_cs_term));
                if (!f->rows[k] || !f->terms[k]) f->coeffs = (free(f->coeffs), NULL);
            }
            if (!f->coeffs) {
                e = ZK_ERR_NOMEM;
                goto out;
            }
            f->view.ncoeffs = nterm;
            cnt[0] = cnt[1] = cnt[2] = 0;
        }
    }
    for (int k = 0; k < 3; k++) {
        f->rows[k][m] = cnt[k];
        f->view.row_start[k] = f->rows[k];
        f->view.terms[k] = f->terms[k];
    }
    f->view.coeffs = f->coeffs;
    f->view.nconstraints = m;
    f->view.nvars = nwires;
    f->view.npublic = (uint64_t)npubout + npubin;
    *out = f;
    f = NULL;
    e = ZK_OK;
    goto out;
trunc:
    g16_msg(msg, "%s: constraints section truncated", path);
    e = ZK_ERR_FORMAT;
out:
    zk_r1cs_file_free(f);
    munmap((void *)data, len);
    return e;
}

zk_err zk_r1cs_write(const char *path, const zk_r1cs_view *v) {
    if (v->nvars > UINT32_MAX || v->nconstraints > UINT32_MAX) return ZK_ERR_ARG;
    obuf b = {0};
    ob_put(&b, "r1cs", 4);
    ob_u32(&b, 1);
    ob_u32(&b, 3);
    size_t st = ob_section_begin(&b, 1);
    ob_u32(&b, 32);
    ob_put(&b, FR_MODULUS, 32);
    ob_u32(&b, (uint32_t)v->nvars);
    ob_u32(&b, 0);                      /* outputs */
    ob_u32(&b, (uint32_t)v->npublic);   /* public inputs */
    ob_u32(&b, 0);                      /* private inputs: ours are all internal */
    ob_u64(&b, v->nvars);               /* labels */
    ob_u32(&b, (uint32_t)v->nconstraints);
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 2);
    for (uint64_t i = 0; i < v->nconstraints; i++)
        for (int k = 0; k < 3; k++) {
            uint64_t lo = v->row_start[k][i], hi = v->row_start[k][i + 1];
            ob_u32(&b, (uint32_t)(hi - lo));
            for (uint64_t j = lo; j < hi; j++) {
                ob_u32(&b, v->terms[k][j].var);
                ob_fr_le(&b, &v->coeffs[v->terms[k][j].coeff]);
            }
        }
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 3);
    for (uint64_t i = 0; i < v->nvars; i++) ob_u64(&b, i);
    ob_section_end(&b, st);
    return ob_finish(&b, path);
}

/* ---------------- witness ---------------- */
zk_err zk_wtns_read(fr_t **w, size_t *n, const char *path, zk_g16_msg *msg) {
    *w = NULL;
    *n = 0;
    const uint8_t *data;
    size_t len;
    zk_err e = map_file(&data, &len, path, msg);
    if (e != ZK_OK) return e;
    container c;
    uint64_t hs, vs;
    const uint8_t *h, *s;
    if ((e = container_open(&c, data, len, "wtns", 2, path, msg)) != ZK_OK) goto out;
    e = ZK_ERR_FORMAT;
    if (!(h = section(&c, 1, &hs, path, msg)) || !(s = section(&c, 2, &vs, path, msg))) goto out;
    if (hs != 40 || rd32(h) != 32 || !is_prime(h + 4, FR_MODULUS)) {
        g16_msg(msg, "%s: header: field is not BN254 r with 32-byte elements", path);
        goto out;
    }
    uint32_t cnt = rd32(h + 36);
    if (vs != (uint64_t)cnt * 32) {
        g16_msg(msg, "%s: %u values declared, section holds %llu bytes", path, cnt, (unsigned long long)vs);
        goto out;
    }
    fr_t *v = malloc((cnt ? cnt : 1) * sizeof(fr_t));
    if (!v) {
        e = ZK_ERR_NOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < cnt; i++)
        if (fr_from_bytes_le(&v[i], s + 32 * (size_t)i) != ZK_OK) {
            g16_msg(msg, "%s: value %u not below r", path, i);
            free(v);
            goto out;
        }
    *w = v;
    *n = cnt;
    e = ZK_OK;
out:
    munmap((void *)data, len);
    return e;
}

zk_err zk_wtns_write(const char *path, const fr_t *w, size_t n) {
    if (n > UINT32_MAX) return ZK_ERR_ARG;
    obuf b = {0};
    ob_put(&b, "wtns", 4);
    ob_u32(&b, 2);
    ob_u32(&b, 2);
    size_t st = ob_section_begin(&b, 1);
    ob_u32(&b, 32);
    ob_put(&b, FR_MODULUS, 32);
    ob_u32(&b, (uint32_t)n);
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 2);
    for (size_t i = 0; i < n; i++) ob_fr_le(&b, &w[i]);
    ob_section_end(&b, st);
    return ob_finish(&b, path);
}

/* ---------------- zkey ---------------- */
typedef struct {
    const uint8_t *src;
    void *dst;
    size_t count, chunk;
    int g2, check_subgroup;
    volatile int bad;
} conv_ctx;

static void conv_task(void *vctx, size_t t) {
    conv_ctx *c = vctx;
    size_t lo = t * c->chunk, hi = lo + c->chunk < c->count ? lo + c->chunk : c->count;
    for (size_t i = lo; i < hi && !c->bad; i++) {
        zk_err e;
        if (c->g2)
            e = c->check_subgroup ? g2_from_lem((g2_affine_t *)c->dst + i, c->src + 128 * i)
                                  : g2_from_lem_unchecked((g2_affine_t *)c->dst + i, c->src + 128 * i);
        else
            e = g1_from_lem((g1_affine_t *)c->dst + i, c->src + 64 * i);
        if (e != ZK_OK) c->bad = 1;
    }
}

/* Converts a section of LEM points, then drops its pages of the file mapping
 * from the process (they stay in the page cache; a later touch re-reads
 * them): the mapped .zkey and the converted image are never both resident,
 * so loading peaks near one image plus one section, not twice the key. */
static zk_err convert_points(zk_pool *pool, void *dst, const uint8_t *src, size_t count, int g2, int full) {
    size_t nt = (size_t)zk_pool_threads(pool) * 8;
    conv_ctx c = {src, dst, count, (count + nt - 1) / nt, g2, full, 0};
    if (c.chunk == 0) c.chunk = 1;
    zk_pool_run(count > 256 ? pool : NULL, (count + c.chunk - 1) / c.chunk, conv_task, &c);
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0 && count) {
        uintptr_t lo = (uintptr_t)src & ~((uintptr_t)page - 1), hi = (uintptr_t)src + count * (g2 ? 128u : 64u);
        (void)madvise((void *)lo, hi - lo, MADV_DONTNEED); /* advisory: failure only costs memory */
    }
    return c.bad ? ZK_ERR_NOT_ON_CURVE : ZK_OK;
}

zk_err zk_zkey_read(zk_pool *pool, zk_g16_pk *pk, const char *path, zk_g16_msg *msg) {
    memset(pk, 0, sizeof *pk);
    const uint8_t *data;
    size_t len;
    zk_err e = map_file(&data, &len, path, msg);
    if (e != ZK_OK) return e;
    container c;
    const uint8_t *s[11];
    uint64_t sz[11];
    if ((e = container_open(&c, data, len, "zkey", 1, path, msg)) != ZK_OK) goto out;
    e = ZK_ERR_FORMAT;
    for (uint32_t k = 1; k <= 9; k++)
        if (!(s[k] = section(&c, k, &sz[k], path, msg))) goto out;
    if (sz[1] != 4 || rd32(s[1]) != 1) {
        g16_msg(msg, "%s: not a Groth16 zkey", path);
        goto out;
    }
    const uint8_t *h = s[2];
    if (sz[2] != 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128 || rd32(h) != 32 || !is_prime(h + 4, FP_MODULUS) ||
        rd32(h + 36) != 32 || !is_prime(h + 40, FR_MODULUS)) {
        g16_msg(msg, "%s: header: not BN254 (bn128) or wrong size", path);
        goto out;
    }
    uint32_t nvars = rd32(h + 72), npub = rd32(h + 76), dsize = rd32(h + 80);
    unsigned log_n = 0;
    while (log_n < 31 && (1u << log_n) < dsize) log_n++;
    if (dsize == 0 || (1u << log_n) != dsize || log_n >= FR_TWO_ADICITY || (uint64_t)npub + 1 > nvars) {
        g16_msg(msg, "%s: header: bad sizes (nVars %u, nPublic %u, domain %u)", path, nvars, npub, dsize);
        goto out;
    }
    if (sz[3] != (uint64_t)(npub + 1) * 64 || sz[5] != (uint64_t)nvars * 64 || sz[6] != (uint64_t)nvars * 64 ||
        sz[7] != (uint64_t)nvars * 128 || sz[8] != (uint64_t)(nvars - npub - 1) * 64 || sz[9] != (uint64_t)dsize * 64 ||
        sz[4] < 4 || sz[4] != 4 + (uint64_t)rd32(s[4]) * 44) {
        g16_msg(msg, "%s: section sizes do not match the header", path);
        goto out;
    }
    uint32_t ncoefs = rd32(s[4]);
    /* m: the public-input rows are the last npub+1 constraints */
    uint64_t maxc = 0;
    for (uint32_t i = 0; i < ncoefs; i++) {
        const uint8_t *r = s[4] + 4 + 44 * (size_t)i;
        if (rd32(r + 4) > maxc) maxc = rd32(r + 4);
    }
    if (maxc < npub || maxc >= dsize) {
        g16_msg(msg, "%s: coefficients do not contain the public-input rows", path);
        goto out;
    }
    if ((e = g16_pk_alloc(pk, nvars, npub, maxc - npub, log_n, ncoefs)) != ZK_OK) goto out;
    e = ZK_ERR_FORMAT;
    zk_g16_coef *cf = g16_sec(pk, G16_SEC_COEFS);
    fr_t raw_one;
    memset(&raw_one, 0, sizeof raw_one);
    raw_one.l[0] = 1;
    for (uint32_t i = 0; i < ncoefs; i++) {
        const uint8_t *r = s[4] + 4 + 44 * (size_t)i;
        cf[i].matrix = rd32(r);
        cf[i].constraint = rd32(r + 4);
        cf[i].signal = rd32(r + 8);
        memcpy(cf[i].value.l, r + 12, 32);
        if (cf[i].matrix > 1 || cf[i].signal >= nvars || !lt_mod(cf[i].value.l, FR_MODULUS)) {
            g16_msg(msg, "%s: coefficient %u invalid", path, i);
            goto fail;
        }
        /* stored c*R^2 mod r; one Montgomery reduction gives c*R = our form */
        fr_mul(&cf[i].value, &cf[i].value, &raw_one);
    }
    g1_affine_t *fixed1 = g16_sec(pk, G16_SEC_FIXED);
    g2_affine_t *fixed2 = (g2_affine_t *)((uint8_t *)fixed1 + 192);
    const uint8_t *pts = h + 84;
    /* zkey order: alpha1, beta1, beta2, gamma2, delta1, delta2; ours: g1 alpha beta delta, g2 beta gamma delta */
    zk_err pe = g1_from_lem(&fixed1[0], pts);
    if (pe == ZK_OK) pe = g1_from_lem(&fixed1[1], pts + 64);
    if (pe == ZK_OK) pe = g2_from_lem(&fixed2[0], pts + 128);
    if (pe == ZK_OK) pe = g2_from_lem(&fixed2[1], pts + 256);
    if (pe == ZK_OK) pe = g1_from_lem(&fixed1[2], pts + 384);
    if (pe == ZK_OK) pe = g2_from_lem(&fixed2[2], pts + 448);
    if (pe != ZK_OK) {
        g16_msg(msg, "%s: invalid header point (%s)", path, zk_strerror(pe));
        e = pe;
        goto fail;
    }
    static const int secs[6] = {G16_SEC_IC, G16_SEC_A, G16_SEC_B1, G16_SEC_B2, G16_SEC_C, G16_SEC_H};
    static const int zsec[6] = {3, 5, 6, 7, 8, 9};
    for (int k = 0; k < 6; k++) {
        int g2 = secs[k] == G16_SEC_B2;
        pe = convert_points(pool, g16_sec(pk, secs[k]), s[zsec[k]], (size_t)(sz[zsec[k]] / (g2 ? 128 : 64)), g2, 0);
        if (pe != ZK_OK) {
            g16_msg(msg, "%s: section %d: point not on the curve or not canonical", path, zsec[k]);
            e = pe;
            goto fail;
        }
    }
    e = ZK_OK;
    goto out;
fail:
    zk_g16_pk_free(pk);
out:
    munmap((void *)data, len);
    return e;
}

static void ob_g1(obuf *b, const g1_affine_t *p) {
    uint8_t *d = ob_reserve(b, 64);
    if (d) g1_to_lem(d, p);
}
static void ob_g2(obuf *b, const g2_affine_t *p) {
    uint8_t *d = ob_reserve(b, 128);
    if (d) g2_to_lem(d, p);
}

zk_err zk_zkey_write(const char *path, const zk_g16_pk *pk) {
    if (!pk->image_ || pk->ncoefs > UINT32_MAX) return ZK_ERR_ARG;
    obuf b = {0};
    ob_put(&b, "zkey", 4);
    ob_u32(&b, 1);
    ob_u32(&b, 10);
    size_t st = ob_section_begin(&b, 1);
    ob_u32(&b, 1);
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 2);
    ob_u32(&b, 32);
    ob_put(&b, FP_MODULUS, 32);
    ob_u32(&b, 32);
    ob_put(&b, FR_MODULUS, 32);
    ob_u32(&b, (uint32_t)pk->nvars);
    ob_u32(&b, (uint32_t)pk->npublic);
    ob_u32(&b, (uint32_t)pk->domain_size);
    ob_g1(&b, pk->alpha1);
    ob_g1(&b, pk->beta1);
    ob_g2(&b, pk->beta2);
    ob_g2(&b, pk->gamma2);
    ob_g1(&b, pk->delta1);
    ob_g2(&b, pk->delta2);
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 3);
    for (uint64_t i = 0; i <= pk->npublic; i++) ob_g1(&b, &pk->ic[i]);
    ob_section_end(&b, st);
    st = ob_section_begin(&b, 4);
    ob_u32(&b, (uint32_t)pk->ncoefs);
    fr_t rval, one; /* rval has Montgomery form R^2: montmul(c R, rval) = c R^2 */
    fr_one(&one);
    if (fr_from_u256(&rval, one.l) != ZK_OK) b.err = 1;
    for (uint64_t i = 0; i < pk->ncoefs; i++) {
        const zk_g16_coef *cf = &pk->coefs[i];
        fr_t v;
        fr_mul(&v, &cf->value, &rval);
        ob_u32(&b, cf->matrix);
        ob_u32(&b, cf->constraint);
        ob_u32(&b, cf->signal);
        ob_put(&b, v.l, 32);
    }
    ob_section_end(&b, st);
    const struct {
        int sec;
        uint64_t n;
        int g2;
    } big[5] = {{G16_SEC_A, pk->nvars, 0},
                {G16_SEC_B1, pk->nvars, 0},
                {G16_SEC_B2, pk->nvars, 1},
                {G16_SEC_C, pk->nvars - pk->npublic - 1, 0},
                {G16_SEC_H, pk->domain_size, 0}};
    for (int k = 0; k < 5; k++) {
        st = ob_section_begin(&b, (uint32_t)(5 + k));
        const void *src = g16_sec(pk, big[k].sec);
        uint8_t *d = ob_reserve(&b, (size_t)big[k].n * (big[k].g2 ? 128 : 64));
        for (uint64_t i = 0; d && i < big[k].n; i++) {
            if (big[k].g2) g2_to_lem(d + 128 * i, (const g2_affine_t *)src + i);
            else g1_to_lem(d + 64 * i, (const g1_affine_t *)src + i);
        }
        ob_section_end(&b, st);
    }
    st = ob_section_begin(&b, 10);
    uint8_t zero[64] = {0};
    ob_put(&b, zero, 64); /* csHash: unknown to us */
    ob_u32(&b, 0);        /* no contributions */
    ob_section_end(&b, st);
    return ob_finish(&b, path);
}
