/**
 * @file epv/forest.h
 * @brief (module under construction)
 */
#ifndef EPV_FOREST_H
#define EPV_FOREST_H

#include "epv/common.h"

#endif /* EPV_FOREST_H */
