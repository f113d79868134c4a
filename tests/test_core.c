/* Core: context, status codes, dates, units, and the safe XML loader. */
#include "test_util.h"
#include "epv.h"
#include "xml_int.h"

#include <libxml/tree.h>
#include <stdlib.h>

static epv_ctx *ctx;

static void test_version(void)
{
    CU_ASSERT_STRING_EQUAL(epv_version(), EPV_VERSION_STRING);
    CU_ASSERT_EQUAL(epv_version_number(),
                    EPV_VERSION_MAJOR * 10000 + EPV_VERSION_MINOR * 100 + EPV_VERSION_PATCH);
}

static void test_status_codes_fixed(void)
{
    /* Values are part of the ABI: bindings hard-code them. */
    CU_ASSERT_EQUAL(EPV_OK, 0);
    CU_ASSERT_EQUAL(EPV_EINVAL, -1);
    CU_ASSERT_EQUAL(EPV_ESCHEMA, -5);
    CU_ASSERT_EQUAL(EPV_ITEROVER, -14);
    CU_ASSERT_EQUAL(EPV_EUNSUPPORTED, -20);
    for (int s = 0; s >= EPV_EUNSUPPORTED; s--)
        CU_ASSERT_STRING_NOT_EQUAL(epv_strerror(s), "unknown status");
    CU_ASSERT_STRING_EQUAL(epv_strerror(-999), "unknown status");
}

static void test_ctx(void)
{
    epv_ctx *c = NULL;
    EPV_ASSERT_OK(NULL, epv_ctx_new(&c));
    CU_ASSERT_STRING_EQUAL(epv_ctx_errmsg(c), "");
    CU_ASSERT_EQUAL(epv_ctx_threads(c), 1);
    EPV_ASSERT_STATUS(c, epv_ctx_set_threads(c, 1000), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(c, "threads");
    CU_ASSERT_EQUAL(epv_ctx_errcode(c), EPV_ERANGE);
    epv_ctx_clear_error(c);
    CU_ASSERT_EQUAL(epv_ctx_errcode(c), 0);
    EPV_ASSERT_OK(c, epv_ctx_set_threads(c, 0));
    CU_ASSERT(epv_ctx_threads(c) >= 1);
    EPV_ASSERT_OK(c, epv_ctx_set_seed(c, 42));
    CU_ASSERT_EQUAL(epv_ctx_seed(c), 42);
    epv_ctx_free(c);
    epv_ctx_free(NULL); /* no-op */
}

static void test_dates(void)
{
    epv_date d;
    EPV_ASSERT_OK(ctx, epv_date_parse(ctx, "2020-09-22", &d));
    CU_ASSERT_EQUAL(d.year, 2020);
    CU_ASSERT_EQUAL(d.month, 9);
    CU_ASSERT_EQUAL(d.day, 22);
    /* 2000-03-01 is day 11017 after the Unix epoch (POSIX time 951868800 / 86400). */
    epv_date m = { 2000, 3, 1 };
    CU_ASSERT_EQUAL(epv_date_to_days(m), 11017);
    epv_date e = { 1970, 1, 1 };
    CU_ASSERT_EQUAL(epv_date_to_days(e), 0);
    EPV_ASSERT_STATUS(ctx, epv_date_parse(ctx, "2021-02-29", &d), EPV_ERANGE);
    EPV_ASSERT_STATUS(ctx, epv_date_parse(ctx, "2020-9-22", &d), EPV_EPARSE);
    EPV_ASSERT_STATUS(ctx, epv_date_parse(ctx, " 2020-09-2", &d), EPV_EPARSE);
    EPV_ASSERT_STATUS(ctx, epv_date_parse(ctx, "\xef\xbc\x92" "020-09-22", &d), EPV_EPARSE);
    epv_date leap = { 2000, 2, 29 }, noleap = { 1900, 2, 29 };
    CU_ASSERT_TRUE(epv_date_valid(leap));
    CU_ASSERT_FALSE(epv_date_valid(noleap));
    char buf[16];
    EPV_ASSERT_OK(ctx, epv_date_format(leap, buf, sizeof buf));
    CU_ASSERT_STRING_EQUAL(buf, "2000-02-29");
}

static void test_units(void)
{
    /* Pingchang's 26.41万亩 of new forest is 17,606.7 ha at 15 mu per ha
     * (shared/references.md; 1 mu = 10000/15 m² by the 1990 national definition). */
    double ha;
    EPV_ASSERT_OK(ctx, epv_unit_convert(ctx, 26.41, EPV_UNIT_WAN_MU, EPV_UNIT_HA, &ha));
    EPV_ASSERT_CLOSE(ha, 17606.67, 1e-6);
    EPV_ASSERT_CLOSE(epv_mu_to_ha(150000.0), 10000.0, 1e-12);
    EPV_ASSERT_CLOSE(epv_ha_to_mu(1.0), 15.0, 1e-12);
    /* IPCC 2006 Vol. 4 ch. 2: CO2 = C x 44/12. 12 t C is 44 t CO2. */
    EPV_ASSERT_CLOSE(epv_c_to_co2(12.0), 44.0, 1e-12);
    EPV_ASSERT_CLOSE(epv_co2_to_c(44.0), 12.0, 1e-12);
    /* GEP practice: 1.63 kg CO2 fixed and 1.2 kg O2 released per kg dry matter; 1.63 x 32/44 = 1.19. */
    EPV_ASSERT_CLOSE(epv_co2_to_o2(1.63), 1.2, 0.02); /* the published 1.2 is rounded */
    /* Shenzhen 2020 GEP: 1303.82 亿元 is 13,038,200 万元. */
    double wan;
    EPV_ASSERT_OK(ctx, epv_unit_convert(ctx, 1303.82, EPV_UNIT_YI_YUAN, EPV_UNIT_WAN_YUAN, &wan));
    EPV_ASSERT_CLOSE(wan, 13038200.0, 1e-12);
    double x;
    EPV_ASSERT_STATUS(ctx, epv_unit_convert(ctx, 1.0, EPV_UNIT_T_C, EPV_UNIT_T_CO2E, &x), EPV_EUNITS);
    EPV_ASSERT_ERRMSG_HAS(ctx, "tC");
    EPV_ASSERT_STATUS(ctx, epv_unit_convert(ctx, 1.0, EPV_UNIT_HA, EPV_UNIT_T, &x), EPV_EUNITS);
    epv_unit u;
    EPV_ASSERT_OK(ctx, epv_unit_from_symbol(ctx, "wan_tCO2e", &u));
    CU_ASSERT_EQUAL(u, EPV_UNIT_WAN_T_CO2E);
    EPV_ASSERT_STATUS(ctx, epv_unit_from_symbol(ctx, "acre", &u), EPV_ENOTFOUND);
    CU_ASSERT_EQUAL(epv_unit_dimension(EPV_UNIT_MU), EPV_DIM_AREA);
}

static int load(const char *text)
{
    xmlDocPtr doc = NULL;
    int rc = epv__xml_load_memory(ctx, text, strlen(text), "t.xml", NULL, &doc);
    if (doc) xmlFreeDoc(doc);
    return rc;
}

static void test_xml_safety(void)
{
    CU_ASSERT_EQUAL(load("<a x=\"1\"/>"), EPV_OK);
    /* Entity expansion bomb ("billion laughs"): refused before parsing. */
    EPV_ASSERT_STATUS(ctx, load("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                                "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n"
                                "<lolz>&lol2;</lolz>"),
                      EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.xml:2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "DOCTYPE");
    /* External entity (XXE). */
    EPV_ASSERT_STATUS(ctx, load("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"),
                      EPV_EPARSE);
    /* Undeclared entity without a DTD is not well-formed. */
    EPV_ASSERT_STATUS(ctx, load("<a>&x;</a>"), EPV_EPARSE);
    /* UTF-16 would hide a DOCTYPE from the scan: refused for its NUL bytes. */
    static const char utf16[] = { '<', 0, 'a', 0, '/', 0, '>', 0 };
    xmlDocPtr doc = NULL;
    EPV_ASSERT_STATUS(ctx, epv__xml_load_memory(ctx, utf16, sizeof utf16, "u.xml", NULL, &doc), EPV_EPARSE);
    CU_ASSERT_PTR_NULL(doc);
    /* Not well-formed: the message names the file and line. */
    EPV_ASSERT_STATUS(ctx, load("<a>\n<b>\n</a>"), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.xml:3");
    EPV_ASSERT_STATUS(ctx, load(""), EPV_EPARSE);
    EPV_ASSERT_STATUS(ctx, load("garbage"), EPV_EPARSE);
    EPV_ASSERT_STATUS(ctx, epv__xml_load_file(ctx, "/nonexistent/x.xml", NULL, &doc), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent/x.xml");
}

static void test_xml_attributes(void)
{
    const char *text = "<r>\n<s area=\"12.5\" n=\"7\" bad=\"nan\" sp=\" 1\" name=\"杉木\"/></r>";
    xmlDocPtr doc = NULL;
    EPV_ASSERT_OK(ctx, epv__xml_load_memory(ctx, text, strlen(text), "f.xml", NULL, &doc));
    if (!doc) return;
    xmlNodePtr s = epv__xml_child(xmlDocGetRootElement(doc), "s");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    double d = 0;
    int64_t n = 0;
    char *name = NULL;
    EPV_ASSERT_OK(ctx, epv__xml_attr_double(ctx, "f.xml", s, "area", 1, &d));
    EPV_ASSERT_CLOSE(d, 12.5, 0);
    EPV_ASSERT_OK(ctx, epv__xml_attr_int(ctx, "f.xml", s, "n", 1, &n));
    CU_ASSERT_EQUAL(n, 7);
    EPV_ASSERT_STATUS(ctx, epv__xml_attr_double(ctx, "f.xml", s, "bad", 1, &d), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "f.xml:2: <s>: attribute 'bad'");
    EPV_ASSERT_STATUS(ctx, epv__xml_attr_double(ctx, "f.xml", s, "sp", 1, &d), EPV_EPARSE);
    EPV_ASSERT_STATUS(ctx, epv__xml_attr_double(ctx, "f.xml", s, "missing", 1, &d), EPV_ESCHEMA);
    EPV_ASSERT_OK(ctx, epv__xml_attr_double(ctx, "f.xml", s, "missing", 0, &d));
    EPV_ASSERT_OK(ctx, epv__xml_attr_str(ctx, "f.xml", s, "name", 1, &name));
    CU_ASSERT_STRING_EQUAL(name, "杉木");
    epv__free(ctx, name);
    xmlFreeDoc(doc);
}

static int fill_range(size_t b, size_t e, int w, void *p)
{
    double *out = p;
    for (size_t i = b; i < e; i++) out[i] = (double)i * 2.0;
    return w == 99 ? -1 : 0;
}

static void test_parallel_for(void)
{
    double a[1000], b[1000];
    EPV_ASSERT_OK(ctx, epv__parallel_for(ctx, 1000, 1, fill_range, a));
    EPV_ASSERT_OK(ctx, epv__parallel_for(ctx, 1000, 2, fill_range, b));
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    EPV_ASSERT_OK(ctx, epv__parallel_for(ctx, 0, 2, fill_range, b));
}

int main(void)
{
    if (epv_ctx_new(&ctx)) return 2;
    CU_TestInfo tests[] = {
        { "version", test_version },
        { "status codes are fixed", test_status_codes_fixed },
        { "context", test_ctx },
        { "dates", test_dates },
        { "units", test_units },
        { "xml safety", test_xml_safety },
        { "xml attributes", test_xml_attributes },
        { "parallel_for", test_parallel_for },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("core", tests);
    epv_ctx_free(ctx);
    return rc;
}
