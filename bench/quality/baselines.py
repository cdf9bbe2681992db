"""baselines.py - strong selectors a user could build without git-covopt, to compare it against.

They read only what a user has: the fault commit's diff against its parent (`git diff`), the
parent's sources, the recorded `.coverage` (coverage.py, per-test contexts) and the JUnit report.

  (a) line-affected greedy: the tests whose coverage ran a changed statement, most changed
      lines run per second first, packed into the budget (a test that does not fit is skipped);
  (b) (a), then the tests that ran any line of a changed file, then those in test files that
      import a changed module, then those that import it through its package, cheapest first;
  (c) (b) with (a)'s tests ordered by changed lines run / sqrt(lines run in the whole suite) /
      seconds, so that a test that runs everything counts less than a focused one.
"""
import ast
import math
import os
import re
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

NAMES = ["(a) line-greedy", "(b) +importers", "(c) b, focused"]
IMPORT_TIME = ""            # the coverage context of code run outside any test
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


BITS = [[i for i in range(8) if byte >> i & 1] for byte in range(256)]


def numbits_lines(blob):
    """The line numbers of a coverage.py numbits blob: bit i of byte j is line j*8+i."""
    return [j * 8 + i for j, byte in enumerate(blob) if byte for i in BITS[byte]]


def junit_key(nodeid):
    """(classname, name) of a pytest node id in pytest's JUnit report."""
    parts = nodeid.split("::")
    path = parts[0][:-3] if parts[0].endswith(".py") else parts[0]
    return ".".join([path.replace("/", ".")] + parts[1:-1]), parts[-1]


def _node_id(key, files):
    """The node id of a JUnit (classname, name) whose test ran no line of the package: the
    longest leading part of classname that names a file of FILES is the test file."""
    parts = key[0].split(".")
    for k in range(len(parts), 0, -1):
        path = "/".join(parts[:k]) + ".py"
        if path in files:
            return "::".join([path] + parts[k:] + [key[1]])
    return None


def module_name(path):
    """The dotted module name of a repository path (a package's __init__.py is the package)."""
    mod = path[:-3].replace("/", ".")
    return mod[:-len(".__init__")] if mod.endswith(".__init__") else mod


class Recorded:
    """The recorded run as a user reads it: lines each test ran, tests' times and outcomes, and
    the base commit's sources (statements, functions, imports)."""

    def __init__(self, repo, base, coverage, junit):
        self.repo, self.base = repo, base
        self.ran = {}           # test id -> {path: set of lines}
        self.at_import = {}     # path -> lines run in the empty context (import, collection)
        self.size = {}          # test id -> lines run in the whole suite
        self.time, self.bad = {}, set()
        self._read_coverage(coverage)
        self._read_junit(junit)
        self.size = {t: sum(len(v) for v in per.values()) for t, per in self.ran.items()}
        self.tests = sorted(t for t in self.ran if t not in self.bad)
        self.by_file = {}       # path -> tests that ran a line of it
        for t in self.tests:
            for path in self.ran[t]:
                self.by_file.setdefault(path, set()).add(t)
        self._trees, self._imports = {}, None

    def _read_coverage(self, path):
        db = sqlite3.connect(path)
        top = os.path.realpath(self.repo)  # the kept run may be reached through a link
        files = {fid: os.path.relpath(os.path.realpath(p), top) for fid, p in db.execute(
            "select id, path from file")}
        ctx = {cid: (name.split("|", 1)[0] if name else IMPORT_TIME)
               for cid, name in db.execute("select id, context from context")}
        rows = list(db.execute("select file_id, context_id, numbits from line_bits"))
        rows = [(f, c, numbits_lines(b)) for f, c, b in rows]
        if not rows:  # branch coverage: the lines are the arcs' ends
            by = {}
            for f, c, a, b in db.execute(
                    "select file_id, context_id, fromno, tono from arc"):
                by.setdefault((f, c), set()).update(x for x in (a, b) if x > 0)
            rows = [(f, c, ls) for (f, c), ls in by.items()]
        db.close()
        for fid, cid, lines in rows:
            who = ctx[cid]
            where = (self.at_import if who == IMPORT_TIME else
                     self.ran.setdefault(who, {}))
            where.setdefault(files[fid], set()).update(lines)

    def _read_junit(self, path):
        """Times and outcomes of the JUnit report's tests, named by node id; a test that
        failed or errored there, or that the report lacks, is never selected."""
        files = set(subprocess.run(["git", "-C", self.repo, "ls-tree", "-r", "--name-only",
                                    self.base], capture_output=True, text=True,
                                   check=True).stdout.split())
        by_key = {junit_key(t): t for t in self.ran}
        for case in ET.parse(path).iter("testcase"):
            key = (case.get("classname", ""), case.get("name", ""))
            t = by_key.get(key) or _node_id(key, files)
            if t is None:
                continue
            self.time[t] = float(case.get("time") or 0.0)
            self.ran.setdefault(t, {})  # a test that ran no line of the package
            if case.find("failure") is not None or case.find("error") is not None:
                self.bad.add(t)
        self.bad.update(t for t in self.ran if t not in self.time)

    def source(self, path):
        """The base commit's ast of PATH, or None."""
        if path not in self._trees:
            res = subprocess.run(["git", "-C", self.repo, "show", "%s:%s" % (self.base, path)],
                                 capture_output=True)
            try:
                self._trees[path] = ast.parse(res.stdout) if not res.returncode else None
            except (SyntaxError, ValueError):
                self._trees[path] = None
        return self._trees[path]

    def imports(self):
        """{test file: set of dotted names it imports, with every enclosing package}."""
        if self._imports is None:
            self._imports = {}
            for path in sorted({t.split("::", 1)[0] for t in self.tests}):
                names = set()
                for node in ast.walk(self.source(path) or ast.Module(body=[])):
                    names.update(_imported(node, module_name(path), path))
                for n in list(names):
                    parts = n.split(".")
                    names.update(".".join(parts[:i]) for i in range(1, len(parts)))
                self._imports[path] = names
        return self._imports


def _imported(node, here, path):
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        pkg = here.split(".") if path.endswith("__init__.py") else here.split(".")[:-1]
        pkg = pkg[:len(pkg) - node.level + 1]
        mod = ".".join(pkg + ([node.module] if node.module else []))
    else:
        mod = node.module or ""
    return [mod] + ["%s.%s" % (mod, a.name) for a in node.names if a.name != "*"]


def changed_lines(repo, base, head):
    """{path: (set of changed base lines, set of base lines after which lines were added)}
    for the Python files the diff BASE..HEAD changes, from its hunk headers."""
    out = subprocess.run(["git", "-C", repo, "diff", "-U0", "--no-renames", base, head,
                          "--", "*.py"], capture_output=True, text=True, check=True).stdout
    per, path = {}, None
    for line in out.splitlines():
        if line.startswith("--- "):
            path = line[6:] if line.startswith("--- a/") else None
        m = HUNK.match(line)
        if m and path:
            start, count = int(m.group(1)), int(m.group(2) or 1)
            lines, after = per.setdefault(path, (set(), set()))
            if count:
                lines.update(range(start, start + count))
            else:
                after.add(start)
    return per


def _span(node):
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno


def _statement(tree, line):
    """The base lines of the statement holding LINE: all of a simple statement, the header of
    a compound one (up to its first inner statement)."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            a, b = _span(node)
            if a <= line <= b and (best is None or b - a <= best[1] - best[0]):
                best = (a, b, node)
    if best is None:
        return {line}
    a, b, node = best
    inner = [c.lineno for c in ast.iter_child_nodes(node) if isinstance(c, ast.stmt)]
    if inner:
        b = max(node.lineno, min(inner) - 1)
    return set(range(a, b + 1)) | {line}


def _function(tree, line):
    """(first, last) line of the innermost function holding LINE, or None at module level."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a, b = _span(node)
            if a <= line <= b and (best is None or b - a < best[1] - best[0]):
                best = (a, b)
    return best


def _covered(rec, path):
    lines = set(rec.at_import.get(path, ()))
    for t in rec.by_file.get(path, ()):
        lines |= rec.ran[t][path]
    return lines


def widen(rec, changed):
    """{path: set of base lines to look for}: each changed line widened to its statement; an
    added line to every covered line of its enclosing function (of the file at module level)."""
    out = {}
    for path, (lines, after) in changed.items():
        tree = rec.source(path)
        want = set()
        for ln in lines:
            want |= _statement(tree, ln) if tree else {ln}
        for ln in after:
            fn = (_function(tree, ln) or _function(tree, ln + 1)) if tree else None
            covered = _covered(rec, path)
            want |= {x for x in covered if fn is None or fn[0] <= x <= fn[1]}
        out[path] = want
    return out


def affected(rec, want):
    """{test: changed lines it ran}; a changed line run at import time counts for every test
    that ran a line of its file (every test when none did)."""
    hits = {}
    for path, lines in want.items():
        early = len(lines & rec.at_import.get(path, set()))
        touched = rec.by_file.get(path) or (rec.tests if early else ())
        for t in touched:
            n = len(lines & rec.ran[t].get(path, set())) + early
            if n:
                hits[t] = hits.get(t, 0) + n
    return hits


def importers(rec, paths):
    """Three lists of tests, cheapest first, none twice: those that ran a line of PATHS, those
    in test files importing one of their modules, those importing one through its package."""
    mods = {module_name(p) for p in paths}
    pkgs = {".".join(m.split(".")[:i]) for m in mods for i in range(1, m.count(".") + 1)}
    imports = rec.imports()
    ran = set().union(*(rec.by_file.get(p, set()) for p in paths))
    direct, through = set(), set()
    for t in rec.tests:
        names = imports.get(t.split("::", 1)[0], set())
        if names & mods:
            direct.add(t)
        elif names & pkgs:
            through.add(t)
    groups, seen = [], set()
    for g in (ran, direct, through):
        groups.append(sorted(g - seen, key=lambda t: (rec.time[t], t)))
        seen |= g
    return groups


def orders(rec, repo, head):
    """{baseline name: tests in the order it takes them} for the commit HEAD (its parent is
    the recorded base)."""
    changed = changed_lines(repo, rec.base, head)
    hits = affected(rec, widen(rec, changed))
    eps = 1e-6

    def per_second(t):
        return hits[t] / max(rec.time[t], eps)

    def focused(t):
        return hits[t] / math.sqrt(max(rec.size[t], 1)) / max(rec.time[t], eps)

    a = sorted(hits, key=lambda t: (-per_second(t), rec.time[t], t))
    c = sorted(hits, key=lambda t: (-focused(t), rec.time[t], t))
    rest = [t for g in importers(rec, changed) for t in g if t not in hits]
    return {NAMES[0]: a, NAMES[1]: a + rest, NAMES[2]: c + rest}


def fill(rec, order, budget):
    """Knapsack-greedy: take the tests of ORDER that still fit in BUDGET seconds (None: all)."""
    if budget is None:
        return list(order)
    out, used = [], 0.0
    for t in order:
        if used + rec.time[t] <= budget + 1e-9:
            out.append(t)
            used += rec.time[t]
    return out
