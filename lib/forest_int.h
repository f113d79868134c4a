/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers shared by the forest module's files (lib/forest.c, lib/forest_ipcc.c). */
#ifndef EPV_FOREST_INT_H
#define EPV_FOREST_INT_H

#include "common_int.h"
#include "epv/forest.h"

/* Carbon fraction must lie in (0, 1]; the message names `field`. */
int epv__forest_check_cf(epv_ctx *ctx, double cf, const char *field);
/* Root:shoot ratio must lie in [0, 5]; the message names `field`. */
int epv__forest_check_rs(epv_ctx *ctx, double r, const char *field);

/* Accepted ranges of species parameters (wide: they catch unit slips such as kg/m³ for
 * t/m³ or percent for fractions, not unusual species). */
#define EPV__FOREST_DENSITY_MAX 1.5  /* t/m³: the heaviest woods are about 1.2-1.4 */
#define EPV__FOREST_BEF_MIN 1.0      /* above-ground biomass cannot be less than the stem's */
#define EPV__FOREST_BEF_MAX 10.0
#define EPV__FOREST_RS_MAX 5.0
#define EPV__FOREST_FANG_A_MAX 10.0  /* t/m³ */
#define EPV__FOREST_FANG_B_MAX 1000.0 /* |b|, t/ha */

#endif
