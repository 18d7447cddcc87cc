"""Shared fixtures: the repository's fixture files and the optional libraries.

A test that needs pandas, pyspark or the rinse binary is skipped when it is missing, unless
RINSE_TEST_REQUIRE names it (CI sets ``RINSE_TEST_REQUIRE=pandas,pyspark,binary``): there a
missing piece is a failure, so a green run cannot hide a test that did not run.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def required(name: str) -> bool:
    return name in os.environ.get("RINSE_TEST_REQUIRE", "").split(",")


def optional_import(name: str):
    """Imports an optional library, or skips the test."""
    if required(name):
        return importlib.import_module(name)
    return pytest.importorskip(name)


def read(path: Path) -> str:
    # newline="" keeps CR and CRLF as they are in the file: the cleaner must see them.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def rinse_binary() -> str:
    """The rinse command-line binary: $RINSE_BIN, or one built in the repository's target/."""
    path = os.environ.get("RINSE_BIN")
    if path:
        if not os.access(path, os.X_OK):
            pytest.fail(f"RINSE_BIN={path} is not an executable file")
        return os.path.abspath(path)
    for profile in ("release", "debug"):
        candidate = REPO / "target" / profile / "rinse"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("rinse")
    if found:
        return found
    if required("binary"):
        pytest.fail("no rinse binary: build it with cargo build, or set RINSE_BIN")
    pytest.skip("no rinse binary: build it with cargo build, or set RINSE_BIN")


def seed_input() -> str:
    return read(FIXTURES / "seed" / "input.txt")


def seed_expected() -> str:
    return read(FIXTURES / "seed" / "expected.txt")


def clean_files() -> list[Path]:
    return sorted((FIXTURES / "clean").glob("*.txt"))


def sample_documents(lines_per_file: int = 120) -> list[str]:
    """Whole documents: the seed page and the head of each clean-corpus file."""
    documents = [seed_input()]
    for path in clean_files():
        head = read(path).split("\n")[:lines_per_file]
        documents.append("\n".join(head) + "\n")
    return documents


def sample_records(lines_per_file: int = 120) -> list[str]:
    """One-line records, as a line-oriented corpus has them: damaged lines (the seed page,
    mojibake cases), clean lines in many scripts, and a few empty ones."""
    import json

    records = [line for line in seed_input().split("\n")]
    with open(FIXTURES / "mojibake" / "cjk.jsonl", encoding="utf-8") as f:
        records += [json.loads(line)["input"] for line in f if line.strip()]
    negatives = read(FIXTURES / "mojibake" / "negatives.txt").split("\n")
    records += [line for line in negatives if not line.startswith("#")]
    for path in clean_files():
        records += read(path).split("\n")[:lines_per_file]
    return records
