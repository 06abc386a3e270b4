"""Text layout shared by the stages that put spec prose into code."""

from __future__ import annotations

import io
import json
import re
import textwrap
import tokenize


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


# Control characters other than newline, tab and carriage return, and DEL: JSON and Python
# write these differently.
_NOT_JSON_SAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def py_string(value: str) -> str:
    """A Python string literal for any text (quotes, backslashes, newlines, unicode), in the
    quotes black would give it: double, unless single ones need fewer escapes (so a literal
    reads the same in code, which black formats, and in docstrings, which it does not)."""
    if _NOT_JSON_SAFE.search(value) is not None:
        literal = repr(value)
        return double_quoted(literal) or literal
    literal = json.dumps(value, ensure_ascii=False)
    if value.count('"') <= value.count("'"):
        return literal
    body = re.sub(
        r"\\(.)", lambda m: m.group(1) if m.group(1) == '"' else m.group(0), literal[1:-1]
    )
    return "'" + body.replace("'", "\\'") + "'"


def double_quoted(literal: str) -> str | None:
    """`'text'` as black writes it, `"text"`, for a single-quoted literal with no quote
    character inside (where black's choice needs no escape counting) and no f prefix; for any
    other literal, None."""
    quote = min(i for i in (literal.find("'"), literal.find('"')) if i >= 0)
    prefix, body = literal[:quote], literal[quote + 1 : -1]
    if literal[quote] != "'" or literal.startswith("'''", quote) or "f" in prefix.lower():
        return None
    if "'" in body or '"' in body:
        return None
    return f'{prefix}"{body}"'


def black_quoted(code: str) -> str:
    """A one-line expression (an annotation `ast.unparse` wrote, `Literal['a', 'b']`) with
    its string literals in the quotes black gives them: annotations are written in signatures,
    which black formats, and in docstrings, which it does not, and read the same in both."""
    if "'" not in code:
        return code
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return code
    out = code
    for token in reversed(tokens):  # right to left: earlier columns stay valid
        if token.type == tokenize.STRING and token.start[0] == token.end[0] == 1:
            requoted = double_quoted(token.string)
            if requoted is not None:
                out = out[: token.start[1]] + requoted + out[token.end[1] :]
    return out
