/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: project files (schema/project.xsd) through the loader and, when they load,
 * the estimation, so every accepted file also estimates without crashing. */
#include <epv.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static epv_ctx *ctx;
    static epv_params *params;
    if (!ctx) {
        if (epv_ctx_new(&ctx) || epv_params_load_default(ctx, &params)) abort();
    }
    epv_project *p = NULL;
    if (epv_project_load_memory(ctx, (const char *)data, size, "fuzz.xml", params, &p) == 0) {
        epv_sink_result *r = NULL;
        if (epv_sink_estimate(ctx, p, params, &r) == 0) epv_sink_result_free(r);
        epv_project_free(p);
    }
    return 0;
}
