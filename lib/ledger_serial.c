/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serial strings: derived output of a block, parsed strictly on input; and the serials of
 * other registries (UNDP carbon registry, Verra) through the extended fields of
 * epv_ledger_xserial: {country} {unit} {code} {scope} {vintage_start} {vintage_end} {flag}.
 *
 * A template mixes literal text with fields {programme} {project} {vintage} {batch} {start}
 * {end}. Parsing takes each field as the longest run of characters it may hold (digits for
 * numbers, [A-Za-z0-9_.] for identifiers); templates are rejected unless the literal after a
 * field starts with a character that field cannot hold, so parsing is unambiguous. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

enum {
    F_PROGRAMME, F_PROJECT, F_COUNTRY, F_UNIT, F_CODE, /* text fields */
    F_VINTAGE, F_BATCH, F_START, F_END, F_SCOPE, F_FLAG, /* numbers */
    F_VSTART, F_VEND,                                    /* DDMMYYYY dates */
    F_N, F_LIT = -1
};
/* Fields of the first template set (epv_ledger_serial); the rest need epv_ledger_xserial. */
#define F_BASIC_MASK ((1u << F_PROGRAMME) | (1u << F_PROJECT) | (1u << F_VINTAGE) | (1u << F_BATCH) | \
                      (1u << F_START) | (1u << F_END))
static const char *const fname[F_N] = { "programme", "project", "country", "unit", "code",
                                        "vintage", "batch", "start", "end", "scope", "flag",
                                        "vintage_start", "vintage_end" };

static int is_id_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}
static int is_numeric(int f) { return f >= F_VINTAGE; }
/* Can field f hold character c? (used to make templates unambiguous) */
static int field_holds(int f, int c)
{
    if (f == F_COUNTRY) return c >= 'A' && c <= 'Z';
    if (is_numeric(f)) return c >= '0' && c <= '9';
    return is_id_char(c);
}

struct tok {
    int field;       /* F_* or F_LIT */
    const char *lit; /* literal start (in the template) */
    size_t len;
};

/* Split a template into at most 32 tokens and check it; *used gets the fields' bit mask. */
static int tokenize(epv_ctx *ctx, const char *fmt, struct tok *t, int *nt, unsigned *used)
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
                if (field_holds(pf, (unsigned char)*p))
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
    *used = 0;
    for (int f = 0; f < F_N; f++)
        if (seen[f]) *used |= 1u << f;
    return EPV_OK;
}

/* The basic template set only (epv_ledger_serial and a ledger's own serials). */
static int tokenize_basic(epv_ctx *ctx, const char *fmt, struct tok *t, int *nt)
{
    unsigned used;
    int rc = tokenize(ctx, fmt, t, nt, &used);
    if (rc) return rc;
    for (int f = 0; f < F_N; f++)
        if ((used & (1u << f)) && !(F_BASIC_MASK & (1u << f)))
            return epv__error(ctx, EPV_EINVAL,
                              "serial template: field {%s} needs epv_ledger_xserial (epv_ledger_xserial_parse/_format)",
                              fname[f]);
    return EPV_OK;
}

static int check_code(epv_ctx *ctx, const char *v, int f, size_t maxlen)
{
    size_t n = strlen(v);
    if (n == 0 || n > maxlen)
        return epv__error(ctx, EPV_ERANGE, "%s: '%.40s' must have 1..%zu characters", fname[f], v, maxlen);
    for (size_t k = 0; k < n; k++)
        if (!field_holds(f, (unsigned char)v[k]))
            return epv__error(ctx, EPV_ERANGE, "%s: '%.40s' holds a character outside %s", fname[f], v,
                              f == F_COUNTRY ? "A-Z" : "[A-Za-z0-9_.]");
    if (f == F_COUNTRY && n != 2)
        return epv__error(ctx, EPV_ERANGE, "country: '%.40s' is not two letters (ISO 3166-1 alpha-2)", v);
    return EPV_OK;
}

static int check_ddmmyyyy(epv_ctx *ctx, epv_date d, int f)
{
    if (!epv_date_valid(d) || d.year < 1900 || d.year > 2200)
        return epv__error(ctx, EPV_ERANGE, "%s: %04d-%02d-%02d is not a date in 1900..2200", fname[f], d.year,
                          d.month, d.day);
    return EPV_OK;
}

static int xformat(epv_ctx *ctx, const struct tok *t, int nt, const epv_ledger_xserial *s, char *buf,
                   size_t bufsize)
{
    int rc;
    size_t pos = 0;
    buf[0] = 0;
    for (int k = 0; k < nt; k++) {
        char tmp[80];
        const char *piece;
        size_t len;
        int f = t[k].field;
        if (f == F_LIT) {
            piece = t[k].lit;
            len = t[k].len;
        } else {
            switch (f) {
            case F_PROGRAMME:
            case F_PROJECT:
                piece = f == F_PROGRAMME ? s->programme : s->project;
                if ((rc = epv__lg_check_id(ctx, piece, fname[f]))) return rc;
                break;
            case F_COUNTRY:
            case F_UNIT:
            case F_CODE:
                piece = f == F_COUNTRY ? s->country : f == F_UNIT ? s->unit : s->code;
                if ((rc = check_code(ctx, piece, f, f == F_COUNTRY ? 2 : 16))) return rc;
                break;
            case F_VINTAGE:
                if (s->vintage < 1900 || s->vintage > 2200)
                    return epv__error(ctx, EPV_ERANGE, "vintage: %d is outside 1900..2200", s->vintage);
                snprintf(tmp, sizeof tmp, "%d", s->vintage);
                piece = tmp;
                break;
            case F_SCOPE:
                if (s->scope < 1 || s->scope > 99)
                    return epv__error(ctx, EPV_ERANGE, "scope: %d is outside 1..99", s->scope);
                snprintf(tmp, sizeof tmp, "%d", s->scope);
                piece = tmp;
                break;
            case F_FLAG:
                if (s->flag < 0 || s->flag > 9)
                    return epv__error(ctx, EPV_ERANGE, "flag: %d is not one digit", s->flag);
                snprintf(tmp, sizeof tmp, "%d", s->flag);
                piece = tmp;
                break;
            case F_VSTART:
            case F_VEND: {
                epv_date d = f == F_VSTART ? s->vintage_start : s->vintage_end;
                if ((rc = check_ddmmyyyy(ctx, d, f))) return rc;
                snprintf(tmp, sizeof tmp, "%02d%02d%04d", d.day, d.month, d.year);
                piece = tmp;
                break;
            }
            default: {
                int64_t v = f == F_BATCH ? s->batch : f == F_START ? s->serial_start : s->serial_end;
                if (v < 1) return epv__error(ctx, EPV_ERANGE, "%s: %lld is below 1", fname[f], (long long)v);
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

static int xparse(epv_ctx *ctx, const struct tok *t, int nt, const char *text, epv_ledger_xserial *out)
{
    epv_ledger_xserial r = EPV_LEDGER_XSERIAL_INIT;
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
        if (f == F_VSTART || f == F_VEND) {
            /* DDMMYYYY: exactly eight ASCII digits, leading zeros required (Verra) */
            int d[8], n = 0;
            while (n < 8 && q[n] >= '0' && q[n] <= '9') {
                d[n] = q[n] - '0';
                n++;
            }
            if (n != 8 || (q[8] >= '0' && q[8] <= '9'))
                return epv__error(ctx, EPV_EPARSE, "%s: not eight digits DDMMYYYY at byte %zu of serial '%.80s'",
                                  fname[f], (size_t)(p - text), text);
            epv_date dt;
            dt.day = d[0] * 10 + d[1];
            dt.month = d[2] * 10 + d[3];
            dt.year = d[4] * 1000 + d[5] * 100 + d[6] * 10 + d[7];
            if (!epv_date_valid(dt) || dt.year < 1900 || dt.year > 2200)
                return epv__error(ctx, EPV_EPARSE, "%s: %.8s is not a date DDMMYYYY in 1900..2200 in serial '%.80s'",
                                  fname[f], p, text);
            if (f == F_VSTART) r.vintage_start = dt;
            else r.vintage_end = dt;
            q += 8;
        } else if (is_numeric(f)) {
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
            if (*p == '0' && !(f == F_FLAG && q == p + 1))
                return epv__error(ctx, EPV_EPARSE, "%s: leading zero in serial '%.80s'", fname[f], text);
            if (f == F_VINTAGE) {
                if (v < 1900 || v > 2200)
                    return epv__error(ctx, EPV_EPARSE, "vintage: %llu is outside 1900..2200", (unsigned long long)v);
                r.vintage = (int)v;
            } else if (f == F_SCOPE) {
                if (v > 99) return epv__error(ctx, EPV_EPARSE, "scope: %llu is outside 1..99", (unsigned long long)v);
                r.scope = (int)v;
            } else if (f == F_FLAG) {
                if (v > 9) return epv__error(ctx, EPV_EPARSE, "flag: %llu is not one digit", (unsigned long long)v);
                r.flag = (int)v;
            } else if (f == F_BATCH) {
                r.batch = (int64_t)v;
            } else if (f == F_START) {
                r.serial_start = (int64_t)v;
            } else {
                r.serial_end = (int64_t)v;
            }
        } else {
            while (field_holds(f, (unsigned char)*q)) q++;
            size_t len = (size_t)(q - p);
            size_t max = f == F_COUNTRY ? 2 : (f == F_UNIT || f == F_CODE) ? 16 : EPV__L_MAX_ID;
            if (len == 0)
                return epv__error(ctx, EPV_EPARSE, "%s: missing at byte %zu of serial '%.80s'", fname[f],
                                  (size_t)(p - text), text);
            if (len > max || (f == F_COUNTRY && len != 2))
                return epv__error(ctx, EPV_EPARSE, "%s: '%.*s' is not %s in serial '%.80s'", fname[f], (int)len, p,
                                  f == F_COUNTRY ? "two capital letters" : "of an allowed length", text);
            char *dst = f == F_PROGRAMME ? r.programme
                        : f == F_PROJECT ? r.project
                        : f == F_COUNTRY ? r.country
                        : f == F_UNIT    ? r.unit
                                         : r.code;
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
    if ((r.vintage_start.year || r.vintage_end.year) &&
        epv_date_to_days(r.vintage_end) < epv_date_to_days(r.vintage_start))
        return epv__error(ctx, EPV_EPARSE, "vintage_end: before vintage_start in serial '%.80s'", text);
    *out = r;
    return EPV_OK;
}

static void x_from_basic(const epv_ledger_serial *s, epv_ledger_xserial *x)
{
    epv_ledger_xserial z = EPV_LEDGER_XSERIAL_INIT;
    *x = z;
    memcpy(x->programme, s->programme, sizeof x->programme);
    memcpy(x->project, s->project, sizeof x->project);
    x->programme[sizeof x->programme - 1] = 0;
    x->project[sizeof x->project - 1] = 0;
    x->vintage = s->vintage;
    x->batch = s->batch;
    x->serial_start = s->serial_start;
    x->serial_end = s->serial_end;
}

EPV_API int epv_ledger_serial_format(epv_ctx *ctx, const char *format, const epv_ledger_serial *s,
                                     char *buf, size_t bufsize)
{
    if (!s || !buf || !bufsize) return epv__error(ctx, EPV_EINVAL, "serial_format: NULL argument");
    int vrc = epv__check_version(ctx, "epv_ledger_serial", s, EPV_LEDGER_SERIAL_VERSION);
    if (vrc) return vrc;
    struct tok t[32];
    int nt, rc = tokenize_basic(ctx, format ? format : EPV_LEDGER_SERIAL_DEFAULT, t, &nt);
    if (rc) return rc;
    epv_ledger_xserial x;
    x_from_basic(s, &x);
    return xformat(ctx, t, nt, &x, buf, bufsize);
}

EPV_API int epv_ledger_serial_parse(epv_ctx *ctx, const char *format, const char *text,
                                    epv_ledger_serial *out)
{
    if (!text || !out) return epv__error(ctx, EPV_EINVAL, "serial: NULL argument");
    int vrc = epv__check_version(ctx, "epv_ledger_serial", out, EPV_LEDGER_SERIAL_VERSION);
    if (vrc) return vrc;
    struct tok t[32];
    int nt, rc = tokenize_basic(ctx, format ? format : EPV_LEDGER_SERIAL_DEFAULT, t, &nt);
    if (rc) return rc;
    epv_ledger_xserial x;
    if ((rc = xparse(ctx, t, nt, text, &x))) return rc;
    epv_ledger_serial r;
    memset(&r, 0, sizeof r);
    r.version = EPV_LEDGER_SERIAL_VERSION;
    memcpy(r.programme, x.programme, sizeof r.programme);
    memcpy(r.project, x.project, sizeof r.project);
    r.vintage = x.vintage;
    r.batch = x.batch;
    r.serial_start = x.serial_start;
    r.serial_end = x.serial_end;
    *out = r;
    return EPV_OK;
}

EPV_API int epv_ledger_xserial_format(epv_ctx *ctx, const char *format, const epv_ledger_xserial *s,
                                      char *buf, size_t bufsize)
{
    EPV__NEED(ctx, format, "format");
    EPV__NEED(ctx, s, "s");
    EPV__NEED(ctx, buf, "buf");
    if (!bufsize) return epv__error(ctx, EPV_ERANGE, "epv_ledger_xserial_format: buffer of size 0");
    int rc = epv__check_version(ctx, "epv_ledger_xserial", s, EPV_LEDGER_XSERIAL_VERSION);
    if (rc) return rc;
    struct tok t[32];
    unsigned used;
    int nt;
    if ((rc = tokenize(ctx, format, t, &nt, &used))) return rc;
    return xformat(ctx, t, nt, s, buf, bufsize);
}

EPV_API int epv_ledger_xserial_parse(epv_ctx *ctx, const char *format, const char *text,
                                     epv_ledger_xserial *out)
{
    EPV__NEED(ctx, format, "format");
    EPV__NEED(ctx, text, "text");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_ledger_xserial", out, EPV_LEDGER_XSERIAL_VERSION);
    if (rc) return rc;
    struct tok t[32];
    unsigned used;
    int nt;
    if ((rc = tokenize(ctx, format, t, &nt, &used))) return rc;
    return xparse(ctx, t, nt, text, out);
}

EPV__DEFINE_INIT(epv_ledger_xserial, EPV_LEDGER_XSERIAL_VERSION, EPV_LEDGER_XSERIAL_INIT)

/* A POSIX extended regular expression matching every serial of a template, whose first
 * group is {start} and second {end} (the meaning of CADT's serialNumberPattern). */
int epv__lg_serial_regex(epv_ctx *ctx, const char *format, char *buf, size_t bufsize)
{
    struct tok t[32];
    unsigned used;
    int nt, rc = tokenize(ctx, format, t, &nt, &used);
    if (rc) return rc;
    int seen_start = 0;
    size_t pos = 0;
#define PUT(str)                                                                                   \
    do {                                                                                           \
        size_t l_ = strlen(str);                                                                   \
        if (pos + l_ + 1 > bufsize) return epv__error(ctx, EPV_ERANGE, "serial pattern: too long"); \
        memcpy(buf + pos, (str), l_);                                                              \
        pos += l_;                                                                                 \
        buf[pos] = 0;                                                                              \
    } while (0)
    PUT("^");
    for (int k = 0; k < nt; k++) {
        int f = t[k].field;
        if (f == F_LIT) {
            for (size_t j = 0; j < t[k].len; j++) {
                char c = t[k].lit[j], one[8];
                if (is_id_char((unsigned char)c) && c != '.') snprintf(one, sizeof one, "%c", c);
                else if (c == '^') snprintf(one, sizeof one, "\\^");
                else if (c == '\\') snprintf(one, sizeof one, "[\\]");
                else snprintf(one, sizeof one, "[%c]", c);
                PUT(one);
            }
        } else if (f == F_START) {
            seen_start = 1;
            PUT("([0-9]+)");
        } else if (f == F_END) {
            if (!seen_start)
                return epv__error(ctx, EPV_EUNSUPPORTED,
                                  "serial pattern: {end} before {start} cannot give CADT's group order");
            PUT("([0-9]+)");
        } else if (f == F_VSTART || f == F_VEND) {
            PUT("[0-9]{8}");
        } else if (is_numeric(f)) {
            PUT("[0-9]+");
        } else if (f == F_COUNTRY) {
            PUT("[A-Z]{2}");
        } else {
            PUT("[A-Za-z0-9_.]+");
        }
    }
    PUT("$");
#undef PUT
    return EPV_OK;
}
