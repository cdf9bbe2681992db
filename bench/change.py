#!/usr/bin/python3
"""change.py - make a change of N files in a repository made by gen-coverage.py.

Usage: change.py DIR N [--seed S]
Edits the body of one function in each of N modules (chosen with the seed),
so that the change touches N files and N features; leaves it uncommitted.
"""
import argparse
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    mods = []
    for d in sorted(os.listdir(a.dir)):
        if d.startswith("pkg_"):
            for f in sorted(os.listdir(os.path.join(a.dir, d))):
                if f.startswith("mod_"):
                    mods.append(os.path.join(a.dir, d, f))
    for path in rng.sample(mods, a.n):
        with open(path) as fh:
            src = fh.read()
        f = rng.randrange(10)
        old = "    y = x + %d\n" % f
        assert old in src, path
        src = src.replace(old, "    y = x + %d + 1\n" % f, 1)
        with open(path, "w") as fh:
            fh.write(src)


if __name__ == "__main__":
    main()
