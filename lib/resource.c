/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shipped files compiled into the library (lib/resources.c is generated from data/ by
 * scripts/embed-resources.sh; see epv/resource.h). */
#include "config.h"
#include "xml_int.h"
#include "epv/resource.h"

#include <string.h>

EPV_API const char *epv_resource_get(const char *name, size_t *len)
{
    if (!name) return NULL;
    for (size_t i = 0; i < epv__resource_total; i++)
        if (strcmp(epv__resources[i].name, name) == 0) {
            if (len) *len = epv__resources[i].len;
            return epv__resources[i].text;
        }
    return NULL;
}

EPV_API size_t epv_resource_count(void) { return epv__resource_total; }

EPV_API const char *epv_resource_name(size_t i)
{
    return i < epv__resource_total ? epv__resources[i].name : NULL;
}
