"""Path templates: their parameters by the names the spec gives them, their segments, and the
key a path routes and stores records under (:func:`route_key`, :func:`normalise`).

The stub's routes rename a parameter whose name is no Python identifier (``{role-name}``,
which the router would take for literal text) by its position; the values the router
matched come in the template's order, so they are named back by position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")
_PARAM = re.compile(r"^\{([^{}]+)\}$")


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


def normalise(path: str) -> str:
    """``/v1/boms/{bom_id}/lines/`` -> ``/v1/boms/{}/lines/``."""
    return re.sub(r"\{[^{}]+\}", "{}", path)


def segments(path: str) -> list[str]:
    """Path segments without the empty ends."""
    return [seg for seg in path.split("/") if seg]


def param_name(segment: str) -> str | None:
    """The parameter a ``{name}`` segment names, or None for a literal."""
    match = _PARAM.match(segment)
    return match.group(1) if match else None


def join(segs: list[str]) -> str:
    """Segments back to a path with leading and trailing slash."""
    return "/" + "/".join(segs) + "/" if segs else "/"


def route_key(path: str) -> str:
    """What a request path or a spec path template routes as: ``/pets``, ``/pets/`` and
    ``/pets/{id}/`` -> ``/pets/``, ``/pets/{}/`` (a document may declare ``POST /pets``
    and ``GET /pets/`` as two paths of one resource)."""
    return normalise(join(segments(path)))
