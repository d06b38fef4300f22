/* Loads a JSON file of the shared vectors for tests; a missing or malformed
 * file is a recorded CHECK failure (not a crash), and the caller gets NULL.
 * Separate from test.h so that tests without the json layer stay free of it. */
#ifndef ZKPOS_TEST_VECTORS_JSON_H
#define ZKPOS_TEST_VECTORS_JSON_H

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

#endif
