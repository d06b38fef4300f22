/* Groth16 layer tests.
 *
 * Independent data: the snarkjs 0.7.6 fixtures (verification key, proof,
 * bad proof, zkey, witness, r1cs) in shared/vectors/groth16-snarkjs. Our
 * verifier must accept snarkjs's proof and reject the tampered one; our
 * prover, run on snarkjs's zkey, must produce proofs snarkjs's key accepts;
 * our setup is checked by proofs verifying, by the pairing relation
 * e(B1_i, g2) = e(g1, B2_i) and by snarkjs itself (tests/groth16_snarkjs.sh,
 * which runs this program with --export DIR to write the files it checks,
 * and --verify VK PUBLIC PROOF to verify snarkjs-made proofs with our code).
 * Key files: round trip, corruption and truncation are detected. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "groth16/groth16.h"
#include "pairing/pairing.h"
#include "r1cs/r1cs.h"
#include "mult_chain.h"
#include "test.h"

static char *slurp(const char *path, size_t *len) {
    char *t = NULL;
    if (zk_g16_read_file(&t, len, path) != ZK_OK) fprintf(stderr, "cannot read %s\n", path);
    return t;
}

static zk_err load_pvk(zk_g16_pvk *pvk, const char *path) {
    size_t len;
    char *t = slurp(path, &len);
    if (!t) return ZK_ERR_IO;
    zk_g16_vk vk;
    zk_err e = zk_g16_vk_from_json(&vk, t, len);
    free(t);
    if (e == ZK_OK) e = zk_g16_pvk_prepare(pvk, &vk);
    zk_g16_vk_free(&vk);
    return e;
}

static zk_err load_proof(zk_g16_proof *p, const char *path) {
    size_t len;
    char *t = slurp(path, &len);
    if (!t) return ZK_ERR_IO;
    zk_err e = zk_g16_proof_from_json(p, t, len);
    free(t);
    return e;
}

static zk_err load_public(fr_t **pub, size_t *n, const char *path) {
    size_t len;
    char *t = slurp(path, &len);
    if (!t) return ZK_ERR_IO;
    zk_err e = zk_g16_public_from_json(pub, n, t, len);
    free(t);
    return e;
}

static int write_text(const char *dir, const char *name, char *text) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int ok = text && zk_g16_write_file(path, text, strlen(text)) == ZK_OK;
    free(text);
    return ok;
}

/* ---------------- circuits built with the r1cs layer ---------------- */
/* Multiplication chain (tests/mult_chain.h, shared with the benchmark). */
static void chain_circuit(zk_cs *cs, uint64_t n, uint64_t x0) { mult_chain_circuit(cs, n, x0); }

/* Range checks: publics x, bound; x < 2^32, bound - x < 2^32 (so x <= bound), and a bit decomposition of x*x. */
static void range_circuit(zk_cs *cs, uint64_t xv, uint64_t bv) {
    fr_t x, bnd;
    fr_set_u64(&x, xv);
    fr_set_u64(&bnd, bv);
    int vals = zk_cs_has_values(cs);
    zk_var vx = zk_cs_public(cs, vals ? &x : NULL), vb = zk_cs_public(cs, vals ? &bnd : NULL);
    zk_lc lx, d;
    zk_lc_init(&lx);
    zk_lc_init(&d);
    zk_lc_set_var(cs, &lx, vx);
    zk_g_range(cs, &lx, 32);
    zk_lc_set_var(cs, &d, vb);
    zk_lc_sub_var(cs, &d, vx);
    zk_g_range(cs, &d, 32);
    zk_var sq = zk_cs_mul_new(cs, &lx, &lx);
    zk_lc_set_var(cs, &d, sq);
    zk_var bits[64];
    zk_g_to_bits(cs, bits, &d, 64);
    zk_lc_free(&lx);
    zk_lc_free(&d);
}

typedef void (*circuit_fn)(zk_cs *cs, uint64_t p, uint64_t q);

/* Runs the circuit in SETUP and PROVE modes. */
static int build(circuit_fn f, uint64_t p, uint64_t q, zk_cs **setup, zk_cs **prove) {
    *setup = zk_cs_new(ZK_CS_SETUP);
    *prove = zk_cs_new(ZK_CS_PROVE);
    if (!*setup || !*prove) return 0;
    f(*setup, p, q);
    f(*prove, p, q);
    return zk_cs_status(*setup) == ZK_OK && zk_cs_status(*prove) == ZK_OK && zk_cs_nfailures(*prove) == 0;
}

/* setup + prove + verify through the r1cs layer; optional export */
static void circuit_roundtrip(zk_pool *pool, const char *name, circuit_fn f, uint64_t p, uint64_t q,
                              const char *export_dir) {
    zk_cs *cs_s, *cs_p;
    CHECK(build(f, p, q, &cs_s, &cs_p));
    zk_r1cs_view view;
    CHECK(zk_r1cs_view_from_cs(&view, cs_s) == ZK_OK);
    zk_g16_pk pk;
    CHECK(zk_g16_setup(pool, &pk, &view) == ZK_OK);
    if (!pk.image_) return;
    CHECK(pk.nvars == zk_cs_nvars(cs_p) && pk.npublic == 2 && pk.nconstraints == zk_cs_nconstraints(cs_p));
    CHECK(pk.domain_size >= pk.nconstraints + pk.npublic + 1 && pk.domain_size < 2 * (pk.nconstraints + pk.npublic + 1));

    /* B1 and B2 carry the same scalar: e(B1_i, g2) == e(g1, B2_i) for a few i */
    g1_affine_t g1;
    g2_affine_t g2;
    g1_generator(&g1);
    g2_generator(&g2);
    for (uint64_t i = 0; i < pk.nvars; i += 1 + pk.nvars / 3) {
        fp12_t l, r;
        zk_pairing(&l, &pk.b1[i], &g2);
        zk_pairing(&r, &g1, &pk.b2[i]);
        CHECK(fp12_eq(&l, &r));
    }

    const fr_t *w = zk_cs_witness(cs_p), *av, *bv, *cv;
    zk_cs_abc(cs_p, &av, &bv, &cv);
    zk_g16_vk vk;
    zk_g16_pvk pvk;
    CHECK(zk_g16_vk_from_pk(&vk, &pk) == ZK_OK);
    CHECK(zk_g16_pvk_prepare(&pvk, &vk) == ZK_OK);
    zk_g16_proof proof, proof2;
    CHECK(zk_g16_prove(pool, &proof, &pk, w, pk.nvars, av, bv) == ZK_OK);
    CHECK(zk_g16_verify(&pvk, &proof, w + 1, 2) == ZK_OK);
    /* from the key's coefficients instead of the builder's values */
    CHECK(zk_g16_prove(pool, &proof2, &pk, w, pk.nvars, NULL, NULL) == ZK_OK);
    CHECK(zk_g16_verify(&pvk, &proof2, w + 1, 2) == ZK_OK);
    CHECK(!g1_affine_eq(&proof.a, &proof2.a)); /* fresh blinding */
    /* wrong public input */
    fr_t bad[2] = {w[1], w[2]};
    fr_t one;
    fr_one(&one);
    fr_add(&bad[1], &bad[1], &one);
    CHECK(zk_g16_verify(&pvk, &proof, bad, 2) == ZK_ERR_VERIFY);
    CHECK(zk_g16_verify(&pvk, &proof, w + 1, 1) == ZK_ERR_ARG);
    /* a witness that violates a constraint gives a proof that fails */
    fr_t *w2 = malloc(pk.nvars * sizeof(fr_t));
    memcpy(w2, w, pk.nvars * sizeof(fr_t));
    fr_add(&w2[pk.nvars - 1], &w2[pk.nvars - 1], &one);
    CHECK(zk_g16_prove(pool, &proof2, &pk, w2, pk.nvars, NULL, NULL) == ZK_OK);
    CHECK(zk_g16_verify(&pvk, &proof2, w2 + 1, 2) == ZK_ERR_VERIFY);
    free(w2);

    /* JSON round trips */
    char *txt = NULL;
    zk_g16_proof pj;
    CHECK(zk_g16_proof_to_json(&txt, &proof) == ZK_OK);
    CHECK(txt && zk_g16_proof_from_json(&pj, txt, strlen(txt)) == ZK_OK);
    CHECK(g1_affine_eq(&pj.a, &proof.a) && g2_affine_eq(&pj.b, &proof.b) && g1_affine_eq(&pj.c, &proof.c));
    free(txt);
    zk_g16_vk vk2;
    CHECK(zk_g16_vk_to_json(&txt, &vk) == ZK_OK);
    CHECK(txt && zk_g16_vk_from_json(&vk2, txt, strlen(txt)) == ZK_OK);
    CHECK(vk2.npublic == 2 && g2_affine_eq(&vk2.delta2, &vk.delta2) && g1_affine_eq(&vk2.ic[2], &vk.ic[2]));
    zk_g16_vk_free(&vk2);
    free(txt);

    /* .zkey export and re-import give the same key */
    char path[4096];
    const char *dir = export_dir ? export_dir : "/tmp";
    snprintf(path, sizeof path, "%s/%s%s.zkey", dir, export_dir ? "" : "zkpos_g16_test_", name);
    CHECK(zk_zkey_write(path, &pk) == ZK_OK);
    zk_g16_pk pk2;
    zk_g16_msg msg = {""};
    CHECK(zk_zkey_read(pool, &pk2, path, &msg) == ZK_OK);
    if (pk2.image_) {
        CHECK(pk2.image_len_ == pk.image_len_ && memcmp(pk2.image_, pk.image_, pk.image_len_) == 0);
        zk_g16_pk_free(&pk2);
    } else
        fprintf(stderr, "zkey read: %s\n", msg.text);
    if (!export_dir) unlink(path);

    if (export_dir) {
        char p2[4096];
        snprintf(p2, sizeof p2, "%s/%s.r1cs", export_dir, name);
        CHECK(zk_r1cs_write(p2, &view) == ZK_OK);
        snprintf(p2, sizeof p2, "%s/%s.wtns", export_dir, name);
        CHECK(zk_wtns_write(p2, w, pk.nvars) == ZK_OK);
        char *t = NULL;
        char nm[256];
        snprintf(nm, sizeof nm, "%s_vk.json", name);
        CHECK(zk_g16_vk_to_json(&t, &vk) == ZK_OK && write_text(export_dir, nm, t));
        snprintf(nm, sizeof nm, "%s_proof.json", name);
        CHECK(zk_g16_proof_to_json(&t, &proof) == ZK_OK && write_text(export_dir, nm, t));
        snprintf(nm, sizeof nm, "%s_public.json", name);
        CHECK(zk_g16_public_to_json(&t, w + 1, 2) == ZK_OK && write_text(export_dir, nm, t));
        snprintf(nm, sizeof nm, "%s_counts.txt", name);
        char buf[128];
        snprintf(buf, sizeof buf, "%llu %llu %llu\n", (unsigned long long)pk.nvars,
                 (unsigned long long)pk.nconstraints, (unsigned long long)pk.npublic);
        CHECK(write_text(export_dir, nm, strdup(buf)));
    } else {
        /* .r1cs / .wtns round trip through the files */
        char p2[4096], p3[4096];
        snprintf(p2, sizeof p2, "/tmp/zkpos_g16_test_%d.r1cs", (int)getpid());
        snprintf(p3, sizeof p3, "/tmp/zkpos_g16_test_%d.wtns", (int)getpid());
        CHECK(zk_r1cs_write(p2, &view) == ZK_OK);
        CHECK(zk_wtns_write(p3, w, pk.nvars) == ZK_OK);
        zk_r1cs_file *rf = NULL;
        fr_t *rw = NULL;
        size_t rn = 0;
        CHECK(zk_r1cs_read(&rf, p2, &msg) == ZK_OK);
        CHECK(zk_wtns_read(&rw, &rn, p3, &msg) == ZK_OK);
        if (rf && rw) {
            CHECK(rn == pk.nvars && memcmp(rw, w, rn * sizeof(fr_t)) == 0);
            const zk_r1cs_view *fv = zk_r1cs_file_view(rf);
            CHECK(fv->nconstraints == view.nconstraints && fv->nvars == view.nvars && fv->npublic == 2);
            /* setup from the parsed file: proofs verify with builder values */
            zk_g16_pk pk3;
            CHECK(zk_g16_setup(pool, &pk3, fv) == ZK_OK);
            if (pk3.image_) {
                zk_g16_vk vk3;
                zk_g16_pvk pvk3;
                CHECK(zk_g16_vk_from_pk(&vk3, &pk3) == ZK_OK && zk_g16_pvk_prepare(&pvk3, &vk3) == ZK_OK);
                CHECK(zk_g16_prove(pool, &proof2, &pk3, rw, rn, av, bv) == ZK_OK);
                CHECK(zk_g16_verify(&pvk3, &proof2, rw + 1, 2) == ZK_OK);
                CHECK(zk_g16_verify(&pvk, &proof2, rw + 1, 2) == ZK_ERR_VERIFY); /* other key */
                zk_g16_vk_free(&vk3);
                zk_g16_pvk_free(&pvk3);
                zk_g16_pk_free(&pk3);
            }
        }
        zk_r1cs_file_free(rf);
        free(rw);
        unlink(p2);
        unlink(p3);
    }
    zk_g16_vk_free(&vk);
    zk_g16_pvk_free(&pvk);
    zk_g16_pk_free(&pk);
    zk_cs_free(cs_s);
    zk_cs_free(cs_p);
}

/* ---------------- snarkjs fixtures ---------------- */
static void fixtures(zk_pool *pool, const char *export_dir) {
    zk_g16_pvk pvk;
    zk_g16_proof proof, bad;
    fr_t *pub = NULL;
    size_t npub = 0;
    CHECK(load_pvk(&pvk, test_vector_path("groth16-snarkjs/verification_key.json")) == ZK_OK);
    CHECK(load_proof(&proof, test_vector_path("groth16-snarkjs/proof.json")) == ZK_OK);
    CHECK(load_proof(&bad, test_vector_path("groth16-snarkjs/proof_bad.json")) == ZK_OK);
    CHECK(load_public(&pub, &npub, test_vector_path("groth16-snarkjs/public.json")) == ZK_OK);
    if (!pub || npub != 2) return;
    CHECK(zk_g16_verify(&pvk, &proof, pub, npub) == ZK_OK);
    CHECK(zk_g16_verify(&pvk, &bad, pub, npub) == ZK_ERR_VERIFY);
    fr_t pub2[2] = {pub[0], pub[1]}, one;
    fr_one(&one);
    fr_add(&pub2[1], &pub2[1], &one);
    CHECK(zk_g16_verify(&pvk, &proof, pub2, 2) == ZK_ERR_VERIFY);
    /* public input >= r is rejected by the parser */
    fr_t *p3 = NULL;
    size_t n3;
    const char *big = "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\", \"14\"]";
    CHECK(zk_g16_public_from_json(&p3, &n3, big, strlen(big)) == ZK_ERR_NOT_CANONICAL);
    free(p3);
    /* our vk JSON writer reproduces snarkjs's file byte for byte */
    size_t vlen;
    char *vtext = slurp(test_vector_path("groth16-snarkjs/verification_key.json"), &vlen), *ours = NULL;
    CHECK(zk_g16_vk_to_json(&ours, &pvk.vk) == ZK_OK);
    CHECK(vtext && ours && strcmp(vtext, ours) == 0);
    free(ours);
    free(vtext);
    char *ptext = slurp(test_vector_path("groth16-snarkjs/proof.json"), &vlen);
    CHECK(zk_g16_proof_to_json(&ours, &proof) == ZK_OK);
    CHECK(ptext && ours && strcmp(ptext, ours) == 0);
    free(ours);
    free(ptext);
    ptext = slurp(test_vector_path("groth16-snarkjs/public.json"), &vlen);
    CHECK(zk_g16_public_to_json(&ours, pub, npub) == ZK_OK);
    CHECK(ptext && ours && strcmp(ptext, ours) == 0);
    free(ours);
    free(ptext);

    /* r1cs + witness: counts from the README, and the witness satisfies it */
    zk_g16_msg msg = {""};
    zk_r1cs_file *rf = NULL;
    fr_t *w = NULL;
    size_t nw = 0;
    CHECK(zk_r1cs_read(&rf, test_vector_path("groth16-snarkjs/circuit.r1cs"), &msg) == ZK_OK);
    CHECK(zk_wtns_read(&w, &nw, test_vector_path("groth16-snarkjs/witness.wtns"), &msg) == ZK_OK);
    fr_t *av = NULL, *bv = NULL;
    if (rf && w) {
        const zk_r1cs_view *v = zk_r1cs_file_view(rf);
        CHECK(v->nvars == 5 && v->npublic == 2 && v->nconstraints == 2 && nw == 5);
        static const uint64_t wit[5] = {1, 33, 14, 3, 11};
        for (int i = 0; i < 5; i++) {
            fr_t x;
            fr_set_u64(&x, wit[i]);
            CHECK(fr_eq(&x, &w[i]));
        }
        av = calloc(v->nconstraints, sizeof(fr_t));
        bv = calloc(v->nconstraints, sizeof(fr_t));
        for (uint64_t c = 0; c < v->nconstraints; c++) {
            fr_t val[3];
            for (int k = 0; k < 3; k++) {
                fr_zero(&val[k]);
                for (uint64_t j = v->row_start[k][c]; j < v->row_start[k][c + 1]; j++) {
                    fr_t t;
                    fr_mul(&t, &v->coeffs[v->terms[k][j].coeff], &w[v->terms[k][j].var]);
                    fr_add(&val[k], &val[k], &t);
                }
            }
            av[c] = val[0];
            bv[c] = val[1];
            fr_mul(&val[0], &val[0], &val[1]);
            CHECK(fr_eq(&val[0], &val[2]));
        }
    } else
        fprintf(stderr, "%s\n", msg.text);

    /* prove with snarkjs's zkey; snarkjs's verification key accepts */
    zk_g16_pk pk;
    CHECK(zk_zkey_read(pool, &pk, test_vector_path("groth16-snarkjs/circuit_final.zkey"), &msg) == ZK_OK);
    if (pk.image_ && w) {
        CHECK(pk.nvars == 5 && pk.npublic == 2 && pk.nconstraints == 2 && pk.domain_size == 8);
        CHECK(g1_affine_eq(pk.alpha1, &pvk.vk.alpha1) && g2_affine_eq(pk.delta2, &pvk.vk.delta2) &&
              g1_affine_eq(&pk.ic[1], &pvk.vk.ic[1]));
        zk_g16_proof mine;
        CHECK(zk_g16_prove(pool, &mine, &pk, w, nw, NULL, NULL) == ZK_OK);
        CHECK(zk_g16_verify(&pvk, &mine, w + 1, 2) == ZK_OK);
        CHECK(zk_g16_prove(pool, &mine, &pk, w, nw, av, bv) == ZK_OK);
        CHECK(zk_g16_verify(&pvk, &mine, w + 1, 2) == ZK_OK);
        if (export_dir) {
            char *t = NULL;
            CHECK(zk_g16_proof_to_json(&t, &mine) == ZK_OK && write_text(export_dir, "fixture_proof.json", t));
            CHECK(zk_g16_public_to_json(&t, w + 1, 2) == ZK_OK && write_text(export_dir, "fixture_public.json", t));
        }
        /* our key file: round trip, corruption, truncation */
        char path[256], path2[256];
        snprintf(path, sizeof path, "/tmp/zkpos_g16_test_%d.pk", (int)getpid());
        snprintf(path2, sizeof path2, "/tmp/zkpos_g16_test_%d.vk", (int)getpid());
        CHECK(zk_g16_pk_save(path, &pk) == ZK_OK);
        zk_g16_pk pk2;
        CHECK(zk_g16_pk_load(pool, &pk2, path, &msg) == ZK_OK);
        if (pk2.image_) {
            CHECK(pk2.mapped_ && pk2.image_len_ == pk.image_len_);
            CHECK(memcmp((char *)pk2.image_ + 512, (char *)pk.image_ + 512, pk.image_len_ - 512) == 0);
            zk_g16_proof p2;
            CHECK(zk_g16_prove(pool, &p2, &pk2, w, nw, NULL, NULL) == ZK_OK);
            CHECK(zk_g16_verify(&pvk, &p2, w + 1, 2) == ZK_OK);
            zk_g16_pk_free(&pk2);
        }
        size_t flen;
        char *img = slurp(path, &flen);
        if (img) {
            /* flip one bit in the H section */
            img[flen - 100] ^= 4;
            CHECK(zk_g16_write_file(path, img, flen) == ZK_OK);
            msg.text[0] = 0;
            CHECK(zk_g16_pk_load(pool, &pk2, path, &msg) == ZK_ERR_FORMAT);
            CHECK(strstr(msg.text, "checksum") != NULL);
            img[flen - 100] ^= 4;
            /* truncated */
            CHECK(zk_g16_write_file(path, img, flen - 64) == ZK_OK);
            CHECK(zk_g16_pk_load(pool, &pk2, path, &msg) == ZK_ERR_FORMAT);
            CHECK(strstr(msg.text, "truncated") != NULL);
            CHECK(zk_g16_write_file(path, img, 100) == ZK_OK);
            CHECK(zk_g16_pk_load(pool, &pk2, path, &msg) == ZK_ERR_FORMAT);
            CHECK(strstr(msg.text, "truncated") != NULL);
            free(img);
        }
        /* verifying key file */
        zk_g16_vk vk, vk2;
        CHECK(zk_g16_vk_from_pk(&vk, &pk) == ZK_OK);
        CHECK(zk_g16_vk_save(path2, &vk) == ZK_OK);
        CHECK(zk_g16_vk_load(&vk2, path2, &msg) == ZK_OK);
        CHECK(vk2.npublic == 2 && g2_affine_eq(&vk2.gamma2, &vk.gamma2) && g1_affine_eq(&vk2.ic[2], &vk.ic[2]));
        zk_g16_vk_free(&vk2);
        img = slurp(path2, &flen);
        if (img) {
            img[flen - 1] ^= 1;
            CHECK(zk_g16_write_file(path2, img, flen) == ZK_OK);
            CHECK(zk_g16_vk_load(&vk2, path2, &msg) == ZK_ERR_FORMAT);
            CHECK(zk_g16_write_file(path2, img, flen - 1) == ZK_OK);
            CHECK(zk_g16_vk_load(&vk2, path2, &msg) == ZK_ERR_FORMAT);
            free(img);
        }
        zk_g16_vk_free(&vk);
        unlink(path);
        unlink(path2);
        /* a truncated zkey is rejected */
        img = slurp(test_vector_path("groth16-snarkjs/circuit_final.zkey"), &flen);
        if (img) {
            snprintf(path, sizeof path, "/tmp/zkpos_g16_test_%d.zkey", (int)getpid());
            CHECK(zk_g16_write_file(path, img, flen - 10) == ZK_OK);
            zk_g16_pk pk3;
            CHECK(zk_zkey_read(pool, &pk3, path, &msg) == ZK_ERR_FORMAT);
            unlink(path);
            free(img);
        }
        zk_g16_pk_free(&pk);
    } else
        fprintf(stderr, "%s\n", msg.text);
    free(av);
    free(bv);
    zk_r1cs_file_free(rf);
    free(w);
    free(pub);
    zk_g16_pvk_free(&pvk);
}

/* --verify VK PUBLIC PROOF: exit 0 iff valid */
static int verify_files(const char *vkp, const char *pubp, const char *proofp) {
    zk_g16_pvk pvk;
    zk_g16_proof proof;
    fr_t *pub = NULL;
    size_t n = 0;
    if (load_pvk(&pvk, vkp) != ZK_OK || load_proof(&proof, proofp) != ZK_OK || load_public(&pub, &n, pubp) != ZK_OK)
        return 2;
    zk_err e = zk_g16_verify(&pvk, &proof, pub, n);
    printf("%s\n", e == ZK_OK ? "OK" : zk_strerror(e));
    free(pub);
    zk_g16_pvk_free(&pvk);
    return e == ZK_OK ? 0 : 1;
}

int main(int argc, char **argv) {
    test_init();
    if (argc == 5 && strcmp(argv[1], "--verify") == 0) return verify_files(argv[2], argv[3], argv[4]);
    const char *export_dir = argc == 3 && strcmp(argv[1], "--export") == 0 ? argv[2] : NULL;
    zk_pool *pool = zk_pool_new(2);
    CHECK(pool != NULL);
    fixtures(pool, export_dir);
    circuit_roundtrip(pool, "chain", chain_circuit, 1000, 7, export_dir);
    circuit_roundtrip(pool, "range", range_circuit, 123456, 4000000000u, export_dir);
    circuit_roundtrip(pool, "tiny", chain_circuit, 2, 3, export_dir);
    zk_pool_free(pool);
    TEST_DONE();
}
