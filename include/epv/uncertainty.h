/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/uncertainty.h
 * @brief Umbrella for the uncertainty headers: epv/unc.h (shared interval type, IPCC
 *        Approach 1), epv/mc.h (Approach 2, Monte Carlo) and epv/sampling.h (monitoring
 *        plots). Include those directly in new code.
 */
#ifndef EPV_UNCERTAINTY_H
#define EPV_UNCERTAINTY_H

#include "epv/unc.h"
#include "epv/mc.h"
#include "epv/sampling.h"

#endif /* EPV_UNCERTAINTY_H */
