# SPDX-License-Identifier: GPL-3.0-or-later
"""The emissions inventory on the shipped example CSVs: totals, traces, yearly columns."""
import unittest

import numpy as np

import epv
from epv import inventory
from epvtest import ScratchTest, data


def example(ctx):
    factors = inventory.Factors.default(ctx)
    factors.load_grid_csv(data("examples", "county_carbon_grid.csv"))
    inv = inventory.Inventory(ctx, factors, "example county")
    inv.load_csv(data("examples", "county_carbon_activity.csv"))
    inv.load_economy_csv(data("examples", "county_carbon_economy.csv"))
    return factors, inv


class InventoryTest(ScratchTest):
    @classmethod
    def setUpClass(cls):
        cls.ctx = epv.Context()
        cls.factors, cls.inv = example(cls.ctx)
        cls.result = cls.inv.compute()

    def test_diesel_factor(self):
        # IPCC 2006 Vol. 2 ch. 1 Tables 1.2 and 1.3, gas/diesel oil: NCV 43.0 TJ/Gg, carbon
        # content 20.2 kg C/GJ, oxidation 1: 43.0 x 20.2 / 1000 x 44/12 t CO2 per t; Table 1.4
        # rounds it to 74,100 kg CO2/TJ.
        f = self.factors.find("diesel")
        self.assertEqual(f["unit"], "t")
        self.assertAlmostEqual(f["value"], 43.0 * 20.2 / 1000 * 44 / 12, delta=1e-12)
        self.assertAlmostEqual(f["value"], 43.0 * 74.1 / 1000, delta=0.002)

    def test_records_and_trace(self):
        self.assertEqual(len(self.inv), 154)  # 22 rows x 7 years in the example file
        for year in (2019, 2022, 2025):
            total = self.result.total(year=year)
            lines = self.result.trace(year=year)
            self.assertEqual(len(lines), total["records"])
            s = 0.0
            for line in lines:  # in record order the sum is exact
                s += line["t_co2e"]
                self.assertTrue(line["document"])
                self.assertTrue(line["origin"].startswith(data("examples", "county_carbon_activity.csv")))
            self.assertEqual(s, total["t_co2e"])

    def test_diesel_trace_line(self):
        lines = self.result.trace(year=2020, code="diesel", subsector="transport")
        self.assertEqual(len(lines), 1)
        line = lines[0]
        self.assertEqual(line["id"], "E03/2020")
        self.assertEqual(line["amount"], 41000.0)  # county_carbon_activity.csv, E03, 2020
        self.assertEqual(line["factor"], self.factors.find("diesel")["value"])
        self.assertAlmostEqual(line["t_gas"], 41000.0 * line["factor"], delta=1e-6)
        self.assertEqual(self.result.total(year=2020, code="diesel", subsector="transport", gas="CO2")["t_co2"],
                         line["t_gas"])

    def test_columns(self):
        years = self.result.years()
        self.assertEqual(list(years), list(range(2019, 2026)))
        col = self.result.column("tco2e")
        for i, y in enumerate(years):
            self.assertAlmostEqual(col[i], self.result.total(year=int(y))["t_co2e"], delta=1e-9 * col[i])
        gdp = self.result.column("gdp")
        self.assertEqual(gdp[0], 1720000.0)  # county_carbon_economy.csv, 2019
        np.testing.assert_allclose(self.result.column("co2_intensity"), self.result.column("tco2") / gdp,
                                   rtol=1e-12)

    def test_gwp_sets(self):
        # CH4 weighs 25 (AR4 WG1 Table 2.14) against 28 (AR5 WG1 Table 8.7): the CH4 part of
        # CO2e scales by 28/25 while CO2 is unchanged
        ar4 = self.inv.compute(gwp="AR4").total(year=2020, gas="CH4")
        ar5 = self.result.total(year=2020, gas="CH4")
        self.assertGreater(ar5["t_co2e"], 0)
        self.assertAlmostEqual(ar5["t_co2e"] / ar4["t_co2e"], 28 / 25, delta=1e-12)

    def test_bad_csv_names_file_and_line(self):
        path = self.scratch("bad_activity.csv",
                            "id,document,sector,subsector,entity,code,unit,u_pct,grid,2020\n"
                            "X1,doc,energy,industry,county,diesel,t,5,,12x\n")
        inv = inventory.Inventory(self.ctx, self.factors, "bad")
        with self.assertRaises(epv.Error) as cm:
            inv.load_csv(path)
        self.assertIn("bad_activity.csv:2:", cm.exception.message)  # file and line
        self.assertIn("2020", cm.exception.message)  # the column
        self.assertEqual(cm.exception.code, epv.lib.EPV_EPARSE)
        self.assertEqual(len(inv), 0)  # nothing half-loaded


if __name__ == "__main__":
    unittest.main()
