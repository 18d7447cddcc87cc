#!/usr/bin/env python3
"""Repair quality beside the other tools, on the benchmark's damaged corpus.

Usage: python3 bench/quality.py [--mb N] [--rinse PATH]

bench/gen_corpus.py writes damaged.txt as clean.txt with about one line in five damaged
(mojibake, look-alikes, stray traditional characters, ASCII punctuation, furniture lines
inserted after a line). The clean text is the answer key: each tool's output of the first N MB
of damaged.txt is compared with the matching part of clean.txt, and what still differs is
damage left (or damage made). Printed per tool:

  chars differing   characters that differ from the clean text, counted as the characters
                    of the clean and of the output side of each differing stretch
  lines differing   lines of the clean text with no identical line in the output

The tools run are rinse, ftfy (`ftfy.fix_text` a line at a time) and OpenCC (`opencc -c
t2s`) when they are installed, and "nothing" (the damaged text as it is), the baseline every
tool should improve on. Lower is better.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "bench", "out")


def prefix_paragraphs(path, limit):
    """The first paragraphs of `path` adding up to about `limit` bytes, as text."""
    with open(path, encoding="utf-8") as f:
        text = f.read(limit * 2)
    cut = text.find("\n\n", limit // 3)
    return text[: cut + 2] if cut >= 0 else text


def distance(clean, output):
    clean_lines, output_lines = clean.split("\n"), output.split("\n")
    matcher = difflib.SequenceMatcher(None, clean_lines, output_lines, autojunk=False)
    chars = lines = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lines += i2 - i1
        a, b = "\n".join(clean_lines[i1:i2]), "\n".join(output_lines[j1:j2])
        inner = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op2, p, q, r, s in inner.get_opcodes():
            if op2 != "equal":
                chars += (q - p) + (s - r)
    return chars, lines


def run(command, text):
    done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--rinse", default=os.path.join(ROOT, "target", "release", "rinse"))
    args = parser.parse_args()
    limit = int(args.mb * 1_000_000)
    damaged = prefix_paragraphs(os.path.join(OUT, "damaged.txt"), limit)
    # The clean twin of the same paragraphs: damaged.txt is made paragraph for paragraph.
    paragraphs = damaged.count("\n\n")
    with open(os.path.join(OUT, "clean.txt"), encoding="utf-8") as f:
        clean_all = f.read(limit * 3)
    parts = clean_all.split("\n\n")
    clean = "\n\n".join(parts[:paragraphs]) + "\n\n"
    tools = {"nothing": lambda text: text, "rinse": lambda text: run([args.rinse, "-j1"], text)}
    try:
        import ftfy

        tools["ftfy " + ftfy.__version__] = lambda text: "".join(
            ftfy.fix_text(line) for line in text.splitlines(keepends=True)
        )
    except ImportError:
        print("ftfy: not installed (pip install ftfy)", file=sys.stderr)
    if shutil.which("opencc"):
        tools["opencc t2s"] = lambda text: run(["opencc", "-c", "t2s"], text)
    else:
        print("opencc: not installed", file=sys.stderr)
    print(f"{len(damaged.encode('utf-8')) / 1e6:.2f} MB of damaged.txt, {paragraphs} paragraphs")
    print(f"{'tool':<14} {'chars differing':>16} {'lines differing':>16}")
    for name, tool in tools.items():
        chars, lines = distance(clean, tool(damaged))
        print(f"{name:<14} {chars:>16} {lines:>16}")


if __name__ == "__main__":
    main()
