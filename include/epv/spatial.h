/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/spatial.h
 * @brief GEP regulating services from rasters and boundaries (GDAL), in bounded memory.
 *
 * Inputs are rasters GDAL can read (GeoTIFF/COG, any GDAL raster format) on one grid, a
 * biophysical CSV keyed by land-cover code `lucode` (the InVEST convention), and a vector
 * layer of regions (code and name fields). Every raster must match the land-cover raster's
 * grid: size, geotransform and CRS (a mismatch is ::EPV_EINVAL naming both files); a raster
 * without a CRS is refused. Nodata values are honoured: a land-cover nodata pixel is skipped,
 * a nodata pixel of another input makes the services needing it NaN there (left out of sums).
 *
 * Per-pixel quantities are computed by the GEP module's models (epv/gep_model.h): this
 * module reads cells, supplies per-class factors and the LS factor, and sums. The LS factor
 * is the RUSLE one (Renard et al. 1997, USDA Agriculture Handbook 703, eqs. 4-1 to 4-5
 * after McCool et al. 1987, 1989) with the slope from the DEM by Horn's (1981) 3x3 method
 * and a slope length given by the caller (epv_spatial_ls_rusle()) or from D8 flow accumulation
 * after Desmet & Govers 1996 (epv_spatial_ls_desmet_govers(), option ls_flow_accumulation).
 *
 * Processing is tile by tile. Memory bound of a run, whatever the raster size:
 *   threads x (tile_rows + 2) x (tile_cols + 2) x 208 bytes  (input and output buffers)
 * + threads x tile_rows x tile_cols x 12 x the DEM's cell size, when the DEM's blocks are the
 *   tiles (a cache of 12 blocks, so that each is read about three times, not nine)
 * + (threads + 2) x regions x ecosystems x 72 bytes          (zonal partial sums)
 * + the region polygons (held once per thread)
 * + GDAL's block cache (GDAL_CACHEMAX, 5% of RAM by default).
 * With the defaults (256 x 256 tiles) that is about 13.8 MB per thread (17.0 MB with a
 * Float32 DEM tiled 256 x 256) plus the tables.
 *
 * Determinism: tiles are numbered row-major; a tile's sums are taken in pixel order, a
 * group of EPV_SPATIAL_GROUP_TILES consecutive tiles is summed in tile order, and the total
 * is the sum of the groups in group order. Results are therefore identical for any thread
 * count and for any split into parts, for a given tile size (epv_spatial_run_part() + epv_spatial_result_merge(),
 * used by the MPI driver), bit for bit.
 *
 * Cell area: on a projected CRS the cell's |dx x dy| in metres (the CRS's linear unit
 * converted); on a geographic CRS the exact area of the ellipsoidal quadrangle, the
 * ellipsoid's (from the CRS, WGS84 if unknown) authalic latitude in
 * R_q^2 dLon (sin beta2 - sin beta1) (Snyder 1987, Map Projections: A Working Manual,
 * USGS PP 1395, eqs. 3-11 to 3-13).
 *
 * Threads: one run uses epv_ctx_threads(ctx) workers; results never depend on that number.
 * Progress: epv__progress after every wave of tiles; cancelling returns ::EPV_ECANCELLED and
 * creates nothing.
 */
#ifndef EPV_SPATIAL_H
#define EPV_SPATIAL_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of consecutive tiles summed together before they join the total (fixed). */
#define EPV_SPATIAL_GROUP_TILES 16

/** Columns of the zonal table and services of the per-pixel rasters. Values fixed. */
typedef enum epv_spatial_col {
    EPV_SPATIAL_AREA_HA = 0,            /**< area of the pixels, ha */
    EPV_SPATIAL_WATER_CONSERVATION = 1, /**< water conservation, m3/yr (may be negative) */
    EPV_SPATIAL_SOIL_RETENTION = 2,     /**< soil retention (potential - actual), t/yr */
    EPV_SPATIAL_SOIL_POTENTIAL = 3,     /**< potential erosion R K LS x area, t/yr */
    EPV_SPATIAL_CARBON_FIXATION = 4,    /**< CO2 fixed, t/yr */
    EPV_SPATIAL_OXYGEN_RELEASE = 5,     /**< O2 released, t/yr */
    EPV_SPATIAL_EVAPOTRANSPIRATION = 6, /**< evapotranspired water ET x area, m3/yr */
    EPV_SPATIAL_PIXELS = 7,             /**< number of pixels (as a double) */
    EPV_SPATIAL_LS = 8,                 /**< per-pixel rasters only: the LS factor (never summed) */
    EPV_SPATIAL_CLIMATE_TRANSPIRATION = 9, /**< climate regulation by plant transpiration,
                                             EPP x area x days / (3600 eer), kWh/yr */
    EPV_SPATIAL_FLOOD_VEGETATION = 10,  /**< flood regulation by vegetation,
                                             (P_storm - R_storm) x area x 1e-3, m3/yr */
    EPV_SPATIAL_STORM_PRECIP = 11,      /**< storm (heavy-rain) precipitation volume P_storm x area
                                             x 1e-3, m3/yr (the flood element's rainfall) */
    EPV_SPATIAL_FLOOD_MARSH = 12        /**< flood regulation by marshes, soil storage plus surface
                                             retention S h rho (F - E) + S H, m3 */
} epv_spatial_col;
/** Number of columns (0 .. EPV_SPATIAL_NCOLS - 1); every one but ::EPV_SPATIAL_LS is a column
 *  of the zonal table. */
#define EPV_SPATIAL_NCOLS 13

/** Version of ::epv_spatial_options this header describes (2 added storm_precip,
 *  transpiration_days, marsh_ecosystem,
 *  parent_field, parent_name_field; a version-1 struct runs without those services). */
#define EPV_SPATIAL_OPTIONS_VERSION 2
/**
 * Inputs of a spatial run. Paths are UTF-8, borrowed for the call. A service is computed
 * when its inputs are given: water conservation needs `precip`, `et` and the table column
 * `runoff_coef`; soil retention needs `dem`, `erosivity`, `erodibility` and the columns
 * `usle_c`, `usle_p`; carbon and oxygen need `nep` or the column `nep_tc_ha`;
 * evapotranspiration needs `et`; climate regulation by plant transpiration needs
 * `transpiration_days` > 0 and the column `epp_kj_m2_day` (heat consumed by transpiration,
 * kJ/(m2 d), per class; 0 for classes without vegetation), computed per pixel by
 * epv_gep_model_climate_transpiration() with the run's `eer`; flood regulation by vegetation
 * needs `storm_precip` and the column `storm_runoff_coef` (share of storm rain that runs off,
 * 0..1; 1 for classes that hold none back), computed per pixel by
 * epv_gep_model_flood_vegetation() with R_storm = P_storm x storm_runoff_coef; flood regulation
 * by marshes needs `marsh_ecosystem` and the columns `marsh_soil_depth_m`,
 * `marsh_bulk_density_t_m3`, `marsh_saturated_water`, `marsh_natural_water`,
 * `marsh_surface_depth_m` (one set of values shared by every class of that ecosystem: the
 * account's floodMarsh element holds one), computed per pixel by epv_gep_model_flood_marsh().
 */
typedef struct epv_spatial_options {
    unsigned int version;      /**< ::EPV_SPATIAL_OPTIONS_VERSION */
    const char *landcover;     /**< raster of integer land-cover codes (required; defines the grid) */
    const char *dem;           /**< elevation, m (NULL: no soil retention) */
    const char *precip;        /**< annual precipitation, mm */
    const char *et;            /**< annual actual evapotranspiration, mm */
    const char *erosivity;     /**< RUSLE R, MJ mm/(ha h yr) */
    const char *erodibility;   /**< RUSLE K, t ha h/(ha MJ mm) */
    const char *nep;           /**< net ecosystem production, t C/ha/yr (NULL: table column) */
    const char *biophysical;   /**< CSV keyed by `lucode` (required): columns runoff_coef, usle_c,
                                    usle_p, nep_tc_ha as needed, and `ecosystem` unless
                                    ecosystem_table is given */
    const char *ecosystem_table; /**< CSV `lucode,ecosystem` (NULL: the biophysical table's column) */
    const char *zones;         /**< vector data set of regions (required) */
    const char *zones_layer;   /**< layer name (NULL: the first layer) */
    const char *code_field;    /**< region code field (NULL: "code") */
    const char *name_field;    /**< region name field (NULL: "name") */
    double slope_length_m;     /**< RUSLE slope length lambda, m (0: one cell width) */
    int tile_rows;             /**< tile height, pixels (default 256) */
    int tile_cols;             /**< tile width, pixels (default 256) */
    int keep_negative_water;   /**< 0 (default): a pixel whose water balance is negative conserves
                                    0 m3 (the GEP account takes no negative quantity); 1: keep it */
    const char *water_ecosystem; /**< ecosystem whose ET is water-surface evaporation: the account
                                    input gets a climateEvaporation element per region for it
                                    (NULL: none; needs `et`) */
    double latent_heat_kj_kg;  /**< latent heat of vaporisation for it, kJ/kg (default 2450) */
    double eer;                /**< air conditioner energy efficiency ratio (default 3.0) */
    int ls_flow_accumulation;  /**< 0 (default): LS with the fixed slope_length_m, tile by tile;
                                    1: Desmet & Govers (1996) with D8 flow accumulation
                                    (epv_spatial_ls_desmet_govers()) over the whole DEM, held in
                                    memory (about 48 bytes per pixel on top of the bound above) */
    /* version 2 */
    const char *storm_precip;  /**< precipitation of heavy-rain (storm) events in the year, mm
                                    (NULL: no flood regulation) */
    double transpiration_days; /**< days of the year on which air conditioning would run (days above
                                    26 C in the specification), 0..366 (0: no transpiration) */
    const char *marsh_ecosystem; /**< ecosystem whose pixels are marshes, for flood regulation by
                                    marshes (NULL: none) */
    const char *parent_field;  /**< field of the zones layer holding each region's parent code (a
                                    township's county): the account input lists the parents as
                                    regions, each before its children (NULL: no hierarchy) */
    const char *parent_name_field; /**< field holding the parent's name (NULL: the parent code) */
} epv_spatial_options;
/** Initialiser of ::epv_spatial_options with the defaults. */
#define EPV_SPATIAL_OPTIONS_INIT                                                                 \
    { EPV_SPATIAL_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,     \
      NULL, NULL, NULL, 0.0, 256, 256, 0, NULL, 2450.0, 3.0, 0, NULL, 0.0, NULL, NULL, NULL }
/** Function twin of ::EPV_SPATIAL_OPTIONS_INIT (ctx may be NULL). */
EPV_API int epv_spatial_options_init(epv_ctx *ctx, epv_spatial_options *opts, unsigned int version);

/** Opaque zonal result: regions x ecosystems x ::EPV_SPATIAL_NCOLS sums. */
typedef struct epv_spatial_result epv_spatial_result;

/**
 * Run every service the inputs allow and sum it by region x ecosystem.
 * @param[out] out receives the result (free with epv_spatial_result_free()).
 * @return ::EPV_OK; ::EPV_EINVAL (misaligned grids naming both files, missing CRS, rotated
 *   grid), ::EPV_EIO (unreadable file), ::EPV_ENOTFOUND (land-cover codes absent from the
 *   table, all listed; missing field of the zones layer naming the fields present),
 *   ::EPV_ERANGE (negative or NaN input naming file, pixel row and column),
 *   ::EPV_ECANCELLED. On error *out is NULL.
 */
EPV_API int epv_spatial_run(epv_ctx *ctx, const epv_spatial_options *opts, epv_spatial_result **out);

/**
 * Like epv_spatial_run() for part `part` of `nparts` (0 <= part < nparts): the tile groups
 * floor(g nparts / ngroups) == part. The part keeps its group sums so that
 * epv_spatial_result_merge() of all parts equals epv_spatial_run() bit for bit.
 */
EPV_API int epv_spatial_run_part(epv_ctx *ctx, const epv_spatial_options *opts, int part, int nparts,
                                 epv_spatial_result **out);
/**
 * Merge the results of all parts of one run (any order) into the whole.
 * ::EPV_EINVAL if they are not the parts of one grid and region set, or a part is missing.
 */
EPV_API int epv_spatial_result_merge(epv_ctx *ctx, epv_spatial_result *const *parts, size_t nparts,
                                     epv_spatial_result **out);
/**
 * Serialise a result into a new buffer (for message passing between processes of one
 * machine type: native byte order). *buf is freed by the caller with free().
 */
EPV_API int epv_spatial_result_serialize(epv_ctx *ctx, const epv_spatial_result *r, void **buf,
                                         size_t *len);
/** Read back a buffer written by epv_spatial_result_serialize(). */
EPV_API int epv_spatial_result_deserialize(epv_ctx *ctx, const void *buf, size_t len,
                                           epv_spatial_result **out);
/** Free a result. NULL is a no-op. */
EPV_API void epv_spatial_result_free(epv_spatial_result *r);

/** Number of regions (distinct codes of the zones layer, in first-seen order). */
EPV_API size_t epv_spatial_result_region_count(const epv_spatial_result *r);
/** Code of region i ("" when out of range). */
EPV_API const char *epv_spatial_result_region_code(const epv_spatial_result *r, size_t i);
/** Name of region i ("" when out of range). */
EPV_API const char *epv_spatial_result_region_name(const epv_spatial_result *r, size_t i);
/** Parent code of region i (option parent_field; "" when none or out of range). */
EPV_API const char *epv_spatial_result_region_parent(const epv_spatial_result *r, size_t i);
/** Name of region i's parent (option parent_name_field; else its code; "" when none). */
EPV_API const char *epv_spatial_result_region_parent_name(const epv_spatial_result *r, size_t i);
/** Number of ecosystems (distinct codes of the mapping, sorted). */
EPV_API size_t epv_spatial_result_ecosystem_count(const epv_spatial_result *r);
/** Code of ecosystem j ("" when out of range). */
EPV_API const char *epv_spatial_result_ecosystem_code(const epv_spatial_result *r, size_t j);
/** 1 if the run computed column col (its inputs were given), else 0. */
EPV_API int epv_spatial_result_has(const epv_spatial_result *r, epv_spatial_col col);
/**
 * Column `col` for every region x ecosystem, region-major (index i x necosystems + j).
 * The pointer is valid for the result's life; *n receives regions x ecosystems.
 */
EPV_API int epv_spatial_result_column(epv_ctx *ctx, const epv_spatial_result *r, epv_spatial_col col,
                                      const double **values, size_t *n);

/**
 * Write the result as GEP account input (data/schema/gep_input.xsd): regions with their
 * area (with parent_field: first the parents, in first-seen order, with the sum of their
 * children's areas, then the regions with their `parent`; quantities go to the regions, and
 * the GEP module aggregates them to the parents), ecosystems, ecosystemArea and one quantity per computed service, region and
 * ecosystem for `year`; with `water_ecosystem` set, a climateEvaporation element per region
 * (its area, its area-weighted ET in mm, the run's latent heat and EER) from which the GEP
 * module computes climate regulation; with transpiration computed, a climateTranspiration
 * element per region and ecosystem (area, area-weighted EPP, the run's days and EER: the GEP
 * module's E = EPP x S x D / (3600 r) gives back the per-pixel sum); with flood regulation
 * computed, a floodVegetation element per region and ecosystem that holds water back (area,
 * storm rain and storm runoff in mm over that area, from which the GEP module gives back the
 * per-pixel sum); with marshes, a floodMarsh element per region (the marsh area and the
 * ecosystem's marsh parameters). `extra_xml` (may be NULL) is a file of further elements of the
 * schema's choice group (price, soilPrice, deflator, gdp ...) copied after the ecosystems.
 * The document is validated against the schema before it replaces `path`; nothing is
 * written on error.
 */
EPV_API int epv_spatial_result_write_gep_input(epv_ctx *ctx, const epv_spatial_result *r, int year,
                                               const char *extra_xml, const char *path);
/** Write the zonal table as CSV: region,name,ecosystem,area_ha,pixels and one column per service. */
EPV_API int epv_spatial_result_write_csv(epv_ctx *ctx, const epv_spatial_result *r, const char *path);

/**
 * Compute the inputs' services again and write per-pixel GeoTIFFs (Float64, tiled, DEFLATE,
 * nodata NaN): n services cols[k] into paths[k]. Written under temporary names and renamed
 * when all are complete; on error or cancellation nothing is left.
 */
EPV_API int epv_spatial_write_rasters(epv_ctx *ctx, const epv_spatial_options *opts,
                                      const epv_spatial_col *cols, const char *const *paths, size_t n);

/**
 * SVG choropleth of the polygons of `zones` (layer NULL: first; code field NULL: "code"),
 * each filled by values[i] of the region codes[i] on a five-class quantile scale, with a
 * legend titled `title` and `unit`. Regions not in `codes` are drawn grey.
 */
EPV_API int epv_spatial_write_choropleth_svg(epv_ctx *ctx, const char *zones, const char *layer,
                                             const char *code_field, const char *const *codes,
                                             const double *values, size_t n, const char *title,
                                             const char *unit, const char *path);

/**
 * Area of the cell between latitudes lat1 and lat2 (degrees, either order) spanning
 * dlon degrees of longitude, on the ellipsoid with semi-major axis a (m) and inverse
 * flattening invf (0: a sphere of radius a): (a^2/2) dLon |q(lat2) - q(lat1)| with Snyder's
 * q, i.e. R_q^2 dLon (sin beta2 - sin beta1) on the authalic sphere.
 */
EPV_API int epv_spatial_cell_area_geographic(epv_ctx *ctx, double lat1_deg, double lat2_deg,
                                             double dlon_deg, double a_m, double invf, double *out_m2);

/**
 * RUSLE LS factor of every cell of a nrows x ncols DEM (row-major, north up):
 * slope theta by Horn (1981) from the 3x3 neighbourhood (beyond the grid's border the DEM is
 * extrapolated linearly, 2 z(edge) - z(inside); NaN neighbours take the centre's value), S = 10.8 sin(theta) + 0.03 below 9 % slope, 16.8 sin(theta) - 0.50 from
 * 9 % (AH703 eqs. 4-4, 4-5), L = (lambda / 22.13)^m with m = beta / (1 + beta),
 * beta = (sin(theta) / 0.0896) / (3 sin(theta)^0.8 + 0.56) (eqs. 4-1 to 4-3).
 * @param dx_m, dy_m cell width and height in metres.
 * @param slope_length_m lambda, m (> 0).
 * NaN elevation gives NaN. Outputs may not alias the DEM.
 */
EPV_API int epv_spatial_ls_rusle(epv_ctx *ctx, size_t nrows, size_t ncols, const double *dem,
                                 double dx_m, double dy_m, double slope_length_m, double *out_ls);

/**
 * LS factor with the slope length from flow accumulation, after Desmet & Govers (1996, J. Soil
 * and Water Conservation 51(5):427-433, eq. 10), the form InVEST's SDR model uses:
 * L = ((A_in + D^2)^(m+1) - A_in^(m+1)) / (D^(m+2) x^m 22.13^m), with A_in the area draining
 * into the cell (m2) by D8 flow to the steepest lower neighbour (O'Callaghan & Mark 1984; no
 * pit filling: a cell without a lower neighbour passes nothing on), D the cell size
 * (sqrt(dx dy)), x = |sin a| + |cos a| for the aspect a, m and S as in epv_spatial_ls_rusle().
 * On a uniform slope of n cells the mean of L is the RUSLE L of the whole slope length n D
 * (AH703's segment form, eq. 4-6). Needs the whole DEM: memory about 40 bytes per cell.
 * NaN elevation gives NaN and passes no flow.
 */
EPV_API int epv_spatial_ls_desmet_govers(epv_ctx *ctx, size_t nrows, size_t ncols, const double *dem,
                                         double dx_m, double dy_m, double *out_ls);

#ifdef __cplusplus
}
#endif
#endif /* EPV_SPATIAL_H */
