/* Proving/verifying key images and our key-file format.
 *
 * Design: a proving key is one contiguous image, header + sections, each
 * section 64-byte aligned, holding points in the exact in-memory form the
 * prover uses. Setup and the .zkey reader build such an image in RAM; the
 * key file is the image byte for byte, so loading a multi-GB key is an mmap,
 * a header check and one checksum pass (parallel, memory-bandwidth bound)
 * instead of parsing and converting millions of points. Because the file
 * holds raw Montgomery limbs it is host-endian; we require little-endian.
 *
 * Checksum (zk_g16_hash): 1 MiB chunks hashed independently (so the pool can
 * share the pass), each by four lanes v = rotl(v + w*P2, 31)*P1 over 64-bit
 * words and a 128-bit-multiply fold at the end; the chunk digests are then
 * hashed the same way. It detects accidental corruption and truncation
 * only; authenticity (if needed) belongs to a signature over the file.
 *
 * Resident memory: the load's checksum pass drops each 32 MiB batch of
 * pages from the process after hashing it (madvise DONTNEED; they stay in
 * the page cache), and the prover does the same after each MSM section
 * (g16_pk_release), so a mapped key adds about one section, not the whole
 * file, to the prover's peak RSS. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../pairing/pairing.h"
#include "g16_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "groth16 key images assume a little-endian host"
#endif

static const char PK_MAGIC[8] = {'Z', 'K', 'G', '1', '6', 'P', 'K', 0};
static const char VK_MAGIC[8] = {'Z', 'K', 'G', '1', '6', 'V', 'K', 0};
#define G16_VERSION 1u

void g16_msg(zk_g16_msg *msg, const char *fmt, ...) {
    if (!msg) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg->text, sizeof msg->text, fmt, ap);
    va_end(ap);
}

unsigned g16_log_domain(uint64_t nconstraints, uint64_t npublic) {
    uint64_t need = nconstraints + npublic + 1;
    unsigned k = 0;
    while (k < 63 && ((uint64_t)1 << k) < need) k++;
    return k;
}

void g16_h_shift(fr_t *s, unsigned log_n) {
    fr_root_of_unity(s, log_n + 1 <= FR_TWO_ADICITY ? log_n + 1 : FR_TWO_ADICITY);
}

/* ---------------- hash ---------------- */
#define H_P1 0x9E3779B185EBCA87ULL
#define H_P2 0xC2B2AE3D27D4EB4FULL
#define H_P3 0x165667B19E3779F9ULL
#define H_CHUNK ((size_t)1 << 20)

static inline uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t fold_mul(uint64_t a, uint64_t b) {
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}
static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t hash_block(const uint8_t *p, size_t len, uint64_t seed) {
    uint64_t v[4] = {seed + H_P1, seed ^ H_P2, seed + H_P3, seed - H_P1};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int k = 0; k < 4; k++) v[k] = rotl64(v[k] + load64(p + i + 8 * k) * H_P2, 31) * H_P1;
    uint8_t tail[32] = {0};
    memcpy(tail, p + i, len - i);
    tail[31] ^= (uint8_t)(len - i); /* distinguishes tails that differ only by zero padding */
    for (int k = 0; k < 4; k++) v[k] = rotl64(v[k] + load64(tail + 8 * k) * H_P2, 31) * H_P1;
    uint64_t h = fold_mul(v[0] ^ H_P3, v[1] ^ H_P2) ^ fold_mul(v[2] ^ H_P1, v[3] ^ (uint64_t)len);
    return fold_mul(h ^ (h >> 29), H_P3) ^ seed;
}

typedef struct {
    const uint8_t *data;
    size_t len;
    uint64_t *digests;
    size_t seed0; /* chunk i is hashed with seed seed0 + i (its place in its batch of 256) */
} hash_ctx;

static void hash_task(void *vctx, size_t i) {
    hash_ctx *c = vctx;
    size_t off = i * H_CHUNK, n = c->len - off < H_CHUNK ? c->len - off : H_CHUNK;
    c->digests[i] = hash_block(c->data + off, n, (uint64_t)(c->seed0 + i));
}

/* Drops the whole pages inside [p, p + len) of a read-only file mapping
 * from this process: they stay in the page cache and fault back in (minor
 * faults) if touched again, so a mapped key costs resident memory only
 * while a pass over it runs. */
void g16_release(const void *p, size_t len) {
    const uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + pg - 1) & ~(pg - 1), hi = ((uintptr_t)p + len) & ~(pg - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void g16_pk_release(const zk_g16_pk *pk, const void *p, size_t len) {
    if (pk->mapped_) g16_release(p, len);
}

/* chunk digests in batches of 256 (no allocation), folded in order;
 * release: hash a batch 32 chunks at a time and drop those pages after
 * hashing them (mapped files; the digests are the same) */
static uint64_t hash_impl(zk_pool *pool, const void *data, size_t len, int release) {
    size_t nchunks = (len + H_CHUNK - 1) / H_CHUNK;
    uint64_t d[256], acc = H_P3 ^ (uint64_t)len;
    const size_t step = release ? 32 : 256;
    for (size_t first = 0; first < nchunks || first == 0; first += 256) {
        size_t cnt = nchunks - first < 256 ? nchunks - first : 256;
        for (size_t sub = 0; sub < cnt; sub += step) {
            size_t k = cnt - sub < step ? cnt - sub : step, off = (first + sub) * H_CHUNK;
            hash_ctx c = {(const uint8_t *)data + off, len - off, d + sub, sub};
            zk_pool_run(k > 1 ? pool : NULL, k, hash_task, &c);
            if (release) g16_release(c.data, c.len < k * H_CHUNK ? c.len : k * H_CHUNK);
        }
        for (size_t i = 0; i < cnt; i++) acc = fold_mul(acc ^ d[i], H_P1) + (first + i);
        if (nchunks == 0) break;
    }
    return fold_mul(acc ^ (acc >> 31), H_P2);
}

uint64_t zk_g16_hash(zk_pool *pool, const void *data, size_t len) { return hash_impl(pool, data, len, 0); }

uint64_t g16_image_checksum(zk_pool *pool, const void *image, size_t len, int release) {
    g16_pk_header h;
    memcpy(&h, image, sizeof h);
    h.checksum = 0;
    uint64_t hh = hash_block((const uint8_t *)&h, sizeof h, 1);
    return fold_mul(hash_impl(pool, (const uint8_t *)image + G16_HEADER_LEN, len - G16_HEADER_LEN, release) ^ hh,
                    H_P1) ^
           hh;
}

/* ---------------- layout ---------------- */
static int add_ovf(uint64_t *acc, uint64_t n, uint64_t size) {
    if (n != 0 && size > UINT64_MAX / n) return 1;
    uint64_t b = n * size;
    b = (b + 63) & ~(uint64_t)63;
    if (*acc > UINT64_MAX - b) return 1;
    *acc += b;
    return 0;
}

zk_err g16_layout(g16_pk_header *h, uint64_t nvars, uint64_t npublic, uint64_t nconstraints, unsigned log_n,
                  uint64_t ncoefs) {
    memset(h, 0, sizeof *h);
    if (nvars < npublic + 1 || log_n > FR_TWO_ADICITY || nvars > UINT32_MAX) return ZK_ERR_ARG;
    uint64_t n = (uint64_t)1 << log_n;
    if (nconstraints + npublic + 1 > n) return ZK_ERR_ARG;
    memcpy(h->magic, PK_MAGIC, 8);
    h->version = G16_VERSION;
    h->header_len = G16_HEADER_LEN;
    h->nvars = nvars;
    h->npublic = npublic;
    h->nconstraints = nconstraints;
    h->domain_size = n;
    h->log_n = log_n;
    h->ncoefs = ncoefs;
    const uint64_t counts[G16_NSEC] = {1, npublic + 1, nvars, nvars, nvars, nvars - npublic - 1, n, ncoefs};
    const uint64_t sizes[G16_NSEC] = {3 * 64 + 3 * 128, 64, 64, 64, 128, 64, 64, sizeof(zk_g16_coef)};
    uint64_t off = G16_HEADER_LEN;
    for (int s = 0; s < G16_NSEC; s++) {
        h->sec_off[s] = off;
        h->sec_len[s] = counts[s] * sizes[s];
        if (add_ovf(&off, counts[s], sizes[s])) return ZK_ERR_ARG;
    }
    h->image_len = off;
    if (off > (uint64_t)SIZE_MAX) return ZK_ERR_NOMEM;
    return ZK_OK;
}

void *g16_sec(const zk_g16_pk *pk, int sec) {
    const g16_pk_header *h = pk->image_;
    return (uint8_t *)pk->image_ + h->sec_off[sec];
}

void g16_pk_bind(zk_g16_pk *pk, void *image, size_t len, int mapped) {
    const g16_pk_header *h = image;
    memset(pk, 0, sizeof *pk);
    pk->image_ = image;
    pk->image_len_ = len;
    pk->mapped_ = mapped;
    pk->nvars = h->nvars;
    pk->npublic = h->npublic;
    pk->nconstraints = h->nconstraints;
    pk->domain_size = h->domain_size;
    pk->log_n = (unsigned)h->log_n;
    pk->ncoefs = h->ncoefs;
    const uint8_t *fixed = g16_sec(pk, G16_SEC_FIXED);
    pk->alpha1 = (const g1_affine_t *)fixed;
    pk->beta1 = pk->alpha1 + 1;
    pk->delta1 = pk->alpha1 + 2;
    pk->beta2 = (const g2_affine_t *)(fixed + 192);
    pk->gamma2 = pk->beta2 + 1;
    pk->delta2 = pk->beta2 + 2;
    pk->ic = g16_sec(pk, G16_SEC_IC);
    pk->a = g16_sec(pk, G16_SEC_A);
    pk->b1 = g16_sec(pk, G16_SEC_B1);
    pk->b2 = g16_sec(pk, G16_SEC_B2);
    pk->c = g16_sec(pk, G16_SEC_C);
    pk->h = g16_sec(pk, G16_SEC_H);
    pk->coefs = g16_sec(pk, G16_SEC_COEFS);
}

zk_err g16_pk_alloc(zk_g16_pk *pk, uint64_t nvars, uint64_t npublic, uint64_t nconstraints, unsigned log_n,
                    uint64_t ncoefs) {
    g16_pk_header h;
    memset(pk, 0, sizeof *pk);
    zk_err e = g16_layout(&h, nvars, npublic, nconstraints, log_n, ncoefs);
    if (e != ZK_OK) return e;
    void *img = NULL;
    if (posix_memalign(&img, 64, (size_t)h.image_len) != 0) return ZK_ERR_NOMEM;
    memset(img, 0, (size_t)h.image_len);
    memcpy(img, &h, sizeof h);
    g16_pk_bind(pk, img, (size_t)h.image_len, 0);
    return ZK_OK;
}

void zk_g16_pk_free(zk_g16_pk *pk) {
    if (!pk || !pk->image_) return;
    if (pk->mapped_) munmap(pk->image_, pk->image_len_);
    else free(pk->image_);
    memset(pk, 0, sizeof *pk);
}

void zk_g16_vk_free(zk_g16_vk *vk) {
    if (!vk) return;
    free(vk->ic);
    memset(vk, 0, sizeof *vk);
}

zk_err zk_g16_vk_from_pk(zk_g16_vk *vk, const zk_g16_pk *pk) {
    memset(vk, 0, sizeof *vk);
    vk->ic = malloc((size_t)(pk->npublic + 1) * sizeof(g1_affine_t));
    if (!vk->ic) return ZK_ERR_NOMEM;
    memcpy(vk->ic, pk->ic, (size_t)(pk->npublic + 1) * sizeof(g1_affine_t));
    vk->npublic = pk->npublic;
    vk->alpha1 = *pk->alpha1;
    vk->beta2 = *pk->beta2;
    vk->gamma2 = *pk->gamma2;
    vk->delta2 = *pk->delta2;
    return ZK_OK;
}

/* ---------------- files ---------------- */
zk_err zk_g16_read_file(char **text, size_t *len, const char *path) {
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return ZK_ERR_IO;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return ZK_ERR_NOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return ZK_ERR_IO;
    }
    buf[n] = 0;
    *text = buf;
    *len = n;
    return ZK_OK;
}

static zk_err write_all(int fd, const void *data, size_t len) {
    const uint8_t *p = data;
    while (len) {
        ssize_t w = write(fd, p, len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return ZK_ERR_IO;
        p += w;
        len -= (size_t)w;
    }
    return ZK_OK;
}

/* Files are written whole or not at all: into PATH.tmp.PID, fsync'd, then
 * renamed over PATH, so a crash never leaves a half-written key or proof
 * under the final name (a later run finds no file and redoes the step). */
static int open_tmp(char **tmp, const char *path) {
    size_t n = strlen(path) + 32;
    if (!(*tmp = malloc(n))) return -1;
#if defined(__wasi__)
    long id = 0; /* WASI has no process ids (and the web page writes no files) */
#else
    long id = (long)getpid();
#endif
    snprintf(*tmp, n, "%s.tmp.%ld", path, id);
    int fd = open(*tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(*tmp);
        *tmp = NULL;
    }
    return fd;
}

static zk_err commit_tmp(int fd, char *tmp, const char *path, zk_err e) {
    if (e == ZK_OK && fsync(fd) != 0) e = ZK_ERR_IO;
    if (close(fd) != 0 && e == ZK_OK) e = ZK_ERR_IO;
    if (e == ZK_OK && rename(tmp, path) != 0) e = ZK_ERR_IO;
    if (e != ZK_OK) unlink(tmp);
    free(tmp);
    return e;
}

zk_err zk_g16_write_file(const char *path, const void *data, size_t len) {
    char *tmp;
    int fd = open_tmp(&tmp, path);
    if (fd < 0) return ZK_ERR_IO;
    return commit_tmp(fd, tmp, path, write_all(fd, data, len));
}

zk_err zk_g16_pk_save(const char *path, const zk_g16_pk *pk) {
    if (!pk->image_) return ZK_ERR_ARG;
    g16_pk_header h;
    memcpy(&h, pk->image_, sizeof h);
    h.checksum = g16_image_checksum(NULL, pk->image_, pk->image_len_, 0);
    uint8_t head[G16_HEADER_LEN];
    memcpy(head, pk->image_, G16_HEADER_LEN);
    memcpy(head, &h, sizeof h);
    char *tmp;
    int fd = open_tmp(&tmp, path);
    if (fd < 0) return ZK_ERR_IO;
    zk_err e = write_all(fd, head, sizeof head);
    if (e == ZK_OK) e = write_all(fd, (const uint8_t *)pk->image_ + G16_HEADER_LEN, pk->image_len_ - G16_HEADER_LEN);
    return commit_tmp(fd, tmp, path, e);
}

zk_err zk_g16_pk_load(zk_pool *pool, zk_g16_pk *pk, const char *path, zk_g16_msg *msg) {
    memset(pk, 0, sizeof *pk);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        g16_msg(msg, "%s: cannot open: %s", path, strerror(errno));
        return ZK_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return ZK_ERR_IO;
    }
    g16_pk_header h, want;
    if ((uint64_t)st.st_size < G16_HEADER_LEN || pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
        close(fd);
        g16_msg(msg, "%s: truncated: %lld bytes, shorter than the %u-byte header", path, (long long)st.st_size,
                G16_HEADER_LEN);
        return ZK_ERR_FORMAT;
    }
    if (memcmp(h.magic, PK_MAGIC, 8) != 0 || h.version != G16_VERSION || h.header_len != G16_HEADER_LEN) {
        close(fd);
        g16_msg(msg, "%s: not a zkpos Groth16 proving key (version %u)", path, h.version);
        return ZK_ERR_FORMAT;
    }
    if (h.log_n > 63 ||
        g16_layout(&want, h.nvars, h.npublic, h.nconstraints, (unsigned)h.log_n, h.ncoefs) != ZK_OK ||
        memcmp(want.sec_off, h.sec_off, sizeof h.sec_off) != 0 || memcmp(want.sec_len, h.sec_len, sizeof h.sec_len) != 0 ||
        want.image_len != h.image_len || want.domain_size != h.domain_size) {
        close(fd);
        g16_msg(msg, "%s: inconsistent header (sizes or section table)", path);
        return ZK_ERR_FORMAT;
    }
    if ((uint64_t)st.st_size != h.image_len) {
        close(fd);
        g16_msg(msg, "%s: %s: file has %lld bytes, header says %llu", path,
                (uint64_t)st.st_size < h.image_len ? "truncated" : "trailing data", (long long)st.st_size,
                (unsigned long long)h.image_len);
        return ZK_ERR_FORMAT;
    }
    void *img = mmap(NULL, (size_t)h.image_len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (img == MAP_FAILED) {
        g16_msg(msg, "%s: mmap failed: %s", path, strerror(errno));
        return ZK_ERR_IO;
    }
    madvise(img, (size_t)h.image_len, MADV_WILLNEED);
    if (g16_image_checksum(pool, img, (size_t)h.image_len, 1) != h.checksum) {
        munmap(img, (size_t)h.image_len);
        g16_msg(msg, "%s: checksum mismatch (file corrupted)", path);
        return ZK_ERR_FORMAT;
    }
    g16_pk_bind(pk, img, (size_t)h.image_len, 1);
    /* the small verifying part is cheap to re-validate */
    if (!g1_affine_is_on_curve(pk->alpha1) || !g1_affine_is_on_curve(pk->delta1) ||
        !g2_affine_is_on_curve(pk->beta2) || !g2_affine_is_on_curve(pk->delta2)) {
        zk_g16_pk_free(pk);
        g16_msg(msg, "%s: invalid key points", path);
        return ZK_ERR_NOT_ON_CURVE;
    }
    return ZK_OK;
}

/* Verifying key file: 64-byte header {magic, version, npublic, checksum},
 * then alpha1, beta2, gamma2, delta2 and the IC points. */
typedef struct {
    char magic[8];
    uint32_t version, pad_;
    uint64_t npublic, checksum;
    uint8_t reserved[32];
} g16_vk_header;

static zk_err vk_check_points(const zk_g16_vk *vk) {
    if (!g1_affine_is_on_curve(&vk->alpha1)) return ZK_ERR_NOT_ON_CURVE;
    const g2_affine_t *g2s[3] = {&vk->beta2, &vk->gamma2, &vk->delta2};
    for (int i = 0; i < 3; i++) {
        if (!g2_affine_is_on_curve(g2s[i])) return ZK_ERR_NOT_ON_CURVE;
        if (!g2_affine_is_in_subgroup(g2s[i])) return ZK_ERR_NOT_IN_SUBGROUP;
    }
    for (uint64_t i = 0; i <= vk->npublic; i++)
        if (!g1_affine_is_on_curve(&vk->ic[i])) return ZK_ERR_NOT_ON_CURVE;
    return ZK_OK;
}

zk_err zk_g16_vk_save(const char *path, const zk_g16_vk *vk) {
    size_t body = 64 + 3 * 128 + (size_t)(vk->npublic + 1) * 64;
    uint8_t *buf = calloc(1, sizeof(g16_vk_header) + body);
    if (!buf) return ZK_ERR_NOMEM;
    g16_vk_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, VK_MAGIC, 8);
    h.version = G16_VERSION;
    h.npublic = vk->npublic;
    uint8_t *p = buf + sizeof h;
    memcpy(p, &vk->alpha1, 64);
    memcpy(p + 64, &vk->beta2, 128);
    memcpy(p + 192, &vk->gamma2, 128);
    memcpy(p + 320, &vk->delta2, 128);
    memcpy(p + 448, vk->ic, (size_t)(vk->npublic + 1) * 64);
    h.checksum = zk_g16_hash(NULL, p, body) ^ h.npublic;
    memcpy(buf, &h, sizeof h);
    zk_err e = zk_g16_write_file(path, buf, sizeof h + body);
    free(buf);
    return e;
}

zk_err zk_g16_vk_load(zk_g16_vk *vk, const char *path, zk_g16_msg *msg) {
    memset(vk, 0, sizeof *vk);
    char *buf;
    size_t len;
    zk_err e = zk_g16_read_file(&buf, &len, path);
    if (e != ZK_OK) {
        g16_msg(msg, "%s: cannot read", path);
        return e;
    }
    g16_vk_header h;
    e = ZK_ERR_FORMAT;
    if (len < sizeof h) {
        g16_msg(msg, "%s: truncated verifying key", path);
        goto done;
    }
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, VK_MAGIC, 8) != 0 || h.version != G16_VERSION) {
        g16_msg(msg, "%s: not a zkpos Groth16 verifying key", path);
        goto done;
    }
    if (h.npublic > (1u << 24) || len != sizeof h + 448 + (size_t)(h.npublic + 1) * 64) {
        g16_msg(msg, "%s: truncated or oversized verifying key (%zu bytes)", path, len);
        goto done;
    }
    const uint8_t *p = (const uint8_t *)buf + sizeof h;
    if ((zk_g16_hash(NULL, p, len - sizeof h) ^ h.npublic) != h.checksum) {
        g16_msg(msg, "%s: checksum mismatch (file corrupted)", path);
        goto done;
    }
    vk->ic = malloc((size_t)(h.npublic + 1) * 64);
    if (!vk->ic) {
        e = ZK_ERR_NOMEM;
        goto done;
    }
    vk->npublic = h.npublic;
    memcpy(&vk->alpha1, p, 64);
    memcpy(&vk->beta2, p + 64, 128);
    memcpy(&vk->gamma2, p + 192, 128);
    memcpy(&vk->delta2, p + 320, 128);
    memcpy(vk->ic, p + 448, (size_t)(h.npublic + 1) * 64);
    /* coordinates (raw Montgomery limbs) must be below p */
    for (size_t i = 0; i < len - sizeof h; i += 32) {
        uint64_t v[4];
        memcpy(v, p + i, 32);
        int lt = 0;
        for (int k = 3; k >= 0; k--)
            if (v[k] != FP_MODULUS[k]) {
                lt = v[k] < FP_MODULUS[k];
                break;
            }
        if (!lt) {
            g16_msg(msg, "%s: non-canonical coordinate", path);
            zk_g16_vk_free(vk);
            goto done;
        }
    }
    e = vk_check_points(vk);
    if (e != ZK_OK) {
        g16_msg(msg, "%s: invalid point (%s)", path, zk_strerror(e));
        zk_g16_vk_free(vk);
    }
done:
    free(buf);
    return e;
}
