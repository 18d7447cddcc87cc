#!/usr/bin/env python3
"""Held-out evaluation of the `glyphs` rule: character-level precision and recall.

Clean modern Chinese prose (default: fixtures/clean/zh-simplified-jionlp-blog.txt, a source
other than the seed document) is damaged in three ways, each on its own copy of the text:

  seen         look-alikes from the build part of data/glyphs/confusions.txt (the part the
               rule's tables were made from);
  unseen       look-alikes from data/glyphs/confusions-heldout.txt, which the tables never saw:
               only the rule's generic sources (OpenCC, Unihan relations) can repair them;
  traditional  simplified-only characters replaced by their traditional form (OpenCC's
               STCharacters.txt, characters with a single traditional form).

A substitution is made at a rate of one in RATE eligible characters, by a fixed-seed random
generator, so runs are repeatable. Each damaged copy goes through `rinse --only glyphs`;
since the rule only substitutes characters one for one (pinyin removal aside, which this
damage never needs), output and clean text align character by character:

  precision = changed characters that now equal the clean text / all changed characters
  recall    = damaged characters restored / all damaged characters

The clean text itself is also run, and every change there is a false positive (reported per MB).

    python3 scripts/eval_glyphs.py [--rinse target/release/rinse] [--text FILE ...]
"""
import argparse
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 40  # one substitution per this many eligible characters


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            sys.exit(f"{path}: bad line {line!r}")
        damaged, intended = fields[0], fields[1].split()[0]
        if len(damaged) == 1 and len(intended) == 1:
            pairs.append((damaged, intended))
    return pairs


def read_s2t(path: Path) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        simplified, _, traditional = line.partition("\t")
        forms = traditional.split()
        if len(simplified) == 1 and len(forms) == 1 and forms[0] != simplified:
            table[simplified] = forms[0]
    return table


def damage(text: str, table: dict[str, str], rng: random.Random) -> str:
    out = []
    for c in text:
        if c in table and rng.randrange(RATE) == 0:
            out.append(table[c])
        else:
            out.append(c)
    return "".join(out)


def run(rinse: str, text: str) -> str:
    result = subprocess.run([rinse, "--only", "glyphs"], input=text.encode(), capture_output=True, check=True)
    return result.stdout.decode()


def score(clean: str, damaged: str, repaired: str) -> tuple[int, int, int, int]:
    if not (len(clean) == len(damaged) == len(repaired)):
        sys.exit("lengths differ: the rule changed the number of characters")
    damaged_count = sum(1 for c, d in zip(clean, damaged) if c != d)
    changed = [(c, r) for c, d, r in zip(clean, damaged, repaired) if d != r]
    right = sum(1 for c, r in changed if c == r)
    restored = sum(1 for c, d, r in zip(clean, damaged, repaired) if c != d and c == r)
    return damaged_count, len(changed), right, restored


def print_errors(name: str, clean: str, damaged: str, repaired: str) -> None:
    """Every position where the repaired text differs from the clean one, with the damaged
    text around it: `wrong` when the rule changed it to something else, `missed` when it left
    the damage."""
    for i, (c, d, r) in enumerate(zip(clean, damaged, repaired)):
        if c == r:
            continue
        kind = "missed" if d == r else "wrong"
        context = damaged[max(0, i - 8):i] + "[" + d + "]" + damaged[i + 1:i + 9]
        context = context.replace("\n", " ")
        print(f"  {name:<12} {kind:<7} {d}→{r} (meant {c})  {context}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rinse", default=str(ROOT / "target/release/rinse"))
    parser.add_argument("--text", nargs="*", default=[str(ROOT / "fixtures/clean/zh-simplified-jionlp-blog.txt")])
    parser.add_argument("--errors", action="store_true", help="list wrong changes and misses, in context")
    args = parser.parse_args()

    clean = "".join(Path(p).read_text(encoding="utf-8") for p in args.text)
    # The clean text must end with a newline for the output to align with it.
    if not clean.endswith("\n"):
        clean += "\n"
    # confusions.txt lists every curated pair; the generator builds the tables from those not
    # in confusions-heldout.txt.
    heldout_pairs = read_pairs(ROOT / "data/glyphs/confusions-heldout.txt")
    build_pairs = [p for p in read_pairs(ROOT / "data/glyphs/confusions.txt") if p not in heldout_pairs]
    seen = {intended: damaged for damaged, intended in build_pairs}
    unseen = {intended: damaged for damaged, intended in heldout_pairs}
    traditional = read_s2t(ROOT / "data/opencc/STCharacters.txt")

    print(f"pairs: {len(seen)} seen (build part), {len(unseen)} unseen (held out)")
    print(f"clean text: {len(clean.encode())} bytes, {len(clean)} characters; one substitution per {RATE} eligible characters")
    false_positives = sum(1 for a, b in zip(clean, run(args.rinse, clean)) if a != b)
    megabytes = len(clean.encode()) / 1e6
    print(f"clean text changed: {false_positives} characters ({false_positives / megabytes:.1f} per MB)")
    print(f"{'damage':<12} {'damaged':>8} {'changed':>8} {'right':>6} {'precision':>10} {'recall':>8}")
    for name, table in (("seen", seen), ("unseen", unseen), ("traditional", traditional)):
        damaged = damage(clean, table, random.Random(20261129))
        repaired = run(args.rinse, damaged)
        total, changed, right, restored = score(clean, damaged, repaired)
        if args.errors:
            print_errors(name, clean, damaged, repaired)
        precision = right / changed if changed else 1.0
        recall = restored / total if total else 1.0
        print(f"{name:<12} {total:>8} {changed:>8} {right:>6} {precision:>10.1%} {recall:>8.1%}")


if __name__ == "__main__":
    main()
