/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading project files (schema/project.xsd). The schema checks structure and types; this
 * file checks meaning (areas, curves, species, years) and builds the project all or
 * nothing: on any error no project is returned. */
#include "config.h"
#include "sink_int.h"
#include "xml_int.h"
#include "epv/unit.h"

#include <stdio.h>
#include <string.h>
#include <libxml/tree.h>

#define PROJECT_SCHEMA "schema/project.xsd"

/* Exactly one of area-ha and area-mu; mu converted at 15 per hectare. */
static int read_area(epv_ctx *ctx, const char *file, xmlNodePtr n, double *area_ha)
{
    int has_ha = epv__xml_has(n, "area-ha"), has_mu = epv__xml_has(n, "area-mu");
    if (has_ha == has_mu)
        return epv__xml_error_at(ctx, EPV_ESCHEMA, file, n, "give exactly one of 'area-ha' and 'area-mu'");
    double v = 0;
    int rc = epv__xml_attr_double(ctx, file, n, has_ha ? "area-ha" : "area-mu", 1, &v);
    if (rc) return rc;
    if (!(v > 0))
        return epv__xml_error_at(ctx, EPV_ERANGE, file, n, "attribute '%s': %g must be greater than zero",
                                 has_ha ? "area-ha" : "area-mu", v);
    *area_ha = has_ha ? v : epv_unit_mu_to_ha(v);
    if (*area_ha > EPV_PROJECT_AREA_MAX_HA)
        return epv__xml_error_at(ctx, EPV_ERANGE, file, n,
                                 "attribute '%s': %g ha is above %g ha, the size order of the largest counties "
                                 "(a unit or typing error?)",
                                 has_ha ? "area-ha" : "area-mu", *area_ha, EPV_PROJECT_AREA_MAX_HA);
    return EPV_OK;
}

static int read_curve(epv_ctx *ctx, const char *file, xmlNodePtr n, epv_growth_curve *c)
{
    char *model = NULL;
    int rc = epv__xml_attr_str(ctx, file, n, "model", 1, &model);
    if (rc) return rc;
    rc = epv_growth_model_from_name(ctx, model, &c->model);
    epv__free(ctx, model);
    if (rc) return epv__xml_error_at(ctx, rc, file, n, "attribute 'model': %s", epv_ctx_errmsg(ctx));
    c->c = 0;
    if ((rc = epv__xml_attr_double(ctx, file, n, "a", 1, &c->a)) ||
        (rc = epv__xml_attr_double(ctx, file, n, "b", 1, &c->b)) ||
        (rc = epv__xml_attr_double(ctx, file, n, "c", 0, &c->c)))
        return rc;
    if ((rc = epv_growth_curve_check(ctx, c)))
        return epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
    return EPV_OK;
}

static int read_stratum(epv_ctx *ctx, const char *file, xmlNodePtr n, epv_project *p, const epv_params *params)
{
    epv_project_stratum s = EPV_PROJECT_STRATUM_INIT;
    char *text = NULL;
    int rc;
    if ((rc = epv__xml_attr_str(ctx, file, n, "id", 1, &text))) return rc;
    snprintf(s.id, sizeof s.id, "%s", text);
    epv__free(ctx, text);
    if ((rc = epv__xml_attr_str(ctx, file, n, "species", 1, &text))) return rc;
    snprintf(s.species, sizeof s.species, "%s", text);
    epv__free(ctx, text);
    int64_t year = 0;
    if ((rc = read_area(ctx, file, n, &s.area_ha)) ||
        (rc = epv__xml_attr_int(ctx, file, n, "planting-year", 1, &year)) ||
        (rc = epv__xml_attr_double(ctx, file, n, "baseline-tco2-ha-yr", 0, &s.baseline_tco2_ha_yr)))
        return rc;
    s.planting_year = (int)year;
    text = NULL; /* an absent optional attribute leaves text untouched (freed above) */
    if ((rc = epv__xml_attr_str(ctx, file, n, "method", 0, &text))) return rc;
    if (text) {
        s.method = strcmp(text, "fang") == 0 ? EPV_FOREST_BIOMASS_FANG : EPV_FOREST_BIOMASS_BEF;
        epv__free(ctx, text);
    }
    xmlNodePtr c = epv__xml_child(n, "curve");
    if ((rc = read_curve(ctx, file, c, &s.curve))) return rc;
    if ((c = epv__xml_child(n, "baseline-curve"))) {
        if ((rc = read_curve(ctx, file, c, &s.baseline_curve))) return rc;
        s.has_baseline_curve = 1;
    }
    if ((c = epv__xml_child(n, "shrubs")) &&
        ((rc = epv__xml_attr_double(ctx, file, c, "crown-cover", 1, &s.shrub_crown_cover)) ||
         (rc = epv__xml_attr_double(ctx, file, c, "forest-biomass-t-ha", 1, &s.shrub_forest_biomass_t_ha))))
        return rc;
    if ((c = epv__xml_child(n, "soil")) &&
        ((rc = epv__xml_attr_double(ctx, file, c, "initial-tc-ha", 1, &s.soc_initial_tc_ha)) ||
         (rc = epv__xml_attr_double(ctx, file, c, "final-tc-ha", 1, &s.soc_final_tc_ha))))
        return rc;
    if ((rc = epv_project_add_stratum(ctx, p, params, &s)))
        return epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
    if (epv__xml_has(n, "start-volume-m3-ha")) {
        double v0 = 0;
        if ((rc = epv__xml_attr_double(ctx, file, n, "start-volume-m3-ha", 1, &v0))) return rc;
        if ((rc = epv_project_set_start_volume(ctx, p, s.id, v0)))
            return epv__xml_error_at(ctx, rc, file, n, "attribute 'start-volume-m3-ha': %s", epv_ctx_errmsg(ctx));
    }
    text = NULL;
    if ((rc = epv__xml_attr_str(ctx, file, n, "origin", 0, &text))) return rc;
    if (text) {
        rc = epv_project_set_stratum_origin(ctx, p, s.id,
                                            strcmp(text, "natural") == 0 ? EPV_PROJECT_NATURAL : EPV_PROJECT_PLANTATION);
        epv__free(ctx, text);
        if (rc) return epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
    }
    return EPV_OK;
}

static int read_project(epv_ctx *ctx, const char *file, xmlDocPtr doc, const epv_params *params, epv_project **out)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    char *name = NULL, *kind = NULL;
    int64_t start = 0, years = 0;
    double leakage = 0;
    int rc;
    if ((rc = epv__xml_attr_str(ctx, file, root, "name", 1, &name))) return rc;
    if ((rc = epv__xml_attr_str(ctx, file, root, "kind", 1, &kind)) ||
        (rc = epv__xml_attr_int(ctx, file, root, "start-year", 1, &start)) ||
        (rc = epv__xml_attr_int(ctx, file, root, "crediting-years", 1, &years)) ||
        (rc = epv__xml_attr_double(ctx, file, root, "leakage-fraction", 0, &leakage))) {
        epv__free(ctx, name);
        epv__free(ctx, kind);
        return rc;
    }
    epv_project_kind k = strcmp(kind, "forest-management") == 0 ? EPV_PROJECT_FOREST_MANAGEMENT
                                                                 : EPV_PROJECT_AFFORESTATION;
    epv__free(ctx, kind);
    epv_project *p = NULL;
    rc = epv_project_new(ctx, name, k, (int)start, (int)years, &p);
    epv__free(ctx, name);
    if (rc) return epv__xml_error_at(ctx, rc, file, root, "%s", epv_ctx_errmsg(ctx));
    if ((rc = epv_project_set_leakage(ctx, p, leakage))) {
        rc = epv__xml_error_at(ctx, rc, file, root, "%s", epv_ctx_errmsg(ctx));
        goto fail;
    }
    {
        double hwp = 0, half = 0;
        if ((rc = epv__xml_attr_double(ctx, file, root, "hwp-fraction", 0, &hwp)) ||
            (rc = epv__xml_attr_double(ctx, file, root, "hwp-half-life-years", hwp > 0, &half)))
            goto fail;
        if ((rc = epv_project_set_hwp(ctx, p, hwp, half))) {
            rc = epv__xml_error_at(ctx, rc, file, root, "%s", epv_ctx_errmsg(ctx));
            goto fail;
        }
    }
    for (xmlNodePtr n = epv__xml_child(root, "stratum"); n; n = epv__xml_next(n, "stratum"))
        if ((rc = read_stratum(ctx, file, n, p, params))) goto fail;
    for (xmlNodePtr n = epv__xml_child(root, "disturbance"); n; n = epv__xml_next(n, "disturbance")) {
        char *sid = NULL;
        int64_t year = 0;
        double fraction = 0;
        if ((rc = epv__xml_attr_str(ctx, file, n, "stratum", 1, &sid))) goto fail;
        if (!(rc = epv__xml_attr_int(ctx, file, n, "year", 1, &year)) &&
            !(rc = epv__xml_attr_double(ctx, file, n, "fraction", 1, &fraction)) &&
            (rc = epv_project_add_disturbance(ctx, p, sid, (int)year, fraction)))
            rc = epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
        epv__free(ctx, sid);
        if (rc) goto fail;
    }
    for (xmlNodePtr n = epv__xml_child(root, "event"); n; n = epv__xml_next(n, "event")) {
        char *sid = NULL, *ekind = NULL, *scen = NULL;
        int64_t year = 0;
        epv_project_event e = EPV_PROJECT_EVENT_INIT;
        if (!(rc = epv__xml_attr_str(ctx, file, n, "stratum", 1, &sid)) &&
            !(rc = epv__xml_attr_str(ctx, file, n, "kind", 1, &ekind)) &&
            !(rc = epv__xml_attr_str(ctx, file, n, "scenario", 1, &scen)) &&
            !(rc = epv__xml_attr_int(ctx, file, n, "year", 1, &year)) &&
            !(rc = epv__xml_attr_double(ctx, file, n, "fraction", 1, &e.fraction))) {
            snprintf(e.stratum, sizeof e.stratum, "%s", sid);
            e.year = (int)year;
            e.kind = strcmp(ekind, "harvest") == 0 ? EPV_PROJECT_HARVEST : EPV_PROJECT_THINNING;
            e.scenario = strcmp(scen, "project") == 0    ? EPV_PROJECT_SCENARIO_PROJECT
                         : strcmp(scen, "baseline") == 0 ? EPV_PROJECT_SCENARIO_BASELINE
                                                         : EPV_PROJECT_SCENARIO_BOTH;
            if ((rc = epv_project_add_event(ctx, p, &e)))
                rc = epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
        }
        epv__free(ctx, sid);
        epv__free(ctx, ekind);
        epv__free(ctx, scen);
        if (rc) goto fail;
    }
    for (xmlNodePtr n = epv__xml_child(root, "monitoring-period"); n; n = epv__xml_next(n, "monitoring-period")) {
        int64_t first = 0, last = 0;
        if ((rc = epv__xml_attr_int(ctx, file, n, "first-year", 1, &first)) ||
            (rc = epv__xml_attr_int(ctx, file, n, "last-year", 1, &last)))
            goto fail;
        if ((rc = epv__sink_period_add(ctx, p, (int)first, (int)last))) {
            rc = epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
            goto fail;
        }
    }
    for (xmlNodePtr n = epv__xml_child(root, "claim"); n; n = epv__xml_next(n, "claim")) {
        char *label = NULL, *source = NULL, *basis = NULL;
        double tco2 = 0, area = 0;
        if (!(rc = epv__xml_attr_str(ctx, file, n, "label", 1, &label)) &&
            !(rc = epv__xml_attr_str(ctx, file, n, "source", 1, &source)) &&
            !(rc = epv__xml_attr_str(ctx, file, n, "basis", 0, &basis)) &&
            !(rc = epv__xml_attr_double(ctx, file, n, "tco2-per-year", 1, &tco2)) &&
            !(rc = read_area(ctx, file, n, &area)) &&
            (rc = epv__sink_claim_add(ctx, p, label, tco2, area, source,
                                      !basis                         ? EPV_PROJECT_BASIS_UNSTATED
                                      : strcmp(basis, "gross") == 0 ? EPV_PROJECT_BASIS_GROSS
                                                                     : EPV_PROJECT_BASIS_NET)))
            rc = epv__xml_error_at(ctx, rc, file, n, "%s", epv_ctx_errmsg(ctx));
        epv__free(ctx, label);
        epv__free(ctx, source);
        epv__free(ctx, basis);
        if (rc) goto fail;
    }
    *out = p;
    return EPV_OK;
fail:
    epv_project_free(p);
    return rc;
}

EPV_API int epv_project_load_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                    const epv_params *params, epv_project **out)
{
    if (!ctx || !out) return epv__error(ctx, EPV_EINVAL, "project_load: NULL argument");
    *out = NULL;
    if (!params) return epv__error(ctx, EPV_EINVAL, "project_load: no parameter table given");
    xmlDocPtr doc;
    int rc = epv__xml_load_memory(ctx, buf, len, name, PROJECT_SCHEMA, &doc);
    if (rc) return rc;
    rc = read_project(ctx, name ? name : "(buffer)", doc, params, out);
    xmlFreeDoc(doc);
    return rc;
}

EPV_API int epv_project_load_file(epv_ctx *ctx, const char *path, const epv_params *params, epv_project **out)
{
    if (!ctx || !out) return epv__error(ctx, EPV_EINVAL, "project_load: NULL argument");
    *out = NULL;
    if (!params) return epv__error(ctx, EPV_EINVAL, "project_load: no parameter table given");
    xmlDocPtr doc;
    int rc = epv__xml_load_file(ctx, path, PROJECT_SCHEMA, &doc);
    if (rc) return rc;
    rc = read_project(ctx, path, doc, params, out);
    xmlFreeDoc(doc);
    return rc;
}
