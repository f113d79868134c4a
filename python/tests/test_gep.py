# SPDX-License-Identifier: GPL-3.0-or-later
"""GEP accounts: the shipped Bazhong example, bulk tables against single-value getters,
integrity findings, Approach 1 and 2 on the totals."""
import math
import unittest

import numpy as np

import epv
from epv import gep
from epvtest import ScratchTest, data


class GepTest(ScratchTest):
    @classmethod
    def setUpClass(cls):
        cls.ctx = epv.Context(seed=2020)
        cls.tree = gep.Tree.default(cls.ctx)
        cls.input = gep.Input.load(cls.ctx, cls.tree, data("examples", "bazhong_gep.xml"))
        cls.cpi = gep.Deflator.load_csv(cls.ctx, data("examples", "bazhong_gep_cpi.csv"))
        cls.acc = cls.input.value(cls.cpi)

    def test_axes(self):
        acc = self.acc
        self.assertEqual([r["code"] for r in acc.regions()], ["bazhong", "pingchang", "tongjiang"])
        self.assertEqual(acc.years(), [2020, 2021])
        self.assertEqual(self.input.price_year, 2020)
        self.assertEqual(len(acc.indicators()), len(self.tree))
        self.assertEqual(self.tree.find("carbon_fixation")["leaf"], 1)

    def test_known_quantity(self):
        # Pingchang's CO2 fixed by forest, from the seeds' figures: 15.84万 t + 6万 t
        # (shared/references.md, section 1), as the example file records it.
        q = self.acc.quantity("pingchang", "carbon_fixation", 2020, ecosystem="forest")
        self.assertEqual(q, 21.84e4)
        table, axes = self.acc.values("quantity")
        cell = table[axes["years"].index(2020), axes["indicators"].index("carbon_fixation"),
                     axes["regions"].index("pingchang"), axes["ecosystems"].index("forest")]
        self.assertEqual(cell, 21.84e4)

    def test_bulk_table_equals_getter(self):
        for what, basis in (("current", "current"), ("constant", "constant")):
            table, axes = self.acc.values(what)
            self.assertEqual(table.shape, tuple(len(axes[k]) for k in
                                                ("years", "indicators", "regions", "ecosystems")))
            leaves = {ind["code"] for ind in self.tree.indicators() if ind["leaf"]}
            checked = 0
            for y, year in enumerate(axes["years"]):
                for i, ind in enumerate(axes["indicators"]):
                    if ind not in leaves:
                        self.assertTrue(np.isnan(table[y, i]).all(), f"group {ind} not NaN")
                        continue
                    if np.isnan(table[y, i]).all():
                        continue
                    for r, region in enumerate(axes["regions"]):
                        for e, eco in enumerate(axes["ecosystems"]):
                            if table[y, i, r, e] == 0:
                                continue
                            v = self.acc.total(region, year, node=ind, ecosystem=eco, basis=basis)
                            self.assertAlmostEqual(table[y, i, r, e], v, delta=1e-9 * abs(v),
                                                   msg=f"{what} {year} {ind} {region} {eco}")
                            checked += 1
            self.assertGreater(checked, 20)

    def test_gep_table_and_city_total(self):
        t = self.acc.gep_table()
        regions = [r["code"] for r in self.acc.regions()]
        for r, region in enumerate(regions):
            for y, year in enumerate(self.acc.years()):
                self.assertAlmostEqual(t[r, y], self.acc.total(region, year), delta=1e-6)
        # the city is its counties' sum less inflows from outside it: Pingchang's 3e7 yuan
        # inflow (bazhong_gep.xml) comes from inside Bazhong and stays in the city's GEP
        city = self.acc.total("bazhong", 2020)
        self.assertAlmostEqual(city, self.acc.total("pingchang", 2020) + self.acc.total("tongjiang", 2020) + 3.0e7,
                               delta=1e-12 * city)

    def test_findings(self):
        found = self.acc.check()
        for f in found:
            self.assertIn(f["severity"], ("note", "warning", "error"))
            self.assertTrue(f["message"])
        # Shenzhen's published 2020 account prices water conservation at 2005 prices in a 2020
        # account: the check flags it (examples/bazhong_gep prints the same finding).
        sz = gep.Input.load(self.ctx, self.tree, data("examples", "shenzhen_2020_published.xml"))
        checks = [f["check"] for f in sz.account.check()]
        self.assertIn("price_dated", checks)
        # the published quantity: 19.18亿 m3 of water conservation (shared/references.md,
        # Shenzhen 2020 GEP), valued at 6.11 yuan/m3 gives the published 117.19亿 yuan
        q = sz.account.quantity("shenzhen", "water_conservation", 2020)
        self.assertAlmostEqual(q * 6.11 / 1e8, 117.19, delta=0.01)

    def test_uncertainty(self):
        unc = gep.Uncertainty.load(self.ctx, self.tree, data("examples", "bazhong_gep_unc.xml"))
        a1 = self.acc.unc_approach1(unc, "bazhong", 2021)
        self.assertEqual(set(a1), {"gep", "provisioning", "regulating", "cultural"})
        total = self.acc.total("bazhong", 2021)
        self.assertAlmostEqual(a1["gep"]["estimate"], total, delta=1e-9 * total)
        self.assertEqual(a1["gep"]["method"], epv.lib.EPV_UNC_APPROACH1)
        self.assertEqual(a1["gep"]["u_lower_pct"], a1["gep"]["u_upper_pct"])
        # Indicators are summed by IPCC 2006 Vol. 1 Eq. 3.2 (doc of epv_gep_unc_approach1), so
        # the total's U% is Eq. 3.2 over the three subtotals: sqrt(sum (x_i U_i)^2) / sum x_i
        parts = [a1[k] for k in ("provisioning", "regulating", "cultural")]
        quad = math.sqrt(sum((p["estimate"] * p["u_upper_pct"]) ** 2 for p in parts)) / total
        self.assertAlmostEqual(a1["gep"]["u_upper_pct"], quad, delta=1e-9 * quad)
        a2 = self.acc.unc_approach2(unc, "bazhong", 2021, iterations=2000)
        g = a2["gep"]
        self.assertEqual(g["method"], epv.lib.EPV_UNC_APPROACH2)
        self.assertEqual(g["draws"], 2000)
        self.assertLess(g["lower"], g["estimate"])
        self.assertLess(g["estimate"], g["upper"])
        # the two approaches agree on a spread this small (IPCC 2006 Vol. 1 ch. 3 3.2.3.1)
        self.assertAlmostEqual(g["estimate"], total, delta=0.02 * total)
        self.assertAlmostEqual((g["u_lower_pct"] + g["u_upper_pct"]) / 2, a1["gep"]["u_upper_pct"], delta=2.0)
        # seeded by the context: a fresh context with the same seed repeats the run exactly
        def run(seed):
            ctx = epv.Context(seed=seed)
            tree = gep.Tree.default(ctx)
            acc = gep.Input.load(ctx, tree, data("examples", "bazhong_gep.xml")).value(
                gep.Deflator.load_csv(ctx, data("examples", "bazhong_gep_cpi.csv")))
            u = gep.Uncertainty.load(ctx, tree, data("examples", "bazhong_gep_unc.xml"))
            return acc.unc_approach2(u, "bazhong", 2021, iterations=2000)["gep"]
        self.assertEqual(run(2020), g)
        self.assertNotEqual(run(2021)["lower"], g["lower"])

    def test_bad_input_names_file(self):
        path = self.scratch("bad_gep.xml", '<?xml version="1.0"?>\n<gepInput version="1" firstYear="2020"\n')
        with self.assertRaises(epv.Error) as cm:
            gep.Input.load(self.ctx, self.tree, path)
        self.assertIn("bad_gep.xml", cm.exception.message)

    def test_unvalued_account(self):
        fresh = gep.Input.load(self.ctx, self.tree, data("examples", "bazhong_gep.xml"))
        with self.assertRaises(epv.Error) as cm:
            fresh.account.values("current")
        self.assertEqual(cm.exception.code, epv.lib.EPV_ESTATE)
        q, _ = fresh.account.values("quantity")  # quantities need no valuation
        self.assertEqual(q.ndim, 4)


if __name__ == "__main__":
    unittest.main()
