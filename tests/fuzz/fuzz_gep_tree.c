/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: GEP category tree reader (schema/gep_tree.xsd). */
#include <stddef.h>
#include <stdint.h>
#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 0;
    epv_gep_tree *t = NULL;
    if (epv_gep_tree_load_memory(ctx, (const char *)data, size, "fuzz.xml", &t) == 0) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        for (size_t i = 0; i < epv_gep_tree_count(t); i++) epv_gep_tree_at(ctx, t, i, &ind);
    }
    epv_gep_tree_free(t);
    epv_ctx_free(ctx);
    return 0;
}
