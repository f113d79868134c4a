# SPDX-License-Identifier: GPL-3.0-or-later
"""Loading libepv through cffi in ABI mode, errors, the context and array helpers.

ABI mode needs no compiler at install time: the declarations (_cdef.h) are generated from the
installed public headers when libepv is built, and the shared library is opened with dlopen.
Environment overrides (used by the test suite on the build tree): EPV_LIBRARY (path of
libepv.so), EPV_CDEF (path of the generated declarations).
"""
import ctypes.util
import os

import cffi

ffi = cffi.FFI()


def _read_cdef():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.environ.get("EPV_CDEF") or os.path.join(here, "_cdef.h")
    with open(path, encoding="utf-8") as f:
        return f.read()


def _library_path():
    if os.environ.get("EPV_LIBRARY"):
        return os.environ["EPV_LIBRARY"]
    try:
        from . import _config  # written at install time: where libepv was installed
        if os.path.exists(_config.LIBRARY):
            return _config.LIBRARY
    except ImportError:
        pass
    found = ctypes.util.find_library("epv")
    if not found:
        raise ImportError("libepv shared library not found: install libepv or set EPV_LIBRARY")
    return found


ffi.cdef(_read_cdef())
lib = ffi.dlopen(_library_path())


class Error(Exception):
    """A libepv call failed: `code` is the EPV_E* status, `message` the context's detail."""

    def __init__(self, code, message):
        self.code = code
        self.message = message
        name = ffi.string(lib.epv_strerror(code)).decode()
        super().__init__(f"{message or name} [{name}, status {code}]")


class Context:
    """An epv_ctx: error messages, seed, threads and progress for the calls made with it.

    One context per thread, as in C. `progress`, if given, is called as
    progress(fraction, message) during long operations; returning True cancels.
    """

    def __init__(self, seed=None, threads=None, progress=None):
        out = ffi.new("epv_ctx **")
        rc = lib.epv_ctx_new(out)
        if rc != 0:
            raise Error(rc, "cannot create a context")
        self.ptr = ffi.gc(out[0], lib.epv_ctx_free)
        self._progress_cb = None
        self._pending = None
        if seed is not None:
            self.check(lib.epv_ctx_set_seed(self.ptr, seed))
        if threads is not None:
            self.check(lib.epv_ctx_set_threads(self.ptr, threads))
        if progress is not None:
            self.set_progress(progress)

    def check(self, rc):
        """Raise Error for a negative status (re-raising a callback's own exception first)."""
        if self._pending is not None:
            exc, self._pending = self._pending, None
            raise exc
        if rc < 0 and rc != lib.EPV_ITEROVER:
            raise Error(rc, ffi.string(lib.epv_ctx_errmsg(self.ptr)).decode("utf-8", "replace"))
        return rc

    def set_progress(self, fn):
        if fn is None:
            self._progress_cb = None
            self.check(lib.epv_ctx_set_progress(self.ptr, ffi.NULL, ffi.NULL))
            return

        @ffi.callback("int(double, const char *, void *)")
        def cb(fraction, message, payload):
            try:
                return 1 if fn(fraction, ffi.string(message).decode("utf-8", "replace")) else 0
            except BaseException as e:  # an exception in the callback cancels the operation
                self._pending = e
                return 1

        self._progress_cb = cb  # keep alive as long as it is registered
        self.check(lib.epv_ctx_set_progress(self.ptr, cb, ffi.NULL))

    @property
    def seed(self):
        return lib.epv_ctx_seed(self.ptr)

    @property
    def threads(self):
        return lib.epv_ctx_threads(self.ptr)


def as_numpy(ptr, n, ctype="double"):
    """Copy n values at a C pointer into a new NumPy array (one copy, no per-value call)."""
    import numpy as np
    dtype = {"double": np.float64, "epv_i64": np.int64, "int64_t": np.int64}[ctype]
    if n == 0:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(ffi.buffer(ptr, n * ffi.sizeof(ctype)), dtype=dtype).copy()


def from_c(v):
    """A C value as Python: char arrays and strings as str (None for NULL), nested structs as
    dicts, numbers as they are."""
    if not isinstance(v, ffi.CData):
        return v
    t = ffi.typeof(v)
    if t.kind == "array" and t.item.cname == "char":
        return ffi.string(v).decode("utf-8", "replace")
    if t.kind == "pointer" and t.item.cname == "char":
        return None if v == ffi.NULL else ffi.string(v).decode("utf-8", "replace")
    if t.kind == "struct":
        return struct_dict(v)
    return v


def struct_dict(s):
    """A versioned struct's members (all but `version`) as a dict of Python values; pointers
    other than strings are left out."""
    out = {}
    t = ffi.typeof(s)
    if t.kind == "pointer":
        t = t.item
    for name, field in t.fields:
        if name == "version":
            continue
        v = getattr(s, name)
        if isinstance(v, ffi.CData):
            t = ffi.typeof(v)
            if not ((t.kind in ("array", "pointer") and t.item.cname == "char") or t.kind == "struct"):
                continue
        out[name] = from_c(v)
    return out


def new_struct(ctx, name, **members):
    """A new versioned struct `name` (e.g. "epv_sink_period") initialised by its epv_<x>_init
    function twin at the version this binding was generated for, then given `members`."""
    p = ffi.new(name + " *")
    init = getattr(lib, name + "_init")
    version = getattr(lib, name.upper() + "_VERSION")
    ctx.check(init(ctx.ptr, p, version))
    keep = []
    for k, v in members.items():
        if isinstance(v, str):
            t = ffi.typeof(getattr(p, k))
            if t.kind == "array":
                setattr(p, k, v.encode("utf-8"))
                continue
            v = ffi.new("char[]", v.encode("utf-8"))
            keep.append(v)
        setattr(p, k, v)
    return p, keep


def text(s):
    """A C string for an argument (UTF-8), or NULL for None."""
    return ffi.NULL if s is None else s.encode("utf-8")


def status_name(code):
    """The EPV_E* name of a status code, e.g. status_name(-21) == "EPV_ECANCELLED"."""
    for name in dir(lib):
        if name.startswith("EPV_E") and getattr(lib, name) == code:
            return name
    return str(code)


def version():
    return ffi.string(lib.epv_version()).decode()
