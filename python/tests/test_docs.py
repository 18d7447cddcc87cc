"""The examples in the package's docstrings run and give what they show."""

from __future__ import annotations

import doctest

import rinse
import rinse.spark


def test_docstring_examples():
    failures, tried = doctest.testmod(rinse)
    assert failures == 0
    # Two examples each in the docstrings of rinse, rinse.clean and rinse.Cleaner.
    assert tried >= 6
    failures, _ = doctest.testmod(rinse.spark)
    assert failures == 0


def test_public_names_have_docstrings():
    for obj in [
        rinse,
        rinse.clean,
        rinse.Cleaner,
        rinse.Cleaner.clean,
        rinse.Cleaner.clean_with_changes,
        rinse.Cleaner.clean_batch,
        rinse.Cleaner.options,
        rinse.spark,
        rinse.spark.clean_rdd,
        rinse.spark.clean_partition,
    ]:
        assert obj.__doc__ and len(obj.__doc__) > 40, obj
