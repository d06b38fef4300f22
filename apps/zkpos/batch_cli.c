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
