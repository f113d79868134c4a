/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict CSV reader (see csv_int.h). The whole input is parsed at open into one buffer of
 * NUL-terminated fields, so rows can be counted before they are used and a malformed line
 * anywhere is reported before any row reaches a model (readers then change nothing). */
#include "config.h"
#include "csv_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct epv__csv {
    epv_ctx *ctx;
    char *name;
    char *text;        /* fields, each NUL-terminated, in order */
    size_t *field;     /* offsets of fields into text: header first, then rows */
    size_t *row_line;  /* physical line of each row (header is row 0) */
    size_t ncols, nrows_total, cur; /* cur: current data row (1-based into rows), 0 before */
};

static int utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) {
            *bad = i;
            return 0;
        }
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) {
                *bad = i;
                return 0;
            }
        if (len == 3) { /* no overlongs, no surrogates */
            unsigned cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                *bad = i;
                return 0;
            }
        } else if (len == 4) {
            unsigned cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12);
            if (cp < 0x10000 || cp > 0x10FFFF) {
                *bad = i;
                return 0;
            }
        }
        i += len;
    }
    return 1;
}

static size_t line_of(const char *s, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') line++;
    return line;
}

/* GB18030 → UTF-8 through iconv; *out is allocated on ctx. */
static int to_utf8(epv_ctx *ctx, const char *name, const char *enc, const char *buf, size_t len,
                   char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return epv__error(ctx, EPV_EUNSUPPORTED, "%s: encoding '%s' is not supported here", name, enc);
    size_t cap = len * 2 + 16; /* GB18030 needs at most 2 bytes... 4 → 4: ×2 is safe */
    char *dst = epv__malloc(ctx, cap);
    if (!dst) {
        iconv_close(cd);
        return EPV_ENOMEM;
    }
    char *in = (char *)buf, *o = dst;
    size_t inleft = len, oleft = cap;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        size_t off = (size_t)(in - buf);
        epv__free(ctx, dst);
        return epv__error(ctx, EPV_EPARSE, "%s:%zu: byte %zu is not valid %s", name,
                          line_of(buf, off), off, enc);
    }
    *out = dst;
    *outlen = cap - oleft;
    return EPV_OK;
}

int epv__csv_open_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                         const char *encoding, epv__csv **out)
{
    if (!out) return epv__error(ctx, EPV_EINVAL, "csv: NULL output");
    *out = NULL;
    if (!buf && len) return epv__error(ctx, EPV_EINVAL, "csv: NULL buffer");
    if (!name) name = "<memory>";
    if (len > EPV__CSV_FILE_MAX)
        return epv__error(ctx, EPV_ERANGE, "%s: %zu bytes is larger than the %zu-byte limit", name,
                          len, EPV__CSV_FILE_MAX);
    char *conv = NULL;
    size_t clen = 0;
    if (encoding && strcmp(encoding, "UTF-8") != 0 && strcmp(encoding, "utf-8") != 0) {
        if (strcmp(encoding, "GB18030") != 0 && strcmp(encoding, "gb18030") != 0)
            return epv__error(ctx, EPV_EUNSUPPORTED,
                              "%s: encoding '%s' is not supported (UTF-8 or GB18030)", name, encoding);
        int rc = to_utf8(ctx, name, "GB18030", buf, len, &conv, &clen);
        if (rc) return rc;
        buf = conv;
        len = clen;
    }
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF) {
        buf += 3;
        len -= 3;
    }
    int rc = EPV_OK;
    size_t bad;
    if (memchr(buf, '\0', len)) {
        size_t off = (size_t)((const char *)memchr(buf, '\0', len) - buf);
        rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: NUL byte in the text", name, line_of(buf, off));
    } else if (!utf8_valid((const unsigned char *)buf, len, &bad)) {
        rc = epv__error(ctx, EPV_EPARSE,
                        "%s:%zu: invalid UTF-8 at byte %zu (declare GB18030 if the file uses it)",
                        name, line_of(buf, bad), bad);
    }
    epv__csv *c = rc ? NULL : epv__calloc(ctx, 1, sizeof *c);
    if (!rc && !c) rc = EPV_ENOMEM;
    if (!rc) {
        c->ctx = ctx;
        c->name = epv__strdup(ctx, name);
        c->text = epv__malloc(ctx, len + 2);
        if (!c->name || !c->text) rc = EPV_ENOMEM;
    }
    size_t tpos = 0, nfields = 0, fcap = 0, nrows = 0, rcap = 0;
    size_t line = 1, i = 0, rowcols = 0;
    int in_header = 1;
    while (!rc && i < len) {
        /* start of a physical line: blank lines skipped, '#' comments before the header */
        if (rowcols == 0) {
            if (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
                i += buf[i] == '\r' ? 2 : 1;
                line++;
                continue;
            }
            if (in_header && buf[i] == '#') {
                while (i < len && buf[i] != '\n') i++;
                if (i < len) i++;
                line++;
                continue;
            }
            if (nrows == rcap) {
                rc = epv__grow(ctx, (void **)&c->row_line, &rcap, nrows + 1, sizeof(size_t));
                if (rc) break;
            }
            c->row_line[nrows] = line;
        }
        /* one field */
        if (nfields == fcap) {
            rc = epv__grow(ctx, (void **)&c->field, &fcap, nfields + 1, sizeof(size_t));
            if (rc) break;
        }
        c->field[nfields] = tpos;
        size_t start = tpos;
        if (buf[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) {
                    rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column %zu: quoted field not closed",
                                    name, c->row_line[nrows], rowcols + 1);
                    break;
                }
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        c->text[tpos++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (buf[i] == '\n') line++;
                c->text[tpos++] = buf[i++];
            }
            if (rc) break;
            if (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column %zu: text after a closing quote",
                                name, line, rowcols + 1);
                break;
            }
        } else {
            while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                if (buf[i] == '"') {
                    rc = epv__error(ctx, EPV_EPARSE,
                                    "%s:%zu: column %zu: quote inside an unquoted field", name,
                                    line, rowcols + 1);
                    break;
                }
                c->text[tpos++] = buf[i++];
            }
            if (rc) break;
            if (i < len && buf[i] == '\r' && !(i + 1 < len && buf[i + 1] == '\n')) {
                rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: bare carriage return", name, line);
                break;
            }
        }
        if (tpos - start > EPV__CSV_FIELD_MAX) {
            rc = epv__error(ctx, EPV_ERANGE, "%s:%zu: column %zu: field longer than %u bytes",
                            name, c->row_line[nrows], rowcols + 1, EPV__CSV_FIELD_MAX);
            break;
        }
        c->text[tpos++] = '\0';
        nfields++;
        rowcols++;
        if (i < len && buf[i] == ',') {
            i++;
            if (i >= len || buf[i] == '\n' || buf[i] == '\r') { /* trailing comma: empty field */
                if (nfields == fcap &&
                    (rc = epv__grow(ctx, (void **)&c->field, &fcap, nfields + 1, sizeof(size_t))))
                    break;
                c->field[nfields++] = tpos;
                c->text[tpos++] = '\0';
                rowcols++;
            } else {
                continue;
            }
        }
        /* end of record */
        if (i < len && buf[i] == '\r') i++;
        if (i < len && buf[i] == '\n') i++;
        if (in_header) {
            if (rowcols > EPV__CSV_COLS_MAX) {
                rc = epv__error(ctx, EPV_ERANGE, "%s:%zu: %zu columns, more than %u", name,
                                c->row_line[0], rowcols, EPV__CSV_COLS_MAX);
                break;
            }
            c->ncols = rowcols;
            in_header = 0;
        } else if (rowcols != c->ncols) {
            rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: %zu fields, the header has %zu", name,
                            c->row_line[nrows], rowcols, c->ncols);
            break;
        }
        nrows++;
        rowcols = 0;
        line++;
    }
    if (!rc && nrows == 0)
        rc = epv__error(ctx, EPV_EPARSE, "%s: no header row (the file is empty)", name);
    for (size_t a = 0; !rc && a < c->ncols; a++) {
        const char *h = c->text + c->field[a];
        if (!*h) rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column %zu has an empty name", name,
                                 c->row_line[0], a + 1);
        for (size_t b = 0; !rc && b < a; b++)
            if (strcmp(h, c->text + c->field[b]) == 0)
                rc = epv__error(ctx, EPV_EPARSE, "%s:%zu: column '%s' appears twice", name,
                                c->row_line[0], h);
    }
    epv__free(ctx, conv);
    if (rc) {
        epv__csv_free(c);
        return rc;
    }
    c->nrows_total = nrows;
    c->cur = 0;
    *out = c;
    return EPV_OK;
}

int epv__csv_open_file(epv_ctx *ctx, const char *path, const char *encoding, epv__csv **out)
{
    if (!out || !path) return epv__error(ctx, EPV_EINVAL, "csv: NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return epv__error(ctx, EPV_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = epv__malloc(ctx, cap);
    int rc = buf ? EPV_OK : EPV_ENOMEM;
    while (!rc) {
        if (n == cap) {
            if (cap > EPV__CSV_FILE_MAX) {
                rc = epv__error(ctx, EPV_ERANGE, "%s: larger than the %zu-byte limit", path,
                                EPV__CSV_FILE_MAX);
                break;
            }
            char *nb = epv__realloc(ctx, buf, cap * 2);
            if (!nb) {
                rc = EPV_ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    if (!rc && ferror(f)) rc = epv__error(ctx, EPV_EIO, "%s: read error", path);
    fclose(f);
    if (!rc) rc = epv__csv_open_memory(ctx, buf, n, path, encoding, out);
    epv__free(ctx, buf);
    return rc;
}

void epv__csv_free(epv__csv *c)
{
    if (!c) return;
    epv_ctx *ctx = c->ctx;
    epv__free(ctx, c->name);
    epv__free(ctx, c->text);
    epv__free(ctx, c->field);
    epv__free(ctx, c->row_line);
    epv__free(ctx, c);
}

size_t epv__csv_ncols(const epv__csv *c) { return c->ncols; }
size_t epv__csv_nrows(const epv__csv *c) { return c->nrows_total - 1; }
const char *epv__csv_name(const epv__csv *c) { return c->name; }
size_t epv__csv_line(const epv__csv *c) { return c->row_line[c->cur]; }

const char *epv__csv_header(const epv__csv *c, size_t col)
{
    return col < c->ncols ? c->text + c->field[col] : "";
}

int epv__csv_col(epv_ctx *ctx, const epv__csv *c, const char *name, int required, size_t *col)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strcmp(epv__csv_header(c, i), name) == 0) {
            *col = i;
            return EPV_OK;
        }
    *col = SIZE_MAX;
    if (!required) return EPV_OK;
    char list[256];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < c->ncols && used + 4 < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", epv__csv_header(c, i));
        if (w < 0) break;
        used += (size_t)w;
        if (used >= sizeof list) used = sizeof list - 1;
    }
    return epv__error(ctx, EPV_ENOTFOUND, "%s:%zu: no column '%s' (the columns are: %s)", c->name,
                      c->row_line[0], name, list);
}

int epv__csv_next(epv_ctx *ctx, epv__csv *c)
{
    (void)ctx;
    if (c->cur + 1 >= c->nrows_total) return EPV_ITEROVER;
    c->cur++;
    return EPV_OK;
}

const char *epv__csv_field(const epv__csv *c, size_t col)
{
    if (col >= c->ncols || c->cur == 0) return "";
    return c->text + c->field[c->cur * c->ncols + col];
}

int epv__csv_error(epv_ctx *ctx, const epv__csv *c, size_t col, int code, const char *fmt, ...)
{
    char msg[EPV_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    void *saved = epv__locale_push();
    vsnprintf(msg, sizeof msg, fmt, ap);
    epv__locale_pop(saved);
    va_end(ap);
    if (col < c->ncols)
        return epv__error(ctx, code, "%s:%zu: column '%s': %s", c->name, epv__csv_line(c),
                          epv__csv_header(c, col), msg);
    return epv__error(ctx, code, "%s:%zu: %s", c->name, epv__csv_line(c), msg);
}

int epv__csv_double(epv_ctx *ctx, const epv__csv *c, size_t col, double min, double max,
                    double *out)
{
    const char *s = epv__csv_field(c, col);
    double v;
    if (!*s) return epv__csv_error(ctx, c, col, EPV_EPARSE, "empty, a number was expected");
    if (epv__parse_double(s, &v))
        return epv__csv_error(ctx, c, col, EPV_EPARSE, "'%.40s' is not a number", s);
    if (v < min || v > max)
        return epv__csv_error(ctx, c, col, EPV_ERANGE, "%g is outside [%g, %g]", v, min, max);
    *out = v;
    return EPV_OK;
}

int epv__csv_i64(epv_ctx *ctx, const epv__csv *c, size_t col, int64_t min, int64_t max,
                 int64_t *out)
{
    const char *s = epv__csv_field(c, col);
    int64_t v;
    if (!*s) return epv__csv_error(ctx, c, col, EPV_EPARSE, "empty, an integer was expected");
    if (epv__parse_i64(s, &v))
        return epv__csv_error(ctx, c, col, EPV_EPARSE, "'%.40s' is not an integer", s);
    if (v < min || v > max)
        return epv__csv_error(ctx, c, col, EPV_ERANGE, "%lld is outside [%lld, %lld]",
                              (long long)v, (long long)min, (long long)max);
    *out = v;
    return EPV_OK;
}

int epv__csv_text(epv_ctx *ctx, const epv__csv *c, size_t col, const char **out)
{
    const char *s = epv__csv_field(c, col);
    if (!*s) return epv__csv_error(ctx, c, col, EPV_EPARSE, "empty");
    *out = s;
    return EPV_OK;
}
