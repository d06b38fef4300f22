/* store internals: the backend interface (a table of function pointers), the
 * handle every backend embeds first, error helpers and the schema migrations.
 *
 * Design: store.c checks every argument and formats the error prefix once,
 * so backends only translate operations into SQL. A backend reports each
 * statement it is about to execute to zk__store_step(), which is where the
 * fault-injecting wrapper fails or crashes the process; a backend treats a
 * failed step like any database error (roll back, return ZK_ERR_IO). */
#ifndef ZKPOS_STORE_INTERNAL_H
#define ZKPOS_STORE_INTERNAL_H

#include "store.h"

#define ZK__MSG_MAX 768
#define ZK__PAGE 256 /* rows per page of each_proof / each_userproof */

typedef struct zk__store_vt {
    const char *name;
    void (*close)(zk_store *st);
    zk_err (*schema_version)(zk_store *st, int *version);
    zk_err (*meta_set)(zk_store *st, const char *key, const void *v, size_t len);
    zk_err (*meta_put_once)(zk_store *st, zk_store_result *res, const char *key, const void *v,
                            size_t len);
    zk_err (*meta_get)(zk_store *st, zk_store_result *res, char **v, size_t *len, const char *key);
    zk_err (*put_batch)(zk_store *st, zk_store_result *res, uint64_t batch, const void *w,
                        size_t len);
    zk_err (*get_batch)(zk_store *st, zk_store_result *res, zk_store_batch_info *info,
                        uint8_t **w, size_t *len, uint64_t batch);
    zk_err (*max_batch)(zk_store *st, zk_store_result *res, uint64_t *batch);
    zk_err (*claim_next)(zk_store *st, zk_store_result *res, uint64_t *batch, const char *worker,
                         int64_t lease_ms);
    zk_err (*renew_lease)(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                          int64_t lease_ms);
    zk_err (*release)(zk_store *st, zk_store_result *res, uint64_t batch, const char *worker,
                      const char *reason);
    zk_err (*complete)(zk_store *st, zk_store_result *res, const zk_store_proof *p,
                       const char *worker);
    zk_err (*get_proof)(zk_store *st, zk_store_result *res, zk_store_proof *p, uint64_t batch);
    /* Up to ZK__PAGE proofs with batch >= first, in order; *n rows written
     * to out (each with a malloc'd proof). */
    zk_err (*proof_page)(zk_store *st, zk_store_proof *out, size_t *n, uint64_t first);
    zk_err (*put_userproofs)(zk_store *st, const zk_store_userproof *rows, size_t n);
    /* By index (account_id NULL) or by id. */
    zk_err (*get_userproof)(zk_store *st, zk_store_result *res, zk_store_userproof *row,
                            uint64_t index, const char *account_id);
    zk_err (*max_userproof)(zk_store *st, zk_store_result *res, uint64_t *index);
    zk_err (*userproof_page)(zk_store *st, zk_store_userproof *out, size_t *n, uint64_t first);
    zk_err (*counts)(zk_store *st, zk_store_counts *c);
    zk_err (*delete_all)(zk_store *st);
} zk__store_vt;

struct zk_store {
    const zk__store_vt *vt; /* NULL: a handle that failed to open (only holds msg) */
    /* Step hook (fault injection): called before each backend statement;
     * nonzero fails that statement. */
    int (*step_hook)(void *ctx);
    void *step_ctx;
    char msg[ZK__MSG_MAX];
};

/* Sets st->msg from a printf format and returns code. */
zk_err zk__store_fail(zk_store *st, zk_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs the step hook: ZK_OK, or ZK_ERR_IO with the message set. */
zk_err zk__store_step(zk_store *st);
/* Wall clock in ms since 1970 (SQLite's lease clock). */
int64_t zk__now_ms(void);

/* Backends. On failure they return a code and write a message to err. */
zk_err zk__sqlite_open(zk_store **st, char *err, size_t errlen, const char *path);
zk_err zk__pg_open(zk_store **st, char *err, size_t errlen, const char *url);

/* Schema migrations, applied in order inside one transaction per open; the
 * schema_version table records each applied version. The two dialects
 * describe the same tables (see README "Store"). */
typedef struct {
    int version;
    const char *name;
    const char *sqlite_sql;
    const char *pg_sql;
} zk__migration;
extern const zk__migration zk__migrations[];
extern const size_t zk__n_migrations;

#endif
