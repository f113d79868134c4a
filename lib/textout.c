/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared file-writing helpers (see textout_int.h). */
#include "config.h"
#include "textout_int.h"

#include <errno.h>
#include <string.h>

int epv__out_open(epv_ctx *ctx, const char *path, epv__out *out)
{
    out->f = NULL;
    out->path = path;
    out->saved_locale = NULL;
    if (!path) return epv__error(ctx, EPV_EINVAL, "output path is NULL");
    if ((size_t)snprintf(out->tmp, sizeof out->tmp, "%s.tmp", path) >= sizeof out->tmp)
        return epv__error(ctx, EPV_EINVAL, "%.200s...: output path too long", path);
    out->f = fopen(out->tmp, "wb");
    if (!out->f) return epv__error(ctx, EPV_EIO, "%s: cannot write: %s", path, strerror(errno));
    out->saved_locale = epv__locale_push();
    return EPV_OK;
}

int epv__out_close(epv_ctx *ctx, epv__out *out, int rc)
{
    if (!out->f) return rc;
    epv__locale_pop(out->saved_locale);
    out->saved_locale = NULL;
    int bad = ferror(out->f);
    if (fclose(out->f) != 0) bad = 1;
    out->f = NULL;
    if (!rc && !bad && rename(out->tmp, out->path) == 0) return EPV_OK;
    remove(out->tmp);
    if (!rc) rc = epv__error(ctx, EPV_EIO, "%s: write failed", out->path);
    return rc;
}

void epv__out_xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

void epv__out_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
