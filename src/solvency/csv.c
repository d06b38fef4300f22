/* Streaming CSV records with the rules of Go's encoding/csv (defaults), which
 * v1 uses: ',' separator; a field that starts with '"' is quoted, "" inside
 * it is a quote and it may span lines; a '"' elsewhere in an unquoted field
 * is an error (no LazyQuotes); "\r\n" is read as "\n" (also inside quoted
 * fields), a lone '\r' is data, and a '\r' right before the end of input is
 * dropped; empty lines are skipped. Comparing field counts with the header
 * is left to the caller.
 *
 * Design: the input is read through a 1 MiB buffer (or straight from
 * memory), and each record is copied into a growable buffer, so memory
 * is bounded by the longest record, not the file. Unquoted runs are copied
 * with a table-driven scan. Unlike Go, a syntax error does not end the file:
 * the rest of the offending line is skipped and the caller reports it with
 * its line and column. */
#include <stdio.h>
#include <stdlib.h>

#include "solv_internal.h"

#define CSV_BUF_SIZE (1u << 20)

void csv_reader_init_file(csv_reader *r, void *file) {
    memset(r, 0, sizeof *r);
    r->file = file;
    r->line = 1;
}

void csv_reader_init_mem(csv_reader *r, const char *text, size_t len) {
    memset(r, 0, sizeof *r);
    r->mem = text;
    r->mem_len = len;
    r->line = 1;
}

void csv_reader_free(csv_reader *r) {
    free(r->buf);
    r->buf = NULL;
}

void csv_record_free(csv_record *rec) {
    free(rec->text);
    free(rec->off);
    free(rec->len);
    free(rec->col);
    memset(rec, 0, sizeof *rec);
}

/* Current readable window. */
static const char *win(const csv_reader *r, size_t *avail) {
    if (r->file) {
        *avail = r->buf_len - r->buf_pos;
        return r->buf + r->buf_pos;
    }
    *avail = r->mem_len - r->mem_pos;
    return r->mem + r->mem_pos;
}

static void advance(csv_reader *r, size_t n) {
    if (r->file) r->buf_pos += n;
    else r->mem_pos += n;
    r->pos += n;
}

static int fill(csv_reader *r) {
    if (!r->file || r->eof) return 0;
    if (!r->buf) {
        r->buf = malloc(CSV_BUF_SIZE);
        if (!r->buf) {
            r->io_error = 1;
            r->eof = 1;
            return 0;
        }
        r->buf_cap = CSV_BUF_SIZE;
    }
    size_t n = fread(r->buf, 1, r->buf_cap, (FILE *)r->file);
    if (n == 0) {
        if (ferror((FILE *)r->file)) r->io_error = 1;
        r->eof = 1;
        return 0;
    }
    r->buf_len = n;
    r->buf_pos = 0;
    return 1;
}

static inline int peekc(csv_reader *r) {
    size_t avail;
    const char *p = win(r, &avail);
    if (!avail) {
        if (!fill(r)) return -1;
        p = win(r, &avail);
    }
    return (unsigned char)*p;
}

static inline void newline(csv_reader *r) {
    r->line++;
    r->line_start = r->pos;
}

/* consumes one byte (after a successful peekc) */
static inline void take(csv_reader *r, int c) {
    advance(r, 1);
    if (c == '\n') newline(r);
}

static int grow_text(csv_record *rec, size_t need) {
    if (rec->text_len + need <= rec->text_cap) return 1;
    size_t cap = rec->text_cap ? rec->text_cap : 4096;
    while (cap < rec->text_len + need) cap *= 2;
    char *t = realloc(rec->text, cap);
    if (!t) return 0;
    rec->text = t;
    rec->text_cap = cap;
    return 1;
}

static int append(csv_record *rec, const char *p, size_t n) {
    if (!grow_text(rec, n)) return 0;
    memcpy(rec->text + rec->text_len, p, n);
    rec->text_len += n;
    return 1;
}

static int push_char(csv_record *rec, char c) {
    return append(rec, &c, 1);
}

static int begin_field(csv_reader *r, csv_record *rec) {
    if (rec->nf == rec->fcap) {
        size_t cap = rec->fcap ? rec->fcap * 2 : 64;
        size_t *o = realloc(rec->off, cap * sizeof *o);
        if (!o) return 0;
        rec->off = o;
        size_t *l = realloc(rec->len, cap * sizeof *l);
        if (!l) return 0;
        rec->len = l;
        uint64_t *c = realloc(rec->col, cap * sizeof *c);
        if (!c) return 0;
        rec->col = c;
        rec->fcap = cap;
    }
    rec->off[rec->nf] = rec->text_len;
    rec->col[rec->nf] = r->pos - r->line_start + 1;
    rec->nf++;
    return 1;
}

static int end_field(csv_record *rec) {
    size_t i = rec->nf - 1;
    rec->len[i] = rec->text_len - rec->off[i];
    return push_char(rec, 0);
}

/* Skips to the start of the next line after an error. */
static void skip_line(csv_reader *r) {
    for (;;) {
        int c = peekc(r);
        if (c < 0) return;
        take(r, c);
        if (c == '\n') return;
    }
}

static csv_status syntax(csv_reader *r, char *msg, size_t msg_len, const char *what, uint64_t line,
                         uint64_t col, uint64_t *err_line, uint64_t *err_col) {
    snprintf(msg, msg_len, "%s", what);
    *err_line = line;
    *err_col = col;
    skip_line(r);
    return CSV_SYNTAX;
}

/* table of bytes that end an unquoted run */
static const unsigned char SPECIAL[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1};

csv_status csv_next(csv_reader *r, csv_record *rec, char *msg, size_t msg_len, uint64_t *err_line,
                    uint64_t *err_col) {
    rec->nf = 0;
    rec->text_len = 0;
    *err_line = *err_col = 0;
    if (msg_len) msg[0] = 0;

    /* skip empty lines ("\n" or "\r\n"); a lone "\r" before EOF is dropped */
    int lead_cr = 0;
    for (;;) {
        int c = peekc(r);
        if (c < 0) return r->io_error ? CSV_IOERR : CSV_EOF;
        if (c == '\n') {
            take(r, c);
            continue;
        }
        if (c == '\r') {
            take(r, c);
            int d = peekc(r);
            if (d == '\n') {
                take(r, d);
                continue;
            }
            if (d < 0) return r->io_error ? CSV_IOERR : CSV_EOF;
            lead_cr = 1; /* a lone '\r' is data of the first field */
        }
        break;
    }
    rec->line = r->line;

    for (;;) { /* one field per iteration */
        if (!begin_field(r, rec)) return CSV_NOMEM;
        if (lead_cr) rec->col[rec->nf - 1]--;
        int c = lead_cr ? '\r' : peekc(r);
        if (c == '"') {
            uint64_t fline = r->line, fcol = rec->col[rec->nf - 1];
            take(r, c);
            for (;;) {
                size_t avail;
                const char *p = win(r, &avail);
                size_t k = 0;
                while (k < avail && p[k] != '"' && p[k] != '\n' && p[k] != '\r') k++;
                if (k) {
                    if (!append(rec, p, k)) return CSV_NOMEM;
                    advance(r, k);
                }
                c = peekc(r);
                if (c < 0) {
                    if (r->io_error) return CSV_IOERR;
                    return syntax(r, msg, msg_len, "quoted field is not terminated", fline, fcol, err_line,
                                  err_col);
                }
                if (c == '\n') {
                    take(r, c);
                    if (!push_char(rec, '\n')) return CSV_NOMEM;
                    continue;
                }
                if (c == '\r') {
                    take(r, c);
                    if (peekc(r) == '\n') {
                        take(r, '\n');
                        if (!push_char(rec, '\n')) return CSV_NOMEM;
                    } else if (!push_char(rec, '\r')) return CSV_NOMEM;
                    continue;
                }
                if (c != '"') continue; /* window exhausted: refill */
                uint64_t qline = r->line, qcol = r->pos - r->line_start + 1;
                take(r, c);
                int d = peekc(r);
                if (d == '"') {
                    take(r, d);
                    if (!push_char(rec, '"')) return CSV_NOMEM;
                    continue;
                }
                if (d == ',') {
                    take(r, d);
                    if (!end_field(rec)) return CSV_NOMEM;
                    break; /* next field */
                }
                if (d == '\n' || d < 0) {
                    if (d < 0 && r->io_error) return CSV_IOERR;
                    if (d == '\n') take(r, d);
                    return end_field(rec) ? CSV_RECORD : CSV_NOMEM;
                }
                if (d == '\r') {
                    take(r, d);
                    int e = peekc(r);
                    if (e == '\n' || e < 0) {
                        if (e == '\n') take(r, e);
                        return end_field(rec) ? CSV_RECORD : CSV_NOMEM;
                    }
                }
                return syntax(r, msg, msg_len, "'\"' in a quoted field must be doubled or end the field",
                              qline, qcol, err_line, err_col);
            }
            continue;
        }
        /* unquoted field */
        for (;;) {
            if (lead_cr) {
                lead_cr = 0;
                if (!push_char(rec, '\r')) return CSV_NOMEM;
            }
            size_t avail;
            const char *p = win(r, &avail);
            size_t k = 0;
            while (k < avail && !SPECIAL[(unsigned char)p[k]]) k++;
            if (k) {
                if (!append(rec, p, k)) return CSV_NOMEM;
                advance(r, k);
            }
            c = peekc(r);
            if (c < 0) {
                if (r->io_error) return CSV_IOERR;
                return end_field(rec) ? CSV_RECORD : CSV_NOMEM;
            }
            if (!SPECIAL[c]) continue;
            if (c == ',') {
                take(r, c);
                if (!end_field(rec)) return CSV_NOMEM;
                break;
            }
            if (c == '\n') {
                take(r, c);
                return end_field(rec) ? CSV_RECORD : CSV_NOMEM;
            }
            if (c == '\r') {
                take(r, c);
                int d = peekc(r);
                if (d == '\n' || d < 0) {
                    if (d == '\n') take(r, d);
                    else if (r->io_error) return CSV_IOERR;
                    return end_field(rec) ? CSV_RECORD : CSV_NOMEM;
                }
                if (!push_char(rec, '\r')) return CSV_NOMEM;
                continue;
            }
            /* '"' inside an unquoted field */
            return syntax(r, msg, msg_len, "'\"' in an unquoted field (quote the whole field)", r->line,
                          r->pos - r->line_start + 1, err_line, err_col);
        }
    }
}
