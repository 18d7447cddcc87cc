"""Hugging Face datasets: map with num_proc, batched and not (skipped without datasets)."""

from __future__ import annotations

import rinse
from conftest import optional_import, sample_records


def test_map_with_worker_processes(tmp_path):
    datasets = optional_import("datasets")
    records = sample_records()
    cleaner = rinse.Cleaner()
    expected = [cleaner.clean(r) for r in records]
    data = datasets.Dataset.from_dict({"text": records})

    batched = data.map(
        lambda batch: {"text": cleaner.clean_batch(batch["text"], threads=1)},
        batched=True,
        num_proc=2,
        cache_file_name=str(tmp_path / "batched.arrow"),
    )
    assert batched["text"] == expected

    one_by_one = data.map(
        lambda row: {"clean": cleaner.clean(row["text"])},
        num_proc=2,
        cache_file_name=str(tmp_path / "rows.arrow"),
    )
    assert one_by_one["clean"] == expected
