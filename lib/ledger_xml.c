/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export and import of a whole ledger as XML (schema data/schema/ledger.xsd).
 *
 * The XML holds the journal: one <entry> per operation with its fields as named attributes
 * (names from epv__lkinds; dates as YYYY-MM-DD), its sequence number and its hash. Import
 * replays the entries into a new file in one transaction, recomputing every hash: a file whose
 * entries or hashes were edited is refused, and nothing is left behind. */
#define _POSIX_C_SOURCE 200809L /* kill, link */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledger_verify_int.h"
#include "xml_int.h"

#define LEDGER_XSD "schema/ledger.xsd"

static int is_date_field(const char *name)
{
    static const char *const dates[] = { "crediting_start", "crediting_end", "start", "end", "applied", "date" };
    for (size_t k = 0; k < EPV__ARRAY_LEN(dates); k++)
        if (!strcmp(name, dates[k])) return 1;
    return 0;
}

static void hex(const unsigned char *h, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int k = 0; k < 32; k++) {
        out[2 * k] = digits[h[k] >> 4];
        out[2 * k + 1] = digits[h[k] & 15];
    }
    out[64] = 0;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static int epv_ledger_export_xml_snap(epv_ledger *l, const char *xml_path)
{
    if (!l || !xml_path) return EPV_EINVAL;
    int64_t n;
    int rc = epv__lg_verify_chain(l, &n);
    if (rc) return rc;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", xml_path);
    FILE *f = fopen(tmp, "w");
    if (!f) return epv__error(l->ctx, EPV_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    char hh[65];
    hex(l->head_hash, hh);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ledger format=\"%d\" entries=\"%lld\" head=\"%s\">\n",
            EPV__L_FORMAT_VERSION, (long long)n, hh);
    epv__lq *st = NULL;
    rc = epv__lq_prepare(&l->st, "SELECT seq, body, hash FROM journal ORDER BY seq", &st);
    if (rc != EPV__LQ_OK) {
        fclose(f);
        unlink(tmp);
        return epv__lg_sqlerr(l, rc, "reading the journal");
    }
    int err = EPV_OK;
    while (!err && (rc = epv__lq_step(st)) == EPV__LQ_ROW) {
        struct epv__lop op;
        char *arena;
        err = epv__lg_decode(l->ctx, epv__lq_col_blob(st, 1), (size_t)epv__lq_col_bytes(st, 1), &op, &arena);
        if (err) break;
        const struct epv__lkind_info *ki = &epv__lkinds[op.kind];
        hex(epv__lq_col_blob(st, 2), hh);
        fprintf(f, "  <entry seq=\"%lld\" kind=\"%s\" request=\"", (long long)epv__lq_col_i64(st, 0), ki->name);
        put_escaped(f, op.req);
        fprintf(f, "\" hash=\"%s\"", hh);
        for (int k = 0; k < EPV__L_NS; k++) {
            if (!ki->s[k]) continue;
            fprintf(f, " %s=\"", ki->s[k]);
            put_escaped(f, op.s[k]);
            fputc('"', f);
        }
        for (int k = 0; k < EPV__L_NI; k++) {
            if (!ki->i[k]) continue;
            if (is_date_field(ki->i[k])) {
                epv_date d;
                char buf[16];
                epv__lg_days_to_date(op.i[k], &d);
                epv_date_format(d, buf, sizeof buf);
                fprintf(f, " %s=\"%s\"", ki->i[k], buf);
            } else {
                fprintf(f, " %s=\"%lld\"", ki->i[k], (long long)op.i[k]);
            }
        }
        fputs("/>\n", f);
        epv__free(l->ctx, arena);
    }
    if (!err && rc != EPV__LQ_DONE) err = epv__lg_sqlerr(l, rc, "reading the journal");
    epv__lq_finalize(st);
    fputs("</ledger>\n", f);
    if (fflush(f) != 0 || ferror(f)) err = err ? err : epv__error(l->ctx, EPV_EIO, "%s: write failed", tmp);
    if (fclose(f) != 0 && !err) err = epv__error(l->ctx, EPV_EIO, "%s: write failed", tmp);
    if (!err && rename(tmp, xml_path) != 0) err = epv__error(l->ctx, EPV_EIO, "%s: cannot rename: %s", xml_path, strerror(errno));
    if (err) unlink(tmp);
    return err;
}

/* In one read snapshot. */
EPV_API int epv_ledger_export_xml(epv_ledger *l, const char *xml_path)
{
    if (!l || !xml_path) return EPV_EINVAL;
    int rc = epv__lg_read_begin(l);
    if (rc) return rc;
    return epv__lg_read_end(l, epv_ledger_export_xml_snap(l, xml_path));
}

static int unhex(const char *s, unsigned char *out)
{
    if (strlen(s) != 64) return -1;
    for (int k = 0; k < 32; k++) {
        int v = 0;
        for (int j = 0; j < 2; j++) {
            char c = s[2 * k + j];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        out[k] = (unsigned char)v;
    }
    return 0;
}

/* Read one <entry> into op (strings allocated into strs[], freed by the caller). */
static int read_entry(epv_ctx *ctx, const char *name, xmlNodePtr node, struct epv__lop *op, char *strs[1 + EPV__L_NS],
                      int64_t *seq, unsigned char hash[32])
{
    memset(op, 0, sizeof *op);
    char *kind = NULL, *h = NULL;
    int rc = epv__xml_attr_int(ctx, name, node, "seq", 1, seq);
    if (!rc) rc = epv__xml_attr_str(ctx, name, node, "kind", 1, &kind);
    if (!rc) rc = epv__xml_attr_str(ctx, name, node, "request", 1, &strs[0]);
    if (!rc) rc = epv__xml_attr_str(ctx, name, node, "hash", 1, &h);
    if (rc) goto out;
    if (unhex(h, hash)) {
        rc = epv__xml_error_at(ctx, EPV_EPARSE, name, node, "attribute 'hash': not 64 lowercase hex digits");
        goto out;
    }
    int k;
    for (k = 1; k <= EPV__L_KIND_MAX; k++)
        if (!strcmp(epv__lkinds[k].name, kind)) break;
    if (k > EPV__L_KIND_MAX) {
        rc = epv__xml_error_at(ctx, EPV_EPARSE, name, node, "attribute 'kind': '%.40s' is unknown", kind);
        goto out;
    }
    op->kind = k;
    op->req = strs[0];
    const struct epv__lkind_info *ki = &epv__lkinds[k];
    /* only the attributes this kind uses may appear */
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        int used = !strcmp(an, "seq") || !strcmp(an, "kind") || !strcmp(an, "request") || !strcmp(an, "hash");
        for (int j = 0; j < EPV__L_NS && !used; j++) used = ki->s[j] && !strcmp(ki->s[j], an);
        for (int j = 0; j < EPV__L_NI && !used; j++) used = ki->i[j] && !strcmp(ki->i[j], an);
        if (!used) {
            rc = epv__xml_error_at(ctx, EPV_EPARSE, name, node, "attribute '%s' is not used by kind '%s'", an, ki->name);
            goto out;
        }
    }
    for (int j = 0; j < EPV__L_NS; j++) {
        if (!ki->s[j]) continue;
        if ((rc = epv__xml_attr_str(ctx, name, node, ki->s[j], 1, &strs[1 + j]))) goto out;
        op->s[j] = strs[1 + j];
    }
    for (int j = 0; j < EPV__L_NI; j++) {
        if (!ki->i[j]) continue;
        if (is_date_field(ki->i[j])) {
            char *ds = NULL;
            epv_date d;
            if ((rc = epv__xml_attr_str(ctx, name, node, ki->i[j], 1, &ds))) goto out;
            rc = epv_date_parse(ctx, ds, &d);
            epv__free(ctx, ds);
            if (!rc) rc = epv__lg_check_date(ctx, d, ki->i[j], &op->i[j]);
            if (rc) {
                rc = epv__xml_error_at(ctx, EPV_EPARSE, name, node, "attribute '%s': not a date in 1900..2200", ki->i[j]);
                goto out;
            }
        } else if ((rc = epv__xml_attr_int(ctx, name, node, ki->i[j], 1, &op->i[j]))) {
            goto out;
        }
    }
out:
    epv__free(ctx, kind);
    epv__free(ctx, h);
    return rc;
}

static void remove_files(const char *path)
{
    char buf[4096];
    if (!strcmp(path, ":memory:")) return;
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
}

/* An import builds "<ledger_path>.import-<pid>" and links it to ledger_path only when it is
 * complete, so a killed import never leaves a file at ledger_path. Its temporary file is
 * removed by the next import to the same path (when that pid is gone). */
#define IMPORT_TAG ".import-"

static void remove_stale_imports(const char *ledger_path)
{
    char dir[4096], base[1024];
    const char *slash = strrchr(ledger_path, '/');
    if (slash) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - ledger_path), ledger_path);
        if (!dir[0]) snprintf(dir, sizeof dir, "/");
        snprintf(base, sizeof base, "%s" IMPORT_TAG, slash + 1);
    } else {
        snprintf(dir, sizeof dir, ".");
        snprintf(base, sizeof base, "%s" IMPORT_TAG, ledger_path);
    }
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    size_t bl = strlen(base);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, base, bl)) continue;
        char *end;
        long pid = strtol(e->d_name + bl, &end, 10);
        if (pid <= 0 || end == e->d_name + bl || (*end && *end != '-')) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* still running */
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        unlink(full);
    }
    closedir(d);
}

static int import_doc(epv_ctx *ctx, xmlDocPtr doc, const char *name, epv_ledger *l)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int64_t want_n = 0, format = 0;
    char *head = NULL;
    int rc = epv__xml_attr_int(ctx, name, root, "format", 1, &format);
    if (!rc) rc = epv__xml_attr_int(ctx, name, root, "entries", 1, &want_n);
    if (!rc) rc = epv__xml_attr_str(ctx, name, root, "head", 1, &head);
    if (rc) return rc;
    unsigned char want_head[32];
    if (format != EPV__L_FORMAT_VERSION)
        rc = epv__xml_error_at(ctx, EPV_EUNSUPPORTED, name, root, "attribute 'format': %lld is not supported",
                               (long long)format);
    else if (unhex(head, want_head))
        rc = epv__xml_error_at(ctx, EPV_EPARSE, name, root, "attribute 'head': not 64 lowercase hex digits");
    epv__free(ctx, head);
    if (rc) return rc;
    l->replaying = 1;
    int64_t expect = 1;
    for (xmlNodePtr e = epv__xml_child(root, "entry"); e && !rc; e = epv__xml_next(e, "entry"), expect++) {
        if ((expect & 1023) == 1 &&
            (rc = epv__progress(ctx, 0.95 * (double)(expect - 1) / (double)(want_n > 0 ? want_n : 1),
                                "importing entries")))
            break;
        struct epv__lop op;
        char *strs[1 + EPV__L_NS] = { 0 };
        int64_t seq, res[EPV__L_NRES];
        unsigned char hash[32];
        rc = read_entry(ctx, name, e, &op, strs, &seq, hash);
        if (!rc && seq != expect)
            rc = epv__xml_error_at(ctx, EPV_ECORRUPT, name, e, "attribute 'seq': %lld, expected %lld", (long long)seq,
                                   (long long)expect);
        if (!rc) {
            rc = epv__lg_step(l, &op, res);
            if (rc) {
                epv__error_prefix(ctx, "%s:%ld: <entry> %lld", name, xmlGetLineNo(e), (long long)seq);
            } else if (memcmp(l->head_hash, hash, 32)) {
                rc = epv__xml_error_at(ctx, EPV_ECORRUPT, name, e,
                                       "attribute 'hash': entry %lld does not hash to the recorded value (altered)",
                                       (long long)seq);
            }
        }
        for (int k = 0; k <= EPV__L_NS; k++) epv__free(ctx, strs[k]);
    }
    l->replaying = 0;
    if (rc) return rc;
    if (expect - 1 != want_n || memcmp(l->head_hash, want_head, 32))
        return epv__xml_error_at(ctx, EPV_ECORRUPT, name, root,
                                 "attribute 'entries'/'head': the file has %lld entries ending in another head "
                                 "(truncated or altered)",
                                 (long long)(expect - 1));
    return epv__lg_check_invariants(l);
}

EPV_API int epv_ledger_import_xml_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                         const char *ledger_path, epv_ledger **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "import: out is NULL");
    *out = NULL;
    if (!buf || !ledger_path) return epv__error(ctx, EPV_EINVAL, "import: NULL argument");
    if (!name) name = "(buffer)";
    /* On PostgreSQL the import is one transaction on the server: a failed or killed import
     * leaves nothing, as the temporary file does for SQLite. */
    int pg = epv__ls_is_pg(ledger_path);
    int in_memory = pg || !strcmp(ledger_path, ":memory:");
    if (!in_memory && access(ledger_path, F_OK) == 0)
        return epv__error(ctx, EPV_EEXISTS, "%s: ledger file already exists", ledger_path);
    char tmp[4096];
    if (in_memory) {
        snprintf(tmp, sizeof tmp, "%s", pg ? ledger_path : ":memory:");
    } else {
        remove_stale_imports(ledger_path);
        if ((size_t)snprintf(tmp, sizeof tmp, "%s" IMPORT_TAG "%ld", ledger_path, (long)getpid()) >= sizeof tmp)
            return epv__error(ctx, EPV_EINVAL, "%s: path too long", ledger_path);
        remove_files(tmp);
    }
    xmlDocPtr doc = NULL;
    int rc = epv__xml_load_memory(ctx, buf, len, name, LEDGER_XSD, &doc);
    if (rc) return rc;
    epv_ledger *l = NULL;
    rc = epv__lg_open_db(ctx, tmp, EPV_LEDGER_CREATE, &l);
    if (!rc && pg && epv__ls_has_table(&l->st, "journal"))
        rc = epv__error(ctx, EPV_EEXISTS, "%s: a ledger already exists there", l->st.name);
    if (!rc) {
        /* built privately: rollback journal in memory, pages synced at the commit */
        rc = epv__lg_exec(l, "PRAGMA journal_mode=MEMORY");
        if (!rc) rc = epv__lg_exec(l, "PRAGMA synchronous=FULL");
        if (!rc) rc = epv__ls_begin_write(&l->st, 1);
        if (!rc) rc = epv__ls_create_schema(&l->st);
        if (!rc) rc = import_doc(ctx, doc, name, l);
        if (!rc) rc = epv__lg_flush_head(l);
        if (!rc) rc = epv__progress(ctx, 0.97, "committing");
        if (!rc) rc = epv__ls_commit(&l->st);
    }
    xmlFreeDoc(doc);
    if (!rc && !in_memory) {
        /* complete: publish it under its name (never over an existing file), then reopen */
        epv__lg_free(l);
        l = NULL;
        if (link(tmp, ledger_path) != 0)
            rc = errno == EEXIST ? epv__error(ctx, EPV_EEXISTS, "%s: ledger file already exists", ledger_path)
                                 : epv__error(ctx, EPV_EIO, "%s: cannot create: %s", ledger_path, strerror(errno));
        remove_files(tmp);
        if (!rc) {
            rc = epv__lg_open_db(ctx, ledger_path, 0, &l);
            if (!rc) rc = epv__ls_durable(&l->st);
            if (rc) remove_files(ledger_path);
        }
    }
    if (!rc) rc = epv__lg_load_config(l);
    if (!rc) rc = epv__lg_load_head(l);
    if (rc) {
        if (l) epv__ls_rollback(&l->st);
        epv__lg_free(l);
        if (!in_memory) remove_files(tmp);
        return rc;
    }
    *out = l;
    return EPV_OK;
}

EPV_API int epv_ledger_import_xml(epv_ctx *ctx, const char *xml_path, const char *ledger_path, epv_ledger **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "import: out is NULL");
    *out = NULL;
    if (!xml_path) return epv__error(ctx, EPV_EINVAL, "import: xml_path is NULL");
    FILE *f = fopen(xml_path, "rb");
    if (!f) return epv__error(ctx, EPV_EIO, "%s: cannot read: %s", xml_path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (epv__grow(ctx, (void **)&buf, &cap, len + 65536, 1)) {
            fclose(f);
            epv__free(ctx, buf);
            return EPV_ENOMEM;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        epv__free(ctx, buf);
        return epv__error(ctx, EPV_EIO, "%s: read error", xml_path);
    }
    int rc = epv_ledger_import_xml_memory(ctx, buf, len, xml_path, ledger_path, out);
    epv__free(ctx, buf);
    return rc;
}
