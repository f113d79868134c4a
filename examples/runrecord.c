/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run records of the example programs (see runrecord.h). */
#include "runrecord.h"
#include "cli.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RR_MAX 64

struct runrecord {
    char program[64];
    int argc;
    char **argv;
    size_t nm, ni, no;
    char method[RR_MAX][2][96];
    char *input[RR_MAX], *output[RR_MAX];
    char input_sha[RR_MAX][65], output_sha[RR_MAX][65];
};

static void hex(const unsigned char *d, unsigned n, char *out)
{
    for (unsigned k = 0; k < n; k++) sprintf(out + 2 * k, "%02x", d[k]);
    out[2 * n] = 0;
}

/* SHA-256 of a file, as 64 hex digits; "unreadable" when it cannot be read. */
static void sha_file(const char *path, char out[65])
{
    strcpy(out, "unreadable");
    FILE *f = fopen(path, "rb");
    if (!f) return;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    unsigned char buf[65536], d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    size_t n;
    int ok = m && EVP_DigestInit_ex(m, EVP_sha256(), NULL);
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = EVP_DigestUpdate(m, buf, n);
    if (ok && !ferror(f) && EVP_DigestFinal_ex(m, d, &dn)) hex(d, dn, out);
    EVP_MD_CTX_free(m);
    fclose(f);
}

static char *dup(const char *s)
{
    char *p = malloc(strlen(s) + 1);
    if (p) strcpy(p, s);
    return p;
}

runrecord *rr_new(const char *program, int argc, char **argv)
{
    runrecord *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    snprintf(r->program, sizeof r->program, "%s", program);
    r->argv = calloc((size_t)argc + 1, sizeof *r->argv);
    if (!r->argv) {
        free(r);
        return NULL;
    }
    for (int k = 1; k < argc; k++) r->argv[r->argc++] = dup(argv[k]);
    return r;
}

void rr_method(runrecord *r, const char *name, const char *version)
{
    if (!r || r->nm >= RR_MAX) return;
    snprintf(r->method[r->nm][0], sizeof r->method[0][0], "%s", name);
    snprintf(r->method[r->nm][1], sizeof r->method[0][1], "%s", version);
    r->nm++;
}

void rr_input(runrecord *r, const char *path)
{
    if (!r || r->ni >= RR_MAX) return;
    r->input[r->ni] = dup(path);
    sha_file(path, r->input_sha[r->ni]);
    r->ni++;
}

void rr_output(runrecord *r, const char *path)
{
    if (!r || r->no >= RR_MAX) return;
    r->output[r->no] = dup(path);
    sha_file(path, r->output_sha[r->no]);
    r->no++;
}

/* A JSON string (UTF-8 passed through, control characters escaped). */
static void js(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

int rr_write(runrecord *r, const epv_ctx *ctx, const char *path)
{
    if (!r) return cli_error("run record: out of memory");
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return cli_error("%s: cannot write the run record", path);
    fputs("{\n  \"program\": ", f);
    js(f, r->program);
    fputs(",\n  \"libepv_version\": ", f);
    js(f, epv_version());
    fputs(",\n  \"arguments\": [", f);
    for (int k = 0; k < r->argc; k++) {
        if (k) fputs(", ", f);
        js(f, r->argv[k]);
    }
    epv_csvout_options co = EPV_CSVOUT_OPTIONS_INIT;
    epv_csvout_get(ctx, &co);
    fprintf(f, "],\n  \"options\": [%s%s%s],\n  \"seed\": %llu,\n  \"threads\": %d,\n  \"methods\": [",
            co.flags & EPV_CSVOUT_BOM ? "\"--csv-bom\"" : "",
            (co.flags & EPV_CSVOUT_BOM) && (co.flags & EPV_CSVOUT_NAMES) ? ", " : "",
            co.flags & EPV_CSVOUT_NAMES ? "\"--csv-names\"" : "", (unsigned long long)epv_ctx_seed(ctx),
            epv_ctx_threads(ctx));
    for (size_t k = 0; k < r->nm; k++) {
        fputs(k ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        js(f, r->method[k][0]);
        fputs(", \"version\": ", f);
        js(f, r->method[k][1]);
        fputc('}', f);
    }
    /* Parameter tables and schemas compiled into the library: each one's digest, and one
     * digest over the list "name sha256\n" in library order. */
    fputs("\n  ],\n  \"parameter_tables\": [", f);
    EVP_MD_CTX *all = EVP_MD_CTX_new();
    int ok = all && EVP_DigestInit_ex(all, EVP_sha256(), NULL);
    for (size_t k = 0; k < epv_resource_count(); k++) {
        const char *name = epv_resource_name(k);
        size_t len = 0;
        const char *text = epv_resource_get(name, &len);
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned dn = 0;
        char h[65] = "";
        if (text && EVP_Digest(text, len, d, &dn, EVP_sha256(), NULL)) hex(d, dn, h);
        fputs(k ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        js(f, name);
        fprintf(f, ", \"sha256\": \"%s\"}", h);
        if (ok) ok = EVP_DigestUpdate(all, name, strlen(name)) && EVP_DigestUpdate(all, " ", 1) &&
                     EVP_DigestUpdate(all, h, strlen(h)) && EVP_DigestUpdate(all, "\n", 1);
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    char h[65] = "";
    if (ok && EVP_DigestFinal_ex(all, d, &dn)) hex(d, dn, h);
    EVP_MD_CTX_free(all);
    fprintf(f, "\n  ],\n  \"parameter_tables_sha256\": \"%s\",\n  \"inputs\": [", h);
    for (size_t k = 0; k < r->ni; k++) {
        fputs(k ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
        js(f, r->input[k]);
        fprintf(f, ", \"sha256\": \"%s\"}", r->input_sha[k]);
    }
    fputs("\n  ],\n  \"outputs\": [", f);
    for (size_t k = 0; k < r->no; k++) {
        fputs(k ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
        js(f, r->output[k]);
        fprintf(f, ", \"sha256\": \"%s\"}", r->output_sha[k]);
    }
    fputs("\n  ]\n}\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        remove(tmp);
        return cli_error("%s: cannot write the run record", path);
    }
    return 0;
}

void rr_free(runrecord *r)
{
    if (!r) return;
    for (int k = 0; k < r->argc; k++) free(r->argv[k]);
    free(r->argv);
    for (size_t k = 0; k < r->ni; k++) free(r->input[k]);
    for (size_t k = 0; k < r->no; k++) free(r->output[k]);
    free(r);
}
