/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Project definition and the yearly estimation of removals, emissions, baseline, leakage
 * and net removals (see include/epv/sink.h for the method and its sources). */
#include "config.h"
#include "sink_int.h"
#include "epv/unit.h"

#include <math.h>
#include <string.h>

/* Strata are summed in fixed blocks so totals do not depend on the number of threads. */
#define SINK_BLOCK 64
/* IPCC Tier 1 default transition time for soil carbon of land converted to forest, years. */
#define SINK_SOC_TRANSITION_YEARS 20.0
/* Largest measured stem volume accepted, m³/ha (the tallest stands hold a few thousand). */
#define SINK_MAX_START_VOLUME 5000.0

EPV__DEFINE_INIT(epv_project_stratum, EPV_PROJECT_STRATUM_VERSION, EPV_PROJECT_STRATUM_INIT)
EPV__DEFINE_INIT(epv_project_period, EPV_PROJECT_PERIOD_VERSION, EPV_PROJECT_PERIOD_INIT)
EPV__DEFINE_INIT(epv_project_claim, EPV_PROJECT_CLAIM_VERSION, EPV_PROJECT_CLAIM_INIT)
EPV__DEFINE_INIT(epv_sink_year, EPV_SINK_YEAR_VERSION, EPV_SINK_YEAR_INIT)
EPV__DEFINE_INIT(epv_sink_period, EPV_SINK_PERIOD_VERSION, EPV_SINK_PERIOD_INIT)
EPV__DEFINE_INIT(epv_sink_options, EPV_SINK_OPTIONS_VERSION, EPV_SINK_OPTIONS_INIT)
EPV__DEFINE_INIT(epv_sink_plausibility, EPV_SINK_PLAUSIBILITY_VERSION, EPV_SINK_PLAUSIBILITY_INIT)
EPV__DEFINE_INIT(epv_sink_plausibility_options, EPV_SINK_PLAUSIBILITY_OPTIONS_VERSION, EPV_SINK_PLAUSIBILITY_OPTIONS_INIT)
EPV__DEFINE_INIT(epv_sink_expectation, EPV_SINK_EXPECTATION_VERSION, EPV_SINK_EXPECTATION_INIT)
EPV__DEFINE_INIT(epv_project_event, EPV_PROJECT_EVENT_VERSION, EPV_PROJECT_EVENT_INIT)

EPV_API int epv_project_new(epv_ctx *ctx, const char *name, epv_project_kind kind, int start_year,
                            int crediting_years, epv_project **out)
{
    if (!ctx || !out || !name) return epv__error(ctx, EPV_EINVAL, "project: NULL argument");
    *out = NULL;
    if (kind != EPV_PROJECT_AFFORESTATION && kind != EPV_PROJECT_FOREST_MANAGEMENT)
        return epv__error(ctx, EPV_EINVAL, "project kind: %d is not a known kind", (int)kind);
    if (crediting_years < EPV_SINK_CREDITING_MIN_YEARS || crediting_years > EPV_SINK_CREDITING_MAX_YEARS)
        return epv__error(ctx, EPV_ERANGE, "crediting_years: %d is outside %d-%d years", crediting_years,
                          EPV_SINK_CREDITING_MIN_YEARS, EPV_SINK_CREDITING_MAX_YEARS);
    if (start_year < 1900 || start_year > 2200)
        return epv__error(ctx, EPV_ERANGE, "start_year: %d is outside 1900-2200", start_year);
    epv_project *p = epv__calloc(ctx, 1, sizeof *p);
    if (!p) return EPV_ENOMEM;
    p->ctx = ctx;
    p->name = epv__strdup(ctx, name);
    if (!p->name) {
        epv__free(ctx, p);
        return EPV_ENOMEM;
    }
    p->kind = kind;
    p->start_year = start_year;
    p->crediting_years = crediting_years;
    *out = p;
    return EPV_OK;
}

EPV_API void epv_project_free(epv_project *p)
{
    if (!p) return;
    epv_ctx *ctx = p->ctx;
    for (size_t i = 0; i < p->nclaims; i++) {
        epv__free(ctx, p->claims[i].label);
        epv__free(ctx, p->claims[i].source);
    }
    epv__free(ctx, p->claims);
    epv__free(ctx, p->events);
    epv__free(ctx, p->periods);
    epv__free(ctx, p->dist);
    epv__free(ctx, p->strata);
    epv__free(ctx, p->id_slots);
    epv__free(ctx, p->name);
    epv__free(ctx, p);
}

/* The curve must stay finite and non-negative over every age the estimate uses. */
static int check_curve_over(epv_ctx *ctx, const epv_growth_curve *curve, int max_age, const char *what,
                            const char *id)
{
    int rc = epv_growth_curve_check(ctx, curve);
    if (rc) {
        epv__error_prefix(ctx, "stratum '%s': %s", id, what);
        return rc;
    }
    double ages[256], values[256];
    for (int first = 0; first <= max_age && !rc; first += 256) {
        int n = max_age - first + 1 < 256 ? max_age - first + 1 : 256;
        for (int k = 0; k < n; k++) ages[k] = (double)(first + k);
        rc = epv_growth_eval_many(ctx, curve, ages, (size_t)n, values);
    }
    if (rc) epv__error_prefix(ctx, "stratum '%s': %s", id, what);
    return rc;
}

static int resolve_stratum(epv_ctx *ctx, const epv_project *p, const epv_params *params,
                           const epv_project_stratum *s, struct sink_stratum *out)
{
    if (!s->id[0] || !memchr(s->id, '\0', sizeof s->id))
        return epv__error(ctx, EPV_EINVAL, "stratum id: empty or longer than 63 bytes");
    const char *id = s->id;
    int rc;
    if ((rc = epv__check_positive(ctx, s->area_ha, "area_ha")) ||
        (rc = epv__check_nonneg(ctx, s->baseline_tco2_ha_yr, "baseline_tco2_ha_yr")) ||
        (rc = epv__check_nonneg(ctx, s->shrub_crown_cover, "shrub_crown_cover")) ||
        (rc = epv__check_nonneg(ctx, s->shrub_forest_biomass_t_ha, "shrub_forest_biomass_t_ha")) ||
        (rc = epv__check_nonneg(ctx, s->soc_initial_tc_ha, "soc_initial_tc_ha")) ||
        (rc = epv__check_nonneg(ctx, s->soc_final_tc_ha, "soc_final_tc_ha"))) {
        epv__error_prefix(ctx, "stratum '%s'", id);
        return rc;
    }
    {
        static const struct { const char *field; double max; } bounds[] = {
            { "area_ha", EPV_PROJECT_AREA_MAX_HA },
            { "baseline_tco2_ha_yr", EPV_PROJECT_BASELINE_MAX_TCO2_HA_YR },
            { "shrub_forest_biomass_t_ha", EPV_PROJECT_FOREST_BIOMASS_MAX_T_HA },
            { "soc_initial_tc_ha", EPV_PROJECT_SOC_MAX_TC_HA },
            { "soc_final_tc_ha", EPV_PROJECT_SOC_MAX_TC_HA },
        };
        const double v[] = { s->area_ha, s->baseline_tco2_ha_yr, s->shrub_forest_biomass_t_ha, s->soc_initial_tc_ha,
                             s->soc_final_tc_ha };
        for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++)
            if (v[b] > bounds[b].max)
                return epv__error(ctx, EPV_ERANGE, "stratum '%s': %s: %g is above %g (a unit or typing error?)", id,
                                  bounds[b].field, v[b], bounds[b].max);
    }
    if (s->shrub_crown_cover > 1)
        return epv__error(ctx, EPV_ERANGE, "stratum '%s': shrub_crown_cover: %g is above 1", id, s->shrub_crown_cover);
    int last_year = p->start_year + p->crediting_years - 1;
    if (s->planting_year < 1800 || s->planting_year > last_year)
        return epv__error(ctx, EPV_ERANGE, "stratum '%s': planting_year: %d is outside 1800-%d (end of crediting)",
                          id, s->planting_year, last_year);
    if (p->kind == EPV_PROJECT_AFFORESTATION && s->planting_year < p->start_year - 5)
        return epv__error(ctx, EPV_ERANGE,
                          "stratum '%s': planting_year: %d is long before the start %d of an afforestation project",
                          id, s->planting_year, p->start_year);
    if (s->method != EPV_FOREST_BIOMASS_BEF && s->method != EPV_FOREST_BIOMASS_FANG)
        return epv__error(ctx, EPV_EINVAL, "stratum '%s': method: %d is not a known method", id, (int)s->method);
    if (!params) return epv__error(ctx, EPV_EINVAL, "stratum '%s': no parameter table given", id);
    memset(out, 0, sizeof *out);
    out->s = *s;
    out->species.version = EPV_PARAMS_SPECIES_VERSION;
    if ((rc = epv_params_species_find(ctx, params, s->species, &out->species))) {
        epv__error_prefix(ctx, "stratum '%s'", id);
        return rc;
    }
    if ((rc = epv_forest_co2_per_volume(ctx, &out->species, s->method, &out->co2_per_m3_ha))) {
        epv__error_prefix(ctx, "stratum '%s'", id);
        return rc;
    }
    int max_age = last_year - s->planting_year + 1;
    if ((rc = check_curve_over(ctx, &s->curve, max_age, "growth curve", id))) return rc;
    if (s->has_baseline_curve && (rc = check_curve_over(ctx, &s->baseline_curve, max_age, "baseline curve", id)))
        return rc;
    /* CDM AR-Tool14: B_shrub = (1 + R_s) · CC · BDR_SF · B_forest, carbon fraction CF_s. */
    double b_shrub = (1.0 + EPV_SINK_SHRUB_ROOT_SHOOT) * s->shrub_crown_cover * EPV_SINK_SHRUB_BDR_SF *
                     s->shrub_forest_biomass_t_ha;
    out->shrub_tco2_ha = epv_unit_c_to_co2(b_shrub * EPV_SINK_SHRUB_CARBON_FRACTION);
    return EPV_OK;
}

/* Stratum ids are looked up through a hash table so projects of 10^5 strata load in
 * linear time (FNV-1a hash, linear probing). */
static size_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

/* Slot holding id, or the empty slot where it would go. */
static size_t id_slot(const epv_project *p, const char *id)
{
    size_t mask = p->nslots - 1, i = id_hash(id) & mask;
    while (p->id_slots[i] && strcmp(p->strata[p->id_slots[i] - 1].s.id, id) != 0) i = (i + 1) & mask;
    return i;
}

static int find_stratum(const epv_project *p, const char *id, size_t *index)
{
    if (!p->nslots) return 0;
    size_t slot = p->id_slots[id_slot(p, id)];
    if (!slot) return 0;
    *index = slot - 1;
    return 1;
}

static int rehash(epv_ctx *ctx, epv_project *p, size_t nslots)
{
    size_t *slots = epv__calloc(ctx, nslots, sizeof *slots);
    if (!slots) return EPV_ENOMEM;
    epv__free(ctx, p->id_slots);
    p->id_slots = slots;
    p->nslots = nslots;
    for (size_t i = 0; i < p->nstrata; i++) p->id_slots[id_slot(p, p->strata[i].s.id)] = i + 1;
    return EPV_OK;
}

void epv__sink_truncate(epv_project *p, size_t n)
{
    if (n >= p->nstrata) return;
    size_t w = 0;
    for (size_t i = 0; i < p->nevents; i++)
        if (p->events[i].stratum < n) p->events[w++] = p->events[i];
    p->nevents = w;
    w = 0;
    for (size_t i = 0; i < p->ndist; i++)
        if (p->dist[i].stratum < n) p->dist[w++] = p->dist[i];
    p->ndist = w;
    p->nstrata = n;
    if (p->nslots) {
        memset(p->id_slots, 0, p->nslots * sizeof *p->id_slots);
        for (size_t i = 0; i < p->nstrata; i++) p->id_slots[id_slot(p, p->strata[i].s.id)] = i + 1;
    }
}

EPV_API int epv_project_add_stratum(epv_ctx *ctx, epv_project *p, const epv_params *params, const epv_project_stratum *s)
{
    if (!p || !s) return epv__error(ctx, EPV_EINVAL, "add_stratum: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_project_stratum", s, EPV_PROJECT_STRATUM_VERSION); if (rcv) return rcv; }
    if (s->curve.version < 1 || s->curve.version > EPV_GROWTH_CURVE_VERSION ||
        s->baseline_curve.version < 1 || s->baseline_curve.version > EPV_GROWTH_CURVE_VERSION)
        return epv__error(ctx, EPV_EVERSION, "stratum '%.63s': curve or baseline_curve: version %u/%u is not "
                          "1..%u (start from EPV_PROJECT_STRATUM_INIT)", s->id, s->curve.version,
                          s->baseline_curve.version, EPV_GROWTH_CURVE_VERSION);
    size_t existing;
    if (memchr(s->id, '\0', sizeof s->id) && find_stratum(p, s->id, &existing))
        return epv__error(ctx, EPV_EEXISTS, "stratum '%s': id used twice", s->id);
    struct sink_stratum st;
    int rc = resolve_stratum(ctx, p, params, s, &st);
    if (rc) return rc;
    if ((rc = epv__grow(ctx, (void **)&p->strata, &p->cap_strata, p->nstrata + 1, sizeof *p->strata))) return rc;
    if (2 * (p->nstrata + 1) > p->nslots && (rc = rehash(ctx, p, p->nslots ? 2 * p->nslots : 64))) return rc;
    p->strata[p->nstrata] = st;
    p->id_slots[id_slot(p, st.s.id)] = p->nstrata + 1;
    p->nstrata++;
    return EPV_OK;
}

EPV_API int epv_project_add_disturbance(epv_ctx *ctx, epv_project *p, const char *stratum_id, int year,
                                        double fraction)
{
    if (!p || !stratum_id) return epv__error(ctx, EPV_EINVAL, "add_disturbance: NULL argument");
    size_t i;
    if (!find_stratum(p, stratum_id, &i))
        return epv__error(ctx, EPV_ENOTFOUND, "disturbance: unknown stratum '%.63s'", stratum_id);
    if (!isfinite(fraction) || fraction <= 0 || fraction > 1)
        return epv__error(ctx, EPV_ERANGE, "disturbance fraction: %g is outside (0, 1]", fraction);
    if (year < p->start_year || year >= p->start_year + p->crediting_years)
        return epv__error(ctx, EPV_ERANGE, "disturbance year: %d is outside the crediting period %d-%d", year,
                          p->start_year, p->start_year + p->crediting_years - 1);
    int rc = epv__grow(ctx, (void **)&p->dist, &p->cap_dist, p->ndist + 1, sizeof *p->dist);
    if (rc) return rc;
    p->dist[p->ndist].stratum = i;
    p->dist[p->ndist].year = year;
    p->dist[p->ndist].fraction = fraction;
    p->ndist++;
    return EPV_OK;
}

EPV_API int epv_project_set_start_volume(epv_ctx *ctx, epv_project *p, const char *stratum_id, double volume_m3_ha)
{
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, stratum_id, "stratum_id");
    size_t i;
    if (!find_stratum(p, stratum_id, &i))
        return epv__error(ctx, EPV_ENOTFOUND, "start volume: unknown stratum '%.63s'", stratum_id);
    if (!isfinite(volume_m3_ha) || volume_m3_ha < 0 || volume_m3_ha > SINK_MAX_START_VOLUME)
        return epv__error(ctx, EPV_ERANGE, "stratum '%.63s': start_volume_m3_ha: %g is outside 0-%g m3/ha", stratum_id,
                          volume_m3_ha, SINK_MAX_START_VOLUME);
    p->strata[i].has_start_volume = 1;
    p->strata[i].start_volume = volume_m3_ha;
    return EPV_OK;
}

EPV_API double epv_project_stratum_start_volume(const epv_project *p, size_t i)
{
    return p && i < p->nstrata && p->strata[i].has_start_volume ? p->strata[i].start_volume : NAN;
}

EPV_API int epv_project_add_event(epv_ctx *ctx, epv_project *p, const epv_project_event *e)
{
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, e, "event");
    int rc = epv__check_version(ctx, "epv_project_event", e, EPV_PROJECT_EVENT_VERSION);
    if (rc) return rc;
    if (!memchr(e->stratum, '\0', sizeof e->stratum))
        return epv__error(ctx, EPV_EINVAL, "event: stratum id longer than 63 bytes");
    size_t i;
    if (!find_stratum(p, e->stratum, &i))
        return epv__error(ctx, EPV_ENOTFOUND, "event: unknown stratum '%s'", e->stratum);
    if (e->kind != EPV_PROJECT_THINNING && e->kind != EPV_PROJECT_HARVEST)
        return epv__error(ctx, EPV_EINVAL, "event on '%s': kind: %d is neither thinning (1) nor harvest (2)", e->stratum,
                          (int)e->kind);
    if (e->scenario < EPV_PROJECT_SCENARIO_PROJECT || e->scenario > EPV_PROJECT_SCENARIO_BOTH)
        return epv__error(ctx, EPV_EINVAL, "event on '%s': scenario: %d is not project (1), baseline (2) or both (3)",
                          e->stratum, (int)e->scenario);
    if ((e->scenario & EPV_PROJECT_SCENARIO_BASELINE) && !p->strata[i].s.has_baseline_curve)
        return epv__error(ctx, EPV_EINVAL, "event on '%s': a baseline event needs the stratum's baseline curve",
                          e->stratum);
    if (e->kind == EPV_PROJECT_THINNING && !(isfinite(e->fraction) && e->fraction > 0 && e->fraction < 1))
        return epv__error(ctx, EPV_ERANGE, "thinning on '%s': fraction: %g is outside (0, 1) (a removal of the whole "
                          "stand is a harvest)", e->stratum, e->fraction);
    if (e->kind == EPV_PROJECT_HARVEST && e->fraction != 1)
        return epv__error(ctx, EPV_ERANGE, "harvest on '%s': fraction: %g is not 1 (a harvest is a clear-fell; a "
                          "partial removal is a thinning)", e->stratum, e->fraction);
    if (e->year < p->start_year || e->year >= p->start_year + p->crediting_years)
        return epv__error(ctx, EPV_ERANGE, "event on '%s': year: %d is outside the crediting period %d-%d", e->stratum,
                          e->year, p->start_year, p->start_year + p->crediting_years - 1);
    if (e->year < p->strata[i].s.planting_year)
        return epv__error(ctx, EPV_ERANGE, "event on '%s': year: %d is before the planting year %d", e->stratum, e->year,
                          p->strata[i].s.planting_year);
    for (size_t k = 0; k < p->nevents; k++)
        if (p->events[k].stratum == i && p->events[k].year == e->year && (p->events[k].scenario & (int)e->scenario))
            return epv__error(ctx, EPV_EEXISTS, "event on '%s': a second event in %d in the same scenario", e->stratum,
                              e->year);
    if ((rc = epv__grow(ctx, (void **)&p->events, &p->cap_events, p->nevents + 1, sizeof *p->events))) return rc;
    struct sink_event *x = &p->events[p->nevents++];
    x->stratum = i;
    x->year = e->year;
    x->kind = (int)e->kind;
    x->scenario = (int)e->scenario;
    x->fraction = e->fraction;
    return EPV_OK;
}

EPV_API size_t epv_project_event_count(const epv_project *p) { return p ? p->nevents : 0; }

EPV_API int epv_project_event_at(epv_ctx *ctx, const epv_project *p, size_t i, epv_project_event *out)
{
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, out, "out");
    int rc = epv__check_version(ctx, "epv_project_event", out, EPV_PROJECT_EVENT_VERSION);
    if (rc) return rc;
    if (i >= p->nevents) return epv__error(ctx, EPV_ERANGE, "event index %zu: project has %zu", i, p->nevents);
    const struct sink_event *x = &p->events[i];
    memcpy(out->stratum, p->strata[x->stratum].s.id, sizeof out->stratum);
    out->year = x->year;
    out->kind = (epv_project_event_kind)x->kind;
    out->scenario = (epv_project_scenario)x->scenario;
    out->fraction = x->fraction;
    return EPV_OK;
}

EPV_API int epv_project_set_hwp(epv_ctx *ctx, epv_project *p, double product_fraction, double half_life_years)
{
    EPV__NEED(ctx, p, "project");
    if (!isfinite(product_fraction) || product_fraction < 0 || product_fraction > 1)
        return epv__error(ctx, EPV_ERANGE, "hwp product_fraction: %g is outside 0-1", product_fraction);
    if (product_fraction > 0 && !(isfinite(half_life_years) && half_life_years > 0 && half_life_years <= 1000))
        return epv__error(ctx, EPV_ERANGE, "hwp half_life_years: %g is outside (0, 1000]", half_life_years);
    p->hwp_fraction = product_fraction;
    p->hwp_half_life = product_fraction > 0 ? half_life_years : 0;
    return EPV_OK;
}

EPV_API int epv_project_set_leakage(epv_ctx *ctx, epv_project *p, double fraction)
{
    if (!p) return epv__error(ctx, EPV_EINVAL, "set_leakage: NULL project");
    if (!isfinite(fraction) || fraction < 0 || fraction > 1)
        return epv__error(ctx, EPV_ERANGE, "leakage_fraction: %g is outside 0-1", fraction);
    p->leakage_fraction = fraction;
    return EPV_OK;
}

int epv__sink_period_add(epv_ctx *ctx, epv_project *p, int first_year, int last_year)
{
    int end = p->start_year + p->crediting_years - 1;
    if (first_year > last_year)
        return epv__error(ctx, EPV_ERANGE, "monitoring period: first year %d is after last year %d", first_year,
                          last_year);
    if (first_year < p->start_year || last_year > end)
        return epv__error(ctx, EPV_ERANGE, "monitoring period %d-%d: outside the crediting period %d-%d", first_year,
                          last_year, p->start_year, end);
    for (size_t i = 0; i < p->nperiods; i++)
        if (first_year <= p->periods[i].last_year && p->periods[i].first_year <= last_year)
            return epv__error(ctx, EPV_ERANGE, "monitoring period %d-%d: overlaps %d-%d", first_year, last_year,
                              p->periods[i].first_year, p->periods[i].last_year);
    int rc = epv__grow(ctx, (void **)&p->periods, &p->cap_periods, p->nperiods + 1, sizeof *p->periods);
    if (rc) return rc;
    p->periods[p->nperiods].first_year = first_year;
    p->periods[p->nperiods].last_year = last_year;
    p->nperiods++;
    return EPV_OK;
}

int epv__sink_claim_add(epv_ctx *ctx, epv_project *p, const char *label, double tco2_per_year, double area_ha,
                        const char *source, int basis)
{
    int rc;
    if ((rc = epv__check_nonneg(ctx, tco2_per_year, "claim tco2-per-year")) ||
        (rc = epv__check_positive(ctx, area_ha, "claim area")))
        return rc;
    if (area_ha > EPV_PROJECT_AREA_MAX_HA)
        return epv__error(ctx, EPV_ERANGE, "claim area: %g ha is above %g ha (a unit or typing error?)", area_ha,
                          EPV_PROJECT_AREA_MAX_HA);
    if ((rc = epv__grow(ctx, (void **)&p->claims, &p->cap_claims, p->nclaims + 1, sizeof *p->claims))) return rc;
    struct sink_claim *c = &p->claims[p->nclaims];
    c->label = epv__strdup(ctx, label ? label : "");
    c->source = epv__strdup(ctx, source ? source : "");
    if (!c->label || !c->source) {
        epv__free(ctx, c->label);
        epv__free(ctx, c->source);
        return EPV_ENOMEM;
    }
    c->tco2_per_year = tco2_per_year;
    c->area_ha = area_ha;
    c->basis = basis;
    p->nclaims++;
    return EPV_OK;
}

EPV_API const char *epv_project_name(const epv_project *p) { return p ? p->name : NULL; }
EPV_API epv_project_kind epv_project_kind_of(const epv_project *p) { return p ? p->kind : EPV_PROJECT_AFFORESTATION; }
EPV_API int epv_project_start_year(const epv_project *p) { return p ? p->start_year : 0; }
EPV_API int epv_project_crediting_years(const epv_project *p) { return p ? p->crediting_years : 0; }
EPV_API size_t epv_project_stratum_count(const epv_project *p) { return p ? p->nstrata : 0; }
EPV_API size_t epv_project_period_count(const epv_project *p) { return p ? p->nperiods : 0; }
EPV_API size_t epv_project_claim_count(const epv_project *p) { return p ? p->nclaims : 0; }

EPV_API int epv_project_set_stratum_origin(epv_ctx *ctx, epv_project *p, const char *stratum_id,
                                           epv_project_origin origin)
{
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, stratum_id, "stratum_id");
    size_t i;
    if (origin != EPV_PROJECT_PLANTATION && origin != EPV_PROJECT_NATURAL)
        return epv__error(ctx, EPV_EINVAL, "stratum '%.63s': origin: %d is not a known origin", stratum_id, (int)origin);
    if (!find_stratum(p, stratum_id, &i))
        return epv__error(ctx, EPV_ENOTFOUND, "origin: unknown stratum '%.63s'", stratum_id);
    p->strata[i].natural = origin == EPV_PROJECT_NATURAL;
    return EPV_OK;
}

EPV_API epv_project_origin epv_project_stratum_origin(const epv_project *p, size_t i)
{
    return p && i < p->nstrata && p->strata[i].natural ? EPV_PROJECT_NATURAL : EPV_PROJECT_PLANTATION;
}

EPV_API epv_project_basis epv_project_claim_basis(const epv_project *p, size_t i)
{
    return p && i < p->nclaims ? (epv_project_basis)p->claims[i].basis : EPV_PROJECT_BASIS_UNSTATED;
}

EPV_API double epv_project_area_ha(const epv_project *p)
{
    double a = 0;
    for (size_t i = 0; p && i < p->nstrata; i++) a += p->strata[i].s.area_ha;
    return a;
}

EPV_API int epv_project_stratum_at(epv_ctx *ctx, const epv_project *p, size_t i, epv_project_stratum *out)
{
    if (!p || !out) return epv__error(ctx, EPV_EINVAL, "stratum_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_project_stratum", out, EPV_PROJECT_STRATUM_VERSION); if (rcv) return rcv; }
    if (i >= p->nstrata) return epv__error(ctx, EPV_ERANGE, "stratum index %zu: project has %zu strata", i, p->nstrata);
    *out = p->strata[i].s;
    return EPV_OK;
}

EPV_API int epv_project_period_at(epv_ctx *ctx, const epv_project *p, size_t i, epv_project_period *out)
{
    if (!p || !out) return epv__error(ctx, EPV_EINVAL, "period_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_project_period", out, EPV_PROJECT_PERIOD_VERSION); if (rcv) return rcv; }
    if (i >= p->nperiods) return epv__error(ctx, EPV_ERANGE, "period index %zu: project has %zu", i, p->nperiods);
    *out = p->periods[i];
    out->version = EPV_PROJECT_PERIOD_VERSION;
    return EPV_OK;
}

EPV_API int epv_project_claim_at(epv_ctx *ctx, const epv_project *p, size_t i, epv_project_claim *out)
{
    if (!p || !out) return epv__error(ctx, EPV_EINVAL, "claim_at: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_project_claim", out, EPV_PROJECT_CLAIM_VERSION); if (rcv) return rcv; }
    if (i >= p->nclaims) return epv__error(ctx, EPV_ERANGE, "claim index %zu: project has %zu", i, p->nclaims);
    out->label = p->claims[i].label;
    out->source = p->claims[i].source;
    out->tco2_per_year = p->claims[i].tco2_per_year;
    out->area_ha = p->claims[i].area_ha;
    return EPV_OK;
}

/* ---- estimation -------------------------------------------------------------------- */

struct estimate_job {
    const epv_project *p;
    const struct sink_stratum *strata; /* possibly re-resolved copies */
    size_t nyears;
    double *block_totals; /* [nblocks][nyears][SINK_NCOMP] */
    double *per_stratum;  /* optional [nstrata][nyears][SINK_NCOMP] */
    epv_ctx *worker_ctx;  /* one context per worker for error messages */
};

/* ---- managed strata: measured start state, thinning and harvest, wood products ---------- */

/* Stem volume counted from planting on a curve: curve(age) - curve(0). */
static int vol_at(epv_ctx *ctx, const epv_growth_curve *c, double c0, double age, double *v)
{
    double x;
    int rc = epv_growth_eval(ctx, c, age, &x);
    if (rc) return rc;
    *v = x - c0;
    return EPV_OK;
}

/* Equivalent age: the age at which the curve (counted from planting) holds `target` m³/ha, by
 * bisection (every shipped model rises monotonically with age). */
#define SINK_MAX_EQ_AGE 1000.0
static int equivalent_age(epv_ctx *ctx, const epv_growth_curve *c, double c0, double target, const char *what,
                          const char *id, double *age)
{
    if (target <= 0) {
        *age = 0;
        return EPV_OK;
    }
    double lo = 0, hi = SINK_MAX_EQ_AGE, v;
    int rc = vol_at(ctx, c, c0, hi, &v);
    if (rc) return rc;
    if (v <= target)
        return epv__error(ctx, EPV_EDOMAIN, "stratum '%s': %s never reaches the stand's volume %g m3/ha (it holds %g at "
                          "age %g): the measured state does not fit this curve", id, what, target, v, hi);
    for (int it = 0; it < 200 && hi - lo > 1e-10; it++) {
        double mid = 0.5 * (lo + hi);
        if ((rc = vol_at(ctx, c, c0, mid, &v))) return rc;
        if (v < target) lo = mid;
        else hi = mid;
    }
    *age = 0.5 * (lo + hi);
    return EPV_OK;
}

/* One scenario of a managed stratum, per year: growth, removals (m³/ha of stem) and the stock
 * left at the end of the year (m³/ha). Events of `scenario_bit` apply; `dist` the project's
 * disturbances (project scenario only, as fractions removed with no products). */
static int managed_scenario(epv_ctx *ctx, const epv_project *p, const struct sink_stratum *st, size_t sidx,
                            const epv_growth_curve *curve, int scenario_bit, size_t nyears, double *growth,
                            double *removed, double *hwp_removed, double *stock)
{
    const epv_project_stratum *s = &st->s;
    const char *what = scenario_bit == EPV_PROJECT_SCENARIO_PROJECT ? "the growth curve" : "the baseline curve";
    double c0;
    int rc = epv_growth_eval(ctx, curve, 0.0, &c0);
    if (rc) return rc;
    double age, v_prev;
    int planted = p->start_year >= s->planting_year;
    if (st->has_start_volume && planted) {
        /* AR-CM-003: start from the state measured at the start of the start year. */
        if ((rc = equivalent_age(ctx, curve, c0, st->start_volume, what, s->id, &age))) return rc;
        v_prev = st->start_volume;
    } else {
        age = planted ? (double)(p->start_year - s->planting_year) : 0.0;
        if ((rc = vol_at(ctx, curve, c0, age, &v_prev))) return rc;
        if (!planted) v_prev = 0;
    }
    for (size_t y = 0; y < nyears; y++) {
        int year = p->start_year + (int)y;
        growth[y] = removed[y] = hwp_removed[y] = stock[y] = 0;
        if (year < s->planting_year) continue;
        age += 1;
        double v;
        if ((rc = vol_at(ctx, curve, c0, age, &v))) return rc;
        growth[y] = v - v_prev;
        double keep = 1, to_products = 0;
        int harvest = 0;
        for (size_t e = 0; e < p->nevents; e++) {
            const struct sink_event *ev = &p->events[e];
            if (ev->stratum != sidx || ev->year != year || !(ev->scenario & scenario_bit)) continue;
            if (ev->kind == EPV_PROJECT_HARVEST) harvest = 1;
            to_products += keep * ev->fraction;
            keep *= 1 - ev->fraction;
        }
        if (scenario_bit == EPV_PROJECT_SCENARIO_PROJECT)
            for (size_t d = 0; d < p->ndist; d++)
                if (p->dist[d].stratum == sidx && p->dist[d].year == year) keep *= 1 - p->dist[d].fraction;
        removed[y] = (1 - keep) * v;
        hwp_removed[y] = to_products * v;
        double left = v - removed[y];
        if (harvest) {
            age = 0; /* clear-felled and replanted: the next year is age 1 */
            left = 0;
        } else if (keep < 1 && (rc = equivalent_age(ctx, curve, c0, left, what, s->id, &age))) {
            return rc;
        }
        stock[y] = left;
        v_prev = left;
    }
    return EPV_OK;
}

/* IPCC 2006 Vol. 4 eq. 12.1, first-order decay of a product pool: C(i+1) = e^(-k) C(i) +
 * [(1 - e^(-k))/k] Inflow(i), k = ln 2 / half-life. Writes the pool's yearly change. */
static void hwp_pool_change(double half_life, const double *inflow, size_t n, double *change)
{
    double k = log(2.0) / half_life, ek = exp(-k), f = (1 - ek) / k, c = 0;
    for (size_t i = 0; i < n; i++) {
        double next = ek * c + f * inflow[i];
        change[i] = next - c;
        c = next;
    }
}

static int stratum_is_managed(const epv_project *p, const struct sink_stratum *st, size_t sidx)
{
    if (st->has_start_volume) return 1;
    for (size_t e = 0; e < p->nevents; e++)
        if (p->events[e].stratum == sidx) return 1;
    return 0;
}

static int managed_stratum_years(epv_ctx *ctx, const epv_project *p, const struct sink_stratum *st, size_t sidx,
                                 size_t nyears, double *comp)
{
    const epv_project_stratum *s = &st->s;
    double *buf = epv__calloc(ctx, 10 * nyears, sizeof(double));
    if (!buf) return EPV_ENOMEM;
    double *g = buf, *r = g + nyears, *h = r + nyears, *v = h + nyears, *bg = v + nyears, *br = bg + nyears,
           *bh = br + nyears, *bv = bh + nyears, *pool = bv + nyears, *bpool = pool + nyears;
    int rc = managed_scenario(ctx, p, st, sidx, &s->curve, EPV_PROJECT_SCENARIO_PROJECT, nyears, g, r, h, v);
    if (!rc && s->has_baseline_curve)
        rc = managed_scenario(ctx, p, st, sidx, &s->baseline_curve, EPV_PROJECT_SCENARIO_BASELINE, nyears, bg, br, bh, bv);
    if (rc) {
        epv__free(ctx, buf);
        return rc;
    }
    const double k = st->co2_per_m3_ha * s->area_ha;
    /* Stem carbon entering products: volume × D × CF × 44/12 × share, per stratum. */
    const double kp = p->hwp_fraction > 0
                          ? s->area_ha * st->species.wood_density * st->species.carbon_fraction * EPV_UNIT_CO2_PER_C * p->hwp_fraction
                          : 0;
    for (size_t y = 0; y < nyears; y++) {
        h[y] *= kp;
        bh[y] *= kp;
    }
    if (kp > 0) {
        hwp_pool_change(p->hwp_half_life, h, nyears, pool);
        if (s->has_baseline_curve) hwp_pool_change(p->hwp_half_life, bh, nyears, bpool);
    }
    int soil = s->soc_initial_tc_ha != 0 || s->soc_final_tc_ha != 0;
    for (size_t y = 0; y < nyears; y++) {
        int year = p->start_year + (int)y, age = year - s->planting_year + 1;
        double *c = comp + y * SINK_NCOMP;
        c[SINK_BASELINE] = s->baseline_tco2_ha_yr * s->area_ha;
        if (age <= 0) continue;
        c[SINK_PROJECT] = k * g[y] + pool[y];
        c[SINK_EMISSIONS] = k * r[y];
        if (age == 1) c[SINK_EMISSIONS] += st->shrub_tco2_ha * s->area_ha;
        c[SINK_STOCK] = k * v[y];
        if (s->has_baseline_curve) c[SINK_BASELINE] += k * (bg[y] - br[y]) + bpool[y];
        if (soil) {
            double st1, st0, chg;
            if ((rc = epv_forest_transition(ctx, s->soc_initial_tc_ha, s->soc_final_tc_ha, (double)age,
                                            SINK_SOC_TRANSITION_YEARS, &st1, &chg)) ||
                (rc = epv_forest_transition(ctx, s->soc_initial_tc_ha, s->soc_final_tc_ha, (double)(age - 1),
                                            SINK_SOC_TRANSITION_YEARS, &st0, &chg)))
                break;
            c[SINK_PROJECT] += epv_unit_c_to_co2(st1 - st0) * s->area_ha;
            c[SINK_STOCK] += epv_unit_c_to_co2(st1 - s->soc_initial_tc_ha) * s->area_ha;
        }
    }
    epv__free(ctx, buf);
    if (rc) return rc;
    for (size_t y = 0; y < nyears; y++) {
        double *c = comp + y * SINK_NCOMP;
        double effect = c[SINK_PROJECT] - c[SINK_EMISSIONS] - c[SINK_BASELINE];
        c[SINK_LEAKAGE] = effect > 0 ? p->leakage_fraction * effect : 0.0;
    }
    return EPV_OK;
}

/* Evaluate one stratum into comp[nyears][SINK_NCOMP] (zeroed by the caller). The scratch
 * buffers hold curve values at ages 0..nyears. */
int epv__sink_stratum_years(epv_ctx *ctx, const epv_project *p, const struct sink_stratum *st, size_t sidx,
                         size_t nyears, double *ages, double *vol, double *bvol, double *comp)
{
    if (stratum_is_managed(p, st, sidx)) return managed_stratum_years(ctx, p, st, sidx, nyears, comp);
    const epv_project_stratum *s = &st->s;
    /* Age at the end of the first year, and the number of ages to evaluate. */
    int age0 = p->start_year - s->planting_year + 1;
    int first_age = age0 - 1 < 0 ? 0 : age0 - 1;
    int last_age = age0 + (int)nyears - 1;
    size_t nages = (size_t)(last_age - first_age + 1);
    for (size_t k = 0; k < nages; k++) ages[k] = (double)(first_age + (int)k);
    int rc = epv_growth_eval_many(ctx, &s->curve, ages, nages, vol);
    if (rc) return rc;
    double v0, b0 = 0;
    if ((rc = epv_growth_eval(ctx, &s->curve, 0.0, &v0))) return rc;
    if (s->has_baseline_curve) {
        if ((rc = epv_growth_eval_many(ctx, &s->baseline_curve, ages, nages, bvol))) return rc;
        if ((rc = epv_growth_eval(ctx, &s->baseline_curve, 0.0, &b0))) return rc;
    }
    const double k = st->co2_per_m3_ha * s->area_ha;
    int soil = s->soc_initial_tc_ha != 0 || s->soc_final_tc_ha != 0;
    double multiplier = 1.0; /* share of tree carbon left after disturbances so far */
    double prev_gross = 0;   /* undisturbed tree stock at the end of the previous year */
    for (size_t y = 0; y < nyears; y++) {
        int year = p->start_year + (int)y;
        int age = age0 + (int)y;
        double *c = comp + y * SINK_NCOMP;
        c[SINK_BASELINE] = s->baseline_tco2_ha_yr * s->area_ha;
        if (age <= 0) continue; /* not planted yet */
        size_t ia = (size_t)(age - first_age);
        double gross = k * (vol[ia] - v0);
        if (y == 0) prev_gross = age - 1 > 0 ? k * (vol[ia - 1] - v0) : 0.0;
        double loss = 0;
        for (size_t d = 0; d < p->ndist; d++)
            if (p->dist[d].stratum == sidx && p->dist[d].year == year) loss = 1 - (1 - loss) * (1 - p->dist[d].fraction);
        double before = multiplier;
        multiplier *= 1 - loss;
        c[SINK_PROJECT] = before * (gross - prev_gross);
        c[SINK_EMISSIONS] = (before - multiplier) * gross;
        if (age == 1) c[SINK_EMISSIONS] += st->shrub_tco2_ha * s->area_ha;
        c[SINK_STOCK] = multiplier * gross;
        if (soil) {
            double st1, st0, chg;
            if ((rc = epv_forest_transition(ctx, s->soc_initial_tc_ha, s->soc_final_tc_ha, (double)age,
                                            SINK_SOC_TRANSITION_YEARS, &st1, &chg)) ||
                (rc = epv_forest_transition(ctx, s->soc_initial_tc_ha, s->soc_final_tc_ha, (double)(age - 1),
                                            SINK_SOC_TRANSITION_YEARS, &st0, &chg)))
                return rc;
            c[SINK_PROJECT] += epv_unit_c_to_co2(st1 - st0) * s->area_ha;
            c[SINK_STOCK] += epv_unit_c_to_co2(st1 - s->soc_initial_tc_ha) * s->area_ha;
        }
        if (s->has_baseline_curve && age - 1 >= first_age) {
            double bprev = age - 1 > 0 ? bvol[ia - 1] - b0 : 0.0;
            c[SINK_BASELINE] += k * ((bvol[ia] - b0) - bprev);
        }
        prev_gross = gross;
    }
    /* Leakage: a share of the net effect, never a credit when the effect is negative. */
    for (size_t y = 0; y < nyears; y++) {
        double *c = comp + y * SINK_NCOMP;
        double effect = c[SINK_PROJECT] - c[SINK_EMISSIONS] - c[SINK_BASELINE];
        c[SINK_LEAKAGE] = effect > 0 ? p->leakage_fraction * effect : 0.0;
    }
    return EPV_OK;
}

static int estimate_range(size_t begin, size_t end, int worker, void *payload)
{
    struct estimate_job *job = payload;
    epv_ctx *ctx = &job->worker_ctx[worker];
    size_t ny = job->nyears;
    size_t nages = ny + 1;
    int rc = EPV_OK;
    double *scratch = epv__malloc(ctx, (3 * nages + ny * SINK_NCOMP) * sizeof(double));
    if (!scratch) return EPV_ENOMEM;
    double *ages = scratch, *vol = ages + nages, *bvol = vol + nages, *comp = bvol + nages;
    for (size_t b = begin; b < end && !rc; b++) {
        double *bt = job->block_totals + b * ny * SINK_NCOMP;
        size_t s_end = (b + 1) * SINK_BLOCK;
        if (s_end > job->p->nstrata) s_end = job->p->nstrata;
        for (size_t s = b * SINK_BLOCK; s < s_end && !rc; s++) {
            memset(comp, 0, ny * SINK_NCOMP * sizeof(double));
            rc = epv__sink_stratum_years(ctx, job->p, &job->strata[s], s, ny, ages, vol, bvol, comp);
            if (rc) {
                epv__error_prefix(ctx, "stratum '%s'", job->strata[s].s.id);
                break;
            }
            for (size_t i = 0; i < ny * SINK_NCOMP; i++) bt[i] += comp[i];
            if (job->per_stratum) memcpy(job->per_stratum + s * ny * SINK_NCOMP, comp, ny * SINK_NCOMP * sizeof(double));
        }
    }
    epv__free(ctx, scratch);
    return rc;
}


/* Longest projection accepted, years (planning horizons beyond crediting periods). */
#define SINK_MAX_YEARS 200

EPV_API int epv_sink_estimate_ex(epv_ctx *ctx, const epv_project *p, const epv_params *params,
                                 const epv_sink_options *options, epv_sink_result **out)
{
    if (!ctx || !p || !out || !options) return epv__error(ctx, EPV_EINVAL, "estimate: NULL argument");
    *out = NULL;
    { int rcv = epv__check_version(ctx, "epv_sink_options", options, EPV_SINK_OPTIONS_VERSION); if (rcv) return rcv; }
    if (p->nstrata == 0) return epv__error(ctx, EPV_ESTATE, "project '%s': has no strata", p->name);
    if (options->years < 0 || options->years > SINK_MAX_YEARS)
        return epv__error(ctx, EPV_ERANGE, "options.years: %d is outside 0-%d", options->years, SINK_MAX_YEARS);
    int keep_strata = options->keep_strata != 0;
    size_t ny = (size_t)(options->years ? options->years : p->crediting_years), ns = p->nstrata;
    size_t nblocks = (ns + SINK_BLOCK - 1) / SINK_BLOCK;
    int nworkers = epv_ctx_threads(ctx);
    if ((size_t)nworkers > nblocks) nworkers = (int)nblocks;
    epv_sink_result *r = epv__calloc(ctx, 1, sizeof *r);
    struct sink_stratum *strata = NULL;
    double *blocks = NULL;
    epv_ctx *wctx = NULL;
    int rc = EPV_ENOMEM;
    if (!r) goto fail;
    r->ctx = ctx;
    r->start_year = p->start_year;
    r->nyears = ny;
    r->nstrata = ns;
    r->leakage_fraction = p->leakage_fraction;
    pthread_mutex_init(&r->lock, NULL);
    r->lock_made = 1;
    r->years = epv__malloc(ctx, ny * sizeof *r->years);
    if (!r->years) goto fail;
    for (size_t i = 0; i < ny; i++) r->years[i] = (epv_i64)r->start_year + (epv_i64)i;
    r->total = epv__calloc(ctx, ny * SINK_NCOMP, sizeof(double));
    r->stratum_ids = epv__calloc(ctx, ns, sizeof *r->stratum_ids);
    blocks = epv__calloc(ctx, nblocks * ny * SINK_NCOMP, sizeof(double));
    wctx = epv__calloc(ctx, (size_t)nworkers, sizeof *wctx);
    if (!r->total || !r->stratum_ids || !blocks || !wctx) goto fail;
    if (keep_strata && !(r->per_stratum = epv__calloc(ctx, ns * ny * SINK_NCOMP, sizeof(double)))) goto fail;
    for (int w = 0; w < nworkers; w++) {
        wctx[w] = *ctx;
        wctx[w].errmsg[0] = '\0';
        wctx[w].errcode = 0;
    }
    const struct sink_stratum *use = p->strata;
    if (params) {
        /* Re-read species so parameter overrides made after loading take effect. */
        if (!(strata = epv__malloc(ctx, ns * sizeof *strata))) goto fail;
        for (size_t i = 0; i < ns; i++) {
            strata[i] = p->strata[i];
            if ((rc = epv_params_species_find(ctx, params, p->strata[i].s.species, &strata[i].species)) ||
                (rc = epv_forest_co2_per_volume(ctx, &strata[i].species, strata[i].s.method, &strata[i].co2_per_m3_ha))) {
                epv__error_prefix(ctx, "stratum '%s'", p->strata[i].s.id);
                goto fail;
            }
        }
        use = strata;
    }
    for (size_t i = 0; i < ns; i++) memcpy(r->stratum_ids[i], use[i].s.id, sizeof r->stratum_ids[i]);
    struct estimate_job job = { p, use, ny, blocks, r->per_stratum, wctx };
    rc = epv__parallel_for(ctx, nblocks, nworkers, estimate_range, &job);
    if (rc) {
        for (int w = 0; w < nworkers; w++)
            if (wctx[w].errcode) {
                epv__error(ctx, wctx[w].errcode, "%s", wctx[w].errmsg);
                break;
            }
        goto fail;
    }
    for (size_t b = 0; b < nblocks; b++)
        for (size_t i = 0; i < ny * SINK_NCOMP; i++) r->total[i] += blocks[b * ny * SINK_NCOMP + i];
    epv__free(ctx, blocks);
    epv__free(ctx, strata);
    epv__free(ctx, wctx);
    *out = r;
    return EPV_OK;
fail:
    epv__free(ctx, blocks);
    epv__free(ctx, strata);
    epv__free(ctx, wctx);
    epv_sink_result_free(r);
    return rc ? rc : EPV_ENOMEM;
}

EPV_API int epv_sink_estimate(epv_ctx *ctx, const epv_project *p, const epv_params *params, epv_sink_result **out)
{
    epv_sink_options o = EPV_SINK_OPTIONS_INIT;
    return epv_sink_estimate_ex(ctx, p, params, &o, out);
}

EPV_API void epv_sink_result_free(epv_sink_result *r)
{
    if (!r) return;
    epv__free(r->ctx, r->total);
    epv__free(r->ctx, r->per_stratum);
    epv__free(r->ctx, r->stratum_ids);
    epv__free(r->ctx, r->years);
    for (int c = 0; c < SINK_NCOL; c++) {
        epv__free(r->ctx, r->col_total[c]);
        epv__free(r->ctx, r->col_strata[c]);
    }
    if (r->lock_made) pthread_mutex_destroy(&r->lock);
    epv__free(r->ctx, r);
}

EPV_API size_t epv_sink_result_years(const epv_sink_result *r) { return r ? r->nyears : 0; }

void epv__sink_fill_year(const epv_sink_result *r, const double *c, size_t i, double cumulative, epv_sink_year *out)
{
    out->year = r->start_year + (int)i;
    out->stock_tco2 = c[SINK_STOCK];
    out->project_removals_tco2 = c[SINK_PROJECT];
    out->project_emissions_tco2 = c[SINK_EMISSIONS];
    out->baseline_removals_tco2 = c[SINK_BASELINE];
    out->leakage_tco2 = c[SINK_LEAKAGE];
    out->net_removals_tco2 = c[SINK_PROJECT] - c[SINK_EMISSIONS] - c[SINK_BASELINE] - c[SINK_LEAKAGE];
    out->cumulative_net_tco2 = cumulative + out->net_removals_tco2;
}

static int fill_series(epv_ctx *ctx, const epv_sink_result *r, const double *series, size_t i, epv_sink_year *out)
{
    if (!r || !out) return epv__error(ctx, EPV_EINVAL, "result: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_sink_year", out, EPV_SINK_YEAR_VERSION); if (rcv) return rcv; }
    if (i >= r->nyears) return epv__error(ctx, EPV_ERANGE, "year index %zu: result has %zu years", i, r->nyears);
    double cumulative = 0;
    epv_sink_year y = EPV_SINK_YEAR_INIT;
    for (size_t k = 0; k <= i; k++) {
        epv__sink_fill_year(r, series + k * SINK_NCOMP, k, cumulative, &y);
        cumulative = y.cumulative_net_tco2;
    }
    *out = y;
    return EPV_OK;
}

EPV_API int epv_sink_result_year(epv_ctx *ctx, const epv_sink_result *r, size_t i, epv_sink_year *out)
{
    return fill_series(ctx, r, r ? r->total : NULL, i, out);
}

EPV_API int epv_sink_result_stratum_year(epv_ctx *ctx, const epv_sink_result *r, size_t stratum, size_t i,
                                         epv_sink_year *out)
{
    if (!r || !out) return epv__error(ctx, EPV_EINVAL, "result: NULL argument");
    if (!r->per_stratum)
        return epv__error(ctx, EPV_ESTATE, "result: per-stratum figures were not kept (epv_sink_estimate_totals)");
    if (stratum >= r->nstrata)
        return epv__error(ctx, EPV_ERANGE, "stratum index %zu: result has %zu strata", stratum, r->nstrata);
    return fill_series(ctx, r, r->per_stratum + stratum * r->nyears * SINK_NCOMP, i, out);
}

EPV_API int epv_sink_result_period(epv_ctx *ctx, const epv_sink_result *r, int first_year, int last_year,
                                   epv_sink_period *out)
{
    if (!r || !out) return epv__error(ctx, EPV_EINVAL, "period: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_sink_period", out, EPV_SINK_PERIOD_VERSION); if (rcv) return rcv; }
    int end = r->start_year + (int)r->nyears - 1;
    if (first_year > last_year || first_year < r->start_year || last_year > end)
        return epv__error(ctx, EPV_ERANGE, "period %d-%d: not within the crediting period %d-%d", first_year,
                          last_year, r->start_year, end);
    memset(out, 0, sizeof *out);
    out->version = EPV_SINK_PERIOD_VERSION;
    out->first_year = first_year;
    out->last_year = last_year;
    for (int y = first_year; y <= last_year; y++) {
        const double *c = r->total + (size_t)(y - r->start_year) * SINK_NCOMP;
        out->project_removals_tco2 += c[SINK_PROJECT];
        out->project_emissions_tco2 += c[SINK_EMISSIONS];
        out->baseline_removals_tco2 += c[SINK_BASELINE];
        out->leakage_tco2 += c[SINK_LEAKAGE];
        out->net_removals_tco2 += c[SINK_PROJECT] - c[SINK_EMISSIONS] - c[SINK_BASELINE] - c[SINK_LEAKAGE];
    }
    out->mean_net_tco2_yr = out->net_removals_tco2 / (last_year - first_year + 1);
    return EPV_OK;
}

EPV_API int epv_sink_plausibility_check(epv_ctx *ctx, double claimed_tco2_yr, double area_ha,
                                        const epv_params_ipcc_growth *g, double carbon_fraction,
                                        epv_sink_plausibility *out)
{
    int rc;
    if (!g || !out) return epv__error(ctx, EPV_EINVAL, "plausibility: NULL argument");
    { int rcv = epv__check_version(ctx, "epv_params_ipcc_growth", g, EPV_PARAMS_IPCC_GROWTH_VERSION); if (rcv) return rcv; }
    { int rcv = epv__check_version(ctx, "epv_sink_plausibility", out, EPV_SINK_PLAUSIBILITY_VERSION); if (rcv) return rcv; }
    if ((rc = epv__check_nonneg(ctx, claimed_tco2_yr, "claimed_tco2_yr")) ||
        (rc = epv__check_positive(ctx, area_ha, "area_ha")) ||
        (rc = epv__check_positive(ctx, carbon_fraction, "carbon_fraction")) ||
        (rc = epv__check_positive(ctx, g->growth_t_dm_ha_yr, "growth_t_dm_ha_yr")))
        return rc;
    if (!isfinite(g->root_shoot))
        return epv__error(ctx, EPV_ENOTFOUND,
                          "ipcc_growth '%.60s/%.60s/%.60s': root_shoot: missing (a missing ratio is not 0: "
                          "give the row's value, IPCC 2006 Vol. 4 Table 4.4)", g->zone, g->region, g->forest_type);
    double r = g->root_shoot;
    /* IPCC 2006 Vol. 4 eq. 2.10 per hectare: G_TOTAL = G_W · (1 + R), carbon by CF, CO2 by 44/12. */
    double per_tdm = (1.0 + r) * carbon_fraction * EPV_UNIT_CO2_PER_C;
    out->claimed_tco2_ha_yr = claimed_tco2_yr / area_ha;
    out->ipcc_tco2_ha_yr = g->growth_t_dm_ha_yr * per_tdm;
    out->ipcc_low_tco2_ha_yr = isfinite(g->growth_min) ? g->growth_min * per_tdm : out->ipcc_tco2_ha_yr;
    out->ipcc_high_tco2_ha_yr = isfinite(g->growth_max) ? g->growth_max * per_tdm : out->ipcc_tco2_ha_yr;
    out->position = out->claimed_tco2_ha_yr < out->ipcc_low_tco2_ha_yr    ? -1
                    : out->claimed_tco2_ha_yr > out->ipcc_high_tco2_ha_yr ? 1
                                                                          : 0;
    return EPV_OK;
}

/* ---- bulk access --------------------------------------------------------------------------- */

/* Column c (an epv_sink_col) of a series comp[nyears][SINK_NCOMP] into dst[nyears]. */
static void column_of(const double *comp, size_t ny, int c, double *dst)
{
    double cum = 0;
    for (size_t i = 0; i < ny; i++) {
        const double *v = comp + i * SINK_NCOMP;
        double net = v[SINK_PROJECT] - v[SINK_EMISSIONS] - v[SINK_BASELINE] - v[SINK_LEAKAGE];
        cum += net;
        switch (c) {
        case EPV_SINK_COL_STOCK: dst[i] = v[SINK_STOCK]; break;
        case EPV_SINK_COL_PROJECT_REMOVALS: dst[i] = v[SINK_PROJECT]; break;
        case EPV_SINK_COL_PROJECT_EMISSIONS: dst[i] = v[SINK_EMISSIONS]; break;
        case EPV_SINK_COL_BASELINE_REMOVALS: dst[i] = v[SINK_BASELINE]; break;
        case EPV_SINK_COL_LEAKAGE: dst[i] = v[SINK_LEAKAGE]; break;
        case EPV_SINK_COL_NET_REMOVALS: dst[i] = net; break;
        default: dst[i] = cum; break; /* EPV_SINK_COL_CUMULATIVE_NET */
        }
    }
}

static int check_col(epv_ctx *ctx, epv_sink_col col)
{
    if ((int)col < EPV_SINK_COL_STOCK || (int)col > EPV_SINK_COL_CUMULATIVE_NET)
        return epv__error(ctx, EPV_EINVAL, "col: %d is not an epv_sink_col", (int)col);
    return EPV_OK;
}

/* Columns are made on first request and kept with the result (under its lock: a result is
 * read-only for its users, who may share it between threads). */
EPV_API int epv_sink_result_column(epv_ctx *ctx, const epv_sink_result *result, epv_sink_col col,
                                   const double **values, size_t *n)
{
    EPV__NEED(ctx, result, "result");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, n, "n");
    int rc = check_col(ctx, col);
    if (rc) return rc;
    epv_sink_result *r = (epv_sink_result *)result;
    pthread_mutex_lock(&r->lock);
    double **slot = &r->col_total[col];
    if (!*slot) {
        double *v = epv__malloc(r->ctx, (r->nyears ? r->nyears : 1) * sizeof *v);
        if (v) column_of(r->total, r->nyears, (int)col, v);
        *slot = v;
    }
    const double *v = *slot;
    pthread_mutex_unlock(&r->lock);
    if (!v) return epv__error(ctx, EPV_ENOMEM, "result column: out of memory");
    *values = v;
    *n = r->nyears;
    return EPV_OK;
}

EPV_API int epv_sink_result_stratum_column(epv_ctx *ctx, const epv_sink_result *result,
                                           epv_sink_col col, const double **values,
                                           size_t *nstrata, size_t *nyears)
{
    EPV__NEED(ctx, result, "result");
    EPV__NEED(ctx, values, "values");
    EPV__NEED(ctx, nstrata, "nstrata");
    EPV__NEED(ctx, nyears, "nyears");
    int rc = check_col(ctx, col);
    if (rc) return rc;
    if (!result->per_stratum)
        return epv__error(ctx, EPV_ESTATE, "result: per-stratum figures were not kept (options.keep_strata = 0)");
    epv_sink_result *r = (epv_sink_result *)result;
    size_t ny = r->nyears, ns = r->nstrata;
    pthread_mutex_lock(&r->lock);
    double **slot = &r->col_strata[col];
    if (!*slot) {
        double *v = epv__malloc(r->ctx, (ns * ny > 0 ? ns * ny : 1) * sizeof *v);
        if (v)
            for (size_t s = 0; s < ns; s++)
                column_of(r->per_stratum + s * ny * SINK_NCOMP, ny, (int)col, v + s * ny);
        *slot = v;
    }
    const double *v = *slot;
    pthread_mutex_unlock(&r->lock);
    if (!v) return epv__error(ctx, EPV_ENOMEM, "result stratum column: out of memory");
    *values = v;
    *nstrata = ns;
    *nyears = ny;
    return EPV_OK;
}

EPV_API int epv_sink_result_years_i64(epv_ctx *ctx, const epv_sink_result *result,
                                      const epv_i64 **years, size_t *n)
{
    EPV__NEED(ctx, result, "result");
    EPV__NEED(ctx, years, "years");
    EPV__NEED(ctx, n, "n");
    *years = result->years;
    *n = result->nyears;
    return EPV_OK;
}

/* ---- plausibility against the project's own forest types ------------------------------- */

/* IPCC forest-type rows, in the order of epv_sink_expectation's share_* members. */
static const char *const PLAUS_TYPES[4] = { "plantation_conifer", "plantation_broadleaf", "natural_le20y",
                                            "natural_gt20y" };
/* IPCC 2006 Vol. 4 Table 4.9 splits natural forest at 20 years of age. */
#define PLAUS_NATURAL_AGE_SPLIT 20

EPV_API int epv_sink_plausibility_project(epv_ctx *ctx, const epv_project *p, const epv_params *params,
                                          double claimed_tco2_yr, double area_ha, epv_project_basis basis,
                                          const epv_sink_plausibility_options *o, epv_sink_expectation *out)
{
    EPV__NEED(ctx, p, "project");
    EPV__NEED(ctx, params, "params");
    EPV__NEED(ctx, o, "options");
    EPV__NEED(ctx, out, "out");
    int rc;
    if ((rc = epv__check_version(ctx, "epv_sink_plausibility_options", o, EPV_SINK_PLAUSIBILITY_OPTIONS_VERSION)) ||
        (rc = epv__check_version(ctx, "epv_sink_expectation", out, EPV_SINK_EXPECTATION_VERSION)))
        return rc;
    EPV__NEED(ctx, o->zone, "options->zone");
    EPV__NEED(ctx, o->region, "options->region");
    if (basis != EPV_PROJECT_BASIS_GROSS && basis != EPV_PROJECT_BASIS_NET)
        return epv__error(ctx, EPV_EINVAL, "basis: %d is neither gross (1) nor net (2): say what the claim counts",
                          (int)basis);
    if ((rc = epv__check_nonneg(ctx, claimed_tco2_yr, "claimed_tco2_yr")) ||
        (rc = epv__check_positive(ctx, area_ha, "area_ha")) ||
        (rc = epv__check_positive(ctx, o->carbon_fraction, "options->carbon_fraction")))
        return rc;
    if (p->nstrata == 0) return epv__error(ctx, EPV_ESTATE, "project '%s': has no strata", p->name);
    int year = o->year ? o->year : p->start_year;
    epv_params_ipcc_growth rows[4];
    int have[4] = { 0, 0, 0, 0 };
    double area[4] = { 0, 0, 0, 0 }, total_area = 0;
    for (size_t i = 0; i < p->nstrata; i++) {
        const struct sink_stratum *st = &p->strata[i];
        epv_params_species sp = EPV_PARAMS_SPECIES_INIT;
        if ((rc = epv_params_species_find(ctx, params, st->s.species, &sp))) {
            epv__error_prefix(ctx, "stratum '%s'", st->s.id);
            return rc;
        }
        int age = year - st->s.planting_year + 1;
        int t = st->natural ? (age <= PLAUS_NATURAL_AGE_SPLIT ? 2 : 3) : (sp.conifer ? 0 : 1);
        if (!have[t]) {
            rows[t].version = EPV_PARAMS_IPCC_GROWTH_VERSION;
            if ((rc = epv_params_ipcc_growth_find(ctx, params, o->zone, o->region, PLAUS_TYPES[t], &rows[t]))) {
                epv__error_prefix(ctx, "stratum '%s' (%s)", st->s.id, PLAUS_TYPES[t]);
                return rc;
            }
            if (!isfinite(rows[t].root_shoot))
                return epv__error(ctx, EPV_ENOTFOUND,
                                  "stratum '%s': ipcc_growth '%.60s/%.60s/%s': root_shoot: missing (a missing ratio "
                                  "is not 0: give the row's value, IPCC 2006 Vol. 4 Table 4.4)",
                                  st->s.id, o->zone, o->region, PLAUS_TYPES[t]);
            have[t] = 1;
        }
        area[t] += st->s.area_ha;
        total_area += st->s.area_ha;
    }
    epv_sink_expectation e = EPV_SINK_EXPECTATION_INIT;
    e.basis = basis;
    e.claimed_tco2_ha_yr = claimed_tco2_yr / area_ha;
    for (int t = 0; t < 4; t++) {
        if (!have[t]) continue;
        /* IPCC 2006 Vol. 4 eq. 2.10 per hectare: G_TOTAL = G_W · (1 + R), carbon by CF, CO2 by 44/12. */
        double w = area[t] / total_area, k = (1.0 + rows[t].root_shoot) * o->carbon_fraction * EPV_UNIT_CO2_PER_C;
        double g = rows[t].growth_t_dm_ha_yr;
        double lo = isfinite(rows[t].growth_min) ? rows[t].growth_min : g;
        double hi = isfinite(rows[t].growth_max) ? rows[t].growth_max : g;
        e.gross_tco2_ha_yr += w * g * k;
        e.gross_low_tco2_ha_yr += w * lo * k;
        e.gross_high_tco2_ha_yr += w * hi * k;
    }
    e.share_plantation_conifer = area[0] / total_area;
    e.share_plantation_broadleaf = area[1] / total_area;
    e.share_natural_le20y = area[2] / total_area;
    e.share_natural_gt20y = area[3] / total_area;
    if (basis == EPV_PROJECT_BASIS_NET) {
        epv_sink_result *r = NULL;
        epv_sink_options so = EPV_SINK_OPTIONS_INIT;
        so.keep_strata = 0;
        if ((rc = epv_sink_estimate_ex(ctx, p, params, &so, &r))) return rc;
        double d = 0;
        for (size_t i = 0; i < r->nyears; i++) {
            const double *c = r->total + i * SINK_NCOMP;
            d += c[SINK_EMISSIONS] + c[SINK_BASELINE] + c[SINK_LEAKAGE];
        }
        e.deduction_tco2_ha_yr = d / (double)r->nyears / total_area;
        epv_sink_result_free(r);
    }
    e.expected_tco2_ha_yr = e.gross_tco2_ha_yr - e.deduction_tco2_ha_yr;
    e.expected_low_tco2_ha_yr = e.gross_low_tco2_ha_yr - e.deduction_tco2_ha_yr;
    e.expected_high_tco2_ha_yr = e.gross_high_tco2_ha_yr - e.deduction_tco2_ha_yr;
    e.position = e.claimed_tco2_ha_yr < e.expected_low_tco2_ha_yr    ? -1
                 : e.claimed_tco2_ha_yr > e.expected_high_tco2_ha_yr ? 1
                                                                     : 0;
    *out = e;
    return EPV_OK;
}
