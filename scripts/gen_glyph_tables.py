#!/usr/bin/env python3
"""Generate the candidate tables of the `glyphs` rule from their named sources.

The `glyphs` rule repairs look-alike substitutions (囷 for 和, 湔 for 前, ┅ for 一) and stray
traditional characters with a noisy-channel decoder. For each suspicious character, candidate
replacements come from several sources, each with its own prior. This script builds one Rust
module per kind of source:

- src/tables/glyph_opencc.rs, from data/opencc/ (OpenCC's dictionaries, Apache-2.0):
  traditional → simplified characters (all candidates, OpenCC's default first), the
  traditional → simplified phrase exceptions (乾隆 stays 乾隆, 乾淨 → 干净), and two sets:
  characters that are only traditional and characters that are only simplified (see
  `script_sets` below for the 乾/干 cases).
- src/tables/glyph_unihan.rs, from data/unihan/ (Unihan 15.0.0, Unicode License v3): phonetic
  classes (kPhonetic) and their members, "rare = radical + common character" pairs (湔 = 氵 + 前),
  radical swaps on the same phonetic part (粅 ~ 物), look-alike variants (kSpoofingVariant,
  kZVariant, kSemanticVariant), and for the characters of the 通用规范汉字表 (kTGH) their index
  and Mandarin reading, for homophones (作 ~ 做).
- src/tables/glyph_curated.rs, from data/glyphs/ (hand-curated): the build part of the curated
  confusion table, the symbols that stand for 一 (┅ ─ ー …), and the financial numerals (陸 → 六).
- src/tables/glyph_suspects.rs, from the three tables above and data/jieba/dict.txt: for each
  character of the BMP, whether the `glyphs` rule takes it for a look-alike suspect, whether it
  is traditional-only or simplified-only, and whether an OpenCC phrase starts with it, as bit
  sets that the rule reads with one look-up per character of a line. What makes a look-alike
  suspect mirrors `is_lookalike_suspect` in src/rules/glyphs.rs, whose threshold
  (`RARE_CHAR_COUNT`) and readmitted characters (`STANDARD_IN_SIMPLIFIED`) are read from that
  file; the rule's tests check every bit against the tables.

It also writes data/glyphs/confusions-heldout.txt, the held-out part of the curated confusion
table: the lines of data/glyphs/confusions.txt seen in the seed document always go to the build
part; the others are split by a stable hash of the damaged character (the first byte of its
SHA-256 even: build, odd: held out), so the split does not change when lines are added.

Every source is checked: OpenCC files against the SHA-256 recorded in data/opencc/SOURCE, Unihan
files against one Unicode version and each field's syntax, curated files against Unicode names,
Unihan's numeric values and the seed document. Any surprise stops the script with a message that
names the file and line.

Scope of the Unihan tables: CJK unified ideographs of the Basic Multilingual Plane (U+3400..U+4DBF,
U+4E00..U+9FFF and the twelve unified ideographs in U+FA0E..U+FA29). Look-alike damage has to
display in common fonts, and the characters it stands for are common ones (all 3500 of level 1
of the 通用规范汉字表 are in the BMP); leaving out the supplementary planes halves the tables and
lets them store characters as u16.

Usage:
    python3 scripts/gen_glyph_tables.py                  # regenerate everything from data/
    python3 scripts/gen_glyph_tables.py --unihan /usr/share/unicode
                                                         # read the full Unihan files instead of
                                                         # the checked-in subset (same output)
    python3 scripts/gen_glyph_tables.py --extract-unihan /usr/share/unicode
                                                         # rewrite data/unihan/ from a UCD
    python3 scripts/gen_glyph_tables.py --coverage       # also print which sources cover each
                                                         # seed repair and curated pair
    python3 scripts/gen_glyph_tables.py --check          # fail if an output is out of date
"""

import argparse
import bz2
import difflib
import hashlib
import io
import os
import re
import sys
import unicodedata
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SCRIPT = "scripts/gen_glyph_tables.py"

# Which code points are unified CJK ideographs: one list, kept in gen_unicode_tables.py.
from gen_unicode_tables import is_unified  # noqa: E402  (scripts/ is on sys.path when run)

# Unihan files and the fields used from each.
UNIHAN_FIELDS = {
    "Unihan_DictionaryLikeData": ["kCangjie", "kPhonetic"],
    "Unihan_IRGSources": ["kRSUnicode", "kTotalStrokes"],
    "Unihan_NumericValues": ["kAccountingNumeric", "kOtherNumeric", "kPrimaryNumeric"],
    "Unihan_OtherMappings": ["kTGH"],
    "Unihan_Readings": ["kMandarin"],
    "Unihan_Variants": ["kSemanticVariant", "kSimplifiedVariant", "kSpoofingVariant",
                        "kTraditionalVariant", "kZVariant"],
}

# Field syntax, as in UAX #38 for Unicode 15.0 (one value; values are separated by spaces).
VARIANT_VALUE = r"U\+[23]?[0-9A-F]{4}(<[A-Za-z0-9_:,]+)?"
FIELD_SYNTAX = {
    "kCangjie": r"[A-Z]{0,5}",
    "kPhonetic": r"[1-9][0-9]{0,3}[A-Dx]?\*?",
    "kRSUnicode": r"[1-9][0-9]{0,2}'{0,2}\.-?[0-9]{1,2}",
    "kTotalStrokes": r"[1-9][0-9]{0,2}",
    "kAccountingNumeric": r"[0-9]+",
    "kOtherNumeric": r"[0-9]+",
    "kPrimaryNumeric": r"[0-9]+",
    "kTGH": r"20[0-9]{2}:[1-9][0-9]{0,3}",
    "kMandarin": r"[a-zàáèéìíòóùúüāēěīńňōūǎǐǒǔǘǚǜǹḿ]+",
    "kSemanticVariant": VARIANT_VALUE,
    "kSimplifiedVariant": VARIANT_VALUE,
    "kSpoofingVariant": VARIANT_VALUE,
    "kTraditionalVariant": VARIANT_VALUE,
    "kZVariant": VARIANT_VALUE,
}

# 通用规范汉字表 (2013): entries 1..3500 are level 1 (常用字), 3501..6500 level 2, 6501..8105
# level 3.
TGH_LEVELS = [(3500, 1), (6500, 2), (8105, 3)]

# Evidence bits of the radical relations (mirrored by `Evidence` in glyph_unihan.rs).
PHONETIC, SHAPE, READING, READING_TONELESS, VIA_TRADITIONAL, STROKES_DIFFER = 1, 2, 4, 8, 16, 32

# At most this many radical-swap candidates per rare character (the strongest are kept).
MAX_SWAPS = 8

# The jieba dictionary, whose character counts (summed over the words, as build.rs sums them for
# `lm::char_count`) tell rare characters from common ones.
JIEBA_DICT = os.path.join("data", "jieba", "dict.txt")

# The rule whose line scan glyph_suspects.rs serves, and from which its two settings are read.
GLYPHS_RULE = os.path.join("src", "rules", "glyphs.rs")

# Below this nothing is a suspect (`FIRST_SUSPECT` in the rule): the blocks of the suspect table
# start here.
FIRST_SUSPECT = 0x2000

CONFUSION_SOURCES = ["radical-added", "radical-swapped", "phonetic-homophone", "shape",
                     "traditional", "numeral"]
STROKE_KINDS = ["box-drawing", "letter", "cjk-stroke", "dash"]


class InputError(Exception):
    pass


def fail(path, lineno, message):
    raise InputError(f"{os.path.relpath(path, ROOT)}:{lineno}: {message}")




def in_scope(cp):
    """The Unihan tables cover the unified ideographs of the BMP."""
    return cp <= 0xFFFF and is_unified(cp)


def read_text(path, what, final_newline=True):
    if not os.path.isfile(path):
        raise InputError(f"{os.path.relpath(path, ROOT)}: not found ({what})")
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".bz2"):
        try:
            raw = bz2.decompress(raw)
        except (OSError, ValueError) as e:
            raise InputError(f"{os.path.relpath(path, ROOT)}: not a bzip2 file ({e})")
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(path, 1, "starts with a byte-order mark")
    if b"\r" in raw:
        fail(path, raw[: raw.index(b"\r")].count(b"\n") + 1, "carriage return; expected LF line ends")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(path, raw[: e.start].count(b"\n") + 1, f"not UTF-8 ({e.reason})")
    if not final_newline:
        return text.split("\n")
    if text and not text.endswith("\n"):
        fail(path, text.count("\n") + 1, "last line has no line end")
    return text.split("\n")[:-1]


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------------------------------------
# OpenCC


def read_opencc_source(directory):
    """data/opencc/SOURCE: package, version, and the SHA-256 of every file."""
    path = os.path.join(directory, "SOURCE")
    info = {"files": {}}
    for lineno, line in enumerate(read_text(path, "the provenance of the OpenCC files"), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] in ("package", "version", "registry") and len(fields) == 2:
            info[fields[0]] = fields[1]
        elif fields[0] == "wheel" and len(fields) == 3:
            info["wheel"] = fields[1]
        elif fields[0] == "file" and len(fields) == 4 and re.fullmatch(r"[0-9a-f]{64}", fields[3]):
            info["files"][fields[1]] = (fields[2], fields[3], lineno)
        else:
            fail(path, lineno, f"unexpected line {line!r}")
    for key in ("package", "version"):
        if key not in info:
            fail(path, 0, f"no '{key}' line")
    for name, (origin, digest, lineno) in info["files"].items():
        file_path = os.path.join(directory, name)
        if not os.path.isfile(file_path):
            fail(path, lineno, f"{name} is listed but missing")
        if sha256_file(file_path) != digest:
            fail(path, lineno,
                 f"{name} differs from the copy of {origin} in {info['package']} {info['version']} "
                 "recorded here; if you updated OpenCC on purpose, update this file too")
    for name in ("TSCharacters.txt", "TSPhrases.txt", "STCharacters.txt"):
        if name not in info["files"]:
            fail(path, 0, f"{name} is not listed")
    return info


def read_opencc_dict(path, single):
    """An OpenCC dictionary: `key<TAB>value[ value…]` per line, sorted, no duplicate keys.

    With `single`, keys and values are single characters (TSCharacters, STCharacters); otherwise
    they are phrases of equal length (TSPhrases)."""
    entries = []
    previous = None
    for lineno, line in enumerate(read_text(path, "an OpenCC dictionary"), 1):
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0] or not fields[1]:
            fail(path, lineno, f"expected 'key<TAB>values', found {line!r}")
        key, values = fields[0], fields[1].split(" ")
        if any(not v for v in values) or len(set(values)) != len(values):
            fail(path, lineno, f"empty or repeated value in {line!r}")
        if single:
            if len(key) != 1 or any(len(v) != 1 for v in values):
                fail(path, lineno, f"expected single characters, found {line!r}")
            if values == [key]:
                fail(path, lineno, f"{key} maps only to itself")
        else:
            if len(key) < 2 or any(len(v) != len(key) for v in values):
                fail(path, lineno, f"expected a phrase and same-length conversions, found {line!r}")
        for ch in key + "".join(values):
            if not is_unified(ord(ch)) and ch not in "·":
                fail(path, lineno, f"U+{ord(ch):04X} {ch} is not a CJK unified ideograph")
        if previous is not None and key <= previous:
            fail(path, lineno, f"{key} is out of order or repeated (after {previous})")
        previous = key
        entries.append((key, values, lineno))
    if len(entries) < 100:
        fail(path, len(entries), "fewer than 100 entries; wrong file?")
    return entries


def build_opencc(directory, standard):
    info = read_opencc_source(directory)
    ts = read_opencc_dict(os.path.join(directory, "TSCharacters.txt"), single=True)
    st = read_opencc_dict(os.path.join(directory, "STCharacters.txt"), single=True)
    phrases = read_opencc_dict(os.path.join(directory, "TSPhrases.txt"), single=False)
    ts_map = {k: v for k, v, _ in ts}
    st_map = {k: v for k, v, _ in st}
    traditional_only, simplified_only = script_sets(ts_map, st_map, standard)
    return {
        "package": info["package"],
        "version": info["version"],
        "ts": ts_map,
        "st": st_map,
        "phrases": [(k, v[0], v[1:]) for k, v, _ in phrases],
        "traditional_only": traditional_only,
        "simplified_only": simplified_only,
    }


def script_sets(ts, st, standard):
    """Characters that belong to one script only.

    traditional-only: OpenCC's T→S table changes the character and never leaves it (it is not
        among its own targets: 乾 → 干 乾 keeps 乾 for 乾隆, so 乾 is not traditional-only), no
        T→S entry produces it (it is nobody's simplified form), and S→T does not map it.
        幹 (→ 干) is traditional-only; 乾 is not.
    simplified-only: OpenCC's S→T table changes the character and never leaves it (干 → 幹 乾 干
        keeps 干, as in 干涉, so 干 is not simplified-only), no S→T entry produces it (it is
        nobody's traditional form), and T→S does not map it. 们 (→ 們) and 发 (→ 發 髮) are
        simplified-only; 干, 后 (→ 後 后) and 面 (→ 面 麪) are not.

    A character of the 通用规范汉字表 (`standard`, from Unihan's kTGH) is never traditional-only,
    even when OpenCC converts it: the standard keeps 吒 (哪吒), 祕 (祕鲁), 甯 and 陞 (names) and a
    few more for special uses.

    A character in neither set is shared by both scripts or unknown to OpenCC."""
    ts_targets = {t for targets in ts.values() for t in targets}
    st_targets = {t for targets in st.values() for t in targets}
    traditional_only = sorted(
        c for c, targets in ts.items()
        if c not in targets and c not in ts_targets and c not in st and ord(c) not in standard)
    simplified_only = sorted(
        c for c, targets in st.items() if c not in targets and c not in st_targets and c not in ts)
    overlap = set(traditional_only) & set(simplified_only)
    if overlap:
        raise InputError(f"characters both traditional-only and simplified-only: {''.join(sorted(overlap))}")
    return traditional_only, simplified_only


# ---------------------------------------------------------------------------------------------
# Unihan


def unihan_path(directory, stem):
    for name in (f"{stem}.txt", f"{stem}.txt.bz2", f"{stem}-subset.txt.bz2"):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    raise InputError(
        f"{os.path.relpath(directory, ROOT)}: no {stem}.txt, {stem}.txt.bz2 or {stem}-subset.txt.bz2. "
        "Copy the Unihan files of one UCD release (Debian: apt-get install unicode-data; files in "
        "/usr/share/unicode/) or run with --extract-unihan DIR")


def read_unihan_file(path, stem, fields):
    """Returns (version, header lines, {field: {cp: value}}, kept lines)."""
    lines = read_text(path, "a Unihan file")
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    if not any(line.strip() == f"# {stem}.txt" for line in header):
        fail(path, 1, f"no '# {stem}.txt' header line; wrong file?")
    version = None
    for line in header:
        m = re.fullmatch(r"# Unicode version: (\d+\.\d+\.\d+)", line.strip())
        if m:
            version = m.group(1)
    if version is None:
        fail(path, 1, "no '# Unicode version: x.y.z' header line")
    data = {f: {} for f in fields}
    kept = []
    for lineno, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not re.fullmatch(r"U\+[0-9A-F]{4,5}", parts[0]):
            fail(path, lineno, f"expected 'U+XXXX<TAB>field<TAB>value', found {line!r}")
        field = parts[1]
        if field not in data:
            continue
        cp = int(parts[0][2:], 16)
        if not in_scope(cp):
            continue
        values = parts[2].split(" ")
        for v in values:
            if not re.fullmatch(FIELD_SYNTAX[field], v):
                fail(path, lineno, f"{field} value {v!r} does not match {FIELD_SYNTAX[field]}")
        if cp in data[field]:
            fail(path, lineno, f"{field} of U+{cp:04X} is given twice")
        data[field][cp] = values
        kept.append(line)
    for field in fields:
        if len(data[field]) < 10:
            fail(path, len(lines), f"fewer than 10 {field} values in the BMP; wrong file?")
    return version, header, data, kept


def read_cjk_radicals(directory):
    """CJKRadicals.txt: radical number (with ' for simplified forms) → unified ideograph."""
    path = os.path.join(directory, "CJKRadicals.txt")
    lines = read_text(path, "CJKRadicals.txt from the UCD")
    m = re.fullmatch(r"# CJKRadicals-(\d+\.\d+\.\d+)\.txt", lines[0].strip() if lines else "")
    if not m:
        fail(path, 1, "first line is not '# CJKRadicals-x.y.z.txt'; wrong file?")
    radicals = {}
    for lineno, line in enumerate(lines, 1):
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if len(fields) != 3 or not re.fullmatch(r"[1-9][0-9]{0,2}'{0,2}", fields[0]):
            fail(path, lineno, f"expected 'number; radical; ideograph', found {line!r}")
        ideograph = fields[2]
        if not re.fullmatch(r"[0-9A-F]{4,5}", ideograph):
            fail(path, lineno, f"expected a code point, found {ideograph!r}")
        radicals[fields[0]] = int(ideograph, 16)
    if len(radicals) < 214:
        fail(path, len(lines), f"only {len(radicals)} radicals; wrong file?")
    return m.group(1), radicals


def read_unihan(directory):
    versions = {}
    data = {}
    for stem, fields in UNIHAN_FIELDS.items():
        path = unihan_path(directory, stem)
        version, _, file_data, _ = read_unihan_file(path, stem, fields)
        versions[os.path.relpath(path, ROOT)] = version
        data.update(file_data)
    radicals_version, radicals = read_cjk_radicals(directory)
    versions[os.path.relpath(os.path.join(directory, "CJKRadicals.txt"), ROOT)] = radicals_version
    if len(set(versions.values())) != 1:
        raise InputError("Unihan files from different Unicode versions: "
                         + ", ".join(f"{p} is {v}" for p, v in sorted(versions.items()))
                         + "; take all files from one UCD release")
    return next(iter(versions.values())), data, radicals


def extract_unihan(source, target):
    """Writes the fields and code points that the tables use, lines unmodified, as bzip2."""
    for stem, fields in UNIHAN_FIELDS.items():
        path = unihan_path(source, stem)
        _, header, _, kept = read_unihan_file(path, stem, fields)
        out = io.StringIO()
        for line in header:
            out.write(line + "\n")
        out.write("#\n# rinse: a subset written by scripts/gen_glyph_tables.py --extract-unihan, with the\n"
                  f"# lines of {', '.join(fields)} for the CJK unified ideographs of the BMP only,\n"
                  "# copied unmodified from the file named above.\n#\n")
        for line in kept:
            out.write(line + "\n")
        out_path = os.path.join(target, f"{stem}-subset.txt.bz2")
        with open(out_path, "wb") as f:
            f.write(bz2.compress(out.getvalue().encode("utf-8"), 9))
        print(f"wrote {os.path.relpath(out_path, ROOT)}: {len(kept)} lines")
    src = os.path.join(source, "CJKRadicals.txt")
    read_cjk_radicals(source)
    with open(src, "rb") as f:
        raw = f.read()
    with open(os.path.join(target, "CJKRadicals.txt"), "wb") as f:
        f.write(raw)
    print(f"wrote {os.path.relpath(os.path.join(target, 'CJKRadicals.txt'), ROOT)}")


def toneless(syllable):
    """zuò → zuo, lǘ → lü."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in "\u0300\u0301\u0304\u030c"))


def encode_class(value):
    """kPhonetic value (`*` already stripped) → u16: number × 8 + subclass (0, or 1..4 for A..D)."""
    m = re.fullmatch(r"([1-9][0-9]{0,3})([A-D]?)", value)
    number = int(m.group(1))
    if number > 8191:
        raise InputError(f"phonetic class {value} does not fit the u16 encoding")
    return number * 8 + (" ABCD".index(m.group(2)) if m.group(2) else 0)


def class_label(encoded):
    return f"{encoded >> 3}{' ABCD'[encoded & 7].strip()}"


def variant_targets(values):
    out = []
    for v in values:
        cp = int(v.split("<", 1)[0][2:], 16)
        if in_scope(cp) and cp not in out:
            out.append(cp)
    return out


class Unihan:
    """The Unihan data with the derived relations."""

    def __init__(self, version, data, radicals):
        self.version = version
        self.data = data
        self.radicals = radicals
        self.tgh = {cp: int(v[0].split(":")[1]) for cp, v in data["kTGH"].items()}
        by_index = defaultdict(list)
        for cp, index in self.tgh.items():
            by_index[index].append(cp)
        duplicates = {i: cps for i, cps in by_index.items() if len(cps) > 1}
        if duplicates:
            raise InputError(f"kTGH indexes used twice: {duplicates}")
        if max(self.tgh.values()) != 8105:
            raise InputError(f"kTGH goes up to {max(self.tgh.values())}, expected 8105")
        self.rs = {}
        for cp, values in data["kRSUnicode"].items():
            out = []
            for v in values:
                number, residual = v.split(".")
                out.append((number, int(residual)))
            self.rs[cp] = out
        self.strokes = {cp: [int(v) for v in values] for cp, values in data["kTotalStrokes"].items()}
        self.mandarin = {cp: values for cp, values in data["kMandarin"].items()}
        self.cangjie = {cp: v[0] for cp, v in data["kCangjie"].items() if v[0] and not v[0].startswith("X")}
        self.simplified_variants = {cp: variant_targets(v) for cp, v in data["kSimplifiedVariant"].items()}
        self.traditional_variants = {cp: variant_targets(v) for cp, v in data["kTraditionalVariant"].items()}
        # An `x` suffix (216x, twice in Unihan 15.0) is not explained by UAX #38 for this version;
        # such values are dropped rather than guessed at.
        self.phonetic_raw = {}
        for cp, values in data["kPhonetic"].items():
            classes = sorted({encode_class(v.rstrip("*")) for v in values if "x" not in v})
            if classes:
                self.phonetic_raw[cp] = classes
        self.phonetic, self.inherited = self.inherit_phonetic()
        self._features = {}
        self.radical_codes = self.derive_radical_codes()
        self.radical_ideographs = defaultdict(set)
        for number, cp in radicals.items():
            self.radical_ideographs[number].add(cp)
            self.radical_ideographs[number.rstrip("'")].add(cp)

    def derive_radical_codes(self):
        """The Cangjie code(s) that a radical is written with when it comes first (氵 E, 艹 T,
        糸 VF, 米 FD): the longest one- or two-code prefix shared by at least half of the
        characters with that radical (Unihan has no such field, so it is read off the data)."""
        counts = defaultdict(lambda: defaultdict(int))
        totals = defaultdict(int)
        for cp, values in self.rs.items():
            code = self.cangjie.get(cp)
            if not code or len(code) < 2:
                continue
            for number, residual in values:
                if residual <= 0:
                    continue
                number = number.rstrip("'")
                totals[number] += 1
                counts[number][code[:1]] += 1
                counts[number][code[:2]] += 1
        codes = {}
        for number, total in totals.items():
            best = [k for k, n in counts[number].items() if 2 * n >= total]
            if best:
                codes[number] = max(best, key=len)
        return codes

    def level(self, cp):
        index = self.tgh.get(cp)
        if index is None:
            return 4
        return next(level for bound, level in TGH_LEVELS if index <= bound)

    def rank(self, cp):
        return self.tgh.get(cp, 10000)

    def inherit_phonetic(self):
        """Simplified characters without kPhonetic take the classes of their traditional form when
        only the radical was simplified: same radical number (铨 167'.6, 銓 167.6) and the same
        residual strokes, so the phonetic part is the same."""
        phonetic = dict(self.phonetic_raw)
        inherited = {}
        for cp, traditional in self.traditional_variants.items():
            if cp in self.phonetic_raw:
                continue
            classes = set()
            for t in traditional:
                if t == cp or t not in self.phonetic_raw:
                    continue
                if any(a.rstrip("'") == b.rstrip("'") and ra == rb
                       for a, ra in self.rs.get(cp, []) for b, rb in self.rs.get(t, [])):
                    classes.update(self.phonetic_raw[t])
            if classes:
                phonetic[cp] = sorted(classes)
                inherited[cp] = sorted(classes)
        return phonetic, inherited

    def readings(self, cp):
        return self.mandarin.get(cp, [])

    def cangjie_added(self, rare, base):
        """Does the Cangjie code of `rare` read as radical + `base`? Cangjie abbreviates a
        two-part character to the first and last codes of the first part and the first, second
        and last codes of the second: 湔 ETBN = E (氵) + TBN (前 TBLN); 怹 ODP = OD (他 OPD) + P (心)."""
        cr, cb = self.cangjie.get(rare), self.cangjie.get(base)
        if not cr or not cb:
            return False
        second = cb if len(cb) <= 3 else cb[0] + cb[1] + cb[-1]
        first = cb if len(cb) <= 2 else cb[0] + cb[-1]
        if cr.endswith(second) and 1 <= len(cr) - len(second) <= 2:
            return True
        return len(cb) >= 2 and cr.startswith(first) and 1 <= len(cr) - len(first) <= 3

    def cangjie_radical_plus(self, rare, number, base):
        """The strict form of `cangjie_added`: the Cangjie code of `rare` is exactly its radical's
        code (see `derive_radical_codes`) followed by `base`'s code abbreviated as a second part
        (涐 EHQI = E + HQI 我; 侢 OMGB = O + MGB 再)."""
        cr, cb = self.cangjie.get(rare), self.cangjie.get(base)
        prefix = self.radical_codes.get(number.rstrip("'"))
        if not cr or not cb or not prefix:
            return False
        return cr == prefix + (cb if len(cb) <= 3 else cb[0] + cb[1] + cb[-1])

    def cangjie_parts(self, cp):
        code = self.cangjie.get(cp)
        if not code:
            return set()
        return {p for k in (1, 2) if len(code) - k >= 2 for p in (code[k:], code[:-k])}

    def cangjie_same_part(self, a, a_number, b, b_number):
        """Strict Cangjie sign for a radical swap: each code is its radical's code (see
        `derive_radical_codes`) followed by the same two or more codes (旳 A+PI, 的 HA+PI;
        沵 E+NF, 你 O+NF)."""
        ca, cb = self.cangjie.get(a), self.cangjie.get(b)
        pa = self.radical_codes.get(a_number.rstrip("'"))
        pb = self.radical_codes.get(b_number.rstrip("'"))
        if not ca or not cb or not pa or not pb or not ca.startswith(pa) or not cb.startswith(pb):
            return False
        part = ca[len(pa):]
        return len(part) >= 2 and part == cb[len(pb):]

    def features(self, cp):
        """(phonetic classes, readings, toneless readings) of `cp`, cached."""
        cached = self._features.get(cp)
        if cached is None:
            readings = self.readings(cp)
            cached = (set(self.phonetic.get(cp, [])), set(readings), {toneless(x) for x in readings})
            self._features[cp] = cached
        return cached

    def signs(self, a, b):
        """PHONETIC and READING/READING_TONELESS bits for the pair (a, b)."""
        pa, ra, ta = self.features(a)
        pb, rb, tb = self.features(b)
        evidence = PHONETIC if pa & pb else 0
        if ra & rb:
            evidence |= READING
        elif ta & tb:
            evidence |= READING_TONELESS
        return evidence

    def radical_added(self):
        """Pairs (rare, common) where rare = a radical + common (湔 = 氵 + 前). Common is a level 1 or
        2 character of the 通用规范汉字表 (or a traditional character whose simplified form is; then
        the pair points to the simplified form: 唻 = 口 + 來 → 来), no rarer than `rare`, and never
        the radical itself (岐 → 支, not 山). Accepted when

        - the residual strokes of rare (its strokes after the radical, kRSUnicode) equal the total
          strokes of common (kTotalStrokes) and at least two of three independent signs agree: a
          shared phonetic class (kPhonetic), a Cangjie code that reads as radical + common
          (kCangjie), the same Mandarin syllable (kMandarin, with or without tone);
        - or the strokes are equal and the Cangjie code is exactly the radical's code + common's,
          common's code having three or more codes (SHAPE alone: 涐 EHQI = E 氵 + HQI 我; with
          shorter codes, Cangjie's abbreviations collide too often: 积 HDRC = HD + RC is 禾 + 只,
          not 禾 + 叭);
        - or the strokes differ by one (stroke counts of 者 and 辶 vary between standards) and
          the exact Cangjie match comes with a phonetic or reading sign (鍺 = 金 + 者;
          STROKES_DIFFER).

        When rare is itself a level 1 character (茬 in 毛茬, 保, 拓), only the first rule applies,
        and one of its two signs must be the phonetic class: a common character is damage only
        on strong evidence (茬 → 在 has it; 保 = 亻 + 呆 and 偷 ~ 剑 do not get in)."""
        # Index the bases by (strokes, sign) so that only pairs with at least one sign are tried.
        index = defaultdict(set)  # (strokes, kind, value) → {(base, target, via traditional)}
        for cp in self.strokes:
            if self.level(cp) <= 2:
                entry = (cp, cp, False)
            elif cp not in self.tgh:
                targets = [s for s in self.simplified_variants.get(cp, []) if s != cp and self.level(s) <= 2]
                if len(targets) != 1:
                    continue
                entry = (cp, targets[0], True)
            else:
                continue
            phonetic, _, tones = self.features(cp)
            code = self.cangjie.get(cp)
            for n in set(self.strokes[cp]):
                for c in phonetic:
                    index[(n, "p", c)].add(entry)
                for t in tones:
                    index[(n, "r", t)].add(entry)
                if code:
                    index[(n, "second", code if len(code) <= 3 else code[0] + code[1] + code[-1])].add(entry)
                    if len(code) >= 2:
                        index[(n, "first", code if len(code) <= 2 else code[0] + code[-1])].add(entry)
        pairs = {}

        def keep(rare, target, evidence):
            key = (rare, target)
            if key not in pairs or score(evidence) > score(pairs[key]):
                pairs[key] = evidence

        for rare in sorted(self.rs):
            phonetic, _, tones = self.features(rare)
            code = self.cangjie.get(rare, "")
            common = self.level(rare) == 1
            for number, residual in self.rs[rare]:
                excluded = self.radical_ideographs.get(number, set())
                candidates = set()
                for c in phonetic:
                    candidates |= index.get((residual, "p", c), set())
                for t in tones:
                    candidates |= index.get((residual, "r", t), set())
                for k in (1, 2):
                    if len(code) > k:
                        candidates |= index.get((residual, "second", code[k:]), set())
                for k in (1, 2, 3):
                    if len(code) > k:
                        candidates |= index.get((residual, "first", code[:-k]), set())
                near = set()
                prefix = self.radical_codes.get(number.rstrip("'"))
                if prefix and code.startswith(prefix) and len(code) > len(prefix):
                    for n in (residual - 1, residual + 1):
                        near |= index.get((n, "second", code[len(prefix):]), set())
                for base, target, via in candidates | near:
                    if rare in (base, target) or base in excluded or target in excluded:
                        continue
                    if self.level(target) > self.level(rare):
                        continue
                    signs = self.signs(rare, base)
                    strict = self.cangjie_radical_plus(rare, number, base)
                    extra = VIA_TRADITIONAL if via else 0
                    if residual in self.strokes[base]:
                        evidence = signs | (SHAPE if self.cangjie_added(rare, base) else 0)
                        if strength(evidence) >= 2 and (not common or evidence & PHONETIC):
                            keep(rare, target, evidence | extra)
                        elif strict and not common and len(self.cangjie[base]) >= 3:
                            keep(rare, target, evidence | extra)
                    elif strict and signs and not common:
                        keep(rare, target, signs | SHAPE | STROKES_DIFFER | extra)
        return self.ranked(pairs)

    def radical_swapped(self):
        """Pairs (rare, common) where both are a radical + the same phonetic part, with different
        radicals (粅 = 米 + 勿, 物 = 牛 + 勿; 凊 = 冫 + 青, 情 = 忄 + 青): the residual strokes are
        equal and at least two signs agree (shared phonetic class; Cangjie codes that share the
        non-radical part; same Mandarin syllable), or, with the Cangjie sign alone, both codes are
        their radical's code followed by the same two or more codes (旳 A+PI, 的 HA+PI). Common
        is a level 1 character of the 通用规范汉字表; rare is not. At most MAX_SWAPS per rare
        character, the strongest first."""
        index = defaultdict(set)  # (residual strokes, kind, value) → {(common, radical number)}
        for cp in self.rs:
            if self.level(cp) != 1:
                continue
            phonetic, _, tones = self.features(cp)
            for number, residual in self.rs[cp]:
                entry = (cp, number.rstrip("'"))
                for c in phonetic:
                    index[(residual, "p", c)].add(entry)
                for t in tones:
                    index[(residual, "r", t)].add(entry)
                for part in self.cangjie_parts(cp):
                    index[(residual, "c", part)].add(entry)
        pairs = {}
        for rare in sorted(self.rs):
            if self.level(rare) == 1:
                continue
            phonetic, _, tones = self.features(rare)
            parts = self.cangjie_parts(rare)
            for number, residual in self.rs[rare]:
                candidates = set()
                for c in phonetic:
                    candidates |= index.get((residual, "p", c), set())
                for t in tones:
                    candidates |= index.get((residual, "r", t), set())
                for part in parts:
                    candidates |= index.get((residual, "c", part), set())
                for common, common_number in candidates:
                    if common == rare or common_number == number.rstrip("'"):
                        continue
                    evidence = self.signs(rare, common)
                    if parts & self.cangjie_parts(common):
                        evidence |= SHAPE
                    if strength(evidence) < 2:
                        if not self.cangjie_same_part(rare, number, common, common_number):
                            continue
                        evidence = SHAPE
                    key = (rare, common)
                    if key not in pairs or score(evidence) > score(pairs[key]):
                        pairs[key] = evidence
        ranked = self.ranked(pairs)
        out, count = [], defaultdict(int)
        for rare, common, evidence in ranked:
            count[rare] += 1
            if count[rare] <= MAX_SWAPS:
                out.append((rare, common, evidence))
        return out

    def ranked(self, pairs):
        return sorted(((r, c, e) for (r, c), e in pairs.items()),
                      key=lambda p: (p[0], -score(p[2]), self.rank(p[1]), p[1]))

    def lookalike_variants(self):
        """Unihan variants that point to a character of the 通用规范汉字表, from a character that is
        not itself a level 1 character: kSpoofingVariant (look-alikes: 妺 → 妹), kZVariant (the
        same character drawn differently: 値 → 值), kSemanticVariant (the same meaning: 峯 → 峰)."""
        out = {}
        for field, kind in (("kSpoofingVariant", "Spoofing"), ("kZVariant", "Z"),
                            ("kSemanticVariant", "Semantic")):
            for cp, values in self.data[field].items():
                if self.level(cp) == 1:
                    continue
                for target in variant_targets(values):
                    if target != cp and target in self.tgh and (cp, target) not in out:
                        out[(cp, target)] = kind
        return sorted(((cp, t, k) for (cp, t), k in out.items()),
                      key=lambda v: (v[0], ["Spoofing", "Z", "Semantic"].index(v[2]), self.rank(v[1])))

    def common_readings(self):
        """For every 通用规范汉字表 character in scope: (char, index, first kMandarin reading)."""
        out = []
        for cp in sorted(self.tgh):
            readings = self.readings(cp)
            out.append((cp, self.tgh[cp], readings[0] if readings else None))
        return out

    def numeric_value(self, cp, fields):
        for field in fields:
            if cp in self.data[field]:
                return int(self.data[field][cp][0])
        return None


def strength(evidence):
    """How many independent signs: phonetic class, Cangjie shape, reading."""
    return (bool(evidence & PHONETIC) + bool(evidence & SHAPE)
            + bool(evidence & (READING | READING_TONELESS)))


def score(evidence):
    return (2 * bool(evidence & PHONETIC) + 2 * bool(evidence & SHAPE) + 2 * bool(evidence & READING)
            + bool(evidence & READING_TONELESS) - bool(evidence & VIA_TRADITIONAL)
            - bool(evidence & STROKES_DIFFER))


# ---------------------------------------------------------------------------------------------
# Curated tables


def read_tsv(path, columns, what):
    for lineno, line in enumerate(read_text(path, what), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns or any(not f.strip() or f != f.strip() for f in fields):
            fail(path, lineno, f"expected {columns} tab-separated non-empty fields, found {line!r}")
        yield lineno, fields


def read_seed(root):
    input_path = os.path.join(root, "fixtures", "seed", "input.txt")
    expected_path = os.path.join(root, "fixtures", "seed", "expected.txt")
    return (input_path, read_text(input_path, "the seed document", final_newline=False)), \
        (expected_path, read_text(expected_path, "the seed document's expected output", final_newline=False))


def seed_repairs(seed):
    """The character repairs of the seed document: single-character substitutions between
    input.txt and expected.txt where both sides are CJK ideographs or the damaged side is a
    symbol (┅). Punctuation changes belong to the `punct` rule and are left out."""
    (input_path, a), (_, b) = seed
    a, b = "\n".join(a), "\n".join(b)
    counts = defaultdict(int)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        for x, y in zip(a[i1:i2], b[j1:j2]):
            if x == y or not is_unified(ord(y)):
                continue
            if unicodedata.category(x).startswith("P") or x.isspace():
                continue
            counts[(x, y)] += 1
    total = sum(counts.values())
    if total != 49:
        raise InputError(f"{os.path.relpath(input_path, ROOT)}: expected 49 character repairs in the "
                         f"seed document, found {total}; did fixtures/seed/ change?")
    return sorted(counts.items(), key=lambda kv: a.index(kv[0][0]))


def read_confusions(path, seed):
    (input_path, input_lines), (expected_path, expected_lines) = seed
    entries = []
    seen = set()
    for lineno, (damaged, intended, source, where) in read_tsv(path, 4, "the curated confusion table"):
        if len(damaged) != 1 or len(intended) != 1:
            fail(path, lineno, "damaged and intended must be single characters")
        if damaged == intended:
            fail(path, lineno, f"{damaged} maps to itself")
        if not in_scope(ord(intended)):
            fail(path, lineno, f"intended U+{ord(intended):04X} is not a CJK unified ideograph of the BMP")
        if source not in CONFUSION_SOURCES:
            fail(path, lineno, f"unknown source {source!r}; expected one of {', '.join(CONFUSION_SOURCES)}")
        if (damaged, intended) in seen:
            fail(path, lineno, f"{damaged} → {intended} is listed twice")
        seen.add((damaged, intended))
        m = re.fullmatch(r"fixtures/seed/input\.txt:(\d+) \((.+)\)", where)
        if m:
            n, context = int(m.group(1)), m.group(2)
            if not 1 <= n <= min(len(input_lines), len(expected_lines)):
                fail(path, lineno, f"{os.path.relpath(input_path, ROOT)} has no line {n}")
            line = input_lines[n - 1]
            if damaged not in context or context not in line:
                fail(path, lineno, f"context {context!r} with {damaged} is not in "
                                   f"{os.path.relpath(input_path, ROOT)}:{n}")
            column = line.index(context) + context.index(damaged)
            expected = expected_lines[n - 1]
            if column >= len(expected) or expected[column] != intended:
                fail(path, lineno, f"{os.path.relpath(expected_path, ROOT)}:{n} has no {intended} "
                                   f"where the input has {damaged}")
            seed_entry = True
        elif where == "common 火星文 form":
            seed_entry = False
        else:
            fail(path, lineno, "where seen must be 'fixtures/seed/input.txt:LINE (context)' or "
                               f"'common 火星文 form', found {where!r}")
        entries.append({"damaged": damaged, "intended": intended, "source": source, "where": where,
                        "seed": seed_entry, "line": lineno})
    by_damaged = defaultdict(set)
    for e in entries:
        by_damaged[e["damaged"]].add(e["source"])
    for damaged, sources in by_damaged.items():
        if len(sources) > 1:
            raise InputError(f"{os.path.relpath(path, ROOT)}: {damaged} has several sources "
                             f"({', '.join(sorted(sources))}); use one per damaged character")
    return entries


def heldout_bucket(damaged):
    """Stable across runs and Python versions: the first byte of the SHA-256 of the UTF-8."""
    return hashlib.sha256(damaged.encode("utf-8")).digest()[0] & 1


def split_confusions(entries):
    seed_chars = {e["damaged"] for e in entries if e["seed"]}
    build, heldout = [], []
    for e in entries:
        if e["damaged"] in seed_chars or heldout_bucket(e["damaged"]) == 0:
            build.append(e)
        else:
            heldout.append(e)
    return build, heldout


def read_stroke_symbols(path):
    out = []
    for lineno, (code, symbol, ideograph, kind, name) in read_tsv(path, 5, "the stroke-symbol table"):
        if not re.fullmatch(r"U\+[0-9A-F]{4,5}", code) or len(symbol) != 1 or int(code[2:], 16) != ord(symbol):
            fail(path, lineno, f"code point {code} and symbol {symbol!r} disagree")
        if unicodedata.name(symbol, "") != name:
            fail(path, lineno, f"{code} is {unicodedata.name(symbol, 'unnamed')}, not {name}")
        if is_unified(ord(symbol)):
            fail(path, lineno, f"{symbol} is itself an ideograph")
        if len(ideograph) != 1 or not in_scope(ord(ideograph)):
            fail(path, lineno, f"{ideograph!r} is not a CJK unified ideograph of the BMP")
        if kind not in STROKE_KINDS:
            fail(path, lineno, f"unknown kind {kind!r}; expected one of {', '.join(STROKE_KINDS)}")
        if any(s == symbol for s, _, _ in out):
            fail(path, lineno, f"{code} is listed twice")
        out.append((symbol, ideograph, kind))
    return sorted(out)


def read_numerals(path, unihan):
    out = []
    for lineno, (form, numeral, _note) in read_tsv(path, 3, "the financial numeral table"):
        if len(form) != 1 or len(numeral) != 1 or form == numeral:
            fail(path, lineno, "expected two different single characters")
        value = unihan.numeric_value(ord(form), ["kAccountingNumeric", "kOtherNumeric"])
        primary = unihan.numeric_value(ord(numeral), ["kPrimaryNumeric"])
        if value is None or primary is None or value != primary:
            fail(path, lineno, f"Unihan gives {form} the value {value} and {numeral} the value {primary}")
        if any(f == form for f, _ in out):
            fail(path, lineno, f"{form} is listed twice")
        out.append((form, numeral))
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Rust output


def rc(ch):
    return f"'\\u{{{ord(ch):04X}}}'"


def rs_str(s):
    return '"' + "".join(ch if ord(ch) < 0x10000 and ch not in '"\\' else f"\\u{{{ord(ch):X}}}" for ch in s) + '"'


def header(sources, description):
    return (f"// GENERATED by {SCRIPT} from {sources} — DO NOT EDIT.\n"
            f"// Regenerate with `python3 {SCRIPT}` (see data/README.md, \"Glyph candidates\").\n"
            f"{description}")


def render_opencc(opencc):
    out = [header(
        "data/opencc/ (" + f"{opencc['package']} {opencc['version']}" + ")",
        "// OpenCC's dictionary data, Apache License 2.0 (data/opencc/LICENSE and data/opencc/NOTICE);\n"
        "// the 通用规范汉字表 membership used for `is_traditional_only` is from data/unihan/.\n\n")]
    ts, phrases = opencc["ts"], opencc["phrases"]
    multi = sum(1 for v in ts.values() if len(v) > 1)
    keeps = sum(1 for k, v in ts.items() if k in v)
    max_chars = max(len(k) for k, _, _ in phrases)
    max_targets = max(len(v) for v in ts.values())
    dropped = [(k, alts) for k, _, alts in phrases if alts]
    out.append(f"""//! Traditional → simplified candidates from OpenCC's dictionaries.
//!
//! - [`traditional_to_simplified`]: `TSCharacters.txt`, {len(ts)} traditional characters, each with
//!   OpenCC's simplified candidates, its default first ({multi} have more than one: 乾 → 干 乾,
//!   餘 → 余 馀). In {keeps} entries the character itself is a candidate (乾 stays in 乾隆); in some
//!   it is even the default (瞭 → 瞭 了).
//! - [`ts_phrases`]: `TSPhrases.txt`, {len(phrases)} phrases whose conversion differs from the
//!   character-by-character one (乾隆 stays 乾隆, 乾淨 → 干净). Traditional and simplified phrases
//!   have the same number of characters. {len(dropped)} phrases have a second, rarer conversion in
//!   OpenCC (龍鍾 → 龙钟, also 龙锺); only the first is kept.
//! - [`is_traditional_only`] and [`is_simplified_only`]: {len(opencc['traditional_only'])} and
//!   {len(opencc['simplified_only'])} characters that belong to one script only, from
//!   `TSCharacters.txt` and `STCharacters.txt`. 幹 is traditional-only, but 乾 is not (OpenCC
//!   keeps it in 乾隆); 们 and 发 are simplified-only, but 干 (干涉) and 后 (皇后) are not.
//!   Characters of the 通用规范汉字表 are never traditional-only (it keeps 吒 for 哪吒, 祕 for
//!   祕鲁, 甯 for names). A character in neither set is shared or unknown to OpenCC.
//!
//! OpenCC's defaults are wrong for deliberate damage: `鈈` (for 不) becomes 钚 and `陸` (for 六)
//! becomes 陆; the curated and numeral tables in [`super::glyph_curated`] offer the intended
//! characters as competing candidates.

/// The package the dictionaries were taken from.
pub const OPENCC_SOURCE: &str = "{opencc['package']} {opencc['version']}";

/// The most characters in a traditional phrase of [`ts_phrases`].
pub const TS_PHRASE_MAX_CHARS: usize = {max_chars};

/// `(traditional, simplified candidates)`, sorted by the traditional character; the candidates
/// are padded with `'\\0'`.
#[rustfmt::skip]
static TS_CHARACTERS: &[(char, [char; {max_targets}])] = &[
""")
    for k in sorted(ts):
        v = ts[k]
        padded = [rc(x) for x in v] + ["'\\0'"] * (max_targets - len(v))
        out.append(f"    ({rc(k)}, [{', '.join(padded)}]), // {k} → {' '.join(v)}\n")
    out.append("""];

/// `(traditional phrase, simplified phrase)`, sorted by the traditional phrase.
#[rustfmt::skip]
static TS_PHRASES: &[(&str, &str)] = &[
""")
    for k, v, _ in sorted(phrases):
        out.append(f"    ({rs_str(k)}, {rs_str(v)}),\n")
    out.append("""];

/// `(first character, start, end)`: the run of [`TS_PHRASES`] whose traditional phrases start
/// with the character, sorted by it; the index of a scan that looks for a phrase at every
/// character of a line.
#[rustfmt::skip]
static TS_PHRASE_RUNS: &[(char, u16, u16)] = &[
""")
    runs = {}
    for index, (k, _, _) in enumerate(sorted(phrases)):
        start, _ = runs.get(k[0], (index, index))
        runs[k[0]] = (start, index + 1)
    for first in sorted(runs):
        start, end = runs[first]
        out.append(f"    ({rc(first)}, {start}, {end}), // {first}\n")
    out.append("""];

/// Characters that only traditional text uses, sorted.
#[rustfmt::skip]
static TRADITIONAL_ONLY: &[char] = &[
""")
    out.extend(chunked(opencc["traditional_only"]))
    out.append("""];

/// Characters that only simplified text uses, sorted.
#[rustfmt::skip]
static SIMPLIFIED_ONLY: &[char] = &[
""")
    out.extend(chunked(opencc["simplified_only"]))
    out.append("""];

/// OpenCC's simplified candidates for the traditional character `c`, the default first; `None`
/// if OpenCC leaves `c` alone. The list may contain `c` itself (乾 → 干 乾).
pub fn traditional_to_simplified(c: char) -> Option<&'static [char]> {
    let i = TS_CHARACTERS.binary_search_by_key(&c, |e| e.0).ok()?;
    let targets = &TS_CHARACTERS[i].1;
    let n = targets
        .iter()
        .position(|&t| t == '\\0')
        .unwrap_or(targets.len());
    Some(&targets[..n])
}

/// All phrase exceptions, `(traditional, simplified)`, sorted by the traditional phrase.
pub fn ts_phrases() -> &'static [(&'static str, &'static str)] {
    TS_PHRASES
}

/// The simplified form of the traditional phrase `traditional`, if it is an exception.
pub fn ts_phrase(traditional: &str) -> Option<&'static str> {
    TS_PHRASES
        .binary_search_by(|&(t, _)| t.cmp(traditional))
        .ok()
        .map(|i| TS_PHRASES[i].1)
}

/// The phrase exceptions whose traditional phrase starts with `c` (a contiguous run of the
/// sorted table), for a longest-match scan.
pub fn ts_phrases_starting_with(c: char) -> &'static [(&'static str, &'static str)] {
    match TS_PHRASE_RUNS.binary_search_by_key(&c, |&(first, _, _)| first) {
        Ok(i) => {
            let (_, start, end) = TS_PHRASE_RUNS[i];
            &TS_PHRASES[usize::from(start)..usize::from(end)]
        }
        Err(_) => &[],
    }
}

/// Whether `c` is used only in traditional text (幹 開 東; not 乾, which 乾隆 keeps).
pub fn is_traditional_only(c: char) -> bool {
    TRADITIONAL_ONLY.binary_search(&c).is_ok()
}

/// Whether `c` is used only in simplified text (们 发 东; not 干 or 后).
pub fn is_simplified_only(c: char) -> bool {
    SIMPLIFIED_ONLY.binary_search(&c).is_ok()
}
""")
    out.append(OPENCC_TESTS)
    return "".join(out)


def chunked(chars, per_line=8):
    chars = list(chars)
    for i in range(0, len(chars), per_line):
        part = chars[i:i + per_line]
        out = ", ".join(rc(c) for c in part)
        yield f"    {out}, // {''.join(part)}\n"


OPENCC_TESTS = """
#[cfg(test)]
mod tests {
    use super::*;

    fn is_ideograph(c: char) -> bool {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x323AF)
    }

    #[test]
    fn characters_are_sorted_and_map_to_ideographs() {
        assert!(TS_CHARACTERS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(t, _) in TS_CHARACTERS {
            let targets = traditional_to_simplified(t).unwrap();
            assert!(is_ideograph(t), "{t}");
            assert!(!targets.is_empty());
            assert!(targets.iter().all(|&s| is_ideograph(s)), "{t}");
            assert!(targets.iter().any(|&s| s != t), "{t} maps only to itself");
        }
    }

    #[test]
    fn phrases_are_sorted_and_keep_their_length() {
        assert!(TS_PHRASES.windows(2).all(|w| w[0].0 < w[1].0));
        for &(t, s) in TS_PHRASES {
            assert_eq!(t.chars().count(), s.chars().count(), "{t}");
            assert!(t.chars().count() <= TS_PHRASE_MAX_CHARS);
            assert!(
                t.chars()
                    .chain(s.chars())
                    .all(|c| is_ideograph(c) || c == '·'),
                "{t}"
            );
            assert_eq!(ts_phrase(t), Some(s));
            assert!(ts_phrases_starting_with(t.chars().next().unwrap()).contains(&(t, s)));
        }
        assert_eq!(ts_phrases().len(), TS_PHRASES.len());
    }

    #[test]
    fn script_sets_are_sorted_and_disjoint() {
        assert!(TRADITIONAL_ONLY.windows(2).all(|w| w[0] < w[1]));
        assert!(SIMPLIFIED_ONLY.windows(2).all(|w| w[0] < w[1]));
        for &c in TRADITIONAL_ONLY {
            assert!(!is_simplified_only(c), "{c}");
            let targets = traditional_to_simplified(c).expect("traditional-only without a mapping");
            assert!(!targets.contains(&c), "{c}");
        }
    }

    #[test]
    fn known_entries() {
        assert_eq!(traditional_to_simplified('乾'), Some(&['干', '乾'][..]));
        assert_eq!(traditional_to_simplified('幹'), Some(&['干'][..]));
        assert_eq!(traditional_to_simplified('議'), Some(&['议'][..]));
        assert_eq!(traditional_to_simplified('干'), None);
        assert_eq!(ts_phrase("乾隆"), Some("乾隆"));
        assert_eq!(ts_phrase("乾淨"), None); // character by character: 干净
        assert_eq!(ts_phrase("乾乾淨淨"), Some("干干净净"));
        assert!(ts_phrases_starting_with('乾')
            .iter()
            .all(|(t, _)| t.starts_with('乾')));
        assert!(ts_phrases_starting_with('乾').len() > 10);
        assert!(ts_phrases_starting_with('a').is_empty());
        let runs: usize = TS_PHRASE_RUNS
            .iter()
            .map(|&(_, s, e)| usize::from(e - s))
            .sum();
        assert_eq!(runs, TS_PHRASES.len());
        assert!(TS_PHRASE_RUNS
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].2 == w[1].1));
        for c in "幹開東議陸鈈們".chars() {
            assert!(is_traditional_only(c), "{c}");
        }
        for c in "乾干后面著".chars() {
            assert!(!is_traditional_only(c), "{c}");
        }
        for c in "们发东议开".chars() {
            assert!(is_simplified_only(c), "{c}");
        }
        for c in "干后面乾里".chars() {
            assert!(!is_simplified_only(c), "{c}");
        }
    }
}
"""


def render_unihan(unihan, added, swapped, variants, commons):
    out = [header(
        "data/unihan/ (Unihan and CJKRadicals.txt, Unicode " + unihan.version + ")",
        "// The data is © Unicode, Inc., under the Unicode License v3 (data/unihan/LICENSE).\n\n")]
    phonetic_pairs = sorted((cp, c) for cp, classes in unihan.phonetic.items() for c in classes)
    n_classes = len({c for _, c in phonetic_pairs})
    members = sorted(((c, cp) for cp, c in phonetic_pairs), key=lambda m: (m[0], unihan.rank(m[1]), m[1]))
    syllables = sorted({r for _, _, r in commons if r})
    homophones = sorted(((r, cp) for cp, idx, r in commons if r and idx <= 3500),
                        key=lambda h: (syllables.index(h[0]), unihan.tgh[h[1]]))
    n_added_rare = len({r for r, _, _ in added})
    n_swapped_rare = len({r for r, _, _ in swapped})
    out.append(f"""//! Look-alike candidates from the Unicode Han Database (Unihan {unihan.version}).
//!
//! All tables cover the CJK unified ideographs of the Basic Multilingual Plane (look-alike damage
//! has to display in common fonts) and store them as `u16`.
//!
//! - [`phonetic_classes`] / [`phonetic_class_members`]: Casey's phonetic classes (`kPhonetic`):
//!   {len(unihan.phonetic)} characters in {n_classes} classes. Characters of a class share a
//!   sound component (湔 and 前 are both in class 196). The `*` that marks a member Casey did not
//!   list is dropped; the subsidiary classes A–D are kept apart from their main class (行 is in
//!   423A, 閑 in 423). {len(unihan.inherited)} simplified characters without a class take their
//!   traditional form's classes when only the radical was simplified (铨 from 銓: same radical
//!   number, same residual strokes).
//! - [`radical_added`] / [`radical_added_base`]: {len(added)} pairs (rare, common) where rare =
//!   a radical + common, for {n_added_rare} rare characters (湔 = 氵 + 前). The residual strokes
//!   of rare (`kRSUnicode`) equal the total strokes of common (`kTotalStrokes`) and two of three
//!   independent signs agree: a shared phonetic class, a Cangjie code (`kCangjie`) that reads as
//!   radical + common, the same Mandarin syllable (`kMandarin`). Weaker forms, marked in the
//!   [`Evidence`]: an exact Cangjie match alone (涐 = 氵 + 我), or strokes that differ by one
//!   with an exact Cangjie match and another sign (鍺 = 金 + 者, `STROKES_DIFFER`). Common is a
//!   level 1 or 2 character of the 通用规范汉字表 (or points to one through its traditional
//!   form: 唻 → 來 → 来, `VIA_TRADITIONAL`) and never the radical itself (岐 → 支, not 山). When
//!   rare is itself a level 1 character, only two signs including the phonetic class will do
//!   (茬 → 在).
//! - [`radical_swapped`]: {len(swapped)} pairs (rare, common) with the same phonetic part under
//!   different radicals, for {n_swapped_rare} rare characters (粅 ~ 物, 凊 ~ 情, 囷 ~ 和): the
//!   same residual strokes and two signs, or an exact Cangjie match alone (the weakest,
//!   [`Evidence::SHAPE`] only: 旳 ~ 的). Common is a level 1 character and rare is not; at most
//!   {MAX_SWAPS} per rare character, the strongest first.
//! - [`lookalike_variants`]: {len(variants)} Unihan variants (`kSpoofingVariant`, `kZVariant`,
//!   `kSemanticVariant`) that lead from a character that is not level 1 to a 通用规范汉字表
//!   character.
//! - [`tgh_index`], [`tgh_level`], [`mandarin`], [`common_homophones`]: the {len(commons)}
//!   characters of the 通用规范汉字表 (2013, `kTGH`; level 1 = the 3500 常用字) in the BMP, their
//!   first Mandarin reading, and the level 1 characters of each reading ({len(syllables)}
//!   readings), for the homophone step of 莋 → 作 → 做.
//!
//! These are candidates: the decoder weighs them with its language model. Many rare characters
//! here are real words or names (岐, 茬 in 毛茬); [`tgh_level`] tells how common a character is.

/// The Unicode version of the Unihan data.
pub const UNIHAN_VERSION: &str = "{unihan.version}";

/// Which signs support a radical relation (bit set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Evidence(u8);

impl Evidence {{
    /// The two characters share a phonetic class (`kPhonetic`).
    pub const PHONETIC: Evidence = Evidence({PHONETIC});
    /// Their Cangjie codes (`kCangjie`) show the shared part.
    pub const SHAPE: Evidence = Evidence({SHAPE});
    /// They have the same Mandarin syllable, tone included (`kMandarin`).
    pub const READING: Evidence = Evidence({READING});
    /// They have the same Mandarin syllable up to the tone.
    pub const READING_TONELESS: Evidence = Evidence({READING_TONELESS});
    /// The common part is a traditional character; the pair points to its simplified form
    /// (唻 = 口 + 來 → 来).
    pub const VIA_TRADITIONAL: Evidence = Evidence({VIA_TRADITIONAL});
    /// The residual strokes differ from the common character's strokes by one (stroke counts of
    /// 者 and 辶 vary between standards); only with an exact Cangjie match and another sign.
    pub const STROKES_DIFFER: Evidence = Evidence({STROKES_DIFFER});

    /// The raw bits.
    pub const fn bits(self) -> u8 {{
        self.0
    }}

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Evidence) -> bool {{
        self.0 & other.0 == other.0
    }}

    /// How many independent signs agree (phonetic class, shape, reading): 1 to 3.
    pub const fn strength(self) -> u8 {{
        (self.0 & {PHONETIC} != 0) as u8 + (self.0 & {SHAPE} != 0) as u8 + (self.0 & {READING | READING_TONELESS} != 0) as u8
    }}
}}

/// A pair of characters related by their radicals: `rare` is the character found in damaged
/// text, `common` the candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relation {{
    rare: u16,
    common: u16,
    evidence: Evidence,
}}

impl Relation {{
    /// The rare character.
    pub fn rare(&self) -> char {{
        bmp(self.rare)
    }}

    /// The common character it may stand for.
    pub fn common(&self) -> char {{
        bmp(self.common)
    }}

    /// The signs that support the relation.
    pub fn evidence(&self) -> Evidence {{
        self.evidence
    }}
}}

const fn r(rare: u16, common: u16, evidence: u8) -> Relation {{
    Relation {{
        rare,
        common,
        evidence: Evidence(evidence),
    }}
}}

/// What kind of Unihan variant a [`lookalike_variants`] entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VariantKind {{
    /// `kSpoofingVariant`: a different character that looks the same (妺 for 妹).
    Spoofing,
    /// `kZVariant`: the same character drawn differently (値 for 值).
    Z,
    /// `kSemanticVariant`: the same meaning, usually a different shape (峯 for 峰).
    Semantic,
}}

fn bmp(unit: u16) -> char {{
    char::from_u32(u32::from(unit)).expect("tables hold no surrogates")
}}

fn key(c: char) -> Option<u16> {{
    u16::try_from(u32::from(c)).ok()
}}

fn run<T>(table: &'static [T], k: u16, f: impl Fn(&T) -> u16) -> &'static [T] {{
    let start = table.partition_point(|t| f(t) < k);
    let end = start + table[start..].partition_point(|t| f(t) == k);
    &table[start..end]
}}

/// The phonetic classes of `c` (most have one), encoded as `number * 8 + subclass` (subclass 0,
/// or 1 to 4 for A to D); see [`phonetic_class`] and [`phonetic_class_label`].
pub fn phonetic_classes(c: char) -> &'static [u16] {{
    let Some(k) = key(c) else {{ return &[] }};
    let start = PHONETIC_CHARS.partition_point(|&x| x < k);
    let end = start + PHONETIC_CHARS[start..].partition_point(|&x| x == k);
    &PHONETIC_CLASSES[start..end]
}}

/// The members of a phonetic class, the most common first (通用规范汉字表 order, then the rest by
/// code point).
pub fn phonetic_class_members(class: u16) -> &'static [char] {{
    let start = MEMBER_CLASSES.partition_point(|&x| x < class);
    let end = start + MEMBER_CLASSES[start..].partition_point(|&x| x == class);
    &MEMBERS[start..end]
}}

/// The encoded class for Casey's class `number` and `subclass` (`None`, or `Some('A'..='D')`).
pub const fn phonetic_class(number: u16, subclass: Option<char>) -> u16 {{
    number * 8
        + match subclass {{
            Some('A') => 1,
            Some('B') => 2,
            Some('C') => 3,
            Some('D') => 4,
            _ => 0,
        }}
}}

/// Casey's label of an encoded class: `196`, `423A`.
pub fn phonetic_class_label(class: u16) -> String {{
    match class & 7 {{
        0 => format!("{{}}", class >> 3),
        n => format!("{{}}{{}}", class >> 3, char::from(b'@' + n as u8)),
    }}
}}

/// The "radical + common character" readings of `c`, strongest first (湔 → 前).
pub fn radical_added(c: char) -> &'static [Relation] {{
    key(c).map_or(&[], |k| run(RADICAL_ADDED, k, |r| r.rare))
}}

/// The strongest common character that `c` is a radical plus (湔 → 前, 铨 → 全).
pub fn radical_added_base(c: char) -> Option<char> {{
    radical_added(c).first().map(Relation::common)
}}

/// Common characters with the same phonetic part as `c` under another radical, strongest
/// first (粅 → 物).
pub fn radical_swapped(c: char) -> &'static [Relation] {{
    key(c).map_or(&[], |k| run(RADICAL_SWAPPED, k, |r| r.rare))
}}

/// Unihan variants of `c` that are 通用规范汉字表 characters: `(c, target, kind)`.
pub fn lookalike_variants(c: char) -> &'static [(char, char, VariantKind)] {{
    let start = VARIANTS.partition_point(|v| v.0 < c);
    let end = start + VARIANTS[start..].partition_point(|v| v.0 == c);
    &VARIANTS[start..end]
}}

/// The index of `c` in the 通用规范汉字表 (1..=8105), if it is in it.
pub fn tgh_index(c: char) -> Option<u16> {{
    let k = key(c)?;
    COMMON
        .binary_search_by_key(&k, |e| e.0)
        .ok()
        .map(|i| COMMON[i].1)
}}

/// The level of `c` in the 通用规范汉字表: 1 (the 3500 常用字), 2 or 3; `None` if it is not in it.
pub fn tgh_level(c: char) -> Option<u8> {{
    tgh_index(c).map(|i| match i {{
        0..=3500 => 1,
        3501..=6500 => 2,
        _ => 3,
    }})
}}

/// The first Mandarin reading of a 通用规范汉字表 character (`kMandarin`, with tone marks).
pub fn mandarin(c: char) -> Option<&'static str> {{
    let k = key(c)?;
    let i = COMMON.binary_search_by_key(&k, |e| e.0).ok()?;
    SYLLABLES.get(usize::from(COMMON[i].2)).copied()
}}

/// The level 1 characters with the same first Mandarin reading as `c`, tone included, in
/// 通用规范汉字表 order; `c` itself is among them if it is level 1 (作 → 作 坐 座 做 …).
pub fn common_homophones(c: char) -> &'static [char] {{
    let Some(k) = key(c) else {{ return &[] }};
    let Ok(i) = COMMON.binary_search_by_key(&k, |e| e.0) else {{
        return &[];
    }};
    let s = usize::from(COMMON[i].2);
    if s + 1 >= HOMOPHONE_START.len() {{
        return &[];
    }}
    &HOMOPHONES[usize::from(HOMOPHONE_START[s])..usize::from(HOMOPHONE_START[s + 1])]
}}

/// Characters with phonetic classes, sorted, once per class; aligned with [`PHONETIC_CLASSES`].
#[rustfmt::skip]
static PHONETIC_CHARS: &[u16] = &[
""")
    out.extend(u16_chunks([cp for cp, _ in phonetic_pairs], lambda xs: "".join(chr(x) for x in xs)))
    out.append("""];

/// The class of each entry of [`PHONETIC_CHARS`].
#[rustfmt::skip]
static PHONETIC_CLASSES: &[u16] = &[
""")
    out.extend(u16_chunks([c for _, c in phonetic_pairs], lambda xs: " ".join(class_label(x) for x in xs)))
    out.append("""];

/// Classes of [`MEMBERS`], sorted; aligned with it.
#[rustfmt::skip]
static MEMBER_CLASSES: &[u16] = &[
""")
    out.extend(u16_chunks([c for c, _ in members], lambda xs: " ".join(class_label(x) for x in xs)))
    out.append("""];

/// The members of each class, the most common first.
#[rustfmt::skip]
static MEMBERS: &[char] = &[
""")
    out.extend(chunked([chr(cp) for _, cp in members]))
    out.append("""];

/// Radical-added pairs, sorted by the rare character, strongest first.
#[rustfmt::skip]
static RADICAL_ADDED: &[Relation] = &[
""")
    out.extend(relation_lines(added))
    out.append("""];

/// Radical-swapped pairs, sorted by the rare character, strongest first.
#[rustfmt::skip]
static RADICAL_SWAPPED: &[Relation] = &[
""")
    out.extend(relation_lines(swapped))
    out.append("""];

/// `(character, 通用规范汉字表 target, kind)`, sorted by the character.
#[rustfmt::skip]
static VARIANTS: &[(char, char, VariantKind)] = &[
""")
    for cp, target, kind in variants:
        out.append(f"    ({rc(chr(cp))}, {rc(chr(target))}, VariantKind::{kind}), // {chr(cp)} → {chr(target)}\n")
    out.append("""];

/// The 通用规范汉字表 characters: `(character, index, reading)`, sorted by character; the
/// reading indexes [`SYLLABLES`] (`u16::MAX`: none).
#[rustfmt::skip]
static COMMON: &[(u16, u16, u16)] = &[
""")
    for cp, index, reading in commons:
        s = syllables.index(reading) if reading else 0xFFFF
        out.append(f"    (0x{cp:04X}, {index}, {s}), // {chr(cp)} {reading or '-'}\n")
    out.append("""];

/// Mandarin syllables with tone marks, sorted.
#[rustfmt::skip]
static SYLLABLES: &[&str] = &[
""")
    for i in range(0, len(syllables), 10):
        out.append("    " + " ".join(f"{rs_str(s)}," for s in syllables[i:i + 10]) + "\n")
    starts, position = [], 0
    by_syllable = defaultdict(list)
    for reading, cp in homophones:
        by_syllable[reading].append(cp)
    ordered = []
    for s in syllables:
        starts.append(position)
        ordered.extend(by_syllable[s])
        position += len(by_syllable[s])
    starts.append(position)
    out.append("""];

/// Where each syllable's level 1 characters start in [`HOMOPHONES`] (one more entry than
/// [`SYLLABLES`]).
#[rustfmt::skip]
static HOMOPHONE_START: &[u16] = &[
""")
    for i in range(0, len(starts), 12):
        out.append("    " + " ".join(f"{x}," for x in starts[i:i + 12]) + "\n")
    out.append("""];

/// Level 1 characters grouped by syllable, in 通用规范汉字表 order within a syllable.
#[rustfmt::skip]
static HOMOPHONES: &[char] = &[
""")
    out.extend(chunked([chr(cp) for cp in ordered]))
    out.append("];\n")
    out.append(UNIHAN_TESTS)
    return "".join(out)


def relation_lines(relations):
    """One line per rare character: its relations, then `// rare → commons`."""
    by_rare = defaultdict(list)
    for rare, common, evidence in relations:
        by_rare[rare].append((common, evidence))
    for rare in sorted(by_rare):
        items = by_rare[rare]
        entries = " ".join(f"r(0x{rare:04X}, 0x{c:04X}, {e})," for c, e in items)
        yield f"    {entries} // {chr(rare)} → {''.join(chr(c) for c, _ in items)}\n"


def u16_chunks(values, comment, per_line=10):
    for i in range(0, len(values), per_line):
        part = values[i:i + per_line]
        yield "    " + " ".join(f"0x{v:04X}," for v in part) + f" // {comment(part)}\n"


UNIHAN_TESTS = """
#[cfg(test)]
mod tests {
    use super::*;

    fn is_bmp_ideograph(c: char) -> bool {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
            || matches!(
                c as u32,
                0xFA0E
                    | 0xFA0F
                    | 0xFA11
                    | 0xFA13
                    | 0xFA14
                    | 0xFA1F
                    | 0xFA21
                    | 0xFA23
                    | 0xFA24
                    | 0xFA27..=0xFA29
            )
    }

    #[test]
    fn phonetic_tables_are_sorted_and_consistent() {
        assert_eq!(PHONETIC_CHARS.len(), PHONETIC_CLASSES.len());
        assert_eq!(MEMBER_CLASSES.len(), MEMBERS.len());
        assert_eq!(PHONETIC_CHARS.len(), MEMBERS.len());
        let pairs: Vec<(u16, u16)> = PHONETIC_CHARS
            .iter()
            .copied()
            .zip(PHONETIC_CLASSES.iter().copied())
            .collect();
        assert!(
            pairs.windows(2).all(|w| w[0] < w[1]),
            "sorted by (char, class), no repeats"
        );
        assert!(MEMBER_CLASSES.windows(2).all(|w| w[0] <= w[1]));
        for (&k, &class) in PHONETIC_CHARS.iter().zip(PHONETIC_CLASSES) {
            let c = bmp(k);
            assert!(is_bmp_ideograph(c), "{c}");
            assert!(
                phonetic_class_members(class).contains(&c),
                "{c} {}",
                phonetic_class_label(class)
            );
            assert!(class & 7 <= 4);
        }
    }

    #[test]
    fn phonetic_classes_of_the_seed() {
        for (a, b, label) in [
            ('湔', '前', "196"),
            ('茬', '在', "244"),
            ('淛', '制', "53"),
            ('囮', '化', "335"),
            ('絀', '出', "334"),
            ('茭', '交', "553"),
            ('荇', '行', "435"),
            ('鍺', '者', "94"),
            ('汾', '分', "353"),
            ('凊', '情', "203"),
            ('囷', '和', "1453"),
            ('怹', '他', "1283"),
            ('铨', '全', "282"),
            ('矗', '直', "171"),
        ] {
            let shared: Vec<String> = phonetic_classes(a)
                .iter()
                .filter(|c| phonetic_classes(b).contains(c))
                .map(|&c| phonetic_class_label(c))
                .collect();
            assert!(shared.iter().any(|l| l == label), "{a} {b}: {shared:?}");
        }
        assert_eq!(phonetic_class_label(phonetic_class(423, Some('A'))), "423A");
        assert!(phonetic_classes('行').contains(&phonetic_class(423, Some('A'))));
        assert!(phonetic_class_members(phonetic_class(196, None)).starts_with(&['前']));
        assert!(phonetic_classes('a').is_empty() && phonetic_classes('😀').is_empty());
    }

    fn check_relations(table: &[Relation]) {
        for w in table.windows(2) {
            assert!(w[0].rare <= w[1].rare);
            assert!(w[0] != w[1]);
        }
        for r in table {
            assert_ne!(r.rare(), r.common(), "{} maps to itself", r.rare());
            assert!(
                is_bmp_ideograph(r.rare()) && is_bmp_ideograph(r.common()),
                "{}",
                r.rare()
            );
            assert!(
                tgh_level(r.common()).is_some(),
                "{} → {}",
                r.rare(),
                r.common()
            );
            assert!(r.evidence().bits() != 0 && r.evidence().bits() < 64);
        }
    }

    #[test]
    fn radical_added_pairs() {
        check_relations(RADICAL_ADDED);
        for r in RADICAL_ADDED {
            let e = r.evidence();
            assert!(
                e.strength() >= 2 || e.contains(Evidence::SHAPE),
                "{} → {}",
                r.rare(),
                r.common()
            );
            assert!(!e.contains(Evidence::STROKES_DIFFER) || e.strength() >= 2);
            assert!(tgh_level(r.common()).unwrap() <= 2);
        }
        for (rare, base) in [
            ('湔', '前'),
            ('淛', '制'),
            ('铨', '全'),
            ('囮', '化'),
            ('絀', '出'),
            ('茭', '交'),
            ('鈈', '不'),
            ('荇', '行'),
            ('媔', '面'),
            ('怹', '他'),
            ('茬', '在'),
            ('鍺', '者'),
            ('汾', '分'),
            ('垨', '守'),
            ('莋', '作'),
        ] {
            assert_eq!(radical_added_base(rare), Some(base), "{rare}");
        }
        // The base is never the radical: 岐 is 山 + 支.
        assert!(radical_added('岐').iter().all(|r| r.common() != '山'));
        assert_eq!(radical_added_base('前'), None);
        assert_eq!(radical_added_base('😀'), None);
    }

    #[test]
    fn radical_swapped_pairs() {
        check_relations(RADICAL_SWAPPED);
        for r in RADICAL_SWAPPED {
            assert_ne!(tgh_level(r.rare()), Some(1), "{}", r.rare());
            assert_eq!(tgh_level(r.common()), Some(1));
            assert!(r.evidence().strength() >= 2 || r.evidence() == Evidence::SHAPE);
        }
        for (rare, common) in [
            ('粅', '物'),
            ('凊', '情'),
            ('囷', '和'),
            ('旳', '的'),
            ('彵', '他'),
        ] {
            assert!(
                radical_swapped(rare).iter().any(|r| r.common() == common),
                "{rare} {common}"
            );
        }
    }

    #[test]
    fn variants_point_to_common_characters() {
        assert!(VARIANTS
            .windows(2)
            .all(|w| (w[0].0, w[0].1) != (w[1].0, w[1].1) && w[0].0 <= w[1].0));
        for &(c, target, kind) in VARIANTS {
            assert_ne!(c, target);
            assert!(is_bmp_ideograph(c) && is_bmp_ideograph(target), "{c}");
            assert!(tgh_index(target).is_some(), "{c} → {target}");
            assert_ne!(tgh_level(c), Some(1), "{c}");
            assert!(lookalike_variants(c).contains(&(c, target, kind)));
        }
        assert!(lookalike_variants('妺')
            .iter()
            .any(|v| v.1 == '妹' && v.2 == VariantKind::Spoofing));
    }

    #[test]
    fn common_characters_and_homophones() {
        assert!(COMMON.windows(2).all(|w| w[0].0 < w[1].0));
        let mut indexes: Vec<u16> = COMMON.iter().map(|e| e.1).collect();
        indexes.sort_unstable();
        assert!(indexes.windows(2).all(|w| w[0] < w[1]));
        assert!(
            indexes.iter().copied().take(3500).eq(1..=3500),
            "all level 1 characters"
        );
        assert!(*indexes.last().unwrap() <= 8105);
        assert!(SYLLABLES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(HOMOPHONE_START.len(), SYLLABLES.len() + 1);
        assert_eq!(
            usize::from(*HOMOPHONE_START.last().unwrap()),
            HOMOPHONES.len()
        );
        for &h in HOMOPHONES {
            assert_eq!(tgh_level(h), Some(1), "{h}");
            assert!(common_homophones(h).contains(&h));
            assert!(common_homophones(h)
                .iter()
                .all(|&o| mandarin(o) == mandarin(h)));
        }
        assert_eq!(tgh_index('一'), Some(1));
        assert_eq!(tgh_level('矗'), Some(1));
        assert_eq!(tgh_level('湔'), Some(2));
        assert_eq!(tgh_level('囷'), Some(3));
        assert_eq!(tgh_level('粅'), None);
        assert_eq!(mandarin('做'), Some("zuò"));
        assert!(common_homophones('作').contains(&'做'));
        assert!(common_homophones('再').contains(&'在'));
        assert!(common_homophones('莋').is_empty());
    }
}
"""


def render_curated(build, heldout, strokes, numerals, seed_list, coverage_expect):
    out = [header(
        "data/glyphs/confusions.txt, stroke-symbols.txt and numerals.txt",
        "// Hand-curated tables (see the files for their sources and comments).\n\n")]
    groups = defaultdict(list)
    sources = {}
    for e in build:
        groups[e["damaged"]].append(e["intended"])
        sources[e["damaged"]] = e["source"]
    n_seed = len({e["damaged"] for e in build if e["seed"]})
    out.append(f"""//! Hand-curated candidate tables.
//!
//! - [`curated_confusion`]: the build part of `data/glyphs/confusions.txt`, {len(groups)} damaged
//!   characters ({n_seed} from the seed document, which are always in the build part, and the
//!   others chosen by a stable hash). The other {len(heldout)} entries are in
//!   `data/glyphs/confusions-heldout.txt`, for the held-out evaluation only: nothing in the crate
//!   may read them.
//! - [`stroke_symbol_for`]: {len(strokes)} symbols drawn as one horizontal stroke that stand for 一
//!   (┅ ─ ー ㄧ …), with their [`StrokeSymbolKind`]; the dashes are also real punctuation.
//! - [`financial_numeral`]: {len(numerals)} financial numerals (大写数字) and their ordinary
//!   numerals (陸 → 六), checked against Unihan's numeric values.

/// What kind of damage a curated confusion is (the `source` column of `confusions.txt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfusionSource {{
    /// A radical added to the intended character (湔 = 氵 + 前).
    RadicalAdded,
    /// The intended character's radical replaced on the same phonetic part (粅 for 物).
    RadicalSwapped,
    /// A character containing a homophone of the intended one (莋 contains 作, stands for 做).
    PhoneticHomophone,
    /// A character or symbol of similar shape (尛 for 小, 矗 for 直).
    Shape,
    /// A traditional character used for another simplified one than its own (鈈 for 不).
    Traditional,
    /// A financial numeral in running text (陸 for 六).
    Numeral,
}}

impl ConfusionSource {{
    /// The name used in `confusions.txt`.
    pub fn name(self) -> &'static str {{
        match self {{
            ConfusionSource::RadicalAdded => "radical-added",
            ConfusionSource::RadicalSwapped => "radical-swapped",
            ConfusionSource::PhoneticHomophone => "phonetic-homophone",
            ConfusionSource::Shape => "shape",
            ConfusionSource::Traditional => "traditional",
            ConfusionSource::Numeral => "numeral",
        }}
    }}
}}

/// What kind of symbol a stroke symbol is, from the most to the least suspicious in Chinese text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrokeSymbolKind {{
    /// Box drawing (┅ ─ ━): between ideographs, almost always a stand-in.
    BoxDrawing,
    /// A letter of another script drawn as one stroke (ー ㄧ ㅡ).
    Letter,
    /// A CJK stroke (㇐), used on purpose in texts about strokes.
    CjkStroke,
    /// Real punctuation too (— ―): weigh lightly.
    Dash,
}}

use ConfusionSource as S;

/// `(damaged, intended characters, source)`, sorted by the damaged character.
#[rustfmt::skip]
static CONFUSIONS: &[(char, &[char], ConfusionSource)] = &[
""")
    for d in sorted(groups):
        names = {"radical-added": "RadicalAdded", "radical-swapped": "RadicalSwapped",
                 "phonetic-homophone": "PhoneticHomophone", "shape": "Shape",
                 "traditional": "Traditional", "numeral": "Numeral"}
        out.append(f"    ({rc(d)}, &[{', '.join(rc(i) for i in groups[d])}], S::{names[sources[d]]}), "
                   f"// {d} → {''.join(groups[d])}\n")
    out.append("""];

/// `(symbol, ideograph, kind)`, sorted by the symbol.
#[rustfmt::skip]
static STROKE_SYMBOLS: &[(char, char, StrokeSymbolKind)] = &[
""")
    kinds = {"box-drawing": "BoxDrawing", "letter": "Letter", "cjk-stroke": "CjkStroke", "dash": "Dash"}
    for symbol, ideograph, kind in strokes:
        out.append(f"    ({rc(symbol)}, {rc(ideograph)}, StrokeSymbolKind::{kinds[kind]}), "
                   f"// {symbol} U+{ord(symbol):04X} {unicodedata.name(symbol)}\n")
    out.append("""];

/// `(financial numeral, numeral)`, sorted by the financial numeral.
#[rustfmt::skip]
static FINANCIAL_NUMERALS: &[(char, char)] = &[
""")
    for form, numeral in numerals:
        out.append(f"    ({rc(form)}, {rc(numeral)}), // {form} → {numeral}\n")
    out.append("""];

/// The intended characters and the kind of damage, if `c` is a damaged character of the build
/// part of the curated table (囷 → 和).
pub fn curated_confusion(c: char) -> Option<(&'static [char], ConfusionSource)> {
    CONFUSIONS
        .binary_search_by_key(&c, |e| e.0)
        .ok()
        .map(|i| (CONFUSIONS[i].1, CONFUSIONS[i].2))
}

/// The whole build part of the curated table, sorted by the damaged character.
pub fn curated_confusions() -> &'static [(char, &'static [char], ConfusionSource)] {
    CONFUSIONS
}

/// The ideograph that the symbol `c` stands for (┅ → 一), if it is a stroke symbol.
pub fn stroke_symbol_for(c: char) -> Option<char> {
    STROKE_SYMBOLS
        .binary_search_by_key(&c, |e| e.0)
        .ok()
        .map(|i| STROKE_SYMBOLS[i].1)
}

/// The kind of the stroke symbol `c`.
pub fn stroke_symbol_kind(c: char) -> Option<StrokeSymbolKind> {
    STROKE_SYMBOLS
        .binary_search_by_key(&c, |e| e.0)
        .ok()
        .map(|i| STROKE_SYMBOLS[i].2)
}

/// The ordinary numeral that the financial numeral `c` stands for (陸 → 六, 贰 → 二).
pub fn financial_numeral(c: char) -> Option<char> {
    FINANCIAL_NUMERALS
        .binary_search_by_key(&c, |e| e.0)
        .ok()
        .map(|i| FINANCIAL_NUMERALS[i].1)
}

/// The character repairs of fixtures/seed/ (`damaged, intended, count`; 49 in all), found by
/// diffing input.txt against expected.txt.
#[cfg(test)]
#[rustfmt::skip]
static SEED_REPAIRS: &[(char, char, u32)] = &[
""")
    for (d, i), n in seed_list:
        out.append(f"    ({rc(d)}, {rc(i)}, {n}), // {d} → {i}\n")
    out.append("""];

/// The held-out pairs (data/glyphs/confusions-heldout.txt), for the test that none leaked.
#[cfg(test)]
#[rustfmt::skip]
static HELDOUT: &[(char, char)] = &[
""")
    for e in heldout:
        out.append(f"    ({rc(e['damaged'])}, {rc(e['intended'])}), // {e['damaged']} → {e['intended']}\n")
    out.append("""];

/// Seed repairs that no generic source covers (only the curated table); checked so that a change
/// of coverage is noticed.
#[cfg(test)]
static SEED_CURATED_ONLY: &[(char, char)] = &[
""")
    for d, i in coverage_expect:
        out.append(f"    ({rc(d)}, {rc(i)}), // {d} → {i}\n")
    out.append("];\n")
    out.append(CURATED_TESTS)
    return "".join(out)


CURATED_TESTS = """
#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{glyph_opencc, glyph_unihan};

    fn is_ideograph(c: char) -> bool {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x323AF)
    }

    #[test]
    fn tables_are_sorted_and_map_to_other_ideographs() {
        assert!(CONFUSIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(STROKE_SYMBOLS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(FINANCIAL_NUMERALS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(d, intended, _) in CONFUSIONS {
            assert!(!intended.is_empty());
            for &i in intended {
                assert_ne!(d, i);
                assert!(is_ideograph(i), "{d} → {i}");
            }
        }
        for &(s, i, _) in STROKE_SYMBOLS {
            assert!(!is_ideograph(s) && i == '一', "{s}");
        }
        for &(f, n) in FINANCIAL_NUMERALS {
            assert!(
                f != n && is_ideograph(f) && "一二三四五六七八九十百千".contains(n),
                "{f}"
            );
        }
    }

    #[test]
    fn heldout_pairs_are_not_in_the_build_part() {
        for &(d, _) in HELDOUT {
            assert_eq!(curated_confusion(d), None, "{d} leaked into the build part");
        }
    }

    /// Which generic (non-curated) sources offer `intended` for `damaged`.
    fn generic_sources(damaged: char, intended: char) -> Vec<&'static str> {
        let mut sources = Vec::new();
        if glyph_opencc::traditional_to_simplified(damaged).is_some_and(|t| t.contains(&intended)) {
            sources.push("opencc");
        }
        if stroke_symbol_for(damaged) == Some(intended) {
            sources.push("stroke-symbol");
        }
        if financial_numeral(damaged) == Some(intended) {
            sources.push("financial-numeral");
        }
        let added = glyph_unihan::radical_added(damaged);
        if added.iter().any(|r| r.common() == intended) {
            sources.push("radical-added");
        }
        if added.iter().any(|r| {
            r.common() != intended
                && glyph_unihan::common_homophones(r.common()).contains(&intended)
        }) {
            sources.push("radical-added+homophone");
        }
        if glyph_unihan::radical_swapped(damaged)
            .iter()
            .any(|r| r.common() == intended)
        {
            sources.push("radical-swapped");
        }
        if glyph_unihan::lookalike_variants(damaged)
            .iter()
            .any(|v| v.1 == intended)
        {
            sources.push("unihan-variant");
        }
        if glyph_unihan::phonetic_classes(damaged)
            .iter()
            .any(|&c| glyph_unihan::phonetic_class_members(c).contains(&intended))
        {
            sources.push("phonetic-class");
        }
        sources
    }

    #[test]
    fn every_seed_repair_is_reachable() {
        assert_eq!(SEED_REPAIRS.iter().map(|r| r.2).sum::<u32>(), 49);
        let mut curated_only = Vec::new();
        for &(d, i, _) in SEED_REPAIRS {
            let generic = generic_sources(d, i);
            let curated = curated_confusion(d).is_some_and(|(t, _)| t.contains(&i));
            assert!(curated || !generic.is_empty(), "{d} → {i} is not reachable");
            if generic.is_empty() {
                curated_only.push((d, i));
            }
            // A seed pair that OpenCC does not cover must be in the curated build part.
            if !generic.contains(&"opencc") {
                assert!(curated, "{d} → {i} is missing from the curated build part");
            }
        }
        assert_eq!(curated_only, SEED_CURATED_ONLY);
    }

    #[test]
    fn known_entries() {
        assert_eq!(
            curated_confusion('囷'),
            Some((&['和'][..], ConfusionSource::RadicalSwapped))
        );
        assert_eq!(
            curated_confusion('鈈'),
            Some((&['不'][..], ConfusionSource::Traditional))
        );
        assert_eq!(curated_confusion('和'), None);
        assert_eq!(stroke_symbol_for('┅'), Some('一'));
        assert_eq!(stroke_symbol_kind('—'), Some(StrokeSymbolKind::Dash));
        assert_eq!(stroke_symbol_for('①'), None);
        assert_eq!(financial_numeral('陸'), Some('六'));
        assert_eq!(financial_numeral('贰'), Some('二'));
        assert_eq!(financial_numeral('参'), None);
        assert_eq!(
            ConfusionSource::PhoneticHomophone.name(),
            "phonetic-homophone"
        );
        assert!(curated_confusions().len() >= 23);
    }
}
"""


def read_jieba_char_counts(path):
    """The count of each character summed over the dictionary lines it occurs in, as build.rs
    computes `lm::char_count` (a word listed twice counts twice; saturated at u32::MAX)."""
    counts = defaultdict(int)
    for lineno, line in enumerate(read_text(path, "the jieba dictionary"), 1):
        fields = line.split(" ")
        if len(fields) < 2 or not fields[0] or not fields[1].isdigit():
            fail(path, lineno, f"expected `word count [tag]`, got {line!r}")
        for ch in fields[0]:
            counts[ch] += int(fields[1])
    return {ch: min(n, 0xFFFF_FFFF) for ch, n in counts.items()}


def read_glyphs_rule_settings(root):
    """`RARE_CHAR_COUNT` and `STANDARD_IN_SIMPLIFIED` of the glyphs rule, defined there once."""
    path = os.path.join(root, GLYPHS_RULE)
    text = "\n".join(read_text(path, "the glyphs rule"))
    rare = re.search(r"^pub const RARE_CHAR_COUNT: u64 = ([0-9_]+);$", text, re.M)
    standard = re.search(r'^const STANDARD_IN_SIMPLIFIED: &str = "([^"]+)";$', text, re.M)
    if not rare or not standard:
        raise InputError(f"{GLYPHS_RULE}: RARE_CHAR_COUNT or STANDARD_IN_SIMPLIFIED not found")
    return int(rare.group(1).replace("_", "")), standard.group(1)


def is_han(cp):
    """`rules::is_han` on the BMP: the unified ideographs and the compatibility block."""
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF


def render_suspects(opencc, unihan, added, swapped, build, strokes, numerals, char_counts, settings):
    rare_count, standard = settings
    traditional = {ord(c) for c in opencc["traditional_only"]}
    simplified = {ord(c) for c in opencc["simplified_only"]}
    phrase_starts = {ord(k[0]) for k, _, _ in opencc["phrases"]}
    curated = {ord(e["damaged"]) for e in build}
    symbols = {ord(s) for s, _, _ in strokes}
    financial = {ord(f) for f, _ in numerals}
    added_rare = {r for r, _, _ in added}
    swapped_rare = {r for r, _, _ in swapped}
    phonetic = {cp for cp, classes in unihan.phonetic.items() if classes}
    readmitted = {ord(c) for c in standard}

    def lookalike(cp):
        # is_lookalike_suspect in src/rules/glyphs.rs.
        if cp in symbols:
            return True
        if not is_han(cp) or cp in readmitted:
            return False
        if cp in traditional:
            return cp in curated
        sources = (curated, financial, added_rare, swapped_rare, phonetic)
        return any(cp in s for s in sources) and char_counts.get(chr(cp), 0) < rare_count

    sets = [
        {cp for cp in range(FIRST_SUSPECT, 0x10000) if lookalike(cp)},
        {cp for cp in traditional if cp < 0x10000},
        {cp for cp in simplified if cp < 0x10000},
        {cp for cp in phrase_starts if cp < 0x10000},
        {cp for cp in range(FIRST_SUSPECT, 0x10000) if char_counts.get(chr(cp), 0) >= rare_count},
    ]
    if any(cp < FIRST_SUSPECT for s in sets for cp in s):
        raise InputError(f"a character below U+{FIRST_SUSPECT:04X} is in a suspect set")
    out = [header(
        "data/opencc/, data/unihan/, data/glyphs/ and data/jieba/dict.txt",
        "// The sets are derived from the glyph tables (see their licences) and jieba's character counts\n"
        "// (MIT, data/jieba/LICENSE).\n\n")]
    out.append(f"""//! Bit sets over the Basic Multilingual Plane for the line scan of the `glyphs` rule: one
//! look-up per character of a line instead of a binary search in each table it is made from.
//!
//! For each block of 64 code points from U+{FIRST_SUSPECT:04X} (below, in the alphabets, every set is empty) one
//! word per set, bit `code % 64` for the code point `code`:
//!
//! - `lookalike`: {len(sets[0])} look-alike suspects, the characters `is_lookalike_suspect` of the
//!   rule accepts: the stroke symbols, and the Han characters with a candidate from some source
//!   whose count in the dictionary is under `RARE_CHAR_COUNT` ({rare_count}) (a traditional-only
//!   character only when the curated list names it; never one of {standard}).
//! - `traditional_only` and `simplified_only`: the BMP part of
//!   [`super::glyph_opencc::is_traditional_only`] ({len(sets[1])}) and
//!   [`super::glyph_opencc::is_simplified_only`] ({len(sets[2])}).
//! - `phrase_start`: the {len(sets[3])} first characters of [`super::glyph_opencc::ts_phrases`].
//! - `common`: the {len(sets[4])} characters whose count is at least `RARE_CHAR_COUNT`, the only
//!   ones a phonetic class offers as candidates.
//!
//! The rule's tests check every bit against the tables.

/// The code point of the first block.
pub const FIRST_CODE: u32 = 0x{FIRST_SUSPECT:04X};

/// The bits of one block of 64 code points in each set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuspectBits {{
    pub lookalike: u64,
    pub traditional_only: u64,
    pub simplified_only: u64,
    pub phrase_start: u64,
    pub common: u64,
}}

const fn b(
    lookalike: u64,
    traditional_only: u64,
    simplified_only: u64,
    phrase_start: u64,
    common: u64,
) -> SuspectBits {{
    SuspectBits {{
        lookalike,
        traditional_only,
        simplified_only,
        phrase_start,
        common,
    }}
}}

/// The bits of the block of `c` and the bit of `c` in them; `None` outside the blocks (below
/// [`FIRST_CODE`] and outside the BMP), where every set is empty.
#[inline]
pub fn suspect_bits(c: char) -> Option<(&'static SuspectBits, u64)> {{
    let block = (c as u32).checked_sub(FIRST_CODE)? / 64;
    BLOCKS
        .get(block as usize)
        .map(|bits| (bits, 1 << (c as u32 % 64)))
}}

/// Whether `c` is a look-alike or a traditional-only suspect: the one test that most lines
/// (those with no suspect) get for every character, from a set of its own (one word per
/// block, 8 KiB) so that a scan of a line reads as little memory as it can.
#[inline]
pub fn is_suspect(c: char) -> bool {{
    let code = c as u32;
    code < 0x1_0000 && SUSPECTS[(code / 64) as usize] & (1 << (code % 64)) != 0
}}

/// `lookalike | traditional_only` for every block of 64 code points of the BMP (public for a
/// scan that decodes UTF-8 itself and finds the block from the bytes).
#[rustfmt::skip]
pub static SUSPECTS: [u64; 1024] = [
""")
    for row in range(0, 0x10000, 64 * 4):
        words = []
        for block in range(row, row + 64 * 4, 64):
            word = 0
            for bit in range(64):
                if block + bit in sets[0] or block + bit in sets[1]:
                    word |= 1 << bit
            words.append(f"0x{word:X}")
        out.append(f"    {', '.join(words)}, // U+{row:04X}\n")
    out.append(f"""];

/// One entry per block of 64 code points from [`FIRST_CODE`] to U+FFFF.
#[rustfmt::skip]
static BLOCKS: [SuspectBits; {(0x10000 - FIRST_SUSPECT) // 64}] = [
""")
    for block in range(FIRST_SUSPECT, 0x10000, 64):
        words = []
        for members in sets:
            word = 0
            for bit in range(64):
                if block + bit in members:
                    word |= 1 << bit
            words.append(f"0x{word:X}")
        out.append(f"    b({', '.join(words)}), // U+{block:04X}\n")
    out.append("];\n")
    return "".join(out)


def render_heldout(heldout):
    out = ["# Held-out part of data/glyphs/confusions.txt: damaged<TAB>intended<TAB>source<TAB>where seen\n",
           f"# GENERATED by {SCRIPT} — DO NOT EDIT; edit confusions.txt and regenerate.\n",
           "#\n",
           "# The lines of confusions.txt that are not from the seed document and whose damaged\n",
           "# character hashes odd (first byte of the SHA-256 of its UTF-8). The `glyphs` rule's tables\n",
           "# are built without them, so the held-out evaluation can damage clean text with these\n",
           "# substitutions and measure recall on unseen look-alikes. Nothing in src/ may read this file.\n"]
    for e in heldout:
        out.append(f"{e['damaged']}\t{e['intended']}\t{e['source']}\t{e['where']}\n")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Coverage


def coverage(pairs, opencc, unihan, added, swapped, variants, commons, strokes, numerals, build):
    """Which sources offer `intended` for each (damaged, intended) pair."""
    added_by = defaultdict(list)
    for r, c, e in added:
        added_by[r].append(c)
    swapped_by = defaultdict(list)
    for r, c, e in swapped:
        swapped_by[r].append(c)
    variant_by = defaultdict(list)
    for r, c, _ in variants:
        variant_by[r].append(c)
    reading = {cp: r for cp, idx, r in commons}
    level1_by_reading = defaultdict(set)
    for cp, idx, r in commons:
        if idx <= 3500:
            level1_by_reading[r].add(cp)
    members = defaultdict(set)
    for cp, classes in unihan.phonetic.items():
        for c in classes:
            members[c].add(cp)
    stroke = {s: i for s, i, _ in strokes}
    numeral = dict(numerals)
    curated = {(e["damaged"], e["intended"]) for e in build}
    rows = []
    for d, i in pairs:
        dc, ic = ord(d), ord(i)
        sources = []
        if i in opencc["ts"].get(d, []):
            sources.append("opencc" + ("" if opencc["ts"][d][0] == i else " (not default)"))
        if stroke.get(d) == i:
            sources.append("stroke-symbol")
        if numeral.get(d) == i:
            sources.append("financial-numeral")
        if ic in added_by.get(dc, []):
            sources.append("radical-added")
        if any(b != ic and ic in level1_by_reading.get(reading.get(b), set()) for b in added_by.get(dc, [])):
            sources.append("radical-added+homophone")
        if ic in swapped_by.get(dc, []):
            sources.append("radical-swapped")
        if ic in variant_by.get(dc, []):
            sources.append("unihan-variant")
        if any(ic in members[c] for c in unihan.phonetic.get(dc, [])):
            sources.append("phonetic-class")
        generic = list(sources)
        if (d, i) in curated:
            sources.append("curated")
        rows.append((d, i, sources, generic))
    return rows


# ---------------------------------------------------------------------------------------------


def cross_check_opencc(opencc, unihan):
    """OpenCC's T→S characters against Unihan's kSimplifiedVariant, where both speak: some
    candidate must agree. A handful of disagreements are differences of opinion between the two
    (奬 → 奖 in OpenCC, → 奨 in Unihan); many would mean a wrong or damaged file."""
    agree, disagree, silent = 0, [], 0
    for t, targets in sorted(opencc["ts"].items()):
        if not in_scope(ord(t)):
            continue
        variants = unihan.simplified_variants.get(ord(t))
        if not variants:
            silent += 1
        elif {ord(x) for x in targets} & set(variants):
            agree += 1
        else:
            disagree.append(f"{t}→{''.join(targets)} (Unihan {''.join(chr(v) for v in variants)})")
    if len(disagree) * 100 > agree:
        raise InputError(f"OpenCC and Unihan disagree on {len(disagree)} of {agree + len(disagree)} "
                         "traditional characters; wrong files?")
    return agree, disagree, silent


def build_all(args):
    version, data, radicals = read_unihan(args.unihan)
    unihan = Unihan(version, data, radicals)
    opencc = build_opencc(args.opencc, set(unihan.tgh))
    added = unihan.radical_added()
    swapped = unihan.radical_swapped()
    variants = unihan.lookalike_variants()
    commons = unihan.common_readings()
    if sum(1 for _, index, _ in commons if index <= 3500) != 3500:
        raise InputError("not all 3500 level 1 characters of the 通用规范汉字表 are in the BMP")
    crosscheck = cross_check_opencc(opencc, unihan)
    seed = read_seed(ROOT)
    repairs = seed_repairs(seed)
    entries = read_confusions(os.path.join(args.glyphs, "confusions.txt"), seed)
    build, heldout = split_confusions(entries)
    strokes = read_stroke_symbols(os.path.join(args.glyphs, "stroke-symbols.txt"))
    numerals = read_numerals(os.path.join(args.glyphs, "numerals.txt"), unihan)
    seed_rows = coverage([p for p, _ in repairs], opencc, unihan, added, swapped, variants, commons,
                         strokes, numerals, build)
    curated_only = [(d, i) for d, i, _, generic in seed_rows if not generic]
    for d, i, sources, _ in seed_rows:
        if not sources:
            raise InputError(f"the seed repair {d} → {i} is not covered by any source; "
                             "add it to data/glyphs/confusions.txt")
    outputs = {
        os.path.join(args.out_dir, "glyph_opencc.rs"): render_opencc(opencc),
        os.path.join(args.out_dir, "glyph_unihan.rs"): render_unihan(unihan, added, swapped, variants, commons),
        os.path.join(args.out_dir, "glyph_curated.rs"): render_curated(build, heldout, strokes, numerals,
                                                                        repairs, curated_only),
        os.path.join(args.glyphs, "confusions-heldout.txt"): render_heldout(heldout),
        os.path.join(args.out_dir, "glyph_suspects.rs"): render_suspects(
            opencc, unihan, added, swapped, build, strokes, numerals,
            read_jieba_char_counts(os.path.join(ROOT, JIEBA_DICT)), read_glyphs_rule_settings(ROOT)),
    }
    report = {
        "opencc": opencc, "unihan": unihan, "added": added, "swapped": swapped, "variants": variants,
        "commons": commons, "build": build, "heldout": heldout, "strokes": strokes, "numerals": numerals,
        "repairs": repairs, "seed_rows": seed_rows,
        "entry_rows": coverage([(e["damaged"], e["intended"]) for e in entries], opencc, unihan, added,
                               swapped, variants, commons, strokes, numerals, build),
        "entries": entries, "crosscheck": crosscheck,
    }
    return outputs, report


def print_coverage(report):
    counts = dict(report["repairs"])
    print("\nSeed repairs (fixtures/seed/, 49 in all) and the sources that offer the intended character:")
    for d, i, sources, _ in report["seed_rows"]:
        print(f"  {d} → {i}  ×{counts[(d, i)]}  {', '.join(sources)}")
    heldout = {(e["damaged"], e["intended"]) for e in report["heldout"]}
    print("\nCurated pairs (H = held out) and the sources that offer the intended character:")
    for d, i, sources, _ in report["entry_rows"]:
        mark = "H" if (d, i) in heldout else " "
        print(f"  {mark} {d} → {i}  {', '.join(sources) or '-'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opencc", default=os.path.join(ROOT, "data", "opencc"))
    parser.add_argument("--unihan", default=os.path.join(ROOT, "data", "unihan"),
                        help="directory with the Unihan files (full or -subset) and CJKRadicals.txt")
    parser.add_argument("--glyphs", default=os.path.join(ROOT, "data", "glyphs"))
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "src", "tables"))
    parser.add_argument("--extract-unihan", metavar="UCD_DIR",
                        help="write data/unihan/*-subset.txt.bz2 and CJKRadicals.txt from a UCD directory")
    parser.add_argument("--coverage", action="store_true", help="print the coverage of the seed repairs")
    parser.add_argument("--check", action="store_true", help="only check that the outputs are up to date")
    args = parser.parse_args()
    try:
        if args.extract_unihan:
            extract_unihan(args.extract_unihan, args.unihan)
            return 0
        outputs, report = build_all(args)
    except InputError as e:
        print(f"gen_glyph_tables.py: {e}", file=sys.stderr)
        return 1
    stale = []
    for path, text in outputs.items():
        current = None
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                current = f.read()
        if current != text:
            stale.append(path)
            if not args.check:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
    if args.check:
        for path in stale:
            print(f"out of date: {os.path.relpath(path, ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    o, u = report["opencc"], report["unihan"]
    print(f"glyph_opencc.rs: {len(o['ts'])} characters, {len(o['phrases'])} phrases, "
          f"{len(o['traditional_only'])} traditional-only, {len(o['simplified_only'])} simplified-only "
          f"({o['package']} {o['version']})")
    print(f"glyph_unihan.rs: {len(u.phonetic)} characters with phonetic classes ({len(u.inherited)} inherited), "
          f"{len(report['added'])} radical-added, {len(report['swapped'])} radical-swapped, "
          f"{len(report['variants'])} variants, {len(report['commons'])} 通用规范汉字表 characters "
          f"(Unihan {u.version})")
    print(f"glyph_curated.rs: {len(report['build'])} curated pairs in the build part, "
          f"{len(report['heldout'])} held out, {len(report['strokes'])} stroke symbols, "
          f"{len(report['numerals'])} financial numerals")
    agree, disagree, silent = report["crosscheck"]
    print(f"OpenCC T→S vs Unihan kSimplifiedVariant: {agree} agree, {len(disagree)} disagree "
          f"({', '.join(disagree)}), {silent} without a Unihan simplified variant")
    print(f"{len(stale)} file(s) changed")
    if args.coverage:
        print_coverage(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
