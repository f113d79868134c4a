# SPDX-License-Identifier: GPL-3.0-or-later
"""Params, projects and sink results: NumPy columns against the C library's per-year getters."""
import csv
import unittest

import numpy as np

import epv
from epvtest import ScratchTest, data


class ParamsTest(unittest.TestCase):
    def test_chinese_fir_row(self):
        ctx = epv.Context()
        params = epv.Params.default(ctx)
        row = params.find("杉木")
        # Chinese fir (Cunninghamia lanceolata): D 0.307 t/m3, BEF 1.634, R 0.246, CF 0.520,
        # the AR-CM-001 / provincial guideline defaults (shared/references.md, "Chinese species
        # parameters" table).
        self.assertEqual(row["code"], "cunninghamia_lanceolata")
        self.assertAlmostEqual(row["wood_density"], 0.307, places=12)
        self.assertAlmostEqual(row["bef"], 1.634, places=12)
        self.assertAlmostEqual(row["root_shoot"], 0.246, places=12)
        self.assertAlmostEqual(row["carbon_fraction"], 0.520, places=12)
        codes = [r["code"] for r in params.species()]
        self.assertEqual(len(codes), len(params))
        self.assertIn("cunninghamia_lanceolata", codes)

    def test_unknown_species(self):
        ctx = epv.Context()
        with self.assertRaises(epv.Error) as cm:
            epv.Params.default(ctx).find("no such tree")
        self.assertEqual(cm.exception.code, epv.lib.EPV_ENOTFOUND)
        self.assertIn("no such tree", cm.exception.message)

    def test_override(self):
        ctx = epv.Context()
        params = epv.Params.default(ctx)
        source = params.find("杉木")["source"]
        params.override("杉木", "wood_density", 0.35, source)
        self.assertEqual(params.find("杉木")["wood_density"], 0.35)
        with self.assertRaises(epv.Error) as cm:  # a source must be declared in the table
            params.override("杉木", "wood_density", 0.36, "undeclared_source")
        self.assertIn("undeclared_source", cm.exception.message)
        self.assertEqual(params.find("杉木")["wood_density"], 0.35)  # unchanged


class SinkTest(ScratchTest):
    def setUp(self):
        super().setUp()
        self.ctx = epv.Context()
        self.params = epv.Params.default(self.ctx)
        self.project = epv.Project.load(self.ctx, data("examples", "pingchang.xml"), self.params)
        self.result = self.project.estimate()

    def test_columns_equal_per_year_getter(self):
        r = self.result
        years = r.years()
        self.assertEqual(years.dtype, np.int64)
        self.assertEqual(len(years), len(r))
        self.assertEqual(years[0], self.project.start_year)
        self.assertEqual(list(years), list(range(years[0], years[0] + len(years))))
        cols = {name: r.column(name) for name in r.columns}
        for i in range(len(r)):
            y = r.year(i)  # one epv_sink_result_year call
            self.assertEqual(y["year"], years[i])
            for name, col in cols.items():
                self.assertEqual(col[i], y[name + "_tco2"], f"{name} year {y['year']}")
        # the cumulative column is the running sum of the net removals
        np.testing.assert_allclose(np.cumsum(cols["net_removals"]), cols["cumulative_net"],
                                   rtol=1e-12, atol=1e-6)

    def test_stratum_matrix_equals_getter(self):
        r = self.result
        m = r.stratum_column("net_removals")
        strata = self.project.strata()
        self.assertEqual(m.shape, (len(strata), len(r)))
        for s in range(len(strata)):
            for i in (0, 1, len(r) // 2, len(r) - 1):
                self.assertEqual(m[s, i], r.year(i, stratum=s)["net_removals_tco2"])
        np.testing.assert_allclose(m.sum(axis=0), r.column("net_removals"), rtol=1e-9, atol=1e-6)

    def test_totals_only_has_no_strata(self):
        r = self.project.estimate(keep_strata=False)
        np.testing.assert_array_equal(r.column("stock"), self.result.column("stock"))
        with self.assertRaises(epv.Error) as cm:
            r.stratum_column("stock")
        self.assertEqual(cm.exception.code, epv.lib.EPV_ESTATE)

    def test_monitoring_periods(self):
        periods = self.project.periods()
        self.assertTrue(periods)
        years = self.result.years()
        net = self.result.column("net_removals")
        for per in self.result.monitoring_periods():
            sel = (years >= per["first_year"]) & (years <= per["last_year"])
            self.assertAlmostEqual(per["net_removals_tco2"], net[sel].sum(),
                                   delta=1e-9 * abs(per["net_removals_tco2"]))
            self.assertAlmostEqual(per["mean_net_tco2_yr"], net[sel].mean(),
                                   delta=1e-9 * abs(per["mean_net_tco2_yr"]))
        self.assertEqual([(p["first_year"], p["last_year"]) for p in self.result.monitoring_periods()],
                         periods)

    def test_write_csv(self):
        path = self.scratch("sink.csv")
        self.result.write_csv(path)
        with open(path, encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), len(self.result))
        net = self.result.column("net_removals")
        for i, row in enumerate(rows):
            self.assertEqual(int(row["year"]), self.result.years()[i])
            self.assertAlmostEqual(float(row["net_removals_tco2"]), net[i], delta=0.0005 + 1e-12 * abs(net[i]))

    def test_write_csv_bad_path(self):
        path = self.scratch("no_such_dir/sink.csv")
        with self.assertRaises(epv.Error) as cm:
            self.result.write_csv(path)
        self.assertIn("no_such_dir", cm.exception.message)


if __name__ == "__main__":
    unittest.main()
