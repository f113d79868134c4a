/**
 * @file epv/uncertainty.h
 * @brief (module under construction)
 */
#ifndef EPV_UNCERTAINTY_H
#define EPV_UNCERTAINTY_H

#include "epv/common.h"

#endif /* EPV_UNCERTAINTY_H */
