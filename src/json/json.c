/* json: recursive-descent reader and Go-compatible compact writer.
 *
 * Design: the parser walks the input once, building nodes whose children are
 * contiguous arrays grown by doubling (a parsed child is moved in by value,
 * which is safe because nodes own only heap pointers). Recursion depth is the
 * JSON nesting depth, capped by JSON_MAX_DEPTH. Line/column of an error are
 * computed from the byte offset only when an error happens, so the hot loop
 * tracks nothing but the offset. Duplicate keys are found by a sort of key
 * indices at the end of each object (O(n log n) even for hostile objects). */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *s;
    size_t n, i;
    json_error *err;
    zk_err rc;
} parser;

static zk_err fail(parser *p, const char *what) {
    if (p->rc != ZK_OK) return p->rc;
    p->rc = ZK_ERR_PARSE;
    if (p->err) {
        size_t line = 1, col = 1;
        for (size_t k = 0; k < p->i && k < p->n; k++) {
            if (p->s[k] == '\n') { line++; col = 1; }
            else if ((p->s[k] & 0xC0) != 0x80) col++;
        }
        p->err->line = line;
        p->err->column = col;
        p->err->offset = p->i;
        snprintf(p->err->message, sizeof p->err->message, "%s at line %zu column %zu", what, line, col);
    }
    return p->rc;
}

static zk_err nomem(parser *p) {
    if (p->rc == ZK_OK) p->rc = ZK_ERR_NOMEM;
    if (p->err) snprintf(p->err->message, sizeof p->err->message, "out of memory");
    return p->rc;
}

static void skip_ws(parser *p) {
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static long read_u4(parser *p) { /* p->i at the first of 4 hex digits */
    if (p->n - p->i < 4) return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(p->s[p->i + (size_t)k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    p->i += 4;
    return v;
}

static size_t put_utf8(unsigned char *o, unsigned long cp) {
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = (unsigned char)(0xC0 | (cp >> 6)); o[1] = (unsigned char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12)); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 63));
        o[2] = (unsigned char)(0x80 | (cp & 63)); return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18)); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 63));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 63)); o[3] = (unsigned char)(0x80 | (cp & 63));
    return 4;
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if invalid (overlong,
 * surrogate, > U+10FFFF or truncated). */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned long cp, min;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* p->i at the opening quote. The unescaped string is never longer than its
 * source text, so one allocation of that size suffices. */
static zk_err parse_string(parser *p, char **out, size_t *out_len) {
    size_t start = ++p->i, end = start;
    while (end < p->n && p->s[end] != '"') end += (p->s[end] == '\\') ? 2 : 1;
    if (end >= p->n) { p->i = p->n; return fail(p, "unterminated string"); }
    unsigned char *o = malloc(end - start + 1);
    if (!o) return nomem(p);
    size_t k = 0;
    while (p->s[p->i] != '"') {
        unsigned char c = p->s[p->i];
        if (c < 0x20) { free(o); return fail(p, "control character in string"); }
        if (c != '\\') {
            size_t l = utf8_len(p->s + p->i, end - p->i);
            if (l == 0) { free(o); return fail(p, "invalid UTF-8 in string"); }
            memcpy(o + k, p->s + p->i, l);
            k += l;
            p->i += l;
            continue;
        }
        size_t esc = p->i++;
        unsigned char e = p->s[p->i++];
        switch (e) {
        case '"': o[k++] = '"'; break;
        case '\\': o[k++] = '\\'; break;
        case '/': o[k++] = '/'; break;
        case 'b': o[k++] = '\b'; break;
        case 'f': o[k++] = '\f'; break;
        case 'n': o[k++] = '\n'; break;
        case 'r': o[k++] = '\r'; break;
        case 't': o[k++] = '\t'; break;
        case 'u': {
            long cp = read_u4(p);
            if (cp < 0) { p->i = esc; free(o); return fail(p, "invalid \\u escape"); }
            if (cp >= 0xDC00 && cp <= 0xDFFF) { p->i = esc; free(o); return fail(p, "lone surrogate"); }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = -1;
                if (p->n - p->i >= 6 && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
                    p->i += 2;
                    lo = read_u4(p);
                }
                if (lo < 0xDC00 || lo > 0xDFFF) { p->i = esc; free(o); return fail(p, "lone surrogate"); }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            k += put_utf8(o + k, (unsigned long)cp);
            break;
        }
        default: p->i = esc; free(o); return fail(p, "invalid escape");
        }
    }
    p->i++; /* closing quote */
    o[k] = 0;
    *out = (char *)o;
    *out_len = k;
    return ZK_OK;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Length of the JSON number at s[0..n), 0 if malformed; *why names the flaw. */
static size_t scan_number(const unsigned char *s, size_t n, const char **why) {
    size_t i = 0;
    *why = "invalid number";
    if (i < n && s[i] == '-') i++;
    if (i >= n || !is_digit(s[i])) return 0;
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) { *why = "leading zero in number"; return 0; }
    } else {
        while (i < n && is_digit(s[i])) i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i])) return 0;
        while (i < n && is_digit(s[i])) i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || !is_digit(s[i])) return 0;
        while (i < n && is_digit(s[i])) i++;
    }
    return i;
}

static zk_err parse_value(parser *p, json_value *v, int depth);
static void free_contents(json_value *v);

static zk_err grow(parser *p, json_value *v, size_t *cap, int with_keys) {
    if (v->len < *cap) return ZK_OK;
    size_t nc = *cap ? 2 * *cap : 4;
    json_value *it = realloc(v->items, nc * sizeof *it);
    if (!it) return nomem(p);
    v->items = it;
    if (with_keys) {
        json_key *ks = realloc(v->keys, nc * sizeof *ks);
        if (!ks) return nomem(p);
        v->keys = ks;
    }
    *cap = nc;
    return ZK_OK;
}

static int key_cmp_idx(const json_key *a, const json_key *b) {
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, m);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}
static int key_cmp(const void *a, const void *b) {
    return key_cmp_idx(*(const json_key *const *)a, *(const json_key *const *)b);
}

static int has_duplicate_keys(const json_value *v, int *oom) {
    *oom = 0;
    if (v->len < 2) return 0;
    if (v->len <= 16) {
        for (size_t a = 0; a < v->len; a++)
            for (size_t b = a + 1; b < v->len; b++)
                if (key_cmp_idx(&v->keys[a], &v->keys[b]) == 0) return 1;
        return 0;
    }
    const json_key **idx = malloc(v->len * sizeof *idx);
    if (!idx) { *oom = 1; return 0; }
    for (size_t a = 0; a < v->len; a++) idx[a] = &v->keys[a];
    qsort(idx, v->len, sizeof *idx, key_cmp);
    int dup = 0;
    for (size_t a = 1; a < v->len && !dup; a++) dup = key_cmp_idx(idx[a - 1], idx[a]) == 0;
    free(idx);
    return dup;
}

static zk_err parse_container(parser *p, json_value *v, int depth, int is_obj) {
    unsigned char close = is_obj ? '}' : ']';
    size_t cap = 0;
    if (depth >= JSON_MAX_DEPTH) return fail(p, "nesting too deep");
    v->type = is_obj ? JSON_OBJECT : JSON_ARRAY;
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == close) { p->i++; return ZK_OK; }
    for (;;) {
        if (grow(p, v, &cap, is_obj) != ZK_OK) return p->rc;
        if (is_obj) {
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != '"') return fail(p, "expected string key");
            json_key *k = &v->keys[v->len];
            if (parse_string(p, &k->s, &k->len) != ZK_OK) return p->rc;
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') { free(k->s); return fail(p, "expected ':'"); }
            p->i++;
        }
        json_value child;
        memset(&child, 0, sizeof child);
        if (parse_value(p, &child, depth + 1) != ZK_OK) {
            free_contents(&child);
            if (is_obj) free(v->keys[v->len].s);
            return p->rc;
        }
        v->items[v->len++] = child;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') { p->i++; continue; }
        if (p->i < p->n && p->s[p->i] == close) { p->i++; break; }
        return fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    if (is_obj) {
        int oom;
        if (has_duplicate_keys(v, &oom)) { p->i--; return fail(p, "duplicate key in object"); }
        if (oom) return nomem(p);
    }
    return ZK_OK;
}

static zk_err parse_value(parser *p, json_value *v, int depth) {
    skip_ws(p);
    if (p->i >= p->n) return fail(p, "unexpected end of input");
    unsigned char c = p->s[p->i];
    static const struct { const char *word; json_type t; int b; } lits[] = {
        {"null", JSON_NULL, 0}, {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}};
    switch (c) {
    case '{': return parse_container(p, v, depth, 1);
    case '[': return parse_container(p, v, depth, 0);
    case '"':
        v->type = JSON_STRING;
        return parse_string(p, &v->text, &v->len);
    case 'n': case 't': case 'f':
        for (size_t k = 0; k < 3; k++) {
            size_t l = strlen(lits[k].word);
            if (lits[k].word[0] != c) continue;
            if (p->n - p->i < l || memcmp(p->s + p->i, lits[k].word, l) != 0) return fail(p, "invalid literal");
            p->i += l;
            v->type = lits[k].t;
            v->boolean = lits[k].b;
            return ZK_OK;
        }
        break;
    default:
        if (c == '-' || is_digit(c)) {
            const char *why;
            size_t l = scan_number(p->s + p->i, p->n - p->i, &why);
            if (l == 0) return fail(p, why);
            v->type = JSON_NUMBER;
            v->text = malloc(l + 1);
            if (!v->text) return nomem(p);
            memcpy(v->text, p->s + p->i, l);
            v->text[l] = 0;
            v->len = l;
            p->i += l;
            return ZK_OK;
        }
    }
    return fail(p, "expected value");
}

/* Frees what v owns, not v itself: children live inside their parent's
 * items array; only the root is a separate allocation (json_free). */
static void free_contents(json_value *v) {
    if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
        for (size_t k = 0; k < v->len; k++) {
            free_contents(&v->items[k]);
            if (v->keys) free(v->keys[k].s);
        }
    }
    free(v->items);
    free(v->keys);
    free(v->text);
}

zk_err json_parse(json_value **out, const char *text, size_t len, json_error *err) {
    *out = NULL;
    if (err) memset(err, 0, sizeof *err);
    json_value *root = calloc(1, sizeof *root);
    parser p = {(const unsigned char *)text, len, 0, err, ZK_OK};
    if (!root) return nomem(&p);
    if (parse_value(&p, root, 0) == ZK_OK) {
        skip_ws(&p);
        if (p.i != p.n) fail(&p, "unexpected data after the document");
    }
    if (p.rc != ZK_OK) {
        free_contents(root);
        free(root);
        return p.rc;
    }
    *out = root;
    return ZK_OK;
}

void json_free(json_value *v) {
    if (!v) return;
    free_contents(v);
    free(v);
}

/* ---- lookups ---- */
const json_value *json_get(const json_value *obj, const char *key) {
    if (!obj || obj->type != JSON_OBJECT || !key) return NULL;
    size_t l = strlen(key);
    for (size_t k = 0; k < obj->len; k++)
        if (obj->keys[k].len == l && memcmp(obj->keys[k].s, key, l) == 0) return &obj->items[k];
    return NULL;
}
size_t json_len(const json_value *v) {
    return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) ? v->len : 0;
}
const json_value *json_at(const json_value *v, size_t i) { return i < json_len(v) ? &v->items[i] : NULL; }
const char *json_key_at(const json_value *obj, size_t i) {
    return obj && obj->type == JSON_OBJECT && i < obj->len ? obj->keys[i].s : NULL;
}
const char *json_as_string(const json_value *v, size_t *len) {
    if (!v || v->type != JSON_STRING) return NULL;
    if (len) *len = v->len;
    return v->text;
}
const char *json_number_text(const json_value *v) { return v && v->type == JSON_NUMBER ? v->text : NULL; }
int json_is_null(const json_value *v) { return v && v->type == JSON_NULL; }
zk_err json_as_bool(int *out, const json_value *v) {
    if (!v || v->type != JSON_BOOL) return ZK_ERR_PARSE;
    *out = v->boolean;
    return ZK_OK;
}

/* Magnitude of an integer number text; ZK_ERR_ARG above UINT64_MAX. */
static zk_err int_magnitude(uint64_t *out, int *neg, const json_value *v) {
    if (!v || v->type != JSON_NUMBER) return ZK_ERR_PARSE;
    const char *s = v->text;
    *neg = *s == '-';
    s += *neg;
    uint64_t m = 0;
    for (; *s; s++) {
        if (!is_digit((unsigned char)*s)) return ZK_ERR_PARSE; /* fraction or exponent */
        unsigned d = (unsigned)(*s - '0');
        if (m > (UINT64_MAX - d) / 10) return ZK_ERR_ARG;
        m = m * 10 + d;
    }
    *out = m;
    return ZK_OK;
}
zk_err json_as_u64(uint64_t *out, const json_value *v) {
    uint64_t m;
    int neg;
    zk_err e = int_magnitude(&m, &neg, v);
    if (e != ZK_OK) return e;
    if (neg) return m == 0 ? ZK_ERR_PARSE : ZK_ERR_ARG; /* "-0" is not an unsigned integer either */
    *out = m;
    return ZK_OK;
}
zk_err json_as_i64(int64_t *out, const json_value *v) {
    uint64_t m;
    int neg;
    zk_err e = int_magnitude(&m, &neg, v);
    if (e != ZK_OK) return e;
    if (m > (uint64_t)INT64_MAX + (uint64_t)neg) return ZK_ERR_ARG;
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return ZK_OK;
}

/* ---- writer ---- */
void json_writer_init(json_writer *w) { memset(w, 0, sizeof *w); }
void json_writer_free(json_writer *w) { free(w->buf); memset(w, 0, sizeof *w); }

static void put(json_writer *w, const void *s, size_t n) {
    if (w->err != ZK_OK) return;
    if (w->cap - w->len <= n) { /* keep one byte for the final NUL */
        size_t nc = w->cap ? w->cap : 256;
        while (nc - w->len <= n) nc *= 2;
        char *b = realloc(w->buf, nc);
        if (!b) { w->err = ZK_ERR_NOMEM; return; }
        w->buf = b;
        w->cap = nc;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}
static void putc1(json_writer *w, char c) { put(w, &c, 1); }

zk_err json_writer_finish(json_writer *w, char **out, size_t *len) {
    *out = NULL;
    if (w->err == ZK_OK && !w->buf) put(w, "", 0);
    if (w->err == ZK_OK && w->cap == 0) w->err = ZK_ERR_NOMEM;
    if (w->err != ZK_OK) { zk_err e = w->err; json_writer_free(w); return e; }
    w->buf[w->len] = 0;
    *out = w->buf;
    if (len) *len = w->len;
    memset(w, 0, sizeof *w);
    return ZK_OK;
}

static void before_value(json_writer *w) {
    if (w->need_comma) putc1(w, ',');
    w->need_comma = 0;
}
void json_w_object_begin(json_writer *w) { before_value(w); putc1(w, '{'); }
void json_w_array_begin(json_writer *w) { before_value(w); putc1(w, '['); }
void json_w_object_end(json_writer *w) { putc1(w, '}'); w->need_comma = 1; }
void json_w_array_end(json_writer *w) { putc1(w, ']'); w->need_comma = 1; }

static void put_quoted(json_writer *w, const char *str, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    putc1(w, '"');
    size_t run = 0; /* bytes copied verbatim in one put */
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        const char *rep = NULL;
        char u[7];
        size_t skip = 1;
        if (c >= 0x80) {
            size_t l = utf8_len(s + i, n - i);
            if (l == 0) rep = "\\ufffd";
            else if (l == 3 && c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
                { rep = s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"; skip = 3; }
            else { run += l; i += l; continue; }
        } else if (c == '"') rep = "\\\"";
        else if (c == '\\') rep = "\\\\";
        else if (c == '\n') rep = "\\n";
        else if (c == '\r') rep = "\\r";
        else if (c == '\t') rep = "\\t";
        else if (c == '\b') rep = "\\b";
        else if (c == '\f') rep = "\\f";
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = 0;
            rep = u;
        } else { run++; i++; continue; }
        put(w, s + i - run, run);
        run = 0;
        put(w, rep, strlen(rep));
        i += skip;
    }
    put(w, s + n - run, run);
    putc1(w, '"');
}

void json_w_key_n(json_writer *w, const char *key, size_t len) {
    before_value(w);
    put_quoted(w, key, len);
    putc1(w, ':');
}
void json_w_key(json_writer *w, const char *key) { json_w_key_n(w, key, strlen(key)); }
void json_w_string_n(json_writer *w, const char *s, size_t len) {
    before_value(w);
    put_quoted(w, s, len);
    w->need_comma = 1;
}
void json_w_string(json_writer *w, const char *s) { json_w_string_n(w, s, strlen(s)); }
void json_w_number(json_writer *w, const char *text) {
    const char *why;
    size_t n = strlen(text);
    if (n == 0 || scan_number((const unsigned char *)text, n, &why) != n) {
        if (w->err == ZK_OK) w->err = ZK_ERR_ARG;
        return;
    }
    before_value(w);
    put(w, text, n);
    w->need_comma = 1;
}
void json_w_u64(json_writer *w, uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    json_w_number(w, b);
}
void json_w_i64(json_writer *w, int64_t v) {
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    json_w_number(w, b);
}
void json_w_bool(json_writer *w, int v) {
    before_value(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
    w->need_comma = 1;
}
void json_w_null(json_writer *w) {
    before_value(w);
    put(w, "null", 4);
    w->need_comma = 1;
}
void json_w_value(json_writer *w, const json_value *v) {
    switch (v->type) {
    case JSON_NULL: json_w_null(w); break;
    case JSON_BOOL: json_w_bool(w, v->boolean); break;
    case JSON_NUMBER: json_w_number(w, v->text); break;
    case JSON_STRING: json_w_string_n(w, v->text, v->len); break;
    case JSON_ARRAY:
        json_w_array_begin(w);
        for (size_t k = 0; k < v->len; k++) json_w_value(w, &v->items[k]);
        json_w_array_end(w);
        break;
    case JSON_OBJECT:
        json_w_object_begin(w);
        for (size_t k = 0; k < v->len; k++) {
            json_w_key_n(w, v->keys[k].s, v->keys[k].len);
            json_w_value(w, &v->items[k]);
        }
        json_w_object_end(w);
        break;
    }
}
