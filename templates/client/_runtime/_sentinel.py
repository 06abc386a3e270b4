"""The ``NOT_GIVEN`` sentinel.

Generated methods need to tell "the caller did not pass this argument" apart from
"the caller passed ``None``": for a PATCH, ``None`` means "set the field to null" while a
missing argument means "leave the field alone". ``None`` cannot carry both meanings, so
arguments default to ``NOT_GIVEN`` instead.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven:
    """Type of the ``NOT_GIVEN`` singleton; falsy, so ``if value:`` treats it like ``None``."""

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
