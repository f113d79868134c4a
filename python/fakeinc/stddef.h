/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Empty on purpose: the binding generator preprocesses epv.h without the C library's headers,
 * so size_t, int64_t and uint64_t stay names that cffi knows. */
