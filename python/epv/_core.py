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


def text(s):
    """A C string for an argument (UTF-8), or NULL for None."""
    return ffi.NULL if s is None else s.encode("utf-8")


def version():
    return ffi.string(lib.epv_version()).decode()
