/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serial strings: derived output of a block, parsed strictly on input.
 *
 * A template mixes literal text with fields {programme} {project} {vintage} {batch} {start}
 * {end}. Parsing takes each field as the longest run of characters it may hold (digits for
 * numbers, [A-Za-z0-9_.] for identifiers); templates are rejected unless the literal after a
 * field starts with a character that field cannot hold, so parsing is unambiguous. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

enum { F_PROGRAMME, F_PROJECT, F_VINTAGE, F_BATCH, F_START, F_END, F_N, F_LIT = -1 };
static const char *const fname[F_N] = { "programme", "project", "vintage", "batch", "start", "end" };

static int is_id_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}
static int is_numeric(int f) { return f >= F_VINTAGE; }

struct tok {
    int field;       /* F_* or F_LIT */
    const char *lit; /* literal start (in the template) */
    size_t len;
};

/* Split a template into at most 32 tokens and check it. */
static int tokenize(epv_ctx *ctx, const char *fmt, struct tok *t, int *nt)
{
    int n = 0, seen[F_N] = { 0 };
    const char *p = fmt;
    if (!*p) return epv__error(ctx, EPV_EINVAL, "serial template: empty");
    while (*p) {
        if (n == 32) return epv__error(ctx, EPV_EINVAL, "serial template: too many parts");
        if (*p == '{') {
            const char *q = strchr(p, '}');
            if (!q) return epv__error(ctx, EPV_EINVAL, "serial template: unclosed '{'");
            int f;
            for (f = 0; f < F_N; f++)
                if ((size_t)(q - p - 1) == strlen(fname[f]) && !strncmp(p + 1, fname[f], (size_t)(q - p - 1))) break;
            if (f == F_N)
                return epv__error(ctx, EPV_EINVAL, "serial template: unknown field '%.*s'", (int)(q - p + 1), p);
            if (seen[f]++) return epv__error(ctx, EPV_EINVAL, "serial template: field {%s} twice", fname[f]);
            if (n > 0 && t[n - 1].field != F_LIT)
                return epv__error(ctx, EPV_EINVAL, "serial template: fields {%s} and {%s} need a separator",
                                  fname[t[n - 1].field], fname[f]);
            t[n].field = f;
            t[n].lit = NULL;
            t[n].len = 0;
            n++;
            p = q + 1;
        } else {
            const char *q = p;
            while (*q && *q != '{') {
                unsigned char c = (unsigned char)*q;
                if (c <= 0x20 || c >= 0x7f || c == '}')
                    return epv__error(ctx, EPV_EINVAL, "serial template: literal character 0x%02x not allowed", c);
                q++;
            }
            if (n > 0) {
                int pf = t[n - 1].field;
                int c = (unsigned char)*p;
                if (is_numeric(pf) ? (c >= '0' && c <= '9') : is_id_char(c))
                    return epv__error(ctx, EPV_EINVAL,
                                      "serial template: text after {%s} must start with a character it cannot hold",
                                      fname[pf]);
            }
            t[n].field = F_LIT;
            t[n].lit = p;
            t[n].len = (size_t)(q - p);
            n++;
            p = q;
        }
    }
    if (!seen[F_PROJECT] || !seen[F_START] || !seen[F_END])
        return epv__error(ctx, EPV_EINVAL, "serial template: {project}, {start} and {end} are required");
    *nt = n;
    return EPV_OK;
}

EPV_API int epv_ledger_serial_format(epv_ctx *ctx, const char *format, const epv_ledger_serial *s,
                                     char *buf, size_t bufsize)
{
    if (!s || !buf || !bufsize) return epv__error(ctx, EPV_EINVAL, "serial_format: NULL argument");
    int vrc = epv__check_version(ctx, "epv_ledger_serial", s, EPV_LEDGER_SERIAL_VERSION);
    if (vrc) return vrc;
    struct tok t[32];
    int nt, rc = tokenize(ctx, format ? format : EPV_LEDGER_SERIAL_DEFAULT, t, &nt);
    if (rc) return rc;
    size_t pos = 0;
    buf[0] = 0;
    for (int k = 0; k < nt; k++) {
        char tmp[80];
        const char *piece;
        size_t len;
        if (t[k].field == F_LIT) {
            piece = t[k].lit;
            len = t[k].len;
        } else {
            switch (t[k].field) {
            case F_PROGRAMME:
            case F_PROJECT:
                piece = t[k].field == F_PROGRAMME ? s->programme : s->project;
                if ((rc = epv__lg_check_id(ctx, piece, fname[t[k].field]))) return rc;
                break;
            case F_VINTAGE:
                if (s->vintage < 1900 || s->vintage > 2200)
                    return epv__error(ctx, EPV_ERANGE, "vintage: %d is outside 1900..2200", s->vintage);
                snprintf(tmp, sizeof tmp, "%d", s->vintage);
                piece = tmp;
                break;
            default: {
                int64_t v = t[k].field == F_BATCH ? s->batch : t[k].field == F_START ? s->serial_start : s->serial_end;
                if (v < 1) return epv__error(ctx, EPV_ERANGE, "%s: %lld is below 1", fname[t[k].field], (long long)v);
                snprintf(tmp, sizeof tmp, "%lld", (long long)v);
                piece = tmp;
            }
            }
            len = strlen(piece);
        }
        if (pos + len + 1 > bufsize) return epv__error(ctx, EPV_ERANGE, "serial_format: buffer too small");
        memcpy(buf + pos, piece, len);
        pos += len;
        buf[pos] = 0;
    }
    if (s->serial_end < s->serial_start)
        return epv__error(ctx, EPV_ERANGE, "end: %lld is before start %lld", (long long)s->serial_end,
                          (long long)s->serial_start);
    return EPV_OK;
}

EPV_API int epv_ledger_serial_parse(epv_ctx *ctx, const char *format, const char *text,
                                    epv_ledger_serial *out)
{
    if (!text || !out) return epv__error(ctx, EPV_EINVAL, "serial: NULL argument");
    int vrc = epv__check_version(ctx, "epv_ledger_serial", out, EPV_LEDGER_SERIAL_VERSION);
    if (vrc) return vrc;
    struct tok t[32];
    int nt, rc = tokenize(ctx, format ? format : EPV_LEDGER_SERIAL_DEFAULT, t, &nt);
    if (rc) return rc;
    epv_ledger_serial r;
    memset(&r, 0, sizeof r);
    r.version = EPV_LEDGER_SERIAL_VERSION;
    r.vintage = 0;
    r.batch = 0;
    const char *p = text;
    for (int k = 0; k < nt; k++) {
        if (t[k].field == F_LIT) {
            if (strncmp(p, t[k].lit, t[k].len))
                return epv__error(ctx, EPV_EPARSE, "serial '%.80s': expected '%.*s' at byte %zu", text,
                                  (int)t[k].len, t[k].lit, (size_t)(p - text));
            p += t[k].len;
            continue;
        }
        int f = t[k].field;
        const char *q = p;
        if (is_numeric(f)) {
            uint64_t v = 0;
            while (*q >= '0' && *q <= '9') {
                if (v > (uint64_t)INT64_MAX / 10 || v * 10 + (uint64_t)(*q - '0') > (uint64_t)INT64_MAX)
                    return epv__error(ctx, EPV_EPARSE, "%s: number exceeds int64 in serial '%.80s'", fname[f], text);
                v = v * 10 + (uint64_t)(*q - '0');
                q++;
            }
            if (q == p)
                return epv__error(ctx, EPV_EPARSE, "%s: missing or not ASCII digits at byte %zu of serial '%.80s'",
                                  fname[f], (size_t)(p - text), text);
            if (*p == '0')
                return epv__error(ctx, EPV_EPARSE, "%s: leading zero in serial '%.80s'", fname[f], text);
            if (f == F_VINTAGE) {
                if (v < 1900 || v > 2200)
                    return epv__error(ctx, EPV_EPARSE, "vintage: %llu is outside 1900..2200", (unsigned long long)v);
                r.vintage = (int)v;
            } else if (f == F_BATCH) {
                r.batch = (int64_t)v;
            } else if (f == F_START) {
                r.serial_start = (int64_t)v;
            } else {
                r.serial_end = (int64_t)v;
            }
        } else {
            while (is_id_char((unsigned char)*q)) q++;
            size_t len = (size_t)(q - p);
            if (len == 0)
                return epv__error(ctx, EPV_EPARSE, "%s: missing at byte %zu of serial '%.80s'", fname[f],
                                  (size_t)(p - text), text);
            if (len > EPV__L_MAX_ID)
                return epv__error(ctx, EPV_EPARSE, "%s: longer than %d characters", fname[f], EPV__L_MAX_ID);
            char *dst = f == F_PROGRAMME ? r.programme : r.project;
            memcpy(dst, p, len);
            dst[len] = 0;
        }
        p = q;
    }
    if (*p)
        return epv__error(ctx, EPV_EPARSE, "serial '%.80s': unexpected text at byte %zu", text, (size_t)(p - text));
    if (r.serial_end < r.serial_start)
        return epv__error(ctx, EPV_EPARSE, "end: %lld is before start %lld", (long long)r.serial_end,
                          (long long)r.serial_start);
    *out = r;
    return EPV_OK;
}
