/**
 * @file epv/gep.h
 * @brief (module under construction)
 */
#ifndef EPV_GEP_H
#define EPV_GEP_H

#include "epv/common.h"

#endif /* EPV_GEP_H */
