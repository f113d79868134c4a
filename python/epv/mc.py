# SPDX-License-Identifier: GPL-3.0-or-later
"""Monte Carlo (IPCC Approach 2, epv/mc.h) over a model written in Python."""
from ._core import as_numpy, ffi, lib, new_struct, struct_dict, text

_DISTS = {
    # name: (type, number of parameters)
    "normal": ("EPV_MC_DIST_NORMAL", 2),
    "lognormal": ("EPV_MC_DIST_LOGNORMAL", 2),
    "lognormal_log": ("EPV_MC_DIST_LOGNORMAL_LOG", 2),
    "uniform": ("EPV_MC_DIST_UNIFORM", 2),
    "triangular": ("EPV_MC_DIST_TRIANGULAR", 3),
    "trunc_normal": ("EPV_MC_DIST_TRUNC_NORMAL", 4),
    "constant": ("EPV_MC_DIST_CONSTANT", 1),
}


class MonteCarlo:
    """Inputs with distributions, a model, and the draws of its outputs as NumPy arrays.

    The model is called as model(inputs) with a list of floats (one per input, in the order
    they were added) and returns a sequence of `n_outputs` numbers. The library calls it from
    its worker threads (epv_ctx_threads); draws do not depend on the thread count. An
    exception inside the model stops the run, which raises that exception: the library
    reports EPV_ECALLBACK, never success. Seeded by the context."""

    def __init__(self, ctx):
        out = ffi.new("epv_mc **")
        ctx.check(lib.epv_mc_new(ctx.ptr, out))
        self.ctx, self.ptr = ctx, ffi.gc(out[0], lib.epv_mc_free)
        self.n_outputs = 0

    def add_input(self, name, dist, *args, nonneg=False):
        """Add an input: dist is one of normal(mean, sd), lognormal(mean, sd),
        lognormal_log(mu, sigma), uniform(lower, upper), triangular(lower, mode, upper),
        trunc_normal(mean, sd, lower, upper), constant(value). Returns its index."""
        if dist not in _DISTS:
            raise KeyError(f"unknown distribution {dist!r}; known: {', '.join(_DISTS)}")
        kind, nargs = _DISTS[dist]
        if len(args) != nargs:
            raise TypeError(f"{dist} takes {nargs} parameters, {len(args)} given")
        params = dict(zip("abcd", (float(a) for a in args)))
        d, _ = new_struct(self.ctx, "epv_mc_dist", type=getattr(lib, kind), **params)
        idx = ffi.new("size_t *")
        self.ctx.check(lib.epv_mc_add_input(self.ptr, text(name), d,
                                            lib.EPV_MC_NONNEG if nonneg else 0, idx))
        return idx[0]

    @property
    def n_inputs(self):
        return lib.epv_mc_n_inputs(self.ptr)

    def run(self, iterations, n_outputs, model):
        failure = []

        @ffi.callback("int(const double *, size_t, double *, size_t, void *)")
        def cb(inputs, n_in, outputs, n_out, payload):
            if failure:
                return 1
            try:
                res = model([inputs[i] for i in range(n_in)])
                if len(res) != n_out:
                    raise ValueError(f"the model returned {len(res)} outputs, {n_out} expected")
                for j in range(n_out):
                    outputs[j] = float(res[j])
                return 0
            except BaseException as e:  # noqa: B902 - reraised after the run
                failure.append(e)
                return 1

        rc = lib.epv_mc_run(self.ptr, iterations, n_outputs, cb, ffi.NULL)
        if failure:
            self.ctx._pending = None
            raise failure[0]
        self.ctx.check(rc)
        self.n_outputs = n_outputs

    def samples(self, output=0):
        """The draws of one output, in iteration order, as a float64 array."""
        p, n = ffi.new("const double **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_mc_column(self.ptr, output, p, n))
        return as_numpy(p[0], n[0])

    def summary(self, output=0):
        """n, mean, sd, min, max, p2_5, p97_5, u_lower_pct, u_upper_pct of one output."""
        s, _ = new_struct(self.ctx, "epv_mc_summary")
        self.ctx.check(lib.epv_mc_summarize(self.ptr, output, s))
        return struct_dict(s)

    def percentiles(self, output, pct):
        """Percentiles (0..100) of one output."""
        pct = [float(p) for p in pct]
        out = ffi.new("double[]", len(pct))
        self.ctx.check(lib.epv_mc_percentiles(self.ptr, output, ffi.new("double[]", pct), len(pct), out))
        return list(out)
