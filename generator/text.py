"""Text layout shared by the stages that put spec prose into code."""

from __future__ import annotations

import io
import json
import re
import tokenize

# What a line never breaks inside: a `code span`, and a short parenthesised group ("(HTTP 404)",
# "(DOCS-NAV)"), which also stays on the line of the word before it.
_CODE_SPAN = re.compile(r"`[^`]+`")
_SHORT_GROUP = re.compile(r"\((?! )[^()]{1,18}(?<! )\)")
_SPACES = re.compile(r" +")


def wrap_text(value: str, width: int, first_offset: int = 0) -> str:
    """Re-flow each line to `width` columns; the first line starts `first_offset` columns in.

    Existing line breaks are kept (a spec's lists and paragraphs stay as written), and so is
    each line's indentation; lines break only at spaces, never inside a code span or a short
    parenthesised group, nor just before such a group (`NotFoundError: ... (HTTP 404)` keeps
    its status with the text before it). A piece longer than the width (a URL) is left whole.
    """
    out: list[str] = []
    for index, line in enumerate(value.splitlines() or [""]):
        line = line.expandtabs().rstrip(" ")
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        first = max(width, 20) - (first_offset if index == 0 else 0) - len(indent)
        rows = _fill(_pieces(body), first, max(width, 20) - len(indent))
        out.extend(indent + row if row else "" for row in rows)
    return "\n".join(out)


def _pieces(text: str) -> list[tuple[str, str]]:
    """The text as (spaces before, piece): pieces are what a line may break between."""
    kept = [False] * len(text)  # True: a space no line breaks at
    for match in _CODE_SPAN.finditer(text):
        kept[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in _SHORT_GROUP.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] == " ":
            start -= 1
        kept[start : match.end()] = [True] * (match.end() - start)
    pieces: list[tuple[str, str]] = []
    position, spaces = 0, ""
    for gap in _SPACES.finditer(text):
        if gap.start() == 0 or kept[gap.start()]:
            continue
        pieces.append((spaces, text[position : gap.start()]))
        position, spaces = gap.end(), gap.group()
    if position < len(text):
        pieces.append((spaces, text[position:]))
    return pieces


def _fill(pieces: list[tuple[str, str]], first: int, width: int) -> list[str]:
    """Greedy fill: each row takes pieces while they fit (`first` columns on the first row,
    `width` on the others); a piece that fits no row has one of its own."""
    rows: list[str] = []
    row = ""
    for spaces, piece in pieces:
        room = first if not rows else width
        if row and len(row) + len(spaces) + len(piece) > room:
            rows.append(row)
            row = piece
        else:
            row = row + spaces + piece if row else piece
    rows.append(row)
    return rows


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
