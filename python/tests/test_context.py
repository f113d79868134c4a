# SPDX-License-Identifier: GPL-3.0-or-later
"""Context: seed, threads, errors carrying the context's message, progress and cancellation."""
import unittest

import epv
from epvtest import ScratchTest, data


class Stop(Exception):
    pass


class ContextTest(ScratchTest):
    def test_version(self):
        self.assertEqual(epv.version(), epv.ffi.string(epv.lib.epv_version()).decode())
        major, minor = (int(x) for x in epv.version().split(".")[:2])
        self.assertEqual(epv.lib.epv_version_number() // 10000, major)

    def test_seed_and_threads(self):
        ctx = epv.Context(seed=1234, threads=2)
        self.assertEqual(ctx.seed, 1234)
        self.assertEqual(ctx.threads, 2)

    def test_missing_file_names_it(self):
        ctx = epv.Context()
        path = self.scratch("no_such_table.xml")
        with self.assertRaises(epv.Error) as cm:
            epv.Params.load(ctx, path)
        self.assertIn("no_such_table.xml", str(cm.exception))
        self.assertEqual(cm.exception.code, epv.lib.EPV_EIO)

    def test_malformed_file_names_file_and_line(self):
        ctx = epv.Context()
        path = self.scratch("broken_project.xml", "<?xml version='1.0'?>\n<project>\n<stratum\n")
        params = epv.Params.default(ctx)
        with self.assertRaises(epv.Error) as cm:
            epv.Project.load(ctx, path, params)
        self.assertIn("broken_project.xml", cm.exception.message)
        self.assertIn(cm.exception.code, (epv.lib.EPV_EPARSE, epv.lib.EPV_ESCHEMA))

    def _mc(self, ctx):
        mc = epv.MonteCarlo(ctx)
        mc.add_input("x", "normal", 10.0, 1.0)
        return mc

    def test_progress_reports_fractions(self):
        seen = []
        ctx = epv.Context(seed=7, progress=lambda f, m: seen.append((f, m)))
        self._mc(ctx).run(20000, 1, lambda x: [x[0]])
        self.assertTrue(seen, "no progress reported")
        fractions = [f for f, _ in seen]
        self.assertEqual(fractions, sorted(fractions))
        self.assertTrue(all(0.0 <= f <= 1.0 for f in fractions))

    def test_progress_cancels(self):
        ctx = epv.Context(seed=7, progress=lambda f, m: True)
        mc = self._mc(ctx)
        with self.assertRaises(epv.Error) as cm:
            mc.run(20000, 1, lambda x: [x[0]])
        self.assertEqual(cm.exception.code, epv.lib.EPV_ECANCELLED)
        self.assertEqual(epv.status_name(cm.exception.code), "EPV_ECANCELLED")
        # nothing half-done: no draws were kept
        with self.assertRaises(epv.Error):
            mc.samples(0)

    def test_progress_exception_propagates(self):
        def progress(f, m):
            raise Stop("from the progress callback")
        ctx = epv.Context(seed=7, progress=progress)
        with self.assertRaises(Stop):
            self._mc(ctx).run(20000, 1, lambda x: [x[0]])
        # the context is usable afterwards, without the callback
        ctx.set_progress(None)
        mc = self._mc(ctx)
        mc.run(100, 1, lambda x: [x[0]])
        self.assertEqual(len(mc.samples(0)), 100)


if __name__ == "__main__":
    unittest.main()
