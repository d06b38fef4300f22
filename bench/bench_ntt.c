/* NTT benchmark: forward, inverse and coset transforms (natural order) and
 * the bit-reversed forward variant for 2^16 and 2^20 with 1 and 2 threads;
 * each figure is the best of several runs. --quick: 2^12 and 2^16, one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff/ff.h"
#include "poly/poly.h"

typedef void (*ntt_fn)(zk_pool *, const zk_ntt_domain *, fr_t *);

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    static const unsigned full_sizes[] = {16, 20}, quick_sizes[] = {12, 16};
    const unsigned *sizes = quick ? quick_sizes : full_sizes;
    static const int threads[] = {1, 2};
    int reps = quick ? 1 : 3;
    static const struct { const char *name; ntt_fn fn; } ops[] = {
        {"forward", zk_ntt},
        {"inverse", zk_intt},
        {"coset", zk_ntt_coset},
        {"coset_inverse", zk_intt_coset},
        {"forward_to_bitrev", zk_ntt_to_bitrev},
    };
    for (int si = 0; si < 2; si++) {
        unsigned k = sizes[si];
        size_t n = (size_t)1 << k;
        fr_t *a = malloc(n * sizeof *a);
        if (!a) return 1;
        for (size_t i = 0; i < n; i++) fr_set_u64(&a[i], i * 0x9e3779b97f4a7c15ULL);
        for (int ti = 0; ti < 2; ti++) {
            zk_pool *pool = zk_pool_new(threads[ti]);
            if (!pool) return 1;
            zk_ntt_domain *d;
            double t0 = zk_now();
            if (zk_ntt_domain_new(pool, &d, k) != ZK_OK) return 1;
            printf("ntt log_n=%u threads=%d domain_new %.4f s\n", k, threads[ti], zk_now() - t0);
            for (size_t oi = 0; oi < sizeof ops / sizeof ops[0]; oi++) {
                double best = 1e30;
                for (int r = 0; r < reps; r++) {
                    t0 = zk_now();
                    ops[oi].fn(pool, d, a);
                    double t = zk_now() - t0;
                    if (t < best) best = t;
                }
                printf("ntt log_n=%u threads=%d %s %.4f s\n", k, threads[ti], ops[oi].name, best);
                fflush(stdout);
            }
            zk_ntt_domain_free(d);
            zk_pool_free(pool);
        }
        free(a);
    }
    return 0;
}
