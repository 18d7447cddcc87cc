"""The package and the command line agree: the same options give the same output."""

from __future__ import annotations

import subprocess

import pytest

import rinse
from conftest import FIXTURES, read

# (keyword options, the equivalent flags)
OPTION_SETS = [
    ({}, []),
    ({"skip": ["glyphs"]}, ["--skip", "glyphs"]),
    ({"only": ["punct", "width", "layout"]}, ["--only", "punct,width,layout"]),
    ({"punct": "ascii"}, ["--punct", "ascii"]),
    ({"script": "simplified"}, ["--script", "simplified"]),
    ({"script": "keep", "punct": "keep"}, ["--script", "keep", "--punct", "keep"]),
]

FILES = [
    FIXTURES / "seed" / "input.txt",
    FIXTURES / "mojibake" / "negatives.txt",
    FIXTURES / "clean" / "zh-traditional-udhr.txt",
    FIXTURES / "clean" / "mixed-vscode-zh-hant.txt",
    FIXTURES / "clean" / "en-udhr.txt",
]


@pytest.mark.parametrize("options,flags", OPTION_SETS, ids=lambda x: repr(x))
@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_package_equals_binary(rinse_binary, options, flags, path):
    from_binary = subprocess.run(
        [rinse_binary, *flags, str(path)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert rinse.Cleaner(**options).clean(read(path)) == from_binary


def test_config_file_means_the_same_to_both(rinse_binary, tmp_path):
    config = tmp_path / "rinse.toml"
    config.write_text(
        "[rules]\nglyphs = false\n[boilerplate]\ndrop = ['^原标题']\n", encoding="utf-8"
    )
    path = FIXTURES / "seed" / "input.txt"
    from_binary = subprocess.run(
        [rinse_binary, "--config", str(config), str(path)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    from_package = rinse.clean(read(path), config=config)
    assert from_package == from_binary
    assert not from_package.startswith("原标题")
