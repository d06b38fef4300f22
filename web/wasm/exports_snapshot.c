/* WebAssembly exports for the "verify the snapshot" page (web/snapshot.html):
 * the auditor's check of a directory written by `zkpos publish`, as
 * `zkpos verify` (apps/zkpos/cmd_pipeline.c) does it.
 *
 * Design: the page must stay responsive and show progress while some
 * hundred Groth16 proofs verify, so the check is split into a handle with
 * one call per batch instead of one long call: zkpos_snapshot_open parses
 * the five published files, prepares the key and runs every check that is
 * not a proof (the same ones, in the same order and with the same library
 * calls as cmd_verify: key with one public input, config "assets", the CEX
 * list placed by Index with TotalEquity >= TotalDebt, the batch count, the
 * batch order, the hex values, zk_batch_chain_verify, root.json against the
 * last after root); zkpos_snapshot_verify_batch(h, i) then verifies batch
 * i's proof with zk_g16_verify, its public input being the commitment
 * recomputed from the published roots and CEX commitments (never the
 * published commitment itself). Unlike the CLI, which stops at the first
 * failure, the page verifies every proof even after a failed check so that
 * it can show each batch's status; the verdict is the same.
 * Results are JSON text as in exports.c (malloc'd, released with zkpos_free);
 * the totals are copied out as decimal strings (they exceed 2^53).
 *
 * zkpos_snapshot_summary(h) fields: status ("ok" = every non-proof check
 * passed, "failed" = a check failed, "invalid" = a file is malformed),
 * message (what failed, naming the file or the batch; "" when ok), batch
 * (the failing batch for a chain check, else -1), check ("files", "count",
 * "order", "chain", "final", "root"), batches, assets (config), root (the
 * published root), lastRoot (the last batch's after root), and cex:
 * [{index, symbol, equity, debt, price}] in Index order.
 * zkpos_snapshot_verify_batch fields: batch, status ("verified", "failed",
 * "invalid"), message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "groth16/groth16.h"
#include "json/json.h"
#include "solvency/solvency.h"

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else /* native builds (e.g. checking this file under ASan) */
#define EXPORT(name)
#endif

typedef struct {
    char status[8], check[8], message[240];
    long long batch; /* failing batch of a chain/order check, -1 otherwise */
    json_value *cfg, *cexj, *proofs, *rootj;
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    int pvk_ok;
    zk_batch_header *h;
    size_t n;          /* batches parsed into h (0 when the files are bad) */
    uint64_t assets;
    const json_value *cex_by_index[ZK_V1_ASSET_COUNT];
    char last[65];
} zkpos_snapshot;

static void set_fail(zkpos_snapshot *s, const char *status, const char *check, long long batch, const char *msg) {
    snprintf(s->status, sizeof s->status, "%s", status);
    snprintf(s->check, sizeof s->check, "%s", check);
    snprintf(s->message, sizeof s->message, "%s", msg);
    s->batch = batch;
}

static json_value *parse(zkpos_snapshot *s, const char *name, const char *text, size_t len) {
    json_value *v = NULL;
    json_error je;
    memset(&je, 0, sizeof je);
    if (json_parse(&v, text, len, &je) != ZK_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s is not valid JSON (%s)", name, je.message[0] ? je.message : "out of memory");
        set_fail(s, "invalid", "files", -1, msg);
        return NULL;
    }
    return v;
}

static int hex_field(fr_t *out, const json_value *obj, const char *key) {
    size_t l = 0;
    const char *s = json_as_string(json_get(obj, key), &l);
    uint8_t be[32];
    return s && zk_hex_decode(be, 32, s, l) == ZK_OK && fr_from_bytes_be(out, be) == ZK_OK ? 0 : -1;
}

static void fr_hex(char out[65], const fr_t *a) {
    uint8_t be[32];
    fr_to_bytes_be(be, a);
    zk_hex_encode(out, be, 32);
}

/* The non-proof checks of cmd_verify; on failure s->status is set. */
static void snapshot_check(zkpos_snapshot *s, const char *vk, size_t vk_len) {
    char msg[240];
    zk_cex_entry cex[ZK_V1_ASSET_COUNT];
    memset(cex, 0, sizeof cex);
    if (zk_g16_vk_from_json(&s->vk, vk, vk_len) != ZK_OK || s->vk.npublic != 1 ||
        zk_g16_pvk_prepare(&s->pvk, &s->vk) != ZK_OK) {
        set_fail(s, "invalid", "files", -1, "verification_key.json is not a valid one-input Groth16 key");
        return;
    }
    s->pvk_ok = 1;
    if (json_as_u64(&s->assets, json_get(s->cfg, "assets")) != ZK_OK || s->assets < 1 ||
        s->assets > ZK_V1_ASSET_COUNT) {
        set_fail(s, "invalid", "files", -1, "config.json: bad or missing \"assets\"");
        return;
    }
    size_t na = json_len(s->cexj);
    if (s->cexj->type != JSON_ARRAY || na > s->assets) {
        snprintf(msg, sizeof msg, "cex_assets_info.json: expected a list of at most %llu assets",
                 (unsigned long long)s->assets);
        set_fail(s, "invalid", "files", -1, msg);
        return;
    }
    for (size_t i = 0; i < na; i++) {
        const json_value *a = json_at(s->cexj, i);
        uint64_t idx = 0, eq = 0, debt = 0, price = 0;
        if (json_as_u64(&idx, json_get(a, "Index")) != ZK_OK || idx >= na || s->cex_by_index[idx] ||
            json_as_u64(&eq, json_get(a, "TotalEquity")) != ZK_OK ||
            json_as_u64(&debt, json_get(a, "TotalDebt")) != ZK_OK ||
            json_as_u64(&price, json_get(a, "BasePrice")) != ZK_OK) {
            snprintf(msg, sizeof msg, "cex_assets_info.json: entry %zu is malformed or its Index is bad", i);
            set_fail(s, "invalid", "files", -1, msg);
            return;
        }
        s->cex_by_index[idx] = a;
        if (eq < debt) {
            snprintf(msg, sizeof msg, "cex_assets_info.json: asset %llu has TotalEquity < TotalDebt",
                     (unsigned long long)idx);
            set_fail(s, "invalid", "files", -1, msg);
            return;
        }
        cex[idx].equity = eq, cex[idx].debt = debt, cex[idx].price = price;
    }
    size_t n = json_len(s->proofs);
    if (s->proofs->type != JSON_ARRAY || n == 0) {
        set_fail(s, "invalid", "files", -1, "proofs.json: expected a non-empty list of batch proofs");
        return;
    }
    uint64_t nb = 0;
    if (json_as_u64(&nb, json_get(s->cfg, "batches")) == ZK_OK && nb != n) {
        snprintf(msg, sizeof msg, "proofs.json has %zu batches, config.json says %llu (a batch is missing)", n,
                 (unsigned long long)nb);
        set_fail(s, "failed", "count", -1, msg);
        return;
    }
    if (!(s->h = calloc(n, sizeof *s->h))) {
        set_fail(s, "invalid", "files", -1, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const json_value *p = json_at(s->proofs, i);
        uint64_t num = 0;
        if (json_as_u64(&num, json_get(p, "batch_number")) != ZK_OK) {
            snprintf(msg, sizeof msg, "proofs.json entry %zu: bad batch_number", i);
            set_fail(s, "invalid", "files", (long long)i, msg);
            return;
        }
        if (num != i) {
            snprintf(msg, sizeof msg,
                     "order check: proofs.json lists batch %llu in its place (batches missing or out of order)",
                     (unsigned long long)num);
            set_fail(s, "failed", "order", (long long)i, msg);
            return;
        }
        if (hex_field(&s->h[i].before_root, p, "before_root") || hex_field(&s->h[i].after_root, p, "after_root") ||
            hex_field(&s->h[i].before_cex, p, "before_cex") || hex_field(&s->h[i].after_cex, p, "after_cex") ||
            hex_field(&s->h[i].commitment, p, "batch_commitment")) {
            set_fail(s, "invalid", "files", (long long)i,
                     "a root or commitment is not 64 hex digits of a field element");
            return;
        }
    }
    s->n = n;
    fr_hex(s->last, &s->h[n - 1].after_root);
    size_t bad = 0;
    const char *why = NULL;
    zk_err e = zk_batch_chain_verify(&bad, &why, s->h, n, cex, (unsigned)s->assets);
    if (e != ZK_OK) {
        const char *w = why && *why ? why : zk_strerror(e);
        if (bad == n) {
            snprintf(msg, sizeof msg, "%s (published CEX totals do not match the last batch)", w);
            set_fail(s, "failed", "final", -1, msg);
        } else {
            snprintf(msg, sizeof msg, "chain check: %s", w);
            set_fail(s, "failed", "chain", (long long)bad, msg);
        }
        return;
    }
    size_t rl = 0;
    const char *root = json_as_string(json_get(s->rootj, "root"), &rl);
    if (!root || rl != 64 || strncasecmp(root, s->last, 64)) {
        snprintf(msg, sizeof msg, "root.json differs from the last batch's root %s", s->last);
        set_fail(s, "failed", "root", -1, msg);
    }
}

EXPORT("zkpos_snapshot_open")
zkpos_snapshot *zkpos_snapshot_open(const char *vk, size_t vk_len, const char *cfg, size_t cfg_len, const char *cex,
                                    size_t cex_len, const char *proofs, size_t proofs_len, const char *root,
                                    size_t root_len) {
    zkpos_snapshot *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    set_fail(s, "ok", "", -1, "");
    if ((s->cfg = parse(s, "config.json", cfg, cfg_len)) && (s->cexj = parse(s, "cex_assets_info.json", cex, cex_len)) &&
        (s->proofs = parse(s, "proofs.json", proofs, proofs_len)) && (s->rootj = parse(s, "root.json", root, root_len)))
        snapshot_check(s, vk, vk_len);
    return s;
}

EXPORT("zkpos_snapshot_free") void zkpos_snapshot_free(zkpos_snapshot *s) {
    if (!s) return;
    json_free(s->cfg), json_free(s->cexj), json_free(s->proofs), json_free(s->rootj);
    zk_g16_pvk_free(&s->pvk);
    zk_g16_vk_free(&s->vk);
    free(s->h);
    free(s);
}

static char *finish(json_writer *w) {
    char *out = NULL;
    size_t len;
    return json_writer_finish(w, &out, &len) == ZK_OK ? out : NULL;
}

static void w_str(json_writer *w, const char *key, const char *v) {
    json_w_key(w, key);
    json_w_string(w, v);
}

static void w_num(json_writer *w, const char *key, const json_value *v) {
    const char *t = json_number_text(v);
    w_str(w, key, t ? t : "0");
}

EXPORT("zkpos_snapshot_summary") char *zkpos_snapshot_summary(const zkpos_snapshot *s) {
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    w_str(&w, "status", s->status);
    w_str(&w, "check", s->check);
    w_str(&w, "message", s->message);
    json_w_key(&w, "batch");
    json_w_i64(&w, s->batch);
    json_w_key(&w, "batches");
    json_w_u64(&w, s->proofs && s->proofs->type == JSON_ARRAY ? json_len(s->proofs) : 0);
    json_w_key(&w, "assets");
    json_w_u64(&w, s->assets);
    const char *root = s->rootj ? json_as_string(json_get(s->rootj, "root"), NULL) : NULL;
    w_str(&w, "root", root ? root : "");
    w_str(&w, "lastRoot", s->last);
    json_w_key(&w, "cex");
    json_w_array_begin(&w);
    for (size_t i = 0; i < ZK_V1_ASSET_COUNT; i++) {
        const json_value *a = s->cex_by_index[i];
        if (!a) continue;
        json_w_object_begin(&w);
        json_w_key(&w, "index");
        json_w_u64(&w, i);
        const char *sym = json_as_string(json_get(a, "Symbol"), NULL);
        w_str(&w, "symbol", sym ? sym : "");
        w_num(&w, "equity", json_get(a, "TotalEquity"));
        w_num(&w, "debt", json_get(a, "TotalDebt"));
        w_num(&w, "price", json_get(a, "BasePrice"));
        json_w_object_end(&w);
    }
    json_w_array_end(&w);
    json_w_object_end(&w);
    return finish(&w);
}

EXPORT("zkpos_snapshot_verify_batch") char *zkpos_snapshot_verify_batch(const zkpos_snapshot *s, size_t i) {
    const char *status = "verified", *msg = "";
    char why[160];
    size_t pl = 0;
    const char *ptxt = NULL;
    zk_g16_proof proof;
    fr_t pub;
    zk_err e;
    if (!s->pvk_ok || !s->n) {
        status = "invalid", msg = "not checked: the published files did not parse";
    } else if (i >= s->n) {
        status = "invalid", msg = "no such batch";
    } else if (!(ptxt = json_as_string(json_get(json_at(s->proofs, i), "proof"), &pl)) ||
               zk_g16_proof_from_json(&proof, ptxt, pl) != ZK_OK) {
        status = "invalid", msg = "the proof is malformed";
    } else if ((e = zk_batch_commitment(&pub, &s->h[i].before_root, &s->h[i].after_root, &s->h[i].before_cex,
                                        &s->h[i].after_cex)) != ZK_OK) {
        status = "invalid", msg = zk_strerror(e);
    } else if ((e = zk_g16_verify(&s->pvk, &proof, &pub, 1)) != ZK_OK) {
        snprintf(why, sizeof why, "Groth16 proof does not verify (%s)", zk_strerror(e));
        status = "failed", msg = why;
    }
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "batch");
    json_w_u64(&w, i);
    w_str(&w, "status", status);
    w_str(&w, "message", msg);
    json_w_object_end(&w);
    return finish(&w);
}
