/* SPDX-License-Identifier: GPL-3.0-or-later */
/**
 * @file epv/resource.h
 * @brief The files shipped inside the library: XSD schemas, default parameter and factor
 *        tables (also installed under `$(pkgdatadir)` for other tools).
 *
 * They are compiled in, so validation and the default tables never depend on where the
 * library was installed. Threads: read-only static data, safe from any thread.
 */
#ifndef EPV_RESOURCE_H
#define EPV_RESOURCE_H

#include "epv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Text of a shipped resource, e.g. "schema/species.xsd" or "params/species.xml".
 * @param name path relative to the data directory.
 * @param[out] len receives the length in bytes (may be NULL).
 * @return the NUL-terminated text (static storage), or NULL if there is no such resource.
 */
EPV_API const char *epv_resource_get(const char *name, size_t *len);

/**
 * Number of shipped resources; with epv_resource_name() lets a tool list them.
 * @return the number of resources compiled into the library.
 */
EPV_API size_t epv_resource_count(void);
/**
 * Name of a shipped resource.
 * @param i index, 0..epv_resource_count() - 1.
 * @return the name (static storage, e.g. "schema/species.xsd"), or NULL when i is out of range.
 */
EPV_API const char *epv_resource_name(size_t i);

#ifdef __cplusplus
}
#endif
#endif /* EPV_RESOURCE_H */
