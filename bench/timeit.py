#!/usr/bin/python3
"""timeit.py - best wall time and peak memory of a command over repeated runs.

Usage: timeit.py RUNS COMMAND [ARG...]
Prints "SECONDS PEAK_KIB": the fastest of RUNS runs (output discarded; a
failing run is an error) and the largest peak resident set of any run.
"""
import os
import resource
import subprocess
import sys
import time


def main():
    runs = int(sys.argv[1])
    cmd = sys.argv[2:]
    best = None
    peak = 0
    for _ in range(runs):
        pid_start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.execvp(cmd[0], cmd)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - pid_start
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("timeit: %s failed" % " ".join(cmd))
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, usage.ru_maxrss)
    print("%.6f %d" % (best, peak))


if __name__ == "__main__":
    main()
