/* Minimal test harness: CHECK records failures without stopping, a seeded
 * PRNG whose seed is printed on failure (override with ZKPOS_TEST_SEED), and
 * helpers to locate the shared vectors. Each test program ends with
 * TEST_DONE(), which prints "N passed, N failed" and sets the exit code. */
#ifndef ZKPOS_TEST_H
#define ZKPOS_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int test_passed_, test_failed_;
static uint64_t test_seed_;
static uint64_t test_rng_state_;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (cond) test_passed_++;                                                        \
        else {                                                                           \
            test_failed_++;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s (seed %" PRIu64 ")\n", __FILE__,  \
                    __LINE__, #cond, test_seed_);                                        \
        }                                                                                \
    } while (0)

#define CHECK_MSG(cond, ...)                                                             \
    do {                                                                                 \
        if (cond) test_passed_++;                                                        \
        else {                                                                           \
            test_failed_++;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s (seed %" PRIu64 "): ", __FILE__,   \
                    __LINE__, #cond, test_seed_);                                        \
            fprintf(stderr, __VA_ARGS__);                                                \
            fprintf(stderr, "\n");                                                       \
        }                                                                                \
    } while (0)

static inline uint64_t test_rand64(void) { /* splitmix64 */
    uint64_t z = (test_rng_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void test_init(void) {
    const char *s = getenv("ZKPOS_TEST_SEED");
    test_seed_ = s ? strtoull(s, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
    test_rng_state_ = test_seed_;
}

#define TEST_DONE()                                                                      \
    do {                                                                                 \
        printf("%d passed, %d failed\n", test_passed_, test_failed_);                   \
        if (test_failed_) fprintf(stderr, "seed was %" PRIu64 " (set ZKPOS_TEST_SEED to repeat)\n", test_seed_); \
        return test_failed_ ? 1 : 0;                                                     \
    } while (0)

/* Path of a file under the shared vectors directory (static buffer). */
static inline const char *test_vector_path(const char *rel) {
    static char buf[4096];
    const char *dir = getenv("ZKPOS_VECTORS");
    if (!dir) dir = "../shared/vectors";
    snprintf(buf, sizeof buf, "%s/%s", dir, rel);
    return buf;
}

/* Reads a whole file into a NUL-terminated heap buffer; NULL on error. */
static inline char *test_read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; if (len_out) *len_out = (size_t)n; }
    return buf;
}

#endif
