/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/gep_model.h
 * @brief Physical models of the GEP specification as functions over arrays of cells.
 *
 * One implementation serves tables and rasters: the GEP module computes an indicator's
 * physical quantity from a table row by calling these functions with n = 1, the spatial
 * module calls them block by block over raster cells, and a binding may call them on its own
 * NumPy buffers. Each function reads n cells from its input arrays and writes n values;
 * a cell whose inputs include NaN yields NaN (the caller's nodata), any other invalid input
 * (negative rainfall or area, a factor outside its range) is ::EPV_ERANGE naming the
 * argument and the cell index, and nothing is written. Outputs may not alias inputs.
 *
 * Sources: 生态产品总值核算规范（试行）(NDRC & NBS 2022, 发改基础〔2022〕481号) and
 * GB/T 46869-2025; RUSLE after Renard et al. (1997, USDA Agriculture Handbook 703).
 * Threads: reentrant; arrays may be split between threads by the caller.
 */
#ifndef EPV_GEP_MODEL_H
#define EPV_GEP_MODEL_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Water conservation (水源涵养量) by the water balance of the specification:
 * Q = (P − R − ET) × A × 10⁻³, in m³ per year per cell (P, R, ET in mm/yr, A in m²).
 * A negative balance is kept (the cell loses water); the caller decides whether to floor it.
 */
EPV_API int epv_gep_model_water_conservation(epv_ctx *ctx, size_t n, const double *precip_mm,
                                             const double *storm_runoff_mm,
                                             const double *evapotranspiration_mm,
                                             const double *area_m2, double *out_m3);

/**
 * Soil retention (土壤保持量) by RUSLE: potential erosion A_p = R·K·LS, actual
 * A_a = R·K·LS·C·P (t/ha/yr), retention = (A_p − A_a) × area_ha, in t/yr per cell.
 * R in MJ·mm/(ha·h·yr), K in t·ha·h/(ha·MJ·mm), LS, C, P dimensionless (C, P in 0..1).
 * out_potential_t and out_actual_t may be NULL.
 */
EPV_API int epv_gep_model_soil_retention(epv_ctx *ctx, size_t n, const double *r, const double *k,
                                         const double *ls, const double *c, const double *p,
                                         const double *area_ha, double *out_potential_t,
                                         double *out_actual_t, double *out_retained_t);

/**
 * Carbon fixation and oxygen release (固碳量, 释氧量) from net ecosystem production:
 * CO2 = 44/12 × NEP × area, O2 = 32/12 × NEP × area (t/yr per cell), NEP in t C/ha/yr
 * (may be negative: a source). Either output may be NULL.
 */
EPV_API int epv_gep_model_carbon_oxygen(epv_ctx *ctx, size_t n, const double *nep_tc_per_ha,
                                        const double *area_ha, double *out_co2_t,
                                        double *out_o2_t);

#ifdef __cplusplus
}
#endif
#endif /* EPV_GEP_MODEL_H */
