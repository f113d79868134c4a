/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A CCER-style ledger for the Pingchang afforestation project, from monitoring to offset.
 *
 * Pingchang (平昌县, Bazhong) reports 26.41万亩 (17,606.7 ha at 15 亩 = 1 ha) of new forest.
 * From sink to credit: the project file (data/examples/pingchang.xml) is estimated with the
 * sink module, and the net removals of its first two monitoring periods (2021-2025,
 * 2026-2030) are verified and issued. The example then walks the registry through a transfer
 * to a buyer, a retirement for an offset, a fire loss reversed out of the buffer, balances,
 * one serial's history, a full verification of the file with a Merkle inclusion proof, and a
 * signed anchor (verified checkpoint) written beside the ledger as LEDGER_FILE.anchor.
 *
 * Usage: ccer_ledger PROJECT_XML LEDGER_FILE   (the ledger file must not exist yet) */
#include <epv.h>
#include "cli.h"
#include "runrecord.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int check(epv_ctx *ctx, int rc, const char *what)
{
    if (rc != EPV_OK) {
        const char *msg = epv_ctx_errmsg(ctx);
        if (strstr(msg, what) == msg) fprintf(stderr, "%s: %s\n", cli_name(), msg);
        else fprintf(stderr, "%s: %s: %s\n", cli_name(), what, msg);
    }
    return rc;
}

static const cli_info info = {
    "PROJECT.xml LEDGER_FILE",
    "From sink to credit: estimates the carbon-sink project PROJECT.xml (e.g. the shipped\n"
    "pingchang.xml), then creates the CCER-style registry LEDGER_FILE (SQLite; it must not exist\n"
    "yet; its directory is created if needed), verifies and issues the first two monitoring\n"
    "periods with the forestry buffer withheld, transfers, retires with a certificate, reverses\n"
    "a fire loss out of the buffer, prints balances and one serial's history, and verifies the\n"
    "file with a Merkle inclusion proof. The run record goes to LEDGER_FILE.run.json.\n"
    "LEDGER_FILE may instead be a PostgreSQL connection string (pg:dbname=registry, or\n"
    "postgresql://host/registry) naming an empty database; the anchor and the run record then\n"
    "go to ccer_ledger_pg.anchor and ccer_ledger_pg.run.json in the current directory.",
    NULL,
    NULL
};

static int print_event(const epv_ledger_event *e, void *payload)
{
    (void)payload;
    printf("  entry %3lld  %-8s  serials %lld-%lld  %s -> %s\n", (long long)e->entry, e->kind,
           (long long)e->serial_start, (long long)e->serial_end, e->from_account[0] ? e->from_account : "-",
           e->to_account[0] ? e->to_account : "-");
    return 0;
}

struct print_ctx {
    epv_ledger *l;
};

static int print_block(const epv_ledger_block *b, void *payload)
{
    static const char *const status[] = { "held", "buffer", "retired", "cancelled" };
    struct print_ctx *pc = payload;
    char serial[160];
    if (epv_ledger_block_serial(pc->l, b, serial, sizeof serial) != EPV_OK) serial[0] = 0;
    printf("  %-18s %-9s %8lld units  %s\n", b->account, status[b->status & 3], (long long)b->count, serial);
    return 0;
}

/* Net removals of the project's monitoring periods, t CO2e, from the sink module. */
static int estimate_periods(epv_ctx *ctx, const char *project_xml, int nperiods, epv_project_period *periods,
                            double *net_tco2e)
{
    epv_params *params = NULL;
    epv_project *p = NULL;
    epv_sink_result *r = NULL;
    int rc = check(ctx, epv_params_load_default(ctx, &params), "parameters");
    if (!rc && (rc = check(ctx, epv_project_load_file(ctx, project_xml, params, &p), project_xml)))
        cli_list_species(ctx, params);
    if (!rc) rc = check(ctx, epv_sink_estimate(ctx, p, params, &r), "estimate");
    if (!rc && epv_project_period_count(p) < (size_t)nperiods) {
        fprintf(stderr, "ccer_ledger: %s declares fewer than %d monitoring periods\n", project_xml, nperiods);
        rc = EPV_EINVAL;
    }
    for (int k = 0; !rc && k < nperiods; k++) {
        epv_sink_period sp = EPV_SINK_PERIOD_INIT;
        periods[k] = (epv_project_period)EPV_PROJECT_PERIOD_INIT;
        rc = check(ctx, epv_project_period_at(ctx, p, (size_t)k, &periods[k]), "period");
        if (!rc) rc = check(ctx, epv_sink_result_period(ctx, r, periods[k].first_year, periods[k].last_year, &sp), "period");
        if (!rc) net_tco2e[k] = sp.net_removals_tco2;
    }
    epv_sink_result_free(r);
    epv_project_free(p);
    epv_params_free(params);
    return rc;
}

int main(int argc, char **argv)
{
    argc = cli_start(argc, argv, &info);
    if (argc != 3) return cli_usage_error("expected 2 arguments (project file, ledger file), got %d", argc - 1);
    const char *path = argv[2];
    if (cli_check_xml(argv[1], "project", NULL, 0)) return 1;
    /* A PostgreSQL connection string instead of a file: the ledger lives on the server and
     * the side files (anchor, run record) go to the current directory. */
    int pg = !strncmp(path, "pg:", 3) || !strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11);
    const char *side = pg ? "ccer_ledger_pg" : path;
    struct stat st;
    if (pg) {
        /* nothing to check here: opening a database that holds a ledger already fails below */
    } else if (stat(path, &st) == 0)
        return cli_error("%s already exists; give the name of a new ledger file (this example creates one)", path);
    {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            if (cli_mkdirs(dir)) return 1;
        }
    }
    epv_ctx *ctx = NULL;
    epv_ledger *l = NULL;
    if (epv_ctx_new(&ctx) != EPV_OK) return 1;
    if (cli_apply(ctx, 1)) {
        epv_ctx_free(ctx);
        return 1;
    }
    runrecord *record = rr_new(cli_name(), argc, argv);
    rr_method(record, "CCER-14-001 afforestation", "V01");
    rr_method(record, "CCER-style registry: serial blocks, forestry buffer (doc/ledger.md)", "libepv " EPV_VERSION_STRING);
    rr_method(record, "RFC 6962 Merkle tree", "2013");
    rr_input(record, argv[1]);
    epv_project_period mp[2];
    double net[2];
    if (estimate_periods(ctx, argv[1], 2, mp, net)) {
        rr_free(record);
        epv_ctx_free(ctx);
        return 1;
    }

    /* Programme settings: default serial format, 20% forestry buffer, CCER date rules on. */
    epv_ledger_config cfg = EPV_LEDGER_CONFIG_INIT;
    if (check(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_CREATE, &cfg, &l), "create")) goto fail;
    {
        epv_i64 n;
        epv_ledger_head(l, &n, NULL);
        if (n != 1) {
            fprintf(stderr, "ccer_ledger: %s already holds a ledger; give a new file name\n", path);
            goto fail;
        }
    }

    /* Accounts, one per entity, and the project. */
    if (check(ctx, epv_ledger_account_open(l, "acct-owner", "PINGCHANG_FOREST", "Pingchang county afforestation owner"), "account") ||
        check(ctx, epv_ledger_account_open(l, "acct-buyer", "BUYER", "Example buyer (Bazhong)"), "account"))
        goto fail;
    epv_ledger_project p = EPV_LEDGER_PROJECT_INIT;
    p.id = "PINGCHANG_AR";
    p.name = "Pingchang afforestation, 26.41万亩 (17,606.7 ha)";
    p.methodology = "CCER-14-001-V01";
    p.owner_account = "PINGCHANG_FOREST";
    p.crediting_start = (epv_date){ 2021, 1, 1 };
    p.crediting_end = (epv_date){ 2050, 12, 31 }; /* 30 years, within 20-40 for afforestation */
    p.forestry = 1;
    p.buffer_bp = -1; /* programme default */
    if (check(ctx, epv_ledger_project_register(l, "project", &p), "register")) goto fail;

    /* The first two monitoring periods of the project file, applied for as soon as they end. */
    epv_ledger_issuance is[2] = { EPV_LEDGER_ISSUANCE_INIT, EPV_LEDGER_ISSUANCE_INIT };
    for (int k = 0; k < 2; k++) {
        char req[32], report[48];
        int num;
        epv_date start = { mp[k].first_year, 1, 1 }, end = { mp[k].last_year, 12, 31 };
        epv_date applied = { mp[k].last_year + 1, 1, 1 }; /* within 5 years of the start (Art. 17) */
        snprintf(req, sizeof req, "period-%d", k + 1);
        if (check(ctx, epv_ledger_period_add(l, req, "PINGCHANG_AR", start, end, &num), "period")) goto fail;
        snprintf(req, sizeof req, "credit-%d", k + 1);
        snprintf(report, sizeof report, "PC-AR-MR-%d-%d", mp[k].first_year, mp[k].last_year);
        /* From sink to credit: the estimate (a double, t CO2e) is floored to whole tonnes. */
        if (check(ctx, epv_ledger_issue_from_removals(l, req, "PINGCHANG_AR", num, report, "Example verification body",
                                                      net[k], 0.0, applied, &is[k]), "verify and issue"))
            goto fail;
        epv_i64 tonnes = 0;
        epv_ledger_tonnes_floor(ctx, net[k], &tonnes);
        printf("period %d (%d-%d): sink estimate %.1f t CO2e, %lld t verified, serials %lld-%lld, vintage %d, "
               "%lld to the owner, %lld withheld into the buffer\n",
               num, mp[k].first_year, mp[k].last_year, net[k], (long long)tonnes,
               (long long)is[k].serial_start, (long long)is[k].serial_end, is[k].vintage,
               (long long)is[k].holder_units, (long long)is[k].buffer_units);
    }

    /* A buyer acquires 50,000 t of the first period's vintage and retires 20,000 t for an offset. */
    epv_ledger_units u = EPV_LEDGER_UNITS_INIT;
    u.project = "PINGCHANG_AR";
    u.vintage = is[0].vintage;
    u.count = 50000;
    if (check(ctx, epv_ledger_transfer(l, "sale-1", "PINGCHANG_FOREST", "BUYER", &u), "transfer")) goto fail;
    u.count = 20000;
    epv_i64 cert = 0;
    if (check(ctx, epv_ledger_retire(l, "offset-2031", "BUYER", &u, "Example buyer (Bazhong)",
                                     "offset of 2030 scope 1 emissions", (epv_date){ 2031, 4, 30 }, &cert), "retire"))
        goto fail;
    printf("retired 20000 t for the buyer: certificate %lld\n", (long long)cert);

    /* A forest fire destroys an estimated 3,000 t: buffer credits are cancelled to match. */
    epv_i64 cancelled = 0, shortfall = 0;
    if (check(ctx, epv_ledger_reverse(l, "fire-2031", "PINGCHANG_AR", 3000, (epv_date){ 2031, 8, 15 }, &cancelled,
                                      &shortfall), "reverse"))
        goto fail;
    printf("fire loss of 3000 t: %lld buffer units cancelled, shortfall %lld\n", (long long)cancelled,
           (long long)shortfall);

    /* Repeating a request changes nothing. */
    if (check(ctx, epv_ledger_transfer(l, "sale-1", "PINGCHANG_FOREST", "BUYER", &(epv_ledger_units){ EPV_LEDGER_UNITS_VERSION, "PINGCHANG_AR", is[0].vintage, 50000, 0, 0 }),
              "repeat"))
        goto fail;

    printf("\nblocks:\n");
    struct print_ctx pc = { l };
    if (check(ctx, epv_ledger_blocks(l, "PINGCHANG_AR", NULL, print_block, &pc), "blocks")) goto fail;

    epv_ledger_totals t = EPV_LEDGER_TOTALS_INIT;
    if (check(ctx, epv_ledger_totals_get(l, "PINGCHANG_AR", 0, &t), "totals")) goto fail;
    printf("\ntotals: issued %lld = held %lld + buffer %lld + retired %lld + cancelled %lld: %s\n", (long long)t.issued,
           (long long)t.held, (long long)t.buffer, (long long)t.retired, (long long)t.cancelled,
           t.issued == t.held + t.buffer + t.retired + t.cancelled ? "conservation ok" : "CONSERVATION BROKEN");
    epv_i64 owner_units, buyer_units;
    epv_ledger_balance(l, "PINGCHANG_FOREST", NULL, 0, EPV_LEDGER_HELD, &owner_units);
    epv_ledger_balance(l, "BUYER", NULL, 0, EPV_LEDGER_HELD, &buyer_units);
    printf("balances: PINGCHANG_FOREST holds %lld, BUYER holds %lld\n", (long long)owner_units, (long long)buyer_units);

    epv_i64 serial = is[0].serial_start;
    printf("\nhistory of serial %lld:\n", (long long)serial);
    if (check(ctx, epv_ledger_serial_history(l, "PINGCHANG_AR", serial, print_event, NULL), "history")) goto fail;

    /* Verify the file as a third party would: reopen (hash chain, replay, invariants) and
     * prove the retirement entry is in the journal. */
    epv_ledger_close(l);
    l = NULL;
    if (check(ctx, epv_ledger_open(ctx, path, EPV_LEDGER_READONLY, NULL, &l), "reopen and verify")) goto fail;
    epv_i64 entries;
    unsigned char head[32], root[32], leaf[32], proof[64 * 32];
    size_t plen;
    if (check(ctx, epv_ledger_head(l, &entries, head), "head") ||
        check(ctx, epv_ledger_merkle_root(l, entries, root), "merkle root") ||
        check(ctx, epv_ledger_leaf_hash(l, cert, leaf), "leaf") ||
        check(ctx, epv_ledger_inclusion_proof(l, cert, entries, proof, 64, &plen), "proof"))
        goto fail;
    printf("\nverified: %lld journal entries, chain and replay ok; head ", (long long)entries);
    for (int k = 0; k < 8; k++) printf("%02x", head[k]);
    printf("...; Merkle root ");
    for (int k = 0; k < 8; k++) printf("%02x", root[k]);
    printf("...\nretirement entry %lld inclusion proof (%zu hashes): %s\n", (long long)cert, plen,
           epv_merkle_verify_inclusion(leaf, (size_t)(cert - 1), (size_t)entries, proof, plen, root) ? "valid" : "INVALID");

    /* Anchor the history outside the file: a verified checkpoint signed with Ed25519, in a
     * small file for a third party to keep (it catches a rollback or a rewritten chain that
     * the file alone cannot show). Later opens start from this checkpoint. */
    epv_ledger_close(l);
    l = NULL;
    unsigned char sk[EPV_LEDGER_KEY_LEN], pk[EPV_LEDGER_KEY_LEN];
    char anchor[4096];
    epv_i64 anchored = 0;
    snprintf(anchor, sizeof anchor, "%s.anchor", side);
    if (check(ctx, epv_ledger_open(ctx, path, 0, NULL, &l), "reopen") ||
        check(ctx, epv_ledger_keygen(ctx, sk, pk), "signing key") ||
        check(ctx, epv_ledger_anchor_export(l, sk, anchor, &anchored), "anchor") ||
        check(ctx, epv_ledger_anchor_verify(l, anchor, pk, NULL), "anchor check"))
        goto fail;
    printf("anchor: %lld entries signed (Ed25519) in %s; ledger checked against it: ok\n", (long long)anchored,
           anchor);
    epv_ledger_close(l);
    {
        char rpath[4200];
        if (cli_record) snprintf(rpath, sizeof rpath, "%s", cli_record);
        else snprintf(rpath, sizeof rpath, "%s.run.json", side);
        if (!pg) rr_output(record, path);
        int st2 = rr_write(record, ctx, rpath);
        rr_free(record);
        epv_ctx_free(ctx);
        return st2;
    }
fail:
    rr_free(record);
    epv_ledger_close(l);
    epv_ctx_free(ctx);
    return 1;
}
