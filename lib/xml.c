/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Safe XML loading and validation against embedded schemas.
 *
 * Why each rule: a DOCTYPE is the only way to declare entities, so refusing it removes
 * external entities (XXE) and entity expansion bombs at once; NUL bytes mean UTF-16/32,
 * which would hide a DOCTYPE from the byte scan; XML_PARSE_NONET keeps libxml2 off the
 * network even for XInclude or schema imports. Errors are collected from per-call
 * contexts (never libxml2's global handler) and nothing is printed. */
#include "config.h"
#include "xml_int.h"
#include "epv/xml.h"
#include "epv/resource.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

/* ---- safe parsing ------------------------------------------------------------------ */

static int check_bytes(epv_ctx *ctx, const char *buf, size_t len, const char *name)
{
    if (len == 0) return epv__error(ctx, EPV_EPARSE, "%s: file is empty", name);
    if (len > (size_t)EPV_XML_MAX_BYTES)
        return epv__error(ctx, EPV_EPARSE, "%s: file is larger than %ld bytes", name, EPV_XML_MAX_BYTES);
    if (memchr(buf, '\0', len))
        return epv__error(ctx, EPV_EPARSE, "%s: contains NUL bytes (only UTF-8 XML is accepted)", name);
    size_t i = 0;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (i >= len || buf[i] != '<')
        return epv__error(ctx, EPV_EPARSE, "%s:1: not an XML document", name);
    static const char doctype[] = "<!DOCTYPE";
    size_t line = 1;
    for (size_t j = 0; j + sizeof doctype - 1 <= len; j++) {
        if (buf[j] == '\n') line++;
        if (buf[j] == '<' && memcmp(buf + j, doctype, sizeof doctype - 1) == 0)
            return epv__error(ctx, EPV_EPARSE,
                              "%s:%zu: DOCTYPE declarations are refused (no DTDs or entities in input)",
                              name, line);
    }
    return EPV_OK;
}

struct schema_errors {
    epv_ctx *ctx;
    const char *name;
    int count;
};

static void trim_newline(char *msg)
{
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = '\0';
}

/* Keep the first validation error: later ones are usually consequences of it. */
static void schema_error_cb(void *payload, xmlErrorPtr err)
{
    struct schema_errors *se = payload;
    if (!err || se->count++) return;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "validation error");
    trim_newline(msg);
    xmlNodePtr node = err->node;
    if (node && node->type == XML_ELEMENT_NODE && node->name)
        epv__error(se->ctx, EPV_ESCHEMA, "%s:%d: <%s>: %s", se->name, err->line, (const char *)node->name, msg);
    else
        epv__error(se->ctx, EPV_ESCHEMA, "%s:%d: %s", se->name, err->line, msg);
}

static int validate(epv_ctx *ctx, xmlDocPtr doc, const char *name, const char *schema)
{
    size_t slen = 0;
    const char *stext = epv_resource_get(schema, &slen);
    if (!stext) return epv__error(ctx, EPV_ENOTFOUND, "%s: no shipped schema named '%s'", name, schema);
    struct schema_errors se = { ctx, schema, 0 };
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(stext, (int)slen);
    if (!pctxt) return epv__error(ctx, EPV_ENOMEM, "%s: cannot create schema parser", schema);
    xmlSchemaSetParserStructuredErrors(pctxt, schema_error_cb, &se);
    xmlSchemaPtr xsd = xmlSchemaParse(pctxt);
    xmlSchemaFreeParserCtxt(pctxt);
    if (!xsd) {
        if (!se.count) epv__error(ctx, EPV_ESCHEMA, "%s: shipped schema does not compile", schema);
        return EPV_ESCHEMA;
    }
    se.name = name;
    se.count = 0;
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(xsd);
    int rc = EPV_OK;
    if (!vctxt) {
        rc = epv__error(ctx, EPV_ENOMEM, "%s: cannot create schema validator", name);
    } else {
        xmlSchemaSetValidStructuredErrors(vctxt, schema_error_cb, &se);
        if (xmlSchemaValidateDoc(vctxt, doc) != 0) {
            if (!se.count) epv__error(ctx, EPV_ESCHEMA, "%s: does not validate against %s", name, schema);
            rc = EPV_ESCHEMA;
        }
        xmlSchemaFreeValidCtxt(vctxt);
    }
    xmlSchemaFree(xsd);
    return rc;
}

int epv__xml_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                         const char *schema, xmlDocPtr *out)
{
    *out = NULL;
    if (!name) name = "(buffer)";
    if (!buf) return epv__error(ctx, EPV_EINVAL, "%s: NULL buffer", name);
    int rc = check_bytes(ctx, buf, len, name);
    if (rc) return rc;
    xmlInitParser();
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    if (!pctxt) return epv__error(ctx, EPV_ENOMEM, "%s: cannot create XML parser", name);
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS;
    xmlDocPtr doc = xmlCtxtReadMemory(pctxt, buf, (int)len, NULL, "UTF-8", options);
    if (!doc || !pctxt->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(pctxt);
        char msg[300] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            trim_newline(msg);
        }
        epv__error(ctx, EPV_EPARSE, "%s:%d: %s", name, e ? e->line : 0, msg);
        if (doc) xmlFreeDoc(doc);
        xmlFreeParserCtxt(pctxt);
        return EPV_EPARSE;
    }
    xmlFreeParserCtxt(pctxt);
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return epv__error(ctx, EPV_EPARSE, "%s: DTDs are refused", name);
    }
    if (schema) {
        rc = validate(ctx, doc, name, schema);
        if (rc) {
            xmlFreeDoc(doc);
            return rc;
        }
    }
    *out = doc;
    return EPV_OK;
}

static int read_whole_file(epv_ctx *ctx, const char *path, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return epv__error(ctx, EPV_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 0, n = 0;
    char *data = NULL;
    for (;;) {
        if (epv__grow(ctx, (void **)&data, &cap, n + 65536 + 1, 1)) {
            fclose(f);
            epv__free(ctx, data);
            return EPV_ENOMEM;
        }
        size_t got = fread(data + n, 1, 65536, f);
        n += got;
        if (n > (size_t)EPV_XML_MAX_BYTES) {
            fclose(f);
            epv__free(ctx, data);
            return epv__error(ctx, EPV_EPARSE, "%s: file is larger than %ld bytes", path, EPV_XML_MAX_BYTES);
        }
        if (got < 65536) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        epv__free(ctx, data);
        return epv__error(ctx, EPV_EIO, "%s: read error", path);
    }
    data[n] = '\0';
    *buf = data;
    *len = n;
    return EPV_OK;
}

int epv__xml_load_file(epv_ctx *ctx, const char *path, const char *schema, xmlDocPtr *out)
{
    *out = NULL;
    if (!path) return epv__error(ctx, EPV_EINVAL, "NULL path");
    char *buf;
    size_t len;
    int rc = read_whole_file(ctx, path, &buf, &len);
    if (rc) return rc;
    rc = epv__xml_load_memory(ctx, buf, len, path, schema, out);
    epv__free(ctx, buf);
    return rc;
}

EPV_API int epv_xml_validate_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                    const char *schema)
{
    if (!schema) return epv__error(ctx, EPV_EINVAL, "validate: NULL schema name");
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, schema, &doc);
    if (doc) xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_xml_validate_file(epv_ctx *ctx, const char *path, const char *schema)
{
    if (!schema) return epv__error(ctx, EPV_EINVAL, "validate: NULL schema name");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, schema, &doc);
    if (doc) xmlFreeDoc(doc);
    return rc;
}

/* ---- navigation and attributes ----------------------------------------------------- */

int epv__xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && (!name || xmlStrcmp(node->name, BAD_CAST name) == 0);
}

xmlNodePtr epv__xml_next(xmlNodePtr node, const char *name)
{
    for (node = node ? node->next : NULL; node; node = node->next)
        if (epv__xml_is(node, name)) return node;
    return NULL;
}

xmlNodePtr epv__xml_child(xmlNodePtr parent, const char *name)
{
    if (!parent) return NULL;
    for (xmlNodePtr n = parent->children; n; n = n->next)
        if (epv__xml_is(n, name)) return n;
    return NULL;
}

int epv__xml_error_at(epv_ctx *ctx, int code, const char *file, xmlNodePtr node, const char *fmt, ...)
{
    char msg[EPV_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return epv__error(ctx, code, "%s:%ld: <%s>: %s", file ? file : "(input)", node ? (long)xmlGetLineNo(node) : 0L,
                      node && node->name ? (const char *)node->name : "?", msg);
}

int epv__xml_has(xmlNodePtr node, const char *attr)
{
    return node && xmlHasProp(node, BAD_CAST attr) != NULL;
}

static int get_prop(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr, int required,
                    xmlChar **val)
{
    *val = xmlGetProp(node, BAD_CAST attr);
    if (!*val && required)
        return epv__xml_error_at(ctx, EPV_ESCHEMA, file, node, "attribute '%s' is missing", attr);
    return EPV_OK;
}

int epv__xml_attr_double(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr, int required,
                         double *out)
{
    xmlChar *v;
    int rc = get_prop(ctx, file, node, attr, required, &v);
    if (rc || !v) return rc;
    double d;
    if (epv__parse_double((const char *)v, &d))
        rc = epv__xml_error_at(ctx, EPV_EPARSE, file, node, "attribute '%s': '%.40s' is not a finite number",
                               attr, (const char *)v);
    else
        *out = d;
    xmlFree(v);
    return rc;
}

int epv__xml_attr_int(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr, int required,
                      int64_t *out)
{
    xmlChar *v;
    int rc = get_prop(ctx, file, node, attr, required, &v);
    if (rc || !v) return rc;
    int64_t i;
    if (epv__parse_i64((const char *)v, &i))
        rc = epv__xml_error_at(ctx, EPV_EPARSE, file, node, "attribute '%s': '%.40s' is not an integer", attr,
                               (const char *)v);
    else
        *out = i;
    xmlFree(v);
    return rc;
}

int epv__xml_attr_str(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr, int required,
                      char **out)
{
    xmlChar *v;
    int rc = get_prop(ctx, file, node, attr, required, &v);
    if (rc || !v) return rc;
    char *s = epv__strdup(ctx, (const char *)v);
    xmlFree(v);
    if (!s) return EPV_ENOMEM;
    *out = s;
    return EPV_OK;
}
