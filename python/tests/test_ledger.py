# SPDX-License-Identifier: GPL-3.0-or-later
"""The registry: create, issue, transfer, retire, balances, verification, reopening."""
import os
import unittest

import epv
from epv.ledger import Ledger
from epvtest import ScratchTest


class LedgerTest(ScratchTest):
    def make(self, ctx, path):
        led = Ledger(ctx, path, create=True)
        led.account_open("a1", "OWNER", "Project owner")
        led.account_open("a2", "BUYER", "A buyer")
        led.project_register("p1", "PROJ", "Test afforestation", "CCER-14-001-V01", "OWNER",
                             (2021, 1, 1), (2050, 12, 31), forestry=True)
        num = led.period_add("m1", "PROJ", (2022, 1, 1), (2025, 12, 31))
        self.assertEqual(num, 1)
        iss = led.issue_from_removals("i1", "PROJ", num, "R-1", "A verifier", 100000.7, 0.0,
                                      (2026, 3, 1))
        return led, iss

    def test_issue_transfer_retire(self):
        ctx = epv.Context()
        path = os.path.join(self.tmp, "registry.db")
        led, iss = self.make(ctx, path)
        # whole tonnes only; 20% withheld into the buffer by default (the pooled buffer of Gold
        # Standard land use and forestry, epv_ledger_config)
        self.assertEqual(iss["holder_units"] + iss["buffer_units"], 100000)
        self.assertEqual(iss["buffer_units"], 20000)
        self.assertEqual(iss["serial_end"] - iss["serial_start"] + 1, 100000)
        self.assertEqual(iss["vintage"], 2025)
        led.transfer("t1", "OWNER", "BUYER", "PROJ", 500)
        cert = led.retire("r1", "BUYER", "PROJ", 200, "A buyer", "offset", (2026, 6, 30))
        self.assertGreater(cert, 0)
        self.assertEqual(led.balance("OWNER"), 80000 - 500)
        self.assertEqual(led.balance("BUYER"), 300)
        self.assertEqual(led.balance("BUYER", status="retired"), 200)
        self.assertEqual(led.totals("PROJ"), {"issued": 100000, "held": 80000 - 200, "buffer": 20000,
                                              "retired": 200, "cancelled": 0})
        led.verify()
        # more than held: refused, nothing changed
        with self.assertRaises(epv.Error) as cm:
            led.transfer("t2", "BUYER", "OWNER", "PROJ", 301)
        self.assertEqual(cm.exception.code, epv.lib.EPV_EBALANCE)
        self.assertEqual(led.balance("BUYER"), 300)
        led.close()
        # reopened read-only, it verifies and refuses to change
        with Ledger(ctx, path, readonly=True) as again:
            again.verify()
            self.assertEqual(again.balance("BUYER"), 300)
            with self.assertRaises(epv.Error) as cm:
                again.transfer("t3", "BUYER", "OWNER", "PROJ", 1)
            self.assertEqual(cm.exception.code, epv.lib.EPV_EREADONLY)

    def test_missing_ledger(self):
        ctx = epv.Context()
        with self.assertRaises(epv.Error) as cm:
            Ledger(ctx, os.path.join(self.tmp, "absent.db"))
        self.assertIn("absent.db", cm.exception.message)


if __name__ == "__main__":
    unittest.main()
