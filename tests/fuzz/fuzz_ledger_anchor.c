/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: an anchor file checked against a small ledger. No input can pass (nobody
 * holds the private key of the fixed public key below): each must be refused with an error,
 * never crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "epv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* RFC 8032 TEST 1 public key; its private key is public too, but the fuzzer cannot sign */
    static const unsigned char pub[32] = { 0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                                           0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                                           0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a };
    epv_ctx *ctx = NULL;
    if (size > 4096 || epv_ctx_new(&ctx) != EPV_OK) return 0;
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_anchor_%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (f) {
        if (size) fwrite(data, 1, size, f);
        fclose(f);
        epv_ledger *l = NULL;
        if (epv_ledger_open(ctx, ":memory:", EPV_LEDGER_CREATE, NULL, &l) == EPV_OK) {
            if (epv_ledger_anchor_verify(l, path, pub, NULL) == EPV_OK) abort();
            epv_ledger_close(l);
        }
        unlink(path);
    }
    epv_ctx_free(ctx);
    return 0;
}
