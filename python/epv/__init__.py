# SPDX-License-Identifier: GPL-3.0-or-later
"""libepv for Python: ecological product value accounting (forest carbon sinks, GEP accounts,
emissions inventories, CCER-style registries) through the library's C API.

A thin binding (cffi, ABI mode): every object owns its C handle and frees it when collected;
every failing call raises epv.Error carrying the library's message (which names the file,
line and field); series and tables come back as NumPy arrays in one call.

    import epv
    ctx = epv.Context(seed=42)
    params = epv.Params.default(ctx)
    project = epv.Project.load(ctx, "data/examples/pingchang.xml", params)
    result = project.estimate()
    years, net = result.years(), result.column("net_removals")

Modules: epv.gep (GEP accounts), epv.inventory (emissions inventory), epv.ledger (registry).
"""
from ._core import Context, Error, ffi, lib, status_name, version
from .params import Params
from .sink import Project, SinkResult
from .mc import MonteCarlo
from . import gep, inventory, ledger

__all__ = ["Context", "Error", "Params", "Project", "SinkResult", "MonteCarlo", "gep",
           "inventory", "ledger", "status_name", "version", "ffi", "lib"]
__version__ = version()
