/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Core: context, status codes, dates, units, and the safe XML loader. */
#include "test_util.h"
#include "epv.h"
#include "xml_int.h"
#include "csv_int.h"

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
    CU_ASSERT_EQUAL(EPV_EVERSION, -23);
    for (int s = 0; s >= EPV_EVERSION; s--)
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
    EPV_ASSERT_CLOSE(epv_unit_mu_to_ha(150000.0), 10000.0, 1e-12);
    EPV_ASSERT_CLOSE(epv_unit_ha_to_mu(1.0), 15.0, 1e-12);
    /* IPCC 2006 Vol. 4 ch. 2: CO2 = C x 44/12. 12 t C is 44 t CO2. */
    EPV_ASSERT_CLOSE(epv_unit_c_to_co2(12.0), 44.0, 1e-12);
    EPV_ASSERT_CLOSE(epv_unit_co2_to_c(44.0), 12.0, 1e-12);
    /* GEP practice: 1.63 kg CO2 fixed and 1.2 kg O2 released per kg dry matter; 1.63 x 32/44 = 1.19. */
    EPV_ASSERT_CLOSE(epv_unit_co2_to_o2(1.63), 1.2, 0.02); /* the published 1.2 is rounded */
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
    CU_ASSERT_EQUAL(epv_unit_dimension_of(EPV_UNIT_MU), EPV_UNIT_DIM_AREA);
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

/* Versioned structs (doc/architecture.md): an unknown version is refused with a message that
 * names the struct and both versions; version 0 (never initialised) is refused too. */
static void test_struct_versions(void)
{
    epv_allocator a = EPV_ALLOCATOR_INIT;
    CU_ASSERT_EQUAL(a.version, EPV_ALLOCATOR_VERSION);
    epv_allocator b;
    memset(&b, 0xff, sizeof b);
    EPV_ASSERT_OK(ctx, epv_allocator_init(ctx, &b, EPV_ALLOCATOR_VERSION));
    CU_ASSERT(b.version == a.version && b.malloc_fn == NULL && b.realloc_fn == NULL && b.free_fn == NULL && b.payload == NULL);
    EPV_ASSERT_STATUS(ctx, epv_allocator_init(ctx, &b, EPV_ALLOCATOR_VERSION + 1), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_allocator");
    EPV_ASSERT_ERRMSG_HAS(ctx, "version 2");
    EPV_ASSERT_ERRMSG_HAS(ctx, "1 to 1");
    EPV_ASSERT_STATUS(ctx, epv_allocator_init(ctx, NULL, 1), EPV_EINVAL);
    EPV_ASSERT_STATUS(NULL, epv_allocator_init(NULL, &b, 0), EPV_EVERSION);
    unsigned int zero[4] = { 0, 0, 0, 0 };
    EPV_ASSERT_STATUS(ctx, epv__check_version(ctx, "epv_thing", zero, 1), EPV_EVERSION);
    EPV_ASSERT_ERRMSG_HAS(ctx, "epv_thing_init()");
    /* a context made with an allocator of an unknown version is refused */
    epv_allocator c = { EPV_ALLOCATOR_VERSION + 5, NULL, NULL, NULL, NULL };
    epv_ctx *c2 = NULL;
    c.malloc_fn = a.malloc_fn;
    CU_ASSERT_EQUAL(epv_ctx_new_with_allocator(&c2, &c), EPV_EINVAL); /* hooks missing first */
}

struct progress_log {
    int calls;
    double last;
    int stop_at; /* cancel on this call (1-based); 0 never */
};

static int log_progress(double fraction, const char *message, void *payload)
{
    struct progress_log *l = payload;
    l->calls++;
    CU_ASSERT_PTR_NOT_NULL(message);
    CU_ASSERT(fraction >= l->last); /* never decreasing */
    l->last = fraction;
    return l->calls == l->stop_at ? 1 : 0;
}

/* Progress on the context: reports clamp to 0..1, a non-zero return gives EPV_ECANCELLED
 * with a message naming the step. */
static void test_progress(void)
{
    struct progress_log l = { 0, 0, 3 };
    EPV_ASSERT_OK(ctx, epv__progress(ctx, 0.5, "no callback yet"));
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, log_progress, &l));
    EPV_ASSERT_OK(ctx, epv__progress(ctx, -1, NULL));
    EPV_ASSERT_OK(ctx, epv__progress(ctx, 0.25, "step"));
    EPV_ASSERT_STATUS(ctx, epv__progress(ctx, 7, "replaying"), EPV_ECANCELLED);
    CU_ASSERT_EQUAL(l.calls, 3);
    CU_ASSERT_EQUAL(l.last, 1.0);
    EPV_ASSERT_ERRMSG_HAS(ctx, "replaying");
    EPV_ASSERT_STATUS(ctx, epv__callback_failed(ctx, "model", -5, "iteration 3"), EPV_ECALLBACK);
    EPV_ASSERT_ERRMSG_HAS(ctx, "model returned -5: iteration 3");
    EPV_ASSERT_OK(ctx, epv_ctx_set_progress(ctx, NULL, NULL));
    CU_ASSERT_EQUAL(epv_ctx_set_progress(NULL, NULL, NULL), EPV_EINVAL);
    CU_ASSERT_STRING_EQUAL(epv_strerror(EPV_ECANCELLED), "cancelled by the progress callback");
}

/* The shared strict CSV reader (RFC 4180 quoting; errors name file, line and column). */
static void test_csv(void)
{
    epv__csv *c = NULL;
    /* BOM, comment, CRLF, quoted comma, quote and line break, blank line, Chinese text */
    const char ok[] = "\xEF\xBB\xBF# comment\r\ncode,name,area_ha\r\n"
                      "a,\"x, \"\"y\"\"\",1.5\r\n\r\nb,\"two\nlines\",2\n"
                      "c,\xE5\xB9\xB3\xE6\x98\x8C,3";
    EPV_ASSERT_OK(ctx, epv__csv_open_memory(ctx, ok, sizeof ok - 1, "t.csv", NULL, &c));
    CU_ASSERT_EQUAL_FATAL(epv__csv_ncols(c), 3);
    CU_ASSERT_EQUAL(epv__csv_nrows(c), 3);
    size_t cn, ca, cx;
    EPV_ASSERT_OK(ctx, epv__csv_col(ctx, c, "name", 1, &cn));
    EPV_ASSERT_OK(ctx, epv__csv_col(ctx, c, "area_ha", 1, &ca));
    EPV_ASSERT_OK(ctx, epv__csv_col(ctx, c, "absent", 0, &cx));
    CU_ASSERT_EQUAL(cx, SIZE_MAX);
    EPV_ASSERT_STATUS(ctx, epv__csv_col(ctx, c, "areaha", 1, &cx), EPV_ENOTFOUND);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.csv:2: no column 'areaha' (the columns are: code, name, area_ha)");
    EPV_ASSERT_OK(ctx, epv__csv_next(ctx, c));
    CU_ASSERT_STRING_EQUAL(epv__csv_field(c, cn), "x, \"y\"");
    double v = 0;
    EPV_ASSERT_OK(ctx, epv__csv_double(ctx, c, ca, 0, 10, &v));
    CU_ASSERT_EQUAL(v, 1.5);
    EPV_ASSERT_OK(ctx, epv__csv_next(ctx, c));
    CU_ASSERT_EQUAL(epv__csv_line(c), 5);
    CU_ASSERT_STRING_EQUAL(epv__csv_field(c, cn), "two\nlines");
    EPV_ASSERT_STATUS(ctx, epv__csv_double(ctx, c, ca, 0, 1, &v), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.csv:5: column 'area_ha': 2 is outside [0, 1]");
    EPV_ASSERT_OK(ctx, epv__csv_next(ctx, c));
    CU_ASSERT_EQUAL(epv__csv_line(c), 7);
    CU_ASSERT_STRING_EQUAL(epv__csv_field(c, cn), "\xE5\xB9\xB3\xE6\x98\x8C");
    CU_ASSERT_EQUAL(epv__csv_next(ctx, c), EPV_ITEROVER);
    epv__csv_free(c);

    /* GB18030 when declared: 平昌 is C6 BD B2 FD */
    const char gb[] = "code,name\nx,\xC6\xBD\xB2\xFD\n";
    EPV_ASSERT_OK(ctx, epv__csv_open_memory(ctx, gb, sizeof gb - 1, "gb.csv", "GB18030", &c));
    EPV_ASSERT_OK(ctx, epv__csv_next(ctx, c));
    CU_ASSERT_STRING_EQUAL(epv__csv_field(c, 1), "\xE5\xB9\xB3\xE6\x98\x8C");
    epv__csv_free(c);
    /* ... and refused as UTF-8, naming the line */
    EPV_ASSERT_STATUS(ctx, epv__csv_open_memory(ctx, gb, sizeof gb - 1, "gb.csv", NULL, &c), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "gb.csv:2: invalid UTF-8");
    CU_ASSERT_PTR_NULL(c);

    struct { const char *text, *msg; } bad[] = {
        { "a,b\n1,2\n3\n", "t.csv:3: 1 fields, the header has 2" },
        { "a,b\n1,\"2\n", "t.csv:2: column 2: quoted field not closed" },
        { "a,b\n1,x\"y\n", "t.csv:2: column 2: quote inside an unquoted field" },
        { "a,b\n1,\"x\"y\n", "t.csv:2: column 2: text after a closing quote" },
        { "a,a\n1,2\n", "column 'a' appears twice" },
        { "a,,c\n1,2,3\n", "column 2 has an empty name" },
        { "", "no header row" },
        { "a\rb\n", "bare carriage return" },
    };
    for (size_t i = 0; i < EPV__ARRAY_LEN(bad); i++) {
        c = NULL;
        EPV_ASSERT_STATUS(ctx, epv__csv_open_memory(ctx, bad[i].text, strlen(bad[i].text), "t.csv", NULL, &c),
                          epv_ctx_errcode(ctx) ? epv_ctx_errcode(ctx) : EPV_EPARSE);
        CU_ASSERT_PTR_NULL(c);
        EPV_ASSERT_ERRMSG_HAS(ctx, bad[i].msg);
    }
    const char nul[] = "a,b\n1,\0\n";
    EPV_ASSERT_STATUS(ctx, epv__csv_open_memory(ctx, nul, sizeof nul - 1, "t.csv", NULL, &c), EPV_EPARSE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "t.csv:2: NUL byte");
    EPV_ASSERT_STATUS(ctx, epv__csv_open_file(ctx, "/nonexistent/x.csv", NULL, &c), EPV_EIO);
    EPV_ASSERT_ERRMSG_HAS(ctx, "/nonexistent/x.csv: cannot open");
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
        { "struct versions", test_struct_versions },
        { "progress and callbacks", test_progress },
        { "strict csv", test_csv },
        CU_TEST_INFO_NULL,
    };
    int rc = epv_test_main("core", tests);
    epv_ctx_free(ctx);
    return rc;
}
