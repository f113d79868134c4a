/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Live layout: the ledger's state kept in memory (the native model of ledger_replay.c), equal to
 * the journal's head. Operations write only the journal; queries answer from the model. */
#include "config.h"

#include "ledger_verify_int.h"

int epv__lg_live_sync(epv_ledger *l)
{
    (void)l;
    return EPV_OK;
}
