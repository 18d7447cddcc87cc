"""The package on the repository's fixtures: results, options, errors and changes."""

from __future__ import annotations

import re

import pytest

import rinse
from conftest import FIXTURES, clean_files, read, seed_expected, seed_input


def test_seed_document_gives_expected_output():
    assert rinse.Cleaner().clean(seed_input()) == seed_expected()
    assert rinse.clean(seed_input()) == seed_expected()


def test_seed_without_glyphs_gives_its_own_expected_output():
    expected = read(FIXTURES / "seed" / "expected-no-glyphs.txt")
    assert rinse.Cleaner(skip=["glyphs"]).clean(seed_input()) == expected
    assert rinse.clean(seed_input(), skip="glyphs") == expected


def justified_changes() -> dict[str, list[tuple]]:
    """fixtures/clean/justified-changes.txt: the repairs of real damage in the clean corpus,
    as `rinse --explain` prints them, by file."""
    pattern = re.compile(r"^fixtures/clean/([^:]+):(\d+):(\d+) (\w+) '(.*)' → '(.*)' \((.*)\)$")
    by_file: dict[str, list[tuple]] = {}
    for line in read(FIXTURES / "clean" / "justified-changes.txt").splitlines():
        if line and not line.startswith("#"):
            name, line_no, column, rule, before, after, reason = pattern.match(line).groups()
            by_file.setdefault(name, []).append(
                (rule, int(line_no), int(column), before, after, reason)
            )
    return by_file


@pytest.mark.parametrize("path", clean_files(), ids=lambda path: path.name)
def test_clean_corpus_comes_back_unchanged_but_for_justified_repairs(path):
    text = read(path)
    cleaned, changes = rinse.Cleaner().clean_with_changes(text)
    found = [
        (c["rule"], c["line"], c["column"], c["before"], c["after"], c["reason"]) for c in changes
    ]
    justified = justified_changes().get(path.name, [])
    assert found == justified
    if not justified:
        assert cleaned == text


def test_clean_text_is_returned_as_the_same_object():
    text = "干净的文本。\n"
    assert rinse.Cleaner().clean(text) is text


def test_a_document_gets_one_final_newline_and_lf_line_ends():
    assert rinse.clean("原标题:东营市&nbsp;ＡＢＣ\r\n") == "原标题：东营市 ABC\n"
    assert rinse.clean("a\r\nb") == "a\nb\n"
    assert rinse.clean("") == ""


def test_rules_are_listed_in_pipeline_order():
    assert rinse.RULES == (
        "entities",
        "mojibake",
        "unicode",
        "width",
        "glyphs",
        "punct",
        "boilerplate",
        "layout",
    )


# Options: each mirrors a flag of the command line (compared with the binary itself in
# test_parity.py).


def test_punct_styles():
    assert rinse.clean("你好,世界") == "你好，世界\n"
    assert rinse.clean("你好,世界", punct="keep") == "你好,世界\n"
    assert rinse.clean("你好，世界。", punct="ascii") == "你好,世界.\n"


def test_script_modes():
    # auto keeps a lone traditional phrase the dictionary knows; simplified converts phrase
    # by phrase, and 乾隆 (a reign name) is not 干隆.
    assert rinse.clean("乾淨 乾隆\n", script="simplified") == "干净 乾隆\n"
    assert rinse.clean("乾淨 乾隆\n", script="keep") == "乾淨 乾隆\n"


def test_only_runs_the_named_rules_alone():
    # width alone: letters become ASCII, the comma is punct's business, and without layout no
    # final newline is added.
    assert rinse.clean("ＡＢＣ，", only=["width"]) == "ABC，"
    assert rinse.clean("ＡＢＣ，", only="width, punct") == "ABC,"


def test_skip_leaves_the_named_rules_out():
    assert rinse.clean("你好,世界", skip=["layout"]) == "你好，世界"
    assert rinse.clean("你好,世界&amp;", skip="punct,entities") == "你好,世界&amp;\n"


def test_boilerplate_drop_adds_a_pattern():
    text = "正文一。\n本文由小明整理\n正文二。\n"
    assert rinse.clean(text) == text
    cleaner = rinse.Cleaner(boilerplate_drop=["^本文由.{1,20}整理$"])
    assert cleaner.clean(text) == "正文一。\n正文二。\n"


def test_boilerplate_cut_after_starts_a_trailing_section():
    text = "第一段正文，内容很长很长。\n网友评论\n好文章\n顶\n"
    assert rinse.clean(text) == text
    cleaner = rinse.Cleaner(boilerplate_cut_after=["^网友评论$"])
    assert cleaner.clean(text) == "第一段正文，内容很长很长。\n"


def test_boilerplate_keep_protects_a_line():
    text = "第一段正文，内容很长很长。\n京ICP备12345678号\n第二段。\n"
    assert rinse.clean(text) == "第一段正文，内容很长很长。\n第二段。\n"
    assert rinse.clean(text, boilerplate_keep=["ICP备"]) == text


def test_config_file_is_read_and_keywords_override_it(tmp_path):
    config = tmp_path / "rinse.toml"
    config.write_text('[punct]\nstyle = "keep"\n[rules]\nlayout = false\n', encoding="utf-8")
    assert rinse.clean("你好,世界", config=config) == "你好,世界"
    assert rinse.clean("你好,世界", config=str(config), punct="cjk") == "你好，世界"


def test_options_report_what_differs_from_the_defaults(tmp_path):
    assert rinse.Cleaner().options == {}
    config = tmp_path / "rinse.toml"
    config.write_text("[boilerplate]\ndrop = ['^x$']\n", encoding="utf-8")
    cleaner = rinse.Cleaner(config=config, only=["punct", "width"], script="keep")
    assert cleaner.options == {
        "skip": ["entities", "mojibake", "unicode", "glyphs", "boilerplate", "layout"],
        "script": "keep",
        "boilerplate_drop": ["^x$"],
    }
    assert repr(rinse.Cleaner(punct="ascii")) == "rinse.Cleaner(punct='ascii')"


# Errors: ValueError with the command line's message.

RULE_LIST = "entities, mojibake, unicode, width, glyphs, punct, boilerplate, layout"


def test_unknown_rule_names_the_rules():
    with pytest.raises(ValueError) as err:
        rinse.Cleaner(skip=["glyph"])
    assert str(err.value) == f"unknown rule 'glyph'; the rules are: {RULE_LIST}"
    with pytest.raises(ValueError, match="unknown rule 'Punct'"):
        rinse.clean("x", only="Punct")


def test_bad_option_values_are_value_errors():
    with pytest.raises(ValueError, match="unknown punct style 'fancy'; use cjk, ascii or keep"):
        rinse.Cleaner(punct="fancy")
    with pytest.raises(ValueError, match="unknown script mode 'trad'"):
        rinse.Cleaner(script="trad")
    with pytest.raises(ValueError, match="only and skip cannot be used together"):
        rinse.Cleaner(only=["punct"], skip=["glyphs"])


def test_bad_pattern_is_a_value_error_that_names_it():
    with pytest.raises(ValueError, match=r"boilerplate pattern '\(' is not a valid regex"):
        rinse.Cleaner(boilerplate_drop=["("])


def test_bad_config_file(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[colour]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        rinse.Cleaner(config=config)
    assert str(err.value).startswith(str(config) + ": ")
    with pytest.raises(OSError, match="no such file"):
        rinse.Cleaner(config=tmp_path / "missing.toml")


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        rinse.clean(b"bytes are not text")
    with pytest.raises(TypeError):
        rinse.Cleaner(colour="red")
    with pytest.raises(TypeError):
        rinse.Cleaner("positional options are not accepted")
    with pytest.raises(TypeError):
        rinse.Cleaner(boilerplate_drop="^x$")  # a list of patterns, not one str
    with pytest.raises(TypeError, match="rule names"):
        rinse.Cleaner(skip=3)


# Changes, as --explain reports them.


def test_changes_of_a_small_text():
    text, changes = rinse.Cleaner().clean_with_changes("你好,世界&amp;\r\n")
    assert text == "你好，世界&\n"
    assert [(c["rule"], c["line"], c["column"], c["before"], c["after"]) for c in changes] == [
        ("entities", 1, 6, "&amp;", "&"),
        ("punct", 1, 3, ",", "，"),
        ("layout", 1, 11, "\r\n", "\n"),
    ]
    assert all(
        set(c) == {"rule", "line", "column", "offset", "before", "after", "reason"}
        for c in changes
    )
    assert all(isinstance(c["reason"], str) and c["reason"] for c in changes)


def test_changes_of_the_seed_document():
    text, changes = rinse.Cleaner().clean_with_changes(seed_input())
    assert text == seed_expected()
    glyphs = [c for c in changes if c["rule"] == "glyphs"]
    # README: 49 look-alike and stray traditional characters are restored in the seed page.
    assert len(glyphs) == 49
    # The page's third line is its title, 原标题:山东东营市各级党组织囷广大…, where 囷 is the
    # 15th character.
    assert seed_input().split("\n")[2].startswith("原标题:山东东营市各级党组织囷")
    assert {"line": 3, "column": 15, "before": "囷", "after": "和"}.items() <= glyphs[0].items()
    assert any(c["rule"] == "boilerplate" and "参考资料" in c["before"] for c in changes)


def test_clean_text_has_no_changes():
    text = "干净的文本。\n"
    assert rinse.Cleaner().clean_with_changes(text) == (text, [])
