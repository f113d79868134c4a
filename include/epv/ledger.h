/**
 * @file epv/ledger.h
 * @brief (module under construction)
 */
#ifndef EPV_LEDGER_H
#define EPV_LEDGER_H

#include "epv/common.h"

#endif /* EPV_LEDGER_H */
