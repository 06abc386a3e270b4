"""Part of stage 5: black's layout for a class that mirrors an earlier one, found without
running black over it.

A client module holds a sync class and its async twin: the same methods, row for row, but for
`async def` where the first has `def`, `return await` where it has `return`, and a few other
names (`AsyncPage`, `AsyncAPIClient`). black lays out both the same way, and formatting the
twin is a third of a cold run's formatting time. So black formats the module without the
twin's methods (`without_mirrored_methods`); when it leaves that text as it is, it leaves the
whole module as it is too, and the twin is not formatted at all. When black would change
anything, the whole module is formatted as usual.

Why black lays out a mirrored method as it lays out the original: black decides each
statement's layout from its tokens, its brackets and trailing commas, and whether pieces of it
fit in the line. The twin's rows have the same brackets and commas; every row that differs is
checked to fit, and is one of the shapes where black's choice depends on nothing else:

* a whole statement on one row (or a whole one-row `def` header), which black keeps as it is
  when it fits and has no magic trailing comma (the original, which black left on one row,
  has none);
* `[async] def name(`, the head of a signature black splits at its first bracket (a magic
  trailing comma, or the signature not fitting, which the twin's is not either);
* `) -> annotation:`, the tail of such a signature;
* `return [await] name.attribute(`, opening a call whose arguments end in a magic trailing
  comma: black splits it at that call's brackets whatever the lengths.

The row-by-row comparison also holds the blank lines, comments and strings of the twin to the
original's. This reading of black is that of the pinned version (26.10.1: `transform_line`,
`left_hand_split`, `right_hand_split_with_omits`, `generate_trailers_to_omit`,
`can_omit_invisible_parens`); tests/test_format.py and tests/test_public_corpus.py hold the
result to black's plain output, so a black upgrade that changes it fails them.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize

_HEAD = re.compile(r" *(?:async )?def [A-Za-z_]\w*\($")
_TAIL = re.compile(r" *\) -> [^:]+:$")
_RETURN_CALL = re.compile(r" *return (?:await )?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\($")
_KEYWORDS_ADDED = (
    (re.compile(r"^( *)async def "), r"\1def "),
    (re.compile(r"^( *)return await "), r"\1return "),
)
_TOKEN = re.compile(r"[A-Za-z_]\w*|\s+|\S")
_NAME = re.compile(r"[A-Za-z_]\w*")
# What a differing row may not hold: comments, continuation lines, `;`, and `**` (black hugs
# the power operator depending on its operands).
_UNSAFE = ("#", "\\", ";", "**")
_PLAIN_TOKENS = frozenset(
    {
        tokenize.NAME,
        tokenize.OP,
        tokenize.STRING,
        tokenize.NUMBER,
        tokenize.NEWLINE,
        tokenize.ENDMARKER,
    }
)


def without_mirrored_methods(text: str, line_length: int) -> str | None:
    """`text` without the methods of its last class, when that class mirrors an earlier one
    after its docstring (see the module's docstring); None when no class does, or the module
    is not one to cut (it does not parse, or has `fmt:` directives, which can span
    statements)."""
    if "fmt:" in text or "def " not in text or not text.endswith("\n"):
        return None
    if text.count("\nclass ") < 2:
        return None  # not two top-level classes (after the header): nothing to parse for
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    if len(classes) < 2 or tree.body[-1] is not classes[-1]:
        return None
    twin = classes[-1]
    rows = text.splitlines(keepends=True)
    if _end(twin) != len(rows) or len(twin.body) < 2:
        return None  # something after the class, or nothing to leave out
    for original in classes[:-1]:
        if _mirrors(original, twin, rows, line_length):
            # Up to the end of the twin's docstring: black is shown the twin's head, without
            # the blank line that would end the file.
            return "".join(rows[: _end(twin.body[0])])
    return None


def _mirrors(original: ast.ClassDef, twin: ast.ClassDef, rows: list[str], limit: int) -> bool:
    """Does every statement of `twin` after its docstring mirror `original`'s?"""
    if len(original.body) != len(twin.body):
        return False
    if not (_is_docstring(original.body[0], rows) and _is_docstring(twin.body[0], rows)):
        return False  # what precedes the methods decides black's blank lines before them
    for ours, theirs in zip(original.body[1:], twin.body[1:], strict=True):
        if not (
            isinstance(ours, ast.FunctionDef | ast.AsyncFunctionDef)
            and isinstance(theirs, ast.FunctionDef | ast.AsyncFunctionDef)
            and ours.name == theirs.name
            and not ours.decorator_list
            and not theirs.decorator_list
            and ours.lineno - original.body[1].lineno == theirs.lineno - twin.body[1].lineno
        ):
            return False
    # From the end of the docstring (the gap before the first method included) to the end.
    first, twin_first = _end(original.body[0]), _end(twin.body[0])
    length = _end(original) - first
    if _end(twin) - twin_first != length:
        return False
    original_kinds = _row_kinds(original.body[1:], rows)
    twin_kinds = _row_kinds(twin.body[1:], rows)
    for offset in range(length):
        row, twin_row = first + offset, twin_first + offset  # 0-based: the row after `first`
        if rows[row] == rows[twin_row]:
            continue
        kind = twin_kinds.get(twin_row + 1)
        if kind is None or original_kinds.get(row + 1) != kind:
            return False
        if not _same_layout(rows[row].rstrip("\n"), rows[twin_row].rstrip("\n"), kind, limit):
            return False
    return True


def _is_docstring(statement: ast.stmt, rows: list[str]) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
        and rows[statement.lineno - 1].lstrip().startswith('"""')
    )


def _end(node: ast.stmt) -> int:
    """The row a statement ends on (1-based); the parser always sets it."""
    return node.end_lineno if node.end_lineno is not None else node.lineno


def _row_kinds(statements: list[ast.stmt], rows: list[str]) -> dict[int, str]:
    """Row number (1-based) -> which of the shapes it is, for the rows where a statement or
    a part of a signature black lays out alone begins."""
    kinds: dict[int, str] = {}
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body_row = node.body[0].lineno
                if node.lineno < body_row and rows[node.lineno - 1].rstrip("\n").endswith(":"):
                    kinds[node.lineno] = "whole"  # the header on one row
                else:
                    kinds[node.lineno] = "head"
                    tail = node.returns.end_lineno if node.returns is not None else None
                    if tail is not None and node.lineno < tail < body_row:
                        kinds[tail] = "tail"
            elif isinstance(node, ast.Return) and _returns_exploded_call(node, rows):
                kinds[node.lineno] = "return call"
            elif isinstance(node, ast.stmt) and not _compound(node):
                alone = not rows[node.lineno - 1][: node.col_offset].strip()
                if node.lineno == node.end_lineno and alone:
                    kinds[node.lineno] = "whole"
    return kinds


def _compound(node: ast.stmt) -> bool:
    return hasattr(node, "body")  # def, class, if, for, while, with, try, match


def _returns_exploded_call(node: ast.Return, rows: list[str]) -> bool:
    """`return [await] f(` ... `,` `)`: a call spanning rows whose last argument ends in a
    comma and whose closing bracket is alone on the statement's last row."""
    value = node.value.value if isinstance(node.value, ast.Await) else node.value
    end = _end(node)
    if not isinstance(value, ast.Call) or value.end_lineno != end or end - node.lineno < 2:
        return False
    indent = rows[node.lineno - 1][: node.col_offset]
    closing, before = rows[end - 1], rows[end - 2]
    return closing == indent + ")\n" and before.rstrip("\n").endswith(",")


def _same_layout(ours: str, theirs: str, kind: str, limit: int) -> bool:
    """Does black lay out row `theirs` as it does row `ours`, given that it leaves `ours` as it
    is? They must be the same row but for the keywords and names the twin may change, fit in
    the line, and have the shape `kind` says (see the module's docstring)."""
    if len(theirs) > limit or not (ours.isascii() and theirs.isascii()):
        return False  # (ASCII: black measures width, which is then the length)
    if any(bad in row for row in (ours, theirs) for bad in _UNSAFE):
        return False
    # A row of a statement spread over several: black may have split the original's only
    # because it did not fit on one row, and the twin's, if shorter, might.
    if kind != "whole" and len(theirs) < len(ours):
        return False
    ours, theirs = _without_added_keywords(ours), _without_added_keywords(theirs)
    if kind == "whole":
        return _same_tokens_but_names(ours, theirs)
    shape = {"head": _HEAD, "tail": _TAIL, "return call": _RETURN_CALL}[kind]
    if not (shape.fullmatch(ours) and shape.fullmatch(theirs)):
        return False
    # The part of a statement on these rows is not one the tokenizer reads alone; with no
    # string on them, names and the characters between them are the tokens.
    if any(quote in row for row in (ours, theirs) for quote in "'\""):
        return False
    return _same_but_names(_TOKEN.findall(ours), _TOKEN.findall(theirs))


def _same_tokens_but_names(ours: str, theirs: str) -> bool:
    """For rows that each hold a whole statement: the same Python tokens, but for names."""
    try:
        our_tokens, their_tokens = (
            [
                (t.type, t.string)
                for t in tokenize.generate_tokens(io.StringIO(row.lstrip()).readline)
            ]
            for row in (ours, theirs)
        )
    except (tokenize.TokenError, SyntaxError):
        return False
    if any(kind not in _PLAIN_TOKENS for kind, _ in our_tokens + their_tokens):
        return False  # an f-string in parts (Python 3.12+), or something else to leave alone
    if [kind for kind, _ in our_tokens] != [kind for kind, _ in their_tokens]:
        return False
    return _same_but_names([text for _, text in our_tokens], [text for _, text in their_tokens])


def _without_added_keywords(row: str) -> str:
    for pattern, replacement in _KEYWORDS_ADDED:
        row = pattern.sub(replacement, row, count=1)
    return row


def _same_but_names(our_tokens: list[str], their_tokens: list[str]) -> bool:
    """The same tokens, where a name may stand for another name (neither a keyword)."""
    if len(our_tokens) != len(their_tokens):
        return False
    for a, b in zip(our_tokens, their_tokens, strict=True):
        if a == b:
            continue
        if not (_NAME.fullmatch(a) and _NAME.fullmatch(b)):
            return False
        if any(keyword.iskeyword(w) or keyword.issoftkeyword(w) for w in (a, b)):
            return False
    return True
