/* Loads a JSON file of the shared vectors for tests; a missing or malformed
 * file is a recorded CHECK failure (not a crash), and the caller gets NULL;
 * field elements from their decimal or hex text the same way.
 * Separate from test.h so that tests without the json layer stay free of it. */
#ifndef ZKPOS_TEST_VECTORS_JSON_H
#define ZKPOS_TEST_VECTORS_JSON_H

#include "ff/ff.h"
#include "json/json.h"
#include "test.h"

static inline json_value *test_load_vector_json(const char *rel) {
    size_t n;
    char *text = test_read_file(test_vector_path(rel), &n);
    CHECK_MSG(text != NULL, "cannot read %s", rel);
    if (!text) return NULL;
    json_value *v = NULL;
    json_error err;
    zk_err e = json_parse(&v, text, n, &err);
    CHECK_MSG(e == ZK_OK, "%s: %s", rel, err.message);
    free(text);
    return e == ZK_OK ? v : NULL;
}

/* Fr from decimal / hex text of a vector file; a bad value is a recorded
 * CHECK failure and gives 0. */
static inline fr_t test_fr_dec(const char *s) {
    fr_t r;
    fr_zero(&r);
    CHECK_MSG(s && fr_from_dec(&r, s) == ZK_OK, "bad decimal %s", s ? s : "(null)");
    return r;
}

static inline fr_t test_fr_hex(const char *s) {
    fr_t r;
    fr_zero(&r);
    CHECK_MSG(s && fr_from_hex(&r, s) == ZK_OK, "bad hex %s", s ? s : "(null)");
    return r;
}

static inline fr_t test_json_fr_dec(const json_value *v) { return test_fr_dec(json_as_string(v, NULL)); }
static inline fr_t test_json_fr_hex(const json_value *v) { return test_fr_hex(json_as_string(v, NULL)); }

#endif
