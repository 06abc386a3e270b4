"""Path parameters by the names the spec gives them.

The stub's routes rename a parameter whose name is no Python identifier (``{role-name}``,
which the router would take for literal text) by its position; the values the router
matched come in the template's order, so they are named back by position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")


def template_params(path: str) -> list[str]:
    """The parameter names of a path template, in order (``/{realm}/roles/{role-name}`` ->
    ``["realm", "role-name"]``)."""
    return _TEMPLATE_PARAM.findall(path)


def path_values(template: str, matched: Mapping[str, Any]) -> dict[str, Any]:
    """The values the router matched for ``template``, by the spec's names."""
    names = template_params(template)
    if len(names) != len(matched):
        return dict(matched)
    return dict(zip(names, matched.values(), strict=True))


def template_shape(path: str) -> str:
    """A path template with its parameters unnamed (``/{realm}/roles/{}``...): a route's and
    the spec's are the same whatever the route renamed (see above)."""
    return _TEMPLATE_PARAM.sub("{}", path)
