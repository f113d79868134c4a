/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: importing a whole ledger from XML (into an in-memory SQLite database). Any
 * input must either be refused with an error or give a ledger that verifies. */
#include <stdint.h>
#include <stdlib.h>

#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx = NULL;
    if (size > (1u << 20) || epv_ctx_new(&ctx) != EPV_OK) return 0;
    epv_ledger *l = NULL;
    if (epv_ledger_import_xml_memory(ctx, (const char *)data, size, "fuzz.xml", ":memory:", &l) == EPV_OK) {
        if (!l || epv_ledger_verify(l) != EPV_OK) abort();
        epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
        if (epv_ledger_totals_get(l, NULL, 0, &t) != EPV_OK) abort();
        if (t.issued != t.held + t.buffer + t.retired + t.cancelled) abort();
    } else if (l) {
        abort();
    }
    epv_ledger_close(l);
    epv_ctx_free(ctx);
    return 0;
}
