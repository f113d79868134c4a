/**
 * @file epv/growth.h
 * @brief (module under construction)
 */
#ifndef EPV_GROWTH_H
#define EPV_GROWTH_H

#include "epv/common.h"

#endif /* EPV_GROWTH_H */
