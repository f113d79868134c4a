/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification layer (ledger_verify.c): beside the operations, above storage. Used by the
 * handle (open), XML import and the public verification calls. */
#ifndef EPV_LEDGER_VERIFY_INT_H
#define EPV_LEDGER_VERIFY_INT_H

#include "ledger_int.h"

/* A verified checkpoint: height, chain head there, state digest there. */
struct epv__lcheckpoint {
    int64_t seq;
    unsigned char head[32];
    unsigned char state[32];
};

/* All checkpoints in ascending order (allocated; *n = 0 and NULL when there are none). */
int epv__lg_checkpoints(epv_ledger *l, struct epv__lcheckpoint **out, size_t *n);
/* Fast check from the last checkpoint: that entry's hash equals the checkpoint's head, the
 * chain from there to the head row verifies. *used = 0 (and nothing checked) without a
 * checkpoint. */
int epv__lg_verify_since_checkpoint(epv_ledger *l, int *used);
/* Walk the whole chain (numbering, links, hashes) and compare its end with the head row. */
int epv__lg_verify_chain(epv_ledger *l, int64_t *entries);
/* Replay the journal into an in-memory ledger and compare the state digests. */
int epv__lg_verify_replay(epv_ledger *l);
/* Everything: chain, head, replay, state digest, invariants, in one walk of the journal, with
 * progress on the context (EPV_ECANCELLED if the callback stops it; nothing is changed). */
int epv__lg_verify_full(epv_ledger *l);
/* The same, passing one more checkpoint (an outside anchor) that the replay must match. */
int epv__lg_verify_full_with(epv_ledger *l, const struct epv__lcheckpoint *extra);
/* SHA-256 of every derived table in key order. */
int epv__lg_digest(epv_ledger *l, unsigned char out[32]);
/* The SQL integrity invariants (doc/ledger.md table). */
int epv__lg_check_invariants(epv_ledger *l);

#endif
