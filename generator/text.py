"""Text layout shared by the stages that put spec prose into code."""

from __future__ import annotations

import textwrap


def wrap_text(value: str, width: int, first_offset: int = 0) -> str:
    """Re-flow each line to `width` columns; the first line starts `first_offset` columns in.

    Existing line breaks are kept (a spec's lists and paragraphs stay as written); a single
    word longer than the width (a URL) is left whole.
    """
    out: list[str] = []
    for index, line in enumerate(value.splitlines() or [""]):
        offset = first_offset if index == 0 else 0
        indent = len(line) - len(line.lstrip(" "))
        pieces = textwrap.wrap(
            line,
            width=max(width, 20),
            initial_indent=" " * offset,
            subsequent_indent=" " * indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
        pieces[0] = pieces[0][offset:]
        out.extend(pieces)
    return "\n".join(out)
