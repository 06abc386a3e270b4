"""Messages shared by the validation rounds that report jsonschema errors."""

from __future__ import annotations

from typing import Any

# At most this many problems are listed (a round stops collecting at four times as many).
MAX_DIAGNOSTICS = 20

TOO_DEEP = "invalid OpenAPI: the document recurses too deeply to check"


def enum_message(error: Any) -> str:
    return (
        f"{short(repr(error.instance), 40)} is not one of {short(repr(error.validator_value), 100)}"
    )


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def narrow(error: Any, best_match: Any) -> Any:
    """The most specific error under a oneOf/anyOf failure: the deepest one, ignoring the
    "it is not a $ref either" branch."""
    while error.context:
        candidates = [
            c
            for c in error.context
            if not (c.validator == "required" and "'$ref'" in str(c.message))
        ]
        if not candidates:
            break
        deepest = max(len(c.absolute_path) for c in candidates)
        error = best_match([c for c in candidates if len(c.absolute_path) == deepest])
    return error
