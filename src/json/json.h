/* json: a small JSON reader (document -> tree) and a compact writer.
 *
 * Design: no dependencies beyond libc because the same code is compiled to
 * WebAssembly. The reader builds a whole tree (inputs here are key files,
 * proofs and configs, all small) and is strict RFC 8259: no trailing commas,
 * no leading zeros, no lone surrogates, valid UTF-8 only, duplicate keys
 * rejected (a proof file with two different "root" fields is ambiguous), and
 * nesting bounded by JSON_MAX_DEPTH so hostile input cannot exhaust the stack.
 * Numbers stay as their original text: field elements and big.Int values
 * (2^137 and larger) must survive untouched, so conversion is the caller's
 * choice (json_as_u64, fr_from_dec ...). Objects keep key order.
 *
 * The writer emits exactly what Go's encoding/json.Marshal emits for the same
 * sequence of values: no whitespace, keys in the order written, and Go's
 * string escaping (\" \\ \n \r \t \b \f, other control characters as \u00xx,
 * and the HTML-safe \u003c \u003e \u0026 for < > &, \u2028 \u2029; invalid
 * UTF-8 becomes \ufffd). Commas are inserted automatically. Errors (out of
 * memory, bad number text) are sticky and reported by json_writer_finish, so
 * a sequence of writes needs one check at the end. */
#ifndef ZKPOS_JSON_H
#define ZKPOS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

#define JSON_MAX_DEPTH 128

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;
typedef struct { char *s; size_t len; } json_key;
struct json_value {
    json_type type;
    int boolean;       /* JSON_BOOL: 0 or 1 */
    char *text;        /* STRING: unescaped bytes; NUMBER: source text; both NUL-terminated */
    size_t len;        /* STRING/NUMBER: bytes in text; ARRAY/OBJECT: number of elements */
    json_value *items; /* ARRAY/OBJECT: the len elements (object values in key order) */
    json_key *keys;    /* OBJECT: the len keys, parallel to items */
};

/* Where and why parsing failed; line and column are 1-based (columns count
 * characters, not bytes). message reads "expected ':' at line 3 column 14". */
typedef struct {
    size_t line, column, offset;
    char message[128];
} json_error;

/* Parses the len bytes at text as one JSON document (surrounding whitespace
 * allowed). On success *out is a tree to release with json_free. err may be
 * NULL. Returns ZK_ERR_PARSE (err filled) or ZK_ERR_NOMEM. */
ZK_WUR zk_err json_parse(json_value **out, const char *text, size_t len, json_error *err);
void json_free(json_value *v);

/* Lookups; all accept NULL and return NULL/0 on a type mismatch. */
const json_value *json_get(const json_value *obj, const char *key);
size_t json_len(const json_value *v);                        /* array/object element count */
const json_value *json_at(const json_value *v, size_t i);    /* array/object element i */
const char *json_key_at(const json_value *obj, size_t i);
const char *json_as_string(const json_value *v, size_t *len); /* len may be NULL */
const char *json_number_text(const json_value *v);
int json_is_null(const json_value *v);
/* ZK_ERR_PARSE unless v is a boolean. */
ZK_WUR zk_err json_as_bool(int *out, const json_value *v);
/* A non-negative integer number (no fraction, exponent or sign) that fits:
 * ZK_ERR_PARSE for anything else than such a number, ZK_ERR_ARG if > UINT64_MAX. */
ZK_WUR zk_err json_as_u64(uint64_t *out, const json_value *v);
ZK_WUR zk_err json_as_i64(int64_t *out, const json_value *v);

/* ---- writer ---- */
typedef struct {
    char *buf;
    size_t len, cap;
    int need_comma; /* a value was just completed at this level */
    zk_err err;     /* first error, sticky */
} json_writer;

void json_writer_init(json_writer *w);
void json_writer_free(json_writer *w);
/* On success hands over the NUL-terminated text (free() it) and resets w;
 * otherwise returns the first error, frees the buffer and *out is NULL. */
ZK_WUR zk_err json_writer_finish(json_writer *w, char **out, size_t *len);

void json_w_object_begin(json_writer *w);
void json_w_object_end(json_writer *w);
void json_w_array_begin(json_writer *w);
void json_w_array_end(json_writer *w);
void json_w_key(json_writer *w, const char *key);
void json_w_key_n(json_writer *w, const char *key, size_t len);
void json_w_string(json_writer *w, const char *s);
void json_w_string_n(json_writer *w, const char *s, size_t len);
/* A number given as text (e.g. a decimal field element); ZK_ERR_ARG if it is
 * not JSON number syntax. */
void json_w_number(json_writer *w, const char *text);
void json_w_u64(json_writer *w, uint64_t v);
void json_w_i64(json_writer *w, int64_t v);
void json_w_bool(json_writer *w, int v);
void json_w_null(json_writer *w);
/* Re-emits a parsed tree compactly. */
void json_w_value(json_writer *w, const json_value *v);

#endif
