"""rinse turns damaged text into clean text.

It repairs what went wrong on the way from a web page to a corpus: mojibake (``浣犲ソ`` →
``你好``), look-alike and stray traditional characters (``组织囷广大`` → ``组织和广大``),
punctuation that does not fit its context (``原标题:`` → ``原标题：``), HTML references, odd
spaces, full-width letters and page furniture (trailing 参考资料 sections, share bars).

>>> import rinse
>>> rinse.clean("原标题:东营市&nbsp;ＡＢＣ")
'原标题：东营市 ABC\\n'

Reuse a :class:`Cleaner` for many texts, and :meth:`Cleaner.clean_batch` for many at once.
:mod:`rinse.spark` runs it on PySpark.
"""

from __future__ import annotations

from typing import Any, Optional

from ._rinse import RULES, Cleaner, __version__

__all__ = ["Cleaner", "RULES", "clean", "__version__"]

# Building a Cleaner compiles the boilerplate patterns; the default one is built once and
# shared, so that ``rinse.clean(text)`` in a loop stays cheap.
_default_cleaner: Optional[Cleaner] = None


def clean(text: str, **options: Any) -> str:
    """Cleans one document and returns the clean text.

    ``options`` are those of :class:`Cleaner` (``only``, ``skip``, ``punct``, ``script``,
    ``config``, ``boilerplate_drop`` …). With options, a Cleaner is built for this call alone:
    to clean many texts with options, build a :class:`Cleaner` once and reuse it.

    >>> clean("中文,English")
    '中文，English\\n'
    >>> clean("中文,English", punct="keep")
    '中文,English\\n'
    """
    global _default_cleaner
    if options:
        return Cleaner(**options).clean(text)
    if _default_cleaner is None:
        _default_cleaner = Cleaner()
    return _default_cleaner.clean(text)
