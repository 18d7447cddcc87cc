#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the project's fixtures, for a first run without the
minimized corpora in corpus-min/.

Each seed is a piece of a fixture (up to 1,500 bytes, from the first 16,000 of each file), a
line of damaged Chinese in several legacy encodings, and a gzip header; the first byte of each
seed is the targets' control byte (chunk-size seed or rule choice), varied over the seeds.
Standard library only; run from anywhere.
"""

import glob
import hashlib
import os

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
TARGETS = ["pipeline", "decode", "line_rules"]
PIECE_BYTES = 1500
MAX_BYTES_PER_FILE = 16000


def pieces():
    sources = sorted(
        glob.glob(os.path.join(ROOT, "fixtures/clean/*.txt"))
        + glob.glob(os.path.join(ROOT, "fixtures/adversarial/*.txt"))
        + glob.glob(os.path.join(ROOT, "fixtures/seed/*.txt"))
        + [
            os.path.join(ROOT, "fixtures/mojibake/negatives.txt"),
            os.path.join(ROOT, "fixtures/mojibake/cjk.jsonl"),
        ]
    )
    for path in sources:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES_PER_FILE)
        for start in range(0, len(data), PIECE_BYTES):
            yield data[start : start + PIECE_BYTES]
    line = "原标题:山东东营市各级党组织囷广大党员干部投身疫情防控阻击战纪实,越是重要关头越能映照初心;\n"
    for encoding in ["gbk", "big5", "utf-16-le", "utf-16", "shift_jis", "euc-kr"]:
        yield line.encode(encoding, errors="replace")
    yield b"\x1f\x8b\x08\x00" + b"\x00" * 8


def main():
    for target in TARGETS:
        directory = os.path.join(FUZZ, "corpus", target)
        os.makedirs(directory, exist_ok=True)
        for i, piece in enumerate(pieces()):
            data = bytes([i % 256]) + piece
            name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)
    print(f"seeded {', '.join(TARGETS)} in {os.path.join(FUZZ, 'corpus')}")


if __name__ == "__main__":
    main()
