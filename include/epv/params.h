/**
 * @file epv/params.h
 * @brief (module under construction)
 */
#ifndef EPV_PARAMS_H
#define EPV_PARAMS_H

#include "epv/common.h"

#endif /* EPV_PARAMS_H */
