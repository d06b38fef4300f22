#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

const char *zk_strerror(zk_err e) {
    switch (e) {
    case ZK_OK: return "ok";
    case ZK_ERR_ARG: return "invalid argument";
    case ZK_ERR_NOT_CANONICAL: return "value is not below the field modulus";
    case ZK_ERR_PARSE: return "malformed text";
    case ZK_ERR_NOT_ON_CURVE: return "point is not on the curve";
    case ZK_ERR_NOT_IN_SUBGROUP: return "point is not in the prime-order subgroup";
    case ZK_ERR_BAD_ENCODING: return "bad point encoding";
    case ZK_ERR_NO_SQRT: return "no square root";
    case ZK_ERR_NOMEM: return "out of memory";
    case ZK_ERR_IO: return "input/output error";
    case ZK_ERR_VERIFY: return "verification failed";
    case ZK_ERR_FORMAT: return "bad file format";
    }
    return "unknown error";
}

zk_err zk_os_random(void *buf, size_t len) {
    unsigned char *b = buf;
#if defined(__wasi__)
    /* WebAssembly (web/zkpos.wasm): WASI has getentropy, at most 256 bytes a call. */
    while (len > 0) {
        size_t n = len < 256 ? len : 256;
        if (getentropy(b, n) != 0) return ZK_ERR_IO;
        b += n;
        len -= n;
    }
#else
    while (len > 0) {
        ssize_t n = getrandom(b, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return ZK_ERR_IO;
        }
        b += n;
        len -= (size_t)n;
    }
#endif
    return ZK_OK;
}

void zk_memzero(void *p, size_t len) {
    explicit_bzero(p, len);
}

double zk_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
