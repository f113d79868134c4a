/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of the growth module shared by evaluation (growth.c) and fitting
 * (growth_fit.c). Nothing here is exported. */
#ifndef EPV_GROWTH_INT_H
#define EPV_GROWTH_INT_H

#include "epv/growth.h"

/* 1 if m is one of the five model families. */
int epv__growth_model_known(epv_growth_model m);

/* y(t) for any parameters, without checks: the result may be negative, NaN or infinite
 * when the parameters leave the model's domain. t >= 0; at t = 0 the model's limit. */
double epv__growth_value(epv_growth_model m, double a, double b, double c, double t);

/* Partial derivatives of y(t) with respect to (a, b, c), for the fit's analytic Jacobian.
 * g[2] is 0 for Schumacher. At t = 0 the models whose value is pinned to 0 there
 * (Richards, Korf, Schumacher) have all derivatives 0 (their limits for b, c > 0). */
void epv__growth_gradient(epv_growth_model m, double a, double b, double c, double t, double g[3]);

/* dy/dt without checks (may be non-finite). */
double epv__growth_slope(epv_growth_model m, double a, double b, double c, double t);

/* 1 if y(0) is 0 whatever the parameters (for b, c > 0): the age-0 points then carry no
 * information about the parameters. */
int epv__growth_pinned_at_zero(epv_growth_model m);

#endif
