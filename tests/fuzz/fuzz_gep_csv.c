/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: deflator CSV reader. */
#include <stddef.h>
#include <stdint.h>
#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 0;
    epv_gep_deflator *d = NULL;
    if (epv_gep_deflator_load_csv_memory(ctx, (const char *)data, size, "fuzz.csv", &d) == 0) {
        double v;
        epv_gep_deflate(ctx, d, 1.0, 2005, 2020, &v);
    }
    epv_gep_deflator_free(d);
    epv_ctx_free(ctx);
    return 0;
}
