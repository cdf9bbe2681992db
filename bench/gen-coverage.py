#!/usr/bin/python3
"""gen-coverage.py - generate a synthetic repository and a real coverage.py data file for benchmarks.

Usage: gen-coverage.py DIR --files N --tests N [--seed S] [--per-test K]
Creates DIR as a git repository of N Python modules (pkg_<d>/mod_<i>.py, ten functions
each plus a class with two methods) and DIR/.coverage written with coverage.py's own
CoverageData API: one context per test ("tests/test_g<k>.py::test_<t>|run"), each test
running a few functions of K modules (seeded, so the same arguments give the same data).
Also writes DIR/junit.xml with a duration per test.
"""
import argparse
import os
import random
import subprocess
import sys

import coverage

FUNCS = 10
FUNC_LINES = 4  # def line + 3 body lines


def module_source(i):
    out = ["import os", "", "LIMIT = %d" % i, ""]
    for f in range(FUNCS):
        out += ["def f%d(x):" % f,
                "    y = x + %d" % f,
                "    if y > LIMIT:",
                "        return y - LIMIT",
                "    return y", ""]
    out += ["class Thing%d:" % i,
            "    kind = 'thing'",
            "    def get(self):",
            "        return self.kind",
            "    def put(self, v):",
            "        self.kind = v", ""]
    return "\n".join(out) + "\n"


def function_lines(f):
    first = 5 + f * (FUNC_LINES + 2)
    return list(range(first, first + FUNC_LINES + 1))


def write_repo(root, nfiles):
    paths = []
    for i in range(nfiles):
        d = os.path.join(root, "pkg_%d" % (i // 100))
        os.makedirs(d, exist_ok=True)
        init = os.path.join(d, "__init__.py")
        if not os.path.exists(init):
            open(init, "w").close()
        p = os.path.join(d, "mod_%d.py" % i)
        with open(p, "w") as fh:
            fh.write(module_source(i))
        paths.append(p)
    os.makedirs(os.path.join(root, "tests"), exist_ok=True)
    return paths


def git(root, *args):
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2026-01-01T00:00:00Z",
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.com")
    subprocess.run(["git", "-C", root] + list(args), check=True, env=env,
                   stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--tests", type=int, default=10000)
    ap.add_argument("--per-test", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    root = os.path.abspath(a.dir)
    os.makedirs(root, exist_ok=True)
    rng = random.Random(a.seed)
    paths = write_repo(root, a.files)
    groups = max(1, a.tests // 100)
    for g in range(groups):
        with open(os.path.join(root, "tests", "test_g%d.py" % g), "w") as fh:
            for t in range(g * 100, min(a.tests, (g + 1) * 100)):
                fh.write("def test_%d():\n    pass\n\n" % t)
    with open(os.path.join(root, ".gitignore"), "w") as fh:
        fh.write(".coverage\njunit.xml\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated")

    data = coverage.CoverageData(basename=os.path.join(root, ".coverage"))
    data.set_context("")
    data.add_lines({p: [1, 3] for p in paths})
    cases = []
    for t in range(a.tests):
        ctx = "tests/test_g%d.py::test_%d|run" % (t // 100, t)
        data.set_context(ctx)
        lines = {}
        for p in rng.sample(paths, min(a.per_test, len(paths))):
            fs = rng.sample(range(FUNCS), 3)
            lines[p] = sorted(l for f in fs for l in function_lines(f))
        data.add_lines(lines)
        cases.append((t, rng.uniform(0.001, 0.5)))
    data.write()
    total = sum(c[1] for c in cases)
    with open(os.path.join(root, "junit.xml"), "w") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?><testsuites>')
        fh.write('<testsuite name="pytest" errors="0" failures="0" '
                 'skipped="0" tests="%d" time="%.3f">' % (len(cases), total + 2))
        for t, d in cases:
            fh.write('<testcase classname="tests.test_g%d" name="test_%d" '
                     'time="%.3f"/>' % (t // 100, t, d))
        fh.write("</testsuite></testsuites>\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
