/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger handle: open (create, or verify an existing file), close, programme settings,
 * running one operation atomically, batches and read snapshots. Above the storage layer
 * (ledger_store.c), the operations (ledger_journal.c, ledger_apply.c, ledger_blocks.c) and
 * verification (ledger_verify.c). */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledger_verify_int.h"

EPV__DEFINE_INIT(epv_ledger_config, EPV_LEDGER_CONFIG_VERSION, EPV_LEDGER_CONFIG_INIT)

int epv__lg_open_db(epv_ctx *ctx, const char *path, unsigned flags, epv_ledger **out)
{
    *out = NULL;
    epv_ledger *l = epv__calloc(ctx, 1, sizeof *l);
    if (!l) return EPV_ENOMEM;
    l->ctx = ctx;
    int rc = epv__ls_open(ctx, &l->st, path, (flags & EPV_LEDGER_READONLY) != 0,
                          (flags & EPV_LEDGER_CREATE) != 0);
    if (rc) {
        epv__free(ctx, l);
        return rc;
    }
    l->md = EVP_MD_CTX_new();
    l->md_alg = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!l->md || !l->md_alg) {
        epv__lg_free(l);
        return epv__error(ctx, EPV_ENOMEM, "ledger: cannot set up SHA-256");
    }
    *out = l;
    return EPV_OK;
}

void epv__lg_free(epv_ledger *l)
{
    if (!l) return;
    epv__ls_close(&l->st);
    epv__lrp_free(l->live);
    if (l->md) EVP_MD_CTX_free(l->md);
    if (l->md_alg) EVP_MD_free(l->md_alg);
    epv__free(l->ctx, l->serial_format);
    epv__free(l->ctx, l);
}

int epv__lg_load_config(epv_ledger *l)
{
    static const char *const sql = "SELECT key, ival, tval FROM meta";
    epv__lq *st = epv__lg_stmt(l, sql);
    if (!st) return epv_ctx_errcode(l->ctx);
    int rc, seen = 0;
    while ((rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        const char *k = (const char *)epv__lq_col_text(st, 0);
        int64_t iv = epv__lq_col_i64(st, 1);
        const char *tv = (const char *)epv__lq_col_text(st, 2);
        if (!k || !tv) continue;
        if (!strcmp(k, "programme")) {
            snprintf(l->programme, sizeof l->programme, "%s", tv);
            seen |= 1;
        } else if (!strcmp(k, "serial_format")) {
            epv__free(l->ctx, l->serial_format);
            l->serial_format = epv__strdup(l->ctx, tv);
            if (!l->serial_format) return EPV_ENOMEM;
            seen |= 2;
        } else if (!strcmp(k, "buffer_bp")) {
            l->buffer_bp = (int)iv;
            seen |= 4;
        } else if (!strcmp(k, "date_rules")) {
            l->date_rules = (int)iv;
            seen |= 8;
        } else if (!strcmp(k, "format_version")) {
            if (iv != EPV__L_FORMAT_VERSION) {
                epv__lq_reset(st);
                return epv__error(l->ctx, EPV_EUNSUPPORTED,
                                  "ledger: file format version %lld is not supported",
                                  (long long)iv);
            }
            seen |= 16;
        }
    }
    epv__lq_reset(st);
    if (rc != EPV__LQ_DONE) return epv__lg_sqlerr(l, rc, "reading settings");
    if (seen != 31) return epv__error(l->ctx, EPV_ECORRUPT, "ledger: settings are incomplete");
    return EPV_OK;
}

EPV_API int epv_ledger_snapshot_begin(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    return epv__lg_read_begin(l);
}

EPV_API int epv_ledger_snapshot_end(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (l->st.rdepth <= 0) return epv__error(l->ctx, EPV_ESTATE, "ledger: no snapshot is open");
    return epv__lg_read_end(l, EPV_OK);
}

/* Roll back an operation's own transaction without letting the rollback's status replace the
 * operation's error; the next operation re-reads the committed head row. */
static void rollback_quiet(epv_ledger *l)
{
    epv__lg_cache_clear(l);
    l->head_dirty = 0;
    if (epv__ls_in_txn(&l->st)) epv__ls_exec_quiet(&l->st, "ROLLBACK");
}

/* Undo a whole batch after an operation in it failed part-way (see run_once). */
static int batch_abort(epv_ledger *l, int rc)
{
    epv__ls_rollback(&l->st);
    l->in_batch = 0;
    l->head_dirty = 0;
    epv__lg_cache_clear(l);
    epv__lg_load_head(l);
    epv__lg_live_rewind(l, l->head_seq);
    char msg[EPV_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(l->ctx));
    return epv__error(l->ctx, rc, "%s; the whole batch was rolled back", msg);
}

/* One attempt: a write transaction (or, in a batch, nothing around it), the operation, the
 * commit.
 *
 * Batches take no savepoint per operation. On PostgreSQL every savepoint that writes is a
 * subtransaction, and releasing one costs time proportional to the subtransactions before it
 * (measured: 2,000 transfers in one batch fell from 1,620 to 500 per second); on SQLite a
 * savepoint and its release cost about a seventh of a batched operation. Operations check
 * everything before they write, so a refused operation has written nothing and the batch goes
 * on as it was; if one fails after it wrote (an I/O or server error, a full disk, a broken
 * invariant), the whole batch is rolled back and the error says so. Either way nothing is
 * half-applied. (epv_ledger_issue_from_removals() keeps a savepoint around its pair.) */
static int run_once(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    int batch = l->in_batch;
    int64_t writes0 = epv__ls_writes(&l->st);
    int rc = batch ? EPV_OK : epv__ls_begin_write(&l->st, 0);
    if (rc) return rc;
    int64_t saved_seq = l->head_seq;
    unsigned char saved_hash[32];
    memcpy(saved_hash, l->head_hash, 32);
    int saved_dirty = l->head_dirty;
    /* Another process may have written since our last transaction: re-read the head and
     * forget cached rows. */
    if (!batch) {
        epv__lg_cache_clear(l);
        rc = epv__lg_load_head(l);
    }
    if (!rc) rc = l->live ? epv__lg_live_step(l, op, res) : epv__lg_step(l, op, res);
    if (!rc && !batch) rc = epv__ls_commit(&l->st);
    if (rc && batch) {
        if (epv__ls_writes(&l->st) != writes0 || epv__ls_txn_failed(&l->st)) return batch_abort(l, rc);
        epv__lg_cache_clear(l);
        l->head_seq = saved_seq;
        memcpy(l->head_hash, saved_hash, 32);
        l->head_dirty = saved_dirty;
        return rc;
    }
    if (rc) {
        rollback_quiet(l);
        l->head_seq = saved_seq;
        memcpy(l->head_hash, saved_hash, 32);
        epv__lg_live_rewind(l, saved_seq);
    }
    return rc;
}

int epv__lg_run(epv_ledger *l, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    if (l->st.readonly)
        return epv__error(l->ctx, EPV_EREADONLY, "ledger: opened read-only; '%s' refused",
                          epv__lkinds[op->kind].name);
    if (l->st.rdepth)
        return epv__error(l->ctx, EPV_ESTATE, "ledger: '%s' refused inside a query callback",
                          epv__lkinds[op->kind].name);
    /* PostgreSQL: a serialization failure or deadlock undoes the whole transaction, and the
     * operation is run again from its start, at most EPV__LS_PG_RETRIES times, after a pause
     * that grows (1, 2, 4, ... ms). Inside a batch nothing can be retried alone: the batch is
     * undone and the error returned. Writers take the head table's lock first, so between
     * ledger handles this is rare; it covers other clients of the same database. */
    int rc, batch = l->in_batch;
    for (int attempt = 0;; attempt++) {
        rc = run_once(l, op, res);
        if (!rc || !epv__ls_retryable(&l->st)) break;
        if (batch) /* (already rolled back by run_once) */
            return epv__error(l->ctx, EPV_EBUSY, "ledger: '%s': serialization failure inside a batch; the"
                                                 " whole batch was rolled back", epv__lkinds[op->kind].name);
        if (attempt == EPV__LS_PG_RETRIES)
            return epv__error(l->ctx, EPV_EBUSY, "ledger: '%s': still failing to serialize after %d retries",
                              epv__lkinds[op->kind].name, EPV__LS_PG_RETRIES);
        struct timespec pause = { 0, 1000000L << (attempt < 8 ? attempt : 8) };
        nanosleep(&pause, NULL);
    }
    return rc;
}

EPV_API int epv_ledger_batch_begin(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (l->st.readonly) return epv__error(l->ctx, EPV_EREADONLY, "ledger: opened read-only");
    if (l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: a batch is already open");
    if (l->st.rdepth)
        return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch can begin inside a query callback");
    epv__lg_cache_clear(l);
    int rc = epv__ls_begin_write(&l->st, 0);
    if (!rc) rc = epv__lg_load_head(l);
    if (!rc) rc = epv__lg_live_sync(l); /* (inside the batch the model is its own state) */
    if (rc) {
        if (epv__ls_in_txn(&l->st)) epv__ls_exec_quiet(&l->st, "ROLLBACK");
        return rc;
    }
    l->in_batch = 1;
    return EPV_OK;
}

EPV_API int epv_ledger_batch_commit(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (!l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch is open");
    int rc = epv__lg_flush_head(l);
    if (rc) {
        /* the batch cannot be committed without its head: undo all of it */
        l->in_batch = 0;
        epv__ls_exec_quiet(&l->st, "ROLLBACK");
        l->head_dirty = 0;
        epv__lg_cache_clear(l);
        epv__lg_load_head(l);
        epv__lg_live_rewind(l, l->head_seq);
        return rc;
    }
    l->in_batch = 0;
    rc = epv__ls_commit(&l->st);
    if (rc) {
        int e = rc;
        l->head_dirty = 0;
        epv__lg_cache_clear(l);
        if (epv__ls_in_txn(&l->st)) epv__ls_exec_quiet(&l->st, "ROLLBACK");
        epv__lg_load_head(l);
        epv__lg_live_rewind(l, l->head_seq);
        return e;
    }
    return EPV_OK;
}

EPV_API int epv_ledger_batch_rollback(epv_ledger *l)
{
    if (!l) return EPV_EINVAL;
    if (!l->in_batch) return epv__error(l->ctx, EPV_ESTATE, "ledger: no batch is open");
    l->in_batch = 0;
    epv__ls_exec_quiet(&l->st, "ROLLBACK");
    l->head_dirty = 0;
    epv__lg_cache_clear(l);
    int rc = epv__lg_load_head(l);
    epv__lg_live_rewind(l, rc ? -1 : l->head_seq);
    return rc;
}

static void remove_files(const char *path)
{
    char buf[4096];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

/* The live layout (ledger_live.c) is marked by a table of its own: files without it keep their
 * derived tables current. The genesis entry is written the same way in both layouts. */
static int live_layout_create(epv_ledger *l)
{
    int rc = epv__lg_exec(l, l->st.backend == EPV__LS_PG
                                 ? "CREATE TABLE layout(id bigint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);"
                                   "INSERT INTO layout VALUES (1, 2)"
                                 : "CREATE TABLE layout(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"
                                   " STRICT; INSERT INTO layout VALUES (1, 2)");
    l->live_stale = 1; /* built from the journal (its genesis entry) at its first use */
    return rc ? rc : epv__lrp_new(l, &l->live);
}

/* An existing store's layout: with a layout table of version 2, the live layout, whose model
 * is built by the open's verification (or, without a replay, at its first use). */
static int live_layout_detect(epv_ledger *l)
{
    if (!epv__ls_has_table(&l->st, "layout")) return EPV_OK;
    epv__lq *st = epv__lg_stmt(l, "SELECT version FROM layout WHERE id = 1");
    if (!st) return epv_ctx_errcode(l->ctx);
    int src = epv__lq_step(st);
    int64_t v = src == EPV__LQ_ROW ? epv__lq_col_i64(st, 0) : 0;
    epv__lq_reset(st);
    if (src != EPV__LQ_ROW && src != EPV__LQ_DONE) return epv__lg_sqlerr(l, src, "reading the layout");
    if (v != 2) return epv__error(l->ctx, EPV_EUNSUPPORTED, "ledger: storage layout %lld is not supported", (long long)v);
    l->live_stale = 1;
    return epv__lrp_new(l, &l->live);
}

/* Verify a live-layout store and build its model, inside the open's read snapshot. From the
 * last checkpoint's snapshot, as the other layout opens from its tables: the chain since the
 * checkpoint verified, the entries since applied. Otherwise (no snapshot, or a full
 * verification asked) the model is built by replaying the whole journal, which is the full
 * verification. */
static int open_live(epv_ledger *l, unsigned flags)
{
    int fast = 0, used = 0, rc = EPV_OK;
    if (!(flags & EPV_LEDGER_FULL_VERIFY)) rc = epv__lg_verify_since_checkpoint(l, &fast);
    if (!rc && fast) rc = epv__lg_live_snapshot_load(l, &used);
    if (!rc && used) rc = epv__lg_live_sync(l);
    return rc || used ? rc : epv__lg_verify_store(l); /* (the model is stale: the replay becomes it) */
}

/* Create a new file: schema and genesis entry in one transaction. */
static int create_file(epv_ledger *l, const epv_ledger_config *cfg, int live)
{
    static const epv_ledger_config def = EPV_LEDGER_CONFIG_INIT;
    if (!cfg) cfg = &def;
    int rc = epv__ls_durable(&l->st);
    if (!rc) rc = epv__ls_begin_write(&l->st, 1);
    if (rc) return rc;
    rc = epv__ls_create_schema(&l->st);
    if (!rc) {
        struct epv__lop op = { EPV__L_GENESIS, "genesis", { 0 }, { 0 } };
        op.s[0] = cfg->programme;
        op.s[1] = cfg->serial_format ? cfg->serial_format : EPV_LEDGER_SERIAL_DEFAULT;
        op.i[0] = cfg->forestry_buffer_bp;
        op.i[1] = cfg->ccer_date_rules;
        op.i[2] = EPV__L_FORMAT_VERSION;
        int64_t res[EPV__L_NRES];
        rc = epv__lg_step(l, &op, res);
    }
    if (!rc && live) rc = live_layout_create(l);
    if (!rc) {
        rc = epv__ls_commit(&l->st);
    }
    if (rc && epv__ls_in_txn(&l->st)) epv__ls_exec_quiet(&l->st, "ROLLBACK");
    return rc;
}

EPV_API int epv_ledger_open(epv_ctx *ctx, const char *path, unsigned flags,
                            const epv_ledger_config *cfg, epv_ledger **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "ledger_open: out is NULL");
    *out = NULL;
    if (!path || !*path) return epv__error(ctx, EPV_EINVAL, "ledger_open: path is empty");
    if (flags & ~(unsigned)(EPV_LEDGER_CREATE | EPV_LEDGER_READONLY | EPV_LEDGER_NO_REPLAY |
                            EPV_LEDGER_FULL_VERIFY | EPV_LEDGER_LIVE))
        return epv__error(ctx, EPV_EINVAL, "ledger_open: flags: unknown bits 0x%x", flags);
    if (cfg) {
        int vrc = epv__check_version(ctx, "epv_ledger_config", cfg, EPV_LEDGER_CONFIG_VERSION);
        if (vrc) return vrc;
    }
    /* A file path for SQLite, a connection string for PostgreSQL (epv__ls_is_pg). A server's
     * database "exists" as a ledger when it has the journal table; messages name it without
     * the connection string (which may hold a password). */
    int pg = epv__ls_is_pg(path);
    int exists = pg || access(path, F_OK) == 0;
    if (!exists && (!(flags & EPV_LEDGER_CREATE) || (flags & EPV_LEDGER_READONLY)))
        return epv__error(ctx, EPV_ENOTFOUND, "%s: no such ledger file", path);
    epv_ledger *l;
    int rc = epv__lg_open_db(ctx, path, exists ? flags & ~(unsigned)EPV_LEDGER_CREATE : flags, &l);
    if (rc) return rc;
    const char *shown = l->st.name;
    if (pg && !epv__ls_has_table(&l->st, "journal")) {
        exists = 0;
        if (!(flags & EPV_LEDGER_CREATE) || (flags & EPV_LEDGER_READONLY)) {
            rc = epv__error(ctx, EPV_ENOTFOUND, "%s: no such ledger there (no journal table in the current schema)",
                            shown);
            epv__lg_free(l);
            return rc;
        }
    }
    if (!exists) {
        rc = create_file(l, cfg, (flags & EPV_LEDGER_LIVE) || epv__lg_default_layout == 2);
        if (rc) {
            epv__error_prefix(ctx, "%s", shown);
            epv__lg_free(l);
            if (!pg) remove_files(path); /* on a server the transaction left nothing */
            return rc;
        }
    } else {
        /* Everything is checked in one read snapshot, before anything is written: a file that
         * is rejected is left byte for byte as it was (no switch to WAL, no growth). */
        rc = epv__lg_read_begin(l);
        if (!rc) {
            int fast = 0;
            rc = epv__lg_load_config(l);
            if (!rc) rc = live_layout_detect(l);
            if (!rc && (flags & EPV_LEDGER_NO_REPLAY)) {
                rc = epv__lg_verify_chain(l, NULL);
            } else if (!rc && l->live) {
                rc = open_live(l, flags);
            } else if (!rc) {
                /* from the last verified checkpoint, unless a full verification is asked */
                if (!(flags & EPV_LEDGER_FULL_VERIFY)) rc = epv__lg_verify_since_checkpoint(l, &fast);
                if (!rc && !fast) rc = epv__lg_verify_store(l); /* quick_check, chain, replay */
            }
            rc = epv__lg_read_end(l, rc);
        }
        if (!rc) rc = epv__ls_durable(&l->st);
        if (rc) {
            /* A ledger that fails is never used: report it as corrupt with the reason. */
            if ((!pg && rc == EPV_EIO) || rc == EPV_EPARSE || rc == EPV_ESCHEMA) rc = EPV_ECORRUPT;
            epv__error_prefix(ctx, "%s", shown);
            if (epv_ctx_errcode(ctx) != rc) {
                char msg[EPV_ERRMSG_MAX];
                snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(ctx));
                epv__error(ctx, rc, "%s", msg);
            }
            epv__lg_free(l);
            return rc;
        }
    }
    *out = l;
    return EPV_OK;
}

EPV_API void epv_ledger_close(epv_ledger *l)
{
    if (!l) return;
    if (l->in_batch) epv__ls_exec_quiet(&l->st, "ROLLBACK");
    epv__lg_free(l);
}

sqlite3 *epv__ledger_db(epv_ledger *l) { return l ? l->st.db : NULL; /* NULL on PostgreSQL */ }

EPV_API int epv_ledger_checkpoint(epv_ledger *l, epv_i64 *seq_out)
{
    if (!l) return EPV_EINVAL;
    if (l->st.readonly) return epv__error(l->ctx, EPV_EREADONLY, "ledger: opened read-only; checkpoint refused");
    if (l->in_batch || l->st.rdepth)
        return epv__error(l->ctx, EPV_ESTATE, "ledger: no checkpoint inside a batch or a snapshot");
    /* the write lock first: nobody writes between the verification and the record */
    int rc = epv__ls_begin_write(&l->st, 0);
    if (rc) return rc;
    epv__lg_cache_clear(l);
    rc = epv__ls_ensure_checkpoints(&l->st);
    if (!rc) rc = epv__lg_verify_full(l);
    unsigned char state[32];
    if (!rc) rc = epv__lg_load_head(l);
    if (!rc) rc = epv__lg_digest(l, state);
    if (!rc) {
        static const char *const sql = "INSERT INTO checkpoints(seq, head, state) VALUES (?, ?, ?)"
                                       " ON CONFLICT(seq) DO UPDATE SET head = excluded.head, state = excluded.state";
        epv__lq *st = epv__lg_stmt(l, sql);
        if (!st) {
            rc = epv_ctx_errcode(l->ctx);
        } else {
            epv__lq_bind_i64(st, 1, l->head_seq);
            epv__lq_bind_blob(st, 2, l->head_hash, 32);
            epv__lq_bind_blob(st, 3, state, 32);
            int src = epv__lq_step(st);
            epv__lq_reset(st);
            if (src != EPV__LQ_DONE) rc = epv__lg_sqlerr(l, src, "recording the checkpoint");
        }
    }
    if (!rc && l->live) rc = epv__lg_live_snapshot_write(l); /* what the next open starts from */
    if (!rc) rc = epv__ls_commit(&l->st);
    if (rc) {
        epv__ls_rollback(&l->st);
        epv__lg_load_head(l);
        epv__lg_live_rewind(l, l->head_seq);
        return rc;
    }
    if (seq_out) *seq_out = l->head_seq;
    return EPV_OK;
}

EPV_API int epv_ledger_checkpoint_last(epv_ledger *l, epv_i64 *seq_out, unsigned char *head_out,
                                       unsigned char *state_out)
{
    if (!l) return EPV_EINVAL;
    EPV__NEED(l->ctx, seq_out, "seq_out");
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    struct epv__lcheckpoint *cp = NULL;
    size_t n = 0;
    rc = epv__lg_checkpoints(l, &cp, &n);
    rc = epv__lg_read_end(l, rc);
    if (rc) return rc;
    *seq_out = 0;
    if (n) {
        *seq_out = cp[n - 1].seq;
        if (head_out) memcpy(head_out, cp[n - 1].head, 32);
        if (state_out) memcpy(state_out, cp[n - 1].state, 32);
    }
    epv__free(l->ctx, cp);
    return EPV_OK;
}
