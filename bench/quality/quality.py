#!/usr/bin/python3
"""quality.py - "make bench-quality": how many real faults does a test budget catch?

For each package (python3-pint, python3-mpmath, python3-nltk): copy it into a temporary
repository, record a run with git covopt record, commit mutants of its code (and changes made of
2 to 4 of them) on top, find the tests each one fails, then score git covopt select against
five baselines.
Usage: quality.py [--quick] [--results DIR] [--packages pint,mpmath,nltk] [--keep] [--rescore DIR]
"""
import argparse
import concurrent.futures
import hashlib
import json
import math
import os
import pickle
import random
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutants  # noqa: E402
import scoring  # noqa: E402
from suite import Suite, git, log  # noqa: E402

WORKERS = 2
SHARES = {"module": 0.12, "class": 0.10, "rare": 0.20, "function": 0.58}
RARE = 3            # a function reached by at most this many tests is rarely reached
AGREEMENT = 0.98    # the shortcut is used only if it agrees this well with full runs
STATE_FILE = "state.pickle"  # a kept package's suite, cases and facts, for --rescore


class Case:
    """A fault: a commit on top of the recorded one, and what the tests say about it."""

    def __init__(self, name, type, sha, changed, sites):
        self.name, self.type, self.sha = name, type, sha
        self.changed = changed      # {path: set of original lines}
        self.sites = sites
        self.failing = set()
        self.how = None             # "covering" or "full": how the failing set was found


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="one package (pint), 60 faults, 10 multi-mutant changes, 10 "
                    "mutants validated (a full run: 200, 50 and 25 per package); "
                    "writes quality-quick.csv and .md")
    ap.add_argument("--packages", help="comma-separated, from: pint, mpmath, nltk")
    ap.add_argument("--faults", type=int, help="killed single mutants wanted per package")
    ap.add_argument("--multi", type=int, help="changes of 2 to 4 mutants per package")
    ap.add_argument("--validate", type=int, help="mutants also run on the full suite")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--results", help="directory for quality.csv and quality.md")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary repositories, with cases.jsonl: each fault, "
                    "its failing tests and which selections caught it")
    ap.add_argument("--resume", metavar="FILE",
                    help="keep each fault's failing tests in FILE as they are found, and "
                    "take those an earlier run with the same FILE found: a long run cut "
                    "short goes on where it stopped")
    ap.add_argument("--rescore", metavar="DIR",
                    help="score again the faults of a run kept with --keep in DIR (its "
                    "ground truth as it was), recording its model again with the "
                    "git-covopt on PATH: to judge a change to select in minutes")
    a = ap.parse_args(argv)
    quick = a.quick
    a.named = a.packages.split(",") if a.packages else []
    a.packages = a.named or (["pint"] if quick and not a.rescore
                             else ["pint", "mpmath", "nltk"])
    a.saved = SavedTruth(a.resume) if a.resume else None
    a.faults = a.faults or (60 if quick else 200)
    a.multi = a.multi if a.multi is not None else (10 if quick else 50)
    a.validate = a.validate or (10 if quick else 25)
    return a


# ---- faults ------------------------------------------------------------------

def source_files(suite):
    out = git(suite.repo, "ls-files", "--", suite.module).split()
    return [p for p in out if p.endswith(".py") and not p.startswith(suite.testdir + "/")]


def classify(suite, files):
    """The mutation sites of the package by stratum, and how many no test reaches."""
    strata = {k: (v, []) for k, v in SHARES.items()}
    unreached = 0
    for path in files:
        for site in mutants.find_sites(path, files[path]):
            tests, at_import = suite.covering({path: site.lines})
            if not tests and not at_import:
                unreached += 1
                continue
            if site.loc in ("module", "class"):
                stratum = site.loc
            elif not at_import and len(tests) <= RARE:
                stratum = "rare"
            else:
                stratum = "function"
            strata[stratum][1].append(site)
    return strata, unreached


class Truth:
    """Finds the failing tests of cases, two at a time: by running the tests that run the
    changed code, unless that code runs at import time or which tests run it depends on the
    order of the suite (see Suite.order_dependent); then by running the whole suite."""

    def __init__(self, suite, saved=None):
        self.suite = suite
        self.saved = saved          # SavedTruth of --resume, or None
        self.shortcut = True
        self.pool = concurrent.futures.ThreadPoolExecutor(WORKERS)
        self.seconds = {"covering": 0.0, "full": 0.0}

    def _failing(self, sha, tests):
        """The tests of TESTS (None: the whole suite) that fail on SHA, set-aside ones left
        out; from --resume's file when an earlier run found them."""
        key = SavedTruth.key(self.suite.name, sha, tests)
        failed = self.saved.get(key) if self.saved else None
        if failed is None:
            results = self.suite.run(sha, tests)
            failed = {t for t, o in results.items() if o == "failed"}
            if self.saved:
                self.saved.put(key, failed)
        return {t for t in failed if t not in self.suite.set_aside}

    def _one(self, case, mode):
        t0 = time.time()
        how, failing = self._find(case, mode)
        self.seconds[how] += time.time() - t0
        return how, failing

    def _find(self, case, mode):
        tests, at_import = self.suite.covering(case.changed)
        if mode == "full" or at_import or not self.shortcut or \
           self.suite.order_dependent(case.changed):
            return "full", self._failing(case.sha, None)
        return "covering", self._failing(case.sha, tests)

    def run(self, cases, mode="auto"):
        """Fill case.failing and case.how for CASES."""
        futs = {self.pool.submit(self._one, c, mode): c for c in cases}
        done = 0
        for fut in concurrent.futures.as_completed(futs):
            c = futs[fut]
            c.how, c.failing = fut.result()
            done += 1
            if done % 10 == 0 or done == len(cases):
                log("  %s: %d/%d faults run" % (self.suite.name, done, len(cases)))

    def validate(self, cases, rng, n):
        """Run N random cases of CASES (found by covering tests) on the full suite too;
        return (agreement of the failing sets, of killed-or-not, sample size, disagreements).
        The full runs' sets are kept. Turns the shortcut off below AGREEMENT."""
        pick = rng.sample(cases, min(n, len(cases)))
        short = {c.name: set(c.failing) for c in pick}
        self.run(pick, mode="full")
        same = sum(short[c.name] == c.failing for c in pick)
        same_kill = sum(bool(short[c.name]) == bool(c.failing) for c in pick)
        diff = ["%s (%s): covering %d, full %d failing" %
                (c.name, c.sites[0].describe(), len(short[c.name]), len(c.failing))
                for c in pick if short[c.name] != c.failing]
        agree = same / len(pick) if pick else 1.0
        if agree < AGREEMENT:
            self.shortcut = False
        return agree, same_kill / len(pick) if pick else 1.0, len(pick), diff


class SavedTruth:
    """--resume FILE: the failing tests found for (package, commit, tests run), one JSON line
    each, appended as they are found, so that a run cut short goes on where it stopped. The
    commits are the same from run to run (fixed dates and contents), so are the keys."""

    def __init__(self, path):
        self.path, self.known, self.reused = path, {}, 0
        self.lock = threading.Lock()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    try:
                        obj = json.loads(line)
                        self.known[obj["key"]] = set(obj["failed"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short when the run was stopped

    @staticmethod
    def key(package, sha, tests):
        which = "all" if tests is None else hashlib.sha1(
            "\n".join(sorted(tests)).encode()).hexdigest()
        return "%s %s %s" % (package, sha, which)

    def get(self, key):
        with self.lock:
            found = self.known.get(key)
            self.reused += found is not None
            return found

    def put(self, key, failed):
        with self.lock:
            self.known[key] = set(failed)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"key": key, "failed": sorted(failed)}) + "\n")


def make_single(suite, files, site, n):
    text = site.apply(files[site.path])
    sha = suite.commit({site.path: text}, "mutant %d: %s" % (n, site.describe()))
    return Case("m%03d" % n, "single", sha, {site.path: set(site.lines)}, [site])


def make_multi(suite, files, parts, n):
    new, changed = {}, {}
    for s in parts:
        new[s.path] = s.apply(files[s.path])
        changed[s.path] = set(s.lines)
    sha = suite.commit(new, "fault %d: %d mutants" % (n, len(parts)))
    return Case("c%03d" % n, "multi", sha, changed, parts)


def faults(suite, args, rng, facts):
    """Killed single mutants and killed multi-mutant changes of SUITE."""
    files = {}
    for p in source_files(suite):
        with open(os.path.join(suite.repo, p), encoding="utf-8") as f:
            files[p] = f.read()
    strata, unreached = classify(suite, files)
    facts["sites"] = sum(len(v[1]) for v in strata.values()) + unreached
    facts["unreached sites"] = unreached
    dumps = {}

    def accept(site):
        if site.path not in dumps:
            dumps[site.path] = mutants.ast.dump(mutants.ast.parse(files[site.path]))
        return mutants.is_valid(site, files[site.path], dumps[site.path])

    sampler = mutants.Sampler(strata, rng)
    truth = Truth(suite, args.saved)
    reused = args.saved.reused if args.saved else 0
    killed, tried = [], []
    while len(killed) < args.faults and len(tried) < 4 * args.faults:
        want = math.ceil((args.faults - len(killed)) * (1.5 if tried else 1.35)) + 4
        sites = sampler.draw(want, accept)
        if not sites:
            break
        batch = [make_single(suite, files, s, len(tried) + i + 1)
                 for i, s in enumerate(sites)]
        tried += batch
        log("%s: running %d mutants" % (suite.name, len(batch)))
        t0 = time.time()
        truth.run(batch)
        if "validation" not in facts:
            short = [c for c in batch if c.how == "covering"]
            agree, agree_kill, n, diff = truth.validate(short, rng, args.validate)
            facts["validation"] = (agree, agree_kill, n, diff)
            log("%s: validation on %d mutants: failing sets agree %.1f%%, killed-or-not "
                "%.1f%%" % (suite.name, n, 100 * agree, 100 * agree_kill))
            if not truth.shortcut:
                log("%s: below %.0f%%: every mutant runs the full suite" %
                    (suite.name, 100 * AGREEMENT))
                truth.run([c for c in batch if c.how == "covering"], mode="full")
        log("%s: batch took %.0f s" % (suite.name, time.time() - t0))
        killed += [c for c in batch if c.failing]
    killed = killed[:args.faults]
    used = {c.name for c in killed}
    facts["mutants run"] = len(tried)
    facts["not killed"] = sum(1 for c in tried if not c.failing)
    facts["killed beyond the target"] = sum(1 for c in tried if c.failing) - len(used)
    facts["killed by stratum"] = {k: sum(1 for c in killed if c.sites[0].stratum == k)
                                  for k in SHARES}
    facts["killed by kind"] = {k: sum(1 for c in killed if c.sites[0].kind == k)
                               for k in mutants.KINDS}
    facts["found by covering tests"] = sum(1 for c in tried if c.how == "covering")
    facts["found by the full suite"] = sum(1 for c in tried if c.how == "full")
    facts["run seconds"] = dict(truth.seconds)
    facts["reused"] = (args.saved.reused if args.saved else 0) - reused

    multis, n = [], 0
    while len(multis) < args.multi and n < 3 * args.multi:
        batch = []
        for _ in range(args.multi - len(multis)):
            n += 1
            k = rng.randint(2, 4)
            by_file = {}
            for c in rng.sample(killed, len(killed)):
                by_file.setdefault(c.sites[0].path, c.sites[0])
                if len(by_file) == k:
                    break
            if len(by_file) < 2:
                break
            batch.append(make_multi(suite, files, list(by_file.values()), n))
        if not batch:
            break
        log("%s: running %d multi-mutant changes" % (suite.name, len(batch)))
        truth.run(batch)
        multis += [c for c in batch if c.failing]
    facts["multi-mutant changes run"] = n
    facts["multi-mutant changes not killed"] = n - len(multis)
    truth.pool.shutdown()
    return killed, multis[:args.multi]


# ---- the whole run -----------------------------------------------------------

def bench_package(name, args, workdir):
    facts = {}
    suite = Suite(name, os.path.join(workdir, name), WORKERS)
    rng = random.Random("%s:%d" % (name, args.seed))
    t0 = time.time()
    suite.create()
    suite.record()
    suite.save_durations()
    facts["tests"] = len(suite.ids)
    facts["suite time s"] = round(suite.suite_time, 2)
    facts["set aside"] = dict(sorted(suite.set_aside.items()))
    singles, multis = faults(suite, args, rng, facts)
    facts["hung"] = len(suite.hung)
    if args.keep:
        with open(os.path.join(suite.workdir, STATE_FILE), "wb") as f:
            pickle.dump({"suite": suite.state(), "singles": singles, "multis": multis,
                         "facts": facts, "quick": args.quick}, f)
    log("%s: scoring %d cases" % (name, len(singles) + len(multis)))
    rows, tallies = scoring.score(suite, singles + multis)
    facts["invalid ids"] = sorted({t for tl in tallies.values() for t in tl.invalid_ids})[:10]
    facts["select errors"] = [e for tl in tallies.values() for e in tl.errors][:5]
    facts["minutes"] = round((time.time() - t0) / 60, 1)
    if args.keep:
        with open(os.path.join(suite.workdir, "cases.jsonl"), "w") as f:
            for c in singles + multis:
                f.write(json.dumps({
                    "name": c.name, "sha": c.sha, "how": c.how,
                    "sites": [s.describe() + " [%s]" % s.stratum for s in c.sites],
                    "failing": sorted(c.failing), "caught": c.caught}) + "\n")
    else:
        suite.cleanup()
    return rows, facts


def rescore_package(name, args, workdir):
    """Score again the kept run of NAME in WORKDIR: same faults and failing sets, a model
    recorded again from the kept coverage and JUnit report, the current git-covopt."""
    t0 = time.time()
    with open(os.path.join(workdir, name, STATE_FILE), "rb") as f:
        kept = pickle.load(f)
    suite = Suite.restore(os.path.join(workdir, name), kept["suite"])
    git(suite.repo, "covopt", "record", "-q", "--coverage", ".coverage",
        "--junit", "junit.xml")
    facts = kept["facts"]
    cases = kept["singles"] + kept["multis"]
    log("%s: scoring %d kept cases again" % (name, len(cases)))
    rows, tallies = scoring.score(suite, cases)
    facts["invalid ids"] = sorted({t for tl in tallies.values() for t in tl.invalid_ids})[:10]
    facts["select errors"] = [e for tl in tallies.values() for e in tl.errors][:5]
    facts["minutes"] = round((time.time() - t0) / 60, 1)
    facts["rescored"] = True
    return rows, facts, kept["quick"]


def fact_lines(name, f):
    agree, agree_kill, n, diff = f["validation"]
    out = [
        "%s: %d tests (%d set aside), suite time %.1f s (sum of test times, with coverage)" %
        (name, f["tests"], len(f["set aside"]), f["suite time s"]),
        "  mutation sites %d (%d reached by no code run, not used); mutants run %d, "
        "not killed %d (set aside)" % (f["sites"], f["unreached sites"], f["mutants run"],
                                       f["not killed"]),
        "  killed mutants used by stratum: %s" %
        ", ".join("%s %d" % kv for kv in f["killed by stratum"].items()),
        "  by kind: %s" % ", ".join("%s %d" % kv for kv in f["killed by kind"].items()),
        "  multi-mutant changes run %d, not killed %d" %
        (f["multi-mutant changes run"], f["multi-mutant changes not killed"]),
        "  tests that hung or crashed their run (counted as failing): %d" % f["hung"],
        "  ground truth: %d mutants by their covering tests (%.0f s), %d by the full suite "
        "(%.0f s)%s" % (f["found by covering tests"], f["run seconds"]["covering"],
                        f["found by the full suite"], f["run seconds"]["full"],
                        "; %d runs taken from --resume's file" % f["reused"]
                        if f.get("reused") else ""),
        "  validation of the covering-tests shortcut on %d random mutants against full "
        "runs: failing sets agree %.1f%%, killed-or-not %.1f%%%s" %
        (n, 100 * agree, 100 * agree_kill,
         "" if agree >= AGREEMENT else " -> shortcut not used"),
    ]
    out += ["    differs: %s" % d for d in diff]
    if f["set aside"]:
        out.append("  tests set aside:")
        out += ["    %s (%s)" % kv for kv in f["set aside"].items()]
    if f["invalid ids"]:
        out.append("  invalid ids printed: %s" % ", ".join(f["invalid ids"]))
    if f["select errors"]:
        out.append("  select errors: %s" % "; ".join(f["select errors"]))
    out.append("  took %.1f min%s" % (f["minutes"], " (scoring again a kept run's faults)"
                                      if f.get("rescored") else ""))
    return out


def report(args, rows, facts, minutes, out):
    """Print the table and the facts to OUT; write the CSV and Markdown files."""
    kind = "quick" if args.quick else "full"
    title = "git covopt selection quality (%s run, %.0f min)" % (kind, minutes)
    if set(facts) != set(args.packages):
        title += ", partial: %s done" % ", ".join(facts)
    if args.rescore:
        title += ", the faults of a kept run scored again"
    if out:
        print(title, file=out)
        print(file=out)
        print("\n".join(scoring.table_lines(rows, markdown=False)), file=out)
        print(file=out)
        print("caught % by selector (unlimited: and mean selected time)", file=out)
        print("\n".join(scoring.summary_lines(rows, markdown=False)), file=out)
        print(file=out)
        for name, f in facts.items():
            print("\n".join(fact_lines(name, f)), file=out)
    if not args.results:
        return
    os.makedirs(args.results, exist_ok=True)
    stem = os.path.join(args.results, "quality" + ("-quick" if args.quick else ""))
    scoring.write_csv(stem + ".csv", rows)
    with open(stem + ".md", "w") as md:
        md.write("# %s\n\n" % title)
        md.write("Caught %: share of the killed faults (single mutants, and changes made of 2 "
                 "to 4 mutants in different files) for which a selected test fails.\n"
                 "Budgets are shares of the suite's test time; mean time is the selected "
                 "tests' recorded time; select ms is the median wall time of one "
                 "`git covopt select`; invalid counts cases whose printed ids are not all "
                 "test ids of the suite.\n\n")
        md.write("\n".join(scoring.table_lines(rows, markdown=True)) + "\n\n")
        md.write("Caught % by selector; for no budget, with the mean selected time:\n\n")
        md.write("\n".join(scoring.summary_lines(rows, markdown=True)) + "\n\n")
        for name, f in facts.items():
            md.write("```\n" + "\n".join(fact_lines(name, f)) + "\n```\n\n")
    log("wrote %s.csv and %s.md" % (stem, stem))


def rescore(args):
    all_rows, all_facts = [], {}
    t0 = time.time()
    for name in args.packages:
        if not os.path.exists(os.path.join(args.rescore, name, STATE_FILE)):
            if name in args.named:
                sys.exit("quality.py: no kept run of %s in %s" % (name, args.rescore))
            continue
        rows, facts, args.quick = rescore_package(name, args, args.rescore)
        all_rows += rows
        all_facts[name] = facts
    if not all_facts:
        sys.exit("quality.py: no kept run in %s (run with --keep)" % args.rescore)
    args.packages = list(all_facts)
    report(args, all_rows, all_facts, (time.time() - t0) / 60, sys.stdout)
    return 0


def main(argv):
    args = parse_args(argv)
    if args.rescore:
        return rescore(args)
    workdir = tempfile.mkdtemp(prefix="covopt-quality.")
    all_rows, all_facts = [], {}
    t0 = time.time()
    try:
        for name in args.packages:
            rows, facts = bench_package(name, args, workdir)
            all_rows += rows
            all_facts[name] = facts
            if name != args.packages[-1]:
                report(args, all_rows, all_facts, (time.time() - t0) / 60, None)
    finally:
        if args.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report(args, all_rows, all_facts, (time.time() - t0) / 60, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
