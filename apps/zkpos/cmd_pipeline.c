/* zkpos witness / prove / publish / verify: the exchange's pipeline over the
 * store (src/store), Binance v1 statement (spec §6, §8.1).
 *
 * Design. The store is the only shared state, so every step can be killed
 * and restarted: witness records its configuration with put_once (a restart
 * with other settings is refused), re-puts the highest stored batch (put is
 * idempotent and proves the regenerated batch identical) and continues from
 * there with zk_batcher_seek; the "witness_complete" meta key is written
 * last, after the CEX totals and the final root. Provers are independent
 * processes that claim batches under leases; a proof is verified before it
 * is stored, so whatever complete() accepts first is good. Proof bytes in
 * the store are the snarkjs proof JSON text. publish writes only public
 * data; verify re-derives everything it checks from those files (it trusts
 * nothing but the published verifying key and values).
 *
 * Meta keys: "config" ("users=B assets=A digest=HEX"), "cex_assets" (§8.1
 * JSON list), "final_root" (64 hex), "batches" and "accounts" (decimal),
 * "witness_complete"; "userproofs_complete" (written by zkpos userproof).
 * Flags are parsed by pipe_cli (shared with db, userproof, run; --config). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch_cli.h"
#include "cli.h"
#include "pipe_cli.h"
#include "groth16/groth16.h"
#include "json/json.h"
#include "r1cs/r1cs.h"
#include "solv_cli.h"
#include "solvency/solvency.h"
#include "store/store.h"
#include "util/util.h"

/* ---------------- small helpers ---------------- */

static void fr_hex(char out[65], const fr_t *a) {
    uint8_t be[32];
    fr_to_bytes_be(be, a);
    zk_hex_encode(out, be, 32);
}

static zk_err hex_fr(fr_t *out, const char *s, size_t len) {
    uint8_t be[32];
    zk_err e = zk_hex_decode(be, 32, s, len);
    return e != ZK_OK ? e : fr_from_bytes_be(out, be);
}

static int load_vk(zk_g16_vk *vk, const char *cmd, const char *path) {
    zk_g16_msg msg = {{0}};
    zk_err e;
    size_t kl = strlen(path);
    if (kl > 5 && !strcmp(path + kl - 5, ".json")) {
        char *text = NULL;
        size_t len = 0;
        if ((e = zk_g16_read_file(&text, &len, path)) == ZK_OK) e = zk_g16_vk_from_json(vk, text, len);
        free(text);
    } else
        e = zk_g16_vk_load(vk, path, &msg);
    if (e == ZK_OK) return 0;
    fprintf(stderr, "zkpos %s: cannot load the verifying key %s: %s%s%s\n", cmd, path, zk_strerror(e),
            msg.text[0] ? ": " : "", msg.text);
    return 1;
}

/* ---------------- witness ---------------- */

static void witness_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos witness --input DIR --db URL --users B --assets A [--threads N]\n\n"
            "Reads the balance sheet of DIR and stores one batch witness per batch of B\n"
            "users in the store. The run configuration is recorded on first use; a restart\n"
            "with other settings or another sheet is refused. A restarted run resumes after\n"
            "the batches already stored (none lost, none duplicated). When all batches are\n"
            "stored it records the CEX assets (published totals and prices), the final\n"
            "account tree root and the 'witness complete' marker.\n\n"
            "  --input DIR   directory with the balance-sheet CSV files\n"
            "  --db URL      store: SQLite file path or postgres:// URI\n"
            "  --users B     users per batch, 1 .. 268435456\n"
            "  --assets A    asset table entries (at least the sheet's assets), 1 .. 350\n"
            "  --threads N   worker threads (default: all CPUs)\n"
            "  --config FILE settings as 'name = value' lines (e.g. 'db = store.db'); flags win\n");
}

/* The §8.1 CexAssetsInfo list: one entry per asset of the sheet. */
static zk_err cex_json(char **out, size_t *len, const zk_sheet *s, const zk_cex_entry *cex) {
    json_writer w;
    json_writer_init(&w);
    json_w_array_begin(&w);
    for (size_t i = 0; i < s->n_assets; i++) {
        json_w_object_begin(&w);
        json_w_key(&w, "TotalEquity");
        json_w_u64(&w, cex[i].equity);
        json_w_key(&w, "TotalDebt");
        json_w_u64(&w, cex[i].debt);
        json_w_key(&w, "BasePrice");
        json_w_u64(&w, cex[i].price);
        json_w_key(&w, "Symbol");
        json_w_string(&w, s->symbols[i]);
        json_w_key(&w, "Index");
        json_w_u64(&w, i);
        json_w_object_end(&w);
    }
    json_w_array_end(&w);
    zk_err e = json_writer_finish(&w, out, len);
    json_writer_free(&w);
    return e;
}

int cmd_witness(int argc, char **argv) {
    const char *C = "witness";
    unsigned users = 0, assets = 0, threads = 0;
    const char *input = NULL, *db = NULL;
    pipe_opt o[] = {PIPE_STR("--input", &input),
                    PIPE_STR("--db", &db),
                    PIPE_NUM("--users", &users, 1, 1ul << 28),
                    PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT),
                    PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = pipe_parse(C, argc, argv, o, 5, NULL, 0, witness_usage);
    if (rc) return rc < 0 ? 0 : rc;
    for (int k = 0; k < 4; k++)
        if ((rc = pipe_require(C, &o[k], witness_usage))) return rc;
    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) {
        fprintf(stderr, "zkpos %s: cannot start threads\n", C);
        return 1;
    }
    zk_sheet *s = NULL;
    zk_sheet_stats sst;
    memset(&sst, 0, sizeof sst);
    zk_batcher *b = NULL;
    zk_store *st = NULL;
    char *json = NULL;
    rc = solv_cli_load(&s, &sst, input, 0, pool);
    if (rc == 0 && s->n_assets > assets) {
        fprintf(stderr, "zkpos %s: the sheet has %zu assets, more than --assets %u\n", C, s->n_assets, assets);
        rc = 2;
    }
    if (rc == 0) rc = pipe_open_store(&st, C, db);
    if (rc == 0) {
        char cfg[128];
        int n = snprintf(cfg, sizeof cfg, "users=%u assets=%u digest=%016" PRIx64, users, assets,
                         zk_sheet_digest(s));
        zk_store_result r;
        zk_err e = zk_store_meta_put_once(st, &r, "config", cfg, (size_t)n);
        if (e == ZK_ERR_FORMAT) {
            int ign = 0;
            char *old = pipe_meta_get(st, "config", NULL, &ign);
            fprintf(stderr,
                    "zkpos %s: refused: this store holds a run with other settings (%s); this run is (%s). "
                    "Use the same --users, --assets and input, or a new store\n",
                    C, old ? old : "?", cfg);
            free(old);
            rc = 1;
        } else if (e != ZK_OK)
            rc = pipe_store_fail(st, C, "recording the configuration failed");
    }
    if (rc == 0) {
        zk_err e = zk_batcher_new(&b, s, users, assets, pool);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos %s: cannot batch the sheet: %s\n", C, zk_strerror(e));
            rc = 1;
        }
    }
    uint64_t start = 0, n = 0, stored = 0, same = 0;
    if (rc == 0) {
        n = zk_batcher_batches(b);
        zk_store_result r;
        uint64_t max = 0;
        if (zk_store_max_batch(st, &r, &max) != ZK_OK)
            rc = pipe_store_fail(st, C, "reading the highest stored batch failed");
        else if (r == ZK_STORE_DONE) {
            if (max >= n) {
                fprintf(stderr, "zkpos %s: the store holds batch %" PRIu64 " but the sheet has only %" PRIu64
                                " batches\n", C, max, n);
                rc = 1;
            } else {
                start = max; /* re-put it: checks that the regenerated batch is identical */
                zk_err e = zk_batcher_seek(b, start);
                if (e != ZK_OK) {
                    fprintf(stderr, "zkpos %s: cannot resume at batch %" PRIu64 ": %s\n", C, start, zk_strerror(e));
                    rc = 1;
                }
            }
        }
    }
    if (rc == 0 && start) fprintf(stderr, "zkpos %s: resuming at batch %" PRIu64 " of %" PRIu64 "\n", C, start, n);
    for (uint64_t i = start; rc == 0 && i < n; i++) {
        zk_batch_witness *w = NULL;
        uint8_t *blob = NULL;
        size_t len = 0;
        zk_store_result r;
        zk_err e = zk_batcher_next(b, &w);
        if (e == ZK_OK) e = zk_batch_witness_encode(&blob, &len, w);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos %s: batch %" PRIu64 ": %s\n", C, i, zk_strerror(e));
            rc = 1;
        } else if ((e = zk_store_put_batch(st, &r, i, blob, len)) != ZK_OK) {
            fprintf(stderr, "zkpos %s: storing batch %" PRIu64 " failed: %s\n", C, i, zk_store_errmsg(st));
            rc = 1;
        } else if (r == ZK_STORE_UNCHANGED)
            same++;
        else
            stored++;
        free(blob);
        zk_batch_witness_free(w);
    }
    char root_hex[65] = "";
    if (rc == 0) {
        fr_t root;
        zk_batcher_root(&root, b);
        fr_hex(root_hex, &root);
        size_t jlen = 0;
        char nb[32], na[32];
        int nl = snprintf(nb, sizeof nb, "%" PRIu64, n);
        int nal = snprintf(na, sizeof na, "%zu", s->n_accounts);
        if (cex_json(&json, &jlen, s, zk_batcher_cex(b)) != ZK_OK) {
            fprintf(stderr, "zkpos %s: out of memory\n", C);
            rc = 1;
        } else if (zk_store_meta_set(st, "cex_assets", json, jlen) != ZK_OK ||
                   zk_store_meta_set(st, "final_root", root_hex, 64) != ZK_OK ||
                   zk_store_meta_set(st, "batches", nb, (size_t)nl) != ZK_OK ||
                   zk_store_meta_set(st, "accounts", na, (size_t)nal) != ZK_OK ||
                   zk_store_meta_set(st, "witness_complete", "1", 1) != ZK_OK)
            rc = pipe_store_fail(st, C, "recording the results failed");
    }
    if (rc == 0) {
        printf("accounts %zu\nbatches %" PRIu64 "\nstored %" PRIu64 "\nalready-stored %" PRIu64 "\nroot %s\n",
               s->n_accounts, n, stored, same, root_hex);
        if (fflush(stdout)) rc = 1;
    }
    free(json);
    zk_store_close(st);
    zk_batcher_free(b);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- prove ---------------- */

static void prove_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos prove --db URL --pk FILE [--worker-id ID] [--lease S] [--threads N]\n\n"
            "Prover worker: claims batches from the store under a lease, proves each with\n"
            "the proving key (from 'zkpos keygen' with the run's B and A), verifies the\n"
            "proof and stores it. Runs until every batch is proven and the witness step is\n"
            "complete (exit 0). Any number of workers may run at once, on one store. The\n"
            "lease is renewed after synthesis and before storing; choose S longer than one\n"
            "batch's proving time (a batch whose lease ran out is proven again by another\n"
            "worker; the first proof stored wins, so nothing is duplicated).\n\n"
            "  --db URL         store: SQLite file path or postgres:// URI\n"
            "  --pk FILE        proving key (PREFIX.pk)\n"
            "  --worker-id ID   worker name (default: host-pid-random)\n"
            "  --lease S        lease in seconds, 1 .. 2592000 (default 600)\n"
            "  --threads N      worker threads (default: all CPUs)\n"
            "  --config FILE    settings as 'name = value' lines; flags win\n");
}

/* One claimed batch: 0 proven (or already), 1 failure (released). */
static int prove_one(zk_store *st, zk_pool *pool, const zk_g16_pk *pk, const zk_g16_pvk *pvk, uint64_t batch,
                     const char *worker, double lease, double *secs) {
    const char *C = "prove";
    uint8_t *blob = NULL;
    size_t len = 0;
    zk_batch_witness *w = NULL;
    zk_cs *cs = NULL;
    char *pj = NULL;
    char why[400] = "";
    zk_store_result r;
    zk_err e;
    double t0 = zk_now();
    if (zk_store_get_batch(st, &r, NULL, &blob, &len, batch) != ZK_OK || r != ZK_STORE_DONE) {
        snprintf(why, sizeof why, "cannot read the witness: %s", zk_store_errmsg(st));
        goto fail;
    }
    if ((e = zk_batch_witness_decode(&w, blob, len)) != ZK_OK) {
        snprintf(why, sizeof why, "stored witness does not decode: %s", zk_strerror(e));
        goto fail;
    }
    if (batch_cli_synthesize(&cs, why, sizeof why, pk, w)) goto fail;
    if (zk_store_renew_lease(st, &r, batch, worker, lease) != ZK_OK) {
        snprintf(why, sizeof why, "renewing the lease failed: %s", zk_store_errmsg(st));
        goto fail;
    }
    if (r == ZK_STORE_LEASE_LOST) /* someone else has it now; not an error */
        fprintf(stderr, "zkpos %s: %s lost the lease of batch %" PRIu64 "; proving anyway\n", C, worker, batch);
    const fr_t *va, *vb, *vc;
    zk_cs_abc(cs, &va, &vb, &vc);
    const fr_t *wit = zk_cs_witness(cs);
    zk_g16_proof proof;
    if ((e = zk_g16_prove(pool, &proof, pk, wit, zk_cs_nvars(cs), va, vb)) != ZK_OK) {
        snprintf(why, sizeof why, "proving failed: %s", zk_strerror(e));
        goto fail;
    }
    if ((e = zk_g16_verify(pvk, &proof, wit + 1, pk->npublic)) != ZK_OK) {
        snprintf(why, sizeof why, "the new proof does not verify: %s", zk_strerror(e));
        goto fail;
    }
    if ((e = zk_g16_proof_to_json(&pj, &proof)) != ZK_OK) {
        snprintf(why, sizeof why, "encoding the proof failed: %s", zk_strerror(e));
        goto fail;
    }
    zk_store_proof p;
    memset(&p, 0, sizeof p);
    p.batch_number = batch;
    fr_to_bytes_be(p.before_root, &w->before_root);
    fr_to_bytes_be(p.after_root, &w->after_root);
    fr_to_bytes_be(p.before_cex, &w->before_cex);
    fr_to_bytes_be(p.after_cex, &w->after_cex);
    fr_to_bytes_be(p.commitment, &w->commitment);
    p.proof = (uint8_t *)pj;
    p.proof_len = strlen(pj);
    if (zk_store_complete(st, &r, &p, worker) != ZK_OK) {
        snprintf(why, sizeof why, "storing the proof failed: %s", zk_store_errmsg(st));
        goto fail;
    }
    *secs = zk_now() - t0;
    fprintf(stderr, "zkpos %s: %s batch %" PRIu64 " %s in %.2f s\n", C, worker, batch,
            r == ZK_STORE_ALREADY_PROVEN ? "was already proven (ours dropped)" : "proven", *secs);
    free(pj);
    zk_cs_free(cs);
    zk_batch_witness_free(w);
    free(blob);
    return 0;
fail:
    fprintf(stderr, "zkpos %s: %s batch %" PRIu64 ": %s\n", C, worker, batch, why);
    if (zk_store_release(st, &r, batch, worker, why) != ZK_OK)
        fprintf(stderr, "zkpos %s: releasing batch %" PRIu64 " failed: %s\n", C, batch, zk_store_errmsg(st));
    free(pj);
    zk_cs_free(cs);
    zk_batch_witness_free(w);
    free(blob);
    return 1;
}

int cmd_prove(int argc, char **argv) {
    const char *C = "prove";
    unsigned lease = 600, threads = 0;
    const char *db = NULL, *pk_path = NULL, *wid = NULL;
    pipe_opt o[] = {PIPE_STR("--db", &db),
                    PIPE_STR("--pk", &pk_path),
                    PIPE_STR("--worker-id", &wid),
                    PIPE_NUM("--lease", &lease, 1, 30u * 86400u),
                    PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = pipe_parse(C, argc, argv, o, 5, NULL, 0, prove_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = pipe_require(C, &o[0], prove_usage)) || (rc = pipe_require(C, &o[1], prove_usage))) return rc;
    char worker[ZK_STORE_WORKER_MAX + 1];
    if (wid) {
        size_t l = strlen(wid);
        int ok = l >= 1 && l <= ZK_STORE_WORKER_MAX;
        for (size_t i = 0; ok && i < l; i++) ok = wid[i] > ' ' && wid[i] < 127;
        if (!ok) {
            fprintf(stderr, "zkpos %s: bad value '%s' for --worker-id (1 .. %d printable characters, no space)\n", C,
                    wid, ZK_STORE_WORKER_MAX);
            return 2;
        }
        memcpy(worker, wid, l + 1);
    } else if (zk_store_worker_id(worker) != ZK_OK) {
        fprintf(stderr, "zkpos %s: cannot make a worker id\n", C);
        return 1;
    }
    zk_pool *pool = zk_pool_new((int)threads);
    zk_store *st = NULL;
    zk_g16_pk pk;
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    memset(&pk, 0, sizeof pk);
    memset(&vk, 0, sizeof vk);
    memset(&pvk, 0, sizeof pvk);
    zk_g16_msg msg = {{0}};
    zk_err e;
    rc = 1;
    if (!pool) {
        fprintf(stderr, "zkpos %s: cannot start threads\n", C);
        goto done;
    }
    if ((e = zk_g16_pk_load(pool, &pk, pk_path, &msg)) != ZK_OK) {
        fprintf(stderr, "zkpos %s: cannot load the proving key %s: %s%s%s\n", C, pk_path, zk_strerror(e),
                msg.text[0] ? ": " : "", msg.text);
        goto done;
    }
    if ((e = zk_g16_vk_from_pk(&vk, &pk)) != ZK_OK || (e = zk_g16_pvk_prepare(&pvk, &vk)) != ZK_OK) {
        fprintf(stderr, "zkpos %s: bad proving key: %s\n", C, zk_strerror(e));
        goto done;
    }
    if (pipe_open_store(&st, C, db)) goto done;
    uint64_t proven = 0, waiting = 0;
    double busy = 0;
    for (;;) {
        zk_store_result r;
        uint64_t batch = 0;
        if (zk_store_claim_next(st, &r, &batch, worker, lease) != ZK_OK) {
            pipe_store_fail(st, C, "claiming a batch failed");
            goto done;
        }
        if (r == ZK_STORE_DONE) {
            double secs = 0;
            if (prove_one(st, pool, &pk, &pvk, batch, worker, lease, &secs)) {
                /* a batch that cannot be proven would loop forever: stop */
                goto done;
            }
            proven++;
            busy += secs;
            continue;
        }
        if (r == ZK_STORE_NONE_LEFT) {
            int err = 0;
            char *v = pipe_meta_get(st, "witness_complete", NULL, &err);
            free(v);
            if (err) {
                pipe_store_fail(st, C, "reading the witness marker failed");
                goto done;
            }
            if (v) break;
            if (!waiting++) fprintf(stderr, "zkpos %s: %s waits for the witness step to store more batches\n", C, worker);
        }
        usleep(r == ZK_STORE_WAIT && lease < 2 ? 200000 : 500000); /* WAIT, or witness still running */
    }
    printf("worker %s\nproven %" PRIu64 "\nprove-s %.3f\n", worker, proven, busy);
    rc = fflush(stdout) ? 1 : 0;
done:
    zk_store_close(st);
    zk_g16_pvk_free(&pvk);
    zk_g16_vk_free(&vk);
    zk_g16_pk_free(&pk);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- publish ---------------- */

static void publish_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos publish --db URL --vk FILE --out DIR [--web DIR]\n\n"
            "Writes what an auditor needs, and nothing private, to DIR (created if missing):\n"
            "  cex_assets_info.json   published CEX totals and prices (spec §8.1 list)\n"
            "  verification_key.json  the verifying key (snarkjs layout)\n"
            "  proofs.csv             batch_number, proof_info, cex_asset_list_commitments,\n"
            "                         account_tree_roots, batch_commitment (base64 values)\n"
            "  proofs.json            the same per batch, hex values and the snarkjs proof\n"
            "  root.json              {\"root\": \"<64 hex>\"}, the final account tree root\n"
            "  published/root.json    the same with the asset count and list, for the web page\n"
            "  config.json            users per batch, asset table size, batch count\n"
            "Refused until every batch is proven. The web page (--web DIR, default ./web\n"
            "if present) is copied into DIR so that DIR is a self-contained site.\n\n"
            "  --db URL    store: SQLite file path or postgres:// URI\n"
            "  --vk FILE   verifying key (PREFIX.vk or PREFIX.vk.json)\n"
            "  --out DIR   output directory\n"
            "  --web DIR   web page directory to copy\n"
            "  --config FILE  settings as 'name = value' lines; flags win\n");
}

typedef struct {
    FILE *csv;
    json_writer *jw;
    uint64_t next;
    int gap;
} publish_ctx;

static void b64_32(char out[45], const uint8_t v[32]) { zk_base64_encode(out, v, 32); }

static zk_err publish_one(void *vctx, const zk_store_proof *p) {
    publish_ctx *c = vctx;
    if (p->batch_number != c->next) {
        c->gap = 1;
        return ZK_ERR_FORMAT;
    }
    c->next++;
    char br[45], ar[45], bc[45], ac[45], cm[45];
    b64_32(br, p->before_root), b64_32(ar, p->after_root), b64_32(bc, p->before_cex), b64_32(ac, p->after_cex);
    b64_32(cm, p->commitment);
    char *pb = malloc(4 * (p->proof_len / 3 + 1) + 1);
    if (!pb) return ZK_ERR_NOMEM;
    zk_base64_encode(pb, p->proof, p->proof_len);
    fprintf(c->csv, "%" PRIu64 ",%s,\"[\"\"%s\"\",\"\"%s\"\"]\",\"[\"\"%s\"\",\"\"%s\"\"]\",%s\n", p->batch_number, pb,
            bc, ac, br, ar, cm);
    free(pb);
    char hex[65];
    json_writer *w = c->jw;
    json_w_object_begin(w);
    json_w_key(w, "batch_number");
    json_w_u64(w, p->batch_number);
    const char *names[5] = {"before_root", "after_root", "before_cex", "after_cex", "batch_commitment"};
    const uint8_t *vals[5] = {p->before_root, p->after_root, p->before_cex, p->after_cex, p->commitment};
    for (int i = 0; i < 5; i++) {
        zk_hex_encode(hex, vals[i], 32);
        json_w_key(w, names[i]);
        json_w_string(w, hex);
    }
    json_w_key(w, "proof");
    json_w_string_n(w, (const char *)p->proof, p->proof_len);
    json_w_object_end(w);
    return ZK_OK;
}

static int write_str(const char *C, const char *dir, const char *name, const char *text, size_t len) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) return 1;
    snprintf(path, n, "%s/%s", dir, name);
    zk_err e = zk_g16_write_file(path, text, len);
    if (e != ZK_OK) fprintf(stderr, "zkpos %s: cannot write %s: %s\n", C, path, zk_strerror(e));
    free(path);
    return e != ZK_OK;
}

static int copy_web(const char *C, const char *web, const char *out) {
    size_t n = strlen(web) + 3;
    char *src = malloc(n);
    if (!src) return 1;
    snprintf(src, n, "%s/.", web);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("cp", "cp", "-R", src, out, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    int ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    free(src);
    if (!ok) fprintf(stderr, "zkpos %s: copying the web page %s into %s failed\n", C, web, out);
    return !ok;
}

int cmd_publish(int argc, char **argv) {
    const char *C = "publish";
    const char *db = NULL, *vk_path = NULL, *out = NULL, *web = NULL;
    pipe_opt o[] = {PIPE_STR("--db", &db),
                    PIPE_STR("--vk", &vk_path),
                    PIPE_STR("--out", &out),
                    PIPE_STR("--web", &web)};
    int rc = pipe_parse(C, argc, argv, o, 4, NULL, 0, publish_usage);
    if (rc) return rc < 0 ? 0 : rc;
    for (int k = 0; k < 3; k++)
        if ((rc = pipe_require(C, &o[k], publish_usage))) return rc;
    struct stat sb;
    if (web && (stat(web, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        fprintf(stderr, "zkpos %s: bad value '%s' for --web (not a directory)\n", C, web);
        return 2;
    }
    if (!web && stat("web/index.html", &sb) == 0) web = "web";
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "zkpos %s: cannot create %s: %s\n", C, out, strerror(errno));
        return 1;
    }
    zk_store *st = NULL;
    zk_g16_vk vk;
    memset(&vk, 0, sizeof vk);
    char *cex = NULL, *root = NULL, *cfg = NULL, *done = NULL, *vkj = NULL, *pj = NULL, *csvbuf = NULL;
    size_t cex_len = 0, root_len = 0, csvlen = 0;
    json_writer jw;
    json_writer_init(&jw);
    FILE *csv = NULL;
    int err = 0;
    rc = 1;
    if (load_vk(&vk, C, vk_path) || pipe_open_store(&st, C, db)) goto out;
    done = pipe_meta_get(st, "witness_complete", NULL, &err);
    cfg = pipe_meta_get(st, "config", NULL, &err);
    cex = pipe_meta_get(st, "cex_assets", &cex_len, &err);
    root = pipe_meta_get(st, "final_root", &root_len, &err);
    if (err) {
        pipe_store_fail(st, C, "reading the run's values failed");
        goto out;
    }
    if (!done || !cfg || !cex || !root) {
        fprintf(stderr, "zkpos %s: the witness step has not completed on this store (run 'zkpos witness')\n", C);
        goto out;
    }
    zk_store_counts cnt;
    if (zk_store_counts_get(st, &cnt) != ZK_OK) {
        pipe_store_fail(st, C, "reading the counts failed");
        goto out;
    }
    if (cnt.proven != cnt.batches || cnt.batches == 0) {
        fprintf(stderr, "zkpos %s: %" PRIu64 " of %" PRIu64 " batches are proven; run 'zkpos prove' until all are\n",
                C, cnt.proven, cnt.batches);
        goto out;
    }
    unsigned users = 0, assets = 0;
    if (sscanf(cfg, "users=%u assets=%u", &users, &assets) != 2) {
        fprintf(stderr, "zkpos %s: the stored configuration is malformed: %s\n", C, cfg);
        goto out;
    }
    if (!(csv = open_memstream(&csvbuf, &csvlen))) goto out;
    fprintf(csv, "batch_number,proof_info,cex_asset_list_commitments,account_tree_roots,batch_commitment\n");
    publish_ctx pc = {csv, &jw, 0, 0};
    json_w_array_begin(&jw);
    zk_err e = zk_store_each_proof(st, 0, publish_one, &pc);
    json_w_array_end(&jw);
    if (pc.gap) {
        fprintf(stderr, "zkpos %s: the proof of batch %" PRIu64 " is missing from the store\n", C, pc.next);
        goto out;
    }
    if (e != ZK_OK) {
        pipe_store_fail(st, C, "reading the proofs failed");
        goto out;
    }
    if (fclose(csv)) {
        csv = NULL;
        goto out;
    }
    csv = NULL;
    size_t pjl = 0, vkl;
    if (json_writer_finish(&jw, &pj, &pjl) != ZK_OK || zk_g16_vk_to_json(&vkj, &vk) != ZK_OK) {
        fprintf(stderr, "zkpos %s: out of memory\n", C);
        goto out;
    }
    vkl = strlen(vkj);
    char rj[96], cj[128];
    int rl = snprintf(rj, sizeof rj, "{\"root\": \"%s\"}\n", root);
    int cl = snprintf(cj, sizeof cj, "{\"users\": %u, \"assets\": %u, \"batches\": %" PRIu64 "}\n", users, assets,
                      pc.next);
    if (write_str(C, out, "cex_assets_info.json", cex, cex_len) ||
        write_str(C, out, "verification_key.json", vkj, vkl) || write_str(C, out, "proofs.csv", csvbuf, csvlen) ||
        write_str(C, out, "proofs.json", pj, pjl) || write_str(C, out, "root.json", rj, (size_t)rl) ||
        write_str(C, out, "config.json", cj, (size_t)cl))
        goto out;
    if (web && copy_web(C, web, out)) goto out;
    /* the web page reads published/root.json next to itself (web/js/app.js),
     * with the asset table size (leaves commit to A entries) and the asset
     * list for symbol names */
    {
        size_t sl = strlen(out) + 16;
        char *sub = malloc(sl), *site = NULL;
        if (!sub) goto out;
        snprintf(sub, sl, "%s/published", out);
        int mk = mkdir(sub, 0777) == 0 || errno == EEXIST;
        size_t sitel = strlen(root) + cex_len + 64;
        if (mk && (site = malloc(sitel))) {
            int n = snprintf(site, sitel, "{\"root\": \"%s\", \"assetCount\": %u, \"assets\": %.*s}\n", root,
                             assets, (int)cex_len, cex);
            mk = !write_str(C, sub, "root.json", site, (size_t)n);
        } else
            fprintf(stderr, "zkpos %s: cannot create %s\n", C, sub);
        free(site);
        free(sub);
        if (!mk) goto out;
    }
    printf("batches %" PRIu64 "\nroot %s\nout %s\n", pc.next, root, out);
    rc = fflush(stdout) ? 1 : 0;
out:
    if (csv) fclose(csv);
    free(csvbuf), free(pj), free(vkj), free(cex), free(root), free(cfg), free(done);
    json_writer_free(&jw);
    zk_g16_vk_free(&vk);
    zk_store_close(st);
    return rc;
}

/* ---------------- verify ---------------- */

static void verify_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos verify DIR\n\n"
            "The auditor's check of a directory written by 'zkpos publish': every batch\n"
            "proof verifies with the published key, its public input being the batch\n"
            "commitment recomputed from the published roots and CEX commitments; the roots\n"
            "chain from the empty tree to the published root; the CEX commitments chain\n"
            "from the published prices with zero totals to the commitment of the published\n"
            "totals. Exit 0 only if everything passes; otherwise a message naming the\n"
            "batch and the check, and exit 1.\n");
}

static char *read_in(const char *C, const char *dir, const char *name, size_t *len) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n), *text = NULL;
    if (!path) return NULL;
    snprintf(path, n, "%s/%s", dir, name);
    zk_err e = zk_g16_read_file(&text, len, path);
    if (e != ZK_OK) fprintf(stderr, "zkpos %s: cannot read %s: %s\n", C, path, zk_strerror(e));
    free(path);
    return e == ZK_OK ? text : NULL;
}

static json_value *parse_in(const char *C, const char *dir, const char *name) {
    size_t len = 0;
    char *text = read_in(C, dir, name, &len);
    if (!text) return NULL;
    json_value *v = NULL;
    json_error je;
    memset(&je, 0, sizeof je);
    if (json_parse(&v, text, len, &je) != ZK_OK) {
        fprintf(stderr, "zkpos %s: %s is not valid JSON\n", C, name);
        v = NULL;
    }
    free(text);
    return v;
}

static int hex_field(fr_t *out, const json_value *obj, const char *key) {
    size_t l = 0;
    const char *s = json_as_string(json_get(obj, key), &l);
    return s && hex_fr(out, s, l) == ZK_OK ? 0 : -1;
}

int cmd_verify(int argc, char **argv) {
    const char *C = "verify";
    const char *dir = NULL;
    int rc = pipe_parse(C, argc, argv, NULL, 0, &dir, 1, verify_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if (!dir) {
        fprintf(stderr, "zkpos %s: the published directory DIR is required\n", C);
        verify_usage(stderr);
        return 2;
    }
    json_value *cfg = NULL, *cexj = NULL, *proofs = NULL, *rootj = NULL;
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    memset(&vk, 0, sizeof vk);
    memset(&pvk, 0, sizeof pvk);
    zk_batch_header *h = NULL;
    zk_cex_entry cex[ZK_V1_ASSET_COUNT];
    memset(cex, 0, sizeof cex);
    char *vkt = NULL;
    size_t vkl = 0, n = 0;
    uint64_t assets = 0;
    zk_err e;
    rc = 1;
    if (!(cfg = parse_in(C, dir, "config.json")) || !(cexj = parse_in(C, dir, "cex_assets_info.json")) ||
        !(proofs = parse_in(C, dir, "proofs.json")) || !(rootj = parse_in(C, dir, "root.json")) ||
        !(vkt = read_in(C, dir, "verification_key.json", &vkl)))
        goto out;
    if ((e = zk_g16_vk_from_json(&vk, vkt, vkl)) != ZK_OK || vk.npublic != 1 ||
        (e = zk_g16_pvk_prepare(&pvk, &vk)) != ZK_OK) {
        fprintf(stderr, "zkpos %s: verification_key.json is not a valid one-input Groth16 key\n", C);
        goto out;
    }
    if (json_as_u64(&assets, json_get(cfg, "assets")) != ZK_OK || assets < 1 || assets > ZK_V1_ASSET_COUNT) {
        fprintf(stderr, "zkpos %s: config.json: bad or missing \"assets\"\n", C);
        goto out;
    }
    /* CEX assets: placed by Index (0 .. len-1), TotalEquity >= TotalDebt (§8.1) */
    size_t na = json_len(cexj);
    if (cexj->type != JSON_ARRAY || na > assets) {
        fprintf(stderr, "zkpos %s: cex_assets_info.json: expected a list of at most %" PRIu64 " assets\n", C, assets);
        goto out;
    }
    unsigned char seen[ZK_V1_ASSET_COUNT] = {0};
    for (size_t i = 0; i < na; i++) {
        const json_value *a = json_at(cexj, i);
        uint64_t idx = 0, eq = 0, debt = 0, price = 0;
        if (json_as_u64(&idx, json_get(a, "Index")) != ZK_OK || idx >= na || seen[idx] ||
            json_as_u64(&eq, json_get(a, "TotalEquity")) != ZK_OK ||
            json_as_u64(&debt, json_get(a, "TotalDebt")) != ZK_OK ||
            json_as_u64(&price, json_get(a, "BasePrice")) != ZK_OK) {
            fprintf(stderr, "zkpos %s: cex_assets_info.json: entry %zu is malformed or its Index is bad\n", C, i);
            goto out;
        }
        if (eq < debt) {
            fprintf(stderr, "zkpos %s: cex_assets_info.json: asset %" PRIu64 " has TotalEquity < TotalDebt\n", C, idx);
            goto out;
        }
        seen[idx] = 1;
        cex[idx].equity = eq, cex[idx].debt = debt, cex[idx].price = price;
    }
    n = json_len(proofs);
    if (proofs->type != JSON_ARRAY || n == 0) {
        fprintf(stderr, "zkpos %s: proofs.json: expected a non-empty list of batch proofs\n", C);
        goto out;
    }
    uint64_t nb = 0;
    if (json_as_u64(&nb, json_get(cfg, "batches")) == ZK_OK && nb != n) {
        fprintf(stderr, "zkpos %s: FAILED count check: proofs.json has %zu batches, config.json says %" PRIu64
                        " (a batch is missing)\n",
                C, n, nb);
        goto out;
    }
    if (!(h = calloc(n, sizeof *h))) goto out;
    for (size_t i = 0; i < n; i++) {
        const json_value *p = json_at(proofs, i);
        uint64_t num = 0;
        if (json_as_u64(&num, json_get(p, "batch_number")) != ZK_OK) {
            fprintf(stderr, "zkpos %s: proofs.json entry %zu: bad batch_number\n", C, i);
            goto out;
        }
        if (num != i) {
            fprintf(stderr, "zkpos %s: FAILED batch %zu: order check: proofs.json lists batch %" PRIu64
                            " in its place (batches missing or out of order)\n", C, i, num);
            goto out;
        }
        if (hex_field(&h[i].before_root, p, "before_root") || hex_field(&h[i].after_root, p, "after_root") ||
            hex_field(&h[i].before_cex, p, "before_cex") || hex_field(&h[i].after_cex, p, "after_cex") ||
            hex_field(&h[i].commitment, p, "batch_commitment")) {
            fprintf(stderr, "zkpos %s: batch %zu: a root or commitment is not 64 hex digits of a field element\n", C, i);
            goto out;
        }
    }
    /* chain and commitments first: they say precisely what is wrong */
    size_t bad = 0;
    const char *why = NULL;
    e = zk_batch_chain_verify(&bad, &why, h, n, cex, (unsigned)assets);
    if (e != ZK_OK) {
        if (bad == n)
            fprintf(stderr, "zkpos %s: FAILED final check: %s (published CEX totals do not match the last batch)\n", C,
                    why ? why : zk_strerror(e));
        else
            fprintf(stderr, "zkpos %s: FAILED batch %zu: chain check: %s\n", C, bad, why ? why : zk_strerror(e));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const json_value *p = json_at(proofs, i);
        size_t pl = 0;
        const char *ptxt = json_as_string(json_get(p, "proof"), &pl);
        zk_g16_proof proof;
        fr_t pub;
        if (!ptxt || zk_g16_proof_from_json(&proof, ptxt, pl) != ZK_OK) {
            fprintf(stderr, "zkpos %s: FAILED batch %zu: the proof is malformed\n", C, i);
            goto out;
        }
        /* public input: the commitment recomputed from the published values */
        if ((e = zk_batch_commitment(&pub, &h[i].before_root, &h[i].after_root, &h[i].before_cex,
                                     &h[i].after_cex)) != ZK_OK)
            goto out;
        if ((e = zk_g16_verify(&pvk, &proof, &pub, 1)) != ZK_OK) {
            fprintf(stderr, "zkpos %s: FAILED batch %zu: Groth16 proof does not verify (%s)\n", C, i, zk_strerror(e));
            goto out;
        }
    }
    char last[65];
    fr_hex(last, &h[n - 1].after_root);
    size_t rl = 0;
    const char *root = json_as_string(json_get(rootj, "root"), &rl);
    if (!root || rl != 64 || strncasecmp(root, last, 64)) {
        fprintf(stderr, "zkpos %s: FAILED final check: root.json differs from the last batch's root %s\n", C, last);
        goto out;
    }
    printf("batches %zu verified\naccount tree root %s\nall checks passed\n", n, last);
    rc = fflush(stdout) ? 1 : 0;
out:
    free(h);
    free(vkt);
    json_free(cfg), json_free(cexj), json_free(proofs), json_free(rootj);
    zk_g16_pvk_free(&pvk);
    zk_g16_vk_free(&vk);
    return rc;
}
