/* zkpos circuit-info: walks the v1 batch circuit in COUNT mode (nothing is
 * stored, so the production size 864 x 350 runs in seconds) and prints the
 * constraint and private-variable counts per part, per user and in total,
 * and the power-of-two evaluation domain a Groth16 prover would need. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_cli.h"
#include "cli.h"
#include "pipe_cli.h"
#include "r1cs/r1cs.h"
#include "solvency/solvency.h"
#include "util/util.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos circuit-info [--users B] [--assets A] [--config FILE]\n\n"
            "Prints the size of the batch circuit (Binance v1 statement) for B users per\n"
            "batch and an A-entry asset table: constraints and private variables per part,\n"
            "per user and in total, the Groth16 domain and how full it is, with the largest\n"
            "B that fits it and the next smaller one. Defaults: B = 864, A = 350 (Binance's\n"
            "production sizes).\n\n"
            "  --users B    users per batch, 1 .. 2^28\n"
            "  --assets A   asset table entries, 1 .. 350\n"
            "  --config FILE settings as 'name = value' lines; flags win\n");
}

static const zk_cs_label_stats *find(const zk_cs_label_stats *st, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(st[i].name, name)) return &st[i];
    return NULL;
}

int cmd_circuit_info(int argc, char **argv) {
    unsigned users = ZK_V1_BATCH_USERS, assets = ZK_V1_ASSET_COUNT;
    pipe_opt o[] = {PIPE_NUM("--users", &users, 1, 1ul << 28), PIPE_NUM("--assets", &assets, 1, ZK_V1_ASSET_COUNT)};
    int rc = pipe_parse("circuit-info", argc, argv, o, 2, NULL, 0, usage);
    if (rc) return rc < 0 ? 0 : rc;
    zk_cs *cs = zk_cs_new(ZK_CS_COUNT);
    if (!cs) {
        fprintf(stderr, "zkpos circuit-info: out of memory\n");
        return 1;
    }
    double t0 = zk_now();
    zk_err e = zk_batch_circuit_shape(cs, users, assets);
    double dt = zk_now() - t0;
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos circuit-info: %s\n", zk_strerror(e));
        zk_cs_free(cs);
        return 1;
    }
    size_t nl = zk_cs_nlabels(cs);
    zk_cs_label_stats *st = calloc(nl ? nl : 1, sizeof *st);
    if (!st) {
        zk_cs_free(cs);
        return 1;
    }
    for (size_t i = 0; i < nl; i++) zk_cs_label_get(cs, &st[i], i);
    uint64_t total = zk_cs_nconstraints(cs);
    printf("batch circuit (Binance v1 statement, spec section 7): %u users x %u assets\n", users, assets);
    printf("public inputs  %" PRIu64 " (BatchCommitment)\n", zk_cs_npublic(cs));
    printf("%-22s %15s %15s\n", "part", "constraints", "private vars");
    static const char *const batch_parts[] = {"batch_commitment", "cex_before", "user", "cex_after"};
    static const char *const user_parts[] = {"chain",    "index", "siblings", "empty_path", "amounts", "balance",
                                             "td_le_te", "asset_commitment", "leaf",       "after_path"};
    uint64_t listed = 0;
    for (size_t i = 0; i < sizeof batch_parts / sizeof batch_parts[0]; i++) {
        const zk_cs_label_stats *s = find(st, nl, batch_parts[i]);
        if (!s) continue;
        listed += s->constraints;
        printf("%-22s %15" PRIu64 " %15" PRIu64 "\n", s->name, s->constraints, s->privates);
        if (!strcmp(batch_parts[i], "user")) {
            printf("  per user:\n");
            for (size_t k = 0; k < sizeof user_parts / sizeof user_parts[0]; k++) {
                const zk_cs_label_stats *u = find(st, nl, user_parts[k]);
                if (!u) continue;
                uint64_t c = u->constraints, p = u->privates;
                if (!strcmp(user_parts[k], "chain")) c -= 1; /* the final link sits outside the ops */
                printf("  %-20s %15" PRIu64 " %15" PRIu64 "\n", u->name, c / users, p / users);
            }
            printf("  %-20s %15" PRIu64 " %15" PRIu64 "\n", "total", s->constraints / users, s->privates / users);
        }
    }
    printf("%-22s %15" PRIu64 "\n", "final chain link", total - listed);
    printf("%-22s %15" PRIu64 " %15" PRIu64 "\n", "total", total, zk_cs_nvars(cs) - 1 - zk_cs_npublic(cs));
    printf("gadget totals:");
    static const char *const gadgets[] = {"poseidon", "merkle", "range", "canonical"};
    for (size_t i = 0; i < sizeof gadgets / sizeof gadgets[0]; i++) {
        const zk_cs_label_stats *g = find(st, nl, gadgets[i]);
        if (g) printf(" %s %" PRIu64 " (%" PRIu64 " calls)%s", g->name, g->constraints, g->calls, i + 1 < 4 ? "," : "");
    }
    printf("\n");
    printf("constraints per user   %.1f (all parts / users)\n", (double)total / users);
    printf("Groth16 domain         2^%u (constraints + public-input rows)\n",
           batch_cli_log_domain(total, zk_cs_npublic(cs)));
    rc = batch_cli_domain_note(stdout, "                       ", assets, total, zk_cs_npublic(cs));
    printf("count walk             %.2f s\n", dt);
    free(st);
    zk_cs_free(cs);
    return rc;
}
