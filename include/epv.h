/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv.h
 * @brief libepv umbrella header: ecological product value (生态产品价值) accounting.
 *
 * Include this one header to use the whole library, or a single module header under epv/.
 * Modules: common (context, errors, versions), units, params (reference tables), growth
 * (stand growth curves), forest (stand carbon), sink (project estimation after CCER
 * methodologies), uncertainty (IPCC Approach 1 and 2), gep (gross ecosystem product
 * accounts), ledger (CCER-style registry), xml (safe XML reading), resource (the shipped schemas and tables).
 */
#ifndef EPV_H
#define EPV_H

#include "epv/common.h"
#include "epv/unit.h"
#include "epv/xml.h"
#include "epv/resource.h"
#include "epv/params.h"
#include "epv/growth.h"
#include "epv/forest.h"
#include "epv/project.h"
#include "epv/sink.h"
#include "epv/compartment.h"
#include "epv/uncertainty.h"
#include "epv/unc.h"
#include "epv/mc.h"
#include "epv/sampling.h"
#include "epv/gep.h"
#include "epv/gep_model.h"
#include "epv/ledger.h"
#include "epv/bamboo.h"
#include "epv/inventory.h"
#include "epv/csvout.h"
#include "epv/merkle.h"
#include "epv/spatial.h"

#endif /* EPV_H */
