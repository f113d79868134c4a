/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/ledger.h
 * @brief CCER-style credit registry: projects, monitoring periods, verifications, accounts,
 * credits as integer serial blocks, issuance with a non-permanence buffer, transfer,
 * retirement, cancellation, reversal; an append-only SHA-256 hash-chained journal in SQLite;
 * RFC 6962 Merkle proofs; XML export and import.
 *
 * Model: every change is an operation carrying a caller-chosen request id. The operation is
 * validated, written as one journal entry and applied to the derived tables (accounts, blocks,
 * totals...) in one SQLite transaction, so it happens completely or not at all. Repeating a
 * request id with the same arguments changes nothing and returns the original result; reusing
 * it with other arguments is ::EPV_EEXISTS. The derived state is, by construction and by check
 * (epv_ledger_verify()), a replay of the journal.
 *
 * Quantities are whole tonnes of CO2e (`epv_i64`), never floating point. Identifiers (account,
 * entity, project ids) are 1..64 characters from [A-Za-z0-9_.]; free text (names, reasons,
 * beneficiaries, verifier, report ids) is 1..256 bytes of UTF-8 without control characters.
 *
 * Threads and processes: an ::epv_ledger handle is used by one thread at a time. Several
 * processes may open the same file. Every open, verification and query reads one consistent
 * snapshot (see epv_ledger_snapshot_begin()), so a concurrent writer never makes a good file
 * look corrupt. Writers are serialised by SQLite; a writer, or a reader meeting a lock, waits
 * at most 5 s (SQLite's busy timeout) and then fails with ::EPV_EBUSY, changing nothing.
 * The pure functions (serial parsing, Merkle verification) are thread-safe.
 */
#ifndef EPV_LEDGER_H
#define EPV_LEDGER_H

#include "epv/common.h"
#include "epv/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque handle to an open ledger file. */
typedef struct epv_ledger epv_ledger;

/** Length of a SHA-256 digest in bytes. */
#define EPV_LEDGER_HASH_LEN 32

/** Open flags (bitwise or). */
enum epv_ledger_open_flags {
    EPV_LEDGER_CREATE = 1,   /**< create the file if missing (with the given config) */
    EPV_LEDGER_READONLY = 2, /**< open read-only; every operation fails with ::EPV_EREADONLY */
    EPV_LEDGER_NO_REPLAY = 4,  /**< on open verify only the hash chain and head, not the replay */
    EPV_LEDGER_FULL_VERIFY = 8, /**< on open verify everything even when a checkpoint exists */
    /** With ::EPV_LEDGER_CREATE, create the file in the live layout (ignored for an existing
     * file, whose layout is its own): the state is kept in the handle's memory (about 320 bytes
     * per entry) and each operation writes only its journal entry, so batches run several
     * times faster; results and refusals are those of the other layout. Each checkpoint also
     * writes a snapshot of the state, from which the next open starts (as the other layout
     * starts from its tables); without one, an open replays the whole journal. See
     * doc/ledger.md "Live state". */
    EPV_LEDGER_LIVE = 16
};

/** Account states. Closed is final. */
enum epv_ledger_account_status {
    EPV_LEDGER_ACCOUNT_OPEN = 0,       /**< may send and receive */
    EPV_LEDGER_ACCOUNT_RESTRICTED = 1, /**< may receive, may not send, retire or cancel */
    EPV_LEDGER_ACCOUNT_FROZEN = 2,     /**< neither sends nor receives (e.g. court order) */
    EPV_LEDGER_ACCOUNT_CLOSED = 3      /**< final; only an empty account can be closed */
};

/** Project states. Cancelled and revoked are final. */
enum epv_ledger_project_status {
    EPV_LEDGER_PROJECT_ACTIVE = 0,    /**< registered, may be verified and issued */
    EPV_LEDGER_PROJECT_SUSPENDED = 1, /**< no verification or issuance until reactivated */
    EPV_LEDGER_PROJECT_CANCELLED = 2, /**< withdrawn; can never be registered again (Art. 16) */
    EPV_LEDGER_PROJECT_REVOKED = 3    /**< revoked for fraud (Art. 43); cancel the units separately */
};

/** Unit states. Retired and cancelled are final. */
enum epv_ledger_unit_status {
    EPV_LEDGER_HELD = 0,     /**< held in a holder account */
    EPV_LEDGER_BUFFER = 1,   /**< held in the programme buffer account; never transferable */
    EPV_LEDGER_RETIRED = 2,  /**< retired for an offset (注销 for use), with a certificate */
    EPV_LEDGER_CANCELLED = 3 /**< cancelled (voluntary, forced, or a buffer reversal) */
};

/** Programme settings, fixed when the file is created (stored in the first journal entry). */
typedef struct epv_ledger_config {
    unsigned int version; /**< ::EPV_LEDGER_CONFIG_VERSION (set by the _INIT macro or epv_ledger_config_init()) */
    /** Programme name in serials and certificates, an identifier; default "CCER". */
    const char *programme;
    /** Serial template (see epv_ledger_serial_parse()); NULL for the default. */
    const char *serial_format;
    /** Buffer withheld from forestry issuances, in basis points (0..10000); default 2000
     * (20%, the flat pooled buffer of Gold Standard land use and forestry; no CCER figure is
     * published). Projects may override it. */
    int forestry_buffer_bp;
    /** 1 to enforce the CCER date rules (Art. 17: monitored reductions start after 2020-09-22;
     * each tranche is applied for within 5 years of its start); default 1. */
    int ccer_date_rules;
} epv_ledger_config;
/** Current version of ::epv_ledger_config. */
#define EPV_LEDGER_CONFIG_VERSION 1
/** Initialiser of ::epv_ledger_config with its defaults. */
#define EPV_LEDGER_CONFIG_INIT { EPV_LEDGER_CONFIG_VERSION, "CCER", NULL, 2000, 1 }
/** Function twin of ::EPV_LEDGER_CONFIG_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_config_init(epv_ctx *ctx, epv_ledger_config *x, unsigned int version);


/**
 * Open (or with ::EPV_LEDGER_CREATE create) a ledger file, verifying it in one snapshot
 * before anything is written:
 * - with a verified checkpoint (epv_ledger_checkpoint()) and without
 *   ::EPV_LEDGER_FULL_VERIFY: the checkpoint's entry must carry the checkpoint's hash and the
 *   chain from there to the stored head must verify; the cost is the entries since the
 *   checkpoint (derived tables are then checked by epv_ledger_verify() on demand);
 * - otherwise (no checkpoint, or ::EPV_LEDGER_FULL_VERIFY): SQLite's quick_check, the whole
 *   chain, a replay of the journal in memory compared with the derived tables (and with
 *   every checkpoint on the way: its head, and the last one's state), and the integrity
 *   invariants, as epv_ledger_verify();
 * - with ::EPV_LEDGER_NO_REPLAY: the whole chain and the head only.
 * Progress is reported on the context's callback; a cancelled open is ::EPV_ECANCELLED. A file
 * that fails is ::EPV_ECORRUPT, is not opened, and is left byte for byte as it was.
 * @param cfg settings for a new file (NULL: defaults); ignored when the file exists.
 * @param[out] out the handle; NULL on failure. Free with epv_ledger_close().
 */
EPV_API int epv_ledger_open(epv_ctx *ctx, const char *path, unsigned flags,
                            const epv_ledger_config *cfg, epv_ledger **out);
/** Close the handle (rolls back an unfinished batch). NULL is a no-op. */
EPV_API void epv_ledger_close(epv_ledger *l);

/**
 * Batching: operations between epv_ledger_batch_begin() and epv_ledger_batch_commit() share one
 * durable commit. No operation is ever half-applied: one refused by the rules (a balance, a
 * status, a date...) has written nothing and the batch goes on as it was; one that fails after
 * it began writing (a full disk, an I/O or server error) rolls the whole batch back, no batch
 * is open any more, and its message ends with "the whole batch was rolled back". A crash
 * before the commit loses the whole batch, never part of an operation.
 * epv_ledger_batch_rollback() drops the batch.
 */
EPV_API int epv_ledger_batch_begin(epv_ledger *l);
/**
 * Make every operation since epv_ledger_batch_begin() durable in one commit.
 * @param l the ledger; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (no batch open), ::EPV_EBUSY (lock wait
 *         past its bound), ::EPV_EIO or ::EPV_ENOSPACE (nothing of the batch was committed).
 */
EPV_API int epv_ledger_batch_commit(epv_ledger *l);
/**
 * Drop every operation since epv_ledger_batch_begin(); the file and the handle's state are as
 * before the batch.
 * @param l the ledger; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_ESTATE (no batch open).
 */
EPV_API int epv_ledger_batch_rollback(epv_ledger *l);

/**
 * Read snapshots. Each query, verification and open reads one consistent snapshot of the
 * file on its own, whatever other processes write meanwhile. To make several calls see the
 * same state (a balance and a total, say), put them between epv_ledger_snapshot_begin() and
 * epv_ledger_snapshot_end(): they then all read the state committed when the first of them
 * read. Writers are not blocked (WAL); writes through this handle inside a snapshot, or
 * from a query's callback, are refused with ::EPV_ESTATE. Snapshots nest; inside a batch
 * they read the batch's own state.
 * @return ::EPV_OK; ::EPV_EBUSY if the file stayed locked past the busy bound (5 s).
 */
EPV_API int epv_ledger_snapshot_begin(epv_ledger *l);
/** End the snapshot begun by the matching epv_ledger_snapshot_begin(). ::EPV_ESTATE if none. */
EPV_API int epv_ledger_snapshot_end(epv_ledger *l);

/* ---- accounts --------------------------------------------------------------------------- */

/** Name of the programme's buffer account (created with the file; no holder moves from it). */
#define EPV_LEDGER_BUFFER_ACCOUNT "BUFFER"

/** Open a holder account for an entity (one account per entity). */
EPV_API int epv_ledger_account_open(epv_ledger *l, const char *request_id, const char *account,
                                    const char *entity);
/** Restrict, freeze, reopen or close an account (::epv_ledger_account_status). */
EPV_API int epv_ledger_account_set_status(epv_ledger *l, const char *request_id,
                                          const char *account, int status);

/* ---- projects, periods, verifications ---------------------------------------------------- */

/** A project to register. Strings are copied. */
typedef struct epv_ledger_project {
    unsigned int version; /**< ::EPV_LEDGER_PROJECT_VERSION (set by the _INIT macro or epv_ledger_project_init()) */
    const char *id;            /**< identifier, unique for ever */
    const char *name;          /**< free text */
    const char *methodology;   /**< e.g. "CCER-14-001-V01" */
    const char *owner_account; /**< open holder account receiving issuances */
    epv_date crediting_start;  /**< first day of the crediting period */
    epv_date crediting_end;    /**< last day of the crediting period (>= start) */
    int forestry;              /**< 1: non-permanence buffer applies */
    int buffer_bp;             /**< buffer in basis points, or -1 for the programme default */
} epv_ledger_project;
/** Current version of ::epv_ledger_project. */
#define EPV_LEDGER_PROJECT_VERSION 1
/** Initialiser of ::epv_ledger_project with its defaults. */
#define EPV_LEDGER_PROJECT_INIT { EPV_LEDGER_PROJECT_VERSION, NULL, NULL, NULL, NULL, { 0, 0, 0 }, { 0, 0, 0 }, 0, -1 }
/** Function twin of ::EPV_LEDGER_PROJECT_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_project_init(epv_ctx *ctx, epv_ledger_project *x, unsigned int version);

/**
 * Register a project (journalled; a repeated request id is a no-op).
 * @param l the ledger; must not be NULL.
 * @param request_id the caller's idempotency key, unique per operation; must not be NULL.
 * @param p the versioned project record; id, name, methodology and owner account required.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_EVERSION, ::EPV_EEXISTS (id taken), ::EPV_ENOTFOUND
 *         (owner account), ::EPV_ERANGE (crediting period, buffer rate), ::EPV_EREADONLY.
 */
EPV_API int epv_ledger_project_register(epv_ledger *l, const char *request_id,
                                        const epv_ledger_project *p);
/** Suspend, reactivate, cancel or revoke a project (::epv_ledger_project_status). */
EPV_API int epv_ledger_project_set_status(epv_ledger *l, const char *request_id,
                                          const char *project, int status);
/**
 * Add a monitoring period [start, end] (days inclusive) inside the crediting period; periods
 * of a project never overlap. Periods are numbered 1, 2, ... in order of addition.
 * @param[out] number_out the period's number (may be NULL).
 */
EPV_API int epv_ledger_period_add(epv_ledger *l, const char *request_id, const char *project,
                                  epv_date start, epv_date end, int *number_out);

/** A verification of one monitoring period. */
typedef struct epv_ledger_verification {
    unsigned int version; /**< ::EPV_LEDGER_VERIFICATION_VERSION (set by the _INIT macro or epv_ledger_verification_init()) */
    const char *project;     /**< project id */
    int period;              /**< monitoring period number */
    const char *report_id;   /**< unique across the ledger */
    const char *verifier;    /**< verification body */
    epv_i64 verified_tco2e;  /**< verified net removals or reductions, whole t CO2e, > 0 */
    epv_i64 deduction_tco2e; /**< uncertainty or other deductions, whole t CO2e, >= 0 */
    epv_date applied;        /**< date the tranche is applied for (>= period end) */
} epv_ledger_verification;
/** Current version of ::epv_ledger_verification. */
#define EPV_LEDGER_VERIFICATION_VERSION 1
/** Initialiser of ::epv_ledger_verification with its defaults. */
#define EPV_LEDGER_VERIFICATION_INIT { EPV_LEDGER_VERIFICATION_VERSION, NULL, 0, NULL, NULL, 0, 0, { 0, 0, 0 } }
/** Function twin of ::EPV_LEDGER_VERIFICATION_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_verification_init(epv_ctx *ctx, epv_ledger_verification *x, unsigned int version);

/** Record a verification (one per period; the report id is unique). */
EPV_API int epv_ledger_verification_add(epv_ledger *l, const char *request_id,
                                        const epv_ledger_verification *v);

/** Result of an issuance. */
typedef struct epv_ledger_issuance {
    unsigned int version; /**< ::EPV_LEDGER_ISSUANCE_VERSION (set by the _INIT macro or epv_ledger_issuance_init()) */
    epv_i64 serial_start;  /**< first serial of the whole issuance */
    epv_i64 serial_end;    /**< last serial (buffer units are the tail) */
    epv_i64 holder_units;  /**< units credited to the project owner */
    epv_i64 buffer_units;  /**< units withheld into the buffer account */
    int vintage;           /**< year of the monitoring period's end */
} epv_ledger_issuance;
/** Current version of ::epv_ledger_issuance. */
#define EPV_LEDGER_ISSUANCE_VERSION 1
/** Initialiser of ::epv_ledger_issuance with its defaults. */
#define EPV_LEDGER_ISSUANCE_INIT { EPV_LEDGER_ISSUANCE_VERSION, 0, 0, 0, 0, 0 }
/** Function twin of ::EPV_LEDGER_ISSUANCE_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_issuance_init(epv_ctx *ctx, epv_ledger_issuance *x, unsigned int version);

/**
 * Issue credits against a verification: `quantity_tco2e` units (0: all that remain of
 * verified - deductions - already issued) get fresh serials from the project's sequence.
 * For forestry projects the buffer is ceil(quantity * buffer_bp / 10000) (rounded up so the
 * buffer is never short), taken from the tail of the range into the buffer account.
 * @param[out] out the result (may be NULL).
 */
EPV_API int epv_ledger_issue(epv_ledger *l, const char *request_id, const char *report_id,
                             epv_i64 quantity_tco2e, epv_ledger_issuance *out);

/**
 * From sink to credit: take a monitoring period's net removals as computed by a model
 * (t CO2e, double), floor them to whole tonnes (credits are never rounded up; a fraction of a
 * tonne is not issued), round the deduction UP to whole tonnes (so credits never exceed
 * removals minus deductions), record the verification and issue all of it, atomically. Request ids used: "<request_id>/verify" and "<request_id>/issue".
 * Negative, NaN or infinite removals, or removals below 1 t after flooring, are ::EPV_ERANGE.
 */
EPV_API int epv_ledger_issue_from_removals(epv_ledger *l, const char *request_id,
                                           const char *project, int period,
                                           const char *report_id, const char *verifier,
                                           double net_removals_tco2e, double deduction_tco2e,
                                           epv_date applied, epv_ledger_issuance *out);
/** Floor a model's t CO2e to whole issuable tonnes (::EPV_ERANGE for NaN, < 0, > 2^53). */
EPV_API int epv_ledger_tonnes_floor(epv_ctx *ctx, double tco2e, epv_i64 *out);

/* ---- unit operations --------------------------------------------------------------------- */

/**
 * Which units an operation takes. Either by count (serial_start = serial_end = 0): the
 * lowest serials of the project (and vintage, if non-zero) held by the account, the last
 * block split so its head moves and its tail stays; or an explicit serial range
 * [serial_start, serial_end] that the account must hold entirely.
 */
typedef struct epv_ledger_units {
    unsigned int version; /**< ::EPV_LEDGER_UNITS_VERSION (set by the _INIT macro or epv_ledger_units_init()) */
    const char *project;  /**< project id (required) */
    int vintage;          /**< vintage year, 0 for any */
    epv_i64 count;        /**< units to take (count mode), > 0 */
    epv_i64 serial_start; /**< range mode: first serial (> 0) */
    epv_i64 serial_end;   /**< range mode: last serial (>= serial_start) */
} epv_ledger_units;
/** Current version of ::epv_ledger_units. */
#define EPV_LEDGER_UNITS_VERSION 1
/** Initialiser of ::epv_ledger_units with its defaults. */
#define EPV_LEDGER_UNITS_INIT { EPV_LEDGER_UNITS_VERSION, NULL, 0, 0, 0, 0 }
/** Function twin of ::EPV_LEDGER_UNITS_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_units_init(epv_ctx *ctx, epv_ledger_units *x, unsigned int version);

/** Move held units between two different open accounts. Buffer units never move. */
EPV_API int epv_ledger_transfer(epv_ledger *l, const char *request_id, const char *from,
                                const char *to, const epv_ledger_units *u);
/**
 * Retire held units for an offset: they stay recorded under the account with status retired,
 * and a retirement certificate (numbered by the journal entry) names beneficiary and reason.
 * @param[out] certificate_out the certificate number (may be NULL).
 */
EPV_API int epv_ledger_retire(epv_ledger *l, const char *request_id, const char *account,
                              const epv_ledger_units *u, const char *beneficiary,
                              const char *reason, epv_date date, epv_i64 *certificate_out);
/** Cancel held units (voluntary cancellation, or forced after revocation). */
EPV_API int epv_ledger_cancel(epv_ledger *l, const char *request_id, const char *account,
                              const epv_ledger_units *u, const char *reason);
/**
 * Report a loss (fire, pests, harvest) of `loss_tco2e` whole tonnes on a forestry project:
 * buffer units are cancelled equal to the loss, the project's own buffer units first, then
 * the pool's lowest (project, serial); never more than the buffer holds. What the buffer
 * cannot cover is returned as a shortfall and recorded as the project's reversal obligation
 * (epv_ledger_obligation(), settled with epv_ledger_obligation_settle()).
 */
EPV_API int epv_ledger_reverse(epv_ledger *l, const char *request_id, const char *project,
                               epv_i64 loss_tco2e, epv_date date, epv_i64 *cancelled_out,
                               epv_i64 *shortfall_out);

/* ---- risk-scored buffer and reversal obligations ----------------------------------------- */

/** Significance of a natural risk event (loss of carbon stocks per event), the rows of Table 10
 * of Verra's VCS AFOLU Non-Permanence Risk Tool v4.2. */
enum epv_ledger_npr_significance {
    EPV_LEDGER_NPR_CATASTROPHIC = 0,   /**< 70 % or more of the stocks */
    EPV_LEDGER_NPR_DEVASTATING = 1,    /**< 50 % to < 70 % */
    EPV_LEDGER_NPR_MAJOR = 2,          /**< 25 % to < 50 % */
    EPV_LEDGER_NPR_MINOR = 3,          /**< 5 % to < 25 % */
    EPV_LEDGER_NPR_INSIGNIFICANT = 4,  /**< < 5 %, or transient (full recovery within 10 years) */
    EPV_LEDGER_NPR_NOT_APPLICABLE = 5  /**< the risk does not apply */
};
/** How often a natural risk event happens (the columns of that Table 10). */
enum epv_ledger_npr_likelihood {
    EPV_LEDGER_NPR_MORE_THAN_EVERY_10Y = 0, /**< more than once every 10 years */
    EPV_LEDGER_NPR_EVERY_10_25Y = 1,        /**< once every 10 to < 25 years */
    EPV_LEDGER_NPR_EVERY_25_50Y = 2,        /**< once every 25 to < 50 years */
    EPV_LEDGER_NPR_EVERY_50_100Y = 3,       /**< once every 50 to < 100 years */
    EPV_LEDGER_NPR_EVERY_100Y_OR_LESS = 4   /**< once in 100 years or less often */
};
/** Mitigation of a natural risk (the multiplier M). */
enum epv_ledger_npr_mitigation {
    EPV_LEDGER_NPR_MITIGATION_NONE = 0, /**< M = 1 */
    EPV_LEDGER_NPR_MITIGATION_ONE = 1,  /**< M = 0.5: prevention or a history of containment */
    EPV_LEDGER_NPR_MITIGATION_BOTH = 2  /**< M = 0.25: both */
};

/**
 * Score of one natural risk factor, LS x M, in hundredths of a point (basis points of the
 * buffer): LS from Table 10 of the VCS AFOLU Non-Permanence Risk Tool v4.2, e.g. a major loss
 * once every 10 to 25 years is 5 points (500), halved with one mitigation measure (250).
 * v4.2's climate change adjustment is not applied.
 * @param ctx context for errors (may be NULL).
 * @param significance an ::epv_ledger_npr_significance.
 * @param likelihood an ::epv_ledger_npr_likelihood.
 * @param mitigation an ::epv_ledger_npr_mitigation.
 * @param[out] score_bp the score x 100.
 * @return ::EPV_OK; ::EPV_EINVAL for values outside the enums or a NULL score_bp;
 * ::EPV_ERANGE for a catastrophic loss more often than once every 10 years (the project fails).
 */
EPV_API int epv_ledger_npr_natural_factor(epv_ctx *ctx, int significance, int likelihood, int mitigation,
                                          int *score_bp);

/** A non-permanence risk assessment of a forestry project. Scores are hundredths of a point
 * (a score of 2.5 is 250 = 2.5 % of buffer). Arrays are read during the call only. */
typedef struct epv_ledger_risk {
    unsigned int version; /**< ::EPV_LEDGER_RISK_VERSION (set by the _INIT macro or epv_ledger_risk_init()) */
    const char *tool;     /**< the tool and version applied (free text, recorded in the journal) */
    const int *internal_bp; /**< internal risk factor scores (project management, financial
                                 viability, opportunity cost, longevity; mitigations negative) */
    size_t n_internal;      /**< number of internal factors */
    const int *external_bp; /**< external risk factor scores (land tenure, community, political) */
    size_t n_external;      /**< number of external factors */
    const int *natural_bp;  /**< natural risk factor scores (epv_ledger_npr_natural_factor()), >= 0 */
    size_t n_natural;       /**< number of natural factors */
    int minimum_bp;         /**< the least buffer whatever the rating, 0..10000; default 1000
                                 (provisional, see doc/ledger.md) */
    epv_date date;          /**< date of the assessment */
} epv_ledger_risk;
/** Current version of ::epv_ledger_risk. */
#define EPV_LEDGER_RISK_VERSION 1
/** Initialiser of ::epv_ledger_risk with its defaults. */
#define EPV_LEDGER_RISK_INIT { EPV_LEDGER_RISK_VERSION, "VCS AFOLU Non-Permanence Risk Tool v4.2", NULL, 0, NULL, 0, NULL, 0, 1000, { 0, 0, 0 } }
/** Function twin of ::EPV_LEDGER_RISK_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_risk_init(epv_ctx *ctx, epv_ledger_risk *x, unsigned int version);

/**
 * Record a risk assessment of a forestry project (an operation with a request id, journalled
 * and replayed like every other): internal = max(0, sum of the internal factors), external =
 * max(0, sum of the external factors), natural = sum of the natural factors; the overall rating
 * is their sum and the project's buffer rate becomes the rating, or `minimum_bp` if that is
 * higher. It replaces the fixed percentage (the project's `buffer_bp` or the programme's) for
 * later issuances; earlier issuances keep their buffer. A rating above 60 points fails
 * (::EPV_ERANGE, provisional).
 * @param l the ledger.
 * @param request_id the operation's request id.
 * @param project a forestry project.
 * @param r the assessment.
 * @param[out] buffer_bp_out the project's new buffer rate in basis points (may be NULL).
 * @return ::EPV_OK; ::EPV_ENOTFOUND (no project), ::EPV_ESTATE (not forestry, or cancelled or
 * revoked), ::EPV_ERANGE (a factor or a sum out of range), ::EPV_EINVAL.
 */
EPV_API int epv_ledger_project_set_risk(epv_ledger *l, const char *request_id, const char *project,
                                        const epv_ledger_risk *r, int *buffer_bp_out);
/** A project's outstanding reversal obligation: the units of losses (epv_ledger_reverse()) that
 * the buffer could not cover, less what was settled. 0 if none. Read in one snapshot.
 * @param l the ledger.
 * @param project the project id.
 * @param[out] units_out the units owed.
 * @return ::EPV_OK; ::EPV_EINVAL for NULL arguments or a malformed id. */
EPV_API int epv_ledger_obligation(epv_ledger *l, const char *project, epv_i64 *units_out);
/**
 * Settle (part of) a project's reversal obligation: the account's held units chosen by `u`
 * (as for epv_ledger_cancel(); of this or another project) are cancelled with the reason
 * "reversal compensation" and the obligation goes down by their number.
 * @param l the ledger.
 * @param request_id the operation's request id.
 * @param account the open account whose held units are cancelled.
 * @param project the project whose obligation is settled.
 * @param u which units (project, count or range).
 * @param[out] remaining_out the obligation left (may be NULL).
 * @return ::EPV_OK; ::EPV_ESTATE (no obligation), ::EPV_ERANGE (more units than owed),
 * the errors of epv_ledger_cancel().
 */
EPV_API int epv_ledger_obligation_settle(epv_ledger *l, const char *request_id, const char *account,
                                         const char *project, const epv_ledger_units *u,
                                         epv_i64 *remaining_out);

/* ---- queries ----------------------------------------------------------------------------- */

/** Sum of units matching a filter: NULL account/project and vintage 0 mean "any",
 * status -1 means any status. */
EPV_API int epv_ledger_balance(epv_ledger *l, const char *account, const char *project,
                               int vintage, int status, epv_i64 *units_out);

/** Conservation totals for a project (NULL: all) and vintage (0: all). */
typedef struct epv_ledger_totals {
    unsigned int version; /**< ::EPV_LEDGER_TOTALS_VERSION (set by the _INIT macro or epv_ledger_totals_init()) */
    epv_i64 issued;    /**< ever issued (holder + buffer) */
    epv_i64 held;      /**< held in holder accounts */
    epv_i64 buffer;    /**< held in the buffer account */
    epv_i64 retired;   /**< retired */
    epv_i64 cancelled; /**< cancelled (including reversals) */
} epv_ledger_totals;
/** Current version of ::epv_ledger_totals. */
#define EPV_LEDGER_TOTALS_VERSION 1
/** Initialiser of ::epv_ledger_totals with its defaults. */
#define EPV_LEDGER_TOTALS_INIT { EPV_LEDGER_TOTALS_VERSION, 0, 0, 0, 0, 0 }
/** Function twin of ::EPV_LEDGER_TOTALS_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_totals_init(epv_ctx *ctx, epv_ledger_totals *x, unsigned int version);
/**
 * Units by status over the whole registry, one project, or one project's vintage.
 * @param l the ledger; must not be NULL.
 * @param project a project id, or NULL for all projects.
 * @param vintage a vintage year, or 0 for all.
 * @param[out] out versioned totals (initialised by the caller); must not be NULL.
 * @return ::EPV_OK (an unknown project or vintage has all totals 0), ::EPV_EINVAL,
 *         ::EPV_EVERSION, ::EPV_EBUSY.
 */
EPV_API int epv_ledger_totals_get(epv_ledger *l, const char *project, int vintage,
                                  epv_ledger_totals *out);

/** One block of consecutive serials with identical attributes. Strings valid during the
 * callback only. */
typedef struct epv_ledger_block {
    unsigned int version; /**< ::EPV_LEDGER_BLOCK_VERSION (set by the _INIT macro or epv_ledger_block_init()) */
    const char *project;    /**< project id */
    epv_i64 serial_start;   /**< first serial of the block */
    epv_i64 serial_end;     /**< last serial of the block (inclusive) */
    epv_i64 count;       /**< serial_end - serial_start + 1 */
    int vintage;            /**< vintage year */
    epv_i64 issuance;    /**< journal entry number of the issuance */
    const char *account;    /**< holding account: for buffer units ::EPV_LEDGER_BUFFER_ACCOUNT, for retired
                                 and cancelled units the account that retired or cancelled them */
    int status;          /**< ::epv_ledger_unit_status */
    epv_i64 certificate; /**< retirement/cancellation entry number, 0 if none */
} epv_ledger_block;
/** Current version of ::epv_ledger_block. */
#define EPV_LEDGER_BLOCK_VERSION 1
/** Initialiser of ::epv_ledger_block with its defaults. */
#define EPV_LEDGER_BLOCK_INIT { EPV_LEDGER_BLOCK_VERSION, NULL, 0, 0, 0, 0, 0, NULL, 0, 0 }
/** Function twin of ::EPV_LEDGER_BLOCK_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_block_init(epv_ctx *ctx, epv_ledger_block *x, unsigned int version);
/** Callback: return 0 to go on; anything else stops the query, which returns ::EPV_ECALLBACK
 * ("<callback> returned <rc>: <function>"). */
typedef int (*epv_ledger_block_fn)(const epv_ledger_block *b, void *payload);
/** Visit blocks in (project, serial) order; NULL project or account: any. */
EPV_API int epv_ledger_blocks(epv_ledger *l, const char *project, const char *account,
                              epv_ledger_block_fn fn, void *payload);

/** One event in a serial's history. Strings valid during the callback only. */
typedef struct epv_ledger_event {
    unsigned int version; /**< ::EPV_LEDGER_EVENT_VERSION (set by the _INIT macro or epv_ledger_event_init()) */
    epv_i64 entry;       /**< journal entry number */
    const char *kind;    /**< "issue", "split", "transfer", "retire", "cancel", "reverse" */
    epv_i64 serial_start; /**< block touched (for "split": the parent block) */
    epv_i64 serial_end;   /**< last serial of that block (inclusive) */
    const char *from_account; /**< "" if none */
    const char *to_account;   /**< "" if none */
    int status;          /**< unit status after the event */
} epv_ledger_event;
/** Current version of ::epv_ledger_event. */
#define EPV_LEDGER_EVENT_VERSION 1
/** Initialiser of ::epv_ledger_event with its defaults. */
#define EPV_LEDGER_EVENT_INIT { EPV_LEDGER_EVENT_VERSION, 0, NULL, 0, 0, NULL, NULL, 0 }
/** Function twin of ::EPV_LEDGER_EVENT_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_event_init(epv_ctx *ctx, epv_ledger_event *x, unsigned int version);
/** Callback for each event: 0 goes on; anything else stops with ::EPV_ECALLBACK. */
typedef int (*epv_ledger_event_fn)(const epv_ledger_event *e, void *payload);
/**
 * @var epv_ledger_event_fn
 * Called once per event with the event (valid during the call only) and the caller's payload.
 */
/** Every issuance, split, transfer, retirement, cancellation that touched one serial, in
 * order. ::EPV_ENOTFOUND if the serial was never issued. */
EPV_API int epv_ledger_serial_history(epv_ledger *l, const char *project, epv_i64 serial,
                                      epv_ledger_event_fn fn, void *payload);

/** A retirement certificate record. */
typedef struct epv_ledger_certificate {
    unsigned int version; /**< ::EPV_LEDGER_CERTIFICATE_VERSION (set by the _INIT macro or epv_ledger_certificate_init()) */
    epv_i64 number;          /**< certificate number (the retirement's journal entry) */
    const char *account;     /**< account the units were retired from */
    const char *beneficiary; /**< on whose behalf they were retired */
    const char *reason;      /**< stated purpose (offsetting, voluntary, ...) */
    epv_date date;           /**< date of the retirement */
    const char *project;     /**< project id of the units */
    epv_i64 units;           /**< number of units (t CO2e) retired */
} epv_ledger_certificate;
/** Current version of ::epv_ledger_certificate. */
#define EPV_LEDGER_CERTIFICATE_VERSION 1
/** Initialiser of ::epv_ledger_certificate with its defaults. */
#define EPV_LEDGER_CERTIFICATE_INIT { EPV_LEDGER_CERTIFICATE_VERSION, 0, NULL, NULL, NULL, { 0, 0, 0 }, NULL, 0 }
/** Function twin of ::EPV_LEDGER_CERTIFICATE_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_certificate_init(epv_ctx *ctx, epv_ledger_certificate *x, unsigned int version);
/** Callback receiving a certificate (valid during the call only): 0 goes on; anything else
 * stops with ::EPV_ECALLBACK. */
typedef int (*epv_ledger_certificate_fn)(const epv_ledger_certificate *c, void *payload);
/**
 * Read one retirement certificate, read in one snapshot, and pass it to `fn`.
 * @param l the ledger; must not be NULL.
 * @param number the certificate number epv_ledger_retire() returned.
 * @param fn callback; must not be NULL. @param payload passed back to fn.
 * @return ::EPV_OK, ::EPV_EINVAL, ::EPV_ENOTFOUND (no such certificate), ::EPV_ECALLBACK.
 */
EPV_API int epv_ledger_certificate_get(epv_ledger *l, epv_i64 number,
                                       epv_ledger_certificate_fn fn, void *payload);

/* ---- bulk results ------------------------------------------------------------------------ */

/** A table of results held by the library (blocks, or a serial's history): integer and text
 * columns as arrays, valid until epv_ledger_table_free(). Read in one snapshot. */
typedef struct epv_ledger_table epv_ledger_table;

/** Integer columns of a block table (values fixed; new ones are only appended). */
enum epv_ledger_block_col {
    EPV_LEDGER_BLOCK_COL_SERIAL_START = 0, /**< first serial */
    EPV_LEDGER_BLOCK_COL_SERIAL_END = 1,   /**< last serial */
    EPV_LEDGER_BLOCK_COL_COUNT = 2,        /**< units in the block */
    EPV_LEDGER_BLOCK_COL_VINTAGE = 3,      /**< vintage year */
    EPV_LEDGER_BLOCK_COL_ISSUANCE = 4,     /**< journal entry of the issuance */
    EPV_LEDGER_BLOCK_COL_STATUS = 5,       /**< ::epv_ledger_unit_status */
    EPV_LEDGER_BLOCK_COL_CERTIFICATE = 6   /**< retirement/cancellation entry, 0 if none */
};
/** Text columns of a block table. */
enum epv_ledger_block_text {
    EPV_LEDGER_BLOCK_TEXT_PROJECT = 0, /**< project id */
    EPV_LEDGER_BLOCK_TEXT_ACCOUNT = 1  /**< holding account */
};
/** Integer columns of a history table. */
enum epv_ledger_event_col {
    EPV_LEDGER_EVENT_COL_ENTRY = 0,        /**< journal entry number */
    EPV_LEDGER_EVENT_COL_SERIAL_START = 1, /**< block touched: first serial */
    EPV_LEDGER_EVENT_COL_SERIAL_END = 2,   /**< block touched: last serial */
    EPV_LEDGER_EVENT_COL_STATUS = 3        /**< unit status after the event */
};
/** Text columns of a history table. */
enum epv_ledger_event_text {
    EPV_LEDGER_EVENT_TEXT_KIND = 0, /**< "issue", "split", "transfer", "retire", "cancel", "reverse" */
    EPV_LEDGER_EVENT_TEXT_FROM = 1, /**< from account, "" if none */
    EPV_LEDGER_EVENT_TEXT_TO = 2    /**< to account, "" if none */
};

/**
 * All blocks in (project, serial) order as one table (NULL project or account: any); the
 * bulk twin of epv_ledger_blocks().
 * @param[out] out the table, free with epv_ledger_table_free(); NULL on failure.
 */
EPV_API int epv_ledger_blocks_table(epv_ledger *l, const char *project, const char *account,
                                    epv_ledger_table **out);
/**
 * A serial's whole history as one table; the bulk twin of epv_ledger_serial_history().
 * ::EPV_ENOTFOUND if the serial was never issued.
 */
EPV_API int epv_ledger_history_table(epv_ledger *l, const char *project, epv_i64 serial,
                                     epv_ledger_table **out);
/** Number of rows (0 for NULL). */
EPV_API size_t epv_ledger_table_rows(const epv_ledger_table *t);
/**
 * An integer column (::epv_ledger_block_col or ::epv_ledger_event_col by the table's kind):
 * `*values` points to `*n` values valid for the table's life.
 * @return ::EPV_OK; ::EPV_EINVAL for NULL arguments or a column the table does not have.
 */
EPV_API int epv_ledger_table_column(epv_ctx *ctx, const epv_ledger_table *t, int col,
                                    const epv_i64 **values, size_t *n);
/** A text column (::epv_ledger_block_text or ::epv_ledger_event_text): `*values` points to
 * `*n` NUL-terminated strings valid for the table's life. */
EPV_API int epv_ledger_table_texts(epv_ctx *ctx, const epv_ledger_table *t, int col,
                                   const char *const **values, size_t *n);
/** Free a table. NULL is a no-op. */
EPV_API void epv_ledger_table_free(epv_ledger_table *t);

/* ---- serials ----------------------------------------------------------------------------- */

/** A parsed serial string. */
typedef struct epv_ledger_serial {
    unsigned int version; /**< ::EPV_LEDGER_SERIAL_VERSION (set by the _INIT macro or epv_ledger_serial_init()) */
    char programme[65];   /**< programme code (e.g. "CCER"), UTF-8 */
    char project[65];     /**< project id, UTF-8 */
    int vintage;          /**< vintage year */
    epv_i64 batch;        /**< journal entry number of the issuance */
    epv_i64 serial_start; /**< first serial */
    epv_i64 serial_end;   /**< last serial (inclusive) */
} epv_ledger_serial;
/** Current version of ::epv_ledger_serial. */
#define EPV_LEDGER_SERIAL_VERSION 1
/** Initialiser of ::epv_ledger_serial with its defaults. */
#define EPV_LEDGER_SERIAL_INIT { EPV_LEDGER_SERIAL_VERSION, "", "", 0, 0, 0, 0 }
/** Function twin of ::EPV_LEDGER_SERIAL_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_serial_init(epv_ctx *ctx, epv_ledger_serial *x, unsigned int version);

/** The default serial template, Verra-like:
 * "{batch}-{start}-{end}-{programme}-{project}-{vintage}". */
#define EPV_LEDGER_SERIAL_DEFAULT "{batch}-{start}-{end}-{programme}-{project}-{vintage}"

/**
 * Format a serial with a template (NULL: default). Fields: {programme} {project} {vintage}
 * {batch} {start} {end}; other characters are literal. ::EPV_ERANGE if buf is too small.
 */
EPV_API int epv_ledger_serial_format(epv_ctx *ctx, const char *format,
                                     const epv_ledger_serial *s, char *buf, size_t bufsize);
/**
 * Parse a serial string strictly against a template (NULL: default): every field present,
 * numbers in ASCII digits without sign, spaces or leading zeros, within int64, start <= end,
 * identifiers from [A-Za-z0-9_.]. Anything else is ::EPV_EPARSE naming the field.
 */
EPV_API int epv_ledger_serial_parse(epv_ctx *ctx, const char *format, const char *text,
                                    epv_ledger_serial *out);
/** Serial string of a block in this ledger's format. */
EPV_API int epv_ledger_block_serial(epv_ledger *l, const epv_ledger_block *b, char *buf,
                                    size_t bufsize);

/* ---- other registries' serials ---------------------------------------------------------- */

/**
 * A serial of another registry, parsed or formatted with a template that may use, besides
 * the fields of ::epv_ledger_serial, {country} (ISO 3166-1 alpha-2, two capital letters),
 * {unit} (unit type, e.g. "ITMO", "VCU"), {code} (a registry code of 1..16 characters from
 * [A-Za-z0-9_.], kept as text so leading zeros survive, e.g. Verra's "261"), {scope}
 * (sectoral scope 1..99), {vintage_start} and {vintage_end} (dates written DDMMYYYY, eight
 * digits) and {flag} (one digit). {project}, {start} and {end} are required; fields a
 * template does not use stay at their _INIT values.
 */
typedef struct epv_ledger_xserial {
    unsigned int version; /**< ::EPV_LEDGER_XSERIAL_VERSION (set by the _INIT macro or epv_ledger_xserial_init()) */
    char programme[65];   /**< {programme} */
    char project[65];     /**< {project}: text, so "0003" keeps its zeros */
    int vintage;          /**< {vintage}: year */
    epv_i64 batch;        /**< {batch}: issuance (batch) number */
    epv_i64 serial_start; /**< {start}: first unit of the block */
    epv_i64 serial_end;   /**< {end}: last unit of the block (>= serial_start) */
    char country[3];      /**< {country}: ISO 3166-1 alpha-2 */
    char unit[17];        /**< {unit}: unit type */
    char code[17];        /**< {code}: registry code kept as text */
    int scope;            /**< {scope}: sectoral scope number (CDM scopes 1..15 and beyond) */
    epv_date vintage_start; /**< {vintage_start}: first day of the vintage (monitoring) period */
    epv_date vintage_end;   /**< {vintage_end}: last day of the vintage period */
    int flag;             /**< {flag}: one digit (Verra: additional certification, 0 or 1) */
} epv_ledger_xserial;
/** Current version of ::epv_ledger_xserial. */
#define EPV_LEDGER_XSERIAL_VERSION 1
/** Initialiser of ::epv_ledger_xserial with its defaults (everything empty or zero). */
#define EPV_LEDGER_XSERIAL_INIT { EPV_LEDGER_XSERIAL_VERSION, "", "", 0, 0, 0, 0, "", "", "", 0, { 0, 0, 0 }, { 0, 0, 0 }, 0 }
/** Function twin of ::EPV_LEDGER_XSERIAL_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_xserial_init(epv_ctx *ctx, epv_ledger_xserial *x, unsigned int version);

/** The UNDP carbon registry's serial (undp/carbon-registry, libs/serial-number-gen: country,
 * unit type "ITMO", sectoral scope, programme id, year, a blank field "0", block start and
 * end), e.g. "VU-ITMO-11-356-2022-0-27-35". */
#define EPV_LEDGER_SERIAL_UNDP "{country}-{unit}-{scope}-{project}-{vintage}-0-{start}-{end}"
/** Verra's VCU serial with its block range: batch, block start and end, "VCS", unit type,
 * a registry code, "VER", country, sectoral scope, project id, vintage start and end
 * (DDMMYYYY) and a flag, e.g.
 * "9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0". */
#define EPV_LEDGER_SERIAL_VERRA "{batch}-{start}-{end}-VCS-{unit}-{code}-VER-{country}-{scope}-{project}-{vintage_start}-{vintage_end}-{flag}"

/**
 * Format another registry's serial with a template (for example ::EPV_LEDGER_SERIAL_UNDP or
 * ::EPV_LEDGER_SERIAL_VERRA). Every field the template uses must be valid (::EPV_ERANGE naming
 * it); ::EPV_ERANGE if `buf` is too small; ::EPV_EINVAL for a bad template or NULL arguments.
 */
EPV_API int epv_ledger_xserial_format(epv_ctx *ctx, const char *format, const epv_ledger_xserial *s,
                                      char *buf, size_t bufsize);
/**
 * Parse another registry's serial strictly against a template: every field present, numbers
 * in ASCII digits without sign or leading zeros (a {flag} of "0" is one digit), dates as
 * eight digits DDMMYYYY that name a real day with vintage_end >= vintage_start, start <= end.
 * Anything else is ::EPV_EPARSE naming the field and the byte. `*out` is written only on
 * success.
 */
EPV_API int epv_ledger_xserial_parse(epv_ctx *ctx, const char *format, const char *text,
                                     epv_ledger_xserial *out);

/* ---- Climate Action Data Trust export -------------------------------------------------------- */

/** Settings of a CADT export: the fields the ledger does not hold. Strings are copied. */
typedef struct epv_ledger_cadt_options {
    unsigned int version; /**< ::EPV_LEDGER_CADT_OPTIONS_VERSION (set by the _INIT macro or epv_ledger_cadt_options_init()) */
    const char *project;  /**< only this project's blocks; NULL for all */
    /** countryJurisdictionOfOwner, a name from CADT's picklist; default "Not Specified". */
    const char *country_jurisdiction;
    /** unitRegistryLink: a URL prefix to which the serial block is appended; default "". */
    const char *registry_link;
    /** correspondingAdjustmentDeclaration: "Committed", "Not Required" or "Unknown" (default). */
    const char *ca_declaration;
    /** correspondingAdjustmentStatus: "Not Applicable", "Not Started" (default), "Pending" or
     * "Completed". */
    const char *ca_status;
} epv_ledger_cadt_options;
/** Current version of ::epv_ledger_cadt_options. */
#define EPV_LEDGER_CADT_OPTIONS_VERSION 1
/** Initialiser of ::epv_ledger_cadt_options with its defaults. */
#define EPV_LEDGER_CADT_OPTIONS_INIT { EPV_LEDGER_CADT_OPTIONS_VERSION, NULL, "Not Specified", "", "Unknown", "Not Started" }
/** Function twin of ::EPV_LEDGER_CADT_OPTIONS_INIT (for bindings): fills *x for `version`.
 * @return ::EPV_OK, ::EPV_EINVAL (x NULL), ::EPV_EVERSION (unknown version). */
EPV_API int epv_ledger_cadt_options_init(epv_ctx *ctx, epv_ledger_cadt_options *x, unsigned int version);

/**
 * Export every unit block (of one project, or all) in the field set of the Climate Action
 * Data Trust units model (Chia-Network/cadt, src/models/units): projectId, issuanceId,
 * unitOwner (the holding account's entity), countryJurisdictionOfOwner, serialNumberBlock
 * (this ledger's serial), serialNumberPattern (a POSIX extended regular expression whose
 * groups 1 and 2 are the block's start and end), unitBlockStart, unitBlockEnd, unitCount,
 * vintageYear, unitType ("Removal - nature" for forestry projects, else "Not Determined"),
 * unitStatus (Held, Buffer, Retired, Cancelled), unitStatusReason (the retirement or
 * cancellation reason; "reversal" for buffer units cancelled by a reversal),
 * retirementBeneficiary, unitRegistryLink, correspondingAdjustmentDeclaration and
 * correspondingAdjustmentStatus; one row per block in (project, serial) order, as CSV
 * (RFC 4180 through the library's text writer, honouring the context's CSV options; a
 * header row of those names). Read in one snapshot; progress is reported every 1,024 blocks
 * and a cancelled export leaves no file. The file is written under a temporary name and
 * renamed when complete.
 * @param l the ledger.
 * @param opts NULL for the defaults.
 * @param csv_path the file to write (replaced when complete).
 * @return ::EPV_OK; ::EPV_EINVAL for NULL arguments; ::EPV_EIO naming the path;
 * ::EPV_ECANCELLED.
 */
EPV_API int epv_ledger_export_cadt_csv(epv_ledger *l, const epv_ledger_cadt_options *opts,
                                       const char *csv_path);
/** The same export as one JSON array of objects with the same member names (counts, serials
 * and years as JSON integers, everything else as strings).
 * @param l the ledger.
 * @param opts NULL for the defaults.
 * @param json_path the file to write (replaced when complete).
 * @return as epv_ledger_export_cadt_csv(). */
EPV_API int epv_ledger_export_cadt_json(epv_ledger *l, const epv_ledger_cadt_options *opts,
                                        const char *json_path);

/* ---- integrity, proofs --------------------------------------------------------------------- */

/** Number of journal entries and the chain head hash (32 bytes, may be NULL). */
EPV_API int epv_ledger_head(epv_ledger *l, epv_i64 *entries_out, unsigned char *hash_out);
/** Full check (::EPV_ECORRUPT on any failure): hash chain, head, a replay of the journal in
 * memory equals the derived state, every checkpoint lies on the chain and the last one's state
 * equals the replay's there, invariants. With two or more threads on the context
 * (epv_ctx_set_threads()) and a long journal, the stored tables are read through a second,
 * read-only connection while the journal replays. Reports progress; ::EPV_ECANCELLED if
 * stopped. */
EPV_API int epv_ledger_verify(epv_ledger *l);
/** Check only the hash chain (fast). */
EPV_API int epv_ledger_verify_chain(epv_ledger *l, epv_i64 *entries_out);
/**
 * Verify the whole ledger (as epv_ledger_verify()) under the write lock and record a verified
 * checkpoint: the entry count, the chain head and the state digest there. Later opens start
 * from the last checkpoint. Not inside a batch or snapshot (::EPV_ESTATE); read-only handles
 * ::EPV_EREADONLY. Reports progress; cancelled, nothing is recorded.
 * @param[out] seq_out the checkpoint's entry count (may be NULL).
 */
EPV_API int epv_ledger_checkpoint(epv_ledger *l, epv_i64 *seq_out);
/**
 * The last checkpoint: its entry count (0 if there is none), chain head and state digest
 * (32 bytes each; either may be NULL).
 */
EPV_API int epv_ledger_checkpoint_last(epv_ledger *l, epv_i64 *seq_out, unsigned char *head_out,
                                       unsigned char *state_out);
/** SHA-256 digest of the derived state (for comparing two ledgers or before/after). */
EPV_API int epv_ledger_state_digest(epv_ledger *l, unsigned char *digest_out);

/** Leaf hash of journal entry `entry` (1-based): the leaf data is the entry's canonical
 * encoding (see doc/ledger.md). */
EPV_API int epv_ledger_leaf_hash(epv_ledger *l, epv_i64 entry, unsigned char *out);
/** Merkle tree head over the first `size` entries. */
EPV_API int epv_ledger_merkle_root(epv_ledger *l, epv_i64 size, unsigned char *out);
/** Inclusion proof of entry `entry` (1-based) in the tree of the first `size` entries. */
EPV_API int epv_ledger_inclusion_proof(epv_ledger *l, epv_i64 entry, epv_i64 size,
                                       unsigned char *proof, size_t cap, size_t *len_out);

/** Consistency proof between the first `old_size` and the first `new_size` entries. */
EPV_API int epv_ledger_consistency_proof(epv_ledger *l, epv_i64 old_size, epv_i64 new_size,
                                         unsigned char *proof, size_t cap, size_t *len_out);

/* ---- anchored history ------------------------------------------------------------------ */

/** Length of an Ed25519 private key (seed) or public key in bytes. */
#define EPV_LEDGER_KEY_LEN 32

/** Generate an Ed25519 key pair (OpenSSL) for signing anchors: 32-byte private key (keep it
 * secret) and 32-byte public key (give it to those who keep the anchors). */
EPV_API int epv_ledger_keygen(epv_ctx *ctx, unsigned char *private_key, unsigned char *public_key);
/** The Ed25519 public key (32 bytes) of a 32-byte private key. */
EPV_API int epv_ledger_public_key(epv_ctx *ctx, const unsigned char *private_key,
                                  unsigned char *public_key);
/**
 * Record a verified checkpoint (epv_ledger_checkpoint(): full verification under the write
 * lock) and write it, signed with Ed25519, as a small text file for an outside party to keep:
 * programme, entry count n, chain head, RFC 6962 tree head of entries 1..n, state digest,
 * public key, signature (format in doc/ledger.md). Written under a temporary name and renamed.
 * @param private_key 32-byte Ed25519 private key.
 * @param[out] entries_out n (may be NULL).
 */
EPV_API int epv_ledger_anchor_export(epv_ledger *l, const unsigned char *private_key,
                                     const char *anchor_path, epv_i64 *entries_out);
/**
 * Check the ledger against an anchor kept outside: the anchor must be signed by
 * `public_key` (the key the checking party trusts, 32 bytes); the ledger must have at least
 * the anchored entries, its full replay must pass through the anchored height with the
 * anchored head and state, and the tree head of the first n entries must be the anchored one.
 * This catches what no check inside the file can: truncation, rollback to an older copy and
 * a chain rewritten with recomputed hashes. Reports progress (a full verification).
 * @return ::EPV_OK; ::EPV_ECORRUPT naming what differs (signature, key, entries, history);
 * ::EPV_EPARSE for a malformed anchor file (naming the line); ::EPV_ECANCELLED.
 * @param[out] entries_out the ledger's entry count (may be NULL).
 */
EPV_API int epv_ledger_anchor_verify(epv_ledger *l, const char *anchor_path,
                                     const unsigned char *public_key, epv_i64 *entries_out);

/* ---- export / import ---------------------------------------------------------------------- */

/** Write the whole journal as XML (schema ledger.xsd), with entry hashes and the head. */
EPV_API int epv_ledger_export_xml(epv_ledger *l, const char *xml_path);
/** Create a new ledger file at ledger_path by replaying an exported XML file; every entry
 * hash must match. The file must not exist. On failure nothing is left behind. */
EPV_API int epv_ledger_import_xml(epv_ctx *ctx, const char *xml_path, const char *ledger_path,
                                  epv_ledger **out);
/** Same, from a memory buffer (name is used in messages). */
EPV_API int epv_ledger_import_xml_memory(epv_ctx *ctx, const char *buf, size_t len,
                                         const char *name, const char *ledger_path,
                                         epv_ledger **out);

#ifdef __cplusplus
}
#endif
#endif /* EPV_LEDGER_H */
