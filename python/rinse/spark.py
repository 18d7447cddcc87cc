"""Running rinse on PySpark.

Two ways, both tested against single-process output in ``tests/test_spark.py``:

- :func:`clean_rdd`: ``mapPartitions`` with this package. Each record is one document. The
  package must be installed on the executors (``pip install`` there, or ship the wheel; see
  README.md). The Cleaner travels to them pickled, by its options.
- ``rdd.pipe("rinse")`` with the binary, shipped with ``spark-submit --files``. Each partition
  is then one stream of lines, that is one document: line rules give the same result as
  anywhere else, but the document-level rules (a trailing 参考资料 section, blank-line runs)
  see the partition, so use it where a partition is a document, or with
  ``--skip boilerplate,layout`` where lines must map one to one.

Nothing here imports pyspark: the helpers only call methods of the RDD they are given.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable, Iterator, Optional

from ._rinse import Cleaner

__all__ = ["clean_partition", "clean_rdd"]


def clean_partition(cleaner: Cleaner, texts: Iterable[Optional[str]]) -> Iterator[Optional[str]]:
    """Cleans each text of a partition; ``None`` (a null field) passes through.

    Spark runs one task per core already, so each text is cleaned in the task's own thread
    rather than on a pool of its own.
    """
    for text in texts:
        yield None if text is None else cleaner.clean(text)


def clean_rdd(rdd: Any, cleaner: Optional[Cleaner] = None, **options: Any) -> Any:
    """Returns an RDD of the clean texts of ``rdd`` (an RDD of ``str``), in the same order and
    partitioning.

    Pass a :class:`~rinse.Cleaner`, or the options to build one (those of ``Cleaner``).

    >>> clean_rdd(spark.sparkContext.textFile("pages/*.txt"), skip=["glyphs"])  # doctest: +SKIP
    """
    if cleaner is None:
        cleaner = Cleaner(**options)
    elif options:
        raise TypeError("pass either a Cleaner or options to build one, not both")
    return rdd.mapPartitions(
        functools.partial(clean_partition, cleaner), preservesPartitioning=True
    )
