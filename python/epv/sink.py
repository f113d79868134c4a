# SPDX-License-Identifier: GPL-3.0-or-later
"""Forest carbon projects (epv/project.h) and their sink results (epv/sink.h)."""
from ._core import as_numpy, ffi, lib, new_struct, struct_dict, text

_SINK_COLS = {
    "stock": "EPV_SINK_COL_STOCK",
    "project_removals": "EPV_SINK_COL_PROJECT_REMOVALS",
    "project_emissions": "EPV_SINK_COL_PROJECT_EMISSIONS",
    "baseline_removals": "EPV_SINK_COL_BASELINE_REMOVALS",
    "leakage": "EPV_SINK_COL_LEAKAGE",
    "net_removals": "EPV_SINK_COL_NET_REMOVALS",
    "cumulative_net": "EPV_SINK_COL_CUMULATIVE_NET",
}


class Project:
    """A forest carbon project (afforestation or forest management), e.g. read from its XML
    file. The project keeps a reference to the parameter table it was read with."""

    def __init__(self, ctx, ptr, params):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_project_free)
        self.params = params

    @classmethod
    def load(cls, ctx, path, params):
        """Read a project file (errors name the file, line and field)."""
        out = ffi.new("epv_project **")
        ctx.check(lib.epv_project_load_file(ctx.ptr, text(str(path)), params.ptr, out))
        return cls(ctx, out[0], params)

    @property
    def name(self):
        return ffi.string(lib.epv_project_name(self.ptr)).decode("utf-8", "replace")

    @property
    def area_ha(self):
        return lib.epv_project_area_ha(self.ptr)

    @property
    def start_year(self):
        return lib.epv_project_start_year(self.ptr)

    @property
    def crediting_years(self):
        return lib.epv_project_crediting_years(self.ptr)

    def strata(self):
        """The strata as dicts (id, species, area_ha, planting_year, method, ...)."""
        rows = []
        for i in range(lib.epv_project_stratum_count(self.ptr)):
            st, _ = new_struct(self.ctx, "epv_project_stratum")
            self.ctx.check(lib.epv_project_stratum_at(self.ctx.ptr, self.ptr, i, st))
            rows.append(struct_dict(st))
        return rows

    def periods(self):
        """The monitoring periods as (first_year, last_year) pairs, inclusive."""
        out = []
        for i in range(lib.epv_project_period_count(self.ptr)):
            per, _ = new_struct(self.ctx, "epv_project_period")
            self.ctx.check(lib.epv_project_period_at(self.ctx.ptr, self.ptr, i, per))
            out.append((per.first_year, per.last_year))
        return out

    def estimate(self, years=0, keep_strata=True):
        """Yearly sink of the project (epv_sink_estimate_ex): `years` from the start year,
        0 for the crediting period; keep_strata=False keeps totals only."""
        opts, _ = new_struct(self.ctx, "epv_sink_options", years=years,
                             keep_strata=1 if keep_strata else 0)
        out = ffi.new("epv_sink_result **")
        self.ctx.check(lib.epv_sink_estimate_ex(self.ctx.ptr, self.ptr, self.params.ptr, opts, out))
        return SinkResult(self.ctx, out[0], self)


class SinkResult:
    """Yearly removals, emissions, baseline and net removals of a project (t CO2e).

    Columns (see `columns`) come back as NumPy arrays in one call; per-stratum columns as a
    strata x years matrix."""

    columns = tuple(_SINK_COLS)

    def __init__(self, ctx, ptr, project):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_sink_result_free)
        self.project = project

    def __len__(self):
        return lib.epv_sink_result_years(self.ptr)

    def years(self):
        """Calendar years as an int64 array."""
        p, n = ffi.new("const epv_i64 **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_years_i64(self.ctx.ptr, self.ptr, p, n))
        return as_numpy(p[0], n[0], "epv_i64")

    @staticmethod
    def _col(name):
        if name not in _SINK_COLS:
            raise KeyError(f"unknown column {name!r}; columns: {', '.join(_SINK_COLS)}")
        return getattr(lib, _SINK_COLS[name])

    def column(self, name):
        """One column over all years as a float64 array (t CO2e), e.g. 'net_removals'."""
        p, n = ffi.new("const double **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_column(self.ctx.ptr, self.ptr, self._col(name), p, n))
        return as_numpy(p[0], n[0])

    def stratum_column(self, name):
        """One column as a strata x years float64 matrix (strata in project order)."""
        p = ffi.new("const double **")
        ns, ny = ffi.new("size_t *"), ffi.new("size_t *")
        self.ctx.check(lib.epv_sink_result_stratum_column(self.ctx.ptr, self.ptr, self._col(name),
                                                          p, ns, ny))
        return as_numpy(p[0], ns[0] * ny[0]).reshape(ns[0], ny[0])

    def year(self, i, stratum=None):
        """Year index i (0 = start year) as a dict of epv_sink_year, for the project or for
        one stratum (index in project order): one C call per value, for checking."""
        y, _ = new_struct(self.ctx, "epv_sink_year")
        if stratum is None:
            self.ctx.check(lib.epv_sink_result_year(self.ctx.ptr, self.ptr, i, y))
        else:
            self.ctx.check(lib.epv_sink_result_stratum_year(self.ctx.ptr, self.ptr, stratum, i, y))
        return struct_dict(y)

    def period(self, first_year, last_year):
        """Sums over calendar years first_year..last_year (a monitoring period) as a dict."""
        per, _ = new_struct(self.ctx, "epv_sink_period")
        self.ctx.check(lib.epv_sink_result_period(self.ctx.ptr, self.ptr, first_year, last_year, per))
        return struct_dict(per)

    def monitoring_periods(self):
        """The project's monitoring periods with their sums: a list of period dicts."""
        return [self.period(a, b) for a, b in self.project.periods()]

    def write_csv(self, path):
        """Write the yearly table as CSV (honours the context's CSV options)."""
        self.ctx.check(lib.epv_sink_result_write_csv(self.ctx.ptr, self.ptr, text(str(path))))
