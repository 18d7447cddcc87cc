#!/usr/bin/env python3
"""Generate src/tables/radicals.rs from the Unicode Character Database.

The table maps CJK radicals to the unified ideograph each one stands for:

- Kangxi Radicals (U+2F00..U+2FD5): from the <compat> decompositions in UnicodeData.txt.
  Every one of the 214 has one; a missing one is an error.
- CJK Radicals Supplement (U+2E80..U+2EF3): from EquivalentUnifiedIdeograph.txt. A few have no
  equivalent (U+2E80 CJK RADICAL REPEAT) and are left out, as the source says.

CJK Strokes (U+31C0..U+31E3) are also listed in EquivalentUnifiedIdeograph.txt but are left out
on purpose: a stroke is written as a stroke in texts about strokes, so folding it would damage
the text it is most likely to appear in. CJK Compatibility Ideographs need no table: they have
canonical decompositions, so NFC folds them.

Where both sources speak about a character they must agree; any disagreement, malformed line,
version mismatch or target that is not a unified ideograph stops the script with a message that
names the file and line.

Usage:
    python3 scripts/gen_unicode_tables.py [--ucd DIR] [--out FILE]

DIR defaults to data/unicode (the checked-in copies); FILE to src/tables/radicals.rs.
"""

import argparse
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

KANGXI = range(0x2F00, 0x2FD6)
SUPPLEMENT = range(0x2E80, 0x2EF4)

# Blocks of CJK Unified Ideographs (Unicode 15.0 and the Extension I block of 15.1), plus the
# twelve unified ideographs that sit in the CJK Compatibility Ideographs block.
UNIFIED = [
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0x2CEB0, 0x2EBEF),
    (0x2EBF0, 0x2EE5F),
    (0x30000, 0x3134F),
    (0x31350, 0x323AF),
]
UNIFIED_IN_COMPAT_BLOCK = {
    0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29,
}


class InputError(Exception):
    pass


def fail(path, lineno, message):
    raise InputError(f"{path}:{lineno}: {message}")


def is_unified(cp):
    return cp in UNIFIED_IN_COMPAT_BLOCK or any(lo <= cp <= hi for lo, hi in UNIFIED)


def read_lines(path):
    if not os.path.isfile(path):
        raise InputError(
            f"{path}: not found. Copy it from the Unicode Character Database "
            "(Debian: apt-get install unicode-data; files in /usr/share/unicode/) or pass --ucd DIR."
        )
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def readme_version(path):
    """The UCD version, from ReadMe.txt ("... for Version 15.0.0 of the Unicode Standard")."""
    for line in read_lines(path):
        m = re.search(r"for Version (\d+\.\d+\.\d+) of the Unicode Standard", line)
        if m:
            return m.group(1)
    raise InputError(f"{path}: no 'for Version x.y.z of the Unicode Standard' line; is this the UCD ReadMe.txt?")


def parse_hex(path, lineno, text, scalar=True):
    """A code point in hex; with `scalar`, it must also be a Unicode scalar value (no surrogate)."""
    if not re.fullmatch(r"[0-9A-F]{4,6}", text):
        fail(path, lineno, f"expected a code point in hex, found {text!r}")
    cp = int(text, 16)
    if cp > 0x10FFFF or (scalar and 0xD800 <= cp <= 0xDFFF):
        fail(path, lineno, f"U+{cp:04X} is not a Unicode scalar value")
    return cp


def read_equivalents(path):
    """Returns (version, {code point: (equivalent, line number)})."""
    lines = read_lines(path)
    m = re.fullmatch(r"# EquivalentUnifiedIdeograph-(\d+\.\d+\.\d+)\.txt", lines[0].strip() if lines else "")
    if not m:
        fail(path, 1, "first line is not '# EquivalentUnifiedIdeograph-x.y.z.txt'; wrong file?")
    version = m.group(1)
    mapping = {}
    for lineno, raw in enumerate(lines, 1):
        data = raw.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if len(fields) != 2:
            fail(path, lineno, f"expected 'code point(s) ; code point', found {raw!r}")
        source, target = fields
        if ".." in source:
            lo, hi = source.split("..", 1)
            lo, hi = parse_hex(path, lineno, lo), parse_hex(path, lineno, hi)
            if lo > hi:
                fail(path, lineno, f"empty range {source}")
            sources = range(lo, hi + 1)
        else:
            sources = [parse_hex(path, lineno, source)]
        target_cp = parse_hex(path, lineno, target)
        for cp in sources:
            if cp in mapping:
                fail(path, lineno, f"U+{cp:04X} is listed twice")
            mapping[cp] = (target_cp, lineno)
    if not mapping:
        fail(path, len(lines), "no mappings found")
    return version, mapping


def read_compat_decompositions(path, wanted):
    """Returns ({code point: (single-character compat decomposition, line)}, set of assigned)."""
    decompositions = {}
    assigned = set()
    for lineno, raw in enumerate(read_lines(path), 1):
        fields = raw.split(";")
        if len(fields) != 15:
            fail(path, lineno, f"expected 15 fields, found {len(fields)}; is this UnicodeData.txt?")
        # UnicodeData.txt lists the surrogate ranges too, so the first field may be one.
        cp = parse_hex(path, lineno, fields[0], scalar=False)
        if cp not in wanted:
            continue
        assigned.add(cp)
        decomposition = fields[5]
        if not decomposition:
            continue
        m = re.fullmatch(r"<compat> ([0-9A-F]{4,6})", decomposition)
        if not m:
            fail(path, lineno, f"U+{cp:04X}: expected '<compat> XXXX', found {decomposition!r}")
        decompositions[cp] = (parse_hex(path, lineno, m.group(1)), lineno)
    return decompositions, assigned


def build(ucd):
    readme = os.path.join(ucd, "ReadMe.txt")
    eui_path = os.path.join(ucd, "EquivalentUnifiedIdeograph.txt")
    ud_path = os.path.join(ucd, "UnicodeData.txt")

    version = readme_version(readme)
    eui_version, equivalents = read_equivalents(eui_path)
    if eui_version != version:
        raise InputError(
            f"{eui_path} is from Unicode {eui_version} but {readme} says {version}; "
            "take all files from one UCD release"
        )
    wanted = set(KANGXI) | set(SUPPLEMENT)
    compat, assigned = read_compat_decompositions(ud_path, wanted)

    table = {}
    for cp in KANGXI:
        if cp not in compat:
            fail(ud_path, 0, f"Kangxi radical U+{cp:04X} has no <compat> decomposition; wrong file?")
        target, lineno = compat[cp]
        if cp in equivalents and equivalents[cp][0] != target:
            fail(eui_path, equivalents[cp][1],
                 f"U+{cp:04X} → U+{equivalents[cp][0]:04X} disagrees with UnicodeData.txt:{lineno} (U+{target:04X})")
        table[cp] = target
    for cp in SUPPLEMENT:
        if cp not in equivalents:
            continue
        target, lineno = equivalents[cp]
        if cp not in assigned:
            fail(eui_path, lineno, f"U+{cp:04X} is not assigned in UnicodeData.txt")
        if cp in compat and compat[cp][0] != target:
            fail(eui_path, lineno,
                 f"U+{cp:04X} → U+{target:04X} disagrees with UnicodeData.txt:{compat[cp][1]} (U+{compat[cp][0]:04X})")
        table[cp] = target
    for cp, target in table.items():
        if cp == target:
            raise InputError(f"U+{cp:04X} maps to itself")
        if not is_unified(target):
            raise InputError(f"U+{cp:04X} maps to U+{target:04X}, which is not a CJK unified ideograph")
    kangxi = sum(1 for cp in table if cp in KANGXI)
    supplement = len(table) - kangxi
    if kangxi != len(KANGXI):
        raise InputError(f"expected {len(KANGXI)} Kangxi radicals, found {kangxi}")
    return version, sorted(table.items()), kangxi, supplement


def rust_char(cp):
    return f"'\\u{{{cp:04X}}}'"


def render(version, table, kangxi, supplement):
    out = []
    out.append(
        "// GENERATED by scripts/gen_unicode_tables.py from data/unicode/UnicodeData.txt and\n"
        f"// data/unicode/EquivalentUnifiedIdeograph.txt (Unicode {version}) — DO NOT EDIT.\n"
        "// Regenerate with `python3 scripts/gen_unicode_tables.py` (see data/README.md).\n"
        "// The data is © Unicode, Inc., under the Unicode License v3 (data/unicode/LICENSE).\n"
        "\n"
        "//! CJK radicals and the unified ideographs they stand for.\n"
        "//!\n"
        f"//! {kangxi} Kangxi radicals (U+2F00..U+2FD5, from their compatibility decompositions) and\n"
        f"//! {supplement} CJK Radicals Supplement characters (U+2E80..U+2EF3, from\n"
        "//! `EquivalentUnifiedIdeograph.txt`). CJK strokes are left out on purpose, and the\n"
        "//! compatibility ideographs need no table: NFC folds them.\n"
        "\n"
        f"/// The Unicode version the table was generated from.\n"
        f"pub const UNICODE_VERSION: &str = \"{version}\";\n"
        "\n"
        "/// `(radical, unified ideograph)`, sorted by radical.\n"
        "#[rustfmt::skip]\n"
        "pub static RADICALS: &[(char, char)] = &[\n"
    )
    for cp, target in table:
        out.append(f"    ({rust_char(cp)}, {rust_char(target)}), // {chr(cp)} → {chr(target)}\n")
    out.append(
        "];\n"
        "\n"
        "/// The unified ideograph `c` stands for, if `c` is a radical in the table.\n"
        "pub fn equivalent_ideograph(c: char) -> Option<char> {\n"
        "    RADICALS\n"
        "        .binary_search_by_key(&c, |&(radical, _)| radical)\n"
        "        .ok()\n"
        "        .map(|i| RADICALS[i].1)\n"
        "}\n"
    )
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ucd", default=os.path.join(ROOT, "data", "unicode"),
                        help="directory with ReadMe.txt, UnicodeData.txt and EquivalentUnifiedIdeograph.txt")
    parser.add_argument("--out", default=os.path.join(ROOT, "src", "tables", "radicals.rs"))
    args = parser.parse_args()
    try:
        version, table, kangxi, supplement = build(args.ucd)
    except InputError as e:
        print(f"gen_unicode_tables.py: {e}", file=sys.stderr)
        return 1
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(version, table, kangxi, supplement))
    print(f"wrote {args.out}: {kangxi} Kangxi radicals, {supplement} supplement radicals (Unicode {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
