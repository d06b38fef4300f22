/* Groth16 verification and the snarkjs JSON files.
 *
 * Design: the prepared key holds e(alpha, beta) and -gamma, -delta, so a
 * verification is one 3-pair Miller loop and one final exponentiation:
 *   FE(ML(A, B) * ML(vk_x, -gamma) * ML(C, -delta)) == e(alpha, beta).
 * JSON is written exactly as snarkjs writes it (JSON.stringify with an
 * indent of one space, no trailing newline) so files can be diffed against
 * snarkjs's; reading goes through the json layer and the ec parsers, which
 * reject non-canonical numbers, off-curve points and G2 points outside the
 * subgroup. */
#include <stdlib.h>
#include <string.h>

#include "../json/json.h"
#include "../pairing/pairing.h"
#include "g16_internal.h"

zk_err zk_g16_pvk_prepare(zk_g16_pvk *pvk, const zk_g16_vk *vk) {
    memset(pvk, 0, sizeof *pvk);
    pvk->vk = *vk;
    pvk->vk.ic = malloc((size_t)(vk->npublic + 1) * sizeof(g1_affine_t));
    if (!pvk->vk.ic) return ZK_ERR_NOMEM;
    memcpy(pvk->vk.ic, vk->ic, (size_t)(vk->npublic + 1) * sizeof(g1_affine_t));
    zk_pairing(&pvk->alpha_beta, &vk->alpha1, &vk->beta2);
    g2_jac_t t;
    g2_from_affine(&t, &vk->gamma2);
    g2_neg(&t, &t);
    g2_to_affine(&pvk->neg_gamma2, &t);
    g2_from_affine(&t, &vk->delta2);
    g2_neg(&t, &t);
    g2_to_affine(&pvk->neg_delta2, &t);
    return ZK_OK;
}

void zk_g16_pvk_free(zk_g16_pvk *pvk) {
    if (!pvk) return;
    zk_g16_vk_free(&pvk->vk);
}

zk_err zk_g16_verify(const zk_g16_pvk *pvk, const zk_g16_proof *proof, const fr_t *pub, size_t npub) {
    if (npub != pvk->vk.npublic || (npub && !pub)) return ZK_ERR_ARG;
    if (!g1_affine_is_on_curve(&proof->a) || !g1_affine_is_on_curve(&proof->c) || !g2_affine_is_on_curve(&proof->b))
        return ZK_ERR_NOT_ON_CURVE;
    if (!g2_affine_is_in_subgroup(&proof->b)) return ZK_ERR_NOT_IN_SUBGROUP;
    g1_jac_t acc, t;
    g1_from_affine(&acc, &pvk->vk.ic[0]);
    if (npub > 16) {
        zk_err e = g1_msm_var(NULL, &t, pvk->vk.ic + 1, pub, npub);
        if (e != ZK_OK) return e;
        g1_add(&acc, &acc, &t);
    } else {
        for (size_t i = 0; i < npub; i++) {
            g1_from_affine(&t, &pvk->vk.ic[i + 1]);
            g1_mul_var(&t, &t, &pub[i]);
            g1_add(&acc, &acc, &t);
        }
    }
    g1_affine_t p[3];
    g2_affine_t q[3];
    p[0] = proof->a;
    q[0] = proof->b;
    g1_to_affine(&p[1], &acc);
    q[1] = pvk->neg_gamma2;
    p[2] = proof->c;
    q[2] = pvk->neg_delta2;
    fp12_t f;
    zk_miller_loop(&f, p, q, 3);
    zk_final_exp(&f, &f);
    return fp12_eq(&f, &pvk->alpha_beta) ? ZK_OK : ZK_ERR_VERIFY;
}

/* ---------------- JSON ---------------- */
typedef struct {
    char *buf;
    size_t len, cap;
    int err;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->err) return;
    if (b->cap - b->len < n + 1) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc - b->len < n + 1) nc *= 2;
        char *nb = realloc(b->buf, nc);
        if (!nb) {
            b->err = 1;
            return;
        }
        b->buf = nb;
        b->cap = nc;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = 0;
}
static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_indent(sbuf *b, int depth) {
    sb_put(b, "\n", 1);
    for (int i = 0; i < depth; i++) sb_put(b, " ", 1);
}
static void sb_quoted(sbuf *b, const char *s) {
    sb_put(b, "\"", 1);
    for (; *s; s++) {
        char esc[8];
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\', esc[1] = (char)ch;
            sb_put(b, esc, 2);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            sb_str(b, esc);
        } else
            sb_put(b, (const char *)&ch, 1);
    }
    sb_put(b, "\"", 1);
}

/* JSON.stringify(v, null, 1) of a parsed tree */
static void emit(sbuf *b, const json_value *v, int depth) {
    switch (v->type) {
    case JSON_NULL: sb_str(b, "null"); break;
    case JSON_BOOL: sb_str(b, v->boolean ? "true" : "false"); break;
    case JSON_NUMBER: sb_str(b, v->text); break;
    case JSON_STRING: sb_quoted(b, v->text); break;
    case JSON_ARRAY:
    case JSON_OBJECT: {
        int obj = v->type == JSON_OBJECT;
        if (v->len == 0) {
            sb_str(b, obj ? "{}" : "[]");
            break;
        }
        sb_str(b, obj ? "{" : "[");
        for (size_t i = 0; i < v->len; i++) {
            if (i) sb_str(b, ",");
            sb_indent(b, depth + 1);
            if (obj) {
                sb_quoted(b, v->keys[i].s);
                sb_str(b, ": ");
            }
            emit(b, &v->items[i], depth + 1);
        }
        sb_indent(b, depth);
        sb_str(b, obj ? "}" : "]");
        break;
    }
    }
}

/* compact writer output -> snarkjs layout */
static zk_err finish_pretty(char **out, json_writer *w) {
    char *compact;
    size_t len;
    *out = NULL;
    zk_err e = json_writer_finish(w, &compact, &len);
    if (e != ZK_OK) return e;
    json_value *v = NULL;
    e = json_parse(&v, compact, len, NULL);
    free(compact);
    if (e != ZK_OK) return e;
    sbuf b = {0};
    emit(&b, v, 0);
    json_free(v);
    if (b.err || !b.buf) {
        free(b.buf);
        return ZK_ERR_NOMEM;
    }
    *out = b.buf;
    return ZK_OK;
}

static void w_g1(json_writer *w, const g1_affine_t *p) {
    char s[3][80];
    g1_to_snarkjs_strings(s, p);
    json_w_array_begin(w);
    for (int i = 0; i < 3; i++) json_w_string(w, s[i]);
    json_w_array_end(w);
}
static void w_g2(json_writer *w, const g2_affine_t *p) {
    char s[6][80];
    g2_to_snarkjs_strings(s, p);
    json_w_array_begin(w);
    for (int i = 0; i < 3; i++) {
        json_w_array_begin(w);
        json_w_string(w, s[2 * i]);
        json_w_string(w, s[2 * i + 1]);
        json_w_array_end(w);
    }
    json_w_array_end(w);
}
static void w_fp(json_writer *w, const fp_t *x) {
    char s[80];
    fp_to_dec(s, sizeof s, x);
    json_w_string(w, s);
}

zk_err zk_g16_proof_to_json(char **out, const zk_g16_proof *proof) {
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "pi_a");
    w_g1(&w, &proof->a);
    json_w_key(&w, "pi_b");
    w_g2(&w, &proof->b);
    json_w_key(&w, "pi_c");
    w_g1(&w, &proof->c);
    json_w_key(&w, "protocol");
    json_w_string(&w, "groth16");
    json_w_key(&w, "curve");
    json_w_string(&w, "bn128");
    json_w_object_end(&w);
    return finish_pretty(out, &w);
}

zk_err zk_g16_public_to_json(char **out, const fr_t *pub, size_t n) {
    json_writer w;
    json_writer_init(&w);
    json_w_array_begin(&w);
    for (size_t i = 0; i < n; i++) {
        char s[80];
        fr_to_dec(s, sizeof s, &pub[i]);
        json_w_string(&w, s);
    }
    json_w_array_end(&w);
    return finish_pretty(out, &w);
}

zk_err zk_g16_vk_to_json(char **out, const zk_g16_vk *vk) {
    fp12_t ab;
    zk_pairing(&ab, &vk->alpha1, &vk->beta2);
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "protocol");
    json_w_string(&w, "groth16");
    json_w_key(&w, "curve");
    json_w_string(&w, "bn128");
    json_w_key(&w, "nPublic");
    json_w_u64(&w, vk->npublic);
    json_w_key(&w, "vk_alpha_1");
    w_g1(&w, &vk->alpha1);
    json_w_key(&w, "vk_beta_2");
    w_g2(&w, &vk->beta2);
    json_w_key(&w, "vk_gamma_2");
    w_g2(&w, &vk->gamma2);
    json_w_key(&w, "vk_delta_2");
    w_g2(&w, &vk->delta2);
    /* Fp12 as [[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]], Fp2 [re, im] */
    json_w_key(&w, "vk_alphabeta_12");
    json_w_array_begin(&w);
    for (int i = 0; i < 2; i++) {
        const fp6_t *h = i ? &ab.c1 : &ab.c0;
        const fp2_t *c[3] = {&h->c0, &h->c1, &h->c2};
        json_w_array_begin(&w);
        for (int j = 0; j < 3; j++) {
            json_w_array_begin(&w);
            w_fp(&w, &c[j]->c0);
            w_fp(&w, &c[j]->c1);
            json_w_array_end(&w);
        }
        json_w_array_end(&w);
    }
    json_w_array_end(&w);
    json_w_key(&w, "IC");
    json_w_array_begin(&w);
    for (uint64_t i = 0; i <= vk->npublic; i++) w_g1(&w, &vk->ic[i]);
    json_w_array_end(&w);
    json_w_object_end(&w);
    return finish_pretty(out, &w);
}

static zk_err g1_json(g1_affine_t *r, const json_value *a) {
    const char *s[3];
    if (!a || a->type != JSON_ARRAY || json_len(a) != 3) return ZK_ERR_FORMAT;
    for (size_t i = 0; i < 3; i++)
        if (!(s[i] = json_as_string(json_at(a, i), NULL))) return ZK_ERR_FORMAT;
    return g1_from_snarkjs_strings(r, s);
}

static zk_err g2_json(g2_affine_t *r, const json_value *a) {
    const char *s[6];
    if (!a || a->type != JSON_ARRAY || json_len(a) != 3) return ZK_ERR_FORMAT;
    for (size_t i = 0; i < 3; i++) {
        const json_value *c = json_at(a, i);
        if (!c || c->type != JSON_ARRAY || json_len(c) != 2) return ZK_ERR_FORMAT;
        for (size_t k = 0; k < 2; k++)
            if (!(s[2 * i + k] = json_as_string(json_at(c, k), NULL))) return ZK_ERR_FORMAT;
    }
    return g2_from_snarkjs_strings(r, s);
}

zk_err zk_g16_proof_from_json(zk_g16_proof *proof, const char *text, size_t len) {
    json_value *v = NULL;
    zk_err e = json_parse(&v, text, len, NULL);
    if (e != ZK_OK) return e;
    const char *proto = json_as_string(json_get(v, "protocol"), NULL);
    if (proto && strcmp(proto, "groth16") != 0) e = ZK_ERR_FORMAT;
    if (e == ZK_OK) e = g1_json(&proof->a, json_get(v, "pi_a"));
    if (e == ZK_OK) e = g2_json(&proof->b, json_get(v, "pi_b"));
    if (e == ZK_OK) e = g1_json(&proof->c, json_get(v, "pi_c"));
    json_free(v);
    return e;
}

zk_err zk_g16_public_from_json(fr_t **pub, size_t *n, const char *text, size_t len) {
    *pub = NULL;
    *n = 0;
    json_value *v = NULL;
    zk_err e = json_parse(&v, text, len, NULL);
    if (e != ZK_OK) return e;
    if (v->type != JSON_ARRAY) {
        json_free(v);
        return ZK_ERR_FORMAT;
    }
    size_t cnt = json_len(v);
    fr_t *p = malloc((cnt ? cnt : 1) * sizeof(fr_t));
    if (!p) e = ZK_ERR_NOMEM;
    for (size_t i = 0; e == ZK_OK && i < cnt; i++) {
        const json_value *x = json_at(v, i);
        const char *s = x && x->type == JSON_STRING ? x->text : x && x->type == JSON_NUMBER ? x->text : NULL;
        e = s ? fr_from_dec(&p[i], s) : ZK_ERR_FORMAT; /* rejects values >= r */
    }
    json_free(v);
    if (e != ZK_OK) {
        free(p);
        return e;
    }
    *pub = p;
    *n = cnt;
    return ZK_OK;
}

zk_err zk_g16_vk_from_json(zk_g16_vk *vk, const char *text, size_t len) {
    memset(vk, 0, sizeof *vk);
    json_value *v = NULL;
    zk_err e = json_parse(&v, text, len, NULL);
    if (e != ZK_OK) return e;
    const json_value *ic = json_get(v, "IC");
    uint64_t npub = 0;
    const char *proto = json_as_string(json_get(v, "protocol"), NULL);
    if (!proto || strcmp(proto, "groth16") != 0 || !ic || ic->type != JSON_ARRAY || json_len(ic) == 0 ||
        json_as_u64(&npub, json_get(v, "nPublic")) != ZK_OK || npub + 1 != json_len(ic))
        e = ZK_ERR_FORMAT;
    if (e == ZK_OK) e = g1_json(&vk->alpha1, json_get(v, "vk_alpha_1"));
    if (e == ZK_OK) e = g2_json(&vk->beta2, json_get(v, "vk_beta_2"));
    if (e == ZK_OK) e = g2_json(&vk->gamma2, json_get(v, "vk_gamma_2"));
    if (e == ZK_OK) e = g2_json(&vk->delta2, json_get(v, "vk_delta_2"));
    if (e == ZK_OK && !(vk->ic = malloc((size_t)(npub + 1) * sizeof(g1_affine_t)))) e = ZK_ERR_NOMEM;
    for (size_t i = 0; e == ZK_OK && i <= npub; i++) e = g1_json(&vk->ic[i], json_at(ic, i));
    vk->npublic = npub;
    json_free(v);
    if (e != ZK_OK) zk_g16_vk_free(vk);
    return e;
}
