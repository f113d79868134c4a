# SPDX-License-Identifier: GPL-3.0-or-later
"""The county emissions inventory (epv/inventory.h): factor tables, activity records,
totals, traces back to the records, yearly columns as NumPy arrays."""
from ._core import as_numpy, ffi, lib, new_struct, struct_dict, text

_GWP = {"AR4": "EPV_INVENTORY_GWP_AR4", "AR5": "EPV_INVENTORY_GWP_AR5", "AR6": "EPV_INVENTORY_GWP_AR6"}
_GAS = {None: 0, "CO2": "EPV_INVENTORY_CO2", "CH4": "EPV_INVENTORY_CH4", "N2O": "EPV_INVENTORY_N2O"}
_COLS = {
    "tco2e": "EPV_INVENTORY_COL_TCO2E",
    "tco2": "EPV_INVENTORY_COL_TCO2",
    "energy_tce": "EPV_INVENTORY_COL_ENERGY_TCE",
    "gdp": "EPV_INVENTORY_COL_GDP",
    "co2_intensity": "EPV_INVENTORY_COL_CO2_INTENSITY",
    "energy_intensity": "EPV_INVENTORY_COL_ENERGY_INTENSITY",
}


class Factors:
    """Emission factor tables (fuels, processes, grid factors by region and year)."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_inventory_factors_free)

    @classmethod
    def default(cls, ctx):
        out = ffi.new("epv_inventory_factors **")
        ctx.check(lib.epv_inventory_factors_load_default(ctx.ptr, out))
        return cls(ctx, out[0])

    def load_csv(self, path):
        self.ctx.check(lib.epv_inventory_factors_load_csv(self.ctx.ptr, self.ptr, text(str(path))))

    def load_grid_csv(self, path):
        self.ctx.check(lib.epv_inventory_factors_load_grid_csv(self.ctx.ptr, self.ptr, text(str(path))))

    def find(self, code):
        """One factor row as a dict (code, sector, unit, gas, value, u_pct, source, ...)."""
        f, _ = new_struct(self.ctx, "epv_inventory_factor")
        self.ctx.check(lib.epv_inventory_factors_find(self.ctx.ptr, self.ptr, text(code), f))
        return struct_dict(f)

    def grid(self, grid, year):
        """(t CO2/MWh, U%) of a grid region in a year."""
        v, u = ffi.new("double *"), ffi.new("double *")
        self.ctx.check(lib.epv_inventory_factors_grid(self.ctx.ptr, self.ptr, text(grid), year, v, u))
        return v[0], u[0]


class Inventory:
    """Activity records of one county, with their documents; compute() gives a Result."""

    def __init__(self, ctx, factors, county):
        out = ffi.new("epv_inventory **")
        ctx.check(lib.epv_inventory_new(ctx.ptr, factors.ptr, text(county), out))
        self.ctx, self.factors, self.ptr = ctx, factors, ffi.gc(out[0], lib.epv_inventory_free)

    def __len__(self):
        return lib.epv_inventory_record_count(self.ptr)

    def load_csv(self, path):
        """Activity data in the yearbook layout (errors name the file, line and column)."""
        self.ctx.check(lib.epv_inventory_load_csv(self.ctx.ptr, self.ptr, text(str(path))))

    def load_economy_csv(self, path):
        self.ctx.check(lib.epv_inventory_load_economy_csv(self.ctx.ptr, self.ptr, text(str(path))))

    def compute(self, gwp="AR5"):
        if gwp not in _GWP:
            raise KeyError(f"unknown GWP set {gwp!r}; known: {', '.join(_GWP)}")
        opts, _ = new_struct(self.ctx, "epv_inventory_options", gwp=getattr(lib, _GWP[gwp]))
        out = ffi.new("epv_inventory_result **")
        self.ctx.check(lib.epv_inventory_compute(self.ctx.ptr, self.ptr, opts, out))
        return Result(self.ctx, out[0], self)


class Result:
    """Computed emissions: totals by any selection, the records behind a total, columns."""

    def __init__(self, ctx, ptr, inventory):
        self.ctx, self.ptr, self.inventory = ctx, ffi.gc(ptr, lib.epv_inventory_result_free), inventory

    def _query(self, year=0, sector=None, subsector=None, code=None, entity=None, gas=None):
        if gas not in _GAS:
            raise KeyError(f"unknown gas {gas!r}; known: CO2, CH4, N2O")
        g = _GAS[gas]
        members = {"year": year, "gas": getattr(lib, g) if isinstance(g, str) else g}
        for k, v in (("sector", sector), ("subsector", subsector), ("code", code), ("entity", entity)):
            if v is not None:
                members[k] = v
        return new_struct(self.ctx, "epv_inventory_query", **members)

    def total(self, **query):
        """t CO2e (and t of each gas, record count) of a selection: year (0: all), sector,
        subsector, code, entity, gas ("CO2", "CH4", "N2O" or None for all in CO2e)."""
        q, keep = self._query(**query)
        t, _ = new_struct(self.ctx, "epv_inventory_total")
        self.ctx.check(lib.epv_inventory_result_total(self.ctx.ptr, self.ptr, q, t))
        return struct_dict(t)

    def line(self, i):
        """Computed record i as a dict (id, document, origin, amount, factor, t_co2e, ...)."""
        x, _ = new_struct(self.ctx, "epv_inventory_line")
        self.ctx.check(lib.epv_inventory_result_line(self.ctx.ptr, self.ptr, i, x))
        return struct_dict(x)

    def trace(self, **query):
        """The computed records behind total(**query), as line dicts."""
        q, keep = self._query(**query)
        n = ffi.new("size_t *")
        rc = lib.epv_inventory_result_trace(self.ctx.ptr, self.ptr, q, ffi.NULL, 0, n)
        if rc != lib.EPV_ERANGE:
            self.ctx.check(rc)
        idx = ffi.new("size_t[]", max(n[0], 1))
        self.ctx.check(lib.epv_inventory_result_trace(self.ctx.ptr, self.ptr, q, idx, n[0], n))
        return [self.line(idx[k]) for k in range(n[0])]

    def years(self):
        p, n = ffi.new("const epv_i64 **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_inventory_result_years(self.ctx.ptr, self.ptr, p, n))
        return as_numpy(p[0], n[0], "epv_i64")

    def column(self, name):
        """A yearly column as a float64 array: tco2e, tco2, energy_tce, gdp, co2_intensity,
        energy_intensity."""
        if name not in _COLS:
            raise KeyError(f"unknown column {name!r}; columns: {', '.join(_COLS)}")
        p, n = ffi.new("const double **"), ffi.new("size_t *")
        self.ctx.check(lib.epv_inventory_result_column(self.ctx.ptr, self.ptr,
                                                       getattr(lib, _COLS[name]), p, n))
        return as_numpy(p[0], n[0])
