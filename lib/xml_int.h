/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private XML helpers: safe loading with validation, attribute access with located errors.
 * Every reader in libepv goes through epv__xml_load*(), never straight to libxml2. */
#ifndef EPV_XML_INT_H
#define EPV_XML_INT_H

#include <libxml/tree.h>
#include "common_int.h"

/* Embedded resources (generated lib/resources.c). */
struct epv__resource {
    const char *name;
    const char *text;
    size_t len;
};
extern const struct epv__resource epv__resources[];
extern const size_t epv__resource_total;

/* Load an XML document from a file or buffer safely and validate it against the named
 * embedded schema (NULL: no validation). On failure *out is NULL and ctx names the file
 * and line. Free the result with xmlFreeDoc(). */
int epv__xml_load_file(epv_ctx *ctx, const char *path, const char *schema, xmlDocPtr *out);
int epv__xml_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                         const char *schema, xmlDocPtr *out);

/* Iterate element children: first child element named `name` (NULL: any element). */
xmlNodePtr epv__xml_child(xmlNodePtr parent, const char *name);
xmlNodePtr epv__xml_next(xmlNodePtr node, const char *name);
/* 1 if node is an element named name. */
int epv__xml_is(xmlNodePtr node, const char *name);

/* Attribute access. `file` is the document's name for messages; errors read
 * "file:line: <element>: attribute 'x': ...". With required == 0 a missing attribute leaves
 * *out untouched and returns EPV_OK (check with epv__xml_has). */
int epv__xml_has(xmlNodePtr node, const char *attr);
int epv__xml_attr_double(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr,
                         int required, double *out);
int epv__xml_attr_int(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr,
                      int required, int64_t *out);
/* String copy allocated with the ctx allocator (free with epv__free). */
int epv__xml_attr_str(epv_ctx *ctx, const char *file, xmlNodePtr node, const char *attr,
                      int required, char **out);
/* Record an error located at node: "file:line: <elem>: message". Returns code. */
int epv__xml_error_at(epv_ctx *ctx, int code, const char *file, xmlNodePtr node,
                      const char *fmt, ...) EPV__PRINTF(5, 6);

#endif
