/* zkpos db: the operator's view of a store (the seed's dbtool, spec §10):
 *   status        counts per state and the seed README's row-count check
 *   account I     one account: balances, leaf, batch and proof state, user proof
 *   cex-assets    the CEX assets info JSON (spec §8.1), as publish writes it
 *   delete --all  cleanup: every row of every table (the schema stays)
 *
 * Design. Everything is read through the store interface, so both backends
 * behave alike. The row-count check is the seed's "check mysql table
 * consistency": witness rows == proof rows == ceil(accounts / B) and user
 * proof rows == accounts, with the account count and B recorded by witness.
 * `account` recomputes the account's leaf from its batch witness (assets,
 * prices of the batch's CEX entries, the run's asset table) and checks that
 * the witness path leads from it to the batch's after-root, and that the
 * stored user proof (if any) has the same leaf: a quick consistency probe of
 * one account across the three tables. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json/json.h"
#include "pipe_cli.h"
#include "solvency/solvency.h"
#include "store/store.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos db status --db URL\n"
            "       zkpos db account INDEX --db URL\n"
            "       zkpos db cex-assets --db URL\n"
            "       zkpos db delete --all --db URL\n\n"
            "Inspects or cleans the store of a pipeline run.\n"
            "  status       rows per table and batch state, and the row-count check of the seed's\n"
            "               README: batch witnesses == batch proofs == ceil(accounts / B) and user\n"
            "               proofs == accounts. Prints 'status OK' (exit 0) or 'status MISMATCH'\n"
            "               naming each failed check (exit 1)\n"
            "  account I    account I: its id, totals and assets (from its batch witness), leaf\n"
            "               (recomputed and checked against the batch's root), batch state, batch\n"
            "               proof, and its user proof if stored (exit 1 if there is no account I)\n"
            "  cex-assets   the CEX assets info JSON list (TotalEquity, TotalDebt, BasePrice,\n"
            "               Symbol, Index per asset), as 'zkpos publish' writes it\n"
            "  delete --all delete every batch, proof, user proof and setting (the schema\n"
            "               stays); prints the number of rows deleted per table\n\n"
            "  --db URL       store: SQLite file path or postgres:// URI\n"
            "  --config FILE  settings as 'name = value' lines (e.g. 'db = store.db'); flags win\n");
}

static int db_status(zk_store *st, const char *C) {
    zk_store_counts c;
    if (zk_store_counts_get(st, &c) != ZK_OK) return pipe_store_fail(st, C, "reading the counts failed");
    int err = 0;
    char *cfg = pipe_meta_get(st, "config", NULL, &err);
    char *acc = pipe_meta_get(st, "accounts", NULL, &err);
    char *done = pipe_meta_get(st, "witness_complete", NULL, &err);
    char *updone = pipe_meta_get(st, "userproofs_complete", NULL, &err);
    int version = 0;
    if (!err && zk_store_schema_version(st, &version) != ZK_OK) err = 1;
    int rc = 0;
    if (err) {
        rc = pipe_store_fail(st, C, "reading the run's values failed");
        goto out;
    }
    unsigned users = 0, assets = 0;
    uint64_t accounts = 0;
    int have_cfg = cfg && sscanf(cfg, "users=%u assets=%u", &users, &assets) == 2 && users;
    int have_acc = acc && sscanf(acc, "%" SCNu64, &accounts) == 1;
    printf("backend %s\nschema %d\n", zk_store_backend(st), version);
    if (have_cfg) printf("run users-per-batch %u, assets %u\n", users, assets);
    else printf("run none recorded\n");
    if (have_acc) printf("accounts %" PRIu64 "\n", accounts);
    else printf("accounts unknown\n");
    printf("witness %s\n", done ? "complete" : "incomplete");
    printf("batches %" PRIu64 " (published %" PRIu64 ", claimed %" PRIu64 " of which lease expired %" PRIu64
           ", proven %" PRIu64 "; claimed more than once %" PRIu64 ")\n",
           c.batches, c.published, c.claimed, c.expired, c.proven, c.retried);
    printf("proofs %" PRIu64 "\nuserproofs %" PRIu64 "%s\nmeta %" PRIu64 "\n", c.proofs, c.userproofs,
           updone ? " (complete)" : "", c.meta);
    int bad = 0;
    if (!have_cfg || !have_acc) {
        printf("check row counts: MISMATCH (no completed witness run in this store)\n");
        bad = 1;
    } else {
        uint64_t want = (accounts + users - 1) / users;
        int ok = c.batches == want;
        printf("check batch witnesses == ceil(accounts / B) = %" PRIu64 ": %s (%" PRIu64 ")\n", want,
               ok ? "OK" : "MISMATCH", c.batches);
        bad |= !ok;
        ok = c.proofs == want && c.proven == want;
        printf("check batch proofs == ceil(accounts / B) = %" PRIu64 ": %s (%" PRIu64 " proofs, %" PRIu64
               " batches proven)\n",
               want, ok ? "OK" : "MISMATCH", c.proofs, c.proven);
        bad |= !ok;
        ok = c.userproofs == accounts;
        printf("check user proofs == accounts = %" PRIu64 ": %s (%" PRIu64 ")\n", accounts, ok ? "OK" : "MISMATCH",
               c.userproofs);
        bad |= !ok;
    }
    printf("status %s\n", bad ? "MISMATCH" : "OK");
    rc = bad;
out:
    free(cfg), free(acc), free(done), free(updone);
    if (fflush(stdout)) rc = 1;
    return rc;
}

/* a += x * y over three 64-bit limbs (the v1 totals, USD x 10^16) */
static void u192_addmul(zk_u192 *a, uint64_t x, uint64_t y) {
    unsigned __int128 p = (unsigned __int128)x * y;
    unsigned __int128 s = (unsigned __int128)a->l[0] + (uint64_t)p;
    a->l[0] = (uint64_t)s;
    s = (s >> 64) + a->l[1] + (uint64_t)(p >> 64);
    a->l[1] = (uint64_t)s;
    a->l[2] += (uint64_t)(s >> 64);
}

static int db_account(zk_store *st, const char *C, const char *idx_text) {
    unsigned users = 0, assets = 0;
    uint64_t index = 0;
    char *end;
    if (!*idx_text || *idx_text == '-' || *idx_text == '+' ||
        (index = strtoull(idx_text, &end, 10), *end) || index >= (1ull << ZK_TREE_DEPTH)) {
        fprintf(stderr, "zkpos %s: bad account index '%s' (expected 0 .. 2^28 - 1)\n", C, idx_text);
        return 2;
    }
    if (pipe_run_config(st, C, &users, &assets, NULL)) return 1;
    int err = 0, rc = 1;
    char *acc = pipe_meta_get(st, "accounts", NULL, &err), *cexj = pipe_meta_get(st, "cex_assets", NULL, &err);
    uint8_t *blob = NULL;
    size_t len = 0;
    zk_batch_witness *w = NULL;
    json_value *cj = NULL;
    zk_store_userproof up;
    memset(&up, 0, sizeof up);
    zk_store_proof pf;
    memset(&pf, 0, sizeof pf);
    if (err) {
        pipe_store_fail(st, C, "reading the run's values failed");
        goto out;
    }
    uint64_t accounts = 0;
    if (acc && sscanf(acc, "%" SCNu64, &accounts) == 1 && index >= accounts) {
        fprintf(stderr, "zkpos %s: no account %" PRIu64 ": the run has %" PRIu64 " accounts (0 .. %" PRIu64 ")\n", C,
                index, accounts, accounts - 1);
        goto out;
    }
    uint64_t batch = index / users;
    zk_store_batch_info info;
    zk_store_result r;
    if (zk_store_get_batch(st, &r, &info, &blob, &len, batch) != ZK_OK) {
        pipe_store_fail(st, C, "reading the batch failed");
        goto out;
    }
    if (r != ZK_STORE_DONE) {
        fprintf(stderr, "zkpos %s: no account %" PRIu64 ": its batch %" PRIu64 " is not in the store%s\n", C, index,
                batch, acc ? "" : " (is the witness step still running?)");
        goto out;
    }
    zk_err e = zk_batch_witness_decode(&w, blob, len);
    if (e != ZK_OK) {
        fprintf(stderr, "zkpos %s: the stored witness of batch %" PRIu64 " does not decode: %s\n", C, batch,
                zk_strerror(e));
        goto out;
    }
    const zk_batch_op *op = &w->ops[index % users];
    uint8_t id[32];
    fr_to_bytes_be(id, &op->id);
    int padding = 1;
    for (int i = 0; i < 32; i++) padding &= id[i] == 0;
    if (op->account_index != index || padding) {
        fprintf(stderr, "zkpos %s: no account %" PRIu64 " (batch %" PRIu64 " holds padding in its place)\n", C, index,
                batch);
        goto out;
    }
    if (cexj) {
        json_error je;
        if (json_parse(&cj, cexj, strlen(cexj), &je) != ZK_OK) cj = NULL;
    }
    zk_u192 te = {{0, 0, 0}}, td = {{0, 0, 0}};
    const zk_asset *as = w->asset_list + op->first_asset;
    for (uint32_t k = 0; k < op->n_assets; k++) {
        u192_addmul(&te, as[k].equity, w->cex[as[k].index].price);
        u192_addmul(&td, as[k].debt, w->cex[as[k].index].price);
    }
    fr_t cm, leaf, root;
    if ((e = zk_asset_commitment_sized(&cm, as, op->n_assets, assets)) != ZK_OK ||
        (e = zk_v1_leaf(&leaf, id, &te, &td, &cm)) != ZK_OK || (e = zk_merkle_root(&root, &leaf, index, op->siblings)) != ZK_OK) {
        fprintf(stderr, "zkpos %s: hashing account %" PRIu64 " failed: %s\n", C, index, zk_strerror(e));
        goto out;
    }
    char hex[65], dec[60];
    uint8_t be[32];
    zk_hex_encode(hex, id, 32);
    printf("account %" PRIu64 "\naccount-id %s\n", index, hex);
    zk_u192_to_dec(dec, &te);
    printf("total-equity %s\n", dec);
    zk_u192_to_dec(dec, &td);
    printf("total-debt %s\n", dec);
    for (uint32_t k = 0; k < op->n_assets; k++) {
        const char *sym = NULL;
        size_t sl = 0;
        for (size_t q = 0; cj && cj->type == JSON_ARRAY && q < json_len(cj) && !sym; q++) {
            uint64_t ix = 0;
            if (json_as_u64(&ix, json_get(json_at(cj, q), "Index")) == ZK_OK && ix == as[k].index)
                sym = json_as_string(json_get(json_at(cj, q), "Symbol"), &sl);
        }
        printf("asset %u %.*s equity %" PRIu64 " debt %" PRIu64 " price %" PRIu64 "\n", (unsigned)as[k].index,
               sym ? (int)sl : 1, sym ? sym : "?", as[k].equity, as[k].debt, w->cex[as[k].index].price);
    }
    fr_to_bytes_be(be, &leaf);
    zk_hex_encode(hex, be, 32);
    int leaf_ok = fr_eq(&root, &op->after_root);
    printf("leaf %s\nleaf-check %s\n", hex,
           leaf_ok ? "OK (its witness path leads to the batch's after-root)" : "MISMATCH (not the batch's after-root)");
    printf("batch %" PRIu64 " %s (attempts %" PRIu32 "%s%s)\n", batch, zk_store_state_name(info.state), info.attempts,
           info.worker[0] ? ", worker " : "", info.worker);
    if (zk_store_get_proof(st, &r, &pf, batch) != ZK_OK) {
        pipe_store_fail(st, C, "reading the proof failed");
        goto out;
    }
    if (r == ZK_STORE_DONE) printf("batch-proof stored by %s\n", pf.worker);
    else printf("batch-proof none\n");
    if (zk_store_get_userproof(st, &r, &up, index) != ZK_OK) {
        pipe_store_fail(st, C, "reading the user proof failed");
        goto out;
    }
    int up_ok = 1;
    if (r == ZK_STORE_DONE) {
        up_ok = !strcmp(up.leaf, hex);
        printf("userproof-leaf %s\n", up_ok ? "OK (same leaf)" : "MISMATCH");
        printf("userproof %s\n", up.json);
    } else
        printf("userproof none\n");
    rc = leaf_ok && up_ok ? 0 : 1;
    if (fflush(stdout)) rc = 1;
out:
    zk_store_userproof_clear(&up);
    zk_store_proof_clear(&pf);
    json_free(cj);
    zk_batch_witness_free(w);
    free(blob), free(acc), free(cexj);
    return rc;
}

static int db_cex(zk_store *st, const char *C) {
    int err = 0;
    size_t len = 0;
    char *v = pipe_meta_get(st, "cex_assets", &len, &err);
    if (err) return pipe_store_fail(st, C, "reading the CEX assets failed");
    if (!v) {
        fprintf(stderr, "zkpos %s: no CEX assets recorded (the witness step has not completed on this store)\n", C);
        return 1;
    }
    int rc = fwrite(v, 1, len, stdout) != len || putchar('\n') == EOF || fflush(stdout) ? 1 : 0;
    free(v);
    return rc;
}

static int db_delete(zk_store *st, const char *C) {
    zk_store_counts c;
    if (zk_store_counts_get(st, &c) != ZK_OK) return pipe_store_fail(st, C, "reading the counts failed");
    if (zk_store_delete_all(st) != ZK_OK) return pipe_store_fail(st, C, "deleting failed");
    printf("deleted batches %" PRIu64 ", proofs %" PRIu64 ", userproofs %" PRIu64 ", meta %" PRIu64 "\n", c.batches,
           c.proofs, c.userproofs, c.meta);
    return fflush(stdout) ? 1 : 0;
}

int cmd_db(int argc, char **argv) {
    static const char *const subs[] = {"status", "account", "cex-assets", "delete"};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    int sub = -1;
    for (int k = 0; k < 4; k++)
        if (!strcmp(argv[1], subs[k])) sub = k;
    if (sub < 0) {
        fprintf(stderr, "zkpos db: unknown subcommand '%s' (status, account, cex-assets, delete)\n", argv[1]);
        usage(stderr);
        return 2;
    }
    char C[32];
    snprintf(C, sizeof C, "db %s", subs[sub]);
    const char *db = NULL, *index = NULL;
    pipe_opt o[] = {PIPE_STR("--db", &db), PIPE_SWITCH("--all")};
    int rc = pipe_parse(C, argc - 1, argv + 1, o, sub == 3 ? 2 : 1, &index, sub == 1 ? 1 : 0, usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = pipe_require(C, &o[0], usage))) return rc;
    if (sub == 1 && !index) {
        fprintf(stderr, "zkpos %s: the account INDEX is required\n", C);
        usage(stderr);
        return 2;
    }
    if (sub == 3 && !o[1].seen) {
        fprintf(stderr, "zkpos %s: refusing without --all (it deletes every batch, proof, user proof and setting "
                        "of the store)\n", C);
        return 2;
    }
    zk_store *st = NULL;
    if (pipe_open_store(&st, C, db)) return 1;
    switch (sub) {
    case 0: rc = db_status(st, C); break;
    case 1: rc = db_account(st, C, index); break;
    case 2: rc = db_cex(st, C); break;
    default: rc = db_delete(st, C); break;
    }
    zk_store_close(st);
    return rc;
}
