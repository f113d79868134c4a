/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Full verification on two threads (the verification layer's ledger_verify.c does the rest).
 *
 * A second, read-only connection in another thread reads the journal, checks its numbering,
 * links and hashes, and hands the entries over in pages, then reads the stored tables' digest;
 * the handle's thread replays the pages into the native model as they come and digests the
 * model. Whichever finishes first runs the store's structural check (SQLite's quick_check) on
 * open.
 *
 * The second connection's snapshot is taken to be the handle's only if it shows the same chain
 * head: every change of the journal or the derived tables appends an entry and moves the head.
 * If it does not (a writer committed in between, a batch has uncommitted entries: seen before
 * anything is read), or the other side finds anything wrong, the caller does everything again
 * on the handle's connection alone, which also gives an error its usual wording. */
#include "config.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ledger_verify_int.h"

int epv__lg_side_min_entries = 20000;
long epv__lg_side_verdicts, epv__lg_side_redone;

enum { PAGE_ENTRIES = 2048, QUEUE_PAGES = 8 };

struct jpage { /* entries from the second connection, verified, in order */
    size_t n, used, cap;
    int64_t seq[PAGE_ENTRIES];
    size_t off[PAGE_ENTRIES], len[PAGE_ENTRIES];
    unsigned char hash[PAGE_ENTRIES][32];
    unsigned char *bytes;
};

struct side {
    epv_ledger *l;
    const char *name;
    epv_ctx *c; /* the side thread's own context (the caller's allocator) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct jpage *q[QUEUE_PAGES];
    size_t qhead, qn;
    int walk_done, walk_rc; /* the walk ended; EPV_OK: the chain verified up to the head row */
    int stop;               /* the replay gave up: stop producing */
    int quick, quick_claimed;
    int qrc, quick_here; /* the structural check ran on the second connection, with this result */
    char qmsg[EPV_ERRMSG_MAX];
    int rc; /* EPV_OK: seq, head and digest hold */
    int64_t seq;
    unsigned char head[32], digest[32];
    int64_t want_seq; /* the caller's snapshot's head: any other makes the work here useless */
    unsigned char want_head[32];
};

/* The structural check (on open) is run by whichever thread finishes its own work first. */
static int claim_quick(struct side *sd)
{
    pthread_mutex_lock(&sd->mu);
    int mine = sd->quick && !sd->quick_claimed && !sd->stop;
    sd->quick_claimed = 1;
    pthread_mutex_unlock(&sd->mu);
    return mine;
}

/* Hand a page over (blocks while the queue is full); 0 if the replay stopped. */
static int side_push(struct side *sd, struct jpage *pg)
{
    pthread_mutex_lock(&sd->mu);
    while (sd->qn == QUEUE_PAGES && !sd->stop) pthread_cond_wait(&sd->cv, &sd->mu);
    int ok = !sd->stop;
    if (ok) {
        sd->q[(sd->qhead + sd->qn) % QUEUE_PAGES] = pg;
        sd->qn++;
        pthread_cond_broadcast(&sd->cv);
    }
    pthread_mutex_unlock(&sd->mu);
    return ok;
}

static void side_walk_end(struct side *sd, int rc)
{
    pthread_mutex_lock(&sd->mu);
    sd->walk_done = 1;
    sd->walk_rc = rc;
    pthread_cond_broadcast(&sd->cv);
    pthread_mutex_unlock(&sd->mu);
}

static void page_free(epv_ctx *c, struct jpage *pg)
{
    if (!pg) return;
    epv__free(c, pg->bytes);
    epv__free(c, pg);
}

/* The chain walk of ledger_verify.c (numbering, links, hashes, the req column, the head row at
 * the end) on the second connection, handing the entries over. Any failure only means "not
 * verified here": the caller does it all again on its own connection, with the usual message. */
static int side_walk(struct side *sd, struct epv__lstore *st, EVP_MD_CTX *md)
{
    epv__lq *q = NULL;
    if (epv__lq_prepare(st, epv__lg_sql_journal_page, &q) != EPV__LQ_OK) return EPV_EIO;
    unsigned char prev[32], h[32];
    memset(prev, 0, 32);
    int64_t expect = 1;
    int err = EPV_OK, rc = EPV__LQ_DONE;
    struct jpage *pg = NULL;
    for (;;) {
        int64_t page_start = expect;
        epv__lq_reset(q);
        epv__lq_bind_i64(q, 1, expect - 1);
        while (!err && (rc = epv__lq_step(q)) == EPV__LQ_ROW) {
            const unsigned char *body;
            size_t len;
            int64_t seq = expect;
            if (epv__lg_journal_row(q, md, sd->l->md_alg, expect, prev, h, &body, &len) != EPV__LROW_OK) {
                err = EPV_ECORRUPT;
                break;
            }
            if (!pg) {
                pg = epv__calloc(sd->c, 1, sizeof *pg);
                if (!pg) {
                    err = EPV_ENOMEM;
                    break;
                }
            }
            if (pg->cap - pg->used < len) {
                size_t cap = 2 * (pg->used + len) + 65536;
                unsigned char *nb = epv__realloc(sd->c, pg->bytes, cap);
                if (!nb) {
                    err = EPV_ENOMEM;
                    break;
                }
                pg->bytes = nb;
                pg->cap = cap;
            }
            memcpy(pg->bytes + pg->used, body, len);
            pg->seq[pg->n] = seq;
            pg->off[pg->n] = pg->used;
            pg->len[pg->n] = len;
            memcpy(pg->hash[pg->n], h, 32);
            pg->used += len;
            if (++pg->n == PAGE_ENTRIES) {
                if (!side_push(sd, pg)) {
                    page_free(sd->c, pg);
                    pg = NULL;
                    err = EPV_ECANCELLED;
                    break;
                }
                pg = NULL;
            }
            memcpy(prev, h, 32);
            expect++;
        }
        if (err || rc != EPV__LQ_DONE || expect - page_start < EPV__L_JOURNAL_PAGE) break;
    }
    epv__lq_finalize(q);
    if (!err && rc != EPV__LQ_DONE) err = EPV_EIO;
    if (!err && pg && pg->n) {
        if (side_push(sd, pg)) pg = NULL;
        else err = EPV_ECANCELLED;
    }
    page_free(sd->c, pg);
    /* the chain must end at the head row of this snapshot */
    if (!err && (expect - 1 != sd->seq || memcmp(prev, sd->head, 32))) err = EPV_ECORRUPT;
    return err;
}

static void side_run(struct side *sd)
{
    struct epv__lstore st;
    int opened = 0, rc = epv__ls_open(sd->c, &st, sd->name, 1, 0);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!rc) opened = 1;
    if (!rc && !md) rc = EPV_ENOMEM;
    if (!rc && !(rc = epv__ls_read_begin(&st))) {
        epv__lq *q = NULL;
        rc = epv__lq_prepare(&st, "SELECT seq, hash FROM head WHERE id = 1", &q) == EPV__LQ_OK ? EPV_OK : EPV_EIO;
        if (!rc && epv__lq_step(q) == EPV__LQ_ROW && epv__lq_col_bytes(q, 1) == 32) {
            sd->seq = epv__lq_col_i64(q, 0);
            memcpy(sd->head, epv__lq_col_blob(q, 1), 32);
        } else
            rc = EPV_ECORRUPT;
        epv__lq_finalize(q);
        /* another snapshot (a writer committed since, or the caller's batch is not committed):
         * say so at once, before reading anything */
        if (!rc && (sd->seq != sd->want_seq || memcmp(sd->head, sd->want_head, 32))) rc = EPV_EBUSY;
        if (!rc) rc = side_walk(sd, &st, md);
        side_walk_end(sd, rc);
        pthread_mutex_lock(&sd->mu);
        if (!rc && sd->stop) rc = EPV_ECANCELLED; /* the replay gave up, or redoes it all */
        pthread_mutex_unlock(&sd->mu);
        if (!rc) rc = epv__lg_digest_store(&st, sd->l->md_alg, sd->digest);
        rc = epv__ls_read_end(&st, rc);
    } else
        side_walk_end(sd, rc ? rc : EPV_EIO);
    if (opened && claim_quick(sd)) {
        sd->quick_here = 1;
        if ((sd->qrc = epv__ls_quick_check(&st))) snprintf(sd->qmsg, sizeof sd->qmsg, "%s", epv_ctx_errmsg(sd->c));
    }
    EVP_MD_CTX_free(md);
    epv__ls_close(&st); /* also after a failed open (it closed what it had; this is a no-op) */
    sd->rc = rc;
}

/* The next page, or NULL at the end of the walk. */
static struct jpage *side_pop(struct side *sd)
{
    pthread_mutex_lock(&sd->mu);
    while (!sd->qn && !sd->walk_done) pthread_cond_wait(&sd->cv, &sd->mu);
    struct jpage *pg = NULL;
    if (sd->qn) {
        pg = sd->q[sd->qhead];
        sd->qhead = (sd->qhead + 1) % QUEUE_PAGES;
        sd->qn--;
        pthread_cond_broadcast(&sd->cv);
    }
    pthread_mutex_unlock(&sd->mu);
    return pg;
}

static void side_stop(struct side *sd)
{
    pthread_mutex_lock(&sd->mu);
    sd->stop = 1;
    pthread_cond_broadcast(&sd->cv);
    while (sd->qn) { /* pages nobody will replay */
        page_free(sd->c, sd->q[sd->qhead]);
        sd->qhead = (sd->qhead + 1) % QUEUE_PAGES;
        sd->qn--;
    }
    pthread_mutex_unlock(&sd->mu);
}

struct replay_job {
    epv_ledger *l;
    struct epv__lreplay *rp;
    const struct epv__lwalk *wp;
    struct side *sd;
    int rc;        /* EPV_OK: replayed, snapshots agree, model digested into b */
    int fallback;  /* redo everything on this connection */
    int qrc_here;  /* the structural check ran here, with this result */
    int quick_here;
    unsigned char b[32];
};

/* The handle's thread: replay the pages as they come, then check that the two snapshots agree
 * (else ask for everything to be done again here). */
static void replay_pages(struct replay_job *j)
{
    epv_ledger *l = j->l;
    struct side *sd = j->sd;
    const struct epv__lwalk *wp = j->wp;
    int64_t n = 0;
    unsigned char end[32];
    memset(end, 0, 32);
    int rc = EPV_OK;
    struct jpage *pg;
    while (!rc && (pg = side_pop(sd))) {
        for (size_t k = 0; k < pg->n && !rc; k++) {
            int64_t seq = pg->seq[k];
            if (wp && (seq & 4095) == 1)
                rc = epv__progress(l->ctx, wp->lo + (wp->hi - wp->lo) * (double)(seq - 1) /
                                                        (double)(wp->total > 0 ? wp->total : 1),
                                   wp->msg);
            if (!rc) rc = epv__lrv_one(l, seq, pg->bytes + pg->off[k], pg->len[k], pg->hash[k], j->rp);
            n = seq;
            memcpy(end, pg->hash[k], 32);
        }
        page_free(sd->c, pg);
    }
    if (rc) side_stop(sd);
    if (rc == EPV_ECANCELLED || rc == EPV_ENOMEM) {
        j->rc = rc;
        return;
    }
    pthread_mutex_lock(&sd->mu);
    int walk_rc = sd->walk_rc;
    pthread_mutex_unlock(&sd->mu);
    /* this connection's head (inside a batch: the in-memory head, flushed) must be the chain
     * the other side verified and this one replayed */
    int64_t saved_seq = l->head_seq;
    unsigned char saved[32];
    memcpy(saved, l->head_hash, 32);
    int hrc = epv__lg_load_head(l);
    int same = !rc && !walk_rc && !hrc && n >= 1 && l->head_seq == sd->seq && n == sd->seq &&
               !memcmp(l->head_hash, sd->head, 32) && !memcmp(end, sd->head, 32);
    if (l->in_batch) {
        l->head_seq = saved_seq;
        memcpy(l->head_hash, saved, 32);
    }
    if (!same) {
        j->fallback = 1;
        side_stop(sd);
        epv_ctx_clear_error(l->ctx);
        return;
    }
    j->rc = EPV_OK;
}

static void *side_main(void *p)
{
    side_run(p);
    return NULL;
}
/* Returns 1 (and *rc) when the two-thread verification reached a verdict, 0 to do it all on
 * this connection. */
int epv__lg_verify_two(epv_ledger *l, const struct epv__lwalk *wp, const struct epv__lcheckpoint *extra,
                       int invariants, int quick, int *rc)
{
    struct side sd;
    memset(&sd, 0, sizeof sd);
    sd.l = l;
    sd.name = epv__ls_reopen_name(&l->st);
    sd.quick = quick;
    sd.rc = EPV_EUNSUPPORTED;
    if (!sd.name || epv_ctx_new_with_allocator(&sd.c, &l->ctx->alloc)) return 0;
    if (pthread_mutex_init(&sd.mu, NULL)) {
        epv_ctx_free(sd.c);
        return 0;
    }
    if (pthread_cond_init(&sd.cv, NULL)) {
        pthread_mutex_destroy(&sd.mu);
        epv_ctx_free(sd.c);
        return 0;
    }
    struct epv__lreplay rp;
    struct replay_job job;
    memset(&job, 0, sizeof job);
    job.l = l;
    job.rp = &rp;
    job.wp = wp;
    job.sd = &sd;
    job.rc = EPV_ECORRUPT;
    int done = 0;
    pthread_t tid;
    *rc = epv__lrv_init(l, extra, &rp);
    if (!*rc) {
        /* this snapshot's head (inside a batch: the in-memory one, which no other connection
         * can see yet) */
        int64_t saved_seq = l->head_seq;
        unsigned char saved[32];
        memcpy(saved, l->head_hash, 32);
        *rc = epv__lg_load_head(l);
        sd.want_seq = l->head_seq;
        memcpy(sd.want_head, l->head_hash, 32);
        if (l->in_batch) {
            l->head_seq = saved_seq;
            memcpy(l->head_hash, saved, 32);
        }
    }
    if (*rc) {
        done = 1;
    } else if (pthread_create(&tid, NULL, side_main, &sd)) {
        done = 0; /* no second thread: all on this one */
    } else {
        replay_pages(&job);
        /* the model's digest while the other side still reads the stored tables */
        if (!job.rc && !job.fallback && !(job.rc = epv__lrp_digest(rp.m, job.b)) && claim_quick(&sd)) {
            job.quick_here = 1;
            job.qrc_here = epv__ls_quick_check(&l->st);
        }
        if (job.rc) side_stop(&sd);
        pthread_join(tid, NULL);
        done = 2;
    }
    if (done == 2) {
        done = 0; /* unless a verdict is reached below */
        if (job.rc == EPV_ECANCELLED || job.rc == EPV_ENOMEM) {
            *rc = job.rc;
            done = 1;
        } else if (!job.fallback && !job.rc)
            done = 1;
    }
    if (done == 1 && !*rc && !job.fallback && !job.rc) {
        /* a broken file structure explains any other error: report it first */
        if (sd.quick_here && sd.qrc) *rc = epv__error(l->ctx, sd.qrc, "%s", sd.qmsg);
        else if (job.quick_here && job.qrc_here) *rc = job.qrc_here;
        else if (quick && !sd.quick_here && !job.quick_here) *rc = epv__ls_quick_check(&l->st);
        if (!*rc && sd.rc) done = 0; /* the stored digest could not be read there */
        if (!*rc && done) {
            if (wp) *rc = epv__progress(l->ctx, 0.8, "digesting the stored tables");
            if (!*rc) *rc = epv__lrv_conclude(l, &rp, wp, sd.digest, job.b, invariants);
        }
    }
    if (done) epv__lg_side_verdicts++;
    else epv__lg_side_redone++;
    epv__lrv_free(l, &rp);
    pthread_cond_destroy(&sd.cv);
    pthread_mutex_destroy(&sd.mu);
    epv_ctx_free(sd.c);
    return done;
}

