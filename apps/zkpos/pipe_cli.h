/* Option handling and store helpers shared by the pipeline subcommands
 * (witness, prove, userproof, publish, verify, db, run, tree).
 *
 * Design: each command describes its flags in a small table (pipe_opt) and
 * one parser applies it, so every command rejects a bad or unknown flag with
 * the same message naming it, and every command accepts --config FILE: a
 * file of "name = value" lines (name = the flag without "--", '#' starts a
 * comment) whose settings apply unless the same flag is given on the
 * command line (flags win). One file may serve every command: a setting the
 * command does not use is ignored, but a name no command knows (a typo) or a
 * bad value is an error naming the file, line and setting. */
#ifndef ZKPOS_PIPE_CLI_H
#define ZKPOS_PIPE_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

typedef struct {
    const char *name;  /* "--db" */
    const char **str;  /* string option, or */
    unsigned *num;     /* numeric option in [lo, hi], or (both NULL) a switch */
    unsigned long lo, hi;
    int seen;          /* set by pipe_parse: given by a flag or the config file */
    char val[1024];    /* a string value read from the config file lives here */
} pipe_opt;

#define PIPE_STR(name, ptr) {name, ptr, NULL, 0, 0, 0, {0}}
#define PIPE_NUM(name, ptr, lo, hi) {name, NULL, ptr, lo, hi, 0, {0}}
#define PIPE_SWITCH(name) {name, NULL, NULL, 0, 0, 0, {0}}

/* Parses a decimal in [lo, hi] (no sign, no spaces): 0, or -1 if bad. */
int pipe_num(unsigned *out, const char *s, unsigned long lo, unsigned long hi);
/* Applies argv[1..argc) to o[0..n), then the --config file (if given) to the
 * options not given as flags. Returns -1 after printing --help, 2 on a usage
 * error (message names the flag or setting), 0 when fine. Positional
 * arguments go to pos[0..npos) in order (pos may be NULL). */
int pipe_parse(const char *cmd, int argc, char **argv, pipe_opt *o, size_t n, const char **pos, size_t npos,
               void (*usage)(FILE *));
/* 0 if o was given; else prints "--x is required" and the usage and returns 2. */
int pipe_require(const char *cmd, const pipe_opt *o, void (*usage)(FILE *));

/* Opens the store: 0, or 1 with a message (and *st NULL). */
int pipe_open_store(zk_store **st, const char *cmd, const char *url);
/* Prints "zkpos CMD: WHAT: <store message>" and returns 1. */
int pipe_store_fail(zk_store *st, const char *cmd, const char *what);
/* A meta value (malloc'd, NUL-terminated) or NULL when unset; on a store
 * error NULL and *err = 1. */
char *pipe_meta_get(zk_store *st, const char *key, size_t *len, int *err);
/* The run configuration recorded by witness ("users=B assets=A digest=HEX"):
 * 0 with the values, 1 with a message (not recorded, malformed, store error). */
int pipe_run_config(zk_store *st, const char *cmd, unsigned *users, unsigned *assets, uint64_t *digest);

/* A one-line progress bar on stderr: redrawn in place on a terminal,
 * otherwise printed at most every 10%. */
typedef struct {
    const char *what;
    uint64_t total, shown;
    int tty;
    double start, last;
} pipe_progress;
void pipe_progress_start(pipe_progress *p, const char *what, uint64_t total);
void pipe_progress_update(pipe_progress *p, uint64_t done);
void pipe_progress_end(pipe_progress *p, uint64_t done);

#endif
