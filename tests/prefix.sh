#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Names say where things live (doc/architecture.md): every public function declared in
# include/epv/<name>.h starts with epv_<name>_ (or is epv_<name> itself), and every
# EPV_ macro or enum constant starts with EPV_<NAME>_. common.h, the core, holds the context,
# status codes, version, allocator and dates: its names are listed below.
set -u
cd "$top_srcdir/include/epv" || exit 1
bad=0
for h in *.h; do
  m=${h%.h}
  M=$(echo "$m" | tr 'a-z' 'A-Z')
  case $m in uncertainty) continue ;; esac   # umbrella: includes unc.h, mc.h, sampling.h
  # the name of each function: the last identifier before the '(' of an EPV_API declaration
  funcs=$(sed 's,/\*.*\*/,,' "$h" | grep -v '^#' | tr '\n' ' ' | grep -o 'EPV_API[^;(]*(' | grep -oE '[a-z0-9_]+ *\($' | tr -d ' (')
  for f in $funcs; do
    case $m in
      common) case $f in epv_ctx_*|epv_version*|epv_strerror|epv_allocator_*|epv_date_*) continue ;; esac ;;
    esac
    case $f in "epv_${m}_"*|"epv_${m}") ;; *) echo "prefix: $h declares $f (expected epv_${m}_...)"; bad=$((bad + 1)) ;; esac
  done
  # macros, and enum members (which all have explicit values: they are part of the ABI)
  consts=$( { grep -oE '^#define\s+EPV_[A-Z0-9_]+' "$h"; grep -oE '^\s+EPV_[A-Z0-9_]+\s*=' "$h"; } |
           grep -oE 'EPV_[A-Z0-9_]+' | sort -u)
  for c in $consts; do
    case $c in EPV_API|EPV_${M}_H) continue ;; esac
    case $m in
      common) case $c in EPV_OK|EPV_E*|EPV_ITEROVER|EPV_API|EPV_ERRMSG_MAX|EPV_ALLOCATOR_*|EPV_COMMON_H) continue ;; esac ;;
      version) case $c in EPV_VERSION*) continue ;; esac ;;
    esac
    case $c in "EPV_${M}_"*) ;; *) echo "prefix: $h defines $c (expected EPV_${M}_...)"; bad=$((bad + 1)) ;; esac
  done
done
[ $bad -eq 0 ] && echo "prefix: every public name starts with its header's prefix"
exit $((bad > 0))
