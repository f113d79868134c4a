/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: GEP input reader (schema/gep_input.xsd), then valuation, checks and totals
 * on whatever loaded. */
#include <stddef.h>
#include <stdint.h>
#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 0;
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    if (epv_gep_tree_load_default(ctx, &tree) == 0 &&
        epv_gep_input_load_memory(ctx, tree, (const char *)data, size, "fuzz.xml", &in) == 0) {
        epv_gep_account *acc = epv_gep_input_account(in);
        epv_gep_findings *f = NULL;
        if (epv_gep_check(ctx, acc, &f) == 0) epv_gep_findings_free(f);
        if (epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), epv_gep_input_deflator(in),
                                  epv_gep_input_price_year(in)) == 0) {
            epv_gep_region r = EPV_GEP_REGION_INIT;
            double v;
            int y0 = epv_gep_account_first_year(acc);
            for (size_t i = 0; i < epv_gep_account_region_count(acc); i++)
                if (epv_gep_account_region_at(ctx, acc, i, &r) == 0) {
                    epv_gep_account_total(ctx, acc, r.code, NULL, NULL, y0, EPV_GEP_CONSTANT, &v);
                    epv_gep_account_gep_gdp(ctx, acc, r.code, y0, &v);
                }
        }
    }
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return 0;
}
