/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: GEP uncertainty table reader (schema/gep_unc.xsd), then lookups of every
 * entry on whatever loaded. */
#include <stddef.h>
#include <stdint.h>
#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 0;
    epv_gep_tree *tree = NULL;
    epv_gep_unc *unc = NULL;
    if (epv_gep_tree_load_default(ctx, &tree) == 0 &&
        epv_gep_unc_load_memory(ctx, tree, (const char *)data, size, "fuzz.xml", &unc) == 0) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        epv_gep_unc_input r = EPV_GEP_UNC_INPUT_INIT;
        for (size_t i = 0; i < epv_gep_tree_count(tree); i++)
            if (epv_gep_tree_at(ctx, tree, i, &ind) == 0) epv_gep_unc_find(ctx, unc, ind.code, &r);
    }
    epv_gep_unc_free(unc);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return 0;
}
