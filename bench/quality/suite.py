"""suite.py - the real test suite of the quality benchmark: a package copied into a git repository.

A Suite holds a temporary repository with one installed Debian package copied into it, the
recorded run (test ids, outcomes, costs, per-line coverage by test) and a few worktrees in which
pytest runs the package's tests on any commit, without coverage, under time and memory limits.
"""
import ast
import concurrent.futures
import json
import os
import queue
import shutil
import sqlite3
import subprocess
import sys
import time

from coverage.numbits import numbits_to_nums

PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
MEMORY_LIMIT = 4 << 30          # bytes of address space for one pytest run
RUN_SLACK = 60                  # seconds on top of 3 times a run's expected time before
                                # it is killed
RUNS = 4                        # runs of what is left after a test hung
ALARM = 5                       # seconds a test may run on top of 5 times its usual time
SOLO = 3                        # at most this many tests cut short by their run's end are run
                                # again alone before they count as failing
IMPORT = -1                     # "test" index of code run outside any test (import time)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "covopt bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "covopt bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_AUTHOR_DATE": "1700000000 +0000", "GIT_COMMITTER_DATE": "1700000000 +0000",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}

# name -> (Debian package, import name, test directory inside the package)
PACKAGES = {
    "pint": ("python3-pint", "pint", "pint/testsuite"),
    "mpmath": ("python3-mpmath", "mpmath", "mpmath/tests"),
    "nltk": ("python3-nltk", "nltk", "nltk/test"),
}
# name -> pytest options for every run: test modules that need data Debian does not ship
# (nltk's corpora) fail to collect, which would stop the recorded runs
PYTEST_ARGS = {
    "nltk": ["--ignore=nltk/test/unit/%s.py" % m
             for m in ("test_corpora", "test_nombank", "test_wordnet")],
}
# name -> {module the tests import: Debian package that has it}
NEEDS = {"nltk": {"pytest_mock": "python3-pytest-mock"}}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def git(repo, *args, input=None, env=None):
    """Run git in REPO; return its stdout (text); raise on failure."""
    full = dict(os.environ, **GIT_ENV)
    if env:
        full.update(env)
    res = subprocess.run(["git", "-C", repo] + list(args), input=input,
                         capture_output=True, text=True, env=full)
    if res.returncode:
        raise RuntimeError("git %s failed: %s" % (" ".join(args), res.stderr.strip()))
    return res.stdout


def ensure_package(name):
    """Install the Debian package of NAME with apt-get when Python cannot import it; return
    the directory of the installed package."""
    deb, mod, _ = PACKAGES[name]
    for need, need_deb in NEEDS.get(name, {}).items():
        _install_for(need, need_deb)
    return _install_for(mod, deb)


def _install_for(mod, deb):
    """The directory of module MOD, once apt-get installed DEB if Python cannot import it.
    Without recommended packages: nltk's would bring numpy, which turns on pint's numpy tests."""
    probe = [PYTHON, "-c", "import %s, os; print(os.path.dirname(%s.__file__))" % (mod, mod)]
    res = subprocess.run(probe, capture_output=True, text=True, cwd="/")
    if res.returncode:
        log("installing %s with apt-get" % deb)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", deb],
                       check=True, stdout=subprocess.DEVNULL)
        res = subprocess.run(probe, capture_output=True, text=True, cwd="/", check=True)
    return res.stdout.strip()


def _score_tree_number(workdir):
    """The scoring worktree is the last one record() made: the highest wtN."""
    return max(int(n[2:]) for n in os.listdir(workdir)
               if n.startswith("wt") and n[2:].isdigit())


class Suite:
    """One package's repository, its recorded run and its worktrees."""

    def __init__(self, name, workdir, workers):
        self.name = name
        _, self.module, self.testdir = PACKAGES[name]
        self.workdir = workdir
        self.repo = os.path.join(workdir, "repo")
        self.nworkers = workers
        self.worktrees = queue.Queue()
        self.ids = []           # every collected test, in run order
        self.index = {}         # id -> position in self.ids
        self.cost = {}          # id -> seconds in the recorded run (with coverage)
        self.plain_cost = {}    # id -> seconds without coverage
        self.set_aside = {}     # id -> why (fails or errors on the unmodified code)
        self.lines = {}         # path -> {line: frozenset of test indexes, IMPORT}
        self.lines_reversed = {}  # the same, from the run in reverse order
        self.base = None        # the recorded commit
        self.suite_time = 0.0   # sum of the tests' costs
        self._mtime = int(time.time()) + 10
        self._stmt = {}
        self.hung = []          # tests that hung or crashed a run (they fail)

    # ---- setup ------------------------------------------------------------

    def create(self):
        """Copy the installed package into a new repository and commit it."""
        src = ensure_package(self.name)
        os.makedirs(self.repo)
        shutil.copytree(src, os.path.join(self.repo, self.module),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        git(self.repo, "init", "-q", "-b", "main")
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", "%s as installed" % self.name)
        self.base = git(self.repo, "rev-parse", "HEAD").strip()

    def record(self):
        """Create the worktrees, then run the whole suite three ways, two at a time: with
        coverage by test and a JUnit report (recorded with git covopt record), the same in
        reverse order (code that runs once for many tests, such as a lazy registry or a
        cache, is charged to another test then), and without coverage (the ground truth's
        own conditions). Fills ids, cost, plain_cost, set_aside, lines and lines_reversed."""
        for i in range(self.nworkers + 1):
            wt = os.path.join(self.workdir, "wt%d" % i)
            git(self.repo, "worktree", "add", "-q", "--detach", wt, self.base)
            if i < self.nworkers:
                self.worktrees.put([wt, self.base])
            else:
                self.score_tree = [wt, self.base]
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            fwd = pool.submit(self._coverage_run, self.repo, "forward", False)
            rev = pool.submit(self._coverage_run, self.score_tree[0], "reverse", True)
            res = fwd.result()
            self.ids = res["collected"]
            self.index = {t: i for i, t in enumerate(self.ids)}
            plain = pool.submit(self.run, self.base, None, True)
            rres = rev.result()
            plain = plain.result()
        log("%s: the three runs of the suite took %.0f s" % (self.name, time.time() - t0))
        for t in self.ids:
            outcome, dur = res["results"].get(t, ("failed", 0.0))
            self.cost[t] = dur
            if outcome == "failed":
                self.set_aside[t] = "fails on the unmodified code"
            elif rres["results"].get(t, ("failed",))[0] == "failed":
                self.set_aside[t] = "fails when the suite runs in reverse order"
            elif plain[t] == "failed":
                self.set_aside[t] = "fails without coverage"
        self.suite_time = sum(self.cost.values())
        git(self.repo, "covopt", "record", "-q", "--coverage", ".coverage",
            "--junit", "junit.xml")
        self.lines = self._read_coverage(os.path.join(self.repo, ".coverage"), self.repo)
        self.lines_reversed = self._read_coverage(
            os.path.join(self.score_tree[0], ".coverage"), self.score_tree[0])
        os.unlink(os.path.join(self.score_tree[0], ".coverage"))

    def _coverage_run(self, tree, what, reverse):
        out = os.path.join(self.workdir, "%s.jsonl" % what)
        cmd = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "covq_plugin",
               "--rootdir", tree, "--cov=%s" % self.module, "--cov-context=test",
               "--cov-report=", self.testdir] + PYTEST_ARGS.get(self.name, [])
        if not reverse:
            cmd.append("--junitxml=junit.xml")
        self._pytest(tree, cmd, out, os.path.join(self.workdir, "%s.log" % what), 3600,
                     {"COVQ_REVERSE": "1"} if reverse else {})
        res = self._read_results(out)
        where = res["package_file"]
        if not where or not where.startswith(tree + os.sep):
            raise RuntimeError("%s: the tests imported %r, not the copy in %s" %
                               (self.name, where, tree))
        return res

    def _read_coverage(self, path, tree):
        """{repository path: {line: frozenset of test indexes and IMPORT}}."""
        db = sqlite3.connect(path)
        files = dict(db.execute("select id, path from file"))
        ctx = {}
        for cid, name in db.execute("select id, context from context"):
            tid = name.rsplit("|", 1)[0] if "|" in name else name
            ctx[cid] = self.index.get(tid, IMPORT)
        lines = {}
        for fid, cid, bits in db.execute("select file_id, context_id, numbits from line_bits"):
            rel = os.path.relpath(files[fid], tree)
            per = lines.setdefault(rel, {})
            who = ctx[cid]
            for ln in numbits_to_nums(bits):
                per.setdefault(ln, set()).add(who)
        db.close()
        return {f: {ln: frozenset(s) for ln, s in per.items()} for f, per in lines.items()}

    # ---- commits ----------------------------------------------------------

    def commit(self, files, message):
        """A commit on top of the recorded commit that replaces FILES (path -> text)."""
        idx = os.path.join(self.workdir, "index.tmp")
        env = {"GIT_INDEX_FILE": idx}
        git(self.repo, "read-tree", self.base, env=env)
        for path, text in sorted(files.items()):
            blob = git(self.repo, "hash-object", "-w", "--stdin", "--path", path,
                       input=text).strip()
            git(self.repo, "update-index", "--cacheinfo", "100644,%s,%s" % (blob, path),
                env=env)
        tree = git(self.repo, "write-tree", env=env).strip()
        os.unlink(idx)
        sha = git(self.repo, "commit-tree", tree, "-p", self.base, "-m", message).strip()
        git(self.repo, "update-ref", "refs/covq/%s" % sha, sha)
        return sha

    def statement_lines(self, path):
        """{line: lines of the innermost statement holding it} for the recorded version of
        PATH. A statement's lines are all its lines, or for a compound statement its header
        (up to its first inner statement): coverage.py logs a multi-line statement on
        whichever of its lines ran, and a condition only up to where it short-circuited."""
        if path not in self._stmt:
            group = {}
            try:
                with open(os.path.join(self.repo, path), encoding="utf-8") as f:
                    tree = ast.parse(f.read())
            except (OSError, SyntaxError, ValueError):
                tree = None
            for node in ast.walk(tree) if tree else ():
                if not isinstance(node, ast.stmt):
                    continue  # walk goes outer to inner: inner statements win
                inner = [c.lineno for c in ast.iter_child_nodes(node)
                         if isinstance(c, ast.stmt)]
                last = max(node.lineno, min(inner) - 1) if inner else node.end_lineno
                lines = frozenset(range(node.lineno, last + 1))
                for ln in lines:
                    group[ln] = lines
            self._stmt[path] = group
        return self._stmt[path]

    def covering(self, changed, reverse=False):
        """(set of test ids whose coverage includes a line of a changed statement, whether
        code run at import time changed), from the recorded run or the reversed one."""
        tests, at_import = set(), False
        data = self.lines_reversed if reverse else self.lines
        for path, lns in changed.items():
            per = data.get(path, {})
            group = self.statement_lines(path)
            for ln in set(lns).union(*(group.get(x, ()) for x in lns)):
                for who in per.get(ln, ()):
                    if who == IMPORT:
                        at_import = True
                    else:
                        tests.add(self.ids[who])
        return tests, at_import

    def order_dependent(self, changed):
        """Whether the tests that run the changed code depend on the order of the suite:
        then a test may use what the changed code made for an earlier test, and only the
        whole suite tells which tests fail."""
        return self.covering(changed) != self.covering(changed, reverse=True)

    # ---- running tests ----------------------------------------------------

    def checkout(self, tree, sha):
        """Check out SHA in the worktree TREE ([path, current sha]). Every file that changes
        gets a new, never used mtime: Python's cached bytecode is checked by mtime in whole
        seconds and by size, which a same-size mutant written in the same second would fool."""
        wt, cur = tree
        if cur == sha:
            return
        names = git(wt, "diff", "--name-only", cur, sha).split()
        git(wt, "checkout", "-q", "-f", "--detach", sha)
        for n in names:
            p = os.path.join(wt, n)
            if os.path.exists(p):
                self._mtime += 1
                os.utime(p, (self._mtime, self._mtime))
        tree[1] = sha
        self._check_clean(wt, sha)

    def _check_clean(self, wt, sha):
        """Make sure the files of worktree WT are those of SHA: a --rescore of a kept run once
        found the scoring worktree holding an earlier fault's files under another HEAD (cause
        not found). Reset such a worktree hard and say so."""
        dirty = git(wt, "status", "--porcelain", "-uno").split("\n")[0]
        if dirty:
            log("%s: %s did not match %s after checkout (%s): reset" %
                (self.name, os.path.basename(wt), sha[:12], dirty.strip()))
            git(wt, "reset", "-q", "--hard", sha)
            if git(wt, "status", "--porcelain", "-uno").strip():
                raise RuntimeError("%s: cannot check out %s" % (wt, sha))

    def run(self, sha, ids, keep_costs=False):
        """Run the tests IDS (None: the whole suite) on commit SHA in a free worktree, without
        coverage; return {id: passed|failed|skipped} for every wanted test. A test that
        hangs or crashes the run fails and the rest run again (at most RUNS runs); a wanted
        test that never reports (its module no longer imports, its id vanished) fails."""
        tree = self.worktrees.get()
        try:
            self.checkout(tree, sha)
            return self._run_in(tree[0], ids, keep_costs)
        finally:
            self.worktrees.put(tree)

    def _pytest_args(self, wt, args):
        return ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:cov",
                "-p", "covq_plugin", "--rootdir", wt, "--continue-on-collection-errors",
                "--tb=no", "-rN"] + PYTEST_ARGS.get(self.name, []) + args

    def _expect(self, tests):
        return sum(self.plain_cost.get(t, self.cost.get(t, 1.0)) for t in tests)

    def _run_in(self, wt, ids, keep_costs):
        wanted = list(self.ids) if ids is None else [t for t in self.ids if t in ids]
        results, pending, whole = {}, wanted, ids is None
        out = os.path.join(wt, ".covq.jsonl")
        logf = os.path.join(wt, ".covq.log")
        cut_short = []
        for _ in range(RUNS):
            if os.path.exists(out):
                os.unlink(out)
            args = [self.testdir] if whole else pending
            self._pytest(wt, self._pytest_args(wt, args), out, logf,
                         RUN_SLACK + 3 * self._expect(pending))
            res = self._read_results(out)
            for t, (outcome, dur) in res["results"].items():
                results[t] = outcome
                if keep_costs:
                    self.plain_cost[t] = dur
            hung = [t for t in res["started"] if t not in res["results"]]
            for t in hung:
                results[t] = "failed"
            cut_short += hung
            pending = [t for t in pending if t not in results]
            whole = False
            if not hung or not pending:
                break
        else:
            cut_short += pending  # still hanging after RUNS tries
        self._recheck_alone(wt, cut_short, results)
        return {t: results.get(t, "failed") for t in wanted}

    def _recheck_alone(self, wt, cut_short, results):
        """A test counted failing only because its run ended while it ran (a loop, a crash, or
        a machine so loaded that the run's time ran out) is run once more alone when few are:
        only its own failure, alarm or crash then counts. Many cut short (a mutant that makes
        everything loop) are all counted failing, as the rerun would cost minutes."""
        if len(cut_short) > SOLO:
            self.hung += cut_short
            return
        out = os.path.join(wt, ".covq-solo.jsonl")
        for t in cut_short:
            if os.path.exists(out):
                os.unlink(out)
            self._pytest(wt, self._pytest_args(wt, [t]), out, os.path.join(wt, ".covq.log"),
                         RUN_SLACK + 3 * self._expect([t]))
            outcome = self._read_results(out)["results"].get(t, ("failed", 0))[0]
            results[t] = outcome
            if outcome == "failed":
                self.hung.append(t)

    def _pytest(self, cwd, args, out, logf, timeout, extra_env=None):
        env = dict(os.environ, COVQ_OUT=out, COVQ_PACKAGE=self.module, COVQ_ALARM="600",
                   PYTHONPATH=HERE, PYTHONHASHSEED="0", **(extra_env or {}))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if self.plain_cost:  # the usual times are known: bound each test tightly
            env["COVQ_DURATIONS"] = os.path.join(self.workdir, "durations.json")
            env["COVQ_ALARM"] = str(ALARM)
        with open(logf, "w") as lf:
            subprocess.run(["prlimit", "--as=%d" % MEMORY_LIMIT, "timeout", "-k", "10",
                            "%d" % timeout, PYTHON] + args,
                           cwd=cwd, env=env, stdout=lf, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL)

    def save_durations(self):
        with open(os.path.join(self.workdir, "durations.json"), "w") as f:
            json.dump(self.plain_cost, f)

    @staticmethod
    def _read_results(path):
        res = {"results": {}, "started": [], "collected": [], "package_file": None}
        if not os.path.exists(path):
            return res
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a kill
                if "id" in obj:
                    res["results"][obj["id"]] = (obj["outcome"], obj["duration"])
                elif "start" in obj:
                    res["started"].append(obj["start"])
                elif "collected" in obj:
                    res["collected"] = obj["collected"]
                elif "package_file" in obj:
                    res["package_file"] = obj["package_file"]
        return res

    # ---- keeping a run for rescoring ---------------------------------------

    STATE = ("name", "ids", "index", "cost", "plain_cost", "set_aside", "lines",
             "lines_reversed", "base", "suite_time", "hung")

    def state(self):
        """What scoring needs of this suite, as plain data (for --keep and --rescore)."""
        return {k: getattr(self, k) for k in self.STATE}

    @classmethod
    def restore(cls, workdir, state):
        """The suite of a kept run in WORKDIR, with its scoring worktree, from STATE."""
        suite = cls(state["name"], workdir, 0)
        for k in cls.STATE:
            setattr(suite, k, state[k])
        wt = os.path.join(workdir, "wt%d" % _score_tree_number(workdir))
        suite.score_tree = [wt, git(wt, "rev-parse", "HEAD").strip()]
        return suite

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
