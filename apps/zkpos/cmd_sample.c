/* zkpos sample: writes a synthetic balance sheet in the Binance v1 CSV layout
 * (spec §4: rn, id, e_X/d_X/X per asset, X_udst_price per asset,
 * total_net_balance_usdt), for tests, demos and benchmarks.
 *
 * Design. Realism where it matters to the prover and the tree: most users
 * hold one to three assets and a few ("whales") hold many, popular assets
 * (low column index) are held far more often than the tail, and USD values
 * are log-distributed (mantissa uniform in [1, 10), decade triangular in
 * $1 .. $1M). About 10 % of users have debt that stays below their equity
 * (net balance non-negative, accepted by §4.4); a few rows are injected that
 * the reader must reject (debt above equity), and a few values that it must
 * skip (malformed numbers, in users without debt so the row stays
 * accepted). Those injected counts are printed so that tests compare them
 * with what `zkpos tree` reports. Injected rows are never a file's first
 * data row (the prices are read from that row). Everything comes from one
 * splitmix64 stream seeded by --seed, in one pass, so the output is a pure
 * function of the options. Amounts are printed from integer units of 1e-8
 * (the v1 multiplier), zero as "0.0" like the real samples. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "pipe_cli.h"

#define SAMPLE_MAX_ASSETS 350 /* the v1 asset table */

typedef struct {
    const char *sym;
    uint64_t price; /* USD, units of 1e-8 */
} sample_asset;

/* Popular assets first (popularity falls with the index). */
static const sample_asset known_assets[] = {
    {"usdt", 100000000ull},      {"btc", 3712345000000ull},  {"eth", 204567000000ull},
    {"bnb", 24150000000ull},     {"busd", 100000000ull},     {"xrp", 61230000ull},
    {"ada", 37120000ull},        {"doge", 7654000ull},       {"sol", 5612000000ull},
    {"dot", 514000000ull},       {"matic", 81230000ull},     {"ltc", 7021000000ull},
    {"trx", 10310000ull},        {"avax", 2134000000ull},    {"shib", 800ull},
    {"link", 1412000000ull},     {"atom", 952000000ull},     {"uni", 601000000ull},
    {"etc", 1923000000ull},      {"xlm", 12010000ull},       {"fil", 421000000ull},
    {"near", 176000000ull},      {"apt", 712000000ull},      {"arb", 105000000ull},
    {"op", 161000000ull},        {"pepe", 113ull},           {"aave", 9812000000ull},
    {"1inch", 35120000ull},      {"bttc", 44ull},            {"sand", 41230000ull},
};
#define N_KNOWN (sizeof known_assets / sizeof known_assets[0])

typedef struct {
    uint64_t s;
} sample_rng;

static uint64_t rng_u64(sample_rng *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double rng_unit(sample_rng *r) { return (double)(rng_u64(r) >> 11) * (1.0 / 9007199254740992.0); }
static uint64_t rng_below(sample_rng *r, uint64_t n) { return n ? rng_u64(r) % n : 0; }

static void asset_info(char *sym, size_t cap, uint64_t *price, unsigned j, uint64_t seed) {
    if (j < N_KNOWN) {
        snprintf(sym, cap, "%s", known_assets[j].sym);
        *price = known_assets[j].price;
        return;
    }
    snprintf(sym, cap, "tok%03u", j);
    /* Tail tokens: cheap, log-spread between $0.0001 and $100, fixed by seed. */
    sample_rng r = {seed ^ (0x5bd1e995ull * (j + 1))};
    double usd = 1e-4;
    unsigned decades = (unsigned)rng_below(&r, 6);
    for (unsigned i = 0; i < decades; i++) usd *= 10;
    usd *= 1.0 + 9.0 * rng_unit(&r);
    *price = (uint64_t)(usd * 1e8);
    if (*price == 0) *price = 1;
}

/* Asset index with popularity skewed towards the low indices. */
static unsigned skewed_index(sample_rng *r, unsigned a) {
    double u = rng_unit(r);
    unsigned j = (unsigned)(u * u * u * a);
    return j < a ? j : a - 1;
}

/* USD value: mantissa in [1, 10), decade triangular over 10^0 .. 10^6. */
static double usd_value(sample_rng *r) {
    unsigned d = (unsigned)(rng_below(r, 4) + rng_below(r, 4)); /* 0..6, peak at 3 */
    double v = 1.0 + 9.0 * rng_unit(r);
    for (unsigned i = 0; i < d; i++) v *= 10;
    return v;
}

/* cap: the largest amount of one holding, so that the CEX total of an asset
 * (all users' equity) stays below 2^63 whatever the user count (v1 aborts
 * on a total >= 2^64). */
static uint64_t units_for_usd(double usd, uint64_t price, double cap) {
    double u = usd / ((double)price * 1e-8) * 1e8;
    if (u < 1000) u = 1000;
    if (u > cap) u = cap;
    return (uint64_t)u;
}

static void put_units(FILE *f, uint64_t u) {
    if (!u) fputs("0.0", f);
    else fprintf(f, "%llu.%08llu", (unsigned long long)(u / 100000000u), (unsigned long long)(u % 100000000u));
}
static void put_signed_units(FILE *f, uint64_t e, uint64_t d) {
    if (e >= d) put_units(f, e - d);
    else {
        fputc('-', f);
        put_units(f, d - e);
    }
}

static void usage(FILE *f) {
    fprintf(f,
            "usage: zkpos sample --users N --assets A --out DIR [--files K] [--seed S] [--config FILE]\n\n"
            "Writes a synthetic balance sheet in the Binance v1 CSV layout to DIR\n"
            "(users_000.csv, users_001.csv, ...; DIR is created if missing): skewed\n"
            "holdings, log-distributed amounts, ~10%% of users with debt below their\n"
            "equity, and a few injected rows the reader must reject (debt above equity)\n"
            "and values it must skip (malformed numbers). Prints the counts, including\n"
            "'injected-rejected-rows R' and 'injected-skipped-values V'.\n"
            "The output depends only on the options.\n\n"
            "  --users N    data rows in all (1 .. 100000000), injected ones included\n"
            "  --assets A   assets (columns), 1 .. %d\n"
            "  --out DIR    output directory\n"
            "  --files K    number of files (default 3; at most N)\n"
            "  --seed S     PRNG seed (default 1)\n"
            "  --config FILE settings as 'name = value' lines; flags win\n",
            SAMPLE_MAX_ASSETS);
}

static int parse_u64(uint64_t *out, const char *s, uint64_t lo, uint64_t hi) {
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

enum { ROW_NORMAL, ROW_REJECT, ROW_MALFORMED };

int cmd_sample(int argc, char **argv) {
    unsigned users = 0, assets = 0, files = 3;
    uint64_t seed = 1;
    const char *out = NULL, *seed_text = NULL;
    pipe_opt o[] = {PIPE_NUM("--users", &users, 1, 100000000), PIPE_NUM("--assets", &assets, 1, SAMPLE_MAX_ASSETS),
                    PIPE_STR("--out", &out), PIPE_NUM("--files", &files, 1, 1000), PIPE_STR("--seed", &seed_text)};
    int rc = pipe_parse("sample", argc, argv, o, 5, NULL, 0, usage);
    if (rc) return rc < 0 ? 0 : rc;
    if ((rc = pipe_require("sample", &o[0], usage)) || (rc = pipe_require("sample", &o[1], usage)) ||
        (rc = pipe_require("sample", &o[2], usage)))
        return rc;
    if (seed_text && parse_u64(&seed, seed_text, 0, UINT64_MAX)) {
        fprintf(stderr, "zkpos sample: bad value '%s' for --seed (expected 0 .. 18446744073709551615)\n", seed_text);
        return 2;
    }
    if (files > users) files = users;
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "zkpos sample: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }

    unsigned a = assets;
    char syms[SAMPLE_MAX_ASSETS][16];
    uint64_t prices[SAMPLE_MAX_ASSETS];
    for (unsigned j = 0; j < a; j++) asset_info(syms[j], sizeof syms[j], &prices[j], j, seed);

    uint64_t *eq = calloc(a, sizeof *eq), *debt = calloc(a, sizeof *debt);
    unsigned char *taken = calloc(a, 1);
    if (!eq || !debt || !taken) {
        free(eq), free(debt), free(taken);
        fprintf(stderr, "zkpos sample: out of memory\n");
        return 1;
    }
    sample_rng r = {seed};
    double cap = 9.2e18 / (double)users;
    if (cap > 1e17) cap = 1e17;
    /* Injected rows: about 1 in 200 rejected, 1 in 400 with a malformed value,
     * at least one of each when the files have a second row to put them in. */
    uint64_t per_file = users / files, extra = users % files;
    uint64_t n_reject = users / 200, n_malformed = users / 400;
    if (per_file >= 3) {
        if (!n_reject) n_reject = 1;
        if (!n_malformed) n_malformed = 1;
    }
    static const char *const malformed[] = {"1.2.3", "12a", "1e", "--5", "0x10", " 7"};
    uint64_t injected_reject = 0, injected_malformed = 0, with_debt = 0, row_total = 0;
    rc = 0;
    char path[4096];
    for (uint64_t fi = 0; fi < files && rc == 0; fi++) {
        uint64_t rows = per_file + (fi < extra);
        if ((size_t)snprintf(path, sizeof path, "%s/users_%03llu.csv", out, (unsigned long long)fi) >= sizeof path) {
            fprintf(stderr, "zkpos sample: --out path too long\n");
            rc = 1;
            break;
        }
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "zkpos sample: cannot create %s: %s\n", path, strerror(errno));
            rc = 1;
            break;
        }
        fputs("rn,id", f);
        for (unsigned j = 0; j < a; j++) fprintf(f, ",e_%s,d_%s,%s", syms[j], syms[j], syms[j]);
        for (unsigned j = 0; j < a; j++) fprintf(f, ",%s_udst_price", syms[j]);
        fputs(",total_net_balance_usdt\n", f);
        for (uint64_t row = 0; row < rows; row++, row_total++) {
            /* Spread the injections evenly over the rows after each file's first. */
            int kind = ROW_NORMAL;
            if (row > 0) {
                uint64_t left = users - row_total;
                uint64_t need_r = n_reject - injected_reject, need_m = n_malformed - injected_malformed;
                uint64_t x = rng_below(&r, left);
                if (x < need_r) kind = ROW_REJECT;
                else if (x < need_r + need_m) kind = ROW_MALFORMED;
            }
            memset(eq, 0, a * sizeof *eq);
            memset(debt, 0, a * sizeof *debt);
            memset(taken, 0, a);
            /* How many assets: mostly 1-3, geometric tail, ~1 % whales. */
            unsigned k;
            if (rng_below(&r, 100) == 0) k = a / 2 + (unsigned)rng_below(&r, a - a / 2) + 1;
            else {
                k = 1;
                while (k < a && rng_below(&r, 100) < 45) k++;
            }
            if (k > a) k = a;
            double equity_usd = 0;
            unsigned got = 0;
            for (uint64_t tries = 0; got < k && tries < 64u * k; tries++) {
                unsigned j = skewed_index(&r, a);
                if (taken[j]) continue;
                taken[j] = 1, got++;
            }
            for (unsigned j = 0; got < k && j < a; j++)
                if (!taken[j]) taken[j] = 1, got++;
            for (unsigned j = 0; j < a; j++)
                if (taken[j]) {
                    eq[j] = units_for_usd(usd_value(&r), prices[j], cap);
                    equity_usd += (double)eq[j] * 1e-8 * (double)prices[j] * 1e-8;
                }
            int has_debt = kind == ROW_REJECT || (kind == ROW_NORMAL && rng_below(&r, 10) == 0);
            if (has_debt) {
                /* Debt in one asset (often a stable coin): 5..80 % of the equity,
                 * or 150..300 % for a row that must be rejected. */
                unsigned j = rng_below(&r, 2) ? 0 : skewed_index(&r, a);
                double frac = kind == ROW_REJECT ? 1.5 + 1.5 * rng_unit(&r) : 0.05 + 0.75 * rng_unit(&r);
                double units = equity_usd * frac / ((double)prices[j] * 1e-8) * 1e8;
                if (kind == ROW_REJECT) units += 1; /* stays above equity after truncation */
                if (units > cap) units = cap;
                debt[j] = (uint64_t)units;
                if (kind == ROW_REJECT && (double)debt[j] * (double)prices[j] <= equity_usd * 1.2e16) {
                    /* Clamped (huge equity): make it a plain over-indebted row. */
                    memset(eq, 0, a * sizeof *eq);
                    eq[j] = 1000;
                    debt[j] = 2000;
                }
                if (kind == ROW_NORMAL) with_debt++;
            }
            unsigned bad_col = 0;
            if (kind == ROW_MALFORMED) {
                /* A held asset: its equity or debt column is unparsable. */
                unsigned n = (unsigned)rng_below(&r, k), j = 0;
                for (; j < a; j++)
                    if (taken[j] && n-- == 0) break;
                bad_col = 1 + 2 * j + (unsigned)rng_below(&r, 2); /* 1-based: e_X or d_X of asset j */
            }
            fprintf(f, "%llu,", (unsigned long long)(row + 1));
            for (int b = 0; b < 4; b++) fprintf(f, "%016llx", (unsigned long long)rng_u64(&r));
            double net = 0;
            for (unsigned j = 0; j < a; j++) {
                for (unsigned c = 0; c < 2; c++) {
                    fputc(',', f);
                    if (bad_col == 1 + 2 * j + c)
                        fputs(malformed[injected_malformed % (sizeof malformed / sizeof malformed[0])], f);
                    else put_units(f, c ? debt[j] : eq[j]);
                }
                fputc(',', f);
                put_signed_units(f, eq[j], debt[j]);
                net += ((double)eq[j] - (double)debt[j]) * 1e-8 * (double)prices[j] * 1e-8;
            }
            for (unsigned j = 0; j < a; j++) {
                fputc(',', f);
                put_units(f, prices[j]);
            }
            fprintf(f, ",%.8f\n", net);
            injected_reject += kind == ROW_REJECT;
            injected_malformed += kind == ROW_MALFORMED;
        }
        if (ferror(f) | fclose(f)) {
            fprintf(stderr, "zkpos sample: writing %s failed\n", path);
            rc = 1;
        }
    }
    free(eq), free(debt), free(taken);
    if (rc) return rc;
    printf("files %llu\nrows %llu\nassets %u\nusers-with-debt %llu\ninjected-rejected-rows %llu\n"
           "injected-skipped-values %llu\n",
           (unsigned long long)files, (unsigned long long)users, a, (unsigned long long)with_debt,
           (unsigned long long)injected_reject, (unsigned long long)injected_malformed);
    return fflush(stdout) ? 1 : 0;
}
