# SPDX-License-Identifier: GPL-3.0-or-later
"""The CCER-style unit registry (epv/ledger.h): a small wrapper over open/create, accounts,
projects, issuance, transfer, retirement, balances and verification.

Ledger calls take no context: their errors are reported on the context the ledger was
opened with, and raised from it as epv.Error."""
import datetime

from ._core import ffi, lib, new_struct, text

_STATUS = {"held": "EPV_LEDGER_HELD", "buffer": "EPV_LEDGER_BUFFER", "retired": "EPV_LEDGER_RETIRED",
           "cancelled": "EPV_LEDGER_CANCELLED"}


def _date(d):
    """An epv_date from a datetime.date or a (year, month, day) tuple."""
    if isinstance(d, datetime.date):
        d = (d.year, d.month, d.day)
    return ffi.new("epv_date *", tuple(d))[0]


def _units(ctx, project, count=0, vintage=0, serials=None):
    u = ffi.new("epv_ledger_units *")
    ctx.check(lib.epv_ledger_units_init(ctx.ptr, u, lib.EPV_LEDGER_UNITS_VERSION))
    keep = ffi.new("char[]", project.encode("utf-8"))
    u.project, u.vintage, u.count = keep, vintage, count
    if serials is not None:
        u.serial_start, u.serial_end = serials
    return u, keep


class Ledger:
    """An open ledger file (SQLite). Use as a context manager or call close()."""

    def __init__(self, ctx, path, create=False, readonly=False):
        flags = (lib.EPV_LEDGER_CREATE if create else 0) | (lib.EPV_LEDGER_READONLY if readonly else 0)
        cfg = ffi.NULL
        if create:
            cfg = ffi.new("epv_ledger_config *")
            ctx.check(lib.epv_ledger_config_init(ctx.ptr, cfg, lib.EPV_LEDGER_CONFIG_VERSION))
        out = ffi.new("epv_ledger **")
        ctx.check(lib.epv_ledger_open(ctx.ptr, text(str(path)), flags, cfg, out))
        self.ctx, self.ptr = ctx, ffi.gc(out[0], lib.epv_ledger_close)

    def close(self):
        if self.ptr is not None:
            ffi.release(self.ptr)  # runs epv_ledger_close now, once
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def account_open(self, request_id, account, entity):
        self.ctx.check(lib.epv_ledger_account_open(self.ptr, text(request_id), text(account), text(entity)))

    def project_register(self, request_id, project, name, methodology, owner_account,
                         crediting_start, crediting_end, forestry=True, buffer_bp=-1):
        p = ffi.new("epv_ledger_project *")
        self.ctx.check(lib.epv_ledger_project_init(self.ctx.ptr, p, lib.EPV_LEDGER_PROJECT_VERSION))
        keep = [ffi.new("char[]", s.encode("utf-8")) for s in (project, name, methodology, owner_account)]
        p.id, p.name, p.methodology, p.owner_account = keep
        p.crediting_start, p.crediting_end = _date(crediting_start), _date(crediting_end)
        p.forestry, p.buffer_bp = 1 if forestry else 0, buffer_bp
        self.ctx.check(lib.epv_ledger_project_register(self.ptr, text(request_id), p))

    def period_add(self, request_id, project, start, end):
        """Add a monitoring period; returns its number."""
        num = ffi.new("int *")
        self.ctx.check(lib.epv_ledger_period_add(self.ptr, text(request_id), text(project),
                                                 _date(start), _date(end), num))
        return num[0]

    def issue_from_removals(self, request_id, project, period, report_id, verifier,
                            net_removals_tco2e, deduction_tco2e, applied):
        """Record a verification and issue its whole tonnes; returns the issuance as a dict
        (serial_start, serial_end, holder_units, buffer_units, vintage)."""
        out = ffi.new("epv_ledger_issuance *")
        self.ctx.check(lib.epv_ledger_issuance_init(self.ctx.ptr, out, lib.EPV_LEDGER_ISSUANCE_VERSION))
        self.ctx.check(lib.epv_ledger_issue_from_removals(
            self.ptr, text(request_id), text(project), period, text(report_id), text(verifier),
            net_removals_tco2e, deduction_tco2e, _date(applied), out))
        return {k: getattr(out, k) for k in ("serial_start", "serial_end", "holder_units",
                                              "buffer_units", "vintage")}

    def transfer(self, request_id, from_account, to_account, project, count, vintage=0):
        u, keep = _units(self.ctx, project, count, vintage)
        self.ctx.check(lib.epv_ledger_transfer(self.ptr, text(request_id), text(from_account),
                                               text(to_account), u))

    def retire(self, request_id, account, project, count, beneficiary, reason, date, vintage=0):
        """Retire units for an offset; returns the certificate number."""
        u, keep = _units(self.ctx, project, count, vintage)
        cert = ffi.new("epv_i64 *")
        self.ctx.check(lib.epv_ledger_retire(self.ptr, text(request_id), text(account), u,
                                             text(beneficiary), text(reason), _date(date), cert))
        return cert[0]

    def balance(self, account, project=None, vintage=0, status="held"):
        out = ffi.new("epv_i64 *")
        self.ctx.check(lib.epv_ledger_balance(self.ptr, text(account), text(project), vintage,
                                              getattr(lib, _STATUS[status]), out))
        return out[0]

    def totals(self, project=None, vintage=0):
        t = ffi.new("epv_ledger_totals *")
        self.ctx.check(lib.epv_ledger_totals_init(self.ctx.ptr, t, lib.EPV_LEDGER_TOTALS_VERSION))
        self.ctx.check(lib.epv_ledger_totals_get(self.ptr, text(project), vintage, t))
        return {k: getattr(t, k) for k in ("issued", "held", "buffer", "retired", "cancelled")}

    def verify(self):
        """Replay the journal and check the hash chain (epv.Error EPV_ECORRUPT if not)."""
        self.ctx.check(lib.epv_ledger_verify(self.ptr))
