"""covq_plugin.py - pytest plugin of the quality benchmark: one JSON line per test outcome.

Loaded with "-p covq_plugin" (bench/quality on PYTHONPATH). Writes to $COVQ_OUT, one object a
line, flushed at once so that a killed run keeps what it finished:
  {"start": ID}                              the test began (a hang leaves no matching result)
  {"id": ID, "outcome": O, "duration": S}    O is passed, failed or skipped (xfail counts as
                                             skipped); the duration sums setup, call, teardown
  {"collected": [ID...]}                     every test pytest collected, in run order
  {"package_file": PATH}                     __file__ of the package $COVQ_PACKAGE as imported
$COVQ_REVERSE set runs the tests in reverse order.
$COVQ_ALARM (seconds, default 60) bounds each test: a mutant that loops fails its test.
$COVQ_DURATIONS names a JSON map id -> baseline seconds; a test then gets 5 times its own time
on top.
"""
import json
import os
import signal
import sys

import pytest


class AlarmTimeout(BaseException):
    """Raised by the alarm inside a test that runs too long (not an Exception: tests that
    catch Exception must not swallow it)."""


_out = None
_results = {}
_durations = {}


def _emit(obj):
    _out.write(json.dumps(obj) + "\n")
    _out.flush()


def _on_alarm(signum, frame):
    raise AlarmTimeout("test ran too long")


def pytest_configure(config):
    global _out, _durations
    path = os.environ.get("COVQ_OUT")
    if not path:
        return
    _out = open(path, "a", encoding="utf-8")
    known = os.environ.get("COVQ_DURATIONS")
    if known:
        with open(known, encoding="utf-8") as f:
            _durations = json.load(f)
    signal.signal(signal.SIGALRM, _on_alarm)


def pytest_collection_modifyitems(session, config, items):
    if os.environ.get("COVQ_REVERSE"):
        items.reverse()


def pytest_collection_finish(session):
    if _out is None:
        return
    _emit({"collected": [item.nodeid for item in session.items]})
    pkg = os.environ.get("COVQ_PACKAGE")
    mod = sys.modules.get(pkg) if pkg else None
    if mod is not None:
        _emit({"package_file": os.path.abspath(mod.__file__)})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _out is None:
        yield
        return
    limit = float(os.environ.get("COVQ_ALARM", "60"))
    limit += 5 * _durations.get(item.nodeid, 0.0)
    _emit({"start": item.nodeid})
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def pytest_runtest_logreport(report):
    if _out is None:
        return
    res = _results.setdefault(report.nodeid, {"outcome": "passed", "duration": 0.0})
    res["duration"] += report.duration
    if report.failed:
        res["outcome"] = "failed"
    elif report.skipped and res["outcome"] == "passed":
        res["outcome"] = "skipped"
    if report.when == "teardown":
        _emit({"id": report.nodeid, "outcome": res["outcome"],
               "duration": round(res["duration"], 6)})
        del _results[report.nodeid]


def pytest_unconfigure(config):
    global _out
    if _out is not None:
        _out.close()
        _out = None
