/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the serial-string parser and formatter. Input: the serial text, or a template
 * line, a newline and the text. Anything that parses must format back to the same text and
 * parse again to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    const char *fmt = NULL, *text = buf;
    char *nl = memchr(buf, '\n', size);
    if (nl) {
        *nl = 0;
        fmt = buf;
        text = nl + 1;
    }
    epv_ctx *ctx = NULL;
    if (epv_ctx_new(&ctx) == EPV_OK) {
        epv_ledger_serial s = EPV_LEDGER_SERIAL_INIT, s2 = EPV_LEDGER_SERIAL_INIT;
        if (strlen(text) == (size_t)(buf + size - text) && epv_ledger_serial_parse(ctx, fmt, text, &s) == EPV_OK) {
            char out[512];
            /* fields absent from the template keep neutral values the formatter accepts */
            if (!s.programme[0]) strcpy(s.programme, "X");
            if (!s.vintage) s.vintage = 2000;
            if (!s.batch) s.batch = 1;
            if (epv_ledger_serial_format(ctx, fmt, &s, out, sizeof out) != EPV_OK) abort();
            if (epv_ledger_serial_parse(ctx, fmt, out, &s2) != EPV_OK) abort();
            if (s2.serial_start != s.serial_start || s2.serial_end != s.serial_end || strcmp(s2.project, s.project))
                abort();
            if (!fmt && strcmp(out, text)) abort(); /* the default template is canonical */
        }
        epv_ctx_free(ctx);
    }
    free(buf);
    return 0;
}
