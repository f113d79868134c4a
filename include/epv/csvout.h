/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file csvout.h
 * @brief How the library writes CSV files: a UTF-8 byte order mark for spreadsheet programs,
 * and Chinese names beside codes. The options belong to a context and apply to every CSV
 * file written through it (sink results, GEP accounts).
 */
#ifndef EPV_CSVOUT_H
#define EPV_CSVOUT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Start each CSV file with the UTF-8 byte order mark EF BB BF. Excel on a Chinese-language
 *  Windows reads a CSV without it in the local code page (GBK) and shows UTF-8 Chinese text
 *  as mojibake; with it, as UTF-8. */
#define EPV_CSVOUT_BOM 0x1u
/** Add name columns beside code columns where the data have names (GEP: region_name after
 *  region, indicator_name_zh and indicator_name_en after indicator). */
#define EPV_CSVOUT_NAMES 0x2u

/** Version of ::epv_csvout_options this header describes. */
#define EPV_CSVOUT_OPTIONS_VERSION 1
/** CSV writing options of a context. */
typedef struct epv_csvout_options {
    unsigned int version; /**< ::EPV_CSVOUT_OPTIONS_VERSION */
    unsigned int flags;   /**< ::EPV_CSVOUT_BOM and/or ::EPV_CSVOUT_NAMES; 0 = plain UTF-8, codes only */
} epv_csvout_options;
/** Initialiser of ::epv_csvout_options: no BOM, codes only (the default of a new context). */
#define EPV_CSVOUT_OPTIONS_INIT { EPV_CSVOUT_OPTIONS_VERSION, 0u }

/**
 * Initialise an ::epv_csvout_options for `version` (function twin of ::EPV_CSVOUT_OPTIONS_INIT).
 * @param ctx may be NULL; receives the message of an error.
 * @param opts the struct to fill.
 * @param version ::EPV_CSVOUT_OPTIONS_VERSION of the caller's header.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL opts), ::EPV_EVERSION naming the struct and both versions.
 */
EPV_API int epv_csvout_options_init(epv_ctx *ctx, epv_csvout_options *opts, unsigned int version);
/**
 * Set the CSV options of a context (copied); they apply to CSV files written afterwards.
 * @param ctx the context; required.
 * @param opts the options; required, version checked.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL, or unknown flag bits), ::EPV_EVERSION.
 */
EPV_API int epv_csvout_set(epv_ctx *ctx, const epv_csvout_options *opts);
/**
 * Read the CSV options of a context.
 * @param ctx the context; required.
 * @param[out] out receives the options (its version is set to ::EPV_CSVOUT_OPTIONS_VERSION).
 * @return ::EPV_OK or ::EPV_EINVAL (NULL).
 */
EPV_API int epv_csvout_get(const epv_ctx *ctx, epv_csvout_options *out);

#ifdef __cplusplus
}
#endif

#endif
