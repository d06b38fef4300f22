#include "batch_cli.h"

#include <inttypes.h>
#include <stdio.h>

int batch_cli_synthesize(zk_cs **out, char *why, size_t why_len, const zk_g16_pk *pk,
                         const zk_batch_witness *w) {
    zk_cs *cs = zk_cs_new(ZK_CS_PROVE);
    zk_err e;
    *out = NULL;
    if (!cs) {
        snprintf(why, why_len, "out of memory");
        return 1;
    }
    if ((e = zk_batch_circuit(cs, w)) != ZK_OK) {
        snprintf(why, why_len, "synthesising batch %" PRIu64 " failed: %s", w->number, zk_strerror(e));
        goto fail;
    }
    if (zk_cs_nconstraints(cs) != pk->nconstraints || zk_cs_nvars(cs) != pk->nvars ||
        zk_cs_npublic(cs) != pk->npublic) {
        snprintf(why, why_len,
                 "the witness (B = %u users, A = %u assets: %" PRIu64 " constraints, %" PRIu64
                 " variables) does not fit the key (%" PRIu64 " constraints, %" PRIu64
                 " variables); run keygen with the same --users and --assets",
                 w->users, w->assets, zk_cs_nconstraints(cs), zk_cs_nvars(cs), pk->nconstraints, pk->nvars);
        goto fail;
    }
    if (zk_cs_nfailures(cs) != 0) {
        uint64_t first = 0;
        const char *where = NULL;
        if (!zk_cs_first_failure(cs, &first, &where) || !where) where = "?";
        snprintf(why, why_len,
                 "refused: the witness of batch %" PRIu64 " violates %" PRIu64
                 " constraint(s) of the batch circuit (first: #%" PRIu64 " in %s)",
                 w->number, zk_cs_nfailures(cs), first, where);
        goto fail;
    }
    *out = cs;
    return 0;
fail:
    zk_cs_free(cs);
    return 1;
}

unsigned batch_cli_log_domain(uint64_t nconstraints, uint64_t npublic) {
    uint64_t need = nconstraints + npublic + 1;
    unsigned k = 0;
    while (k < 63 && ((uint64_t)1 << k) < need) k++;
    return k;
}

static int count_batch(uint64_t *nconstraints, uint64_t *npublic, unsigned users, unsigned assets) {
    zk_cs *cs = zk_cs_new(ZK_CS_COUNT);
    zk_err e = cs ? zk_batch_circuit_shape(cs, users, assets) : ZK_ERR_NOMEM;
    if (e == ZK_OK) *nconstraints = zk_cs_nconstraints(cs), *npublic = zk_cs_npublic(cs);
    zk_cs_free(cs);
    if (e != ZK_OK) fprintf(stderr, "zkpos: counting the batch circuit failed: %s\n", zk_strerror(e));
    return e != ZK_OK;
}

int batch_cli_fit_users(unsigned *max_users, unsigned assets, unsigned lg) {
    uint64_t c1, c2, pub;
    *max_users = 0;
    if (count_batch(&c1, &pub, 1, assets) || count_batch(&c2, &pub, 2, assets)) return 1;
    uint64_t per_user = c2 - c1, fixed = c1 - per_user, room = ((uint64_t)1 << lg) - pub - 1;
    if (lg >= 63 || room < fixed + per_user) return 0;
    uint64_t b = (room - fixed) / per_user;
    *max_users = b > (1u << 28) ? 1u << 28 : (unsigned)b;
    return 0;
}

int batch_cli_domain_note(FILE *f, const char *prefix, unsigned assets, uint64_t nconstraints, uint64_t npublic) {
    unsigned lg = batch_cli_log_domain(nconstraints, npublic), here, below = 0;
    if (batch_cli_fit_users(&here, assets, lg) || (lg > 0 && batch_cli_fit_users(&below, assets, lg - 1)))
        return 1;
    double use = 100.0 * (double)(nconstraints + npublic + 1) / (double)((uint64_t)1 << lg);
    fprintf(f, "%sdomain use %.1f %% of 2^%u (B <= %u fits 2^%u", prefix, use, lg, here, lg);
    if (below) fprintf(f, "; B <= %u fits 2^%u, about half the proving time per batch", below, lg - 1);
    fprintf(f, ")\n");
    return 0;
}
