"""scoring.py - the selectors the quality benchmark compares, and the table of how they do.

git covopt select runs as a user runs it (in a worktree, HEAD is the fault's commit, HEAD~1 the
recorded one); the baselines are computed here: random tests within the budget (seeded by
case and budget), the safe affected set cut to the budget, shortest test first, and the three
strong baselines of baselines.py, which read only what a user has (the diff, .coverage, JUnit).
"""
import csv
import os
import random
import statistics
import subprocess
import time

import baselines

def budgets(spec=os.environ.get("QUALITY_BUDGETS")):
    """The budgets scored: 2, 5, 10 and 25% and none, or QUALITY_BUDGETS="0.5,1,2" (percent;
    no budget is always scored), to see a ranking change where the usual budgets saturate."""
    shares = [2, 5, 10, 25] if not spec else [float(x) for x in spec.split(",")]
    return [("%g%%" % p, p / 100) for p in shares] + [("unlimited", None)]


BUDGETS = budgets()
SELECTORS = ["git-covopt", "random", "safe-affected"] + baselines.NAMES


def select_covopt(suite, case, budget):
    """(ids printed by git covopt select HEAD~1 -t BUDGET -z, seconds it took, error or None),
    with HEAD at the case's commit in the scoring worktree."""
    suite.checkout(suite.score_tree, case.sha)
    cmd = ["git", "covopt", "select", "HEAD~1", "-z"]
    if budget is not None:
        cmd += ["-t", "%.3f" % budget]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=suite.score_tree[0], capture_output=True)
    took = time.perf_counter() - t0
    if res.returncode:
        return [], took, res.stderr.decode(errors="replace").strip() or "exit %d" % res.returncode
    ids = [t.decode("utf-8", errors="replace") for t in res.stdout.split(b"\0") if t]
    return ids, took, None


def select_random(suite, case, label, budget):
    """Tests in a random order (seeded by package, case and budget) while they fit."""
    order = [t for t in suite.ids if t not in suite.set_aside]
    random.Random("%s:%s:%s" % (suite.name, case.name, label)).shuffle(order)
    return _fill(suite, order, budget, stop_at_first_miss=False)


def select_safe(suite, case, budget):
    """The tests whose coverage includes a changed line, shortest first, while they fit."""
    tests, _ = suite.covering(case.changed)
    order = sorted(tests, key=lambda t: (suite.cost.get(t, 0.0), suite.index[t]))
    return _fill(suite, order, budget, stop_at_first_miss=True)


def _fill(suite, order, budget, stop_at_first_miss):
    if budget is None:
        return list(order)
    out, used = [], 0.0
    for t in order:
        c = suite.cost.get(t, 0.0)
        if used + c > budget + 1e-9:
            if stop_at_first_miss:
                break
            continue
        out.append(t)
        used += c
    return out


class Tally:
    """What one selector did at one budget over the cases of one package."""

    def __init__(self):
        self.cases = self.caught = 0
        self.by_type = {"single": [0, 0], "multi": [0, 0]}
        self.times, self.counts, self.walls = [], [], []
        self.invalid_cases = 0
        self.invalid_ids = []
        self.errors = []

    def add(self, suite, case, ids, wall=None, error=None):
        self.cases += 1
        self.by_type[case.type][0] += 1
        if wall is not None:
            self.walls.append(wall)
        if error:
            self.errors.append("%s: %s" % (case.name, error))
        bad = [t for t in ids if t not in suite.index]
        if bad:
            self.invalid_cases += 1
            self.invalid_ids.extend(bad[:3])
        self.times.append(sum(suite.cost.get(t, 0.0) for t in ids))
        self.counts.append(len(ids))
        caught = not bad and not error and bool(case.failing.intersection(ids))
        if caught:
            self.caught += 1
            self.by_type[case.type][1] += 1
        return caught

    def row(self, package, label, selector):
        def pct(a, b):
            return 100.0 * b / a if a else float("nan")
        return {
            "package": package, "budget": label, "selector": selector,
            "cases": self.cases, "caught": self.caught,
            "caught_pct": pct(self.cases, self.caught),
            "single_pct": pct(*self.by_type["single"]),
            "multi_pct": pct(*self.by_type["multi"]),
            "mean_time_s": statistics.fmean(self.times) if self.times else 0.0,
            "mean_tests": statistics.fmean(self.counts) if self.counts else 0.0,
            "median_select_ms": 1000 * statistics.median(self.walls) if self.walls else None,
            "invalid_cases": self.invalid_cases,
        }


def score(suite, cases):
    """Run every selector on every case at every budget; return the table rows and the
    tallies ({(budget label, selector): Tally}). Sets case.caught {"budget selector": bool}."""
    tallies = {(b, s): Tally() for b, _ in BUDGETS for s in SELECTORS}
    rec = baselines.Recorded(suite.repo, suite.base, os.path.join(suite.repo, ".coverage"),
                             os.path.join(suite.repo, "junit.xml"))
    for case in cases:
        case.caught = {}
        strong = baselines.orders(rec, suite.repo, case.sha)
        for label, share in BUDGETS:
            budget = None if share is None else share * suite.suite_time
            ids, wall, err = select_covopt(suite, case, budget)
            picks = {"git-covopt": ids, "random": select_random(suite, case, label, budget),
                     "safe-affected": select_safe(suite, case, budget)}
            for name, order in strong.items():
                picks[name] = baselines.fill(rec, order, budget)
            for sel, ids in picks.items():
                tl = tallies[label, sel]
                if sel == "git-covopt":
                    ok = tl.add(suite, case, ids, wall, err)
                else:
                    ok = tl.add(suite, case, ids)
                case.caught["%s %s" % (label, sel)] = ok
    rows = [tallies[b, s].row(suite.name, b, s) for b, _ in BUDGETS for s in SELECTORS]
    return rows, tallies


CSV_FIELDS = ["package", "budget", "selector", "cases", "caught", "caught_pct", "single_pct",
              "multi_pct", "mean_time_s", "mean_tests", "median_select_ms", "invalid_cases"]


def _fmt(v, nd=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "-" if v != v else "%.*f" % (nd, v)
    return str(v)


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (round(v, 4) if isinstance(v, float) else
                            ("" if v is None else v)) for k, v in r.items()})


def summary_lines(rows, markdown):
    """Caught % by selector, one column each, a row per package and budget; the unlimited
    rows also give the mean selected test time in seconds."""
    sels = [s for s in SELECTORS if any(r["selector"] == s for r in rows)]
    keys = []
    for r in rows:
        if (r["package"], r["budget"]) not in keys:
            keys.append((r["package"], r["budget"]))
    by = {(r["package"], r["budget"], r["selector"]): r for r in rows}
    head = ["package", "budget"] + sels
    body = []
    for pkg, budget in keys:
        cells = [pkg, budget]
        for s in sels:
            r = by.get((pkg, budget, s))
            cell = _fmt(r["caught_pct"]) if r else "-"
            if r and budget == "unlimited":
                cell += " (%ss)" % _fmt(r["mean_time_s"], 2)
            cells.append(cell)
        body.append(cells)
    return _layout(head, body, 2, markdown)


def _layout(head, body, left, markdown):
    if markdown:
        out = ["| " + " | ".join(head) + " |",
               "|" + "|".join("---" if i < left else "---:" for i in range(len(head))) + "|"]
        return out + ["| " + " | ".join(b) + " |" for b in body]
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    return ["  ".join(c.ljust(w) if i < left else c.rjust(w)
                      for i, (c, w) in enumerate(zip(cells, widths)))
            for cells in [head, ["-" * w for w in widths]] + body]


def table_lines(rows, markdown):
    """The result table as text lines (aligned, or a Markdown table)."""
    head = ["package", "budget", "selector", "cases", "caught %", "single %", "multi %",
            "mean time s", "mean tests", "select ms", "invalid"]
    body = []
    for r in rows:
        body.append([r["package"], r["budget"], r["selector"], str(r["cases"]),
                     _fmt(r["caught_pct"]), _fmt(r["single_pct"]), _fmt(r["multi_pct"]),
                     _fmt(r["mean_time_s"], 2), _fmt(r["mean_tests"]),
                     _fmt(r["median_select_ms"]), str(r["invalid_cases"])])
    if markdown:
        out = ["| " + " | ".join(head) + " |",
               "|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|"]
        return out + ["| " + " | ".join(b) + " |" for b in body]
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    def line(cells):
        return "  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    out = [line(head), "  ".join("-" * w for w in widths)]
    prev = None
    for b in body:
        if prev and (b[0], b[1]) != prev:
            out.append("")
        out.append(line(b))
        prev = (b[0], b[1])
    return out
