# SPDX-License-Identifier: GPL-3.0-or-later
"""GEP accounts (epv/gep.h): the indicator tree, input files, valuation, tables as NumPy
arrays, integrity findings and the uncertainty of the totals."""
from ._core import ffi, lib, new_struct, struct_dict, text

_BASIS = {"current": "EPV_GEP_CURRENT", "constant": "EPV_GEP_CONSTANT"}
_VALUES = {"quantity": "EPV_GEP_VALUES_QUANTITY", "current": "EPV_GEP_VALUES_CURRENT",
           "constant": "EPV_GEP_VALUES_CONSTANT"}
_TOTALS = {"gep": "EPV_GEP_UNC_GEP", "provisioning": "EPV_GEP_UNC_PROVISIONING",
           "regulating": "EPV_GEP_UNC_REGULATING", "cultural": "EPV_GEP_UNC_CULTURAL"}


def _basis(b):
    if b not in _BASIS:
        raise KeyError(f"unknown basis {b!r}; known: {', '.join(_BASIS)}")
    return getattr(lib, _BASIS[b])


class Tree:
    """The GEP indicator tree (categories, groups, leaf indicators)."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_gep_tree_free)

    @classmethod
    def default(cls, ctx):
        """The tree shipped with the library."""
        out = ffi.new("epv_gep_tree **")
        ctx.check(lib.epv_gep_tree_load_default(ctx.ptr, out))
        return cls(ctx, out[0])

    @classmethod
    def load(cls, ctx, path):
        out = ffi.new("epv_gep_tree **")
        ctx.check(lib.epv_gep_tree_load_file(ctx.ptr, text(str(path)), out))
        return cls(ctx, out[0])

    def __len__(self):
        return lib.epv_gep_tree_count(self.ptr)

    def indicators(self):
        """Every node in tree order as a dict (code, parent, name_zh, name_en, leaf, ...)."""
        out = []
        for i in range(len(self)):
            ind, _ = new_struct(self.ctx, "epv_gep_indicator")
            self.ctx.check(lib.epv_gep_tree_at(self.ctx.ptr, self.ptr, i, ind))
            out.append(struct_dict(ind))
        return out

    def find(self, code):
        ind, _ = new_struct(self.ctx, "epv_gep_indicator")
        self.ctx.check(lib.epv_gep_tree_find(self.ctx.ptr, self.ptr, text(code), ind))
        return struct_dict(ind)


class Deflator:
    """A price index by year (e.g. a CPI series) for constant prices."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_gep_deflator_free)

    @classmethod
    def load_csv(cls, ctx, path):
        out = ffi.new("epv_gep_deflator **")
        ctx.check(lib.epv_gep_deflator_load_csv(ctx.ptr, text(str(path)), out))
        return cls(ctx, out[0])

    def index(self, year):
        v = ffi.new("double *")
        self.ctx.check(lib.epv_gep_deflator_get(self.ctx.ptr, self.ptr, year, v))
        return v[0]


class Input:
    """An account input file (regions, ecosystems, quantities, prices) read against a tree.
    `account` is the account it holds; `prices` and `price_year` its price table."""

    def __init__(self, ctx, ptr, tree):
        self.ctx, self.ptr, self.tree = ctx, ffi.gc(ptr, lib.epv_gep_input_free), tree
        self.account = Account(ctx, lib.epv_gep_input_account(self.ptr), tree, owner=self)
        self.prices = lib.epv_gep_input_prices(self.ptr)

    @classmethod
    def load(cls, ctx, tree, path):
        """Read an XML input file (errors name the file, line and field)."""
        out = ffi.new("epv_gep_input **")
        ctx.check(lib.epv_gep_input_load_file(ctx.ptr, tree.ptr, text(str(path)), out))
        return cls(ctx, out[0], tree)

    @property
    def price_year(self):
        return lib.epv_gep_input_price_year(self.ptr)

    def value(self, deflator=None, price_year=None):
        """Value the account with the file's prices (and a deflator for constant prices)."""
        self.account.value(self.prices, deflator, self.price_year if price_year is None else price_year)
        return self.account


class Uncertainty:
    """U% of quantities and prices per indicator (epv_gep_unc), e.g. read from XML."""

    def __init__(self, ctx, ptr, tree):
        self.ctx, self.ptr, self.tree = ctx, ffi.gc(ptr, lib.epv_gep_unc_free), tree

    @classmethod
    def load(cls, ctx, tree, path):
        out = ffi.new("epv_gep_unc **")
        ctx.check(lib.epv_gep_unc_load_file(ctx.ptr, tree.ptr, text(str(path)), out))
        return cls(ctx, out[0], tree)

    def __len__(self):
        return lib.epv_gep_unc_count(self.ptr)


class Account:
    """A GEP account: regions × ecosystems × indicators × years. Owned by its Input when
    read from a file."""

    def __init__(self, ctx, ptr, tree, owner=None):
        self.ctx, self.tree, self._owner = ctx, tree, owner
        self.ptr = ptr if owner is not None else ffi.gc(ptr, lib.epv_gep_account_free)

    # ---- axes ----
    def regions(self):
        """Region dicts (code, name, parent, area_ha) in account order."""
        out = []
        for i in range(lib.epv_gep_account_region_count(self.ptr)):
            r, _ = new_struct(self.ctx, "epv_gep_region")
            self.ctx.check(lib.epv_gep_account_region_at(self.ctx.ptr, self.ptr, i, r))
            out.append(struct_dict(r))
        return out

    def ecosystems(self):
        return [ffi.string(lib.epv_gep_account_ecosystem_at(self.ptr, i)).decode()
                for i in range(lib.epv_gep_account_ecosystem_count(self.ptr))]

    def years(self):
        first = lib.epv_gep_account_first_year(self.ptr)
        return list(range(first, first + lib.epv_gep_account_year_count(self.ptr)))

    def indicators(self):
        """Indicator codes on the account's indicator axis (tree order)."""
        n = lib.epv_gep_account_indicator_count(self.ptr)
        return [ind["code"] for ind in self.tree.indicators()[:n]]

    # ---- valuation and single values ----
    def value(self, prices, deflator=None, price_year=0):
        """Value every cell: `prices` an epv_gep_prices pointer (Input.prices)."""
        self.ctx.check(lib.epv_gep_account_value(self.ctx.ptr, self.ptr, prices,
                                                 deflator.ptr if deflator is not None else ffi.NULL,
                                                 price_year))

    def quantity(self, region, indicator, year, ecosystem=None):
        v = ffi.new("double *")
        self.ctx.check(lib.epv_gep_account_quantity(self.ctx.ptr, self.ptr, text(region),
                                                    text(ecosystem), text(indicator), year, v))
        return v[0]

    def total(self, region, year, node=None, ecosystem=None, basis="current"):
        """Value in yuan of `node` (leaf, group, category; None for GEP) in a region and year."""
        v = ffi.new("double *")
        self.ctx.check(lib.epv_gep_account_total(self.ctx.ptr, self.ptr, text(region), text(ecosystem),
                                                 text(node), year, _basis(basis), v))
        return v[0]

    def gep_table(self, basis="current"):
        """GEP of every region and year: a regions × years array (yuan)."""
        import numpy as np
        nr = lib.epv_gep_account_region_count(self.ptr)
        ny = lib.epv_gep_account_year_count(self.ptr)
        a = np.empty((nr, ny), dtype=np.float64)
        self.ctx.check(lib.epv_gep_account_gep_table(self.ctx.ptr, self.ptr, _basis(basis),
                                                     ffi.cast("double *", ffi.from_buffer(a))))
        return a

    def values(self, what="current"):
        """The whole table in one call (epv_gep_account_copy_values): an array of shape
        (years, indicators, regions, ecosystems) and its axes as a dict of lists. `what` is
        "quantity" (each indicator's unit), "current" or "constant" (yuan). NaN marks an
        indicator not recorded in a year, and every group node."""
        import numpy as np
        if what not in _VALUES:
            raise KeyError(f"unknown table {what!r}; known: {', '.join(_VALUES)}")
        kind = getattr(lib, _VALUES[what])
        n = ffi.new("size_t *")
        rc = lib.epv_gep_account_copy_values(self.ctx.ptr, self.ptr, kind, ffi.NULL, 0, n)
        if rc != lib.EPV_ERANGE:
            self.ctx.check(rc)
        axes = {"years": self.years(), "indicators": self.indicators(),
                "regions": [r["code"] for r in self.regions()], "ecosystems": self.ecosystems()}
        shape = tuple(len(axes[k]) for k in ("years", "indicators", "regions", "ecosystems"))
        a = np.empty(n[0], dtype=np.float64)
        self.ctx.check(lib.epv_gep_account_copy_values(self.ctx.ptr, self.ptr, kind,
                                                       ffi.cast("double *", ffi.from_buffer(a)),
                                                       n[0], n))
        return a.reshape(shape), axes

    # ---- checks and uncertainty ----
    def check(self):
        """Integrity findings as dicts (severity, check, where, message, expected, actual)."""
        out = ffi.new("epv_gep_findings **")
        self.ctx.check(lib.epv_gep_check(self.ctx.ptr, self.ptr, out))
        f = ffi.gc(out[0], lib.epv_gep_findings_free)
        rows = []
        for i in range(lib.epv_gep_findings_count(f)):
            x, _ = new_struct(self.ctx, "epv_gep_finding")
            self.ctx.check(lib.epv_gep_findings_at(self.ctx.ptr, f, i, x))
            d = struct_dict(x)
            d["severity"] = {0: "note", 1: "warning", 2: "error"}.get(d["severity"], d["severity"])
            rows.append(d)
        return rows

    def _unc(self, fn, unc, region, year, basis, **more):
        opts, keep = new_struct(self.ctx, "epv_gep_unc_options", region=region, year=year,
                                basis=_basis(basis), **more)
        out = ffi.new("epv_unc_interval[]", lib.EPV_GEP_UNC_NTOTALS)
        for i in range(lib.EPV_GEP_UNC_NTOTALS):
            self.ctx.check(lib.epv_unc_interval_init(self.ctx.ptr, out + i, lib.EPV_UNC_INTERVAL_VERSION))
        self.ctx.check(fn(self.ctx.ptr, self.ptr, unc.ptr, opts, out))
        return {k: struct_dict(out[getattr(lib, v)]) for k, v in _TOTALS.items()}

    def unc_approach1(self, unc, region, year, basis="current"):
        """IPCC Approach 1 on the totals: {"gep": interval, "provisioning": ..., ...}, each a
        dict (method, estimate, lower, upper, u_lower_pct, u_upper_pct, draws)."""
        return self._unc(lib.epv_gep_unc_approach1, unc, region, year, basis)

    def unc_approach2(self, unc, region, year, basis="current", iterations=10000):
        """IPCC Approach 2 (Monte Carlo, seeded by the context) on the totals, as approach 1."""
        return self._unc(lib.epv_gep_unc_approach2, unc, region, year, basis, iterations=iterations)

    def write_csv(self, path):
        self.ctx.check(lib.epv_gep_account_write_csv(self.ctx.ptr, self.ptr, text(str(path))))
