"""rinse on a real local Spark session (local[2]): the output equals single-process output.

Two ways, as README.md documents them: mapPartitions with the package (rinse.spark), and
RDD.pipe with the binary. Needs pyspark and Java; skipped without them unless
RINSE_TEST_REQUIRE names pyspark.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import rinse
import rinse.spark
from conftest import (
    optional_import,
    read,
    sample_documents,
    sample_records,
    seed_expected,
    seed_input,
)


@pytest.fixture(scope="module")
def spark():
    optional_import("pyspark")
    from pyspark.sql import SparkSession

    # The workers run this interpreter, which has rinse installed; on a cluster that is what
    # pip on the executors or --archives with a packed environment provides.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("rinse-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.shuffle.partitions", "2")
        # Arrow-optimised UDFs (the default from Spark 4) need pyarrow, which CI does not
        # install; the plain UDF path is the one under test.
        .config("spark.sql.execution.pythonUDF.arrow.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_map_partitions_over_records(spark, tmp_path):
    records = sample_records()
    cleaner = rinse.Cleaner()
    expected = [cleaner.clean(record) for record in records]
    assert sum(a != b for a, b in zip(records, expected)) > 50

    rdd = spark.sparkContext.parallelize(records, 4)
    assert rinse.spark.clean_rdd(rdd, cleaner).collect() == expected

    # The same corpus read as a text file, one record a line, in several splits.
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(records) + "\n", encoding="utf-8")
    lines = spark.sparkContext.textFile(str(corpus), minPartitions=3)
    assert lines.getNumPartitions() >= 3
    assert rinse.spark.clean_rdd(lines).collect() == expected


def test_map_partitions_over_documents_with_options(spark, tmp_path):
    documents = sample_documents()
    rdd = spark.sparkContext.parallelize(documents, 2)
    assert rinse.spark.clean_rdd(rdd).collect()[0] == seed_expected()

    # A page a file, read as README.md shows it.
    for i, document in enumerate(documents):
        (tmp_path / f"page-{i:02}.txt").write_text(document, encoding="utf-8", newline="")
    pages = spark.sparkContext.wholeTextFiles(str(tmp_path))
    cleaned = pages.keys().zip(rinse.spark.clean_rdd(pages.values())).collect()
    by_name = {path.rsplit("/", 1)[1]: text for path, text in cleaned}
    cleaner = rinse.Cleaner()
    assert by_name == {
        f"page-{i:02}.txt": cleaner.clean(document) for i, document in enumerate(documents)
    }
    assert by_name["page-00.txt"] == seed_expected()

    options = {"skip": ["glyphs"], "boilerplate_drop": ["^原标题"]}
    cleaner = rinse.Cleaner(**options)
    expected = [cleaner.clean(document) for document in documents]
    assert rinse.spark.clean_rdd(rdd, **options).collect() == expected
    assert not expected[0].startswith("原标题")


def test_map_partitions_passes_nulls_and_refuses_double_configuration(spark):
    rdd = spark.sparkContext.parallelize(["你好,世界", None], 2)
    assert rinse.spark.clean_rdd(rdd).collect() == ["你好，世界\n", None]
    with pytest.raises(TypeError):
        rinse.spark.clean_rdd(rdd, rinse.Cleaner(), punct="keep")


def test_dataframe_column_with_a_udf(spark):
    from pyspark.sql import functions as F

    cleaner = rinse.Cleaner()
    frame = spark.createDataFrame([(1, seed_input()), (2, "你好,世界")], ["id", "text"])
    clean_text = F.udf(cleaner.clean, "string")
    rows = frame.withColumn("text", clean_text("text")).orderBy("id").collect()
    assert [row.text for row in rows] == [seed_expected(), "你好，世界\n"]


def test_pipe_with_one_document_a_partition(spark, rinse_binary):
    # With the binary, a partition is one document. Here each partition holds the lines of one
    # document, so the output must equal the binary run on each document by itself.
    documents = sample_documents()
    rdd = spark.sparkContext.parallelize(documents, len(documents)).flatMap(
        lambda document: document.split("\n")[:-1] if document.endswith("\n") else document.split("\n")
    )
    piped = rdd.pipe(rinse_binary, checkCode=True).glom().collect()

    expected = [
        subprocess.run(
            [rinse_binary], input=document.encode("utf-8"), capture_output=True, check=True
        ).stdout.decode("utf-8")
        for document in documents
    ]
    assert ["".join(line + "\n" for line in lines) for lines in piped] == expected
    assert expected[0] == seed_expected()


def test_pipe_over_lines_with_line_rules_only(spark, rinse_binary, tmp_path):
    # Without the document-level rules every line maps to one line, so the split of the file
    # into partitions cannot change the output.
    records = sample_records()
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(records) + "\n", encoding="utf-8")
    flags = ["--skip", "boilerplate,layout"]
    lines = spark.sparkContext.textFile(str(corpus), minPartitions=4)
    assert lines.getNumPartitions() >= 4
    piped = lines.pipe(" ".join([rinse_binary, *flags]), checkCode=True).collect()

    single = subprocess.run(
        [rinse_binary, *flags, str(corpus)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert piped == single.split("\n")[:-1]
    assert piped != records
    assert piped == [line.rstrip("\n") for line in rinse.Cleaner(skip=flags[1]).clean_batch(records)]
