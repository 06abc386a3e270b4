"""What an upload may be (``FileTypes``) and how each kind becomes one multipart part.

An upload argument takes any of:

- ``bytes`` (or ``bytearray``): sent as is, named ``upload`` (as httpx names it);
- a path (``str`` is text, so a ``pathlib.Path`` or another ``os.PathLike``): the file's
  bytes, its base name as the file name, the media type guessed from that name;
- a binary file object (``open(p, "rb")``, ``io.BytesIO``): read by httpx as the request
  is sent, the base name of its ``name`` (when it has one) as the file name;
- ``(file_name, content)`` or ``(file_name, content, media_type)``, ``content`` being any
  of the three above: the part carries that file name and media type (guessed from the
  name when not given).

``file_part`` turns each into the ``(file_name, content, media_type)`` httpx sends.
"""

from __future__ import annotations

import io
import mimetypes
import os
from typing import IO, TypeAlias, cast

__all__ = ["FileTypes", "UploadContent", "file_part", "is_file"]

UploadContent: TypeAlias = IO[bytes] | bytes | bytearray | os.PathLike[str]
"""An upload's content: bytes, a binary file object or a path."""
FileTypes: TypeAlias = (
    UploadContent
    | tuple[str | None, UploadContent]
    | tuple[str | None, UploadContent, str | None]
)
"""An upload, optionally with its file name and media type."""

_FALLBACK_TYPE = "application/octet-stream"
# The file name of bytes passed alone, as httpx gives it: a part without one is no file to
# most servers (a form field instead).
_UNNAMED = "upload"


def is_file(value: object) -> bool:
    """Whether a multipart value is an upload (else a form field)."""
    return isinstance(value, bytes | bytearray | io.IOBase | tuple | os.PathLike) or (
        hasattr(value, "read") and callable(value.read)
    )


def _media_type(file_name: str | None) -> str | None:
    if not file_name:
        return None
    return mimetypes.guess_type(file_name, strict=True)[0] or _FALLBACK_TYPE


def file_part(
    value: object,
) -> tuple[str | None, bytes | IO[bytes], str | None]:
    """``(file_name, content, media_type)`` for one upload (see the module docstring). A
    path is read here, so a retried request sends the same bytes again."""
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise TypeError(
                "an upload tuple is (file_name, content) or "
                f"(file_name, content, media_type), got {len(value)} items"
            )
        file_name = None if value[0] is None else str(value[0])
        media_type = value[2] if len(value) == 3 else _media_type(file_name)
        return file_name, _content(value[1]), media_type
    if isinstance(value, os.PathLike):
        file_name = os.path.basename(os.fsdecode(value))
        return file_name, _content(value), _media_type(file_name)
    content = _content(value)
    name = getattr(content, "name", None)  # an open file: named after it, as httpx does
    file_name = os.path.basename(name) if isinstance(name, str) and name else _UNNAMED
    return file_name, content, _media_type(file_name)


def _content(value: object) -> bytes | IO[bytes]:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, os.PathLike):
        with open(value, "rb") as file:
            return file.read()
    if hasattr(value, "read") and callable(value.read):
        return cast(IO[bytes], value)
    raise TypeError(
        "an upload is bytes, a path, a binary file object or a (file_name, content"
        f"[, media_type]) tuple, got {type(value).__name__}"
    )
