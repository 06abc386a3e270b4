"""`verify`: the spec against the live API (`walk`, `compare`, `probe`), the report (`report`)
and the overlay that corrects the spec (`correct`)."""

from .command import add_parser, run

__all__ = ["add_parser", "run"]
