/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GEP category tree: loading the national tree (data, not code) and provincial extensions. */
#include "config.h"
#include "gep_int.h"
#include "xml_int.h"
#include "epv/xml.h"
#include "epv/resource.h"

#include <string.h>

#define TREE_SCHEMA "schema/gep_tree.xsd"

static const char *method_names[] = { "", "market_price", "replacement_cost", "shadow_project",
                                      "travel_cost", "hedonic" };

epv_gep_method epv__gep_method_parse(const char *s)
{
    for (size_t i = 1; i < EPV__ARRAY_LEN(method_names); i++)
        if (strcmp(s, method_names[i]) == 0) return (epv_gep_method)i;
    return EPV_GEP_METHOD_NONE;
}

const char *epv__gep_method_name(epv_gep_method m)
{
    return (unsigned)m < EPV__ARRAY_LEN(method_names) ? method_names[m] : "";
}

int epv__gep_copy(epv_ctx *ctx, char *dst, size_t cap, const char *src, const char *field)
{
    size_t n = strlen(src);
    if (n >= cap) return epv__error(ctx, EPV_ERANGE, "%s: '%.40s...' is longer than %zu bytes", field, src, cap - 1);
    memcpy(dst, src, n + 1);
    return EPV_OK;
}

long epv__gep_tree_index(const epv_gep_tree *tree, const char *code)
{
    if (!tree || !code) return -1;
    for (size_t i = 0; i < tree->n; i++)
        if (strcmp(tree->nodes[i].code, code) == 0) return (long)i;
    return -1;
}

int epv__gep_tree_under(const epv_gep_tree *tree, size_t i, size_t anc)
{
    /* Depth is bounded by the node count, so a (refused) cycle could never loop forever. */
    for (size_t guard = 0; guard <= tree->n; guard++) {
        if (i == anc) return 1;
        long p = epv__gep_tree_index(tree, tree->nodes[i].parent);
        if (p < 0) return 0;
        i = (size_t)p;
    }
    return 0;
}

static int str_attr(epv_ctx *ctx, const char *file, xmlNodePtr n, const char *attr, char *dst, size_t cap)
{
    char *s = NULL;
    int rc = epv__xml_attr_str(ctx, file, n, attr, 0, &s);
    if (rc) return rc;
    dst[0] = '\0';
    if (s) {
        if (strlen(s) >= cap) rc = epv__xml_error_at(ctx, EPV_ERANGE, file, n, "attribute '%s' is too long", attr);
        else strcpy(dst, s);
        epv__free(ctx, s);
    }
    return rc;
}

/* Parse the nodes of a document and append them to `t` (which may hold a tree already).
 * Parents must exist before their children. On error t->n is restored by the caller. */
static int parse_nodes(epv_ctx *ctx, const char *file, xmlDocPtr doc, epv_gep_tree *t)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = epv__xml_child(root, "node"); n; n = epv__xml_next(n, "node")) {
        epv_gep_indicator ind = EPV_GEP_INDICATOR_INIT;
        char cat[32], unit[32], method[32], fin[8], capped[8];
        int rc;
        if ((rc = str_attr(ctx, file, n, "code", ind.code, sizeof ind.code)) ||
            (rc = str_attr(ctx, file, n, "parent", ind.parent, sizeof ind.parent)) ||
            (rc = str_attr(ctx, file, n, "name_zh", ind.name_zh, sizeof ind.name_zh)) ||
            (rc = str_attr(ctx, file, n, "name_en", ind.name_en, sizeof ind.name_en)) ||
            (rc = str_attr(ctx, file, n, "category", cat, sizeof cat)) ||
            (rc = str_attr(ctx, file, n, "unit", unit, sizeof unit)) ||
            (rc = str_attr(ctx, file, n, "method", method, sizeof method)) ||
            (rc = str_attr(ctx, file, n, "final", fin, sizeof fin)) ||
            (rc = str_attr(ctx, file, n, "capped_by_emission", capped, sizeof capped)))
            return rc;
        if (epv__gep_tree_index(t, ind.code) >= 0)
            return epv__xml_error_at(ctx, EPV_EEXISTS, file, n, "attribute 'code': indicator '%s' already exists", ind.code);
        if (ind.parent[0]) {
            long p = epv__gep_tree_index(t, ind.parent);
            if (p < 0)
                return epv__xml_error_at(ctx, EPV_ENOTFOUND, file, n, "attribute 'parent': unknown indicator code '%s'", ind.parent);
            if (t->nodes[p].leaf)
                return epv__xml_error_at(ctx, EPV_EINVAL, file, n, "attribute 'parent': '%s' is a leaf (has a unit)", ind.parent);
            if (cat[0]) return epv__xml_error_at(ctx, EPV_EINVAL, file, n, "attribute 'category': only top-level nodes name a category");
            ind.category = t->nodes[p].category;
        } else {
            if (!cat[0]) return epv__xml_error_at(ctx, EPV_ESCHEMA, file, n, "attribute 'category' is missing on a top-level node");
            ind.category = strcmp(cat, "provisioning") == 0 ? EPV_GEP_PROVISIONING
                           : strcmp(cat, "regulating") == 0 ? EPV_GEP_REGULATING : EPV_GEP_CULTURAL;
        }
        if (unit[0]) {
            if (epv_unit_from_symbol(ctx, unit, &ind.unit))
                return epv__xml_error_at(ctx, EPV_EUNITS, file, n, "attribute 'unit': unknown unit '%s'", unit);
            if (!method[0]) return epv__xml_error_at(ctx, EPV_ESCHEMA, file, n, "attribute 'method' is missing on a leaf");
            ind.method = epv__gep_method_parse(method);
            ind.leaf = 1;
        } else if (method[0]) {
            return epv__xml_error_at(ctx, EPV_EINVAL, file, n, "attribute 'method': a group node (no unit) has no valuation method");
        }
        ind.final_service = !(strcmp(fin, "false") == 0 || strcmp(fin, "0") == 0);
        ind.capped_by_emission = strcmp(capped, "true") == 0 || strcmp(capped, "1") == 0;
        if (epv__grow(ctx, (void **)&t->nodes, &t->cap, t->n + 1, sizeof *t->nodes)) return EPV_ENOMEM;
        t->nodes[t->n++] = ind;
    }
    return EPV_OK;
}

static int load_doc(epv_ctx *ctx, xmlDocPtr doc, const char *name, epv_gep_tree **out)
{
    epv_gep_tree *t = epv__calloc(ctx, 1, sizeof *t);
    if (!t) return EPV_ENOMEM;
    t->ctx = ctx;
    int rc = parse_nodes(ctx, name, doc, t);
    if (rc) {
        epv_gep_tree_free(t);
        return rc;
    }
    *out = t;
    return EPV_OK;
}

EPV_API int epv_gep_tree_load_file(epv_ctx *ctx, const char *path, epv_gep_tree **out)
{
    EPV__NEED(ctx, out, "out");
    EPV__NEED(ctx, path, "path");
    *out = NULL;
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, TREE_SCHEMA, &doc);
    if (rc) return rc;
    rc = load_doc(ctx, doc, path, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_gep_tree_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                     epv_gep_tree **out)
{
    EPV__NEED(ctx, out, "out");
    *out = NULL;
    if (!name) name = "(buffer)";
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, TREE_SCHEMA, &doc);
    if (rc) return rc;
    rc = load_doc(ctx, doc, name, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_gep_tree_load_default(epv_ctx *ctx, epv_gep_tree **out)
{
    size_t len;
    const char *text = epv_resource_get("gep/tree.xml", &len);
    if (!text) return epv__error(ctx, EPV_ENOTFOUND, "gep tree: resource gep/tree.xml is missing");
    return epv_gep_tree_load_memory(ctx, text, len, "gep/tree.xml", out);
}

EPV_API int epv_gep_tree_merge_file(epv_ctx *ctx, epv_gep_tree *tree, const char *path)
{
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, path, "path");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, TREE_SCHEMA, &doc);
    if (rc) return rc;
    size_t before = tree->n;
    rc = parse_nodes(ctx, path, doc, tree);
    if (rc) tree->n = before; /* all or nothing: appended rows are dropped */
    xmlFreeDoc(doc);
    return rc;
}

EPV_API void epv_gep_tree_free(epv_gep_tree *tree)
{
    if (!tree) return;
    epv__free(tree->ctx, tree->nodes);
    epv__free(tree->ctx, tree);
}

EPV_API size_t epv_gep_tree_count(const epv_gep_tree *tree) { return tree ? tree->n : 0; }

EPV__DEFINE_INIT(epv_gep_indicator, EPV_GEP_INDICATOR_VERSION, EPV_GEP_INDICATOR_INIT)

EPV_API int epv_gep_tree_at(epv_ctx *ctx, const epv_gep_tree *tree, size_t i, epv_gep_indicator *out)
{
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_gep_indicator", out, EPV_GEP_INDICATOR_VERSION);
    if (rc) return rc;
    if (i >= tree->n) return epv__error(ctx, EPV_ERANGE, "gep tree: index %zu out of range (%zu nodes)", i, tree->n);
    *out = tree->nodes[i];
    out->version = EPV_GEP_INDICATOR_VERSION;
    return EPV_OK;
}

EPV_API int epv_gep_tree_find(epv_ctx *ctx, const epv_gep_tree *tree, const char *code, epv_gep_indicator *out)
{
    EPV__NEED(ctx, tree, "tree");
    EPV__NEED(ctx, code, "code");
    if (out) {
        int rc = epv__check_version(ctx, "epv_gep_indicator", out, EPV_GEP_INDICATOR_VERSION);
        if (rc) return rc;
    }
    long i = epv__gep_tree_index(tree, code);
    if (i < 0) return epv__error(ctx, EPV_ENOTFOUND, "indicator: unknown code '%.60s'", code);
    if (out) {
        *out = tree->nodes[i];
        out->version = EPV_GEP_INDICATOR_VERSION;
    }
    return EPV_OK;
}
