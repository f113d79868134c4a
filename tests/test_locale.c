/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Locale independence (issue "Version 0.2", item 6): run by tests/locale.sh under a
 * comma-decimal locale (de_DE.UTF-8, built with localedef into a private LOCPATH). Every
 * reader must still accept '.' decimals and every writer must still write them. Modules add
 * their readers and writers here. */
#include "config.h"
#include <locale.h>
#include <stdlib.h>
#include "epv.h"
#include "common_int.h"
#include "textout_int.h"
#include "test_util.h"

static epv_ctx *ctx;

/* The test proves nothing unless the host locale really uses a comma. */
static void test_locale_active(void)
{
    const char *want = getenv("EPV_TEST_LOCALE");
    CU_ASSERT_PTR_NOT_NULL_FATAL(want);
    CU_ASSERT_PTR_NOT_NULL_FATAL(setlocale(LC_ALL, want));
    CU_ASSERT_STRING_EQUAL(localeconv()->decimal_point, ",");
    char buf[32];
    snprintf(buf, sizeof buf, "%.1f", 1.5); /* the C library itself now writes a comma */
    CU_ASSERT_STRING_EQUAL(buf, "1,5");
}

static void test_parse_and_format(void)
{
    double v = 0;
    CU_ASSERT_EQUAL(epv__parse_double("1.25", &v), EPV_OK);
    CU_ASSERT_EQUAL(v, 1.25);
    CU_ASSERT_NOT_EQUAL(epv__parse_double("1,25", &v), EPV_OK);
    char buf[32];
    epv__snprintf_c(buf, sizeof buf, "%.2f", 2.5);
    CU_ASSERT_STRING_EQUAL(buf, "2.50");
    epv__error(ctx, EPV_ERANGE, "x = %.1f", 0.5);
    CU_ASSERT_STRING_EQUAL(epv_ctx_errmsg(ctx), "x = 0.5");
}

/* The shared writer (every CSV, XML and SVG file) writes '.' decimals, and restores the
 * host's locale afterwards. */
static void test_writer(void)
{
    const char *path = "test_locale_out.csv";
    epv__out out;
    CU_ASSERT_EQUAL_FATAL(epv__out_open(ctx, path, &out), EPV_OK);
    fprintf(out.f, "%.3f,%g\n", 3.125, 0.5);
    CU_ASSERT_EQUAL(epv__out_close(ctx, &out, EPV_OK), EPV_OK);
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[64] = "";
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    fclose(f);
    remove(path);
    CU_ASSERT_STRING_EQUAL(line, "3.125,0.5\n");
    CU_ASSERT_STRING_EQUAL(localeconv()->decimal_point, ",");
}

/* The shipped species table (decimals in XML attributes) loads, with the same values. */
static void test_species_table(void)
{
    epv_params *p = NULL;
    EPV_ASSERT_OK(ctx, epv_params_load_default(ctx, &p));
    CU_ASSERT_TRUE(p != NULL && epv_params_species_count(p) > 0);
    epv_params_free(p);
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "comma locale active", test_locale_active },
        { "parse and format numbers", test_parse_and_format },
        { "file writer", test_writer },
        { "species table", test_species_table },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("locale", tests);
    epv_ctx_free(ctx);
    return rc;
}
