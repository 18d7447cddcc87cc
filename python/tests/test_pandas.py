"""pandas: Series.map with a Cleaner's method or rinse.clean."""

from __future__ import annotations

import rinse
from conftest import optional_import, sample_records, seed_expected, seed_input


def test_series_map_equals_one_by_one():
    pd = optional_import("pandas")
    records = sample_records()
    cleaner = rinse.Cleaner()
    series = pd.Series(records)
    assert series.map(cleaner.clean).tolist() == [cleaner.clean(r) for r in records]
    assert pd.Series(cleaner.clean_batch(records), index=series.index).equals(
        series.map(cleaner.clean)
    )
    assert pd.Series([seed_input()]).map(rinse.clean)[0] == seed_expected()


def test_changes_fit_in_a_dataframe():
    pd = optional_import("pandas")
    _, changes = rinse.Cleaner().clean_with_changes(seed_input())
    frame = pd.DataFrame(changes)
    assert list(frame.columns) == ["rule", "line", "column", "offset", "before", "after", "reason"]
    assert frame.groupby("rule").size()["glyphs"] == 49
