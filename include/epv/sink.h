/**
 * @file epv/sink.h
 * @brief (module under construction)
 */
#ifndef EPV_SINK_H
#define EPV_SINK_H

#include "epv/common.h"

#endif /* EPV_SINK_H */
