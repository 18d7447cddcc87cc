"""Type hints for the native module; see the docstrings in the module itself."""

from os import PathLike
from typing import Iterable, Literal, Optional, Sequence, Tuple, TypedDict, Union

RuleName = Literal[
    "entities", "mojibake", "unicode", "width", "glyphs", "punct", "boilerplate", "layout"
]
Rules = Union[str, Iterable[str]]

RULES: Tuple[str, ...]
__version__: str

class Change(TypedDict):
    """One change, as ``rinse --explain`` prints it."""

    rule: str
    line: int
    column: int
    offset: int
    before: str
    after: str
    reason: str

class Options(TypedDict, total=False):
    skip: list[str]
    punct: Literal["ascii", "keep"]
    script: Literal["simplified", "keep"]
    boilerplate_drop: list[str]
    boilerplate_cut_after: list[str]
    boilerplate_keep: list[str]

class Cleaner:
    def __init__(
        self,
        *,
        config: Optional[Union[str, PathLike[str]]] = None,
        only: Optional[Rules] = None,
        skip: Optional[Rules] = None,
        punct: Optional[Literal["cjk", "ascii", "keep"]] = None,
        script: Optional[Literal["auto", "simplified", "keep"]] = None,
        boilerplate_drop: Optional[Sequence[str]] = None,
        boilerplate_cut_after: Optional[Sequence[str]] = None,
        boilerplate_keep: Optional[Sequence[str]] = None,
    ) -> None: ...
    def clean(self, text: str) -> str: ...
    def clean_with_changes(self, text: str) -> Tuple[str, list[Change]]: ...
    def clean_batch(self, texts: Iterable[str], *, threads: Optional[int] = None) -> list[str]: ...
    @property
    def options(self) -> Options: ...
