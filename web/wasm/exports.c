/* WebAssembly exports of the browser verifier (web/zkpos.wasm).
 *
 * Design: the page must run exactly the checks of `zkpos verify-user`, so
 * this shim only marshals: JavaScript copies the user's file into memory it
 * got from zkpos_alloc, calls zkpos_verify_user, and reads back one JSON
 * document (a NUL-terminated string it releases with zkpos_free). Returning
 * JSON keeps the interface to three functions and one convention, and it
 * carries the account's numbers as decimal strings: totals reach 2^137 and
 * would lose digits as JavaScript numbers. No state lives between calls.
 *
 * Result fields: status ("verified", "mismatch" = well-formed but the root
 * differs, "invalid" = malformed input), message (the verifier's reason,
 * "" when verified), and for well-formed input version, accountIndex,
 * accountIdHash, totalEquity, totalDebt, totalCollateral (v2 only), assets
 * ([{index, equity, debt[, loan, margin, portfolioMargin]}] as strings),
 * leaf, root (recomputed) and claimedRoot (the file's Root), all hex. */
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "solvency/solvency.h"

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else /* native builds (e.g. checking this file under ASan) */
#define EXPORT(name)
#endif

EXPORT("zkpos_alloc") void *zkpos_alloc(size_t n) { return malloc(n ? n : 1); }
EXPORT("zkpos_free") void zkpos_free(void *p) { free(p); }

static void w_hex(json_writer *w, const char *key, const uint8_t b[32]) {
    char hex[65];
    zk_hex_encode(hex, b, 32);
    json_w_key(w, key);
    json_w_string(w, hex);
}

/* A number of the (already verified) input as a JSON string. */
static void w_num(json_writer *w, const char *key, const json_value *v) {
    const char *s = json_number_text(v);
    json_w_key(w, key);
    json_w_string(w, s ? s : "0");
}

static const char *const ASSET_FIELDS[][2] = {{"Index", "index"},
                                              {"Equity", "equity"},
                                              {"Debt", "debt"},
                                              {"Loan", "loan"},
                                              {"Margin", "margin"},
                                              {"PortfolioMargin", "portfolioMargin"}};

/* The account's values, read again from a document the verifier accepted as
 * well-formed (every field present with the right type). */
static void w_account(json_writer *w, const json_value *doc, int v2) {
    w_num(w, "accountIndex", json_get(doc, "AccountIndex"));
    json_w_key(w, "accountIdHash");
    json_w_string(w, json_as_string(json_get(doc, "AccountIdHash"), NULL));
    w_num(w, "totalEquity", json_get(doc, "TotalEquity"));
    w_num(w, "totalDebt", json_get(doc, "TotalDebt"));
    if (v2) w_num(w, "totalCollateral", json_get(doc, "TotalCollateral"));
    json_w_key(w, "assets");
    json_w_array_begin(w);
    const json_value *assets = json_get(doc, "Assets");
    for (size_t i = 0; i < json_len(assets); i++) {
        const json_value *a = json_at(assets, i);
        json_w_object_begin(w);
        for (size_t k = 0; k < (v2 ? 6u : 3u); k++) w_num(w, ASSET_FIELDS[k][1], json_get(a, ASSET_FIELDS[k][0]));
        json_w_object_end(w);
    }
    json_w_array_end(w);
}

/* Verifies the user-proof JSON at json[0..len) with the default v2 tiers,
 * for a tree over an asset_count-entry asset table (0 = 350, Binance v1; a
 * pipeline run with --assets A publishes A in published/root.json).
 * Returns a malloc'd NUL-terminated JSON result, or NULL if out of memory. */
EXPORT("zkpos_verify_user") char *zkpos_verify_user(const char *json, size_t len, unsigned asset_count) {
    zk_userproof_result r;
    zk_err e = zk_userproof_verify_sized(&r, json, len, NULL, 0, asset_count ? asset_count : ZK_V1_ASSET_COUNT);
    json_writer w;
    json_writer_init(&w);
    json_w_object_begin(&w);
    json_w_key(&w, "status");
    json_w_string(&w, e == ZK_OK ? "verified" : e == ZK_ERR_VERIFY ? "mismatch" : "invalid");
    json_w_key(&w, "message");
    json_w_string(&w, e == ZK_OK ? "" : r.message);
    if (e == ZK_OK || e == ZK_ERR_VERIFY) {
        json_value *doc = NULL;
        if (json_parse(&doc, json, len, NULL) != ZK_OK) {
            json_writer_free(&w);
            return NULL;
        }
        json_w_key(&w, "version");
        json_w_u64(&w, (uint64_t)r.version);
        w_account(&w, doc, r.version == 2);
        json_free(doc);
        w_hex(&w, "leaf", r.leaf);
        w_hex(&w, "root", r.root);
        w_hex(&w, "claimedRoot", r.claimed_root);
    }
    json_w_object_end(&w);
    char *out = NULL;
    size_t out_len;
    if (json_writer_finish(&w, &out, &out_len) != ZK_OK) return NULL;
    return out;
}
