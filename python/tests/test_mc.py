# SPDX-License-Identifier: GPL-3.0-or-later
"""Monte Carlo over a Python model: draws as NumPy, reproducible, exceptions propagate."""
import math
import unittest

import numpy as np

import epv


class ModelError(Exception):
    pass


def product_model(x):
    return [x[0] * x[1], x[0] + x[1]]


class MonteCarloTest(unittest.TestCase):
    def run_product(self, seed=11, threads=1, n=20000):
        ctx = epv.Context(seed=seed, threads=threads)
        mc = epv.MonteCarlo(ctx)
        self.assertEqual(mc.add_input("area", "normal", 100.0, 5.0), 0)
        self.assertEqual(mc.add_input("factor", "normal", 2.0, 0.1), 1)
        self.assertEqual(mc.n_inputs, 2)
        mc.run(n, 2, product_model)
        return mc

    def test_samples_and_summary(self):
        mc = self.run_product()
        prod = mc.samples(0)
        self.assertEqual(prod.shape, (20000,))
        s = mc.summary(0)
        self.assertEqual(s["n"], 20000)
        self.assertAlmostEqual(s["mean"], prod.mean(), delta=1e-9 * abs(s["mean"]))
        self.assertAlmostEqual(s["sd"], prod.std(ddof=1), delta=1e-9 * s["sd"])
        self.assertEqual(s["min"], prod.min())
        self.assertEqual(s["max"], prod.max())
        self.assertAlmostEqual(s["p2_5"], np.percentile(prod, 2.5), delta=1e-9 * abs(s["mean"]))
        # IPCC 2006 Vol. 1 ch. 3 Eq. 3.1: U% of a product = sqrt(U1^2 + U2^2), here with
        # U = 1.96 sd / mean: 9.8% and 9.8% give 13.86%; Approach 2 agrees to within ~0.5
        # points for uncertainties this small (Vol. 1 ch. 3, section 3.2.3.1).
        u_eq31 = math.hypot(1.96 * 5 / 100 * 100, 1.96 * 0.1 / 2 * 100)
        u_mc = (s["p97_5"] - s["p2_5"]) / 2 / s["mean"] * 100
        self.assertAlmostEqual(u_mc, u_eq31, delta=0.5)
        # the sum output: mean 102, sd sqrt(25 + 0.01)
        total = mc.samples(1)
        self.assertAlmostEqual(total.mean(), 102.0, delta=4 * 5.001 / math.sqrt(20000))
        self.assertEqual(mc.percentiles(1, [50])[0], np.percentile(total, 50))

    def test_reproducible_and_thread_independent(self):
        a = self.run_product(seed=5, threads=1, n=5000).samples(0)
        b = self.run_product(seed=5, threads=2, n=5000).samples(0)
        c = self.run_product(seed=6, threads=1, n=5000).samples(0)
        np.testing.assert_array_equal(a, b)
        self.assertFalse(np.array_equal(a, c))

    def test_model_exception_propagates(self):
        ctx = epv.Context(seed=1, threads=2)
        mc = epv.MonteCarlo(ctx)
        mc.add_input("x", "uniform", 0.0, 1.0)
        calls = []

        def model(x):
            calls.append(1)
            if len(calls) > 10:
                raise ModelError("model failed")
            return [x[0]]

        with self.assertRaises(ModelError):
            mc.run(1000, 1, model)
        # a failed run keeps no draws
        with self.assertRaises(epv.Error):
            mc.samples(0)
        # a wrong number of outputs is an error too, never a success
        with self.assertRaises(ValueError):
            mc.run(10, 2, lambda x: [x[0]])

    def test_bad_distribution(self):
        ctx = epv.Context()
        mc = epv.MonteCarlo(ctx)
        with self.assertRaises(epv.Error) as cm:
            mc.add_input("x", "normal", 1.0, -1.0)
        self.assertIn(cm.exception.code, (epv.lib.EPV_EINVAL, epv.lib.EPV_ERANGE))
        self.assertTrue(cm.exception.message)
        with self.assertRaises(KeyError):
            mc.add_input("x", "cauchy", 0.0, 1.0)


if __name__ == "__main__":
    unittest.main()
