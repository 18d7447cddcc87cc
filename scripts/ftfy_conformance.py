#!/usr/bin/env python3
"""Run ftfy's own test cases through rinse and count how many come out right.

Not part of `cargo test`: it downloads. It fetches ftfy's source distribution from PyPI with
pip (`pip download --no-deps --no-binary :all: ftfy==VERSION`) into a temporary directory,
reads `tests/test_cases.json` from the archive (nothing of ftfy is stored in this
repository), runs each case's `original` through `rinse --only entities,mojibake,unicode`
and compares the output with the case's `fixed` text, or with its `fixed-encoding` text
where the case has one (what ftfy's encoding fix alone gives, before its style changes).

The comparison is style-neutral, the same fold on both sides: NFKC (full-width to ASCII,
ligatures, no-break space to space), curly quotes and apostrophes to straight ones, and
control characters removed (rinse's `unicode` rule drops them; ftfy keeps some). rinse keeps
curly quotes and Chinese punctuation on purpose, so those differences do not count.

Printed: the number of cases passed, the number ftfy itself expects to pass (`"expect":
"pass"`), and, separately, how many must-stay-unchanged cases (the original already equals
the fixed text under the fold) rinse changed. `--verbose` lists each failure.

Usage:
    cargo build --release
    python3 scripts/ftfy_conformance.py [--version 6.3.1] [--rinse target/release/rinse]
        [--rules entities,mojibake,unicode] [--sdist PATH] [--verbose]
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})


def fold(text):
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n")


def fetch_cases(version, sdist):
    with tempfile.TemporaryDirectory() as tmp:
        if sdist is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--no-binary", ":all:", f"ftfy=={version}", "-d", tmp],
                check=True,
            )
            found = glob.glob(os.path.join(tmp, "ftfy-*.tar.gz"))
            if not found:
                sys.exit("pip did not download an ftfy sdist")
            sdist = found[0]
        with tarfile.open(sdist) as tar:
            names = [n for n in tar.getnames() if n.endswith("tests/test_cases.json")]
            if not names:
                sys.exit(f"{sdist}: no tests/test_cases.json in the archive")
            return json.load(tar.extractfile(names[0]))


def run_rinse(rinse, rules, text):
    out = subprocess.run(
        [rinse, "--only", rules], input=text.encode("utf-8"), capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default="6.3.1")
    parser.add_argument("--rinse", default=os.path.join(ROOT, "target", "release", "rinse"))
    parser.add_argument("--rules", default="entities,mojibake,unicode")
    parser.add_argument("--sdist", help="use this ftfy sdist instead of downloading one")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(args.rinse):
        sys.exit(f"{args.rinse}: not found; run `cargo build --release` first")

    cases = fetch_cases(args.version, args.sdist)
    passed = 0
    unchanged_total = 0
    unchanged_broken = 0
    failures = []
    for i, case in enumerate(cases):
        original = case["original"]
        targets = [case["fixed"]] + ([case["fixed-encoding"]] if "fixed-encoding" in case else [])
        out = run_rinse(args.rinse, args.rules, original)
        ok = any(fold(out) == fold(t) for t in targets)
        passed += ok
        if fold(original) == fold(case["fixed"]):
            unchanged_total += 1
            if fold(out) != fold(original):
                unchanged_broken += 1
        if not ok:
            failures.append((i, case, out))

    expected_by_ftfy = sum(1 for c in cases if c.get("expect") == "pass")
    print(f"ftfy {args.version} test cases: {len(cases)}")
    print(f"rinse passes: {passed} of {len(cases)} (ftfy marks {expected_by_ftfy} as cases it passes)")
    print(f"must-stay-unchanged cases: {unchanged_total}; changed by rinse: {unchanged_broken}")
    if args.verbose:
        for i, case, out in failures:
            print(f"\n#{i} [{case.get('expect')}] {case.get('label')}")
            print(f"  original: {case['original']!r}")
            print(f"  expected: {case['fixed']!r}")
            if "fixed-encoding" in case:
                print(f"  encoding: {case['fixed-encoding']!r}")
            print(f"  rinse:    {out!r}")


if __name__ == "__main__":
    main()
