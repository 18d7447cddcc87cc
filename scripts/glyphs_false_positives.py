#!/usr/bin/env python3
"""Measure the `glyphs` rule's false positives on clean Chinese text.

Runs `rinse --no-config --only glyphs --report` over each corpus and prints, per corpus, its
size in MB (10^6 bytes of UTF-8), the changes, the changed characters and the changed
characters per MB, then a table of the changes grouped by their likely cause:

  list/symbol   the character before is a symbol, digit or punctuation mark (① — －)
  traditional   the rule converted a traditional character (reason says so)
  name          the character is inside a personal name from the names list, or
                right after a common surname (a guess), or the corpus is the names corpus
  word          the character is inside a dictionary word (jieba's dict.txt) in its context:
                a rare but real word that the rule broke
  other         none of the above (a real typo in raw text lands here too)

Every change in a corpus of clean text counts; the classes only say where to look.
The target: at most 1 changed character per MB in modern simplified text, none in
traditional or classical text.

Usage:

  python3 scripts/fetch_fp_corpus.py                       # once: fetch the corpora
  python3 scripts/glyphs_false_positives.py --rinse PATH   # all corpora
  python3 scripts/glyphs_false_positives.py --script simplified FILE...

Default corpora: the texts that scripts/fetch_fp_corpus.py wrote into
$RINSE_FP_CORPUS_CACHE/text (or ~/.cache/rinse-fp-corpus/text), then the Chinese files of
fixtures/clean/. The output is deterministic for a given rinse binary and corpora.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = 8  # characters of context on each side

# The most common Chinese surnames (simplified), for guessing that a character starts a name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")

# Characters that rarely stand inside a two-character given name.
FUNCTION = set("的了是在和与及也都就把被让给对从向着过吗呢吧啊")

CLASSES = ["list/symbol", "traditional", "name", "word", "other"]


def cache_dir() -> Path:
    return Path(os.environ.get("RINSE_FP_CORPUS_CACHE")
                or Path.home() / ".cache" / "rinse-fp-corpus")


def default_corpora() -> list[Path]:
    out = sorted((cache_dir() / "text").glob("*.txt"))
    out += sorted(p for p in (ROOT / "fixtures" / "clean").glob("*.txt")
                  if p.name.startswith(("zh-", "mixed-")))
    return out


def load_list(name: str) -> set[str]:
    p = cache_dir() / "lists" / name
    if not p.exists():
        print(f"note: {p} is missing (run scripts/fetch_fp_corpus.py); "
              "the name and word classes will be smaller", file=sys.stderr)
        return set()
    return set(p.read_text(encoding="utf-8").split("\n")) - {""}


def is_han(c: str) -> bool:
    return "CJK UNIFIED" in unicodedata.name(c, "") or "CJK COMPATIBILITY IDEO" in unicodedata.name(c, "")


def changed_chars(before: str, after: str) -> int:
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    j = 0
    while (j < min(len(before), len(after)) - i
           and before[-1 - j] == after[-1 - j]):
        j += 1
    return max(len(before) - i - j, len(after) - i - j)


def covering(line: str, start: int, end: int, vocab: set[str], lengths=(2, 3, 4)) -> str | None:
    """The longest vocab entry in line that covers [start, end), if any."""
    best = None
    for n in lengths:
        for s in range(max(0, end - n), min(start, len(line) - n) + 1):
            w = line[s:s + n]
            if w in vocab and (best is None or len(w) > len(best)):
                best = w
    return best


def classify(corpus: str, line: str, col: int, before: str, reason: str,
             names: set[str], words: set[str]) -> tuple[str, str]:
    start, end = col - 1, col - 1 + len(before)
    if before and all(not is_han(c) for c in before):
        return "list/symbol", ""
    if "traditional" in reason:
        return "traditional", ""
    if "names-in-frames" in corpus:
        return "name", ""
    w = covering(line, start, end, names, (2, 3, 4))
    if w:
        return "name", w
    for k in (1, 2):
        if start - k >= 0 and line[start - k] in SURNAMES and (
                k == 1 or (is_han(line[start - 1]) and line[start - 1] not in FUNCTION)):
            # Surname right before (X?Y): a guess, marked with '?'.
            if not covering(line, start - k, start, words, (2, 3, 4)):
                return "name", line[start - k:end] + "?"
    w = covering(line, start, end, words, (2, 3, 4))
    if w:
        return "word", w
    return "other", ""


def run_rinse(rinse: str, path: Path, script: str | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        cmd = [rinse, "--no-config", "--only", "glyphs", "-j1", "--report", str(report),
               "-o", os.devnull]
        if script:
            cmd += ["--script", script]
        cmd.append(str(path))
        subprocess.run(cmd, check=True)
        rows = [json.loads(r) for r in report.read_text(encoding="utf-8").splitlines() if r]
    return [r for r in rows if r.get("rule") == "glyphs"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, help="text files (default: all corpora)")
    ap.add_argument("--rinse", default=os.environ.get("RINSE", "rinse"),
                    help="the rinse binary (default: $RINSE or rinse on PATH)")
    ap.add_argument("--script", choices=["auto", "simplified", "keep"],
                    help="pass --script MODE to rinse (default: rinse's own default)")
    ap.add_argument("--examples", type=int, default=25,
                    help="rows of the change table per class (default 25)")
    args = ap.parse_args()
    names, words = load_list("person-names.txt"), load_list("words.txt")
    corpora = args.corpora or default_corpora()
    if not corpora:
        sys.exit("no corpora: run scripts/fetch_fp_corpus.py first")

    summary = []
    for path in corpora:
        data = path.read_bytes()
        lines = data.decode("utf-8").split("\n")
        mb = len(data) / 1e6
        rows = run_rinse(args.rinse, path, args.script)
        groups: dict[str, collections.Counter] = {c: collections.Counter() for c in CLASSES}
        example: dict[tuple, tuple[str, str]] = {}
        chars = 0
        for r in rows:
            line = lines[r["line"] - 1]
            col = r["column"]
            cls, hint = classify(path.name, line, col, r["before"], r["reason"], names, words)
            n = changed_chars(r["before"], r["after"])
            chars += n
            key = (r["before"], r["after"])
            groups[cls][key] += n
            if (cls, key) not in example:
                s, e = col - 1, col - 1 + len(r["before"])
                ctx = (line[max(0, s - CONTEXT):s] + "[" + line[s:e] + "]"
                       + line[e:e + CONTEXT])
                example[(cls, key)] = (ctx, hint or r["reason"])
        per_mb = chars / mb if mb else 0.0
        summary.append((path.name, mb, len(rows), chars, per_mb,
                        {c: sum(groups[c].values()) for c in CLASSES}))
        print(f"== {path.name}: {mb:.3f} MB, {len(rows)} changes, {chars} changed characters, "
              f"{per_mb:.1f} per MB")
        for cls in CLASSES:
            g = groups[cls]
            if not g:
                continue
            total = sum(g.values())
            print(f"  -- {cls}: {total} characters, {len(g)} distinct changes")
            ranked = sorted(g.items(), key=lambda kv: (-kv[1], kv[0]))
            for (b, a), count in ranked[:args.examples]:
                ctx, why = example[(cls, (b, a))]
                print(f"    {count:5d}  {b}→{a}  {ctx}  ({why})")
            if len(ranked) > args.examples:
                print(f"    ... {len(ranked) - args.examples} more")
        print()

    print("== summary" + (f" (--script {args.script})" if args.script else " (default script mode)"))
    head = f"{'corpus':48} {'MB':>7} {'changes':>8} {'chars':>6} {'per MB':>7}  " + \
        " ".join(f"{c:>11}" for c in CLASSES)
    print(head)
    for name, mb, n, chars, per_mb, by in summary:
        print(f"{name:48} {mb:7.3f} {n:8d} {chars:6d} {per_mb:7.1f}  "
              + " ".join(f"{by[c]:11d}" for c in CLASSES))


if __name__ == "__main__":
    main()
