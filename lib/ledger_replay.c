/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Native replay for full verification: the journal applied, entry by entry, to an in-memory
 * model of the derived tables, without SQL.
 *
 * Why a model beside the operations layer: replaying through SQL runs about 13 statements per
 * entry and tops out near 30,000 entries/s; a registry of millions of entries must verify in
 * seconds (issue 11: 200,000 entries/s). The model holds the same rows as the derived tables
 * and changes them exactly as ledger_apply.c and ledger_blocks.c change the tables, in the same
 * order (events are numbered in the order they are written). It calls the operations layer's
 * pure checks (identifiers, texts, dates, the genesis and project-field checks) and shares its constants, so only
 * the reads and writes are written twice. Its digest is the derived tables' digest, byte for
 * byte, so every full verification compares the two implementations: a divergence is reported,
 * never silently accepted.
 *
 * Data: ids (accounts, projects) are interned strings compared by address; each project keeps
 * its blocks in a chunked sorted vector keyed by the first serial, and, per account and status
 * (held, buffer), the sorted starts of its blocks: the two lookups the rules make
 * ("the block holding serial x", "this account's held blocks of the project in serial order"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_verify_int.h"

/* ---- strings: an arena and an open-addressing map -------------------------------------- */

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    char d[];
};

static const char *arena_strndup(epv_ctx *ctx, struct arena_chunk **a, const char *s, size_t len);

static const char *arena_strdup(epv_ctx *ctx, struct arena_chunk **a, const char *s)
{
    return arena_strndup(ctx, a, s, strlen(s));
}

/* The first len bytes of s (no NUL among them) and a NUL. */
static const char *arena_strndup(epv_ctx *ctx, struct arena_chunk **a, const char *s, size_t len)
{
    size_t n = len + 1;
    if (!*a || (*a)->cap - (*a)->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        struct arena_chunk *c = epv__malloc(ctx, sizeof *c + cap);
        if (!c) return NULL;
        c->next = *a;
        c->used = 0;
        c->cap = cap;
        *a = c;
    }
    char *p = (*a)->d + (*a)->used;
    memcpy(p, s, len);
    p[len] = 0;
    (*a)->used += n;
    return p;
}

static void arena_free(epv_ctx *ctx, struct arena_chunk *a)
{
    while (a) {
        struct arena_chunk *n = a->next;
        epv__free(ctx, a);
        a = n;
    }
}

/* key -> index (size_t); keys point to stable strings (the arena). Open addressing over one
 * array of slots, so that a probe touches one cache line, not three (a map of a million
 * request ids is far beyond the caches). */
struct sslot {
    uint64_t h; /* 0: empty */
    const char *k;
    size_t v;
};

struct smap {
    struct sslot *s;
    size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* Index of key, or (size_t)-1. */
static size_t smap_get(const struct smap *m, const char *key)
{
    if (!m->cap) return (size_t)-1;
    uint64_t h = str_hash(key);
    for (size_t j = (size_t)h & (m->cap - 1); m->s[j].h; j = (j + 1) & (m->cap - 1))
        if (m->s[j].h == h && !strcmp(m->s[j].k, key)) return m->s[j].v;
    return (size_t)-1;
}

/* Room for `want` keys without growing again (a snapshot's load knows how many come). */
static int smap_reserve(epv_ctx *ctx, struct smap *m, size_t want)
{
    if (want * 2 <= m->cap) return EPV_OK;
    size_t ncap = m->cap ? 2 * m->cap : 64;
    while (ncap < want * 2) ncap *= 2;
    struct sslot *ns = epv__calloc(ctx, ncap, sizeof *ns);
    if (!ns) return EPV_ENOMEM;
    for (size_t k = 0; k < m->cap; k++) {
        if (!m->s[k].h) continue;
        size_t j = (size_t)m->s[k].h & (ncap - 1);
        while (ns[j].h) j = (j + 1) & (ncap - 1);
        ns[j] = m->s[k];
    }
    epv__free(ctx, m->s);
    m->s = ns;
    m->cap = ncap;
    return EPV_OK;
}

/* Add a key that is not there yet: EPV_EEXISTS (nothing added) if it is, so that a snapshot's
 * load checks for repeated keys with the same probe that inserts them. */
static int smap_put(epv_ctx *ctx, struct smap *m, const char *key, size_t v)
{
    if ((m->n + 1) * 2 > m->cap && smap_reserve(ctx, m, m->n + 1)) return EPV_ENOMEM;
    uint64_t h = str_hash(key);
    size_t j = (size_t)h & (m->cap - 1);
    for (; m->s[j].h; j = (j + 1) & (m->cap - 1))
        if (m->s[j].h == h && !strcmp(m->s[j].k, key)) return EPV_EEXISTS;
    m->s[j].h = h;
    m->s[j].k = key;
    m->s[j].v = v;
    m->n++;
    return EPV_OK;
}

static void smap_free(epv_ctx *ctx, struct smap *m)
{
    epv__free(ctx, m->s);
    memset(m, 0, sizeof *m);
}

/* ---- a sorted vector in chunks, keyed by the int64 at the start of each element --------- */

#define SV_CAP 64 /* elements per chunk: inserts move at most this many */

struct svc {
    size_t n;
    /* the elements' keys again, side by side: the search within a chunk reads 512 bytes
     * instead of touching a cache line of every element it passes (the chunks of a large
     * ledger are far beyond the caches) */
    int64_t key[SV_CAP];
    unsigned char d[];
};

struct sv {
    size_t es; /* element size; the key is the first int64_t */
    struct svc **ch;
    int64_t *last; /* key of each chunk's last element: the chunk search reads only this array */
    size_t nch, capch;
    /* The chunk of the last search. An operation looks up the same few serials several times
     * (find, split, move, merge, event), so this saves most chunk searches. A cache only: it
     * may be changed through a const pointer (it is checked against `last` before use). */
    size_t hint;
};

static int64_t sv_key(const void *p)
{
    int64_t k;
    memcpy(&k, p, sizeof k);
    return k;
}

static void *sv_at(const struct sv *v, size_t c, size_t i) { return v->ch[c]->d + i * v->es; }

/* First position whose key is >= k ((nch, 0) if none). */
static void sv_lower(const struct sv *v, int64_t k, size_t *pc, size_t *pi)
{
    size_t lo = v->hint, hi = v->nch; /* first chunk whose last key >= k */
    if (!(lo < hi && v->last[lo] >= k && (lo == 0 || v->last[lo - 1] < k))) {
        lo = 0;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (v->last[mid] < k) lo = mid + 1;
            else hi = mid;
        }
        ((struct sv *)v)->hint = lo; /* (see struct sv: the object is never const) */
    }
    *pc = lo;
    *pi = 0;
    if (lo == v->nch) return;
    const int64_t *key = v->ch[lo]->key;
    size_t a = 0, b = v->ch[lo]->n;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (key[mid] < k) a = mid + 1;
        else b = mid;
    }
    *pi = a;
}

static int sv_valid(const struct sv *v, size_t c) { return c < v->nch; }

static void sv_next(const struct sv *v, size_t *c, size_t *i)
{
    if (++*i >= v->ch[*c]->n) {
        ++*c;
        *i = 0;
    }
}

/* The element with key k, or NULL. */
static void *sv_find(const struct sv *v, int64_t k)
{
    size_t c, i;
    sv_lower(v, k, &c, &i);
    if (!sv_valid(v, c)) return NULL;
    return v->ch[c]->key[i] == k ? sv_at(v, c, i) : NULL;
}

/* The element with the largest key < k, or NULL. */
static void *sv_before(const struct sv *v, int64_t k)
{
    size_t c, i;
    sv_lower(v, k, &c, &i);
    if (i > 0) return sv_at(v, c, i - 1);
    if (c == 0) return NULL;
    return sv_at(v, c - 1, v->ch[c - 1]->n - 1);
}

/* Room for one more chunk pointer (and its last key). */
static int sv_room(epv_ctx *ctx, struct sv *v)
{
    if (v->nch < v->capch) return EPV_OK;
    size_t cap = v->capch ? 2 * v->capch : 8;
    struct svc **ch = epv__realloc(ctx, v->ch, cap * sizeof *ch);
    if (!ch) return EPV_ENOMEM;
    v->ch = ch;
    int64_t *last = epv__realloc(ctx, v->last, cap * sizeof *last);
    if (!last) return EPV_ENOMEM;
    v->last = last;
    v->capch = cap;
    return EPV_OK;
}

static void sv_set_last(struct sv *v, size_t c) { v->last[c] = v->ch[c]->key[v->ch[c]->n - 1]; }

static int sv_insert(epv_ctx *ctx, struct sv *v, const void *e)
{
    size_t c, i;
    sv_lower(v, sv_key(e), &c, &i);
    if (c == v->nch) { /* after everything: into the last chunk, or a new one */
        if (c > 0 && v->ch[c - 1]->n < SV_CAP) {
            c--;
            i = v->ch[c]->n;
        } else {
            if (sv_room(ctx, v)) return EPV_ENOMEM;
            struct svc *n = epv__malloc(ctx, sizeof *n + SV_CAP * v->es);
            if (!n) return EPV_ENOMEM;
            n->n = 0;
            v->ch[v->nch++] = n;
            i = 0;
        }
    }
    struct svc *x = v->ch[c];
    if (x->n == SV_CAP) { /* split the full chunk in halves */
        if (sv_room(ctx, v)) return EPV_ENOMEM;
        struct svc *n = epv__malloc(ctx, sizeof *n + SV_CAP * v->es);
        if (!n) return EPV_ENOMEM;
        size_t half = SV_CAP / 2;
        memcpy(n->d, x->d + half * v->es, (SV_CAP - half) * v->es);
        memcpy(n->key, x->key + half, (SV_CAP - half) * sizeof *n->key);
        n->n = SV_CAP - half;
        x->n = half;
        memmove(v->ch + c + 2, v->ch + c + 1, (v->nch - c - 1) * sizeof *v->ch);
        memmove(v->last + c + 2, v->last + c + 1, (v->nch - c - 1) * sizeof *v->last);
        v->ch[c + 1] = n;
        v->nch++;
        sv_set_last(v, c);
        sv_set_last(v, c + 1);
        if (i > half) {
            c++;
            i -= half;
            x = n;
        }
    }
    memmove(x->d + (i + 1) * v->es, x->d + i * v->es, (x->n - i) * v->es);
    memcpy(x->d + i * v->es, e, v->es);
    memmove(x->key + i + 1, x->key + i, (x->n - i) * sizeof *x->key);
    x->key[i] = sv_key(e);
    x->n++;
    sv_set_last(v, c);
    return EPV_OK;
}

/* Remove the element with key k (present). */
static void sv_erase(epv_ctx *ctx, struct sv *v, int64_t k)
{
    size_t c, i;
    sv_lower(v, k, &c, &i);
    if (!sv_valid(v, c) || v->ch[c]->key[i] != k) return;
    struct svc *x = v->ch[c];
    memmove(x->d + i * v->es, x->d + (i + 1) * v->es, (x->n - i - 1) * v->es);
    memmove(x->key + i, x->key + i + 1, (x->n - i - 1) * sizeof *x->key);
    if (--x->n == 0) {
        epv__free(ctx, x);
        memmove(v->ch + c, v->ch + c + 1, (v->nch - c - 1) * sizeof *v->ch);
        memmove(v->last + c, v->last + c + 1, (v->nch - c - 1) * sizeof *v->last);
        v->nch--;
    } else if (i == x->n) {
        sv_set_last(v, c);
    }
}

static void sv_free(epv_ctx *ctx, struct sv *v)
{
    for (size_t c = 0; c < v->nch; c++) epv__free(ctx, v->ch[c]);
    epv__free(ctx, v->ch);
    epv__free(ctx, v->last);
    v->ch = NULL;
    v->last = NULL;
    v->nch = v->capch = 0;
}

/* ---- the model's rows ------------------------------------------------------------------ */

struct blk { /* a row of blocks (key: start) */
    int64_t start, end, vintage, iss, cert;
    const char *acct; /* interned */
    int status;
};

struct period {
    int64_t start, end;
    size_t ver; /* index of its verification, or (size_t)-1 */
};

struct total {
    int64_t vintage, issued;
};

/* One account's blocks of one project with status held (0) or buffer (1): their starts. */
struct holding {
    const char *acct;
    struct sv set[2];
};

struct project {
    const char *id, *name, *methodology, *owner;
    int64_t cstart, cend, forestry, buffer_bp, status, next_serial;
    struct period *per;
    size_t nper, capper;
    struct total *tot;
    size_t ntot, captot;
    struct sv blocks; /* struct blk */
    struct holding *hold;
    size_t nhold, caphold;
    struct sv events; /* struct evlist */
    struct smap holdmap; /* account id -> index in hold */
};

struct account {
    const char *id, *entity;
    int64_t kind, status;
};

struct verification {
    const char *report, *verifier;
    size_t project;
    int64_t num, verified, deduction, issued, applied, vintage;
};

struct issuance {
    int64_t seq, vintage, start, end, buffer;
    const char *report;
    size_t project;
};

struct retirement {
    int64_t cert, date, units;
    const char *account, *beneficiary, *reason;
    size_t project;
};

/* Events are kept in the events table's key order as they are written: per project, one list
 * per first serial (struct evlist, in a sorted vector), appended in entry order, which is
 * (seq, n) order. The digest walks them without sorting. */
struct event {
    int64_t seq, start, end;
    const char *from, *to; /* interned, or "" */
    uint32_t next;         /* the next event with the same project and start, or EV_END */
    uint32_t n;
    unsigned char kind, status;
};
#define EV_END UINT32_MAX

struct evlist { /* key: start */
    int64_t start;
    uint32_t head, tail;
};

struct meta_row {
    const char *key, *tval;
    int64_t ival;
};

struct request {
    const char *req;
    int64_t seq, r[EPV__L_NRES];
};

/* An entry of a key-order index of rows keyed by a string (their first member). It carries
 * the key's first 8 bytes as a big-endian integer, so most comparisons are one integer compare
 * (strcmp's order: a shorter key is padded with NULs, which sort first). */
struct skey {
    uint64_t pre;
    size_t row;
    const char *key;
};

static const char *const event_kinds[] = { "issue", "split", "transfer", "retire", "cancel", "reverse" };
enum { EV_ISSUE, EV_SPLIT, EV_TRANSFER, EV_RETIRE, EV_CANCEL, EV_REVERSE };

struct epv__lrp {
    epv_ledger *l; /* for the context and the digest algorithm */
    epv_ctx *ctx;
    struct arena_chunk *arena;
    int64_t seq;
    unsigned char hash[32];
    int buffer_bp, date_rules;
    const char *buffer_acct; /* interned EPV_LEDGER_BUFFER_ACCOUNT */
    struct meta_row *meta;
    size_t nmeta, capmeta;
    struct smap metamap;
    struct request *req;
    size_t nreq, capreq;
    struct smap reqmap;
    struct skey *qix; /* requests in key order: the first nqix of them (requests_by_key) */
    size_t nqix;
    struct account *acct;
    size_t nacct, capacct;
    struct smap acctmap, entitymap;
    struct project *proj;
    size_t nproj, capproj;
    struct smap projmap;
    struct verification *ver;
    size_t nver, capver;
    struct smap vermap;
    struct issuance *iss;
    size_t niss, capiss;
    struct retirement *ret;
    size_t nret, capret;
    struct event *ev;
    size_t nev, capev;
    int ev_n; /* events written by the current entry */
    int broken; /* a refused entry may have changed the model (epv__lrp_apply_res) */
};

#define NONE ((size_t)-1)

int epv__lrp_new(epv_ledger *l, struct epv__lrp **out)
{
    struct epv__lrp *r = epv__calloc(l->ctx, 1, sizeof *r);
    *out = r;
    if (!r) return EPV_ENOMEM;
    r->l = l;
    r->ctx = l->ctx;
    return EPV_OK;
}

void epv__lrp_free(struct epv__lrp *r)
{
    if (!r) return;
    epv_ctx *ctx = r->ctx;
    for (size_t k = 0; k < r->nproj; k++) {
        struct project *p = &r->proj[k];
        epv__free(ctx, p->per);
        epv__free(ctx, p->tot);
        sv_free(ctx, &p->blocks);
        sv_free(ctx, &p->events);
        for (size_t h = 0; h < p->nhold; h++) {
            sv_free(ctx, &p->hold[h].set[0]);
            sv_free(ctx, &p->hold[h].set[1]);
        }
        epv__free(ctx, p->hold);
        smap_free(ctx, &p->holdmap);
    }
    epv__free(ctx, r->proj);
    epv__free(ctx, r->meta);
    epv__free(ctx, r->req);
    epv__free(ctx, r->qix);
    epv__free(ctx, r->acct);
    epv__free(ctx, r->ver);
    epv__free(ctx, r->iss);
    epv__free(ctx, r->ret);
    epv__free(ctx, r->ev);
    smap_free(ctx, &r->metamap);
    smap_free(ctx, &r->reqmap);
    smap_free(ctx, &r->acctmap);
    smap_free(ctx, &r->entitymap);
    smap_free(ctx, &r->projmap);
    smap_free(ctx, &r->vermap);
    arena_free(ctx, r->arena);
    epv__free(ctx, r);
}

static const char *intern(struct epv__lrp *r, const char *s) { return arena_strdup(r->ctx, &r->arena, s); }

/* ---- holdings and blocks: every change of a block goes through these, so the per-account
 * sets always list exactly the held and buffer blocks ------------------------------------- */

static struct holding *holding_get(struct epv__lrp *r, struct project *p, const char *acct, int create)
{
    size_t h = smap_get(&p->holdmap, acct);
    if (h != NONE) return &p->hold[h];
    if (!create) return NULL;
    if (epv__grow(r->ctx, (void **)&p->hold, &p->caphold, p->nhold + 1, sizeof *p->hold)) return NULL;
    struct holding *x = &p->hold[p->nhold];
    memset(x, 0, sizeof *x);
    x->acct = acct;
    x->set[0].es = x->set[1].es = sizeof(int64_t);
    if (smap_put(r->ctx, &p->holdmap, acct, p->nhold)) return NULL;
    p->nhold++;
    return x;
}

static int hold_add(struct epv__lrp *r, struct project *p, const char *acct, int status, int64_t start)
{
    if (status > 1) return EPV_OK;
    struct holding *h = holding_get(r, p, acct, 1);
    if (!h) return EPV_ENOMEM;
    return sv_insert(r->ctx, &h->set[status], &start);
}

static void hold_del(struct epv__lrp *r, struct project *p, const char *acct, int status, int64_t start)
{
    if (status > 1) return;
    struct holding *h = holding_get(r, p, acct, 0);
    if (h) sv_erase(r->ctx, &h->set[status], start);
}

static int blk_insert(struct epv__lrp *r, struct project *p, const struct blk *b)
{
    int rc = sv_insert(r->ctx, &p->blocks, b);
    return rc ? rc : hold_add(r, p, b->acct, b->status, b->start);
}

static void blk_delete(struct epv__lrp *r, struct project *p, int64_t start)
{
    struct blk *b = sv_find(&p->blocks, start);
    if (!b) return;
    hold_del(r, p, b->acct, b->status, start);
    sv_erase(r->ctx, &p->blocks, start);
}

static int blk_set(struct epv__lrp *r, struct project *p, struct blk *b, const char *acct, int status, int64_t cert)
{
    hold_del(r, p, b->acct, b->status, b->start);
    b->acct = acct;
    b->status = status;
    b->cert = cert;
    return hold_add(r, p, acct, status, b->start);
}

static int event(struct epv__lrp *r, int64_t seq, size_t project, int64_t s, int64_t e, int kind,
                 const char *from, const char *to, int status)
{
    if (r->nev >= EV_END) return epv__error(r->ctx, EPV_ENOMEM, "ledger: too many events to replay in memory");
    if (epv__grow(r->ctx, (void **)&r->ev, &r->capev, r->nev + 1, sizeof *r->ev)) return EPV_ENOMEM;
    uint32_t k = (uint32_t)r->nev;
    struct event *x = &r->ev[r->nev++];
    x->seq = seq;
    x->n = (uint32_t)r->ev_n++;
    x->start = s;
    x->end = e;
    x->kind = (unsigned char)kind;
    x->from = from;
    x->to = to;
    x->status = (unsigned char)status;
    x->next = EV_END;
    struct project *p = &r->proj[project];
    struct evlist *b = sv_find(&p->events, s);
    if (b) {
        r->ev[b->tail].next = k;
        b->tail = k;
        return EPV_OK;
    }
    struct evlist nb = { s, k, k };
    return sv_insert(r->ctx, &p->events, &nb);
}

/* ---- lookups ---------------------------------------------------------------------------- */

static struct account *account_find(struct epv__lrp *r, const char *id)
{
    size_t k = smap_get(&r->acctmap, id);
    return k == NONE ? NULL : &r->acct[k];
}

static size_t project_index(struct epv__lrp *r, const char *id) { return smap_get(&r->projmap, id); }

/* ledger_apply.c's project_status()/project_row(): a checked id naming a project */
static int project_named(struct epv__lrp *r, const char *id, const char *field, size_t *pk)
{
    int rc = epv__lg_check_id(r->ctx, id, field);
    if (rc) return rc;
    *pk = project_index(r, id);
    if (*pk == NONE) return epv__error(r->ctx, EPV_ENOTFOUND, "%s: no project '%s'", field, id);
    return EPV_OK;
}

/* A project that must be active (periods, verifications). */
static int active_project(struct epv__lrp *r, const char *id, size_t *pk)
{
    int rc = project_named(r, id, "project", pk);
    if (!rc && r->proj[*pk].status != EPV_LEDGER_PROJECT_ACTIVE)
        rc = epv__error(r->ctx, EPV_ESTATE, "project: '%s' is not active", id);
    return rc;
}

static int meta_set(struct epv__lrp *r, const char *key, int64_t ival, const char *tval)
{
    size_t k = smap_get(&r->metamap, key);
    if (k != NONE) {
        r->meta[k].ival = ival;
        return EPV_OK;
    }
    if (epv__grow(r->ctx, (void **)&r->meta, &r->capmeta, r->nmeta + 1, sizeof *r->meta)) return EPV_ENOMEM;
    struct meta_row *m = &r->meta[r->nmeta];
    m->key = intern(r, key);
    m->tval = intern(r, tval);
    m->ival = ival;
    if (!m->key || !m->tval || smap_put(r->ctx, &r->metamap, m->key, r->nmeta)) return EPV_ENOMEM;
    r->nmeta++;
    return EPV_OK;
}

/* ---- operations (the order of checks and writes follows ledger_apply.c / ledger_blocks.c) */

static int ap_genesis(struct epv__lrp *r, const struct epv__lop *op, int64_t seq)
{
    int rc = epv__lg_check_genesis(r->ctx, op, seq);
    if (rc) return rc;
    if ((rc = meta_set(r, "programme", 0, op->s[0])) || (rc = meta_set(r, "serial_format", 0, op->s[1])) ||
        (rc = meta_set(r, "buffer_bp", op->i[0], "")) || (rc = meta_set(r, "date_rules", op->i[1], "")) ||
        (rc = meta_set(r, "format_version", op->i[2], "")))
        return rc;
    if (epv__grow(r->ctx, (void **)&r->acct, &r->capacct, r->nacct + 1, sizeof *r->acct)) return EPV_ENOMEM;
    struct account *a = &r->acct[r->nacct];
    a->id = r->buffer_acct = intern(r, EPV_LEDGER_BUFFER_ACCOUNT);
    a->entity = intern(r, EPV__L_BUFFER_ENTITY);
    a->kind = 1;
    a->status = 0;
    if (!a->id || !a->entity || smap_put(r->ctx, &r->acctmap, a->id, r->nacct) ||
        smap_put(r->ctx, &r->entitymap, a->entity, r->nacct))
        return EPV_ENOMEM;
    r->nacct++;
    r->buffer_bp = (int)op->i[0];
    r->date_rules = (int)op->i[1];
    return EPV_OK;
}

static int ap_account_open(struct epv__lrp *r, const struct epv__lop *op)
{
    int rc = epv__lg_check_id(r->ctx, op->s[0], "account");
    if (!rc) rc = epv__lg_check_text(r->ctx, op->s[1], "entity");
    if (rc) return rc;
    if (account_find(r, op->s[0]))
        return epv__error(r->ctx, EPV_EEXISTS, "account: '%s' already exists", op->s[0]);
    if (smap_get(&r->entitymap, op->s[1]) != NONE)
        return epv__error(r->ctx, EPV_EEXISTS, "entity: '%s' already has an account (one per entity)", op->s[1]);
    if (epv__grow(r->ctx, (void **)&r->acct, &r->capacct, r->nacct + 1, sizeof *r->acct)) return EPV_ENOMEM;
    struct account *a = &r->acct[r->nacct];
    a->id = intern(r, op->s[0]);
    a->entity = intern(r, op->s[1]);
    a->kind = 0;
    a->status = 0;
    if (!a->id || !a->entity || smap_put(r->ctx, &r->acctmap, a->id, r->nacct) ||
        smap_put(r->ctx, &r->entitymap, a->entity, r->nacct))
        return EPV_ENOMEM;
    r->nacct++;
    return EPV_OK;
}

static int ap_account_status(struct epv__lrp *r, const struct epv__lop *op)
{
    int rc = epv__lg_check_id(r->ctx, op->s[0], "account");
    if (rc) return rc;
    if (op->i[0] < EPV_LEDGER_ACCOUNT_OPEN || op->i[0] > EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(r->ctx, EPV_EINVAL, "status: %lld is not an account status", (long long)op->i[0]);
    struct account *a = account_find(r, op->s[0]);
    if (!a) return epv__error(r->ctx, EPV_ENOTFOUND, "account: '%s' does not exist", op->s[0]);
    if (a->kind == 1) return epv__error(r->ctx, EPV_ESTATE, "account: the buffer account's status cannot change");
    if (a->status == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(r->ctx, EPV_ESTATE, "account: '%s' is closed (final)", op->s[0]);
    if (op->i[0] == EPV_LEDGER_ACCOUNT_CLOSED) {
        int64_t n = 0; /* units held or in the buffer, in every project */
        for (size_t k = 0; k < r->nproj; k++) {
            struct project *p = &r->proj[k];
            struct holding *h = holding_get(r, p, a->id, 0);
            for (int st = 0; h && st < 2; st++)
                for (size_t c = 0, i = 0; sv_valid(&h->set[st], c); sv_next(&h->set[st], &c, &i)) {
                    const struct blk *b = sv_find(&p->blocks, *(const int64_t *)sv_at(&h->set[st], c, i));
                    n += b->end - b->start + 1;
                }
        }
        if (n > 0)
            return epv__error(r->ctx, EPV_ESTATE, "account: '%s' still holds %lld units; cannot close", op->s[0],
                              (long long)n);
    }
    a->status = op->i[0];
    return EPV_OK;
}

static int ap_project_register(struct epv__lrp *r, const struct epv__lop *op)
{
    int rc = epv__lg_check_project_fields(r->ctx, op);
    if (rc) return rc;
    struct account *o = account_find(r, op->s[3]);
    if (!o) return epv__error(r->ctx, EPV_ENOTFOUND, "owner_account: '%s' does not exist", op->s[3]);
    if (o->kind == 1) return epv__error(r->ctx, EPV_ESTATE, "owner_account: the buffer account cannot own a project");
    if (o->status == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(r->ctx, EPV_ESTATE, "owner_account: '%s' is closed", op->s[3]);
    if (project_index(r, op->s[0]) != NONE)
        return epv__error(r->ctx, EPV_EEXISTS, "project: '%s' is already registered (ids are never reused)",
                          op->s[0]);
    if (epv__grow(r->ctx, (void **)&r->proj, &r->capproj, r->nproj + 1, sizeof *r->proj)) return EPV_ENOMEM;
    struct project *p = &r->proj[r->nproj];
    memset(p, 0, sizeof *p);
    p->blocks.es = sizeof(struct blk);
    p->events.es = sizeof(struct evlist);
    p->id = intern(r, op->s[0]);
    p->name = intern(r, op->s[1]);
    p->methodology = intern(r, op->s[2]);
    p->owner = o->id;
    p->cstart = op->i[0];
    p->cend = op->i[1];
    p->forestry = op->i[2];
    p->buffer_bp = op->i[3];
    p->status = 0;
    p->next_serial = 1;
    if (!p->id || !p->name || !p->methodology || smap_put(r->ctx, &r->projmap, p->id, r->nproj))
        return EPV_ENOMEM;
    r->nproj++;
    return EPV_OK;
}

static int ap_project_status(struct epv__lrp *r, const struct epv__lop *op)
{
    size_t pk;
    int rc = project_named(r, op->s[0], "project", &pk);
    if (rc) return rc;
    struct project *p = &r->proj[pk];
    if (op->i[0] < EPV_LEDGER_PROJECT_ACTIVE || op->i[0] > EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(r->ctx, EPV_EINVAL, "status: %lld is not a project status", (long long)op->i[0]);
    if (p->status == EPV_LEDGER_PROJECT_CANCELLED || p->status == EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(r->ctx, EPV_ESTATE, "project: '%s' is %s (final)", op->s[0],
                          p->status == EPV_LEDGER_PROJECT_CANCELLED ? "cancelled" : "revoked");
    p->status = op->i[0];
    return EPV_OK;
}

static int ap_period_add(struct epv__lrp *r, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    size_t pk;
    int rc = active_project(r, op->s[0], &pk);
    if (rc) return rc;
    struct project *p = &r->proj[pk];
    if ((rc = epv__lg_check_days(r->ctx, op->i[0], "start")) || (rc = epv__lg_check_days(r->ctx, op->i[1], "end")))
        return rc;
    if (op->i[1] < op->i[0]) return epv__error(r->ctx, EPV_ERANGE, "end: before start (reversed period)");
    if (op->i[0] < p->cstart || op->i[1] > p->cend)
        return epv__error(r->ctx, EPV_ERANGE, "start/end: period lies outside the crediting period");
    if (r->date_rules && op->i[0] <= EPV__L_CCER_CUTOFF_DAYS)
        return epv__error(r->ctx, EPV_ERANGE, "start: CCER rules admit only reductions after 2020-09-22 (Art. 17)");
    for (size_t k = 0; k < p->nper; k++)
        if (p->per[k].start <= op->i[1] && p->per[k].end >= op->i[0])
            return epv__error(r->ctx, EPV_ERANGE, "start/end: overlaps monitoring period %zu", k + 1);
    if (epv__grow(r->ctx, (void **)&p->per, &p->capper, p->nper + 1, sizeof *p->per)) return EPV_ENOMEM;
    p->per[p->nper].start = op->i[0];
    p->per[p->nper].end = op->i[1];
    p->per[p->nper].ver = NONE;
    p->nper++;
    res[0] = (int64_t)p->nper;
    return EPV_OK;
}

static int ap_verify(struct epv__lrp *r, const struct epv__lop *op)
{
    size_t pk;
    int rc = active_project(r, op->s[0], &pk);
    if (rc) return rc;
    struct project *p = &r->proj[pk];
    if ((rc = epv__lg_check_text(r->ctx, op->s[1], "report_id")) ||
        (rc = epv__lg_check_text(r->ctx, op->s[2], "verifier")))
        return rc;
    if (op->i[1] <= 0 || op->i[1] > EPV__L_MAX_UNITS)
        return epv__error(r->ctx, EPV_ERANGE, "verified_tco2e: %lld must be in 1..1e15", (long long)op->i[1]);
    if (op->i[2] < 0 || op->i[2] > op->i[1])
        return epv__error(r->ctx, EPV_ERANGE, "deduction_tco2e: %lld must be in 0..verified", (long long)op->i[2]);
    if ((rc = epv__lg_check_days(r->ctx, op->i[3], "applied"))) return rc;
    /* periods are numbered 1..n in the order they were added */
    if (op->i[0] < 1 || op->i[0] > (int64_t)p->nper)
        return epv__error(r->ctx, EPV_ENOTFOUND, "period: project '%s' has no period %lld", op->s[0],
                          (long long)op->i[0]);
    struct period *pe = &p->per[op->i[0] - 1];
    if (op->i[3] < pe->end) return epv__error(r->ctx, EPV_ERANGE, "applied: before the end of the period");
    if (r->date_rules && op->i[3] > epv__lg_add_years(pe->start, 5))
        return epv__error(r->ctx, EPV_ERANGE, "applied: more than 5 years after the period start (CCER Art. 17)");
    if (smap_get(&r->vermap, op->s[1]) != NONE)
        return epv__error(r->ctx, EPV_EEXISTS, "report_id: '%s' was already used", op->s[1]);
    if (pe->ver != NONE) return epv__error(r->ctx, EPV_EEXISTS, "period: %lld is already verified", (long long)op->i[0]);
    if (epv__grow(r->ctx, (void **)&r->ver, &r->capver, r->nver + 1, sizeof *r->ver)) return EPV_ENOMEM;
    struct verification *v = &r->ver[r->nver];
    epv_date end;
    epv__lg_days_to_date(pe->end, &end);
    v->report = intern(r, op->s[1]);
    v->verifier = intern(r, op->s[2]);
    v->project = pk;
    v->num = op->i[0];
    v->verified = op->i[1];
    v->deduction = op->i[2];
    v->issued = 0;
    v->applied = op->i[3];
    v->vintage = end.year;
    if (!v->report || !v->verifier || smap_put(r->ctx, &r->vermap, v->report, r->nver)) return EPV_ENOMEM;
    pe->ver = r->nver++;
    return EPV_OK;
}

static int ap_project_risk(struct epv__lrp *r, const struct epv__lop *op, int64_t res[EPV__L_NRES])
{
    static const char *const names[4] = { "internal_bp", "external_bp", "natural_bp", "minimum_bp" };
    size_t pk;
    int rc = project_named(r, op->s[0], "project", &pk);
    if (rc) return rc;
    struct project *p = &r->proj[pk];
    if (!p->forestry)
        return epv__error(r->ctx, EPV_ESTATE, "project: '%s' is not a forestry project (no buffer)", op->s[0]);
    if (p->status == EPV_LEDGER_PROJECT_CANCELLED || p->status == EPV_LEDGER_PROJECT_REVOKED)
        return epv__error(r->ctx, EPV_ESTATE, "project: '%s' is %s (final)", op->s[0],
                          p->status == EPV_LEDGER_PROJECT_CANCELLED ? "cancelled" : "revoked");
    if ((rc = epv__lg_check_text(r->ctx, op->s[1], "tool"))) return rc;
    for (int k = 0; k < 4; k++)
        if (op->i[k] < 0 || op->i[k] > 10000)
            return epv__error(r->ctx, EPV_ERANGE, "%s: %lld is outside 0..10000", names[k], (long long)op->i[k]);
    if ((rc = epv__lg_check_days(r->ctx, op->i[4], "date"))) return rc;
    int64_t overall = op->i[0] + op->i[1] + op->i[2];
    if (overall > EPV__L_RISK_FAIL_BP)
        return epv__error(r->ctx, EPV_ERANGE, "overall risk rating above %d: the project fails the risk tool",
                          EPV__L_RISK_FAIL_BP / 100);
    p->buffer_bp = overall > op->i[3] ? overall : op->i[3];
    res[0] = p->buffer_bp;
    res[1] = overall;
    return EPV_OK;
}

/* ---- units ------------------------------------------------------------------------------ */

struct piece {
    size_t project;
    int64_t s, e;
    int bounds; /* PIECE_START: s starts a block; PIECE_END: e ends one */
    int64_t be, vintage, iss, cert; /* with PIECE_START: the block that starts at s */
    int status;
};
#define PIECE_START 1
#define PIECE_END 2

struct pieces {
    struct piece *v;
    size_t n, cap;
};

static int pieces_add(epv_ctx *ctx, struct pieces *p, size_t project, int64_t s, int64_t e, int bounds)
{
    if (epv__grow(ctx, (void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) return EPV_ENOMEM;
    struct piece *x = &p->v[p->n++];
    memset(x, 0, sizeof *x);
    x->project = project;
    x->s = s;
    x->e = e;
    x->bounds = bounds;
    return EPV_OK;
}

/* The head [b->start, b->start + take - 1] of block b. */
static int pieces_add_head(epv_ctx *ctx, struct pieces *p, size_t project, const struct blk *b, int64_t take)
{
    int64_t e = b->start + take - 1;
    if (pieces_add(ctx, p, project, b->start, e, PIECE_START | (e == b->end ? PIECE_END : 0))) return EPV_ENOMEM;
    struct piece *x = &p->v[p->n - 1];
    x->be = b->end;
    x->vintage = b->vintage;
    x->iss = b->iss;
    x->cert = b->cert;
    x->status = b->status;
    return EPV_OK;
}

/* Split the block holding `at` so that a block starts at `at`. */
static int split_at(struct epv__lrp *r, int64_t seq, size_t pk, int64_t at)
{
    struct project *p = &r->proj[pk];
    struct blk *b = sv_before(&p->blocks, at);
    if (!b || b->end < at) return EPV_OK;
    struct blk tail = *b;
    int64_t s = b->start, e = b->end;
    b->end = at - 1;
    tail.start = at;
    int rc = blk_insert(r, p, &tail);
    return rc ? rc : event(r, seq, pk, s, e, EV_SPLIT, tail.acct, tail.acct, tail.status);
}

static int same_attrs(const struct blk *a, const struct blk *b)
{
    return a->vintage == b->vintage && a->iss == b->iss && a->status == b->status && a->cert == b->cert &&
           a->acct == b->acct;
}

/* Merge identical neighbours among the block before s and the blocks starting in [s, e+1]. */
static int merge_around(struct epv__lrp *r, size_t pk, int64_t s, int64_t e)
{
    struct project *p = &r->proj[pk];
    int64_t hi = e == INT64_MAX ? e : e + 1;
    size_t c, i;
    sv_lower(&p->blocks, s, &c, &i);
    if (i > 0) i--; /* start at the block before s, if there is one */
    else if (c > 0) {
        c--;
        i = p->blocks.ch[c]->n - 1;
    }
    /* `a` is the block merges grow ("a" in ledger_blocks.c). Deleting a later block leaves
     * it where it is: chunks shift only what follows the deleted element. */
    struct blk *a = NULL;
    while (sv_valid(&p->blocks, c)) {
        struct blk *b = sv_at(&p->blocks, c, i);
        if (b->start > hi) break;
        if (a && a->end + 1 == b->start && same_attrs(a, b)) {
            int64_t bs = b->start, be = b->end;
            blk_delete(r, p, bs);
            a->end = be;
            sv_lower(&p->blocks, bs, &c, &i); /* the element after the deleted one */
        } else {
            a = b;
            sv_next(&p->blocks, &c, &i);
        }
    }
    return EPV_OK;
}

/* Give [s, e] new attributes (see move_range in ledger_blocks.c). */
static int move_range(struct epv__lrp *r, int64_t seq, const struct piece *pc, const char *acct, int status,
                      int64_t cert, int kind, const char *from)
{
    struct project *p = &r->proj[pc->project];
    int64_t s = pc->s, e = pc->e;
    int rc;
    if ((pc->bounds & PIECE_START) && !(pc->bounds & PIECE_END)) {
        struct blk *b = sv_find(&p->blocks, s);
        if (!b) return epv__error(r->ctx, EPV_ECORRUPT, "ledger: block %lld of '%s' vanished", (long long)s, p->id);
        b->end = e;
        if ((rc = blk_set(r, p, b, acct, status, cert))) return rc;
        struct blk tail = { e + 1, pc->be, pc->vintage, pc->iss, pc->cert, from, pc->status };
        if ((rc = blk_insert(r, p, &tail)) ||
            (rc = event(r, seq, pc->project, s, pc->be, EV_SPLIT, from, from, pc->status)) ||
            (rc = event(r, seq, pc->project, s, e, kind, from, acct, status)))
            return rc;
        return merge_around(r, pc->project, s, e);
    }
    rc = (pc->bounds & PIECE_START) ? EPV_OK : split_at(r, seq, pc->project, s);
    if (!rc && e < INT64_MAX && !(pc->bounds & PIECE_END)) rc = split_at(r, seq, pc->project, e + 1);
    if (rc) return rc;
    size_t c, i;
    sv_lower(&p->blocks, s, &c, &i);
    while (sv_valid(&p->blocks, c)) {
        struct blk *b = sv_at(&p->blocks, c, i);
        if (b->start > e) break;
        if ((rc = blk_set(r, p, b, acct, status, cert))) return rc;
        sv_next(&p->blocks, &c, &i);
    }
    if ((rc = event(r, seq, pc->project, s, e, kind, from, acct, status))) return rc;
    return merge_around(r, pc->project, s, e);
}

static int check_sender(struct epv__lrp *r, const char *id, const char *field, const char **interned)
{
    int rc = epv__lg_check_id(r->ctx, id, field);
    if (rc) return rc;
    struct account *a = account_find(r, id);
    if (!a) return epv__error(r->ctx, EPV_ENOTFOUND, "%s: account '%s' does not exist", field, id);
    if (a->kind == 1) return epv__error(r->ctx, EPV_ESTATE, "%s: buffer units cannot be moved by any holder", field);
    static const char *const names[] = { "open", "restricted", "frozen", "closed" };
    if (a->status != EPV_LEDGER_ACCOUNT_OPEN)
        return epv__error(r->ctx, EPV_ESTATE, "%s: account '%s' is %s", field, id, names[a->status & 3]);
    *interned = a->id;
    return EPV_OK;
}

static int check_receiver(struct epv__lrp *r, const char *id, const char *field, const char **interned)
{
    int rc = epv__lg_check_id(r->ctx, id, field);
    if (rc) return rc;
    struct account *a = account_find(r, id);
    if (!a) return epv__error(r->ctx, EPV_ENOTFOUND, "%s: account '%s' does not exist", field, id);
    if (a->kind == 1) return epv__error(r->ctx, EPV_ESTATE, "%s: the buffer account receives only withholdings", field);
    if (a->status == EPV_LEDGER_ACCOUNT_FROZEN || a->status == EPV_LEDGER_ACCOUNT_CLOSED)
        return epv__error(r->ctx, EPV_ESTATE, "%s: account '%s' is %s", field, id,
                          a->status == EPV_LEDGER_ACCOUNT_FROZEN ? "frozen" : "closed");
    *interned = a->id;
    return EPV_OK;
}

/* Choose the units an operation takes (select_units in ledger_blocks.c). */
static int select_units(struct epv__lrp *r, const char *acct, size_t pk, int64_t vintage, int64_t count,
                        int64_t s, int64_t e, struct pieces *out, int64_t *total)
{
    struct project *p = &r->proj[pk];
    *total = 0;
    if (vintage != 0 && (vintage < 1900 || vintage > 2200))
        return epv__error(r->ctx, EPV_ERANGE, "vintage: %lld is not a year in 1900..2200", (long long)vintage);
    if (s == 0 && e == 0) {
        if (count <= 0 || count > EPV__L_MAX_UNITS)
            return epv__error(r->ctx, EPV_ERANGE, "count: %lld must be in 1..1e15", (long long)count);
        int64_t need = count;
        struct holding *h = holding_get(r, p, acct, 0);
        if (h) {
            const struct sv *set = &h->set[EPV_LEDGER_HELD];
            for (size_t c = 0, i = 0; need > 0 && sv_valid(set, c); sv_next(set, &c, &i)) {
                const struct blk *b = sv_find(&p->blocks, *(const int64_t *)sv_at(set, c, i));
                if (vintage && b->vintage != vintage) continue;
                int64_t take = b->end - b->start + 1 < need ? b->end - b->start + 1 : need;
                if (pieces_add_head(r->ctx, out, pk, b, take)) return EPV_ENOMEM;
                need -= take;
            }
        }
        if (need > 0)
            return epv__error(r->ctx, EPV_EBALANCE, "count: account '%s' holds only %lld of the %lld units asked",
                              acct, (long long)(count - need), (long long)count);
        *total = count;
        return EPV_OK;
    }
    if (s < 1 || e < s)
        return epv__error(r->ctx, EPV_ERANGE, "serial_start/serial_end: %lld..%lld is not a range", (long long)s,
                          (long long)e);
    if (e - s + 1 > EPV__L_MAX_UNITS) return epv__error(r->ctx, EPV_ERANGE, "serial_end: range longer than 1e15");
    if (count != 0 && count != e - s + 1)
        return epv__error(r->ctx, EPV_ERANGE, "count: %lld differs from the range's %lld units", (long long)count,
                          (long long)(e - s + 1));
    int64_t next = s; /* first serial not yet seen covered */
    const struct blk *b = sv_before(&p->blocks, s);
    size_t c, i;
    sv_lower(&p->blocks, s, &c, &i);
    for (; next <= e; b = NULL) {
        if (!b) { /* the blocks starting in [s, e], in order */
            if (!sv_valid(&p->blocks, c)) break;
            b = sv_at(&p->blocks, c, i);
            if (b->start > e) break;
            sv_next(&p->blocks, &c, &i);
        }
        if (b->end < next) continue; /* a predecessor not reaching into the range */
        const char *why = NULL;
        if (b->start > next) why = "not issued";
        else if (b->status == EPV_LEDGER_RETIRED) why = "already retired";
        else if (b->status == EPV_LEDGER_CANCELLED) why = "cancelled";
        else if (b->status == EPV_LEDGER_BUFFER) why = "buffer units";
        else if (strcmp(b->acct, acct)) why = "held by another account";
        else if (vintage && b->vintage != vintage) why = "of another vintage";
        if (why) { /* the codes of select_units in ledger_blocks.c */
            int code = b->start > next ? EPV_ENOTFOUND
                       : b->status == EPV_LEDGER_RETIRED || b->status == EPV_LEDGER_CANCELLED ||
                               b->status == EPV_LEDGER_BUFFER
                           ? EPV_ESTATE
                           : EPV_EBALANCE;
            return epv__error(r->ctx, code, "serial_start: serial %lld of '%s' is %s", (long long)next, p->id, why);
        }
        next = b->end >= e ? e + 1 : b->end + 1;
    }
    if (next <= e)
        return epv__error(r->ctx, EPV_ENOTFOUND, "serial_end: serial %lld of '%s' was never issued", (long long)next,
                          p->id);
    if (pieces_add(r->ctx, out, pk, s, e, 0)) return EPV_ENOMEM;
    *total = e - s + 1;
    return EPV_OK;
}

static int ap_units(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    const char *acct = NULL, *to = NULL, *project;
    int rc;
    int64_t date = 0;
    if (op->kind == EPV__L_TRANSFER) {
        project = op->s[2];
        if ((rc = check_sender(r, op->s[0], "from", &acct))) return rc;
        if ((rc = epv__lg_check_id(r->ctx, op->s[1], "to"))) return rc;
        if (!strcmp(op->s[0], op->s[1])) return epv__error(r->ctx, EPV_EINVAL, "to: transfer to self ('%s')", op->s[1]);
        if ((rc = check_receiver(r, op->s[1], "to", &to))) return rc;
    } else if (op->kind == EPV__L_RETIRE) {
        project = op->s[3];
        if ((rc = check_sender(r, op->s[0], "account", &acct))) return rc;
        if ((rc = epv__lg_check_text(r->ctx, op->s[1], "beneficiary")) ||
            (rc = epv__lg_check_text(r->ctx, op->s[2], "reason")))
            return rc;
        date = op->i[4];
        if ((rc = epv__lg_check_days(r->ctx, date, "date"))) return rc;
    } else {
        project = op->s[2];
        if ((rc = check_sender(r, op->s[0], "account", &acct))) return rc;
        if ((rc = epv__lg_check_text(r->ctx, op->s[1], "reason"))) return rc;
    }
    size_t pk;
    if ((rc = project_named(r, project, "project", &pk))) return rc;
    struct pieces p = { NULL, 0, 0 };
    int64_t total = 0;
    rc = select_units(r, acct, pk, op->i[0], op->i[1], op->i[2], op->i[3], &p, &total);
    for (size_t k = 0; k < p.n && !rc; k++) {
        if (op->kind == EPV__L_TRANSFER)
            rc = move_range(r, seq, &p.v[k], to, EPV_LEDGER_HELD, 0, EV_TRANSFER, acct);
        else if (op->kind == EPV__L_RETIRE)
            rc = move_range(r, seq, &p.v[k], acct, EPV_LEDGER_RETIRED, seq, EV_RETIRE, acct);
        else
            rc = move_range(r, seq, &p.v[k], acct, EPV_LEDGER_CANCELLED, seq, EV_CANCEL, acct);
    }
    epv__free(r->ctx, p.v);
    if (rc) return rc;
    if (op->kind == EPV__L_RETIRE) {
        if (epv__grow(r->ctx, (void **)&r->ret, &r->capret, r->nret + 1, sizeof *r->ret)) return EPV_ENOMEM;
        struct retirement *x = &r->ret[r->nret];
        x->cert = seq;
        x->account = acct;
        x->beneficiary = intern(r, op->s[1]);
        x->reason = intern(r, op->s[2]);
        x->date = date;
        x->project = pk;
        x->units = total;
        if (!x->beneficiary || !x->reason) return EPV_ENOMEM;
        r->nret++;
        res[0] = seq;
    }
    res[1] = total;
    return EPV_OK;
}

static int ap_issue(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    int rc = epv__lg_check_text(r->ctx, op->s[0], "report_id");
    if (rc) return rc;
    if (op->i[0] < 0 || op->i[0] > EPV__L_MAX_UNITS)
        return epv__error(r->ctx, EPV_ERANGE, "quantity_tco2e: %lld must be in 0..1e15 (0: all)", (long long)op->i[0]);
    size_t vk = smap_get(&r->vermap, op->s[0]);
    if (vk == NONE) return epv__error(r->ctx, EPV_ENOTFOUND, "report_id: no verification '%s'", op->s[0]);
    struct verification *v = &r->ver[vk];
    struct project *p = &r->proj[v->project];
    if (p->status != EPV_LEDGER_PROJECT_ACTIVE)
        return epv__error(r->ctx, EPV_ESTATE, "project: '%s' is not active; no issuance", p->id);
    const char *owner;
    if ((rc = check_receiver(r, p->owner, "owner_account", &owner))) return rc;
    int64_t remaining = v->verified - v->deduction - v->issued;
    int64_t q = op->i[0] ? op->i[0] : remaining;
    if (q <= 0) return epv__error(r->ctx, EPV_ERANGE, "quantity_tco2e: nothing left to issue on '%s'", op->s[0]);
    if (q > remaining)
        return epv__error(r->ctx, EPV_ERANGE, "quantity_tco2e: %lld exceeds verified - deductions - issued = %lld",
                          (long long)q, (long long)remaining);
    if (p->next_serial > INT64_MAX - q) return epv__error(r->ctx, EPV_ERANGE, "quantity_tco2e: serials exhausted");
    int64_t bp = p->buffer_bp < 0 ? r->buffer_bp : p->buffer_bp;
    int64_t b = p->forestry ? (q * bp + 9999) / 10000 : 0; /* rounded up, as ledger_blocks.c */
    int64_t s = p->next_serial, e = s + q - 1;
    if (q - b > 0) {
        struct blk x = { s, e - b, v->vintage, seq, 0, owner, EPV_LEDGER_HELD };
        if ((rc = blk_insert(r, p, &x)) ||
            (rc = event(r, seq, v->project, s, e - b, EV_ISSUE, "", owner, EPV_LEDGER_HELD)))
            return rc;
    }
    if (b > 0) {
        struct blk x = { e - b + 1, e, v->vintage, seq, 0, r->buffer_acct, EPV_LEDGER_BUFFER };
        if ((rc = blk_insert(r, p, &x)) ||
            (rc = event(r, seq, v->project, e - b + 1, e, EV_ISSUE, "", r->buffer_acct, EPV_LEDGER_BUFFER)))
            return rc;
    }
    v->issued += q;
    p->next_serial = e + 1;
    size_t t = 0;
    while (t < p->ntot && p->tot[t].vintage != v->vintage) t++;
    if (t == p->ntot) {
        if (epv__grow(r->ctx, (void **)&p->tot, &p->captot, p->ntot + 1, sizeof *p->tot)) return EPV_ENOMEM;
        p->tot[t].vintage = v->vintage;
        p->tot[t].issued = 0;
        p->ntot++;
    }
    p->tot[t].issued += q;
    if (epv__grow(r->ctx, (void **)&r->iss, &r->capiss, r->niss + 1, sizeof *r->iss)) return EPV_ENOMEM;
    struct issuance *x = &r->iss[r->niss++];
    x->seq = seq;
    x->report = v->report;
    x->project = v->project;
    x->vintage = v->vintage;
    x->start = s;
    x->end = e;
    x->buffer = b;
    res[0] = s;
    res[1] = e;
    res[2] = b;
    res[3] = v->vintage;
    return EPV_OK;
}

/* Buffer units of one project, lowest serials first, as pieces (at most *need units). */
static int take_buffer(struct epv__lrp *r, size_t pk, int64_t *need, struct pieces *out)
{
    struct project *p = &r->proj[pk];
    struct holding *h = holding_get(r, p, r->buffer_acct, 0);
    if (!h) return EPV_OK;
    const struct sv *set = &h->set[EPV_LEDGER_BUFFER];
    for (size_t c = 0, i = 0; *need > 0 && sv_valid(set, c); sv_next(set, &c, &i)) {
        const struct blk *b = sv_find(&p->blocks, *(const int64_t *)sv_at(set, c, i));
        int64_t take = b->end - b->start + 1 < *need ? b->end - b->start + 1 : *need;
        if (pieces_add_head(r->ctx, out, pk, b, take)) return EPV_ENOMEM;
        *need -= take;
    }
    return EPV_OK;
}

struct id_ix {
    const char *id;
    size_t k;
};

static int cmp_id_ix(const void *a, const void *b)
{
    return strcmp(((const struct id_ix *)a)->id, ((const struct id_ix *)b)->id);
}

/* Indexes 0..nproj-1 in id order (allocated). */
static size_t *projects_by_id(struct epv__lrp *r)
{
    size_t n = r->nproj ? r->nproj : 1;
    struct id_ix *t = epv__malloc(r->ctx, n * sizeof *t);
    size_t *ix = epv__malloc(r->ctx, n * sizeof *ix);
    if (!t || !ix) {
        epv__free(r->ctx, t);
        epv__free(r->ctx, ix);
        return NULL;
    }
    for (size_t k = 0; k < r->nproj; k++) {
        t[k].id = r->proj[k].id;
        t[k].k = k;
    }
    qsort(t, r->nproj, sizeof *t, cmp_id_ix);
    for (size_t k = 0; k < r->nproj; k++) ix[k] = t[k].k;
    epv__free(r->ctx, t);
    return ix;
}

static int ap_reverse(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    size_t pk;
    int rc = project_named(r, op->s[0], "project", &pk);
    if (rc) return rc;
    if (!r->proj[pk].forestry)
        return epv__error(r->ctx, EPV_ESTATE, "project: '%s' is not a forestry project (no buffer)", op->s[0]);
    if (op->i[0] <= 0 || op->i[0] > EPV__L_MAX_UNITS)
        return epv__error(r->ctx, EPV_ERANGE, "loss_tco2e: %lld must be in 1..1e15", (long long)op->i[0]);
    if ((rc = epv__lg_check_days(r->ctx, op->i[1], "date"))) return rc;
    struct pieces p = { NULL, 0, 0 };
    int64_t need = op->i[0];
    rc = take_buffer(r, pk, &need, &p); /* the project's own buffer units first */
    if (!rc && need > 0) {               /* then the pool, by (project, serial) */
        size_t *ix = projects_by_id(r);
        if (!ix) rc = EPV_ENOMEM;
        for (size_t k = 0; !rc && k < r->nproj && need > 0; k++)
            if (ix[k] != pk) rc = take_buffer(r, ix[k], &need, &p);
        epv__free(r->ctx, ix);
    }
    for (size_t k = 0; k < p.n && !rc; k++)
        rc = move_range(r, seq, &p.v[k], r->buffer_acct, EPV_LEDGER_CANCELLED, seq, EV_REVERSE, r->buffer_acct);
    epv__free(r->ctx, p.v);
    if (rc) return rc;
    res[0] = op->i[0] - need;
    res[1] = need;
    return EPV_OK;
}

static int64_t obligation(struct epv__lrp *r, const char *project)
{
    char key[EPV__L_MAX_ID + 16];
    snprintf(key, sizeof key, "obligation:%s", project);
    size_t k = smap_get(&r->metamap, key);
    return k == NONE ? 0 : r->meta[k].ival;
}

static int obligation_add(struct epv__lrp *r, const char *project, int64_t delta)
{
    int64_t cur = obligation(r, project);
    if (cur + delta < 0)
        return epv__error(r->ctx, EPV_ERANGE, "count: %lld units exceed the reversal obligation of project '%s' (%lld)",
                          (long long)-delta, project, (long long)cur);
    if (cur + delta > EPV__L_MAX_UNITS)
        return epv__error(r->ctx, EPV_ERANGE, "obligation of project '%s' would exceed 1e15 units", project);
    char key[EPV__L_MAX_ID + 16];
    snprintf(key, sizeof key, "obligation:%s", project);
    return meta_set(r, key, cur + delta, "");
}

static int ap_settle(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, int64_t res[EPV__L_NRES])
{
    size_t pk;
    int rc = project_named(r, op->s[1], "project", &pk);
    if (rc) return rc;
    int64_t owed = obligation(r, op->s[1]);
    if (owed == 0) return epv__error(r->ctx, EPV_ESTATE, "project: '%s' has no reversal obligation", op->s[1]);
    struct epv__lop c = *op;
    c.kind = EPV__L_CANCEL;
    c.s[1] = "reversal compensation";
    if ((rc = epv__lg_check_settle(r->ctx, op, owed)) || (rc = ap_units(r, &c, seq, res))) return rc;
    if ((rc = obligation_add(r, op->s[1], -res[1]))) {
        r->broken = 1;
        return rc;
    }
    res[0] = owed - res[1];
    return EPV_OK;
}

int epv__lrp_apply(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, const unsigned char hash[32])
{
    int64_t res[EPV__L_NRES];
    return epv__lrp_apply_res(r, op, seq, hash, res);
}

int epv__lrp_apply_res(struct epv__lrp *r, const struct epv__lop *op, int64_t seq, const unsigned char hash[32],
                       int64_t res[EPV__L_NRES])
{
    for (int k = 0; k < EPV__L_NRES; k++) res[k] = 0;
    int stage = 0; /* 1 once a change was made that a later check may refuse */
    int rc = epv__lg_check_req(r->ctx, op->req);
    if (rc) return rc;
    if (seq != r->seq + 1) return epv__error(r->ctx, EPV_ECORRUPT, "entry numbering differs on replay");
    if (smap_get(&r->reqmap, op->req) != NONE)
        return epv__error(r->ctx, EPV_ECORRUPT, "request_id '%s' appears twice in the journal", op->req);
    if (op->kind != EPV__L_GENESIS && seq == 1)
        return epv__error(r->ctx, EPV_ECORRUPT, "journal: the first entry must be genesis");
    r->ev_n = 0;
    switch (op->kind) {
    case EPV__L_GENESIS: rc = ap_genesis(r, op, seq); break;
    case EPV__L_ACCOUNT_OPEN: rc = ap_account_open(r, op); break;
    case EPV__L_ACCOUNT_STATUS: rc = ap_account_status(r, op); break;
    case EPV__L_PROJECT_REGISTER: rc = ap_project_register(r, op); break;
    case EPV__L_PROJECT_STATUS: rc = ap_project_status(r, op); break;
    case EPV__L_PERIOD_ADD: rc = ap_period_add(r, op, res); break;
    case EPV__L_VERIFY: rc = ap_verify(r, op); break;
    case EPV__L_ISSUE: rc = ap_issue(r, op, seq, res); break;
    case EPV__L_TRANSFER:
    case EPV__L_RETIRE:
    case EPV__L_CANCEL: rc = ap_units(r, op, seq, res); break;
    case EPV__L_REVERSE: rc = ap_reverse(r, op, seq, res); break;
    case EPV__L_PROJECT_RISK: rc = ap_project_risk(r, op, res); break;
    case EPV__L_REVERSAL:
        rc = ap_reverse(r, op, seq, res);
        /* the pool's units are already cancelled when the obligation's bound refuses */
        if (!rc && res[1] > 0) {
            stage = 1;
            rc = obligation_add(r, op->s[0], res[1]);
        }
        break;
    case EPV__L_SETTLE: rc = ap_settle(r, op, seq, res); break;
    default: rc = epv__error(r->ctx, EPV_EINVAL, "operation kind %d is unknown", op->kind);
    }
    if (rc) {
        /* Whether the refusal may have changed the model. The rules are checked before the
         * first change, except where `stage` says otherwise: a refusal then leaves the model as
         * it was, which the live layout relies on (a refused operation costs nothing); else the
         * model is marked broken and the live layout rebuilds it from the journal. */
        if (rc == EPV_ENOMEM || rc == EPV_ECORRUPT || stage) r->broken = 1;
        return rc;
    }
    if (epv__grow(r->ctx, (void **)&r->req, &r->capreq, r->nreq + 1, sizeof *r->req)) return EPV_ENOMEM;
    struct request *q = &r->req[r->nreq];
    q->req = intern(r, op->req);
    q->seq = seq;
    memcpy(q->r, res, sizeof q->r);
    if (!q->req || smap_put(r->ctx, &r->reqmap, q->req, r->nreq)) return EPV_ENOMEM;
    r->nreq++;
    r->seq = seq;
    memcpy(r->hash, hash, 32);
    return EPV_OK;
}

/* ---- what the live layout asks of the model ------------------------------------------- */

void epv__lrp_head(const struct epv__lrp *r, int64_t *seq, unsigned char hash[32])
{
    *seq = r->seq;
    memcpy(hash, r->hash, 32);
}

int epv__lrp_broken(const struct epv__lrp *r) { return r->broken; }

int epv__lrp_request(const struct epv__lrp *r, const char *req, int64_t *seq, int64_t res[EPV__L_NRES])
{
    size_t k = smap_get(&r->reqmap, req);
    if (k == NONE) return 0;
    *seq = r->req[k].seq;
    memcpy(res, r->req[k].r, sizeof r->req[k].r);
    return 1;
}

/* ---- digest: the derived tables' rows, in each table's key order ----------------------- */


static uint64_t key_prefix(const char *s)
{
    uint64_t v = 0;
    int k = 0;
    for (; k < 8 && s[k]; k++) v = v << 8 | (unsigned char)s[k];
    return v << (8 * (8 - k));
}

static int cmp_skey(const void *a, const void *b)
{
    const struct skey *x = a, *y = b;
    if (x->pre != y->pre) return x->pre < y->pre ? -1 : 1;
    /* equal prefixes: equal up to the first NUL, or the keys go on past 8 bytes */
    return (x->pre & 0xff) ? strcmp(x->key + 8, y->key + 8) : 0;
}

static void skey_set(struct skey *k, const char *key, size_t row)
{
    k->pre = key_prefix(key);
    k->row = row;
    k->key = key;
}

/* Index of n rows of size es, sorted by their first (string) member. */
static struct skey *by_key(struct epv__lrp *r, const void *rows, size_t n, size_t es)
{
    struct skey *ix = epv__malloc(r->ctx, (n ? n : 1) * sizeof *ix);
    if (!ix) return NULL;
    for (size_t k = 0; k < n; k++) skey_set(&ix[k], *(const char *const *)((const char *)rows + k * es), k);
    qsort(ix, n, sizeof *ix, cmp_skey);
    return ix;
}

/* The requests in key order. Requests are only ever appended, and a verification digests the
 * model twice when it passes its last checkpoint: the index is kept, and later digests sort
 * only the requests added since and merge them in. */
static int requests_by_key(struct epv__lrp *r)
{
    if (r->nqix == r->nreq) return EPV_OK;
    size_t nt = r->nreq - r->nqix;
    struct skey *t = epv__malloc(r->ctx, nt * sizeof *t);
    struct skey *m = epv__malloc(r->ctx, r->nreq * sizeof *m);
    if (!t || !m) {
        epv__free(r->ctx, t);
        epv__free(r->ctx, m);
        return EPV_ENOMEM;
    }
    for (size_t k = 0; k < nt; k++) skey_set(&t[k], r->req[r->nqix + k].req, r->nqix + k);
    qsort(t, nt, sizeof *t, cmp_skey);
    size_t a = 0, b = 0, o = 0;
    while (a < r->nqix && b < nt) m[o++] = cmp_skey(&r->qix[a], &t[b]) <= 0 ? r->qix[a++] : t[b++];
    while (a < r->nqix) m[o++] = r->qix[a++];
    while (b < nt) m[o++] = t[b++];
    epv__free(r->ctx, t);
    epv__free(r->ctx, r->qix);
    r->qix = m;
    r->nqix = r->nreq;
    return EPV_OK;
}

static void dig_str(struct epv__ldig *d, const char *s) { epv__ldig_text(d, s, strlen(s)); }

static int cmp_total(const void *a, const void *b)
{
    const struct total *x = a, *y = b;
    return x->vintage < y->vintage ? -1 : x->vintage > y->vintage;
}

int epv__lrp_digest(struct epv__lrp *r, unsigned char out[32])
{
    struct epv__ldig d;
    int rc = epv__ldig_begin(r->ctx, r->l->md_alg, &d);
    if (rc) return rc;
    size_t *pix = projects_by_id(r);
    struct skey *mix = by_key(r, r->meta, r->nmeta, sizeof *r->meta);
    struct skey *aix = by_key(r, r->acct, r->nacct, sizeof *r->acct);
    struct skey *vix = by_key(r, r->ver, r->nver, sizeof *r->ver);
    if (!pix || !mix || !aix || !vix || requests_by_key(r)) {
        rc = EPV_ENOMEM;
        goto out;
    }

    epv__ldig_table(&d, EPV__LD_HEAD);
    if (r->seq > 0) {
        epv__ldig_int(&d, 1);
        epv__ldig_int(&d, r->seq);
        epv__ldig_blob(&d, r->hash, 32);
    }
    epv__ldig_table(&d, EPV__LD_META);
    for (size_t k = 0; k < r->nmeta; k++) {
        const struct meta_row *m = &r->meta[mix[k].row];
        dig_str(&d, m->key);
        epv__ldig_int(&d, m->ival);
        dig_str(&d, m->tval);
    }
    epv__ldig_table(&d, EPV__LD_REQUESTS);
    for (size_t k = 0; k < r->nreq; k++) {
        const struct request *q = &r->req[r->qix[k].row];
        dig_str(&d, q->req);
        epv__ldig_int(&d, q->seq);
        for (int j = 0; j < EPV__L_NRES; j++) epv__ldig_int(&d, q->r[j]);
    }
    epv__ldig_table(&d, EPV__LD_ACCOUNTS);
    for (size_t k = 0; k < r->nacct; k++) {
        const struct account *a = &r->acct[aix[k].row];
        dig_str(&d, a->id);
        dig_str(&d, a->entity);
        epv__ldig_int(&d, a->kind);
        epv__ldig_int(&d, a->status);
    }
    epv__ldig_table(&d, EPV__LD_PROJECTS);
    for (size_t k = 0; k < r->nproj; k++) {
        const struct project *p = &r->proj[pix[k]];
        dig_str(&d, p->id);
        dig_str(&d, p->name);
        dig_str(&d, p->methodology);
        dig_str(&d, p->owner);
        epv__ldig_int(&d, p->cstart);
        epv__ldig_int(&d, p->cend);
        epv__ldig_int(&d, p->forestry);
        epv__ldig_int(&d, p->buffer_bp);
        epv__ldig_int(&d, p->status);
        epv__ldig_int(&d, p->next_serial);
    }
    epv__ldig_table(&d, EPV__LD_PERIODS);
    for (size_t k = 0; k < r->nproj; k++) {
        const struct project *p = &r->proj[pix[k]];
        for (size_t j = 0; j < p->nper; j++) {
            dig_str(&d, p->id);
            epv__ldig_int(&d, (int64_t)j + 1);
            epv__ldig_int(&d, p->per[j].start);
            epv__ldig_int(&d, p->per[j].end);
        }
    }
    epv__ldig_table(&d, EPV__LD_VERIFICATIONS);
    for (size_t k = 0; k < r->nver; k++) {
        const struct verification *v = &r->ver[vix[k].row];
        dig_str(&d, v->report);
        dig_str(&d, r->proj[v->project].id);
        epv__ldig_int(&d, v->num);
        dig_str(&d, v->verifier);
        epv__ldig_int(&d, v->verified);
        epv__ldig_int(&d, v->deduction);
        epv__ldig_int(&d, v->issued);
        epv__ldig_int(&d, v->applied);
        epv__ldig_int(&d, v->vintage);
    }
    epv__ldig_table(&d, EPV__LD_ISSUANCES);
    for (size_t k = 0; k < r->niss; k++) { /* appended in entry order = key order */
        const struct issuance *x = &r->iss[k];
        epv__ldig_int(&d, x->seq);
        dig_str(&d, x->report);
        dig_str(&d, r->proj[x->project].id);
        epv__ldig_int(&d, x->vintage);
        epv__ldig_int(&d, x->start);
        epv__ldig_int(&d, x->end);
        epv__ldig_int(&d, x->buffer);
    }
    epv__ldig_table(&d, EPV__LD_BLOCKS);
    for (size_t k = 0; k < r->nproj; k++) {
        const struct project *p = &r->proj[pix[k]];
        for (size_t c = 0, i = 0; sv_valid(&p->blocks, c); sv_next(&p->blocks, &c, &i)) {
            const struct blk *b = sv_at(&p->blocks, c, i);
            dig_str(&d, p->id);
            epv__ldig_int(&d, b->start);
            epv__ldig_int(&d, b->end);
            epv__ldig_int(&d, b->vintage);
            epv__ldig_int(&d, b->iss);
            dig_str(&d, b->acct);
            epv__ldig_int(&d, b->status);
            epv__ldig_int(&d, b->cert);
        }
    }
    epv__ldig_table(&d, EPV__LD_TOTALS);
    for (size_t k = 0; k < r->nproj; k++) {
        struct project *p = &r->proj[pix[k]];
        if (p->ntot > 1) qsort(p->tot, p->ntot, sizeof *p->tot, cmp_total);
        for (size_t j = 0; j < p->ntot; j++) {
            dig_str(&d, p->id);
            epv__ldig_int(&d, p->tot[j].vintage);
            epv__ldig_int(&d, p->tot[j].issued);
        }
    }
    epv__ldig_table(&d, EPV__LD_RETIREMENTS);
    for (size_t k = 0; k < r->nret; k++) { /* cert = entry number: appended in key order */
        const struct retirement *x = &r->ret[k];
        epv__ldig_int(&d, x->cert);
        dig_str(&d, x->account);
        dig_str(&d, x->beneficiary);
        dig_str(&d, x->reason);
        epv__ldig_int(&d, x->date);
        dig_str(&d, r->proj[x->project].id);
        epv__ldig_int(&d, x->units);
    }
    epv__ldig_table(&d, EPV__LD_EVENTS);
    for (size_t k = 0; k < r->nproj; k++) { /* (project, start, seq, n): the lists' order */
        const struct project *p = &r->proj[pix[k]];
        for (size_t c = 0, i = 0; sv_valid(&p->events, c); sv_next(&p->events, &c, &i)) {
            const struct evlist *b = sv_at(&p->events, c, i);
            for (uint32_t e = b->head; e != EV_END; e = r->ev[e].next) {
                const struct event *x = &r->ev[e];
                epv__ldig_int(&d, x->seq);
                epv__ldig_int(&d, x->n);
                dig_str(&d, p->id);
                epv__ldig_int(&d, x->start);
                epv__ldig_int(&d, x->end);
                dig_str(&d, event_kinds[x->kind]);
                dig_str(&d, x->from);
                dig_str(&d, x->to);
                epv__ldig_int(&d, x->status);
            }
        }
    }
out:
    epv__free(r->ctx, pix);
    epv__free(r->ctx, mix);
    epv__free(r->ctx, aix);
    epv__free(r->ctx, vix);
    int e2 = epv__ldig_end(r->ctx, &d, rc ? NULL : out);
    return rc ? rc : e2;
}

/* ---- invariants of the model (the SQL checks of ledger_verify.c, on the rows in memory) --- */

struct vsum { /* units per (project, vintage) or per issuance */
    int64_t key, n, lo, hi;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int broken(struct epv__lrp *r, const char *what, const char *at, long long n)
{
    return epv__error(r->ctx, EPV_ECORRUPT, "invariant %s (at %s, %lld)", what, at, n);
}

int epv__lrp_check_invariants(struct epv__lrp *r)
{
    /* 13: obligations */
    for (size_t k = 0; k < r->nmeta; k++) {
        const struct meta_row *m = &r->meta[k];
        if (strncmp(m->key, "obligation:", 11)) continue;
        if (m->ival < 0 || project_index(r, m->key + 11) == NONE)
            return broken(r, "13 reversal obligations are non-negative and belong to a project", m->key, m->ival);
    }
    /* per issuance: units, lowest and highest serial of its blocks (issuances are in seq order) */
    struct vsum *is = epv__calloc(r->ctx, r->niss ? r->niss : 1, sizeof *is);
    if (!is) return EPV_ENOMEM;
    int rc = EPV_OK;
    for (size_t k = 0; k < r->niss; k++) {
        is[k].key = r->iss[k].seq;
        is[k].lo = INT64_MAX;
        is[k].hi = INT64_MIN;
    }
    for (size_t pk = 0; pk < r->nproj && !rc; pk++) {
        struct project *p = &r->proj[pk];
        int64_t *vn = epv__calloc(r->ctx, p->ntot ? p->ntot : 1, sizeof *vn); /* units per vintage */
        if (!vn) {
            rc = EPV_ENOMEM;
            break;
        }
        int64_t prev_end = 0;
        int first = 1;
        for (size_t c = 0, i = 0; !rc && sv_valid(&p->blocks, c); sv_next(&p->blocks, &c, &i)) {
            const struct blk *b = sv_at(&p->blocks, c, i);
            size_t t = 0;
            while (t < p->ntot && p->tot[t].vintage != b->vintage) t++;
            struct vsum key = { b->iss, 0, 0, 0 };
            struct vsum *x = bsearch(&key, is, r->niss, sizeof *is, cmp_i64);
            const struct account *a = account_find(r, b->acct);
            if (t == p->ntot) rc = broken(r, "1 conservation: units without an issuance total", p->id, b->start);
            else if (b->end < b->start || b->start < 1) rc = broken(r, "2 block count below 1", p->id, b->start);
            else if (!first && prev_end >= b->start) rc = broken(r, "3 overlapping serial ranges", p->id, b->start);
            else if (!x || r->iss[x - is].project != pk || r->iss[x - is].vintage != b->vintage)
                rc = broken(r, "3 units of no recorded issuance", p->id, b->start);
            else if (b->end >= p->next_serial)
                rc = broken(r, "3 serials at or beyond the project's next serial", p->id, b->end);
            else if ((b->status == EPV_LEDGER_BUFFER && b->acct != r->buffer_acct) ||
                     (b->acct == r->buffer_acct && (b->status == EPV_LEDGER_HELD || b->status == EPV_LEDGER_RETIRED)))
                rc = broken(r, "8 buffer units outside the buffer account, or holder units inside it", p->id, b->start);
            else if (!a) rc = broken(r, "12 units held by an unknown account", p->id, b->start);
            else if (a->status == EPV_LEDGER_ACCOUNT_CLOSED && b->status <= EPV_LEDGER_BUFFER)
                rc = broken(r, "12 units held by a closed account", p->id, b->start);
            if (rc) break;
            vn[t] += b->end - b->start + 1;
            x->n += b->end - b->start + 1;
            if (b->start < x->lo) x->lo = b->start;
            if (b->end > x->hi) x->hi = b->end;
            prev_end = b->end;
            first = 0;
        }
        for (size_t t = 0; !rc && t < p->ntot; t++)
            if (vn[t] != p->tot[t].issued)
                rc = broken(r, "1 conservation: issued differs from held + buffer + retired + cancelled", p->id,
                            p->tot[t].vintage);
        epv__free(r->ctx, vn);
        /* 7: periods disjoint */
        for (size_t a = 0; !rc && a < p->nper; a++)
            for (size_t b = a + 1; !rc && b < p->nper; b++)
                if (p->per[a].start <= p->per[b].end && p->per[b].start <= p->per[a].end)
                    rc = broken(r, "7 overlapping monitoring periods", p->id, (long long)a + 1);
    }
    for (size_t k = 0; !rc && k < r->niss; k++) {
        const struct issuance *x = &r->iss[k];
        if (is[k].n != x->end - x->start + 1 || is[k].lo != x->start || is[k].hi != x->end)
            rc = broken(r, "3 an issuance's blocks do not cover its range exactly", "issuance", x->seq);
    }
    /* 7: issued <= verified - deductions, and equal to the issuances against the report */
    int64_t *issued = rc ? NULL : epv__calloc(r->ctx, r->nver ? r->nver : 1, sizeof *issued);
    if (!rc && !issued) rc = EPV_ENOMEM;
    for (size_t k = 0; !rc && k < r->niss; k++) {
        size_t v = smap_get(&r->vermap, r->iss[k].report);
        if (v != NONE) issued[v] += r->iss[k].end - r->iss[k].start + 1;
    }
    for (size_t k = 0; !rc && k < r->nver; k++) {
        const struct verification *v = &r->ver[k];
        if (v->issued > v->verified - v->deduction || v->issued != issued[k])
            rc = broken(r, "7 issued above verified - deductions", v->report, v->issued);
    }
    epv__free(r->ctx, issued);
    epv__free(r->ctx, is);
    return rc;
}

/* ---- live model queries -----------------------------------------------------------------
 * The queries of ledger_query.c, ledger_cadt.c and ledger_risk.c answered from the model (the
 * live layout keeps no derived tables): the same results, row order and errors as their SQL.
 * Callbacks may call the ledger's read functions, which sync and read this same model: a
 * callback receives copies, and a walk resumes by key after it instead of keeping positions or
 * pointers into vectors that an apply could move. */

/* Sums as SQL's SUM: an error instead of a wrapped integer (SQLite: "integer overflow"). */
static int sum_add(struct epv__lrp *r, int64_t *sum, int64_t n, const char *what)
{
    if (n > 0 && *sum > INT64_MAX - n) return epv__error(r->ctx, EPV_ERANGE, "ledger: %s: integer overflow", what);
    *sum += n;
    return EPV_OK;
}

/* One project's units with the optional account, vintage and status filters. Held and buffer
 * units of one account come from its holding sets; the other cases scan the project's blocks. */
static int balance_project(struct epv__lrp *r, struct project *p, const char *account, int vintage, int status,
                           int64_t *sum)
{
    int rc = EPV_OK;
    if (account && (status == EPV_LEDGER_HELD || status == EPV_LEDGER_BUFFER)) {
        struct holding *h = holding_get(r, p, account, 0);
        const struct sv *set = h ? &h->set[status] : NULL;
        for (size_t c = 0, i = 0; !rc && set && sv_valid(set, c); sv_next(set, &c, &i)) {
            const struct blk *b = sv_find(&p->blocks, *(const int64_t *)sv_at(set, c, i));
            if (!vintage || b->vintage == vintage) rc = sum_add(r, sum, b->end - b->start + 1, "balance");
        }
        return rc;
    }
    for (size_t c = 0, i = 0; !rc && sv_valid(&p->blocks, c); sv_next(&p->blocks, &c, &i)) {
        const struct blk *b = sv_at(&p->blocks, c, i);
        if ((!account || !strcmp(b->acct, account)) && (!vintage || b->vintage == vintage) &&
            (status < 0 || b->status == status))
            rc = sum_add(r, sum, b->end - b->start + 1, "balance");
    }
    return rc;
}

int epv__lrp_balance(struct epv__lrp *r, const char *account, const char *project, int vintage, int status,
                     int64_t *units)
{
    int64_t sum = 0;
    int rc = EPV_OK;
    if (project) {
        size_t pk = project_index(r, project);
        if (pk != NONE) rc = balance_project(r, &r->proj[pk], account, vintage, status, &sum);
    } else {
        for (size_t pk = 0; !rc && pk < r->nproj; pk++)
            rc = balance_project(r, &r->proj[pk], account, vintage, status, &sum);
    }
    if (!rc) *units = sum;
    return rc;
}

/* One project's units by status, and its issued total, with the optional vintage filter. */
static int totals_project(struct epv__lrp *r, const struct project *p, int vintage, epv_ledger_totals *out)
{
    int rc = EPV_OK;
    for (size_t c = 0, i = 0; !rc && sv_valid(&p->blocks, c); sv_next(&p->blocks, &c, &i)) {
        const struct blk *b = sv_at(&p->blocks, c, i);
        if (vintage && b->vintage != vintage) continue;
        int64_t *to = b->status == EPV_LEDGER_HELD      ? &out->held
                      : b->status == EPV_LEDGER_BUFFER  ? &out->buffer
                      : b->status == EPV_LEDGER_RETIRED ? &out->retired
                                                        : &out->cancelled; /* as the SQL's default case */
        rc = sum_add(r, to, b->end - b->start + 1, "totals");
    }
    for (size_t t = 0; !rc && t < p->ntot; t++)
        if (!vintage || p->tot[t].vintage == vintage) rc = sum_add(r, &out->issued, p->tot[t].issued, "totals");
    return rc;
}

int epv__lrp_totals(struct epv__lrp *r, const char *project, int vintage, epv_ledger_totals *out)
{
    epv_ledger_totals t;
    memset(&t, 0, sizeof t);
    t.version = EPV_LEDGER_TOTALS_VERSION;
    int rc = EPV_OK;
    if (project) {
        size_t pk = project_index(r, project);
        if (pk != NONE) rc = totals_project(r, &r->proj[pk], vintage, &t);
    } else {
        for (size_t pk = 0; !rc && pk < r->nproj; pk++) rc = totals_project(r, &r->proj[pk], vintage, &t);
    }
    if (!rc) *out = t;
    return rc;
}

/* Visit a project's blocks (those of one account, if given) in serial order. Each visit gets a
 * copy of its block; the walk then looks up the next block by key, so a visit may run queries
 * that move the vector's hint or its chunks. A nonzero return of a visit ends the walk. */
typedef int (*blk_visit)(struct epv__lrp *r, size_t pk, const struct blk *b, void *payload);

static int walk_project(struct epv__lrp *r, size_t pk, const char *account, blk_visit visit, void *payload)
{
    int64_t at = INT64_MIN; /* the next block starts at or after this */
    for (;;) {
        const struct sv *v = &r->proj[pk].blocks;
        const struct blk *b = NULL;
        size_t c, i;
        for (sv_lower(v, at, &c, &i); sv_valid(v, c); sv_next(v, &c, &i)) {
            b = sv_at(v, c, i);
            if (!account || !strcmp(b->acct, account)) break;
            b = NULL;
        }
        if (!b) return EPV_OK;
        struct blk copy = *b;
        int rc = visit(r, pk, &copy, payload);
        if (rc || copy.start == INT64_MAX) return rc;
        at = copy.start + 1;
    }
}

/* All blocks (or one project's), by project id in strcmp order (SQL's ORDER BY project under
 * SQLite's BINARY and PostgreSQL's "C" collation), then by first serial. */
static int walk_blocks(struct epv__lrp *r, const char *project, const char *account, blk_visit visit, void *payload)
{
    if (project) {
        size_t pk = project_index(r, project);
        return pk == NONE ? EPV_OK : walk_project(r, pk, account, visit, payload);
    }
    size_t n = r->nproj; /* projects a visit's queries might add are not this walk's */
    size_t *ix = projects_by_id(r);
    if (!ix) return EPV_ENOMEM;
    int rc = EPV_OK;
    for (size_t k = 0; !rc && k < n; k++) rc = walk_project(r, ix[k], account, visit, payload);
    epv__free(r->ctx, ix);
    return rc;
}

static void block_row(const struct epv__lrp *r, size_t pk, const struct blk *b, epv_ledger_block *out)
{
    out->version = EPV_LEDGER_BLOCK_VERSION;
    out->project = r->proj[pk].id; /* arena strings: they outlive any change of the vectors */
    out->serial_start = b->start;
    out->serial_end = b->end;
    out->count = b->end - b->start + 1;
    out->vintage = (int)b->vintage;
    out->issuance = b->iss;
    out->account = b->acct;
    out->status = b->status;
    out->certificate = b->cert;
}

struct blocks_cb {
    epv_ledger_block_fn fn;
    void *payload;
};

static int blocks_visit(struct epv__lrp *r, size_t pk, const struct blk *b, void *payload)
{
    const struct blocks_cb *cb = payload;
    epv_ledger_block row;
    block_row(r, pk, b, &row);
    int ret = cb->fn(&row, cb->payload);
    return ret ? epv__callback_failed(r->ctx, "epv_ledger_block_fn", ret, "epv_ledger_blocks") : EPV_OK;
}

int epv__lrp_blocks(struct epv__lrp *r, const char *project, const char *account, epv_ledger_block_fn fn,
                    void *payload)
{
    struct blocks_cb cb = { fn, payload };
    return walk_blocks(r, project, account, blocks_visit, &cb);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The events of project pk whose range holds `serial`, as indexes into r->ev in ascending order:
 * events are appended in (seq, n) order, so that is the SQL's ORDER BY seq, n. */
static int history_events(struct epv__lrp *r, size_t pk, int64_t serial, uint32_t **out, size_t *n)
{
    const struct sv *v = &r->proj[pk].events;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t c = 0, i = 0; sv_valid(v, c); sv_next(v, &c, &i)) {
        const struct evlist *b = sv_at(v, c, i);
        if (b->start > serial) break;
        for (uint32_t e = b->head; e != EV_END; e = r->ev[e].next) {
            if (r->ev[e].end < serial) continue;
            if (epv__grow(r->ctx, (void **)out, &cap, *n + 1, sizeof **out)) return EPV_ENOMEM;
            (*out)[(*n)++] = e;
        }
    }
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_u32);
    return EPV_OK;
}

int epv__lrp_serial_history(struct epv__lrp *r, const char *project, int64_t serial, epv_ledger_event_fn fn,
                            void *payload)
{
    size_t pk = project_index(r, project), n = 0;
    uint32_t *ix = NULL;
    int rc = pk == NONE ? EPV_OK : history_events(r, pk, serial, &ix, &n);
    for (size_t k = 0; !rc && k < n; k++) {
        const struct event *x = &r->ev[ix[k]]; /* read afresh: a callback's query may grow r->ev */
        epv_ledger_event e;
        e.version = EPV_LEDGER_EVENT_VERSION;
        e.entry = x->seq;
        e.kind = event_kinds[x->kind];
        e.serial_start = x->start;
        e.serial_end = x->end;
        e.from_account = x->from;
        e.to_account = x->to;
        e.status = x->status;
        int ret = fn(&e, payload);
        if (ret) rc = epv__callback_failed(r->ctx, "epv_ledger_event_fn", ret, "epv_ledger_serial_history");
    }
    epv__free(r->ctx, ix);
    if (!rc && n == 0)
        rc = epv__error(r->ctx, EPV_ENOTFOUND, "serial: %lld of '%s' was never issued", (long long)serial, project);
    return rc;
}

/* The retirement with certificate `cert`, or NULL: certificates are entry numbers, appended in
 * ascending order. */
static const struct retirement *retirement_find(const struct epv__lrp *r, int64_t cert)
{
    size_t lo = 0, hi = r->nret;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->ret[mid].cert < cert) lo = mid + 1;
        else hi = mid;
    }
    return lo < r->nret && r->ret[lo].cert == cert ? &r->ret[lo] : NULL;
}

int epv__lrp_certificate(struct epv__lrp *r, int64_t number, epv_ledger_certificate_fn fn, void *payload)
{
    const struct retirement *x = retirement_find(r, number);
    if (!x) return epv__error(r->ctx, EPV_ENOTFOUND, "certificate: no certificate %lld", (long long)number);
    epv_ledger_certificate c;
    c.version = EPV_LEDGER_CERTIFICATE_VERSION;
    c.number = number;
    c.account = x->account;
    c.beneficiary = x->beneficiary;
    c.reason = x->reason;
    epv__lg_days_to_date(x->date, &c.date);
    c.project = r->proj[x->project].id;
    c.units = x->units;
    int ret = fn(&c, payload);
    return ret ? epv__callback_failed(r->ctx, "epv_ledger_certificate_fn", ret, "epv_ledger_certificate_get")
               : EPV_OK;
}

int epv__lrp_obligation(struct epv__lrp *r, const char *project, int64_t *units)
{
    /* an id too long for the key buffer names no project, and obligation() would truncate it
     * into another project's key */
    *units = strlen(project) > EPV__L_MAX_ID ? 0 : obligation(r, project);
    return EPV_OK;
}

static int64_t block_count(const struct project *p)
{
    int64_t n = 0;
    for (size_t c = 0; c < p->blocks.nch; c++) n += (int64_t)p->blocks.ch[c]->n;
    return n;
}

int epv__lrp_cadt_count(struct epv__lrp *r, const char *project, int64_t *n)
{
    *n = 0;
    if (project) {
        size_t pk = project_index(r, project);
        if (pk != NONE) *n = block_count(&r->proj[pk]);
        return EPV_OK;
    }
    for (size_t pk = 0; pk < r->nproj; pk++) *n += block_count(&r->proj[pk]);
    return EPV_OK;
}

struct cadt_cb {
    epv__lrp_cadt_fn fn;
    void *payload;
};

/* The export's join: the holder's entity, the project's forestry flag, and for retired units
 * their certificate's beneficiary and reason ("" where the SQL's COALESCE gives ''). */
static int cadt_visit(struct epv__lrp *r, size_t pk, const struct blk *b, void *payload)
{
    const struct cadt_cb *cb = payload;
    struct epv__lrp_cadt_row row;
    block_row(r, pk, b, &row.b);
    const struct account *a = account_find(r, b->acct);
    const struct retirement *x = b->status == EPV_LEDGER_RETIRED ? retirement_find(r, b->cert) : NULL;
    row.entity = a ? a->entity : "";
    row.forestry = (int)r->proj[pk].forestry;
    row.beneficiary = x ? x->beneficiary : "";
    row.reason = x ? x->reason : "";
    return cb->fn(&row, cb->payload);
}

int epv__lrp_cadt_rows(struct epv__lrp *r, const char *project, epv__lrp_cadt_fn fn, void *payload)
{
    struct cadt_cb cb = { fn, payload };
    return walk_blocks(r, project, NULL, cadt_visit, &cb);
}

/* ---- snapshot: the model as bytes --------------------------------------------------------
 * Written at a checkpoint of a live-layout file and read back on open instead of replaying the
 * whole journal (ledger_live.c). Every row once, references as indexes (accounts, projects,
 * verifications), integers as little-endian u64 (u32 for indexes and event links), strings as a
 * u32 length and the bytes. The per-account holdings, the maps and the requests' key order are
 * derived again on load. The reader checks every length and index: bytes that do not describe
 * a model are an error, never a crash. */

#define SNAP_MAGIC "EPVMDL01"
#define NOREF UINT32_MAX

struct wbuf {
    epv_ctx *ctx;
    unsigned char *p;
    size_t n, cap;
    int err;
};

static void wb_put(struct wbuf *w, const void *x, size_t n)
{
    if (w->err) return;
    if (w->cap - w->n < n) {
        size_t cap = w->cap ? w->cap : 1 << 16;
        while (cap - w->n < n) cap *= 2;
        unsigned char *p = epv__realloc(w->ctx, w->p, cap);
        if (!p) {
            w->err = EPV_ENOMEM;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->n, x, n);
    w->n += n;
}

static void wb_u64(struct wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int k = 0; k < 8; k++) b[k] = (unsigned char)(v >> (8 * k));
    wb_put(w, b, 8);
}

static void wb_u32(struct wbuf *w, uint32_t v)
{
    unsigned char b[4];
    for (int k = 0; k < 4; k++) b[k] = (unsigned char)(v >> (8 * k));
    wb_put(w, b, 4);
}

static void wb_str(struct wbuf *w, const char *s)
{
    size_t n = strlen(s);
    wb_u32(w, (uint32_t)n);
    wb_put(w, s, n);
}

/* Index of an interned account id ("" and unknown: NOREF). */
static uint32_t acct_ref(struct epv__lrp *r, const char *id)
{
    if (!id || !*id) return NOREF;
    size_t k = smap_get(&r->acctmap, id);
    return k == NONE ? NOREF : (uint32_t)k;
}

int epv__lrp_save(struct epv__lrp *r, unsigned char **out, size_t *len)
{
    struct wbuf w = { r->ctx, NULL, 0, 0, 0 };
    *out = NULL;
    *len = 0;
    wb_put(&w, SNAP_MAGIC, 8);
    wb_u64(&w, (uint64_t)r->seq);
    wb_put(&w, r->hash, 32);
    wb_u64(&w, (uint64_t)r->buffer_bp);
    wb_u64(&w, (uint64_t)r->date_rules);
    wb_u64(&w, r->nmeta);
    for (size_t k = 0; k < r->nmeta; k++) {
        wb_str(&w, r->meta[k].key);
        wb_str(&w, r->meta[k].tval);
        wb_u64(&w, (uint64_t)r->meta[k].ival);
    }
    wb_u64(&w, r->nacct);
    for (size_t k = 0; k < r->nacct; k++) {
        wb_str(&w, r->acct[k].id);
        wb_str(&w, r->acct[k].entity);
        wb_u64(&w, (uint64_t)r->acct[k].kind);
        wb_u64(&w, (uint64_t)r->acct[k].status);
    }
    wb_u64(&w, r->nproj);
    for (size_t k = 0; k < r->nproj; k++) {
        struct project *p = &r->proj[k];
        wb_str(&w, p->id);
        wb_str(&w, p->name);
        wb_str(&w, p->methodology);
        wb_u32(&w, acct_ref(r, p->owner));
        const int64_t f[6] = { p->cstart, p->cend, p->forestry, p->buffer_bp, p->status, p->next_serial };
        for (int j = 0; j < 6; j++) wb_u64(&w, (uint64_t)f[j]);
        wb_u64(&w, p->nper);
        for (size_t j = 0; j < p->nper; j++) {
            wb_u64(&w, (uint64_t)p->per[j].start);
            wb_u64(&w, (uint64_t)p->per[j].end);
            wb_u64(&w, (uint64_t)p->per[j].ver);
        }
        wb_u64(&w, p->ntot);
        for (size_t j = 0; j < p->ntot; j++) {
            wb_u64(&w, (uint64_t)p->tot[j].vintage);
            wb_u64(&w, (uint64_t)p->tot[j].issued);
        }
        size_t nb = 0, ne = 0;
        for (size_t c = 0; c < p->blocks.nch; c++) nb += p->blocks.ch[c]->n;
        for (size_t c = 0; c < p->events.nch; c++) ne += p->events.ch[c]->n;
        wb_u64(&w, nb);
        for (size_t c = 0, i = 0; sv_valid(&p->blocks, c); sv_next(&p->blocks, &c, &i)) {
            const struct blk *b = sv_at(&p->blocks, c, i);
            const int64_t g[5] = { b->start, b->end, b->vintage, b->iss, b->cert };
            for (int j = 0; j < 5; j++) wb_u64(&w, (uint64_t)g[j]);
            wb_u32(&w, acct_ref(r, b->acct));
            wb_u32(&w, (uint32_t)b->status);
        }
        wb_u64(&w, ne);
        for (size_t c = 0, i = 0; sv_valid(&p->events, c); sv_next(&p->events, &c, &i)) {
            const struct evlist *e = sv_at(&p->events, c, i);
            wb_u64(&w, (uint64_t)e->start);
            wb_u32(&w, e->head);
            wb_u32(&w, e->tail);
        }
    }
    wb_u64(&w, r->nver);
    for (size_t k = 0; k < r->nver; k++) {
        const struct verification *v = &r->ver[k];
        wb_str(&w, v->report);
        wb_str(&w, v->verifier);
        wb_u64(&w, v->project);
        const int64_t f[6] = { v->num, v->verified, v->deduction, v->issued, v->applied, v->vintage };
        for (int j = 0; j < 6; j++) wb_u64(&w, (uint64_t)f[j]);
    }
    wb_u64(&w, r->niss);
    for (size_t k = 0; k < r->niss; k++) {
        const struct issuance *x = &r->iss[k];
        const int64_t f[5] = { x->seq, x->vintage, x->start, x->end, x->buffer };
        for (int j = 0; j < 5; j++) wb_u64(&w, (uint64_t)f[j]);
        wb_u64(&w, smap_get(&r->vermap, x->report));
        wb_u64(&w, x->project);
    }
    wb_u64(&w, r->nret);
    for (size_t k = 0; k < r->nret; k++) {
        const struct retirement *x = &r->ret[k];
        wb_u64(&w, (uint64_t)x->cert);
        wb_u64(&w, (uint64_t)x->date);
        wb_u64(&w, (uint64_t)x->units);
        wb_u32(&w, acct_ref(r, x->account));
        wb_str(&w, x->beneficiary);
        wb_str(&w, x->reason);
        wb_u64(&w, x->project);
    }
    wb_u64(&w, r->nev);
    for (size_t k = 0; k < r->nev; k++) {
        const struct event *e = &r->ev[k];
        wb_u64(&w, (uint64_t)e->seq);
        wb_u64(&w, (uint64_t)e->start);
        wb_u64(&w, (uint64_t)e->end);
        wb_u32(&w, acct_ref(r, e->from));
        wb_u32(&w, acct_ref(r, e->to));
        wb_u32(&w, e->next);
        wb_u32(&w, e->n);
        wb_u32(&w, (uint32_t)e->kind | (uint32_t)e->status << 8);
    }
    wb_u64(&w, r->nreq);
    for (size_t k = 0; k < r->nreq; k++) {
        wb_str(&w, r->req[k].req);
        wb_u64(&w, (uint64_t)r->req[k].seq);
        for (int j = 0; j < EPV__L_NRES; j++) wb_u64(&w, (uint64_t)r->req[k].r[j]);
    }
    wb_put(&w, SNAP_MAGIC, 8);
    if (w.err) {
        epv__free(r->ctx, w.p);
        return w.err;
    }
    *out = w.p;
    *len = w.n;
    return EPV_OK;
}

struct rbuf {
    const unsigned char *p;
    size_t n, at;
    int bad;
};

static uint32_t le32(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

static inline uint64_t rb_u64(struct rbuf *b)
{
    if (b->bad || b->n - b->at < 8) {
        b->bad = 1;
        return 0;
    }
    uint64_t v = epv__le64(b->p + b->at);
    b->at += 8;
    return v;
}

static inline uint32_t rb_u32(struct rbuf *b)
{
    if (b->bad || b->n - b->at < 4) {
        b->bad = 1;
        return 0;
    }
    uint32_t v = le32(b->p + b->at);
    b->at += 4;
    return v;
}

/* A count of rows of at least `min` bytes each: never more than the bytes left could hold. */
static size_t rb_count(struct rbuf *b, size_t min)
{
    uint64_t v = rb_u64(b);
    if (b->bad || v > (b->n - b->at) / min) {
        b->bad = 1;
        return 0;
    }
    return (size_t)v;
}

/* A string, interned (NULL when the bytes end or hold a NUL). */
static const char *rb_str(struct epv__lrp *r, struct rbuf *b)
{
    uint32_t n = rb_u32(b);
    if (b->bad || b->n - b->at < n || memchr(b->p + b->at, 0, n)) {
        b->bad = 1;
        return NULL;
    }
    const char *s = arena_strndup(r->ctx, &r->arena, (const char *)b->p + b->at, n);
    b->at += n;
    if (!s) b->bad = 1;
    return s;
}

/* An account reference: an interned id, "" (NOREF where allowed) or bad. */
static const char *rb_acct(struct epv__lrp *r, struct rbuf *b, int allow_none)
{
    uint32_t k = rb_u32(b);
    if (k == NOREF && allow_none) return "";
    if (b->bad || k >= r->nacct) {
        b->bad = 1;
        return NULL;
    }
    return r->acct[k].id;
}

static size_t rb_index(struct rbuf *b, size_t n)
{
    uint64_t k = rb_u64(b);
    if (b->bad || k >= n) {
        b->bad = 1;
        return 0;
    }
    return (size_t)k;
}

static int load_projects(struct epv__lrp *r, struct rbuf *b)
{
    size_t n = rb_count(b, 40);
    if (n && epv__grow(r->ctx, (void **)&r->proj, &r->capproj, n, sizeof *r->proj)) return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct project *p = &r->proj[k];
        memset(p, 0, sizeof *p);
        r->nproj = k + 1; /* (freed with the model whatever happens next) */
        p->blocks.es = sizeof(struct blk);
        p->events.es = sizeof(struct evlist);
        p->id = rb_str(r, b);
        p->name = rb_str(r, b);
        p->methodology = rb_str(r, b);
        p->owner = rb_acct(r, b, 0);
        int64_t *f[6] = { &p->cstart, &p->cend, &p->forestry, &p->buffer_bp, &p->status, &p->next_serial };
        for (int j = 0; j < 6; j++) *f[j] = (int64_t)rb_u64(b);
        if (b->bad) break;
        int prc = smap_put(r->ctx, &r->projmap, p->id, k);
        if (prc == EPV_EEXISTS) { /* (each key once) */
            b->bad = 1;
            break;
        }
        if (prc) return prc;
        size_t np = rb_count(b, 24);
        if (np && epv__grow(r->ctx, (void **)&p->per, &p->capper, np, sizeof *p->per)) return EPV_ENOMEM;
        for (size_t j = 0; j < np; j++) {
            p->per[j].start = (int64_t)rb_u64(b);
            p->per[j].end = (int64_t)rb_u64(b);
            p->per[j].ver = (size_t)rb_u64(b); /* checked against the verifications below */
        }
        p->nper = np;
        size_t nt = rb_count(b, 16);
        if (nt && epv__grow(r->ctx, (void **)&p->tot, &p->captot, nt, sizeof *p->tot)) return EPV_ENOMEM;
        for (size_t j = 0; j < nt; j++) {
            p->tot[j].vintage = (int64_t)rb_u64(b);
            p->tot[j].issued = (int64_t)rb_u64(b);
        }
        p->ntot = nt;
        size_t nb = rb_count(b, 48);
        int64_t last = INT64_MIN;
        for (size_t j = 0; j < nb && !b->bad; j++) {
            struct blk x;
            int64_t *g[5] = { &x.start, &x.end, &x.vintage, &x.iss, &x.cert };
            for (int q = 0; q < 5; q++) *g[q] = (int64_t)rb_u64(b);
            x.acct = rb_acct(r, b, 0);
            uint32_t st = rb_u32(b);
            if (b->bad || st > 3 || x.start <= last) { /* in key order, each key once */
                b->bad = 1;
                break;
            }
            x.status = (int)st;
            last = x.start;
            int rc = blk_insert(r, p, &x);
            if (rc) return rc;
        }
        size_t ne = rb_count(b, 16);
        last = INT64_MIN;
        for (size_t j = 0; j < ne && !b->bad; j++) {
            struct evlist e;
            e.start = (int64_t)rb_u64(b);
            e.head = rb_u32(b);
            e.tail = rb_u32(b);
            if (b->bad || e.start <= last) {
                b->bad = 1;
                break;
            }
            last = e.start;
            int rc = sv_insert(r->ctx, &p->events, &e);
            if (rc) return rc;
        }
    }
    return EPV_OK;
}

static int load_rows(struct epv__lrp *r, struct rbuf *b)
{
    size_t n = rb_count(b, 64);
    if (n && epv__grow(r->ctx, (void **)&r->ver, &r->capver, n, sizeof *r->ver)) return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct verification *v = &r->ver[k];
        v->report = rb_str(r, b);
        v->verifier = rb_str(r, b);
        v->project = rb_index(b, r->nproj);
        int64_t *f[6] = { &v->num, &v->verified, &v->deduction, &v->issued, &v->applied, &v->vintage };
        for (int j = 0; j < 6; j++) *f[j] = (int64_t)rb_u64(b);
        if (b->bad) break;
        int prc = smap_put(r->ctx, &r->vermap, v->report, k);
        if (prc == EPV_EEXISTS) { /* (each key once) */
            b->bad = 1;
            break;
        }
        if (prc) return prc;
        r->nver = k + 1;
    }
    for (size_t k = 0; k < r->nproj && !b->bad; k++) /* periods name their verification */
        for (size_t j = 0; j < r->proj[k].nper; j++)
            if (r->proj[k].per[j].ver != NONE && r->proj[k].per[j].ver >= r->nver) b->bad = 1;
    n = rb_count(b, 56);
    if (n && epv__grow(r->ctx, (void **)&r->iss, &r->capiss, n, sizeof *r->iss)) return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct issuance *x = &r->iss[k];
        int64_t *f[5] = { &x->seq, &x->vintage, &x->start, &x->end, &x->buffer };
        for (int j = 0; j < 5; j++) *f[j] = (int64_t)rb_u64(b);
        size_t vk = rb_index(b, r->nver);
        x->project = rb_index(b, r->nproj);
        if (b->bad) break;
        x->report = r->ver[vk].report;
        r->niss = k + 1;
    }
    n = rb_count(b, 44);
    if (n && epv__grow(r->ctx, (void **)&r->ret, &r->capret, n, sizeof *r->ret)) return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct retirement *x = &r->ret[k];
        x->cert = (int64_t)rb_u64(b);
        x->date = (int64_t)rb_u64(b);
        x->units = (int64_t)rb_u64(b);
        x->account = rb_acct(r, b, 0);
        x->beneficiary = rb_str(r, b);
        x->reason = rb_str(r, b);
        x->project = rb_index(b, r->nproj);
        if (!b->bad) r->nret = k + 1;
    }
    n = rb_count(b, 44);
    if (n >= EV_END) b->bad = 1;
    if (!b->bad && n && epv__grow(r->ctx, (void **)&r->ev, &r->capev, n, sizeof *r->ev)) return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct event *e = &r->ev[k];
        e->seq = (int64_t)rb_u64(b);
        e->start = (int64_t)rb_u64(b);
        e->end = (int64_t)rb_u64(b);
        e->from = rb_acct(r, b, 1);
        e->to = rb_acct(r, b, 1);
        e->next = rb_u32(b);
        e->n = rb_u32(b);
        uint32_t ks = rb_u32(b);
        e->kind = (unsigned char)(ks & 0xff);
        e->status = (unsigned char)(ks >> 8);
        if (b->bad || (e->next != EV_END && e->next >= n) || e->kind > EV_REVERSE || e->status > 3) b->bad = 1;
        else r->nev = k + 1;
    }
    /* The event lists must be lists, or a later walk along them could go round for ever. With
     * no event the `next` of two others, and every list starting at an event that is no one's
     * `next`, a walk from a list's head can only end (it never enters a cycle). Checked with one
     * pass over the events: following the links here would cost a cache miss per event. */
    unsigned char *indeg = b->bad ? NULL : epv__calloc(r->ctx, r->nev ? r->nev : 1, 1);
    if (!b->bad && !indeg) return EPV_ENOMEM;
    for (size_t k = 0; k < r->nev && !b->bad; k++) {
        uint32_t x = r->ev[k].next;
        if (x != EV_END && indeg[x]++) b->bad = 1;
    }
    for (size_t k = 0; k < r->nproj && !b->bad; k++) {
        struct sv *v = &r->proj[k].events;
        for (size_t c = 0, i = 0; !b->bad && sv_valid(v, c); sv_next(v, &c, &i)) {
            const struct evlist *e = sv_at(v, c, i);
            if (e->head >= r->nev || e->tail >= r->nev || indeg[e->head] || r->ev[e->tail].next != EV_END) b->bad = 1;
        }
    }
    epv__free(r->ctx, indeg);
    n = rb_count(b, 44);
    if (n && (epv__grow(r->ctx, (void **)&r->req, &r->capreq, n, sizeof *r->req) ||
              smap_reserve(r->ctx, &r->reqmap, n)))
        return EPV_ENOMEM;
    for (size_t k = 0; k < n && !b->bad; k++) {
        struct request *q = &r->req[k];
        q->req = rb_str(r, b);
        q->seq = (int64_t)rb_u64(b);
        for (int j = 0; j < EPV__L_NRES; j++) q->r[j] = (int64_t)rb_u64(b);
        if (b->bad) break;
        int rc = smap_put(r->ctx, &r->reqmap, q->req, k);
        if (rc == EPV_EEXISTS) b->bad = 1; /* (each request id once) */
        else if (rc) return rc;
        else r->nreq = k + 1;
    }
    return EPV_OK;
}

epv_ctx *epv__lrp_swap_ctx(struct epv__lrp *r, epv_ctx *ctx)
{
    epv_ctx *old = r->ctx;
    r->ctx = ctx;
    return old;
}

int epv__lrp_load(epv_ledger *l, epv_ctx *ctx, const unsigned char *buf, size_t len, struct epv__lrp **out)
{
    *out = NULL;
    struct epv__lrp *r;
    int rc = epv__lrp_new(l, &r);
    if (rc) return rc;
    r->ctx = ctx;
    struct rbuf b = { buf, len, 0, 0 };
    if (len < 16 || memcmp(buf, SNAP_MAGIC, 8) || memcmp(buf + len - 8, SNAP_MAGIC, 8)) b.bad = 1;
    b.n = len >= 8 ? len - 8 : 0;
    b.at = 8;
    r->seq = (int64_t)rb_u64(&b);
    if (!b.bad && b.n - b.at >= 32) {
        memcpy(r->hash, buf + b.at, 32);
        b.at += 32;
    } else {
        b.bad = 1;
    }
    r->buffer_bp = (int)rb_u64(&b);
    r->date_rules = (int)rb_u64(&b);
    size_t n = rb_count(&b, 16);
    for (size_t k = 0; k < n && !b.bad; k++) {
        const char *key = rb_str(r, &b), *tval = rb_str(r, &b);
        int64_t ival = (int64_t)rb_u64(&b);
        if (b.bad) break;
        if (smap_get(&r->metamap, key) != NONE) b.bad = 1;
        else if ((rc = meta_set(r, key, ival, tval))) goto fail;
    }
    n = rb_count(&b, 24);
    if (n && epv__grow(r->ctx, (void **)&r->acct, &r->capacct, n, sizeof *r->acct)) {
        rc = EPV_ENOMEM;
        goto fail;
    }
    for (size_t k = 0; k < n && !b.bad; k++) {
        struct account *a = &r->acct[k];
        a->id = rb_str(r, &b);
        a->entity = rb_str(r, &b);
        a->kind = (int64_t)rb_u64(&b);
        a->status = (int64_t)rb_u64(&b);
        if (b.bad) break;
        if (smap_put(r->ctx, &r->acctmap, a->id, k) || smap_put(r->ctx, &r->entitymap, a->entity, k)) {
            b.bad = 1;
            break;
        }
        if (a->kind == 1) r->buffer_acct = a->id;
        r->nacct = k + 1;
    }
    if (!b.bad && (rc = load_projects(r, &b))) goto fail;
    if (!b.bad && (rc = load_rows(r, &b))) goto fail;
    if (!b.bad && b.at != b.n) b.bad = 1; /* nothing left over */
    if (b.bad || !r->buffer_acct) {
        rc = epv__error(ctx, EPV_ECORRUPT, "ledger: the snapshot of the state is malformed (byte %zu of %zu)",
                        b.at, len);
        goto fail;
    }
    *out = r;
    return EPV_OK;
fail:
    epv__lrp_free(r);
    return rc;
}
