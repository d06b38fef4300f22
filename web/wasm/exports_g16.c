/* WebAssembly export: Groth16 verification of snarkjs JSON files, for the
 * (coming) snapshot page that checks the exchange's batch proofs.
 *
 * Design: same convention as exports.c (buffers in, one malloc'd JSON
 * result out, no state between calls). The three inputs are the texts of
 * verification_key.json, proof.json and public.json exactly as snarkjs
 * writes them; parsing and point validation (on curve, G2 subgroup,
 * canonical numbers) are the groth16 layer's, so the browser accepts what
 * `zkpos` accepts. Result: {"status": "verified" | "failed" | "invalid",
 * "message": why (names the file for invalid input; "" when verified),
 * "npublic": public inputs of the key (when it parsed)}. */
#include <stdio.h>
#include <stdlib.h>

#include "groth16/groth16.h"
#include "json/json.h"

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else /* native builds (e.g. checking this file under ASan) */
#define EXPORT(name)
#endif

static char *result(const char *status, const char *message, long long npublic) {
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "status");
    json_w_string(&w, status);
    json_w_key(&w, "message");
    json_w_string(&w, message);
    if (npublic >= 0) {
        json_w_key(&w, "npublic");
        json_w_u64(&w, (uint64_t)npublic);
    }
    json_w_object_end(&w);
    char *out = NULL;
    size_t len;
    if (json_writer_finish(&w, &out, &len) != ZK_OK) return NULL;
    return out;
}

EXPORT("zkpos_verify_groth16")
char *zkpos_verify_groth16(const char *vk_json, size_t vk_len, const char *proof_json, size_t proof_len,
                           const char *public_json, size_t public_len) {
    char msg[200];
    zk_g16_vk vk = {0};
    zk_err e = zk_g16_vk_from_json(&vk, vk_json, vk_len);
    if (e != ZK_OK) {
        snprintf(msg, sizeof msg, "verification key: %s", zk_strerror(e));
        return result("invalid", msg, -1);
    }
    long long npublic = (long long)vk.npublic;
    zk_g16_proof proof;
    fr_t *pub = NULL;
    size_t npub = 0;
    zk_g16_pvk pvk = {0};
    char *out;
    if ((e = zk_g16_proof_from_json(&proof, proof_json, proof_len)) != ZK_OK) {
        snprintf(msg, sizeof msg, "proof: %s", zk_strerror(e));
        out = result("invalid", msg, npublic);
    } else if ((e = zk_g16_public_from_json(&pub, &npub, public_json, public_len)) != ZK_OK) {
        snprintf(msg, sizeof msg, "public inputs: %s", zk_strerror(e));
        out = result("invalid", msg, npublic);
    } else if (npub != vk.npublic) {
        snprintf(msg, sizeof msg, "public inputs: %zu values, the verification key expects %llu", npub,
                 (unsigned long long)vk.npublic);
        out = result("invalid", msg, npublic);
    } else if ((e = zk_g16_pvk_prepare(&pvk, &vk)) != ZK_OK) {
        out = result("invalid", zk_strerror(e), npublic);
    } else {
        e = zk_g16_verify(&pvk, &proof, pub, npub);
        if (e == ZK_OK) out = result("verified", "", npublic);
        else if (e == ZK_ERR_VERIFY) out = result("failed", "the proof does not satisfy the pairing equation", npublic);
        else {
            snprintf(msg, sizeof msg, "proof: %s", zk_strerror(e));
            out = result("invalid", msg, npublic);
        }
    }
    zk_g16_pvk_free(&pvk);
    zk_g16_vk_free(&vk);
    free(pub);
    return out;
}
