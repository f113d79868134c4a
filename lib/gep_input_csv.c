/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GEP input as CSV tables: one table per element of schema/gep_input.xsd, its columns the
 * element's attributes. The tables are read with the library's strict CSV reader
 * (lib/csv_int.h), turned row by row into the elements of an input document (one line per
 * row) and read by the same XML path, schema validation included, so a CSV input is checked
 * exactly as strictly as an XML one. Errors are mapped back to the table's file, line and
 * column. */
#include "config.h"
#include "gep_int.h"
#include "csv_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Element tables in the order they are read; gepInput.csv (one row: firstYear, years,
 * priceYear), region.csv and ecosystem.csv are required, the others optional. */
static const char *const tables[] = {
    "source", "region", "ecosystem", "ecosystemArea", "gdp", "deflator", "price", "soilPrice", "sandPrice",
    "emission", "quantity", "waterBalance", "soilLoss", "nep", "co2", "pollutant", "climate",
    "climateTranspiration", "climateEvaporation", "floodVegetation", "floodReservoir", "floodMarsh",
    "sandFixation", "inflow", "reported", "reportedPrice",
};

struct linemap { int file; size_t line; };

struct gen {
    epv_ctx *ctx;
    char *buf;
    size_t len, cap;
    struct linemap *map; /* map[k]: where generated line k + 1 comes from */
    size_t nlines, capmap;
    char **files;
    size_t nfiles;
};

static int put(struct gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 4096;
        while (cap < g->len + n + 1) cap *= 2;
        char *b = epv__realloc(g->ctx, g->buf, cap);
        if (!b) return EPV_ENOMEM;
        g->buf = b;
        g->cap = cap;
    }
    memcpy(g->buf + g->len, s, n);
    g->len += n;
    g->buf[g->len] = '\0';
    return EPV_OK;
}

static int puts_(struct gen *g, const char *s) { return put(g, s, strlen(s)); }

/* Attribute value with XML escaping (the CSV reader has already refused NUL and bad UTF-8). */
static int put_value(struct gen *g, const char *s)
{
    int rc = EPV_OK;
    for (; *s && !rc; s++) {
        switch (*s) {
        case '&': rc = puts_(g, "&amp;"); break;
        case '<': rc = puts_(g, "&lt;"); break;
        case '>': rc = puts_(g, "&gt;"); break;
        case '"': rc = puts_(g, "&quot;"); break;
        case '\n': rc = puts_(g, "&#10;"); break;
        case '\r': rc = puts_(g, "&#13;"); break;
        case '\t': rc = puts_(g, "&#9;"); break;
        default: rc = put(g, s, 1);
        }
    }
    return rc;
}

/* End a generated line that came from `file`, CSV line `line`. */
static int newline(struct gen *g, int file, size_t line)
{
    if (epv__grow(g->ctx, (void **)&g->map, &g->capmap, g->nlines + 1, sizeof *g->map)) return EPV_ENOMEM;
    g->map[g->nlines++] = (struct linemap){ file, line };
    return puts_(g, "\n");
}

static int valid_name(const char *s)
{
    if (!isalpha((unsigned char)*s)) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return 0;
    return 1;
}

/* Every row of one table as an element; empty fields leave the attribute out. */
static int put_rows(struct gen *g, epv__csv *c, const char *element, int file, int root)
{
    epv_ctx *ctx = g->ctx;
    size_t nc = epv__csv_ncols(c);
    for (size_t j = 0; j < nc; j++)
        if (!valid_name(epv__csv_header(c, j)))
            return epv__error(ctx, EPV_EPARSE, "%s:1: column '%s': not a name of an attribute of <%s>", epv__csv_name(c),
                              epv__csv_header(c, j), element);
    int rc;
    size_t rows = 0;
    while ((rc = epv__csv_next(ctx, c)) == EPV_OK) {
        if (root && rows++ > 0)
            return epv__error(ctx, EPV_EPARSE, "%s:%zu: gepInput.csv holds one row (firstYear, years, priceYear)",
                              epv__csv_name(c), epv__csv_line(c));
        if ((rc = puts_(g, "<")) || (rc = puts_(g, element))) return rc;
        if (root && (rc = puts_(g, " version=\"1\""))) return rc;
        for (size_t j = 0; j < nc; j++) {
            const char *v = epv__csv_field(c, j);
            if (!v[0]) continue;
            if ((rc = puts_(g, " ")) || (rc = puts_(g, epv__csv_header(c, j))) || (rc = puts_(g, "=\"")) ||
                (rc = put_value(g, v)) || (rc = puts_(g, "\"")))
                return rc;
        }
        if ((rc = puts_(g, root ? ">" : "/>")) || (rc = newline(g, file, epv__csv_line(c)))) return rc;
    }
    if (rc != EPV_ITEROVER) return rc;
    if (root && rows == 0) return epv__error(ctx, EPV_EPARSE, "%s: no row (firstYear, years, priceYear)", epv__csv_name(c));
    return EPV_OK;
}

static int add_file(struct gen *g, const char *path)
{
    char *p = epv__strdup(g->ctx, path);
    if (!p) return EPV_ENOMEM;
    size_t cap = g->nfiles;
    char **f = epv__realloc(g->ctx, g->files, (cap + 1) * sizeof *f);
    if (!f) {
        epv__free(g->ctx, p);
        return EPV_ENOMEM;
    }
    g->files = f;
    g->files[g->nfiles++] = p;
    return (int)(g->nfiles - 1);
}

/* Read dir/<name>.csv into the document; *present 0 when the file does not exist. */
static int table(struct gen *g, const char *dir, const char *name, const char *encoding, int root, int required)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) return epv__error(g->ctx, EPV_EINVAL, "dir: path too long");
    struct stat st;
    if (stat(path, &st) != 0) {
        if (required) return epv__error(g->ctx, EPV_EIO, "%s: cannot open: %s (a required table)", path, strerror(errno));
        return EPV_OK;
    }
    int file = add_file(g, path);
    if (file < 0) return file;
    epv__csv *c = NULL;
    int rc = epv__csv_open_file(g->ctx, path, encoding, &c);
    if (!rc) rc = put_rows(g, c, root ? "gepInput" : name, file, root);
    epv__csv_free(c);
    return rc;
}

/* "csv:L: rest" from the XML path becomes "file:line: rest" with attributes called columns. */
static int remap_error(struct gen *g, int rc)
{
    char msg[EPV_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", epv_ctx_errmsg(g->ctx));
    const char *p = msg;
    if (strncmp(p, "csv:", 4) != 0) return rc;
    char *end;
    unsigned long L = strtoul(p + 4, &end, 10);
    if (*end != ':' || L < 1 || L > g->nlines) return rc;
    const struct linemap *m = &g->map[L - 1];
    if (m->file < 0) return rc;
    char rest[EPV_ERRMSG_MAX], *a;
    snprintf(rest, sizeof rest, "%s", end + 1);
    while ((a = strstr(rest, "attribute '")) != NULL) {
        /* same length trick: "attribute '" (11) → "column '" (8) */
        memmove(a + 8, a + 11, strlen(a + 11) + 1);
        memcpy(a, "column '", 8);
    }
    return epv__error(g->ctx, rc, "%s:%zu:%s", g->files[m->file], m->line, rest);
}

EPV_API int epv_gep_input_load_csv_dir(epv_ctx *ctx, const epv_gep_tree *tree, const char *dir, const char *encoding,
                                       epv_gep_input **out)
{
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, dir, "dir");
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    struct gen g;
    memset(&g, 0, sizeof g);
    g.ctx = ctx;
    int rc = puts_(&g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    if (!rc) rc = newline(&g, -1, 0);
    if (!rc) rc = epv__progress(ctx, 0.0, "gep csv input");
    if (!rc) rc = table(&g, dir, "gepInput", encoding, 1, 1);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0] && !rc; t++) {
        int required = strcmp(tables[t], "region") == 0 || strcmp(tables[t], "ecosystem") == 0;
        rc = table(&g, dir, tables[t], encoding, 0, required);
    }
    if (!rc) rc = puts_(&g, "</gepInput>\n");
    if (!rc) rc = epv__progress(ctx, 0.5, "gep csv input: tables read");
    if (!rc) {
        rc = epv_gep_input_load_memory(ctx, tree, g.buf, g.len, "csv", out);
        /* the line of the root element and of the closing tag have no row of their own */
        if (rc) rc = remap_error(&g, rc);
    }
    if (!rc && (rc = epv__progress(ctx, 1.0, "gep csv input done"))) {
        epv_gep_input_free(*out);
        *out = NULL;
    }
    for (size_t i = 0; i < g.nfiles; i++) epv__free(ctx, g.files[i]);
    epv__free(ctx, g.files);
    epv__free(ctx, g.map);
    epv__free(ctx, g.buf);
    return rc;
}
