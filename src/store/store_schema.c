/* store schema: the ordered list of migrations, in both SQL dialects.
 *
 * Design: a migration is never edited once released; a change to the schema
 * is a new entry with the next version, written for both backends. Each open
 * applies the missing entries in one transaction (under the write lock in
 * SQLite, under an advisory lock in PostgreSQL, so concurrent openers do not
 * race) and records each in schema_version; a store whose version is newer
 * than the last entry here is refused rather than misread.
 *
 * Layout choices: times are integers (ms since 1970) in both dialects so the
 * backends share one representation; large blobs are the last column of
 * their row because SQLite reads columns after a long blob only by walking
 * its overflow pages; a partial index over unproven batches keeps claims
 * fast when most of a large run is already proven. */
#include "store_internal.h"

#define V1_SQLITE                                                                          \
    "CREATE TABLE meta (\n"                                                                \
    "  key TEXT PRIMARY KEY,\n"                                                            \
    "  updated_at INTEGER NOT NULL,\n"                                                     \
    "  value BLOB NOT NULL);\n"                                                            \
    "CREATE TABLE batch (\n"                                                               \
    "  batch_number INTEGER PRIMARY KEY CHECK (batch_number >= 0),\n"                      \
    "  state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),\n"                               \
    "  worker TEXT,\n"                                                                     \
    "  lease_until INTEGER,\n"                                                             \
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"                                             \
    "  last_error TEXT,\n"                                                                 \
    "  created_at INTEGER NOT NULL,\n"                                                     \
    "  claimed_at INTEGER,\n"                                                              \
    "  proven_at INTEGER,\n"                                                               \
    "  witness BLOB NOT NULL);\n"                                                          \
    "CREATE INDEX batch_open ON batch (batch_number) WHERE state < 2;\n"                   \
    "CREATE TABLE proof (\n"                                                               \
    "  batch_number INTEGER PRIMARY KEY REFERENCES batch (batch_number),\n"                \
    "  before_root BLOB NOT NULL CHECK (length(before_root) = 32),\n"                      \
    "  after_root BLOB NOT NULL CHECK (length(after_root) = 32),\n"                        \
    "  before_cex BLOB NOT NULL CHECK (length(before_cex) = 32),\n"                        \
    "  after_cex BLOB NOT NULL CHECK (length(after_cex) = 32),\n"                          \
    "  commitment BLOB NOT NULL CHECK (length(commitment) = 32),\n"                        \
    "  worker TEXT NOT NULL,\n"                                                            \
    "  created_at INTEGER NOT NULL,\n"                                                     \
    "  proof BLOB NOT NULL);\n"                                                            \
    "CREATE TABLE userproof (\n"                                                           \
    "  account_index INTEGER PRIMARY KEY CHECK (account_index >= 0),\n"                    \
    "  account_id TEXT NOT NULL UNIQUE,\n"                                                 \
    "  leaf TEXT NOT NULL,\n"                                                              \
    "  proof TEXT NOT NULL);\n"

#define V1_PG                                                                              \
    "CREATE TABLE meta (\n"                                                                \
    "  key TEXT PRIMARY KEY,\n"                                                            \
    "  updated_at BIGINT NOT NULL,\n"                                                      \
    "  value BYTEA NOT NULL);\n"                                                           \
    "CREATE TABLE batch (\n"                                                               \
    "  batch_number BIGINT PRIMARY KEY CHECK (batch_number >= 0),\n"                       \
    "  state BIGINT NOT NULL CHECK (state IN (0, 1, 2)),\n"                                \
    "  worker TEXT,\n"                                                                     \
    "  lease_until BIGINT,\n"                                                              \
    "  attempts BIGINT NOT NULL DEFAULT 0,\n"                                              \
    "  last_error TEXT,\n"                                                                 \
    "  created_at BIGINT NOT NULL,\n"                                                      \
    "  claimed_at BIGINT,\n"                                                               \
    "  proven_at BIGINT,\n"                                                                \
    "  witness BYTEA NOT NULL);\n"                                                         \
    "CREATE INDEX batch_open ON batch (batch_number) WHERE state < 2;\n"                   \
    "CREATE TABLE proof (\n"                                                               \
    "  batch_number BIGINT PRIMARY KEY REFERENCES batch (batch_number),\n"                 \
    "  before_root BYTEA NOT NULL CHECK (octet_length(before_root) = 32),\n"               \
    "  after_root BYTEA NOT NULL CHECK (octet_length(after_root) = 32),\n"                 \
    "  before_cex BYTEA NOT NULL CHECK (octet_length(before_cex) = 32),\n"                 \
    "  after_cex BYTEA NOT NULL CHECK (octet_length(after_cex) = 32),\n"                   \
    "  commitment BYTEA NOT NULL CHECK (octet_length(commitment) = 32),\n"                 \
    "  worker TEXT NOT NULL,\n"                                                            \
    "  created_at BIGINT NOT NULL,\n"                                                      \
    "  proof BYTEA NOT NULL);\n"                                                           \
    "CREATE TABLE userproof (\n"                                                           \
    "  account_index BIGINT PRIMARY KEY CHECK (account_index >= 0),\n"                     \
    "  account_id TEXT NOT NULL UNIQUE,\n"                                                 \
    "  leaf TEXT NOT NULL,\n"                                                              \
    "  proof TEXT NOT NULL);\n"

const zk__migration zk__migrations[] = {
    {1, "initial: meta, batch, proof, userproof", V1_SQLITE, V1_PG},
};
const size_t zk__n_migrations = sizeof zk__migrations / sizeof zk__migrations[0];
