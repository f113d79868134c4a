/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GEP specification's per-cell models (epv/gep_model.h). Each formula is checked on cells
 * whose arithmetic is written out next to the assertion, with the parameter values the
 * specification and published accounts use (shared/references.md, section 2); NaN cells,
 * range errors naming argument and cell, and "nothing written on error". No worked example
 * of the specification itself was at hand (doc/gep.md, "Tests and their sources"). */
#include "test_util.h"
#include "epv.h"

#include <math.h>

static epv_ctx *ctx;

static void setup(void)
{
    if (!ctx) epv_ctx_new(&ctx);
}

static void test_water_conservation(void)
{
    setup();
    /* Specification 水源涵养 Q = Σ (P − R − ET) × A × 10³ with A in km²: 1 mm over 1 km² is
     * 10³ m³. Cell 0: (1200 − 300 − 600) mm × 1 km² × 10³ = 3.0×10⁵ m³. Cell 1: (500 − 300 −
     * 600) = −400 mm over 0.5 km² = −2.0×10⁵ m³ (kept: the header's contract). Cell 2: NaN. */
    const double p[] = { 1200, 500, NAN }, r[] = { 300, 300, 10 }, et[] = { 600, 600, 10 },
                 a[] = { 1e6, 5e5, 1e6 };
    double q[3];
    EPV_ASSERT_OK(ctx, epv_gep_model_water_conservation(ctx, 3, p, r, et, a, q));
    EPV_ASSERT_CLOSE(q[0], 3.0e5, 1e-12);
    EPV_ASSERT_CLOSE(q[1], -2.0e5, 1e-12);
    CU_ASSERT(isnan(q[2]));
    /* a negative rainfall in cell 1: ERANGE naming argument and index, nothing written */
    const double pbad[] = { 1200, -5, 800 };
    double out[3] = { -1, -1, -1 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_water_conservation(ctx, 3, pbad, r, et, a, out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "precip_mm[1]");
    CU_ASSERT(out[0] == -1 && out[1] == -1 && out[2] == -1);
    const double ainf[] = { 1e6, INFINITY, 1 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_water_conservation(ctx, 3, p, r, et, ainf, out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "area_m2[1]");
    EPV_ASSERT_STATUS(ctx, epv_gep_model_water_conservation(ctx, 3, NULL, r, et, a, out), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "precip_mm");
    /* an output aliasing an input is refused */
    double inplace[3] = { 1200, 500, 700 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_water_conservation(ctx, 3, inplace, r, et, a, inplace), EPV_EINVAL);
    EPV_ASSERT_ERRMSG_HAS(ctx, "overlaps");
    /* n = 0 does nothing and needs no arrays */
    EPV_ASSERT_OK(ctx, epv_gep_model_water_conservation(ctx, 0, NULL, NULL, NULL, NULL, NULL));
}

static void test_soil_retention(void)
{
    setup();
    /* RUSLE (Renard et al. 1997, AH 703, eq. 1) A = R·K·LS·C·P. Potential 4000 × 0.03 × 2 =
     * 240 t/ha × 10 ha = 2400 t; actual × C·P = 0.1 × 0.5: 120 t; retained 2280 t. */
    const double r[] = { 4000, 4000 }, k[] = { 0.03, 0.03 }, ls[] = { 2, 2 }, c[] = { 0.1, NAN }, p[] = { 0.5, 1 },
                 a[] = { 10, 10 };
    double pot[2], act[2], ret[2];
    EPV_ASSERT_OK(ctx, epv_gep_model_soil_retention(ctx, 2, r, k, ls, c, p, a, pot, act, ret));
    EPV_ASSERT_CLOSE(pot[0], 2400, 1e-12);
    EPV_ASSERT_CLOSE(act[0], 120, 1e-12);
    EPV_ASSERT_CLOSE(ret[0], 2280, 1e-12);
    CU_ASSERT(isnan(pot[1]) && isnan(act[1]) && isnan(ret[1]));
    EPV_ASSERT_OK(ctx, epv_gep_model_soil_retention(ctx, 1, r, k, ls, c, p, a, NULL, NULL, ret));
    EPV_ASSERT_CLOSE(ret[0], 2280, 1e-12);
    const double cbad[] = { 0.1, 1.5 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_soil_retention(ctx, 2, r, k, ls, cbad, p, a, NULL, NULL, ret), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "c[1]");
    EPV_ASSERT_STATUS(ctx, epv_gep_model_soil_retention(ctx, 2, r, k, ls, c, p, a, NULL, NULL, NULL), EPV_EINVAL);
}

static void test_carbon_oxygen(void)
{
    setup();
    /* CO2 = 44/12 NEP and O2 = 32/12 NEP (molar masses C 12, O2 32, CO2 44): 12 t C/ha on
     * 1 ha → 44 t CO2 and 32 t O2; a source (NEP −3 t C/ha on 2 ha) gives −22 t CO2. */
    const double nep[] = { 12, -3 }, a[] = { 1, 2 };
    double co2[2], o2[2];
    EPV_ASSERT_OK(ctx, epv_gep_model_carbon_oxygen(ctx, 2, nep, a, co2, o2));
    EPV_ASSERT_CLOSE(co2[0], 44, 1e-12);
    EPV_ASSERT_CLOSE(o2[0], 32, 1e-12);
    EPV_ASSERT_CLOSE(co2[1], -22, 1e-12);
    /* Published photosynthesis factors: 1.63 kg CO2 fixed and 1.19 kg O2 released per kg of
     * dry matter (LY/T 1721-2008, as quoted in references.md section 2 with 1.2 rounded):
     * O2/CO2 = 1.19/1.63 = 0.730, the model's 32/44 = 0.727 (within 0.5%). */
    EPV_ASSERT_CLOSE(o2[0] / co2[0], 1.19 / 1.63, 0.005);
    EPV_ASSERT_OK(ctx, epv_gep_model_carbon_oxygen(ctx, 2, nep, a, NULL, o2));
    EPV_ASSERT_CLOSE(o2[1], -16, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_carbon_oxygen(ctx, 2, nep, a, NULL, NULL), EPV_EINVAL);
    const double abad[] = { 1, -2 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_carbon_oxygen(ctx, 2, nep, abad, co2, o2), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "area_ha[1]");
}

static void test_climate(void)
{
    setup();
    /* Plant transpiration E_pt = EPP × S × D × 10⁶ / (3600 r) (S in km²): EPP 1000 kJ/(m²·d),
     * 1 km², 100 days, EER 3.0 (the specification's air conditioner) →
     * 1000 × 1 × 100 × 10⁶ / 10800 = 9.259259×10⁶ kWh. */
    const double epp[] = { 1000 }, s[] = { 1e6 }, d[] = { 100 };
    double e;
    EPV_ASSERT_OK(ctx, epv_gep_model_climate_transpiration(ctx, 1, epp, s, d, 3.0, &e));
    EPV_ASSERT_CLOSE(e, 1e11 / 10800.0, 1e-12);
    const double dbad[] = { 400 };
    EPV_ASSERT_STATUS(ctx, epv_gep_model_climate_transpiration(ctx, 1, epp, s, dbad, 3.0, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "days[0]");
    EPV_ASSERT_STATUS(ctx, epv_gep_model_climate_transpiration(ctx, 1, epp, s, d, 0, &e), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "eer");
    /* Water-surface evaporation E_we = E_w q ρ_w / (3600 r) + E_w y: 1000 mm over 1 ha is
     * E_w = 10⁴ m³; q 2450 kJ/kg (references.md), r 3 → 10⁴ × 2450 × 10³ / 10800 =
     * 2.268519×10⁶ kWh; with a humidifier at y = 0.5 kWh/m³ another 5000 kWh. */
    const double ev[] = { 1000 }, wa[] = { 1e4 };
    EPV_ASSERT_OK(ctx, epv_gep_model_climate_evaporation(ctx, 1, ev, wa, 2450, 3.0, 0, &e));
    EPV_ASSERT_CLOSE(e, 2.45e10 / 10800.0, 1e-12);
    EPV_ASSERT_OK(ctx, epv_gep_model_climate_evaporation(ctx, 1, ev, wa, 2450, 3.0, 0.5, &e));
    EPV_ASSERT_CLOSE(e, 2.45e10 / 10800.0 + 5000, 1e-12);
    /* the simplified formula of 0.1: 1 m³ = 10³ kg × 2450 kJ/kg = 2.45×10⁶ kJ = 680.56 kWh of
     * heat; EER 3 → 226.85 kWh */
    const double w[] = { 1 };
    EPV_ASSERT_OK(ctx, epv_gep_model_climate_simplified(ctx, 1, w, 2450, 3, &e));
    EPV_ASSERT_CLOSE(e, 226.85, 1e-4);
}

static void test_flood(void)
{
    setup();
    /* vegetation: (200 − 50) mm of storm rain kept on 1 km² = 150 × 10³ m³ */
    const double ph[] = { 200 }, rf[] = { 50 }, a[] = { 1e6 };
    double q;
    EPV_ASSERT_OK(ctx, epv_gep_model_flood_vegetation(ctx, 1, ph, rf, a, &q));
    EPV_ASSERT_CLOSE(q, 1.5e5, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_flood_vegetation(ctx, 1, rf, ph, a, &q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "storm_runoff_mm[0]");
    /* reservoirs: 0.35 of capacity (references.md section 2): 2×10⁶ m³ → 7×10⁵ m³ */
    const double cap[] = { 2e6 };
    EPV_ASSERT_OK(ctx, epv_gep_model_flood_reservoir(ctx, 1, cap, 0.35, &q));
    EPV_ASSERT_CLOSE(q, 7e5, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_flood_reservoir(ctx, 1, cap, 1.35, &q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "flood_share");
    /* marsh: soil 10⁴ m² × 0.5 m × 1.2 t/m³ × (0.6 − 0.4) / 1 t/m³ = 1200 m³, plus surface
     * 10⁴ m² × 0.3 m = 3000 m³: 4200 m³ */
    const double s[] = { 1e4 }, h[] = { 0.5 }, rho[] = { 1.2 }, f[] = { 0.6 }, e[] = { 0.4 }, hs[] = { 0.3 };
    EPV_ASSERT_OK(ctx, epv_gep_model_flood_marsh(ctx, 1, s, h, rho, f, e, hs, &q));
    EPV_ASSERT_CLOSE(q, 4200, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_flood_marsh(ctx, 1, s, h, rho, e, f, hs, &q), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "natural_water[0]");
}

static void test_purification(void)
{
    setup();
    /* capacity 0.1 t SO2/ha on 50 ha = 5 t */
    const double rate[] = { 0.1 }, a[] = { 50 };
    double q;
    EPV_ASSERT_OK(ctx, epv_gep_model_purification_capacity(ctx, 1, rate, a, &q));
    EPV_ASSERT_CLOSE(q, 5, 1e-12);
    /* capped at emissions: capacities 60 + 30 + 10 = 100 t against 80 t emitted: each × 0.8
     * → 48, 24, 8 (together exactly 80); against 200 t emitted they keep their capacity. */
    const double c[] = { 60, 30, 10 };
    double out[3];
    EPV_ASSERT_OK(ctx, epv_gep_model_emission_cap(ctx, 3, c, 80, out));
    EPV_ASSERT_CLOSE(out[0], 48, 1e-12);
    EPV_ASSERT_CLOSE(out[1], 24, 1e-12);
    EPV_ASSERT_CLOSE(out[2], 8, 1e-12);
    EPV_ASSERT_CLOSE(out[0] + out[1] + out[2], 80, 1e-12);
    EPV_ASSERT_OK(ctx, epv_gep_model_emission_cap(ctx, 3, c, 200, out));
    CU_ASSERT(out[0] == 60 && out[1] == 30 && out[2] == 10);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_emission_cap(ctx, 3, c, -1, out), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "emission_t");
}

static void test_sand_fixation(void)
{
    setup();
    /* RWEQ (Fryrear et al. 1998) with WF 10 kg/m, EF 0.5, SCF 0.8, K′ 0.5: product 2.0.
     * Potential (C = 1): Q_max = 109.8 × 2 = 219.6 kg/m; s = 150.71 × 2^−0.3711 = 150.71 ×
     * 0.773199 = 116.528 m; at z = 50 m, (z/s)² = 0.184106, exp(−0.184106) = 0.831847;
     * SL = 2 × 50 / 116.528² × 219.6 × 0.831847 = 1.345285 kg/m².
     * Actual (C = 0.1, product 0.2): Q_max 21.96, s = 150.71 × 0.2^−0.3711 = 273.861 m,
     * (z/s)² = 0.033333, SL = 100 / 273.861² × 21.96 × 0.967216 = 0.0283202 kg/m².
     * On 1 ha: potential 13.45285 t, actual 0.283202 t, fixed 13.16964 t. */
    const double wf[] = { 10 }, ef[] = { 0.5 }, scf[] = { 0.8 }, kr[] = { 0.5 }, c[] = { 0.1 }, a[] = { 1e4 };
    double pot, act, fix;
    EPV_ASSERT_OK(ctx, epv_gep_model_sand_fixation(ctx, 1, wf, ef, scf, kr, c, 50, a, &pot, &act, &fix));
    EPV_ASSERT_CLOSE(pot, 13.45285, 1e-6);
    EPV_ASSERT_CLOSE(act, 0.283202, 1e-5);
    EPV_ASSERT_CLOSE(fix, 13.16964, 1e-6);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_sand_fixation(ctx, 1, wf, ef, scf, kr, c, 0, a, NULL, NULL, &fix), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "z_m");
    /* from losses already computed: 500 − 120 = 380 t; actual above potential refused */
    const double lp[] = { 500 }, la[] = { 120 };
    EPV_ASSERT_OK(ctx, epv_gep_model_sand_fixation_losses(ctx, 1, lp, la, &fix));
    EPV_ASSERT_CLOSE(fix, 380, 1e-12);
    EPV_ASSERT_STATUS(ctx, epv_gep_model_sand_fixation_losses(ctx, 1, la, lp, &fix), EPV_ERANGE);
    EPV_ASSERT_ERRMSG_HAS(ctx, "actual_t[0]");
}

static void test_zz_teardown(void)
{
    epv_ctx_free(ctx);
    ctx = NULL;
}

int main(void)
{
    CU_TestInfo tests[] = {
        { "water conservation", test_water_conservation },
        { "soil retention (RUSLE)", test_soil_retention },
        { "carbon and oxygen", test_carbon_oxygen },
        { "climate regulation", test_climate },
        { "flood regulation", test_flood },
        { "purification and emission cap", test_purification },
        { "sand fixation (RWEQ)", test_sand_fixation },
        { "teardown", test_zz_teardown },
        CU_TEST_INFO_NULL,
    };
    return epv_test_main("gep_model", tests);
}
