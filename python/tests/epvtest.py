# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the binding's tests: paths into the source tree and a scratch directory."""
import os
import tempfile
import unittest

TOP_SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def data(*parts):
    """A path under the source tree's data/ directory."""
    return os.path.join(TOP_SRCDIR, "data", *parts)


class ScratchTest(unittest.TestCase):
    """A test case with a scratch directory self.tmp, removed afterwards."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="epv-python-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def scratch(self, name, content=None):
        path = os.path.join(self.tmp, name)
        if content is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        return path
