/* The constraint-system builder: variables, linear combinations, constraints,
 * labels, and what each mode stores (see r1cs.h for the design).
 *
 * Hot paths are the lc updates and zk_cs_mul. In PROVE/CHECK modes an lc is
 * just its value, so they cost a field multiply-add; in SETUP mode terms are
 * appended unsorted and sorted/merged once per recorded row (rows built in
 * variable order, the common case, are detected and not sorted). */
#include <stdlib.h>
#include <string.h>

#include "r1cs_internal.h"

void zk_cs_set_error(zk_cs *cs, zk_err e) {
    if (cs->err == ZK_OK) cs->err = e;
}

/* Grows *p (elements of size elem, capacity *cap) to hold need elements. */
static int grow(zk_cs *cs, void **p, uint64_t *cap, uint64_t need, size_t elem) {
    if (need <= *cap) return 1;
    uint64_t nc = *cap ? *cap : 64;
    while (nc < need) nc *= 2;
    if (nc > SIZE_MAX / elem) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    void *q = realloc(*p, (size_t)nc * elem);
    if (!q) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    *p = q;
    *cap = nc;
    return 1;
}
#define GROW(cs, arr, cap, need) grow((cs), (void **)&(arr), &(cap), (need), sizeof *(arr))

/* ---------------- linear combinations ---------------- */

void zk_lc_init(zk_lc *r) {
    fr_zero(&r->val);
    r->n = 0;
    r->is_const = 1;
    r->cap = ZK_LC_INLINE;
    r->heap = NULL;
}

void zk_lc_free(zk_lc *r) {
    free(r->heap);
    zk_lc_init(r);
}

static int lc_reserve(zk_cs *cs, zk_lc *r, uint64_t need) {
    if (need <= r->cap) return 1;
    if (need > UINT32_MAX / 2) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    uint32_t nc = r->cap * 2;
    while (nc < need) nc *= 2;
    zk_term *h = realloc(r->heap, (size_t)nc * sizeof *h);
    if (!h) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    if (!r->heap) memcpy(h, r->inl, r->n * sizeof *h);
    r->heap = h;
    r->cap = nc;
    return 1;
}

static inline int var_ok(zk_cs *cs, zk_var v) {
    if (v < cs->nvars) return 1;
    zk_cs_set_error(cs, ZK_ERR_ARG);
    return 0;
}

static void lc_reset(zk_lc *r) {
    fr_zero(&r->val);
    r->n = 0;
    r->is_const = 1;
}

void zk_lc_clear(zk_lc *r) { lc_reset(r); }

void zk_lc_add_var(zk_cs *cs, zk_lc *r, const fr_t *k, zk_var v) {
    if (cs->err || !var_ok(cs, v)) return;
    r->is_const = 0;
    if (cs->values) {
        fr_t t = cs->w[v];
        if (k) fr_mul(&t, &t, k);
        fr_add(&r->val, &r->val, &t);
    }
    if (cs->record_rows) {
        if (!lc_reserve(cs, r, (uint64_t)r->n + 1)) return;
        zk_term *t = r->heap ? r->heap : r->inl;
        t[r->n].var = v;
        t[r->n].pad_ = 0;
        t[r->n].c = k ? *k : cs->one;
        r->n++;
    }
}

void zk_lc_sub_var(zk_cs *cs, zk_lc *r, zk_var v) { zk_lc_add_var(cs, r, &cs->minus_one, v); }

void zk_lc_add_const(zk_cs *cs, zk_lc *r, const fr_t *k) {
    if (cs->err) return;
    fr_add(&r->val, &r->val, k ? k : &cs->one);
    if (cs->record_rows) {
        if (!lc_reserve(cs, r, (uint64_t)r->n + 1)) return;
        zk_term *t = r->heap ? r->heap : r->inl;
        t[r->n].var = ZK_CS_ONE;
        t[r->n].pad_ = 0;
        t[r->n].c = k ? *k : cs->one;
        r->n++;
    }
}

void zk_lc_set_var(zk_cs *cs, zk_lc *r, zk_var v) {
    lc_reset(r);
    zk_lc_add_var(cs, r, NULL, v);
}

void zk_lc_set_const(zk_cs *cs, zk_lc *r, const fr_t *k) {
    lc_reset(r);
    zk_lc_add_const(cs, r, k);
}

void zk_lc_scale(zk_cs *cs, zk_lc *r, const fr_t *k) {
    if (cs->err || !k) return;
    if (cs->values || r->is_const) fr_mul(&r->val, &r->val, k); /* else val is meaningless */
    if (cs->record_rows) {
        zk_term *t = r->heap ? r->heap : r->inl;
        for (uint32_t i = 0; i < r->n; i++) fr_mul(&t[i].c, &t[i].c, k);
    }
}

void zk_lc_add(zk_cs *cs, zk_lc *r, const fr_t *k, const zk_lc *a) {
    if (cs->err) return;
    if (r == a) { /* r += k r */
        fr_t f;
        fr_add(&f, &cs->one, k ? k : &cs->one);
        zk_lc_scale(cs, r, &f);
        return;
    }
    if (cs->values || a->is_const) { /* without values, val only matters for constants */
        fr_t t = a->val;
        if (k) fr_mul(&t, &t, k);
        fr_add(&r->val, &r->val, &t);
    }
    r->is_const &= a->is_const;
    if (cs->record_rows) {
        if (!lc_reserve(cs, r, (uint64_t)r->n + a->n)) return;
        zk_term *t = r->heap ? r->heap : r->inl;
        const zk_term *s = zk_lc_terms(a);
        for (uint32_t i = 0; i < a->n; i++) {
            t[r->n + i] = s[i];
            if (k) fr_mul(&t[r->n + i].c, &s[i].c, k);
        }
        r->n += a->n;
    }
}

void zk_lc_sub(zk_cs *cs, zk_lc *r, const zk_lc *a) { zk_lc_add(cs, r, &cs->minus_one, a); }

void zk_lc_copy(zk_cs *cs, zk_lc *r, const zk_lc *a) {
    if (r == a || cs->err) return;
    lc_reset(r);
    zk_lc_add(cs, r, NULL, a);
}

/* ---------------- builder ---------------- */

static int reserve_rows(zk_cs *cs, uint64_t need);
static uint32_t coeff_index(zk_cs *cs, const fr_t *c);

zk_cs *zk_cs_new(zk_cs_mode mode) {
    if (mode != ZK_CS_COUNT && mode != ZK_CS_SETUP && mode != ZK_CS_PROVE && mode != ZK_CS_CHECK) return NULL;
    zk_cs *cs = calloc(1, sizeof *cs);
    if (!cs) return NULL;
    cs->mode = mode;
    cs->values = mode == ZK_CS_PROVE || mode == ZK_CS_CHECK;
    cs->record_vals = mode == ZK_CS_PROVE;
    cs->record_rows = mode == ZK_CS_SETUP;
    fr_one(&cs->one);
    fr_neg(&cs->minus_one, &cs->one);
    cs->pow2[0] = cs->one;
    for (int i = 1; i < 256; i++) fr_dbl(&cs->pow2[i], &cs->pow2[i - 1]);
    /* variable 0 = 1 */
    cs->nvars = 1;
    if (cs->values) {
        if (!GROW(cs, cs->w, cs->w_cap, 1)) goto fail;
        cs->w[0] = cs->one;
    }
    if (cs->record_rows) {
        if (!reserve_rows(cs, 64)) goto fail;
        for (int m = 0; m < 3; m++) cs->rows[m][0] = 0;
        /* coefficient table seeded with 1 and -1 (indices 0 and 1) */
        cs->ctab_size = 1024;
        cs->ctab = calloc(cs->ctab_size, sizeof *cs->ctab);
        if (!cs->ctab) goto fail;
        (void)coeff_index(cs, &cs->one);
        (void)coeff_index(cs, &cs->minus_one);
    }
    zk_lc_init(&cs->one_lc);
    cs->one_lc.val = cs->one; /* is_const */
    if (cs->record_rows) {
        cs->one_lc.n = 1;
        cs->one_lc.inl[0].var = ZK_CS_ONE;
        cs->one_lc.inl[0].pad_ = 0;
        cs->one_lc.inl[0].c = cs->one;
    }
    if (cs->err) goto fail;
    return cs;
fail:
    zk_cs_free(cs);
    return NULL;
}

void zk_cs_free(zk_cs *cs) {
    if (!cs) return;
    free(cs->w);
    free(cs->va);
    free(cs->vb);
    free(cs->vc);
    for (int m = 0; m < 3; m++) {
        free(cs->rows[m]);
        free(cs->terms[m]);
    }
    free(cs->coeffs);
    free(cs->ctab);
    free(cs->scratch);
    for (size_t t = 0; t < sizeof cs->plans / sizeof cs->plans[0]; t++) zk_poseidon_plan_free(cs->plans[t]);
    free(cs);
}

zk_cs_mode zk_cs_get_mode(const zk_cs *cs) { return cs->mode; }
int zk_cs_has_values(const zk_cs *cs) { return cs->values; }
zk_err zk_cs_status(const zk_cs *cs) { return cs->err; }
uint64_t zk_cs_nconstraints(const zk_cs *cs) { return cs->ncons; }
uint64_t zk_cs_nvars(const zk_cs *cs) { return cs->nvars; }
uint64_t zk_cs_npublic(const zk_cs *cs) { return cs->npub; }
uint64_t zk_cs_nfailures(const zk_cs *cs) { return cs->nfail; }
const zk_lc *zk_cs_lc_one(const zk_cs *cs) { return &cs->one_lc; }

int zk_cs_first_failure(const zk_cs *cs, uint64_t *index, const char **label_path) {
    if (!cs->nfail) return 0;
    if (index) *index = cs->first_fail;
    if (label_path) *label_path = cs->first_fail_path;
    return 1;
}

static int reserve_rows(zk_cs *cs, uint64_t need) {
    if (need <= cs->rows_cap) return 1;
    uint64_t cap = cs->rows_cap;
    for (int m = 0; m < 3; m++) {
        cap = cs->rows_cap;
        if (!grow(cs, (void **)&cs->rows[m], &cap, need, sizeof *cs->rows[m])) return 0;
    }
    cs->rows_cap = cap;
    return 1;
}

static int reserve_vals(zk_cs *cs, uint64_t need) {
    if (need <= cs->v_cap) return 1;
    uint64_t cap = cs->v_cap;
    fr_t **arr[3] = {&cs->va, &cs->vb, &cs->vc};
    for (int m = 0; m < 3; m++) {
        cap = cs->v_cap;
        if (!grow(cs, (void **)arr[m], &cap, need, sizeof(fr_t))) return 0;
    }
    cs->v_cap = cap;
    return 1;
}

zk_err zk_cs_reserve(zk_cs *cs, uint64_t nconstraints, uint64_t nvars) {
    if (cs->err) return cs->err;
    if (cs->values) GROW(cs, cs->w, cs->w_cap, nvars);
    if (cs->record_vals) reserve_vals(cs, nconstraints);
    if (cs->record_rows) reserve_rows(cs, nconstraints + 1);
    return cs->err;
}

/* ---------------- variables ---------------- */

static void count_private(zk_cs *cs) {
    for (uint32_t d = 0; d < cs->depth; d++)
        if (cs->counted[d]) cs->labels[cs->stack[d]].privates++;
}

static zk_var alloc(zk_cs *cs, const fr_t *value, int is_private) {
    if (cs->err) return ZK_CS_ONE;
    if (cs->nvars >= UINT32_MAX) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return ZK_CS_ONE;
    }
    zk_var v = (zk_var)cs->nvars;
    if (cs->values) {
        if (!value) {
            zk_cs_set_error(cs, ZK_ERR_ARG);
            return ZK_CS_ONE;
        }
        if (!GROW(cs, cs->w, cs->w_cap, cs->nvars + 1)) return ZK_CS_ONE;
        fr_t x = *value;
        if (is_private && cs->hook) cs->hook(cs->hook_ctx, cs, v, &x);
        cs->w[v] = x;
    }
    cs->nvars++;
    if (is_private) count_private(cs);
    return v;
}

zk_var zk_cs_public(zk_cs *cs, const fr_t *value) {
    if (cs->err) return ZK_CS_ONE;
    if (cs->nvars != cs->npub + 1) { /* a private variable exists already */
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return ZK_CS_ONE;
    }
    zk_var v = alloc(cs, value, 0);
    if (!cs->err) cs->npub++;
    return v;
}

zk_var zk_cs_private(zk_cs *cs, const fr_t *value) { return alloc(cs, value, 1); }

void zk_cs_get(const zk_cs *cs, fr_t *out, zk_var v) {
    if (cs->values && v < cs->nvars) *out = cs->w[v];
    else fr_zero(out);
}

void zk_cs_set_row_sink(zk_cs *cs, zk_cs_row_sink fn, void *ctx) {
    if (cs->ncons) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    cs->sink = fn;
    cs->sink_ctx = ctx;
}

void zk_cs_set_hint_hook(zk_cs *cs, zk_cs_hint_hook fn, void *ctx) {
    cs->hook = fn;
    cs->hook_ctx = ctx;
}

/* ---------------- recording (SETUP) ---------------- */

static uint64_t coeff_hash(const fr_t *c) {
    uint64_t h = c->l[0] ^ (c->l[1] * 0x9e3779b97f4a7c15ULL) ^ (c->l[2] * 0xc2b2ae3d27d4eb4fULL) ^ c->l[3];
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

static int coeff_rehash(zk_cs *cs) {
    uint64_t size = cs->ctab_size * 2;
    uint32_t *tab = calloc(size, sizeof *tab);
    if (!tab) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    for (uint64_t i = 0; i < cs->ncoeffs; i++) {
        uint64_t j = coeff_hash(&cs->coeffs[i]) & (size - 1);
        while (tab[j]) j = (j + 1) & (size - 1);
        tab[j] = (uint32_t)(i + 1);
    }
    free(cs->ctab);
    cs->ctab = tab;
    cs->ctab_size = size;
    return 1;
}

static uint32_t coeff_index(zk_cs *cs, const fr_t *c) {
    uint64_t mask = cs->ctab_size - 1, j = coeff_hash(c) & mask;
    for (;;) {
        uint32_t e = cs->ctab[j];
        if (!e) break;
        if (!memcmp(&cs->coeffs[e - 1], c, sizeof *c)) return e - 1;
        j = (j + 1) & mask;
    }
    if (cs->ncoeffs >= UINT32_MAX - 1 || !GROW(cs, cs->coeffs, cs->coeffs_cap, cs->ncoeffs + 1)) {
        zk_cs_set_error(cs, ZK_ERR_NOMEM);
        return 0;
    }
    uint32_t idx = (uint32_t)cs->ncoeffs++;
    cs->coeffs[idx] = *c;
    cs->ctab[j] = idx + 1;
    if (2 * cs->ncoeffs > cs->ctab_size) coeff_rehash(cs);
    return idx;
}

static int term_cmp(const void *x, const void *y) {
    zk_var a = ((const zk_term *)x)->var, b = ((const zk_term *)y)->var;
    return (a > b) - (a < b);
}

static void record_row(zk_cs *cs, int m, const zk_lc *lc) {
    uint32_t n = lc ? lc->n : 0;
    uint64_t base = cs->nterms[m];
    if (n) {
        if (!GROW(cs, cs->scratch, cs->scratch_cap, n)) return;
        zk_term *s = cs->scratch;
        memcpy(s, zk_lc_terms(lc), n * sizeof *s);
        uint32_t i, k;
        for (i = 1; i < n && s[i - 1].var <= s[i].var; i++) {}
        if (i < n) { /* insertion sort (rows are nearly sorted), qsort if it drags */
            uint64_t moves = 0, limit = 8 * (uint64_t)n + 64;
            for (; i < n && moves <= limit; i++) {
                zk_term x = s[i];
                for (k = i; k > 0 && s[k - 1].var > x.var; k--) s[k] = s[k - 1];
                s[k] = x;
                moves += i - k;
            }
            if (i < n) qsort(s, n, sizeof *s, term_cmp);
        }
        for (i = 1, k = 0; i < n; i++) { /* merge equal variables */
            if (s[i].var == s[k].var) fr_add(&s[k].c, &s[k].c, &s[i].c);
            else s[++k] = s[i];
        }
        n = k + 1;
        if (!GROW(cs, cs->terms[m], cs->terms_cap[m], base + n)) return;
        for (i = 0; i < n; i++) {
            if (fr_is_zero(&s[i].c)) continue; /* cancelled */
            if (s[i].var >= cs->nvars) {
                zk_cs_set_error(cs, ZK_ERR_ARG);
                return;
            }
            zk_cs_term *t = &cs->terms[m][cs->nterms[m]++];
            t->var = s[i].var;
            t->coeff = coeff_index(cs, &s[i].c);
        }
    }
    if (!cs->sink) cs->rows[m][cs->ncons + 1] = cs->nterms[m];
}

/* ---------------- constraints ---------------- */

static void fail(zk_cs *cs) {
    if (cs->nfail++ == 0) {
        cs->first_fail = cs->ncons;
        char *p = cs->first_fail_path;
        p[0] = 0;
        size_t len = 0;
        for (uint32_t d = 0; d < cs->depth; d++) {
            const char *name = cs->labels[cs->stack[d]].name;
            size_t l = strlen(name);
            if (d) p[len++] = '/';
            memcpy(p + len, name, l);
            len += l;
            p[len] = 0;
        }
    }
}

void zk_cs_mul(zk_cs *cs, const zk_lc *a, const zk_lc *b, const zk_lc *c) {
    if (cs->err) return;
    if (cs->values) {
        fr_t ab, cv;
        fr_mul(&ab, &a->val, &b->val);
        if (c) cv = c->val;
        else fr_zero(&cv);
        if (memcmp(&ab, &cv, sizeof ab)) fail(cs);
        if (cs->record_vals) {
            if (!reserve_vals(cs, cs->ncons + 1)) return;
            cs->va[cs->ncons] = a->val;
            cs->vb[cs->ncons] = b->val;
            cs->vc[cs->ncons] = cv;
        }
    }
    if (cs->record_rows) {
        if (!cs->sink && !reserve_rows(cs, cs->ncons + 2)) return;
        record_row(cs, 0, a);
        record_row(cs, 1, b);
        record_row(cs, 2, c);
        if (cs->err) return;
        if (cs->sink) { /* hand the rows over, then forget them */
            const zk_cs_term *rows[3] = {cs->terms[0], cs->terms[1], cs->terms[2]};
            uint32_t lens[3] = {(uint32_t)cs->nterms[0], (uint32_t)cs->nterms[1], (uint32_t)cs->nterms[2]};
            cs->sink(cs->sink_ctx, cs->ncons, rows, lens, cs->coeffs);
            cs->nterms[0] = cs->nterms[1] = cs->nterms[2] = 0;
        }
    }
    for (uint32_t d = 0; d < cs->depth; d++)
        if (cs->counted[d]) cs->labels[cs->stack[d]].constraints++;
    cs->ncons++;
}

void zk_cs_eq(zk_cs *cs, const zk_lc *a, const zk_lc *b) { zk_cs_mul(cs, a, &cs->one_lc, b); }

zk_var zk_cs_mul_new(zk_cs *cs, const zk_lc *a, const zk_lc *b) {
    fr_t v;
    if (cs->values) fr_mul(&v, &a->val, &b->val);
    zk_var x = zk_cs_private(cs, cs->values ? &v : NULL);
    zk_lc c;
    zk_lc_init(&c);
    zk_lc_set_var(cs, &c, x);
    zk_cs_mul(cs, a, b, &c);
    zk_lc_free(&c);
    return x;
}

zk_var zk_cs_materialize(zk_cs *cs, const zk_lc *a) {
    zk_var x = zk_cs_private(cs, cs->values ? &a->val : NULL);
    zk_lc c;
    zk_lc_init(&c);
    zk_lc_set_var(cs, &c, x);
    zk_cs_eq(cs, a, &c);
    zk_lc_free(&c);
    return x;
}

/* ---------------- labels ---------------- */

void zk_cs_push(zk_cs *cs, const char *label) {
    if (cs->err) return;
    char name[32];
    size_t l = strlen(label);
    if (l > 31) l = 31;
    memcpy(name, label, l);
    name[l] = 0;
    uint32_t id;
    for (id = 0; id < cs->nlabels && strcmp(cs->labels[id].name, name); id++) {}
    if (id == cs->nlabels) {
        if (id == ZK_CS_MAX_LABELS) {
            zk_cs_set_error(cs, ZK_ERR_ARG);
            return;
        }
        memcpy(cs->labels[id].name, name, l + 1);
        cs->nlabels++;
    }
    if (cs->depth == ZK_CS_MAX_DEPTH) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    uint8_t counted = 1;
    for (uint32_t d = 0; d < cs->depth; d++)
        if (cs->stack[d] == id) counted = 0;
    cs->stack[cs->depth] = (uint16_t)id;
    cs->counted[cs->depth] = counted;
    cs->depth++;
    cs->labels[id].calls++;
}

void zk_cs_pop(zk_cs *cs) {
    if (cs->err) return;
    if (cs->depth == 0) {
        zk_cs_set_error(cs, ZK_ERR_ARG);
        return;
    }
    cs->depth--;
}

const char *zk_cs_label_top(const zk_cs *cs) {
    return cs->depth ? cs->labels[cs->stack[cs->depth - 1]].name : "";
}

size_t zk_cs_nlabels(const zk_cs *cs) { return cs->nlabels; }

void zk_cs_label_get(const zk_cs *cs, zk_cs_label_stats *out, size_t i) {
    memset(out, 0, sizeof *out);
    out->name = "";
    if (i >= cs->nlabels) return;
    out->name = cs->labels[i].name;
    out->constraints = cs->labels[i].constraints;
    out->privates = cs->labels[i].privates;
    out->calls = cs->labels[i].calls;
}

/* ---------------- results ---------------- */

void zk_cs_matrix(const zk_cs *cs, int m, const uint64_t **row_start, const zk_cs_term **terms) {
    int ok = cs->record_rows && !cs->sink && m >= 0 && m < 3;
    if (row_start) *row_start = ok ? cs->rows[m] : NULL;
    if (terms) *terms = ok ? cs->terms[m] : NULL;
}

const fr_t *zk_cs_coeffs(const zk_cs *cs, size_t *n) {
    if (n) *n = (size_t)cs->ncoeffs;
    return cs->coeffs;
}

void zk_cs_abc(const zk_cs *cs, const fr_t **a, const fr_t **b, const fr_t **c) {
    if (a) *a = cs->va;
    if (b) *b = cs->vb;
    if (c) *c = cs->vc;
}

const fr_t *zk_cs_witness(const zk_cs *cs) { return cs->w; }
