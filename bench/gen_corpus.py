#!/usr/bin/env python3
"""Generate the benchmark corpora, deterministically (same arguments, same bytes).

Usage: python3 bench/gen_corpus.py [--size-mb N] [--out DIR] [--seed S]

Writes to DIR (default bench/out/, which git ignores):

- clean.txt     paragraphs of clean text, most of it simplified Chinese, about one paragraph in
                seven English, separated by blank lines. Sources: the clean fixtures in
                fixtures/clean/ (permissively licensed packages, see data/corpora/README.md)
                and the seed document's expected output.
- damaged.txt   the same paragraphs with about one line in five damaged, each with one kind of
                damage that rinse repairs: UTF-8 read as GBK (lossless and lossy) or, on
                English, as windows-1252; look-alike characters from data/glyphs/confusions.txt;
                stray traditional characters from OpenCC's data/opencc/STCharacters.txt; ASCII
                punctuation in Chinese sentences; and page-furniture lines (bylines, share bars,
                copyright lines) inserted after the line.
- clean.jsonl, damaged.jsonl
                the same text as JSON Lines: {"id": N, "text": "..."}, one object for every
                run of about 20 paragraphs.

Each file is cut at the first paragraph end past SIZE_MB megabytes (10^6 bytes).
"""

import argparse
import json
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

CHINESE_SOURCES = [
    "fixtures/clean/zh-simplified-jionlp-blog.txt",
    "fixtures/clean/zh-simplified-vscode.txt",
    "fixtures/clean/zh-simplified-udhr-mandarin-dialects.txt",
    "fixtures/clean/mixed-vscode-zh-hans.txt",
    "fixtures/clean/mixed-debmake-zh-cn.txt",
    "fixtures/seed/expected.txt",
]
ENGLISH_SOURCES = [
    "fixtures/clean/en-debmake.txt",
    "fixtures/clean/en-udhr.txt",
]
ENGLISH_SHARE = 1 / 7
DAMAGED_SHARE = 1 / 5
PARAGRAPHS_PER_JSON_RECORD = 20

# ASCII forms that careless typing or a converter puts into Chinese sentences.
HALF_WIDTH = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"}

FURNITURE = [
    "责任编辑：张三",
    "来源：新华网",
    "分享到：微信 微博 QQ空间",
    "上一篇：东营市召开疫情防控工作会议",
    "Copyright © 2020 example.com All Rights Reserved",
    "京ICP备12345678号",
    "本文来源于网络，如有侵权请联系删除",
    "当前位置：首页 > 新闻 > 正文",
    "点赞 收藏 评论",
]


def has_han(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def paragraphs(paths):
    found = []
    for path in paths:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            text = f.read()
        for block in text.split("\n\n"):
            block = block.strip("\n")
            if block.strip():
                found.append(block)
    return found


def load_lookalikes():
    """Intended character → look-alikes, from the curated list (look-alike TAB intended …)."""
    table = {}
    with open(os.path.join(ROOT, "data/glyphs/confusions.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and len(fields[0]) == 1:
                for target in fields[1].split():
                    table.setdefault(target, []).append(fields[0])
    return table


def load_traditional():
    """Simplified character → its traditional form, where OpenCC gives exactly one."""
    table = {}
    with open(os.path.join(ROOT, "data/opencc/STCharacters.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            forms = fields[1].split() if len(fields) > 1 else []
            if len(forms) == 1 and forms[0] != fields[0]:
                table[fields[0]] = forms[0]
    return table


def span(rng, line, length):
    """A random span of about `length` characters of `line`: (start, end)."""
    length = min(length, len(line))
    start = rng.randrange(0, len(line) - length + 1)
    return start, start + length


def as_gbk(text, lossy):
    """UTF-8 bytes read as GBK: 中文 → 涓枃. Lossy damage keeps U+FFFD where bytes were lost."""
    raw = text.encode("utf-8")
    if lossy:
        return raw.decode("gbk", errors="replace")
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("gbk", errors="replace")


def substitute(rng, line, table, count):
    spots = [i for i, c in enumerate(line) if c in table]
    if not spots:
        return None
    chars = list(line)
    for i in rng.sample(spots, min(count, len(spots))):
        forms = table[chars[i]]
        chars[i] = forms if isinstance(forms, str) else rng.choice(forms)
    return "".join(chars)


def damage(rng, line, lookalikes, traditional):
    """The line with one kind of damage, and maybe a furniture line after it; None when the
    chosen damage does not apply to this line."""
    if not has_han(line):
        if not any(ord(c) > 0x7F for c in line) and len(line) > 20:
            start, end = span(rng, line, 30)
            # English read through windows-1252 twice is ASCII again; use typographic quotes
            # that UTF-8 spreads over bytes windows-1252 shows as â€™.
            piece = line[start:end].replace("'", "\u2019") + "\u2014ok"
            return line[:start] + piece.encode("utf-8").decode("cp1252", errors="replace") + line[end:]
        return None
    kind = rng.randrange(6)
    if kind == 0:
        start, end = span(rng, line, rng.randrange(4, 16))
        return line[:start] + as_gbk(line[start:end], lossy=False) + line[end:]
    if kind == 1:
        start, end = span(rng, line, rng.randrange(4, 16))
        return line[:start] + as_gbk(line[start:end], lossy=True) + line[end:]
    if kind == 2:
        return substitute(rng, line, lookalikes, rng.randrange(1, 4))
    if kind == 3:
        return substitute(rng, line, traditional, rng.randrange(1, 3))
    if kind == 4:
        return substitute(rng, line, HALF_WIDTH, rng.randrange(1, 4))
    return line + "\n" + rng.choice(FURNITURE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chinese = paragraphs(CHINESE_SOURCES)
    english = paragraphs(ENGLISH_SOURCES)
    lookalikes = load_lookalikes()
    traditional = load_traditional()
    os.makedirs(args.out, exist_ok=True)
    limit = args.size_mb * 1_000_000

    outputs = {
        name: open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n")
        for name in ["clean.txt", "damaged.txt", "clean.jsonl", "damaged.jsonl"]
    }
    written = 0
    record = {"clean": [], "damaged": []}
    records = 0

    def flush_records():
        nonlocal records
        for variant in ["clean", "damaged"]:
            if record[variant]:
                text = "\n\n".join(record[variant]) + "\n"
                outputs[variant + ".jsonl"].write(
                    json.dumps({"id": records, "text": text}, ensure_ascii=False) + "\n"
                )
                record[variant].clear()
        records += 1

    first = True
    while written < limit:
        source = english if rng.random() < ENGLISH_SHARE else chinese
        paragraph = rng.choice(source)
        damaged_lines = []
        for line in paragraph.split("\n"):
            broken = None
            if line.strip() and rng.random() < DAMAGED_SHARE:
                broken = damage(rng, line, lookalikes, traditional)
            damaged_lines.append(broken if broken is not None else line)
        damaged = "\n".join(damaged_lines)
        separator = "" if first else "\n\n"
        first = False
        outputs["clean.txt"].write(separator + paragraph)
        outputs["damaged.txt"].write(separator + damaged)
        written += len((separator + paragraph).encode("utf-8"))
        record["clean"].append(paragraph)
        record["damaged"].append(damaged)
        if len(record["clean"]) >= PARAGRAPHS_PER_JSON_RECORD:
            flush_records()
    flush_records()
    outputs["clean.txt"].write("\n")
    outputs["damaged.txt"].write("\n")
    for f in outputs.values():
        f.close()


if __name__ == "__main__":
    main()
