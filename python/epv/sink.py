# SPDX-License-Identifier: GPL-3.0-or-later
"""Species parameters, forest carbon projects, sink results and Monte Carlo runs."""
from ._core import as_numpy, ffi, lib, text

_SINK_COLS = {
    "stock": "EPV_SINK_COL_STOCK",
    "project_removals": "EPV_SINK_COL_PROJECT_REMOVALS",
    "project_emissions": "EPV_SINK_COL_PROJECT_EMISSIONS",
    "baseline_removals": "EPV_SINK_COL_BASELINE_REMOVALS",
    "leakage": "EPV_SINK_COL_LEAKAGE",
    "net_removals": "EPV_SINK_COL_NET_REMOVALS",
    "cumulative_net": "EPV_SINK_COL_CUMULATIVE_NET",
}


class Params:
    """The species table (wood density, BEF, root:shoot, carbon fraction) with sources."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_params_free)

    @classmethod
    def default(cls, ctx):
        out = ffi.new("epv_params **")
        ctx.check(lib.epv_params_load_default(ctx.ptr, out))
        return cls(ctx, out[0])

    @classmethod
    def load(cls, ctx, path):
        out = ffi.new("epv_params **")
        ctx.check(lib.epv_params_load_file(ctx.ptr, text(path), out))
        return cls(ctx, out[0])

    def species(self):
        """All species rows as a list of dicts (key, names, parameters)."""
        rows = []
        for i in range(lib.epv_params_species_count(self.ptr)):
            row = ffi.new("epv_params_species *")
            self.ctx.check(lib.epv_params_species_init(self.ctx.ptr, row, lib.EPV_PARAMS_SPECIES_VERSION))
            self.ctx.check(lib.epv_params_species_at(self.ctx.ptr, self.ptr, i, row))
            d = {}
            for name, _ in ffi.typeof("epv_params_species").fields:
                v = getattr(row, name)
                if isinstance(v, ffi.CData) and ffi.typeof(v) in (ffi.typeof("const char *"), ffi.typeof("char *")):
                    v = ffi.string(v).decode() if v != ffi.NULL else None
                elif isinstance(v, ffi.CData):
                    continue
                d[name] = v
            rows.append(d)
        return rows


class Project:
    """A forest carbon project (afforestation or forest management) read from its XML file."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_project_free)

    @classmethod
    def load(cls, ctx, path, params):
        out = ffi.new("epv_project **")
        ctx.check(lib.epv_project_load_file(ctx.ptr, text(path), params.ptr, out))
        p = cls(ctx, out[0])
        p._params = params  # the project refers to the table's rows
        return p

    @property
    def name(self):
        return ffi.string(lib.epv_project_name(self.ptr)).decode()

    @property
    def area_ha(self):
        return lib.epv_project_area_ha(self.ptr)

    @property
    def start_year(self):
        return lib.epv_project_start_year(self.ptr)

    def estimate(self, params):
        out = ffi.new("epv_sink_result **")
        self.ctx.check(lib.epv_sink_estimate(self.ctx.ptr, self.ptr, params.ptr, out))
        return SinkResult(self.ctx, out[0])


class SinkResult:
    """Yearly removals, emissions, baseline and net removals of a project (t CO2e)."""

    columns = tuple(_SINK_COLS)

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_sink_result_free)

    def years(self):
        p, n = ffi.new("const epv_i64 **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_years_i64(self.ctx.ptr, self.ptr, p, n))
        return as_numpy(p[0], n[0], "epv_i64")

    def column(self, name):
        """One column over all years as a NumPy array (t CO2e), e.g. 'net_removals'."""
        if name not in _SINK_COLS:
            raise KeyError(f"unknown column {name!r}; columns: {', '.join(_SINK_COLS)}")
        p, n = ffi.new("const double **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_column(self.ctx.ptr, self.ptr,
                                                  getattr(lib, _SINK_COLS[name]), p, n))
        return as_numpy(p[0], n[0])

    def stratum_column(self, name):
        """A strata x years matrix of one column."""
        p = ffi.new("const double **")
        ns, ny = ffi.new("size_t *"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_stratum_column(self.ctx.ptr, self.ptr,
                                                          getattr(lib, _SINK_COLS[name]), p, ns, ny))
        return as_numpy(p[0], ns[0] * ny[0]).reshape(ns[0], ny[0])

    def period(self, first_year, last_year):
        per = ffi.new("epv_sink_period *")
        self.ctx.check(lib.epv_sink_period_init(self.ctx.ptr, per, lib.EPV_SINK_PERIOD_VERSION))
        self.ctx.check(lib.epv_sink_result_period(self.ctx.ptr, self.ptr, first_year, last_year, per))
        return {name: getattr(per, name) for name, _ in ffi.typeof("epv_sink_period").fields
                if name != "version"}

    def write_csv(self, path):
        self.ctx.check(lib.epv_sink_result_write_csv(self.ctx.ptr, self.ptr, text(path)))


_DISTS = {
    "normal": lib.epv_mc_dist_normal,
    "lognormal": lib.epv_mc_dist_lognormal,
    "uniform": lib.epv_mc_dist_uniform,
    "triangular": lib.epv_mc_dist_triangular,
    "constant": lib.epv_mc_dist_constant,
}


class MonteCarlo:
    """IPCC Approach 2 over a Python model: inputs with distributions, draws as NumPy arrays.

    The model is called as model(inputs) -> sequence of outputs. An exception inside it stops
    the run, which raises that exception (the library reports EPV_ECALLBACK, never success).
    """

    def __init__(self, ctx):
        out = ffi.new("epv_mc **")
        ctx.check(lib.epv_mc_new(ctx.ptr, out))
        self.ctx, self.ptr = ctx, ffi.gc(out[0], lib.epv_mc_free)
        self.n_outputs = 0

    def add_input(self, name, dist, *args, nonneg=False):
        if dist not in _DISTS:
            raise KeyError(f"unknown distribution {dist!r}; known: {', '.join(_DISTS)}")
        d = ffi.new("epv_mc_dist *", _DISTS[dist](*args))
        idx = ffi.new("size_t *")
        self.ctx.check(lib.epv_mc_add_input(self.ptr, text(name), d,
                                            lib.EPV_MC_NONNEG if nonneg else 0, idx))
        return idx[0]

    def run(self, iterations, n_outputs, model):
        failure = []

        @ffi.callback("int(const double *, size_t, double *, size_t, void *)")
        def cb(inputs, n_in, outputs, n_out, payload):
            try:
                res = model([inputs[i] for i in range(n_in)])
                if len(res) != n_out:
                    raise ValueError(f"the model returned {len(res)} outputs, {n_out} expected")
                for j in range(n_out):
                    outputs[j] = float(res[j])
                return 0
            except BaseException as e:
                if not failure:
                    failure.append(e)
                return 1

        rc = lib.epv_mc_run(self.ptr, iterations, n_outputs, cb, ffi.NULL)
        if failure:
            raise failure[0]
        self.ctx.check(rc)
        self.n_outputs = n_outputs

    def samples(self, output=0):
        p, n = ffi.new("const double **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_mc_column(self.ptr, output, p, n))
        return as_numpy(p[0], n[0])

    def summary(self, output=0):
        s = ffi.new("epv_mc_summary *")
        self.ctx.check(lib.epv_mc_summary_init(self.ctx.ptr, s, lib.EPV_MC_SUMMARY_VERSION))
        self.ctx.check(lib.epv_mc_summarize(self.ptr, output, s))
        return {name: getattr(s, name) for name, _ in ffi.typeof("epv_mc_summary").fields
                if name != "version"}
