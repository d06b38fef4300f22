/* zkpos keygen / witness-batch / prove-batch / verify-batch: Groth16 over
 * the batch circuit (spec §7), one batch at a time, without the store.
 *
 * Design. Each command is a thin sequence of library calls; what they share
 * lives here: option parsing (pipe_cli's, shared with the pipeline commands:
 * messages naming the bad flag and value, exit 2, --config FILE), and a
 * phase progress bar on stderr (redrawn in place on a
 * terminal, one line per phase otherwise, so logs stay readable). The
 * circuit's sizes (B, A) are not stored in the key: prove-batch checks the
 * witness's circuit against the key's constraint and variable counts and
 * refuses a witness that does not satisfy the circuit (the PROVE walk checks
 * every constraint) before spending time on the proof, since the prover
 * would otherwise produce a proof that merely fails verification. Witness
 * files are the library's compact encoding (zk_batch_witness_encode). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch_cli.h"
#include "cli.h"
#include "pipe_cli.h"
#include "groth16/groth16.h"
#include "r1cs/r1cs.h"
#include "solv_cli.h"
#include "solvency/solvency.h"
#include "util/util.h"

/* ---------------- shared helpers ---------------- */

/* Flags are parsed by the pipeline's parser (pipe_cli: the same messages,
 * and --config FILE). */
static int parse_opts(const char *cmd, int argc, char **argv, pipe_opt *opts, size_t n, void (*usage)(FILE *)) {
    return pipe_parse(cmd, argc, argv, opts, n, NULL, 0, usage);
}

static int require(const char *cmd, const void *have, const char *what, void (*usage)(FILE *)) {
    if (have) return 0;
    fprintf(stderr, "zkpos %s: %s is required\n", cmd, what);
    usage(stderr);
    return 2;
}

typedef struct {
    int tty;
    unsigned phases;
    double t0;
} progress;

static void progress_show(progress *p, unsigned done, const char *phase) {
    const int width = 30;
    int fill = (int)(width * done / p->phases);
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[width] = 0;
    fprintf(stderr, "%s[%s] %u/%u %-12s %7.1f s%s", p->tty ? "\r" : "", bar, done, p->phases, phase,
            zk_now() - p->t0, p->tty && done < p->phases ? "" : "\n");
    fflush(stderr);
}

static int write_text(const char *cmd, const char *path, const char *text) {
    zk_err e = zk_g16_write_file(path, text, strlen(text));
    if (e != ZK_OK) fprintf(stderr, "zkpos %s: cannot write %s: %s\n", cmd, path, zk_strerror(e));
    return e == ZK_OK ? 0 : 1;
}

/* ---------------- keygen ---------------- */

static void keygen_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos keygen --users B --assets A --out PREFIX [--threads N]\n\n"
            "Groth16 setup of the batch circuit for B users per batch and an A-entry asset\n"
            "table, from fresh OS randomness (a single-party setup: whoever runs it can\n"
            "forge proofs; production keys need a ceremony). Writes PREFIX.pk (proving key,\n"
            "zkpos format), PREFIX.vk (verifying key) and PREFIX.vk.json (snarkjs layout).\n"
            "Progress (synthesise, setup, write) goes to stderr.\n\n"
            "  --users B     users per batch, 1 .. 268435456 (Binance: 864)\n"
            "  --assets A    asset table entries, 1 .. 350 (Binance: 350)\n"
            "  --out PREFIX  output path prefix\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

int cmd_keygen(int argc, char **argv) {
    unsigned users = 0, assets = 0, threads = 0;
    int have_users = 0, have_assets = 0;
    const char *out = NULL;
    pipe_opt o[] = {PIPE_NUM("--users", &users, 1, 1ul << 28),
                     PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT),
                     PIPE_STR("--out", &out),
                     PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = parse_opts("keygen", argc, argv, o, 4, keygen_usage);
    if (rc) return rc < 0 ? 0 : rc;
    have_users = o[0].seen, have_assets = o[1].seen;
    if ((rc = require("keygen", have_users ? "" : NULL, "--users B", keygen_usage)) ||
        (rc = require("keygen", have_assets ? "" : NULL, "--assets A", keygen_usage)) ||
        (rc = require("keygen", out, "--out PREFIX", keygen_usage)))
        return rc;
    size_t plen = strlen(out) + 16;
    char *pk_path = malloc(plen), *vk_path = malloc(plen), *json_path = malloc(plen);
    zk_pool *pool = zk_pool_new((int)threads);
    zk_cs *cs = zk_cs_new(ZK_CS_SETUP);
    zk_g16_pk pk;
    zk_g16_vk vk;
    memset(&pk, 0, sizeof pk);
    memset(&vk, 0, sizeof vk);
    char *json = NULL;
    if (!pk_path || !vk_path || !json_path || !pool || !cs) {
        fprintf(stderr, "zkpos keygen: out of memory\n");
        rc = 1;
        goto done;
    }
    snprintf(pk_path, plen, "%s.pk", out);
    snprintf(vk_path, plen, "%s.vk", out);
    snprintf(json_path, plen, "%s.vk.json", out);
    progress p = {isatty(2), 3, zk_now()};
    progress_show(&p, 0, "synthesise");
    zk_err e = zk_batch_circuit_shape(cs, users, assets);
    zk_r1cs_view view;
    if (e == ZK_OK) e = zk_r1cs_view_from_cs(&view, cs);
    if (e != ZK_OK) {
        fprintf(stderr, "\nzkpos keygen: synthesising the circuit failed: %s\n", zk_strerror(e));
        rc = 1;
        goto done;
    }
    progress_show(&p, 1, "setup");
    if ((e = zk_g16_setup(pool, &pk, &view)) != ZK_OK) {
        fprintf(stderr, "\nzkpos keygen: setup failed: %s\n", zk_strerror(e));
        rc = 1;
        goto done;
    }
    progress_show(&p, 2, "write");
    if ((e = zk_g16_vk_from_pk(&vk, &pk)) != ZK_OK || (e = zk_g16_vk_to_json(&json, &vk)) != ZK_OK) {
        fprintf(stderr, "\nzkpos keygen: extracting the verifying key failed: %s\n", zk_strerror(e));
        rc = 1;
        goto done;
    }
    if ((e = zk_g16_pk_save(pk_path, &pk)) != ZK_OK || (e = zk_g16_vk_save(vk_path, &vk)) != ZK_OK) {
        fprintf(stderr, "\nzkpos keygen: writing the keys failed: %s\n", zk_strerror(e));
        rc = 1;
        goto done;
    }
    if ((rc = write_text("keygen", json_path, json))) goto done;
    progress_show(&p, 3, "done");
    printf("users %u\nassets %u\nconstraints %" PRIu64 "\nvariables %" PRIu64 "\npublic %" PRIu64
           "\ndomain %" PRIu64 "\npk %s\nvk %s\nvk-json %s\n",
           users, assets, pk.nconstraints, pk.nvars, pk.npublic, pk.domain_size, pk_path, vk_path, json_path);
    if (fflush(stdout)) rc = 1;
    /* A B just past a power of two doubles every batch's proving cost: say so. */
    if (batch_cli_domain_note(stderr, "zkpos keygen: ", assets, pk.nconstraints, pk.npublic)) rc = 1;
done:
    free(json);
    zk_g16_vk_free(&vk);
    zk_g16_pk_free(&pk);
    zk_cs_free(cs);
    zk_pool_free(pool);
    free(pk_path), free(vk_path), free(json_path);
    return rc;
}

/* ---------------- witness-batch ---------------- */

static void witness_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos witness-batch --input DIR --users B --assets A --out DIR [--threads N]\n\n"
            "Reads the balance sheet of DIR (as 'zkpos tree' does) and writes one batch\n"
            "witness file per batch of B users to the output directory (created if missing):\n"
            "batch_000000.wit, batch_000001.wit, ... Prints the number of batches and the\n"
            "final account tree root.\n\n"
            "  --input DIR   directory with the balance-sheet CSV files\n"
            "  --users B     users per batch, 1 .. 268435456\n"
            "  --assets A    asset table entries (at least the sheet's assets), 1 .. 350\n"
            "  --out DIR     output directory\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

int cmd_witness_batch(int argc, char **argv) {
    unsigned users = 0, assets = 0, threads = 0;
    int have_users = 0, have_assets = 0;
    const char *input = NULL, *out = NULL;
    pipe_opt o[] = {PIPE_NUM("--users", &users, 1, 1ul << 28),
                     PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT),
                     PIPE_STR("--input", &input),
                     PIPE_STR("--out", &out),
                     PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = parse_opts("witness-batch", argc, argv, o, 5, witness_usage);
    if (rc) return rc < 0 ? 0 : rc;
    have_users = o[0].seen, have_assets = o[1].seen;
    if ((rc = require("witness-batch", input, "--input DIR", witness_usage)) ||
        (rc = require("witness-batch", have_users ? "" : NULL, "--users B", witness_usage)) ||
        (rc = require("witness-batch", have_assets ? "" : NULL, "--assets A", witness_usage)) ||
        (rc = require("witness-batch", out, "--out DIR", witness_usage)))
        return rc;
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "zkpos witness-batch: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }
    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) {
        fprintf(stderr, "zkpos witness-batch: cannot start threads\n");
        return 1;
    }
    zk_sheet *s = NULL;
    zk_sheet_stats st;
    memset(&st, 0, sizeof st);
    zk_batcher *b = NULL;
    rc = solv_cli_load(&s, &st, input, 0, pool);
    if (rc == 0 && s->n_assets > assets) {
        fprintf(stderr, "zkpos witness-batch: the sheet has %zu assets, more than --assets %u\n", s->n_assets,
                assets);
        rc = 2;
    }
    if (rc == 0) {
        zk_err e = zk_batcher_new(&b, s, users, assets, pool);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos witness-batch: cannot batch the sheet: %s\n", zk_strerror(e));
            rc = 1;
        }
    }
    size_t plen = strlen(out) + 32;
    char *path = malloc(plen);
    if (rc == 0 && !path) rc = 1;
    uint64_t n = rc == 0 ? zk_batcher_batches(b) : 0;
    for (uint64_t i = 0; rc == 0 && i < n; i++) {
        zk_batch_witness *w = NULL;
        uint8_t *blob = NULL;
        size_t len = 0;
        zk_err e = zk_batcher_next(b, &w);
        if (e == ZK_OK) e = zk_batch_witness_encode(&blob, &len, w);
        if (e != ZK_OK) {
            fprintf(stderr, "zkpos witness-batch: batch %" PRIu64 ": %s\n", i, zk_strerror(e));
            rc = 1;
        } else {
            snprintf(path, plen, "%s/batch_%06" PRIu64 ".wit", out, i);
            if ((e = zk_g16_write_file(path, blob, len)) != ZK_OK) {
                fprintf(stderr, "zkpos witness-batch: cannot write %s: %s\n", path, zk_strerror(e));
                rc = 1;
            }
        }
        free(blob);
        zk_batch_witness_free(w);
    }
    if (rc == 0) {
        fr_t root;
        uint8_t be[32];
        char hex[65];
        zk_batcher_root(&root, b);
        fr_to_bytes_be(be, &root);
        zk_hex_encode(hex, be, 32);
        printf("accounts %zu\nbatches %" PRIu64 "\nroot %s\n", s->n_accounts, n, hex);
        if (fflush(stdout)) rc = 1;
    }
    free(path);
    zk_batcher_free(b);
    zk_sheet_free(s);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- prove-batch ---------------- */

static void prove_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos prove-batch --pk PREFIX.pk --witness FILE --out PROOF.json\n"
            "                         [--public PUBLIC.json] [--threads N]\n\n"
            "Proves one batch witness file (from 'zkpos witness-batch') with a proving key\n"
            "from 'zkpos keygen' of the same B and A. The witness is first checked against\n"
            "the circuit; one that does not satisfy it is refused (exit 1). Writes the proof\n"
            "and the public input (the batch commitment) as snarkjs JSON.\n\n"
            "  --pk FILE       proving key\n"
            "  --witness FILE  batch witness file\n"
            "  --out FILE      proof JSON\n"
            "  --public FILE   public-input JSON (default: the proof path with .public.json)\n"
            "  --threads N     worker threads (default: all CPUs)\n");
}

int cmd_prove_batch(int argc, char **argv) {
    unsigned threads = 0;
    const char *pk_path = NULL, *wit_path = NULL, *out = NULL, *pub_path = NULL;
    pipe_opt o[] = {PIPE_STR("--pk", &pk_path),
                     PIPE_STR("--witness", &wit_path),
                     PIPE_STR("--out", &out),
                     PIPE_STR("--public", &pub_path),
                     PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = parse_opts("prove-batch", argc, argv, o, 5, prove_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = require("prove-batch", pk_path, "--pk FILE", prove_usage)) ||
        (rc = require("prove-batch", wit_path, "--witness FILE", prove_usage)) ||
        (rc = require("prove-batch", out, "--out FILE", prove_usage)))
        return rc;
    char *default_pub = NULL;
    if (!pub_path) {
        size_t n = strlen(out) + 16;
        if (!(default_pub = malloc(n))) return 1;
        size_t base = strlen(out);
        if (base > 5 && !strcmp(out + base - 5, ".json")) base -= 5;
        snprintf(default_pub, n, "%.*s.public.json", (int)base, out);
        pub_path = default_pub;
    }
    zk_pool *pool = zk_pool_new((int)threads);
    zk_g16_pk pk;
    memset(&pk, 0, sizeof pk);
    zk_batch_witness *w = NULL;
    zk_cs *cs = NULL;
    char *blob = NULL, *proof_json = NULL, *pub_json = NULL;
    size_t len = 0;
    zk_g16_msg msg = {{0}};
    zk_err e;
    rc = 1;
    if (!pool) {
        fprintf(stderr, "zkpos prove-batch: cannot start threads\n");
        goto done;
    }
    if ((e = zk_g16_read_file(&blob, &len, wit_path)) != ZK_OK) {
        fprintf(stderr, "zkpos prove-batch: cannot read %s: %s\n", wit_path, zk_strerror(e));
        goto done;
    }
    if ((e = zk_batch_witness_decode(&w, (const uint8_t *)blob, len)) != ZK_OK) {
        fprintf(stderr, "zkpos prove-batch: %s is not a batch witness file: %s\n", wit_path, zk_strerror(e));
        goto done;
    }
    if ((e = zk_g16_pk_load(pool, &pk, pk_path, &msg)) != ZK_OK) {
        fprintf(stderr, "zkpos prove-batch: cannot load the proving key %s: %s%s%s\n", pk_path, zk_strerror(e),
                msg.text[0] ? ": " : "", msg.text);
        goto done;
    }
    double t0 = zk_now();
    {
        char why[400];
        if (batch_cli_synthesize(&cs, why, sizeof why, &pk, w)) {
            fprintf(stderr, "zkpos prove-batch: %s\n", why);
            goto done;
        }
    }
    double t1 = zk_now();
    const fr_t *va, *vb, *vc;
    zk_cs_abc(cs, &va, &vb, &vc);
    const fr_t *wit = zk_cs_witness(cs);
    zk_g16_proof proof;
    if ((e = zk_g16_prove(pool, &proof, &pk, wit, zk_cs_nvars(cs), va, vb)) != ZK_OK) {
        fprintf(stderr, "zkpos prove-batch: proving failed: %s\n", zk_strerror(e));
        goto done;
    }
    double t2 = zk_now();
    if ((e = zk_g16_proof_to_json(&proof_json, &proof)) != ZK_OK ||
        (e = zk_g16_public_to_json(&pub_json, wit + 1, pk.npublic)) != ZK_OK) {
        fprintf(stderr, "zkpos prove-batch: encoding the proof failed: %s\n", zk_strerror(e));
        goto done;
    }
    if (write_text("prove-batch", out, proof_json) || write_text("prove-batch", pub_path, pub_json)) goto done;
    printf("batch %" PRIu64 "\nconstraints %" PRIu64 "\nwitness-s %.3f\nprove-s %.3f\nthreads %d\nproof %s\npublic %s\n",
           w->number, pk.nconstraints, t1 - t0, t2 - t1, zk_pool_threads(pool), out, pub_path);
    rc = fflush(stdout) ? 1 : 0;
done:
    free(proof_json), free(pub_json), free(blob), free(default_pub);
    zk_cs_free(cs);
    zk_batch_witness_free(w);
    zk_g16_pk_free(&pk);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- verify-batch ---------------- */

static void verify_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos verify-batch --vk KEY --proof PROOF.json --public PUBLIC.json\n\n"
            "Verifies a batch proof. KEY is PREFIX.vk (zkpos format) or a snarkjs\n"
            "verification_key.json (PREFIX.vk.json). Exit status 0 if the proof is valid,\n"
            "1 otherwise (invalid proof, wrong public input or unreadable files).\n\n"
            "  --vk FILE      verifying key\n"
            "  --proof FILE   proof JSON (snarkjs layout)\n"
            "  --public FILE  public-input JSON (snarkjs layout)\n");
}

int cmd_verify_batch(int argc, char **argv) {
    const char *vk_path = NULL, *proof_path = NULL, *pub_path = NULL;
    pipe_opt o[] = {PIPE_STR("--vk", &vk_path),
                     PIPE_STR("--proof", &proof_path),
                     PIPE_STR("--public", &pub_path)};
    int rc = parse_opts("verify-batch", argc, argv, o, 3, verify_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = require("verify-batch", vk_path, "--vk FILE", verify_usage)) ||
        (rc = require("verify-batch", proof_path, "--proof FILE", verify_usage)) ||
        (rc = require("verify-batch", pub_path, "--public FILE", verify_usage)))
        return rc;
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    zk_g16_proof proof;
    memset(&vk, 0, sizeof vk);
    memset(&pvk, 0, sizeof pvk);
    fr_t *pub = NULL;
    size_t npub = 0, len = 0;
    char *text = NULL;
    zk_g16_msg msg = {{0}};
    zk_err e;
    rc = 1;
    size_t kl = strlen(vk_path);
    if (kl > 5 && !strcmp(vk_path + kl - 5, ".json")) {
        if ((e = zk_g16_read_file(&text, &len, vk_path)) == ZK_OK) e = zk_g16_vk_from_json(&vk, text, len);
        free(text);
        text = NULL;
    } else e = zk_g16_vk_load(&vk, vk_path, &msg);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos verify-batch: cannot load the verifying key %s: %s%s%s\n", vk_path, zk_strerror(e),
                msg.text[0] ? ": " : "", msg.text);
        goto done;
    }
    if ((e = zk_g16_read_file(&text, &len, proof_path)) == ZK_OK) e = zk_g16_proof_from_json(&proof, text, len);
    free(text);
    text = NULL;
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos verify-batch: cannot read the proof %s: %s\n", proof_path, zk_strerror(e));
        goto done;
    }
    if ((e = zk_g16_read_file(&text, &len, pub_path)) == ZK_OK) e = zk_g16_public_from_json(&pub, &npub, text, len);
    free(text);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos verify-batch: cannot read the public input %s: %s\n", pub_path, zk_strerror(e));
        goto done;
    }
    if (npub != vk.npublic) {
        fprintf(stderr, "zkpos verify-batch: %s has %zu public values, the key expects %" PRIu64 "\n", pub_path,
                npub, vk.npublic);
        goto done;
    }
    if ((e = zk_g16_pvk_prepare(&pvk, &vk)) != ZK_OK) {
        fprintf(stderr, "zkpos verify-batch: bad verifying key: %s\n", zk_strerror(e));
        goto done;
    }
    e = zk_g16_verify(&pvk, &proof, pub, npub);
    if (e == ZK_OK) {
        printf("valid\n");
        rc = fflush(stdout) ? 1 : 0;
    } else if (e == ZK_ERR_VERIFY)
        fprintf(stderr, "zkpos verify-batch: INVALID: the proof does not verify for this key and public input\n");
    else
        fprintf(stderr, "zkpos verify-batch: INVALID: malformed proof: %s\n", zk_strerror(e));
done:
    free(pub);
    zk_g16_pvk_free(&pvk);
    zk_g16_vk_free(&vk);
    return rc;
}
