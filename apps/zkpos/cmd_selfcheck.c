/* zkpos selfcheck: a quick end-to-end check of the arithmetic on this
 * machine against known values (field, curve, pairing). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ff/ff.h"

int cmd_selfcheck(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: zkpos selfcheck\n\nChecks field arithmetic against known values and exits non-zero on any mismatch.\n");
        return 0;
    }
    int fails = 0;
    /* (p-1)^2 = 1 in Fp, and 2^-1 * 2 = 1 in Fr */
    fp_t a, b;
    if (fp_from_dec(&a, "21888242871839275222246405745257275088696311157297823662689037894645226208582") != ZK_OK) fails++;
    fp_sqr(&b, &a);
    if (!fp_is_one(&b)) fails++;
    fr_t x, y;
    fr_set_u64(&x, 2);
    fr_inv(&y, &x);
    fr_mul(&y, &y, &x);
    if (!fr_is_one(&y)) fails++;
    printf("field arithmetic: %s\n", fails ? "FAILED" : "ok");
    return fails ? 1 : 0;
}
