/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV writing options of a context (epv/csvout.h): versioned struct, bad input refused with
 * a message and nothing changed, the byte order mark written by a real writer only when
 * asked, and the chart helpers' number grouping, nice ticks and CJK width (lib/chart.c). */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include <epv.h>
#include "chart_int.h"
#include "test_util.h"

#include <stdlib.h>
#include <unistd.h>

static void test_options(void)
{
    epv_ctx *ctx;
    epv_csvout_options o;
    CU_ASSERT_FATAL(epv_ctx_new(&ctx) == EPV_OK);
    EPV_ASSERT_OK(ctx, epv_csvout_options_init(ctx, &o, EPV_CSVOUT_OPTIONS_VERSION));
    CU_ASSERT_EQUAL(o.version, EPV_CSVOUT_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(o.flags, 0u);
    EPV_ASSERT_STATUS(ctx, epv_csvout_options_init(ctx, &o, 99), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_csvout_options");
    EPV_ASSERT_STATUS(ctx, epv_csvout_options_init(ctx, NULL, EPV_CSVOUT_OPTIONS_VERSION), EPV_EINVAL);
    EPV_ASSERT_STATUS(ctx, epv_csvout_set(ctx, NULL), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_csvout_set(NULL, &o), EPV_EINVAL);
    CU_ASSERT_EQUAL(epv_csvout_get(NULL, &o), EPV_EINVAL);
    /* a struct never initialised (version 0) and unknown bits are refused, nothing changes */
    epv_csvout_options bad = { 0, EPV_CSVOUT_BOM };
    EPV_ASSERT_STATUS(ctx, epv_csvout_set(ctx, &bad), EPV_EVERSION);
    bad.version = EPV_CSVOUT_OPTIONS_VERSION;
    bad.flags = 0x80u | EPV_CSVOUT_BOM;
    EPV_ASSERT_STATUS(ctx, epv_csvout_set(ctx, &bad), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "unknown bits");
    EPV_ASSERT_OK(ctx, epv_csvout_get(ctx, &o));
    CU_ASSERT_EQUAL(o.flags, 0u);
    o.flags = EPV_CSVOUT_BOM | EPV_CSVOUT_NAMES;
    EPV_ASSERT_OK(ctx, epv_csvout_set(ctx, &o));
    epv_csvout_options got = EPV_CSVOUT_OPTIONS_INIT;
    EPV_ASSERT_OK(ctx, epv_csvout_get(ctx, &got));
    CU_ASSERT_EQUAL(got.flags, EPV_CSVOUT_BOM | EPV_CSVOUT_NAMES);
    epv_ctx_free(ctx);
}

/* First bytes of a sink result CSV written with and without the BOM option. */
static void test_bom_written(void)
{
    epv_ctx *ctx;
    epv_params *params;
    epv_project *p;
    epv_sink_result *r;
    char path[] = "/tmp/epv_csvout_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_FATAL(epv_ctx_new(&ctx) == EPV_OK);
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &params));
    EPV_ASSERT_OK(ctx, epv_project_load_file(ctx, epv_test_path("data/examples/pingchang.xml"), params, &p));
    EPV_ASSERT_OK(ctx, epv_sink_estimate(ctx, p, params, &r));
    for (int with = 0; with < 2; with++) {
        epv_csvout_options o = EPV_CSVOUT_OPTIONS_INIT;
        o.flags = with ? EPV_CSVOUT_BOM : 0u;
        EPV_ASSERT_OK(ctx, epv_csvout_set(ctx, &o));
        EPV_ASSERT_OK(ctx, epv_sink_result_write_csv(ctx, r, path));
        unsigned char b[8] = { 0 };
        FILE *f = fopen(path, "rb");
        CU_ASSERT_FATAL(f != NULL);
        CU_ASSERT_EQUAL(fread(b, 1, 7, f), 7u);
        fclose(f);
        if (with) {
            CU_ASSERT(b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF && memcmp(b + 3, "year", 4) == 0);
        } else {
            CU_ASSERT(memcmp(b, "year,", 5) == 0);
        }
    }
    remove(path);
    epv_sink_result_free(r);
    epv_project_free(p);
    epv_params_free(params);
    epv_ctx_free(ctx);
}

static void test_chart_helpers(void)
{
    char b[64];
    double lo, hi, step;
    /* the raw axis value 23236435750, grouped */
    CU_ASSERT_STRING_EQUAL(epv__chart_num(23236435750.0, 0, b, sizeof b), "23,236,435,750");
    CU_ASSERT_STRING_EQUAL(epv__chart_num(-1234.5, 1, b, sizeof b), "-1,234.5");
    CU_ASSERT_STRING_EQUAL(epv__chart_num(-0.001, 2, b, sizeof b), "0.00");
    CU_ASSERT_STRING_EQUAL(epv__chart_num(999.0, 0, b, sizeof b), "999");
    /* nice ticks: 1, 2 or 5 x 10^k covering the range */
    step = epv__chart_ticks(0, 473.6, 6, &lo, &hi);
    CU_ASSERT_EQUAL(step, 100.0);
    CU_ASSERT_EQUAL(lo, 0.0);
    CU_ASSERT_EQUAL(hi, 500.0);
    step = epv__chart_ticks(3.6e6, 5.7e6, 5, &lo, &hi);
    CU_ASSERT_EQUAL(step, 500000.0);
    CU_ASSERT_EQUAL(lo, 3.5e6);
    CU_ASSERT_EQUAL(hi, 6.0e6);
    step = epv__chart_ticks(0.012, 0.049, 4, &lo, &hi);
    EPV_ASSERT_CLOSE(step, 0.01, 1e-12);
    CU_ASSERT_EQUAL(epv__chart_decimals(step), 2);
    CU_ASSERT_EQUAL(epv__chart_decimals(5.0), 0);
    /* display width: CJK wide characters count 2 (Unicode EastAsianWidth W), ASCII 1 */
    CU_ASSERT_EQUAL(epv__chart_width("平昌县"), 6u);
    CU_ASSERT_EQUAL(epv__chart_width("GEP 平昌县 2020"), 15u);
    CU_ASSERT_EQUAL(epv__chart_width("万 t CO2e"), 9u);
    CU_ASSERT_EQUAL(epv__chart_width(""), 0u);
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "options: versions, NULLs, unknown bits", test_options },
        { "BOM written only when asked", test_bom_written },
        { "chart helpers: grouping, ticks, CJK width", test_chart_helpers },
        CU_TEST_INFO_NULL,
    };
    return epv_test_main("csvout", tests);
}
