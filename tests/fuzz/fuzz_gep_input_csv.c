/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
/* Fuzz target: GEP input from CSV tables. The input's first line names the table
 * (e.g. "quantity"), the rest is that table's content; gepInput.csv, region.csv and
 * ecosystem.csv are fixed, so every row reaches the element reader. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "epv.h"

static char dir[64];
static char last[128];

static void put(const char *name, const void *data, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(data, 1, n, f);
    fclose(f);
}

static void setup(void)
{
    if (dir[0]) return;
    snprintf(dir, sizeof dir, "/tmp/epv_fuzz_gep_csv_XXXXXX");
    if (!mkdtemp(dir)) abort();
    put("gepInput.csv", "firstYear,years,priceYear\n2020,2,2020\n", strlen("firstYear,years,priceYear\n2020,2,2020\n"));
    put("region.csv", "code,name,parent,areaHa\np,P,,\na,A,p,100\nb,B,p,50\n", strlen("code,name,parent,areaHa\np,P,,\na,A,p,100\nb,B,p,50\n"));
    put("ecosystem.csv", "code\nforest\nwetland\n", strlen("code\nforest\nwetland\n"));
}

static void cleanup(void)
{
    char path[256];
    static const char *const fixed[] = { "gepInput.csv", "region.csv", "ecosystem.csv" };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, fixed[i]);
        remove(path);
    }
    if (last[0]) {
        snprintf(path, sizeof path, "%s/%s", dir, last);
        remove(path);
    }
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    static int registered;
    if (!registered) registered = !atexit(cleanup);
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl || nl == data || (size_t)(nl - data) > 40) return 0;
    char name[64];
    size_t k = (size_t)(nl - data);
    for (size_t i = 0; i < k; i++)
        if (!((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z'))) return 0;
    memcpy(name, data, k);
    name[k] = '\0';
    if (strcmp(name, "gepInput") == 0 || strcmp(name, "region") == 0 || strcmp(name, "ecosystem") == 0) return 0;
    if (last[0]) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, last);
        remove(path);
    }
    snprintf(last, sizeof last, "%s.csv", name);
    put(last, nl + 1, size - k - 1);
    epv_ctx *ctx;
    if (epv_ctx_new(&ctx)) return 0;
    epv_gep_tree *tree = NULL;
    epv_gep_input *in = NULL;
    if (epv_gep_tree_load_default(ctx, &tree) == 0 && epv_gep_input_load_csv_dir(ctx, tree, dir, NULL, &in) == 0) {
        epv_gep_account *acc = epv_gep_input_account(in);
        epv_gep_account_value(ctx, acc, epv_gep_input_prices(in), epv_gep_input_deflator(in), epv_gep_input_price_year(in));
    }
    epv_gep_input_free(in);
    epv_gep_tree_free(tree);
    epv_ctx_free(ctx);
    return 0;
}
