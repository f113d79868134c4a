/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: parameter tables from untrusted bytes. Loads the input as a table; when it
 * loads, walks every row and exercises lookups and an override, so code behind a
 * successful load is fuzzed too. Must never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stddef.h>
#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx = NULL;
    if (epv_ctx_new(&ctx)) return 0;
    epv_params *p = NULL;
    if (epv_params_load_memory(ctx, (const char *)data, size, "fuzz", &p) == 0) {
        epv_params_species s = EPV_PARAMS_SPECIES_INIT;
        epv_params_ipcc_growth g = EPV_PARAMS_IPCC_GROWTH_INIT;
        epv_params_source src = EPV_PARAMS_SOURCE_INIT;
        for (size_t i = 0; i < epv_params_species_count(p); i++)
            if (epv_params_species_at(ctx, p, i, &s) == 0) {
                const char *vs;
                epv_params_species_find(ctx, p, s.name_en, &s);
                epv_params_species_value_source(ctx, p, s.code, "bef", &vs);
                epv_params_species_override(ctx, p, s.code, "bef", 1.5, s.source);
            }
        for (size_t i = 0; i < epv_params_ipcc_growth_count(p); i++)
            if (epv_params_ipcc_growth_at(ctx, p, i, &g) == 0)
                epv_params_ipcc_growth_find(ctx, p, g.zone, g.region, g.forest_type, &g);
        for (size_t i = 0; i < epv_params_source_count(p); i++)
            if (epv_params_source_at(ctx, p, i, &src) == 0) epv_params_source_find(ctx, p, src.id, &src);
    }
    epv_params_free(p);
    epv_ctx_free(ctx);
    return 0;
}
