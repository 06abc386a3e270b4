"""The intermediate representation: what the templates render, and how it is made.

- `types`: the frozen dataclasses (`Api`, `Tag`, `Operation`, ...);
- `builder`: a regular document plus its models -> `Api` (`build_api`);
- `operations`: one operation's parameters, body and responses -> IR values;
- `naming`: the one place where spec names become Python names (also asked by `diff`);
- `imports`: what each generated resource module imports;
- `runtime`: the facts about the shipped client runtime that naming and the builder need.

Importing this package loads only the types; the builder is imported from `ir.builder`.
"""

from .types import (
    Api,
    BodyField,
    ErrorResponse,
    Operation,
    Param,
    Poll,
    RequestBody,
    ResponseShape,
    Tag,
)

__all__ = [
    "Api",
    "BodyField",
    "ErrorResponse",
    "Operation",
    "Param",
    "Poll",
    "RequestBody",
    "ResponseShape",
    "Tag",
]
