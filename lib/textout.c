/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared file-writing helpers (see textout_int.h). */
#include "config.h"
#include "textout_int.h"
#include "epv/csvout.h"

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

EPV__DEFINE_INIT(epv_csvout_options, EPV_CSVOUT_OPTIONS_VERSION, EPV_CSVOUT_OPTIONS_INIT)

EPV_API int epv_csvout_set(epv_ctx *ctx, const epv_csvout_options *opts)
{
    if (!ctx) return EPV_EINVAL;
    EPV__NEED(ctx, opts, "opts");
    int rc = epv__check_version(ctx, "epv_csvout_options", opts, EPV_CSVOUT_OPTIONS_VERSION);
    if (rc) return rc;
    if (opts->flags & ~(EPV_CSVOUT_BOM | EPV_CSVOUT_NAMES))
        return epv__error(ctx, EPV_EINVAL, "epv_csvout_set: flags 0x%x: unknown bits (valid: EPV_CSVOUT_BOM, EPV_CSVOUT_NAMES)",
                          opts->flags);
    ctx->csv_flags = opts->flags;
    return EPV_OK;
}

EPV_API int epv_csvout_get(const epv_ctx *ctx, epv_csvout_options *out)
{
    if (!ctx || !out) return EPV_EINVAL;
    out->version = EPV_CSVOUT_OPTIONS_VERSION;
    out->flags = ctx->csv_flags;
    return EPV_OK;
}

void epv__out_csv_start(const epv_ctx *ctx, epv__out *out)
{
    if (ctx && (ctx->csv_flags & EPV_CSVOUT_BOM) && out->f) fputs("\xEF\xBB\xBF", out->f);
}

int epv__out_csv_names(const epv_ctx *ctx) { return ctx && (ctx->csv_flags & EPV_CSVOUT_NAMES); }
