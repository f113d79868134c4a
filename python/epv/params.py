# SPDX-License-Identifier: GPL-3.0-or-later
"""The species parameter table (epv/params.h): wood density, BEF, root:shoot, carbon
fraction, each with its source."""
from ._core import ffi, lib, new_struct, struct_dict, text


class Params:
    """An epv_params table. Rows come back as dicts of the epv_params_species members."""

    def __init__(self, ctx, ptr):
        self.ctx, self.ptr = ctx, ffi.gc(ptr, lib.epv_params_free)

    @classmethod
    def default(cls, ctx):
        """The table shipped with the library."""
        out = ffi.new("epv_params **")
        ctx.check(lib.epv_params_load_default(ctx.ptr, out))
        return cls(ctx, out[0])

    @classmethod
    def load(cls, ctx, path):
        """A table read from an XML file (errors name the file, line and field)."""
        out = ffi.new("epv_params **")
        ctx.check(lib.epv_params_load_file(ctx.ptr, text(str(path)), out))
        return cls(ctx, out[0])

    def __len__(self):
        return lib.epv_params_species_count(self.ptr)

    def species(self):
        """All species rows, in table order."""
        rows = []
        for i in range(len(self)):
            row, _ = new_struct(self.ctx, "epv_params_species")
            self.ctx.check(lib.epv_params_species_at(self.ctx.ptr, self.ptr, i, row))
            rows.append(struct_dict(row))
        return rows

    def find(self, key):
        """One species by code, Chinese or English name (epv.Error EPV_ENOTFOUND if none)."""
        row, _ = new_struct(self.ctx, "epv_params_species")
        self.ctx.check(lib.epv_params_species_find(self.ctx.ptr, self.ptr, text(key), row))
        return struct_dict(row)

    def override(self, species, field, value, source):
        """Replace one value of a species row (e.g. field "wood_density"), citing its source."""
        self.ctx.check(lib.epv_params_species_override(self.ctx.ptr, self.ptr, text(species),
                                                       text(field), value, text(source)))
