/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared command-line plumbing of the example programs (not part of libepv): --help and
 * --version, the program's name for messages, output directories, finding the example data,
 * checking what kind of XML file an argument is, and terminal tables that line up with
 * Chinese text (East Asian wide characters take two columns) and grouped digits.
 * Uses only the public API. */
#ifndef EPV_EXAMPLES_CLI_H
#define EPV_EXAMPLES_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <epv.h>

/* What an example says about itself. */
typedef struct cli_info {
    const char *synopsis; /* arguments after the program name, e.g. "PROJECT.xml OUTDIR" */
    const char *about;    /* one paragraph: what it does */
    const char *options;  /* extra option lines for --help, or NULL */
    /* The program's own options (NULL: none): called with each "--..." argument that is not a
     * common one; returns 1 if it took it (exiting through cli_usage_error() on a bad value),
     * 0 if it is not one of the program's. */
    int (*option)(const char *arg);
} cli_info;

/* Program name for messages: basename of argv[0] without libtool's "lt-" prefix. */
const char *cli_name(void);
/* Set the name, answer --help/--version (stdout, exit 0). Returns the index of the first
 * argument that is not an option handled here. Options it knows: --help, --version,
 * --seed=N, --threads=N, --record=FILE, --csv-bom,
 * --csv-names; "--" ends options. Unknown
 * options are refused (exit 2) with the list of valid ones. */
int cli_start(int argc, char **argv, const cli_info *info);
/* Options parsed by cli_start (defaults: seed 0 = the library's default, threads -1 = the
 * program's default, record NULL = OUTDIR/<program>_run.json where the program has one). */
extern unsigned long long cli_seed;
extern int cli_seed_given;
extern int cli_threads;
extern const char *cli_record;
extern unsigned int cli_csv_flags; /* EPV_CSVOUT_BOM, EPV_CSVOUT_NAMES */
/* Apply the options to a new context: threads (default_threads when not given), seed, CSV
 * options. Returns 0, or 1 after a message. */
int cli_apply(epv_ctx *ctx, int default_threads);
/* "prog: message" + usage line on stderr; returns 2 (exit status for usage errors). */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* "prog: message" on stderr; returns 1. */
int cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* mkdir -p; returns 0, or 1 after an error message naming the directory. */
int cli_mkdirs(const char *dir);
/* Find an example data file: in DIR when given (non-NULL), else $EPV_DATADIR, the source
 * tree's data/examples, then the installed $(pkgdatadir)/examples, then ./data/examples.
 * Writes the path to out; returns 0, or 1 after a message listing the places searched. */
int cli_find_data(const char *dir, const char *file, char *out, size_t n);
/* Check that PATH is readable and an XML file whose root element is `want` (e.g. "project",
 * "gepInput"). kind (may be NULL) receives the root's kind="..." attribute. Returns 0, or 1
 * after a message saying what the file is and what was expected. */
int cli_check_xml(const char *path, const char *want, char *kind, size_t kn);
/* Display width of UTF-8 text in terminal columns (wide East Asian characters count 2). */
size_t cli_width(const char *s);
/* Print s padded with spaces to `width` columns; right-aligned when right != 0. */
void cli_pad(FILE *f, const char *s, int width, int right);
/* v with `decimals` decimals and thousands grouped by commas ("4,812,345,678.90"). */
const char *cli_group(double v, int decimals, char *buf, size_t n);
/* cli_group into one of 8 rotating static buffers, so up to 8 can appear in one printf. */
const char *cli_num(double v, int decimals);

/* After a failed project load whose message is about a species: list the known species
 * (code and Chinese name) on stderr. */
void cli_list_species(epv_ctx *ctx, const epv_params *params);

#endif
