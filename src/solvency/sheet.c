/* Balance-sheet reader for the v1 CSV layout (spec §4).
 *
 * Design: one pool task per file parses it from a stream into that file's
 * own account and asset arrays plus a list of issues; afterwards the files
 * are concatenated in name order (indices are positions, so no renumbering
 * is needed) and the issues are delivered in file and line order, which
 * keeps the output deterministic whatever the thread count.
 *
 * v1 rules kept for compatibility (each is a deliberate choice):
 *   - user files are the directory entries whose name contains ".csv",
 *     in byte order of the names;
 *   - N = (columns - 3) / 4; the symbol of asset j is the header of column
 *     4+3j verbatim, and the two-digit multipliers apply only to the
 *     upper-case symbols of v1's table (real headers are lower case);
 *   - each file takes prices from its own first data row and uses them for
 *     its own accounts' totals; the sheet's CEX prices are the first file's
 *     (a later file whose header or prices differ is reported);
 *   - a failed amount skips that asset but keeps the account; a failed
 *     price counts as 0; an account with TotalEquity < TotalDebt is rejected
 *     and takes no index; ids are reduced mod r.
 * Where v1 would crash (bad id, wrong field count, malformed CSV) the row is
 * rejected and reported instead; structural problems (no files, bad header,
 * unreadable first data row, I/O errors) fail the whole load. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "solv_internal.h"

#define DEFAULT_MAX_ISSUES 100000

typedef struct {
    zk_issue_kind kind;
    uint64_t line, col;
    size_t msg; /* offset in msgs */
} issue_rec;

typedef struct {
    /* input */
    const char *label; /* path or name, used in messages */
    const char *path;  /* NULL for memory input */
    const char *text;
    size_t text_len;
    size_t max_issues;
    uint32_t file_index;
    /* header */
    size_t ncols, n;
    csv_record head;
    int two_digit[ZK_V1_ASSET_COUNT];
    uint64_t prices[ZK_V1_ASSET_COUNT];
    int have_prices;
    /* results */
    zk_err err; /* fatal error of this file */
    zk_account *acc;
    size_t nacc, acc_cap;
    zk_asset *as;
    size_t nas, as_cap;
    issue_rec *iss;
    size_t niss, iss_cap;
    char *msgs;
    size_t msgs_len, msgs_cap;
    size_t rows, rejected_rows, skipped_values, bad_prices, not_listed;
} file_job;

/* v1's AssetTypeForTwoDigits at 2d35593, looked up case-sensitively */
static const char *const TWO_DIGIT_V1[] = {"BTTC", "SHIB", "LUNC",  "XEC", "WIN",
                                           "BIDR", "SPELL", "HOT", "DOGE", "PEPE"};

static int is_two_digit(const char *sym) {
    for (size_t i = 0; i < sizeof TWO_DIGIT_V1 / sizeof TWO_DIGIT_V1[0]; i++)
        if (!strcmp(sym, TWO_DIGIT_V1[i])) return 1;
    return 0;
}

static void add_issue(file_job *j, zk_issue_kind kind, uint64_t line, uint64_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_issue(file_job *j, zk_issue_kind kind, uint64_t line, uint64_t col, const char *fmt, ...) {
    if (kind != ZK_ISSUE_FATAL && j->niss >= j->max_issues) {
        j->not_listed++;
        return;
    }
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    if (j->niss == j->iss_cap) {
        size_t cap = j->iss_cap ? j->iss_cap * 2 : 16;
        issue_rec *p = realloc(j->iss, cap * sizeof *p);
        if (!p) {
            j->not_listed++;
            return;
        }
        j->iss = p;
        j->iss_cap = cap;
    }
    if (j->msgs_len + (size_t)n + 1 > j->msgs_cap) {
        size_t cap = j->msgs_cap ? j->msgs_cap : 1024;
        while (cap < j->msgs_len + (size_t)n + 1) cap *= 2;
        char *p = realloc(j->msgs, cap);
        if (!p) {
            j->not_listed++;
            return;
        }
        j->msgs = p;
        j->msgs_cap = cap;
    }
    memcpy(j->msgs + j->msgs_len, tmp, (size_t)n + 1);
    j->iss[j->niss++] = (issue_rec){kind, line, col, j->msgs_len};
    j->msgs_len += (size_t)n + 1;
}

/* Shows a field in a message: at most 40 bytes, control bytes as '?'. */
static const char *show(char out[48], const char *s, size_t len) {
    size_t n = len > 40 ? 40 : len, k = 0;
    for (size_t i = 0; i < n; i++) out[k++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    if (len > n) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = 0;
    return out;
}

static const char *fld(const csv_record *r, size_t i) { return r->text + r->off[i]; }

static void fatal(file_job *j, zk_err e, uint64_t line, uint64_t col, const char *msg) {
    if (j->err == ZK_OK) {
        j->err = e;
        add_issue(j, ZK_ISSUE_FATAL, line, col, "%s", msg);
    }
}

static int push_asset(file_job *j, uint16_t index, uint64_t equity, uint64_t debt) {
    if (j->nas == j->as_cap) {
        size_t cap = j->as_cap ? j->as_cap * 2 : 1024;
        zk_asset *p = realloc(j->as, cap * sizeof *p);
        if (!p) return 0;
        j->as = p;
        j->as_cap = cap;
    }
    j->as[j->nas++] = (zk_asset){equity, debt, index};
    return 1;
}

static int push_account(file_job *j, const zk_account *a) {
    if (j->nacc == j->acc_cap) {
        size_t cap = j->acc_cap ? j->acc_cap * 2 : 256;
        zk_account *p = realloc(j->acc, cap * sizeof *p);
        if (!p) return 0;
        j->acc = p;
        j->acc_cap = cap;
    }
    j->acc[j->nacc++] = *a;
    return 1;
}

static void read_prices(file_job *j, const csv_record *r) {
    char sh[48];
    for (size_t k = 0; k < j->n; k++) {
        size_t c = 2 + 3 * j->n + k;
        const char *why;
        unsigned scale = j->two_digit[k] ? 14 : 8;
        if (zk_decimal_to_u64(&j->prices[k], fld(r, c), r->len[c], scale, &why) != ZK_OK) {
            j->prices[k] = 0;
            j->bad_prices++;
            add_issue(j, ZK_ISSUE_PRICE, r->line, r->col[c], "%s \"%s\": %s; price of %s taken as 0",
                      fld(&j->head, c), show(sh, fld(r, c), r->len[c]), why, fld(&j->head, 4 + 3 * k));
        }
    }
    j->have_prices = 1;
}

static void process_row(file_job *j, const csv_record *r) {
    char sh[48];
    j->rows++;
    if (r->nf != j->ncols) {
        j->rejected_rows++;
        add_issue(j, ZK_ISSUE_ROW, r->line, r->col[r->nf - 1],
                  "record has %zu fields, the header has %zu; row rejected", r->nf, j->ncols);
        return;
    }
    zk_account a;
    memset(&a, 0, sizeof a);
    uint8_t raw[32];
    if (zk_hex_decode(raw, 32, fld(r, 1), r->len[1]) != ZK_OK) {
        j->rejected_rows++;
        add_issue(j, ZK_ISSUE_ROW, r->line, r->col[1], "id \"%s\" is not 64 hex digits; row rejected",
                  show(sh, fld(r, 1), r->len[1]));
        return;
    }
    fr_t id;
    fr_from_bytes_be_reduce(&id, raw, 32);
    fr_to_bytes_be(a.id, &id);
    a.first_asset = j->nas;
    a.file = j->file_index;
    a.line = r->line;
    for (size_t k = 0; k < j->n; k++) {
        size_t ce = 2 + 3 * k, cd = 3 + 3 * k;
        unsigned scale = j->two_digit[k] ? 2 : 8;
        uint64_t e = 0, d = 0;
        const char *why;
        size_t bad = 0;
        if (zk_decimal_to_u64(&e, fld(r, ce), r->len[ce], scale, &why) != ZK_OK) bad = ce;
        else if (zk_decimal_to_u64(&d, fld(r, cd), r->len[cd], scale, &why) != ZK_OK) bad = cd;
        if (bad) {
            j->skipped_values++;
            add_issue(j, ZK_ISSUE_VALUE, r->line, r->col[bad], "%s \"%s\": %s; asset %s skipped for this account",
                      fld(&j->head, bad), show(sh, fld(r, bad), r->len[bad]), why, fld(&j->head, 4 + 3 * k));
            continue;
        }
        if (e == 0 && d == 0) continue;
        if (!push_asset(j, (uint16_t)k, e, d)) {
            fatal(j, ZK_ERR_NOMEM, 0, 0, "out of memory");
            return;
        }
        u192_addmul(&a.equity, e, j->prices[k]);
        u192_addmul(&a.debt, d, j->prices[k]);
    }
    a.n_assets = (uint32_t)(j->nas - a.first_asset);
    if (zk_u192_cmp(&a.equity, &a.debt) < 0) {
        char te[59], td[59];
        zk_u192_to_dec(te, &a.equity);
        zk_u192_to_dec(td, &a.debt);
        j->nas = a.first_asset;
        j->rejected_rows++;
        add_issue(j, ZK_ISSUE_ROW, r->line, r->col[0],
                  "total debt %s exceeds total equity %s (USD x 10^16); row rejected", td, te);
        return;
    }
    if (!push_account(j, &a)) fatal(j, ZK_ERR_NOMEM, 0, 0, "out of memory");
}

static void parse_file(file_job *j) {
    FILE *f = NULL;
    csv_reader rd;
    if (j->path) {
        f = fopen(j->path, "rb");
        if (!f) {
            char m[300];
            snprintf(m, sizeof m, "cannot open: %s", strerror(errno));
            fatal(j, ZK_ERR_IO, 0, 0, m);
            return;
        }
        csv_reader_init_file(&rd, f);
    } else {
        csv_reader_init_mem(&rd, j->text, j->text_len);
    }
    csv_record rec;
    memset(&rec, 0, sizeof rec);
    char msg[160];
    uint64_t el, ec;

    csv_status st = csv_next(&rd, &j->head, msg, sizeof msg, &el, &ec);
    if (st != CSV_RECORD) {
        char m[300];
        if (st == CSV_EOF) fatal(j, ZK_ERR_PARSE, 1, 0, "empty file: no header");
        else if (st == CSV_SYNTAX) {
            snprintf(m, sizeof m, "header: %s", msg);
            fatal(j, ZK_ERR_PARSE, el, ec, m);
        } else fatal(j, st == CSV_NOMEM ? ZK_ERR_NOMEM : ZK_ERR_IO, 0, 0, st == CSV_NOMEM ? "out of memory" : "read error");
        goto done;
    }
    j->ncols = j->head.nf;
    if (j->ncols < 3 || (j->ncols - 3) % 4) {
        char m[300];
        snprintf(m, sizeof m,
                 "header has %zu columns; expected 3 + 4*N (rn, id, N x (e_X, d_X, X), N prices, total)", j->ncols);
        fatal(j, ZK_ERR_PARSE, j->head.line, 1, m);
        goto done;
    }
    j->n = (j->ncols - 3) / 4;
    if (j->n > ZK_V1_ASSET_COUNT) {
        char m[300];
        snprintf(m, sizeof m, "header has %zu assets; at most %d are supported", j->n, ZK_V1_ASSET_COUNT);
        fatal(j, ZK_ERR_PARSE, j->head.line, 1, m);
        goto done;
    }
    for (size_t k = 0; k < j->n; k++) j->two_digit[k] = is_two_digit(fld(&j->head, 4 + 3 * k));

    for (;;) {
        st = csv_next(&rd, &rec, msg, sizeof msg, &el, &ec);
        if (st == CSV_EOF) break;
        if (st == CSV_IOERR || st == CSV_NOMEM) {
            fatal(j, st == CSV_NOMEM ? ZK_ERR_NOMEM : ZK_ERR_IO, 0, 0, st == CSV_NOMEM ? "out of memory" : "read error");
            break;
        }
        if (!j->have_prices) {
            /* the first data row carries the prices */
            if (st == CSV_SYNTAX || rec.nf != j->ncols) {
                char m[300];
                if (st == CSV_SYNTAX) snprintf(m, sizeof m, "first data row (prices): %s", msg);
                else snprintf(m, sizeof m, "first data row (prices) has %zu fields, the header has %zu", rec.nf, j->ncols);
                fatal(j, ZK_ERR_PARSE, st == CSV_SYNTAX ? el : rec.line, st == CSV_SYNTAX ? ec : 1, m);
                break;
            }
            read_prices(j, &rec);
        }
        if (st == CSV_SYNTAX) {
            j->rows++;
            j->rejected_rows++;
            add_issue(j, ZK_ISSUE_ROW, el, ec, "%s; row rejected", msg);
            continue;
        }
        process_row(j, &rec);
        if (j->err) break;
    }
done:
    csv_record_free(&rec);
    csv_reader_free(&rd);
    if (f && fclose(f) != 0) fatal(j, ZK_ERR_IO, 0, 0, "close failed");
}

static void file_task(void *ctx, size_t i) {
    parse_file(&((file_job *)ctx)[i]);
}

static void job_free(file_job *j) {
    csv_record_free(&j->head);
    free(j->acc);
    free(j->as);
    free(j->iss);
    free(j->msgs);
}

void zk_sheet_free(zk_sheet *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n_assets; i++) free(s->symbols[i]);
    free(s->symbols);
    for (size_t i = 0; i < s->n_files; i++) free(s->files[i]);
    free(s->files);
    free(s->accounts);
    free(s->assets);
    free(s);
}

static void emit(const zk_sheet_opts *o, zk_issue_kind kind, const char *file, uint64_t line, uint64_t col,
                 const char *msg) {
    if (!o || !o->on_issue) return;
    zk_issue is = {kind, file, line, col, msg};
    o->on_issue(o->issue_ctx, &is);
}

static char *dupstr(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Runs the jobs, reports, concatenates. names[i] are the display names. */
static zk_err run_jobs(zk_sheet **out, file_job *jobs, size_t n, const zk_sheet_opts *o) {
    zk_sheet_stats st;
    memset(&st, 0, sizeof st);
    st.files = n;
    zk_pool_run(o ? o->pool : NULL, n, file_task, jobs);

    zk_err err = ZK_OK;
    const file_job *first = &jobs[0];
    size_t total_acc = 0, total_as = 0;
    for (size_t i = 0; i < n; i++) {
        file_job *j = &jobs[i];
        /* file-level checks against the first file */
        char m[400];
        if (!j->err && i == 0 && !j->have_prices) {
            fatal(j, ZK_ERR_PARSE, 2, 0, "the first file has no data rows, so there are no prices");
        } else if (!j->err && !j->have_prices) {
            st.file_issues++;
            emit(o, ZK_ISSUE_FILE, j->label, 2, 0, "no data rows");
        } else if (!j->err && i > 0 && !first->err) {
            m[0] = 0;
            if (j->n != first->n) {
                snprintf(m, sizeof m, "header has %zu assets, the first file %s has %zu", j->n, first->label,
                         first->n);
            } else {
                for (size_t k = 0; k < j->n && !m[0]; k++) {
                    const char *a = fld(&j->head, 4 + 3 * k), *b = fld(&first->head, 4 + 3 * k);
                    if (strcmp(a, b))
                        snprintf(m, sizeof m, "asset %zu is \"%.40s\" here but \"%.40s\" in the first file %s", k, a, b,
                                 first->label);
                    else if (j->prices[k] != first->prices[k])
                        snprintf(m, sizeof m,
                                 "price of %.40s is %llu here but %llu in the first file %s (x 10^-8 USD)", a,
                                 (unsigned long long)j->prices[k], (unsigned long long)first->prices[k], first->label);
                }
            }
            if (m[0]) {
                st.file_issues++;
                size_t len = strlen(m);
                snprintf(m + len, sizeof m - len, "; this file's accounts use its own prices as v1 does");
                emit(o, ZK_ISSUE_FILE, j->label, j->head.line, 0, m);
            }
        }
        for (size_t k = 0; k < j->niss; k++)
            emit(o, j->iss[k].kind, j->label, j->iss[k].line, j->iss[k].col, j->msgs + j->iss[k].msg);
        if (j->not_listed) {
            snprintf(m, sizeof m, "%zu further issues in this file are counted but not listed", j->not_listed);
            emit(o, ZK_ISSUE_FILE, j->label, 0, 0, m);
        }
        st.rows += j->rows;
        st.rejected_rows += j->rejected_rows;
        st.skipped_values += j->skipped_values;
        st.bad_prices += j->bad_prices;
        st.issues_not_listed += j->not_listed;
        st.accepted += j->nacc;
        st.asset_entries += j->nas;
        total_acc += j->nacc;
        total_as += j->nas;
        if (j->err && !err) err = j->err;
    }
    if (o && o->stats) *o->stats = st;
    if (err) return err;
    if (o && o->strict && (st.rejected_rows || st.skipped_values || st.bad_prices || st.file_issues))
        return ZK_ERR_PARSE;

    zk_sheet *s = calloc(1, sizeof *s);
    if (!s) return ZK_ERR_NOMEM;
    s->stats = st;
    /* the first file's arrays grow into the sheet's; the others are appended
     * and freed one by one, so at most one extra copy of them exists */
    s->accounts = realloc(jobs[0].acc, (total_acc ? total_acc : 1) * sizeof *s->accounts);
    if (s->accounts) jobs[0].acc = NULL;
    s->assets = realloc(jobs[0].as, (total_as ? total_as : 1) * sizeof *s->assets);
    if (s->assets) jobs[0].as = NULL;
    s->files = calloc(n, sizeof *s->files);
    s->symbols = calloc(first->n ? first->n : 1, sizeof *s->symbols);
    if (!s->accounts || !s->assets || !s->files || !s->symbols) {
        zk_sheet_free(s);
        return ZK_ERR_NOMEM;
    }
    s->n_files = n;
    for (size_t i = 0; i < n; i++)
        if (!(s->files[i] = dupstr(jobs[i].label))) {
            zk_sheet_free(s);
            return ZK_ERR_NOMEM;
        }
    s->n_assets = first->n;
    for (size_t k = 0; k < first->n; k++)
        if (!(s->symbols[k] = dupstr(fld(&first->head, 4 + 3 * k)))) {
            zk_sheet_free(s);
            return ZK_ERR_NOMEM;
        }
    memcpy(s->prices, first->prices, sizeof s->prices);
    s->n_accounts = jobs[0].nacc;
    s->n_asset_entries = jobs[0].nas;
    for (size_t i = 1; i < n; i++) {
        file_job *j = &jobs[i];
        if (j->nas) memcpy(s->assets + s->n_asset_entries, j->as, j->nas * sizeof *j->as);
        for (size_t k = 0; k < j->nacc; k++) {
            zk_account a = j->acc[k];
            a.first_asset += s->n_asset_entries;
            s->accounts[s->n_accounts++] = a;
        }
        s->n_asset_entries += j->nas;
        free(j->acc);
        free(j->as);
        j->acc = NULL;
        j->as = NULL;
    }
    *out = s;
    return ZK_OK;
}

static void init_jobs(file_job *jobs, size_t n, const zk_sheet_opts *o) {
    memset(jobs, 0, n * sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        jobs[i].max_issues = o && o->max_issues_per_file ? o->max_issues_per_file : DEFAULT_MAX_ISSUES;
        jobs[i].file_index = (uint32_t)i;
    }
}

zk_err zk_sheet_load_mem(zk_sheet **out, const char *const *names, const char *const *texts, const size_t *lens,
                         size_t n, const zk_sheet_opts *opts) {
    *out = NULL;
    if (n == 0) {
        emit(opts, ZK_ISSUE_FATAL, "", 0, 0, "no input files");
        return ZK_ERR_ARG;
    }
    file_job *jobs = malloc(n * sizeof *jobs);
    if (!jobs) return ZK_ERR_NOMEM;
    init_jobs(jobs, n, opts);
    for (size_t i = 0; i < n; i++) {
        jobs[i].label = names[i];
        jobs[i].text = texts[i];
        jobs[i].text_len = lens[i];
    }
    zk_err e = run_jobs(out, jobs, n, opts);
    for (size_t i = 0; i < n; i++) job_free(&jobs[i]);
    free(jobs);
    return e;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

zk_err zk_sheet_load(zk_sheet **out, const char *dir, const zk_sheet_opts *opts) {
    *out = NULL;
    char m[600];
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(m, sizeof m, "cannot open directory: %s", strerror(errno));
        emit(opts, ZK_ISSUE_FATAL, dir, 0, 0, m);
        return ZK_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    zk_err e = ZK_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".csv")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                e = ZK_ERR_NOMEM;
                break;
            }
            names = p;
        }
        if (!(names[n] = dupstr(de->d_name))) {
            e = ZK_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    file_job *jobs = NULL;
    char **paths = NULL;
    if (e) goto out;
    if (n == 0) {
        emit(opts, ZK_ISSUE_FATAL, dir, 0, 0, "no file whose name contains \".csv\"");
        e = ZK_ERR_IO;
        goto out;
    }
    qsort(names, n, sizeof *names, cmp_names);
    jobs = malloc(n * sizeof *jobs);
    paths = calloc(n, sizeof *paths);
    if (!jobs || !paths) {
        e = ZK_ERR_NOMEM;
        goto out;
    }
    init_jobs(jobs, n, opts);
    size_t dl = strlen(dir);
    int slash = dl && dir[dl - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        size_t len = dl + 1 + strlen(names[i]) + 1;
        if (!(paths[i] = malloc(len))) {
            e = ZK_ERR_NOMEM;
            goto out;
        }
        snprintf(paths[i], len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat sb;
        if (stat(paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            snprintf(m, sizeof m, "%s", stat(paths[i], &sb) != 0 ? strerror(errno) : "not a regular file");
            emit(opts, ZK_ISSUE_FATAL, paths[i], 0, 0, m);
            e = ZK_ERR_IO;
            goto out;
        }
        jobs[i].label = paths[i];
        jobs[i].path = paths[i];
    }
    e = run_jobs(out, jobs, n, opts);
    for (size_t i = 0; i < n; i++) job_free(&jobs[i]);
out:
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        if (paths) free(paths[i]);
    }
    free(names);
    free(paths);
    free(jobs);
    return e;
}

uint64_t zk_sheet_digest(const zk_sheet *s) {
    zk_sum64 h;
    sum64_init(&h, 0x5a4b504f53763131ULL); /* "ZKPOSv11" */
    sum64_word(&h, s->n_accounts);
    for (size_t i = 0; i < s->n_accounts; i++) {
        const zk_account *a = &s->accounts[i];
        sum64_bytes(&h, a->id, 32);
        for (int k = 0; k < 3; k++) {
            sum64_word(&h, a->equity.l[k]);
            sum64_word(&h, a->debt.l[k]);
        }
        sum64_word(&h, a->n_assets);
        for (uint32_t k = 0; k < a->n_assets; k++) {
            const zk_asset *x = &s->assets[a->first_asset + k];
            sum64_word(&h, x->index);
            sum64_word(&h, x->equity);
            sum64_word(&h, x->debt);
        }
    }
    return sum64_final(&h);
}
