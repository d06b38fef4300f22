/* zkpos groth16-prove / groth16-verify: snarkjs's `groth16 prove` and
 * `groth16 verify` on snarkjs files, with our prover and verifier.
 *
 * Design. Same positional arguments and files as snarkjs (a .zkey and a
 * .wtns in; proof.json and public.json out, written byte for byte as snarkjs
 * writes them), so either tool can stand in for the other in a script and
 * the two provers can be timed on the very same inputs (issue 4). Each
 * command is a thin sequence of groth16-layer calls; all parsing and
 * validation lives in the readers, which explain a rejection in a message
 * that we print after the file's name. The witness is not checked against
 * the circuit (the .zkey holds only the A and B matrices, and snarkjs does
 * not check either): a wrong witness gives a proof that fails verification.
 * Timings go to stdout as "name value" lines, like prove-batch.
 * groth16-import converts a .zkey (e.g. the result of a snarkjs phase-2
 * ceremony) once into our memory-mapped key format, which groth16-prove
 * also takes in place of the .zkey: it loads without per-point parsing and
 * lets the prover drop key pages as it goes (proving memory below the key
 * size, where a parsed .zkey must sit in memory whole). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "groth16/groth16.h"
#include "pipe_cli.h"
#include "util/util.h"

static int missing_args(const char *cmd, const char **pos, size_t npos, void (*usage)(FILE *)) {
    for (size_t i = 0; i < npos; i++)
        if (!pos[i]) {
            fprintf(stderr, "zkpos %s: expected %zu file arguments, got %zu\n", cmd, npos, i);
            usage(stderr);
            return 2;
        }
    return 0;
}

/* The readers' messages usually start with the file name: not repeated. */
static void fail(const char *cmd, const char *what, const char *path, zk_err e, const zk_g16_msg *msg) {
    const char *m = msg ? msg->text : "";
    int named = m[0] && !strncmp(m, path, strlen(path));
    fprintf(stderr, "zkpos %s: %s%s%s: %s%s%s\n", cmd, what, named ? "" : " ", named ? "" : path, zk_strerror(e),
            m[0] ? ": " : "", m);
}

/* A proving key in either format, told apart by its magic: ours (mapped)
 * or a snarkjs .zkey (parsed and converted). */
static zk_err load_any_pk(zk_pool *pool, zk_g16_pk *pk, const char *path, zk_g16_msg *msg) {
    char magic[8] = {0};
    FILE *f = fopen(path, "rb");
    if (f) {
        size_t got = fread(magic, 1, sizeof magic, f);
        (void)got; /* a short file is rejected by the reader below */
        fclose(f);
    }
    if (!memcmp(magic, "ZKG16PK", 8)) return zk_g16_pk_load(pool, pk, path, msg);
    return zk_zkey_read(pool, pk, path, msg);
}

/* ---------------- groth16-prove ---------------- */

static void prove_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos groth16-prove ZKEY WTNS PROOF.json PUBLIC.json [--threads N]\n\n"
            "Like 'snarkjs groth16 prove': proves with the snarkjs Groth16 proving key ZKEY\n"
            "(.zkey v1, BN254) and the witness WTNS (.wtns v2, e.g. from a circom witness\n"
            "generator), and writes the proof and public inputs in snarkjs's JSON layout.\n"
            "ZKEY may also be a key converted once by 'zkpos groth16-import' (faster to\n"
            "load, less memory while proving).\n"
            "The witness is not checked against the circuit: a wrong witness gives a proof\n"
            "that does not verify. Prints the load and prove times.\n\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

int cmd_groth16_prove(int argc, char **argv) {
    static const char cmd[] = "groth16-prove";
    unsigned threads = 0;
    const char *pos[4] = {NULL, NULL, NULL, NULL};
    pipe_opt o[] = {PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = pipe_parse(cmd, argc, argv, o, 1, pos, 4, prove_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = missing_args(cmd, pos, 4, prove_usage))) return rc;
    const char *zkey = pos[0], *wtns = pos[1], *proof_path = pos[2], *pub_path = pos[3];

    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) {
        fprintf(stderr, "zkpos %s: cannot start threads\n", cmd);
        return 1;
    }
    zk_g16_pk pk;
    memset(&pk, 0, sizeof pk);
    fr_t *w = NULL;
    size_t nw = 0;
    char *text = NULL;
    zk_g16_msg msg = {{0}};
    zk_err e;
    rc = 1;
    double t0 = zk_now();
    if ((e = load_any_pk(pool, &pk, zkey, &msg)) != ZK_OK) {
        fail(cmd, "cannot read the proving key", zkey, e, &msg);
        goto done;
    }
    double t1 = zk_now();
    msg.text[0] = 0;
    if ((e = zk_wtns_read(&w, &nw, wtns, &msg)) != ZK_OK) {
        fail(cmd, "cannot read the witness", wtns, e, &msg);
        goto done;
    }
    double t2 = zk_now();
    if (nw != pk.nvars) {
        fprintf(stderr, "zkpos %s: %s has %zu values but the circuit of %s has %" PRIu64 " wires\n", cmd, wtns, nw,
                zkey, pk.nvars);
        goto done;
    }
    fr_t one;
    fr_set_u64(&one, 1);
    if (!fr_eq(&w[0], &one)) {
        fprintf(stderr, "zkpos %s: %s: witness value 0 (the constant wire) is not 1\n", cmd, wtns);
        goto done;
    }
    zk_g16_proof proof;
    if ((e = zk_g16_prove(pool, &proof, &pk, w, nw, NULL, NULL)) != ZK_OK) {
        fprintf(stderr, "zkpos %s: proving failed: %s\n", cmd, zk_strerror(e));
        goto done;
    }
    double t3 = zk_now();
    if ((e = zk_g16_proof_to_json(&text, &proof)) != ZK_OK ||
        (e = zk_g16_write_file(proof_path, text, strlen(text))) != ZK_OK) {
        fail(cmd, "cannot write", proof_path, e, NULL);
        goto done;
    }
    free(text);
    text = NULL;
    if ((e = zk_g16_public_to_json(&text, w + 1, (size_t)pk.npublic)) != ZK_OK ||
        (e = zk_g16_write_file(pub_path, text, strlen(text))) != ZK_OK) {
        fail(cmd, "cannot write", pub_path, e, NULL);
        goto done;
    }
    printf("constraints %" PRIu64 "\nwires %" PRIu64 "\nzkey-load-s %.3f\nwtns-load-s %.3f\nprove-s %.3f\nthreads %d\n",
           pk.nconstraints, pk.nvars, t1 - t0, t2 - t1, t3 - t2, zk_pool_threads(pool));
    rc = fflush(stdout) ? 1 : 0;
done:
    free(text);
    free(w);
    zk_g16_pk_free(&pk);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- groth16-import ---------------- */

static void import_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos groth16-import ZKEY PK [--threads N]\n\n"
            "Converts the snarkjs Groth16 proving key ZKEY (.zkey v1, BN254; e.g. from a\n"
            "phase-2 ceremony) into zkpos's proving-key file PK, which 'zkpos groth16-prove'\n"
            "maps instead of parsing the .zkey on every proof. Points are checked on the\n"
            "curve while converting; PK is written atomically.\n\n"
            "  --threads N   worker threads (default: all CPUs)\n");
}

int cmd_groth16_import(int argc, char **argv) {
    static const char cmd[] = "groth16-import";
    unsigned threads = 0;
    const char *pos[2] = {NULL, NULL};
    pipe_opt o[] = {PIPE_NUM("--threads", &threads, 0, 1024)};
    int rc = pipe_parse(cmd, argc, argv, o, 1, pos, 2, import_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = missing_args(cmd, pos, 2, import_usage))) return rc;
    zk_pool *pool = zk_pool_new((int)threads);
    if (!pool) {
        fprintf(stderr, "zkpos %s: cannot start threads\n", cmd);
        return 1;
    }
    zk_g16_pk pk;
    memset(&pk, 0, sizeof pk);
    zk_g16_msg msg = {{0}};
    double t0 = zk_now();
    zk_err e = zk_zkey_read(pool, &pk, pos[0], &msg);
    rc = 1;
    if (e != ZK_OK) fail(cmd, "cannot read the proving key", pos[0], e, &msg);
    else if ((e = zk_g16_pk_save(pos[1], &pk)) != ZK_OK) fail(cmd, "cannot write", pos[1], e, NULL);
    else {
        printf("constraints %" PRIu64 "\nwires %" PRIu64 "\npk %s\nimport-s %.3f\n", pk.nconstraints, pk.nvars, pos[1],
               zk_now() - t0);
        rc = fflush(stdout) ? 1 : 0;
    }
    zk_g16_pk_free(&pk);
    zk_pool_free(pool);
    return rc;
}

/* ---------------- groth16-verify ---------------- */

/* Reads a whole JSON file; on failure prints why (the OS's reason for an
 * I/O error) and returns the error. */
static zk_err slurp(char **text, size_t *len, const char *cmd, const char *what, const char *path) {
    errno = 0;
    zk_err e = zk_g16_read_file(text, len, path);
    if (e == ZK_ERR_IO && errno)
        fprintf(stderr, "zkpos %s: cannot read %s %s: %s\n", cmd, what, path, strerror(errno));
    else if (e != ZK_OK)
        fail(cmd, "cannot read", path, e, NULL);
    return e;
}

static void verify_usage(FILE *f) {
    fprintf(f,
            "usage: zkpos groth16-verify VK.json PUBLIC.json PROOF.json\n\n"
            "Like 'snarkjs groth16 verify': checks a Groth16 proof (snarkjs JSON layout)\n"
            "against a snarkjs verification_key.json and public inputs. Prints OK and exits\n"
            "0 if the proof is valid; exits 1 otherwise (invalid proof, wrong public input,\n"
            "unreadable or malformed files), with the reason on stderr.\n");
}

int cmd_groth16_verify(int argc, char **argv) {
    static const char cmd[] = "groth16-verify";
    const char *pos[3] = {NULL, NULL, NULL};
    int rc = pipe_parse(cmd, argc, argv, NULL, 0, pos, 3, verify_usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = missing_args(cmd, pos, 3, verify_usage))) return rc;
    const char *vk_path = pos[0], *pub_path = pos[1], *proof_path = pos[2];

    zk_g16_vk vk;
    zk_g16_pvk pvk;
    zk_g16_proof proof;
    memset(&vk, 0, sizeof vk);
    memset(&pvk, 0, sizeof pvk);
    fr_t *pub = NULL;
    size_t npub = 0, len = 0;
    char *text = NULL;
    zk_err e;
    rc = 1;
    if (slurp(&text, &len, cmd, "the verification key", vk_path) != ZK_OK) goto done;
    e = zk_g16_vk_from_json(&vk, text, len);
    free(text);
    text = NULL;
    if (e != ZK_OK) {
        fail(cmd, "not a valid verification key:", vk_path, e, NULL);
        goto done;
    }
    if (slurp(&text, &len, cmd, "the public input", pub_path) != ZK_OK) goto done;
    e = zk_g16_public_from_json(&pub, &npub, text, len);
    free(text);
    text = NULL;
    if (e != ZK_OK) {
        fail(cmd, "not a valid public-input file:", pub_path, e, NULL);
        goto done;
    }
    if (slurp(&text, &len, cmd, "the proof", proof_path) != ZK_OK) goto done;
    e = zk_g16_proof_from_json(&proof, text, len);
    free(text);
    text = NULL;
    if (e != ZK_OK) {
        /* a point off the curve is reported here: the parser validates */
        fail(cmd, "INVALID: not a valid proof:", proof_path, e, NULL);
        goto done;
    }
    if (npub != vk.npublic) {
        fprintf(stderr, "zkpos %s: INVALID: %s has %zu public values, the key expects %" PRIu64 "\n", cmd, pub_path,
                npub, vk.npublic);
        goto done;
    }
    if ((e = zk_g16_pvk_prepare(&pvk, &vk)) != ZK_OK) {
        fail(cmd, "bad verification key", vk_path, e, NULL);
        goto done;
    }
    e = zk_g16_verify(&pvk, &proof, pub, npub);
    if (e == ZK_OK) {
        printf("OK\n");
        rc = fflush(stdout) ? 1 : 0;
    } else if (e == ZK_ERR_VERIFY)
        fprintf(stderr, "zkpos %s: INVALID: %s does not verify for this key and public input\n", cmd, proof_path);
    else
        fail(cmd, "INVALID: malformed proof", proof_path, e, NULL);
done:
    free(pub);
    zk_g16_pvk_free(&pvk);
    zk_g16_vk_free(&vk);
    return rc;
}
