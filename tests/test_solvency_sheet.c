/* Balance-sheet reader: CSV quirks (Go encoding/csv rules), per-row rules of
 * spec §4.4, issue reporting with line and column, strict mode, several
 * files, header errors, streaming across buffer boundaries.
 *
 * Expected values are derived independently: reduced ids with GMP (id mod
 * r), totals from the amounts and prices written into the test input, and
 * columns by searching the input text. */
#define _GNU_SOURCE
#include <gmp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "solvency/solvency.h"
#include "test.h"

static const char *R_DEC = "21888242871839275222246405745257275088548364400416034343698204186575808495617";

typedef struct {
    char items[64][400];
    zk_issue_kind kinds[64];
    uint64_t lines[64], cols[64];
    int n;
} issues;

static void collect(void *ctx, const zk_issue *is) {
    issues *c = ctx;
    if (c->n >= 64) return;
    snprintf(c->items[c->n], sizeof c->items[0], "%s:%llu:%llu: %s", is->file, (unsigned long long)is->line,
             (unsigned long long)is->column, is->message);
    c->kinds[c->n] = is->kind;
    c->lines[c->n] = is->line;
    c->cols[c->n] = is->column;
    c->n++;
}

/* id of 64 copies of hex digit c, reduced mod r, as 32 big-endian bytes (GMP) */
static void reduced_id(uint8_t out[32], char c) {
    char hex[65];
    memset(hex, c, 64);
    hex[64] = 0;
    mpz_t x, r;
    mpz_init_set_str(x, hex, 16);
    mpz_init_set_str(r, R_DEC, 10);
    mpz_mod(x, x, r);
    memset(out, 0, 32);
    size_t cnt;
    uint8_t tmp[32];
    mpz_export(tmp, &cnt, 1, 1, 1, 0, x);
    memcpy(out + 32 - cnt, tmp, cnt);
    mpz_clears(x, r, NULL);
}

static char *idstr(char c) {
    static char buf[16][65];
    static int k;
    char *b = buf[k++ % 16];
    memset(b, c, 64);
    b[64] = 0;
    return b;
}

/* 1-based column of needle within line number `line` of text */
static uint64_t col_of(const char *text, int line, const char *needle) {
    const char *p = text;
    for (int l = 1; l < line; l++) p = strchr(p, '\n') + 1;
    return (uint64_t)(strstr(p, needle) - p) + 1;
}

static int u192_is(const zk_u192 *a, uint64_t lo, uint64_t mid) {
    return a->l[0] == lo && a->l[1] == mid && a->l[2] == 0;
}

static void test_quirks(void) {
    char text[4096];
    snprintf(text, sizeof text,
             "rn,id,e_btc,d_btc,btc,btc_usdt_price,total\r\n"         /* 1 */
             "1,\"%s\",\"1.5\",0.0,\"x,y\",\"2.0\",0\r\n"                /* 2 */
             "\r\n"                                                    /* 3 */
             "\n"                                                      /* 4 */
             "2,%s,abc,0.0,x,2.0,0\n"                                  /* 5 */
             "3,zz,1,0,x,2,0\n"                                        /* 6 */
             "4,%s,1,2,x,2,0\n"                                        /* 7 */
             "5,%s,\"multi\nline\",0,x,2,0\n"                          /* 8-9 */
             "6,%s,1,0\n"                                              /* 10 */
             "7,%s,1\"x,0,x,2,0\n"                                     /* 11 */
             "8,\"%s\",\"a\"\"b\",0,x,2,0\n"                           /* 12 */
             "10,%s,1\r5,0,x,2,0\n"                                    /* 13 */
             "9,%s,0.5,0.25,x,2,0\r",                                  /* 14, '\r' before EOF */
             idstr('1'), idstr('2'), idstr('4'), idstr('5'), idstr('6'), idstr('7'), idstr('8'), idstr('A'),
             idstr('9'));
    const char *names[1] = {"mem.csv"};
    const char *texts[1] = {text};
    size_t lens[1] = {strlen(text)};
    issues got = {0};
    zk_sheet_stats st;
    zk_sheet_opts o = {0};
    o.on_issue = collect;
    o.issue_ctx = &got;
    o.stats = &st;
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, &o) == ZK_OK);
    if (!s) return;
    CHECK(s->n_assets == 1 && !strcmp(s->symbols[0], "btc") && s->prices[0] == 200000000);
    CHECK(st.rows == 10 && st.accepted == 6 && st.rejected_rows == 4 && st.skipped_values == 4);
    CHECK(st.bad_prices == 0 && st.file_issues == 0 && st.asset_entries == 2);
    CHECK(s->n_accounts == 6);
    const char ids[6] = {'1', '2', '5', '8', 'A', '9'};
    const uint64_t lines[6] = {2, 5, 8, 12, 13, 14};
    for (int i = 0; i < 6 && i < (int)s->n_accounts; i++) {
        uint8_t want[32];
        reduced_id(want, ids[i]);
        CHECK_MSG(!memcmp(s->accounts[i].id, want, 32), "account %d id", i);
        CHECK_MSG(s->accounts[i].line == lines[i], "account %d line %llu", i, (unsigned long long)s->accounts[i].line);
    }
    /* account 0: 1.5 btc at 2 USD: 1.5e8 * 2e8 = 3e16 */
    CHECK(s->accounts[0].n_assets == 1 && s->assets[0].equity == 150000000 && s->assets[0].debt == 0);
    CHECK(u192_is(&s->accounts[0].equity, 30000000000000000ULL, 0) && u192_is(&s->accounts[0].debt, 0, 0));
    for (int i = 1; i < 5; i++) CHECK(s->accounts[i].n_assets == 0 && u192_is(&s->accounts[i].equity, 0, 0));
    /* account 5: 0.5 / 0.25 btc */
    CHECK(s->accounts[5].n_assets == 1 && s->accounts[5].first_asset == 1);
    CHECK(s->assets[1].equity == 50000000 && s->assets[1].debt == 25000000 && s->assets[1].index == 0);
    CHECK(u192_is(&s->accounts[5].equity, 10000000000000000ULL, 0) &&
          u192_is(&s->accounts[5].debt, 5000000000000000ULL, 0));

    /* issues, in line order, with the columns of the offending fields */
    struct {
        zk_issue_kind kind;
        uint64_t line, col;
        const char *text;
    } want[] = {
        {ZK_ISSUE_VALUE, 5, col_of(text, 5, "abc"), "e_btc \"abc\": not a decimal number; asset btc skipped"},
        {ZK_ISSUE_ROW, 6, 3, "id \"zz\" is not 64 hex digits; row rejected"},
        {ZK_ISSUE_ROW, 7, 1, "total debt 40000000000000000 exceeds total equity 20000000000000000"},
        {ZK_ISSUE_VALUE, 8, col_of(text, 8, "\"multi"), "e_btc \"multi?line\": "},
        {ZK_ISSUE_ROW, 10, col_of(text, 10, "1,0\n") + 2, "record has 4 fields, the header has 7; row rejected"},
        {ZK_ISSUE_ROW, 11, col_of(text, 11, "\"x,"), "'\"' in an unquoted field"},
        {ZK_ISSUE_VALUE, 12, col_of(text, 12, "\"a\"\"b\""), "e_btc \"a\"b\": not a decimal number"},
        {ZK_ISSUE_VALUE, 13, col_of(text, 13, "1\r5"), "e_btc \"1?5\""},
    };
    int nw = (int)(sizeof want / sizeof want[0]);
    CHECK_MSG(got.n == nw, "%d issues", got.n);
    for (int i = 0; i < nw && i < got.n; i++) {
        CHECK_MSG(got.kinds[i] == want[i].kind && got.lines[i] == want[i].line && got.cols[i] == want[i].col &&
                      strstr(got.items[i], want[i].text) && !strncmp(got.items[i], "mem.csv:", 8),
                  "issue %d: %s (want line %llu col %llu: %s)", i, got.items[i], (unsigned long long)want[i].line,
                  (unsigned long long)want[i].col, want[i].text);
    }
    zk_sheet_free(s);

    /* strict mode: the same input fails, the counts are still reported */
    issues got2 = {0};
    o.issue_ctx = &got2;
    o.strict = 1;
    memset(&st, 0, sizeof st);
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, &o) == ZK_ERR_PARSE && s == NULL);
    CHECK(st.accepted == 6 && st.rejected_rows == 4 && got2.n == nw);

    /* issue cap: details of the first 3 only, counts exact, one summary line */
    issues got3 = {0};
    o.issue_ctx = &got3;
    o.strict = 0;
    o.max_issues_per_file = 3;
    CHECK(zk_sheet_load_mem(&s, names, texts, lens, 1, &o) == ZK_OK);
    CHECK(st.issues_not_listed == 5 && st.skipped_values == 4 && got3.n == 4);
    CHECK(got3.n == 4 && strstr(got3.items[3], "5 further issues"));
    zk_sheet_free(s);
}

static zk_err load1(zk_sheet **s, const char *text, issues *got, zk_sheet_stats *st) {
    const char *names[1] = {"t.csv"};
    const char *texts[1] = {text};
    size_t lens[1] = {strlen(text)};
    zk_sheet_opts o = {0};
    o.on_issue = collect;
    o.issue_ctx = got;
    o.stats = st;
    return zk_sheet_load_mem(s, names, texts, lens, 1, &o);
}

static void test_headers_and_prices(void) {
    zk_sheet *s = NULL;
    zk_sheet_stats st;
    issues got = {0};
    /* 4 columns: not 3 + 4N */
    CHECK(load1(&s, "rn,id,e_x,d_x\n1,2,3,4\n", &got, &st) == ZK_ERR_PARSE && !s);
    CHECK(got.n == 1 && got.kinds[0] == ZK_ISSUE_FATAL && got.lines[0] == 1 && strstr(got.items[0], "3 + 4*N"));
    /* header only: no prices */
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, "rn,id,e_x,d_x,x,x_p,t\n", &got, &st) == ZK_ERR_PARSE && !s);
    CHECK(got.n == 1 && strstr(got.items[0], "no data rows"));
    /* empty file */
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, "", &got, &st) == ZK_ERR_PARSE && got.n == 1 && strstr(got.items[0], "no header"));
    /* malformed first data row (prices cannot be read) */
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, "rn,id,e_x,d_x,x,x_p,t\n1,2\n", &got, &st) == ZK_ERR_PARSE);
    CHECK(got.n == 1 && got.lines[0] == 2 && strstr(got.items[0], "first data row"));

    /* upper-case two-digit symbol: amounts x 10^2, price x 10^14; lower case: x 10^8 */
    char text[1024];
    snprintf(text, sizeof text,
             "rn,id,e_DOGE,d_DOGE,DOGE,e_doge,d_doge,doge,p1,p2,t\n"
             "1,%s,12.345,1.5,x,12.345,1.5,x,0.07,0.07,0\n",
             idstr('3'));
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, text, &got, &st) == ZK_OK && got.n == 0);
    if (s) {
        CHECK(s->n_assets == 2 && s->prices[0] == 7000000000000ULL && s->prices[1] == 7000000);
        CHECK(s->n_asset_entries == 2 && s->assets[0].equity == 1234 && s->assets[0].debt == 150);
        CHECK(s->assets[1].equity == 1234500000 && s->assets[1].debt == 150000000);
        /* TE = 1234 * 7e12 + 1234500000 * 7e6 = 8638000000000000 + 8641500000000000 */
        CHECK(u192_is(&s->accounts[0].equity, 17279500000000000ULL, 0));
        zk_sheet_free(s);
    }

    /* a price that does not convert counts as 0 (reported); its amounts still count */
    snprintf(text, sizeof text,
             "rn,id,e_a,d_a,a,e_b,d_b,b,pa,pb,t\n"
             "1,%s,1,0,x,1,0,x,oops,3,0\n"
             "2,%s,0,1,x,0,0,x,9,9,0\n",
             idstr('3'), idstr('4'));
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, text, &got, &st) == ZK_OK);
    CHECK(got.n == 1 && got.kinds[0] == ZK_ISSUE_PRICE && got.lines[0] == 2 &&
          got.cols[0] == col_of(text, 2, "oops") && strstr(got.items[0], "pa \"oops\""));
    CHECK(st.bad_prices == 1);
    if (s) {
        CHECK(s->prices[0] == 0 && s->prices[1] == 300000000 && s->n_accounts == 2);
        CHECK(u192_is(&s->accounts[0].equity, 30000000000000000ULL, 0));
        /* row 2: debt 1 of asset a at price 0: TD = 0, so TE >= TD holds */
        CHECK(s->accounts[1].n_assets == 1 && u192_is(&s->accounts[1].debt, 0, 0));
        zk_sheet_free(s);
    }

    /* 351 assets exceed v1's 350 */
    size_t cap = 351 * 40 + 64;
    char *big = malloc(cap);
    size_t n = (size_t)snprintf(big, cap, "rn,id");
    for (int j = 0; j < 351; j++) n += (size_t)snprintf(big + n, cap - n, ",e_%d,d_%d,s%d", j, j, j);
    for (int j = 0; j < 351; j++) n += (size_t)snprintf(big + n, cap - n, ",p%d", j);
    snprintf(big + n, cap - n, ",t\n");
    memset(&got, 0, sizeof got);
    CHECK(load1(&s, big, &got, &st) == ZK_ERR_PARSE && got.n == 1 && strstr(got.items[0], "at most 350"));
    free(big);
}

static void write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void test_directory(void) {
    char dir[] = "/tmp/zkpos_sheet_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char a[512], b[512], c[512];
    snprintf(a, sizeof a, "rn,id,e_x,d_x,x,px,t\n1,%s,1,0,x,2,0\n2,%s,2,1,x,2,0\n", idstr('1'), idstr('2'));
    snprintf(b, sizeof b, "rn,id,e_x,d_x,x,px,t\n1,%s,1,0,x,3,0\n", idstr('3')); /* different price */
    snprintf(c, sizeof c, "rn,id,e_x,d_x,x,px,t\n1,%s,4,0,x,2,0\n", idstr('4'));
    write_file(dir, "b.csv", b);
    write_file(dir, "a.csv", a);
    write_file(dir, "c.csv.bak", c); /* contains ".csv": a user file in v1 */
    write_file(dir, "notes.txt", "not,a,balance,sheet\n\"");
    write_file(dir, "empty.csv", "rn,id,e_x,d_x,x,px,t\n"); /* header only: reported */
    issues got = {0};
    zk_sheet_stats st;
    zk_sheet_opts o = {0};
    o.on_issue = collect;
    o.issue_ctx = &got;
    o.stats = &st;
    zk_pool *pool = zk_pool_new(2);
    o.pool = pool;
    zk_sheet *s = NULL;
    CHECK(zk_sheet_load(&s, dir, &o) == ZK_OK);
    if (s) {
        CHECK(s->n_files == 4 && strstr(s->files[0], "/a.csv") && strstr(s->files[1], "/b.csv") &&
              strstr(s->files[2], "/c.csv.bak") && strstr(s->files[3], "/empty.csv"));
        CHECK(s->n_accounts == 4 && s->prices[0] == 200000000);
        uint8_t want[32];
        const char ids[4] = {'1', '2', '3', '4'};
        for (int i = 0; i < 4; i++) {
            reduced_id(want, ids[i]);
            CHECK(!memcmp(s->accounts[i].id, want, 32));
        }
        CHECK(s->accounts[2].file == 1 && s->accounts[3].file == 2 && s->accounts[3].line == 2);
        /* v1 quirk: b.csv's account uses b.csv's own price (3 USD) */
        CHECK(u192_is(&s->accounts[2].equity, 30000000000000000ULL, 0));
        CHECK(st.file_issues == 2 && got.n == 2);
        CHECK(got.n == 2 && got.kinds[0] == ZK_ISSUE_FILE && strstr(got.items[0], "/b.csv:1:0: price of x") &&
              strstr(got.items[1], "/empty.csv:2:0: no data rows"));
        zk_sheet_free(s);
    }
    /* strict mode refuses the mismatch */
    o.strict = 1;
    CHECK(zk_sheet_load(&s, dir, &o) == ZK_ERR_PARSE && !s);

    /* a large file (several read buffers) parses like the same text in memory */
    size_t cap = 8u << 20, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n, "rn,id");
    for (int j = 0; j < 40; j++) n += (size_t)snprintf(text + n, cap - n, ",e_%d,d_%d,s%d", j, j, j);
    for (int j = 0; j < 40; j++) n += (size_t)snprintf(text + n, cap - n, ",%d.5", j);
    n += (size_t)snprintf(text + n, cap - n, ",t\r\n");
    for (int r = 0; n + 4096 < (3u << 20); r++) {
        char id[65];
        for (int k = 0; k < 64; k++) id[k] = "0123456789abcdef"[test_rand64() % 16];
        id[64] = 0;
        n += (size_t)snprintf(text + n, cap - n, "%d,%s%s%s", r, r % 3 ? "" : "\"", id, r % 3 ? "" : "\"");
        for (int j = 0; j < 40; j++) {
            uint64_t x = test_rand64();
            if (x % 4) n += (size_t)snprintf(text + n, cap - n, ",0.0,0.0,0");
            else
                n += (size_t)snprintf(text + n, cap - n, ",%s%llu.%llu%s,%llu.%02llue-3,\"n\"", x % 8 == 0 ? "\"" : "",
                                      (unsigned long long)(x >> 40), (unsigned long long)(x % 1000),
                                      x % 8 == 0 ? "\"" : "", (unsigned long long)((x >> 20) % 1000),
                                      (unsigned long long)(x % 100));
        }
        for (int j = 0; j < 40; j++) n += (size_t)snprintf(text + n, cap - n, ",%d.5", j);
        n += (size_t)snprintf(text + n, cap - n, r % 2 ? ",0\r\n" : ",0\n");
    }
    char big_dir[] = "/tmp/zkpos_sheet_big_XXXXXX";
    if (mkdtemp(big_dir)) {
        write_file(big_dir, "big.csv", text);
        zk_sheet *s1 = NULL, *s2 = NULL;
        zk_sheet_opts o2 = {0};
        o2.strict = 1;
        CHECK(zk_sheet_load(&s1, big_dir, &o2) == ZK_OK);
        const char *names[1] = {"big.csv"};
        const char *texts[1] = {text};
        size_t lens[1] = {n};
        CHECK(zk_sheet_load_mem(&s2, names, texts, lens, 1, &o2) == ZK_OK);
        if (s1 && s2) {
            CHECK(s1->n_accounts > 3000 && s1->n_accounts == s2->n_accounts);
            CHECK(s1->n_asset_entries == s2->n_asset_entries && s1->n_asset_entries > 1000);
            CHECK(zk_sheet_digest(s1) == zk_sheet_digest(s2));
            CHECK(s1->accounts[s1->n_accounts - 1].line == s1->n_accounts + 1);
        }
        zk_sheet_free(s1);
        zk_sheet_free(s2);
        char path[600];
        snprintf(path, sizeof path, "%s/big.csv", big_dir);
        unlink(path);
        rmdir(big_dir);
    }
    free(text);

    /* an empty directory and a missing one */
    char empty[] = "/tmp/zkpos_sheet_empty_XXXXXX";
    if (mkdtemp(empty)) {
        memset(&got, 0, sizeof got);
        o.strict = 0;
        CHECK(zk_sheet_load(&s, empty, &o) == ZK_ERR_IO && got.n == 1 && strstr(got.items[0], "\".csv\""));
        rmdir(empty);
    }
    CHECK(zk_sheet_load(&s, "/nonexistent/zkpos", &o) == ZK_ERR_IO);
    zk_pool_free(pool);
    const char *files[] = {"a.csv", "b.csv", "c.csv.bak", "notes.txt", "empty.csv"};
    for (size_t i = 0; i < 5; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void) {
    test_init();
    test_quirks();
    test_headers_and_prices();
    test_directory();
    TEST_DONE();
}
