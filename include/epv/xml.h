/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/xml.h
 * @brief Safe reading of libepv's XML formats: validation against the shipped XSD schemas
 *        (epv/resource.h gives the schemas themselves).
 *
 * Every XML file libepv reads comes from outside and is treated as untrusted: it must be
 * UTF-8 without NUL bytes, may not contain a DOCTYPE (so no entities, internal or
 * external), is parsed with network access disabled and is validated against the XSD of
 * its format before any value is used. Errors name the file, the line and the element or
 * attribute. The schemas are compiled into the library (and installed under
 * `$(pkgdatadir)/schema` for other tools), so validation never reads a schema from disk.
 *
 * Threads: all functions here may be called from several threads with different contexts.
 */
#ifndef EPV_XML_H
#define EPV_XML_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest XML input accepted, in bytes (64 MiB). */
#define EPV_XML_MAX_BYTES (64L * 1024L * 1024L)

/**
 * Check that a file is safe, well-formed XML that validates against a shipped schema.
 * @param ctx may be NULL; receives the message of an error.
 * @param path file to check; must not be NULL.
 * @param schema resource name of the schema, e.g. "schema/species.xsd"; must not be NULL.
 * @return ::EPV_OK, ::EPV_EINVAL (NULL), ::EPV_EIO, ::EPV_EPARSE (with line; also an empty file
 *         or one larger than ::EPV_XML_MAX_BYTES), ::EPV_ESCHEMA (with line and element),
 *         ::EPV_ENOTFOUND (unknown schema resource), ::EPV_ENOMEM.
 */
EPV_API int epv_xml_validate_file(epv_ctx *ctx, const char *path, const char *schema);
/**
 * Like epv_xml_validate_file() for a buffer.
 * @param ctx may be NULL; receives the message of an error.
 * @param buf the XML text; need not be NUL-terminated; must not be NULL; not kept.
 * @param len length of `buf` in bytes, 1..::EPV_XML_MAX_BYTES.
 * @param name name used in error messages in place of a file name; NULL: "(buffer)".
 * @param schema resource name of the schema; must not be NULL.
 * @return as epv_xml_validate_file() (without ::EPV_EIO).
 */
EPV_API int epv_xml_validate_memory(epv_ctx *ctx, const char *buf, size_t len, const char *name,
                                    const char *schema);

#ifdef __cplusplus
}
#endif
#endif /* EPV_XML_H */
