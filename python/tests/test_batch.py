"""Batches, pickling and worker processes: what pandas, datasets.map and Spark rely on."""

from __future__ import annotations

import copy
import multiprocessing
import pickle

import pytest

import rinse
from conftest import sample_documents, sample_records, seed_expected, seed_input


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return sample_documents() + sample_records()


def test_batch_equals_one_by_one(texts):
    cleaner = rinse.Cleaner()
    one_by_one = [cleaner.clean(text) for text in texts]
    # The sample must exercise repairs, or equality would prove little.
    assert sum(a != b for a, b in zip(texts, one_by_one)) > 50
    assert cleaner.clean_batch(texts) == one_by_one
    assert cleaner.clean_batch(texts, threads=1) == one_by_one
    assert cleaner.clean_batch(texts, threads=3) == one_by_one


def test_batch_takes_any_iterable_and_keeps_order():
    cleaner = rinse.Cleaner(skip=["glyphs"])
    texts = [f"第{i}行,内容" for i in range(1000)]
    expected = [f"第{i}行，内容\n" for i in range(1000)]
    assert cleaner.clean_batch(iter(texts)) == expected
    assert cleaner.clean_batch(tuple(texts)) == expected
    assert cleaner.clean_batch([]) == []


def test_batch_refuses_what_is_not_a_list_of_texts():
    cleaner = rinse.Cleaner()
    with pytest.raises(TypeError, match=r"texts\[1\] is int, not str"):
        cleaner.clean_batch(["a", 1])
    with pytest.raises(TypeError, match="not one str"):
        cleaner.clean_batch("a single text")
    with pytest.raises(TypeError):
        cleaner.clean_batch(42)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        cleaner.clean_batch(["a"], threads=0)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_cleaner_pickles_with_its_options(protocol):
    cleaner = rinse.Cleaner(skip=["glyphs"], punct="cjk", boilerplate_drop=["^本文由.{1,20}整理$"])
    copy_ = pickle.loads(pickle.dumps(cleaner, protocol=protocol))
    assert isinstance(copy_, rinse.Cleaner)
    assert copy_.options == cleaner.options
    text = "正文,一。\n本文由小明整理\n" + seed_input()
    assert copy_.clean(text) == cleaner.clean(text)
    assert copy.deepcopy(cleaner).options == cleaner.options


def test_pickled_cleaner_needs_no_config_file(tmp_path):
    config = tmp_path / "rinse.toml"
    config.write_text('[punct]\nstyle = "keep"\n', encoding="utf-8")
    data = pickle.dumps(rinse.Cleaner(config=config))
    config.unlink()
    assert pickle.loads(data).clean("你好,世界") == "你好,世界\n"


def _batch_in_child(queue, cleaner, texts):
    queue.put(cleaner.clean_batch(texts))


def test_batch_in_a_process_forked_after_a_batch():
    # The parent's pool threads do not exist in a forked child; the child must build its own
    # pool instead of waiting on them forever.
    cleaner = rinse.Cleaner()
    texts = ["你好,世界"] * 64
    expected = cleaner.clean_batch(texts)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_batch_in_child, args=(queue, cleaner, texts))
    child.start()
    try:
        result = queue.get(timeout=60)
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
    assert result == expected
    assert child.exitcode == 0


def test_cleaner_methods_run_in_a_spawned_pool():
    # A spawned worker shares nothing with this process: the bound method travels pickled,
    # the Cleaner with it, as with datasets.map(num_proc=…) and executors.
    cleaner = rinse.Cleaner(skip=["glyphs"])
    texts = [seed_input(), "你好,世界", "ＡＢＣ"]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(cleaner.clean, texts)
    assert results == [cleaner.clean(text) for text in texts]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(rinse.clean, (seed_input(),)) == seed_expected()
