"""The whole pipeline, top-down: load -> validate -> normalise -> models -> IR -> render ->
format -> write, in order, in one process. `generate` and `check` are what the CLI and the
tests call; `build_tree` is everything but the write.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from . import interrupts, resources
from . import write as writer
from .errors import Diagnostic, SpecError
from .format import formatter_identity
from .load import LoadedSpec, load_spec
from .overlay import apply_overlays, load_overlays, relocate
from .settings import (
    DEFAULT_OUT,
    DEFAULT_PACKAGE,
    DEFAULT_SPEC,
    Project,
    Target,
    plan,
    read_manifest,
    settings_changed,
)

__all__ = ["DEFAULT_OUT", "DEFAULT_PACKAGE", "DEFAULT_SPEC", "CheckResult", "check", "generate"]
_PINNED = ("datamodel-code-generator", "jinja2", "pydantic", "pyyaml", "ruff")


_INPUT_NAMES = {
    "spec_sha256": "the spec",
    "templates_sha256": "the templates",
    "generator_sha256": "the generator's code",
    "dependencies": "the generator's pinned dependencies",
    "formatter": "the formatter",
}


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: nothing (ok), or the files that differ and how. `settings_changed`
    names each setting the output was made with that differs from this check's (`the package
    name was 'a', now 'b'`); `command` is what makes the output again."""

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    stray: tuple[str, ...] = ()
    diff: str = ""
    notes: tuple[str, ...] = field(default=())
    settings_changed: tuple[str, ...] = ()
    command: str = ""
    warnings: tuple[Diagnostic, ...] = ()  # only when the spec was read (not from the manifest)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.stray)


def display_path(spec_path: Path, out_dir: Path) -> str:
    """The spec's path as headers show it: relative to the output's project (`Project`) when
    the spec lives there, else its file name; never an absolute path, so output does not
    depend on where the checkout is."""
    return Project.of(out_dir).shown(spec_path)


def input_fingerprint(spec_raw: bytes, overlays: str = "") -> dict[str, str]:
    """Everything the output depends on besides its settings, hashed: the manifest records it
    for `check`. The templates and the generator's code are read as package resources, so an
    installed package and the checkout it was built from give the same hashes. `overlays` is
    `overlay.fingerprint` of the overlays applied, recorded only when there are some."""
    versions = []
    for name in _PINNED:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}==?")
    return {
        "formatter": formatter_identity(),
        "spec_sha256": writer.sha256(spec_raw),
        "templates_sha256": resources.templates_sha256(),
        "generator_sha256": resources.generator_sha256(),
        "dependencies": ", ".join(versions),
        **({"overlays": overlays} if overlays else {}),
    }


def build_tree(
    spec: LoadedSpec,
    target: Target | str,
    previous: Mapping[str, bytes] | None = None,
    overlays: str = "",
    *,
    warnings: list[Diagnostic] | None = None,
    strict: bool = False,
) -> dict[str, bytes]:
    """Render the whole output in memory. Raises SpecError on bad input; writes nothing.

    Each WARNING (a deviation read the generator's own way, see `errors`) is appended to
    `warnings`, when given; with `strict` they are raised as a SpecError instead.

    `target` is what the output is made as (a package name alone stands for `Target(name)`:
    derived names, no recorded settings). `previous` is the output tree currently on disk, if
    any: the models, when made from the same schemas, and formatted files whose rendered text
    has not changed are taken from it instead of being made again. `overlays` is what the
    manifest records of the overlays already applied to `spec` (`overlay.fingerprint`).
    """
    # The stages are imported here, not at the top: `check` on an unchanged tree answers from
    # the manifest and needs none of ruff, jinja2, datamodel-code-generator or the validator.
    from .format import format_tree, rendered_hash
    from .ir.builder import build_api
    from .models import describe_models, generate_models, models_key, unknown_formats
    from .normalise import normalise_document
    from .render import render_tree
    from .validate import validate

    if isinstance(target, str):
        target = Target(target)
    validated = validate(spec)
    degraded = [*validated.warnings, *unknown_formats(validated.spec)]
    if strict and degraded:
        raise SpecError(degraded)
    if warnings is not None:
        warnings.extend(degraded)
    spec = validated.spec
    data = normalise_document(spec)
    schemas = data["components"]["schemas"]
    key = models_key(data["openapi"], schemas)
    package_name = target.package_name
    models_path = _models_path(package_name)
    reused = _previous_models(previous, key, models_path)
    try:
        if reused is not None:
            models = describe_models(reused, schemas, spec.path)
        else:
            models = generate_models(data["openapi"], schemas, spec.path)
    except SpecError as exc:  # the model stage has pointers, not the spec's lines
        raise SpecError(
            [
                replace(d, line=spec.line_of(d.pointer)) if d.line is None else d
                for d in exc.diagnostics
            ]
        ) from None
    api = build_api(
        data,
        models,
        spec_path=spec.path,
        api_key_env=target.api_key_env,
        base_url_env=target.base_url_env,
    )
    spec_json = json.dumps(spec.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    rendered = render_tree(api, target=target, spec_json=spec_json)
    inputs = input_fingerprint(spec.raw, overlays)
    inputs["models_key"] = key
    reusable = _reusable(previous, inputs["formatter"])
    if reused is not None and previous is not None:
        # models.py was read back from its formatted self: ruff leaves its own
        # output unchanged, so the bytes on disk are what formatting this rendering gives.
        reusable[models_path] = (rendered_hash(rendered[models_path]), previous[models_path])
    runtime_dirs = (f"{package_name}/_runtime/", f"{package_name}_stub/_runtime/")
    formatted, rendered_hashes = format_tree(
        rendered, skip_prefixes=runtime_dirs, reusable=reusable
    )
    # The manifest records models.py under the rendering a later run will make from it (its
    # formatted self), so fresh and reused models leave the same manifest.
    rendered_hashes[models_path] = rendered_hash(formatted[models_path])
    files = {path: text.encode("utf-8") for path, text in formatted.items()}
    files[writer.MANIFEST_NAME] = writer.manifest_bytes(
        files, inputs, rendered_hashes, target.settings, target.command
    )
    return files


def _models_path(package_name: str) -> str:
    return f"{package_name}/models.py"


def _previous_models(
    previous: Mapping[str, bytes] | None, key: str, models_path: str
) -> str | None:
    """The models source in the tree on disk, when it was made from the same schemas by the
    same model generator (the manifest's `models_key`) and nobody has edited it since."""
    if not previous or models_path not in previous:
        return None
    manifest = read_manifest(previous.get(writer.MANIFEST_NAME))
    if manifest is None:
        return None
    inputs, hashes = manifest.get("inputs"), manifest.get("files")
    if not (isinstance(inputs, dict) and isinstance(hashes, dict)):
        return None
    data = previous[models_path]
    if inputs.get("models_key") != key or hashes.get(models_path) != writer.sha256(data):
        return None
    from .render import MODELS_PREAMBLE

    text = data.decode("utf-8")
    start = text.find(MODELS_PREAMBLE)
    return text[start + len(MODELS_PREAMBLE) :] if start >= 0 else None


def _reusable(previous: Mapping[str, bytes] | None, formatter: str) -> dict[str, tuple[str, bytes]]:
    """Formatted files on disk that are still exactly what the last run wrote, with the hash
    of the text they were formatted from; nothing when the formatter has changed since."""
    if not previous:
        return {}
    manifest = read_manifest(previous.get(writer.MANIFEST_NAME))
    if manifest is None:
        return {}
    inputs, hashes, rendered = (manifest.get(k) for k in ("inputs", "files", "rendered"))
    if not (isinstance(inputs, dict) and isinstance(hashes, dict) and isinstance(rendered, dict)):
        return {}
    if inputs.get("formatter") != formatter:
        return {}
    return {
        path: (str(rendered[path]), data)
        for path, data in previous.items()
        if path in rendered and hashes.get(path) == writer.sha256(data)
    }


@dataclass(frozen=True)
class Generated:
    """What `generate` wrote: the whole tree, and what changed on disk."""

    files: dict[str, bytes]
    changes: writer.Changes
    settings_changed: tuple[str, ...] = ()  # as `CheckResult.settings_changed`
    warnings: tuple[Diagnostic, ...] = ()  # how deviations of the spec were read


def generate(
    spec_path: Path = DEFAULT_SPEC,
    out_dir: Path = DEFAULT_OUT,
    *,
    package_name: str = DEFAULT_PACKAGE,
    client_class: str | None = None,
    api_key_env: str | None = None,
    overlays: Sequence[Path] = (),
    strict: bool = False,
) -> Generated:
    """Regenerate `out_dir` from the spec, all or nothing. Returns what it wrote, and the
    warnings (with `strict`, a warning is a SpecError and nothing is written).

    `client_class` and `api_key_env` default to names derived from the package name;
    `overlays` are applied to the spec in order.
    """
    target = plan(spec_path, out_dir, package_name, client_class, api_key_env, tuple(overlays))
    # Without a manifest nothing on disk can be reused (and the directory may not be ours:
    # `write_tree` refuses it if it holds other files), so it is not read.
    previous = writer.read_tree(out_dir) if writer.has_manifest(out_dir) else {}
    spec, record = load_overlaid(spec_path, target, overlays, out_dir)
    warnings: list[Diagnostic] = []
    try:
        files = build_tree(
            spec, target, previous=previous, overlays=record, warnings=warnings, strict=strict
        )
    except SpecError as exc:  # a problem an overlay wrote is shown in the overlay
        raise relocate(exc, spec) from None
    interrupts.raise_if_swallowed()
    changes = writer.write_tree(out_dir, files, previous=previous or None)
    recorded = read_manifest(previous.get(writer.MANIFEST_NAME))
    return Generated(files, changes, settings_changed(recorded, target), tuple(warnings))


def check(
    spec_path: Path = DEFAULT_SPEC,
    out_dir: Path = DEFAULT_OUT,
    *,
    package_name: str = DEFAULT_PACKAGE,
    client_class: str | None = None,
    api_key_env: str | None = None,
    overlays: Sequence[Path] = (),
    strict: bool = False,
) -> CheckResult:
    """Is `out_dir` exactly what the spec (with `overlays` applied) and templates produce with
    these settings? Never writes. With `strict` the spec is always read, and a warning is a
    SpecError."""
    target = plan(spec_path, out_dir, package_name, client_class, api_key_env, tuple(overlays))
    # Without our manifest the directory may be anything (`--out ~` by mistake): its files are
    # read only where the spec produces one of the same name.
    on_disk: Mapping[str, bytes] = (
        writer.read_tree(out_dir) if writer.has_manifest(out_dir) else writer.FilesOnDisk(out_dir)
    )
    try:
        spec_raw = spec_path.read_bytes()
    except OSError:
        spec_raw = b""
    recorded = read_manifest(on_disk.get(writer.MANIFEST_NAME))
    if recorded is not None and spec_raw and not strict:
        files_match = recorded.get("files") == {
            path: writer.sha256(data)
            for path, data in on_disk.items()
            if path != writer.MANIFEST_NAME
        }
        inputs = recorded.get("inputs")
        if isinstance(inputs, dict):
            inputs = {k: v for k, v in inputs.items() if k != "models_key"}  # derived, not input
        if (
            files_match
            and inputs == input_fingerprint(spec_raw, _overlay_record(overlays, out_dir))
            and recorded.get("settings") == target.settings
            and recorded.get("regenerate") == target.command
        ):
            return CheckResult(command=target.command)  # nothing changed since the last generate
    spec, record = load_overlaid(spec_path, target, overlays, out_dir)
    warnings: list[Diagnostic] = []
    try:
        expected = build_tree(
            spec, target, previous=on_disk, overlays=record, warnings=warnings, strict=strict
        )
    except SpecError as exc:
        raise relocate(exc, spec) from None
    return replace(
        compare(expected, on_disk, recorded),
        settings_changed=settings_changed(recorded, target),
        command=target.command,
        warnings=tuple(warnings),
    )


def load_overlaid(
    spec_path: Path, target: Target, overlays: Sequence[Path], out_dir: Path
) -> tuple[LoadedSpec, str]:
    """The spec with the overlays applied, and what the manifest records of them."""
    from .overlay import fingerprint

    spec = load_spec(spec_path, display_path=target.settings["spec"])
    if not overlays:
        return spec, ""
    project = Project.of(out_dir)
    loaded = load_overlays(overlays, [project.shown(path) for path in overlays])
    return apply_overlays(spec, loaded), fingerprint(loaded)


def _overlay_record(overlays: Sequence[Path], out_dir: Path) -> str:
    """`overlay.fingerprint` from the files' bytes alone, for `check`'s quick answer; an
    unreadable file gives a record no manifest has (the slow path then reports it)."""
    project = Project.of(out_dir)
    parts = []
    for path in overlays:
        try:
            digest = writer.sha256(path.read_bytes())
        except OSError:
            digest = "unreadable"
        parts.append(f"{project.shown(path)}={digest}")
    return ", ".join(parts)


def _overlay_notes(before: object, after: object) -> list[str]:
    """Each overlay added, removed or edited since the output was made, by its path."""

    def parse(record: object) -> dict[str, str]:
        if not isinstance(record, str) or not record:
            return {}
        return dict(part.rsplit("=", 1) for part in record.split(", ") if "=" in part)

    old, new = parse(before), parse(after)
    notes = []
    for path in sorted(old.keys() | new.keys()):
        if path not in old:
            notes.append(f"the overlay {path} was not applied when the output was made")
        elif path not in new:
            notes.append(f"the overlay {path} was applied when the output was made, not now")
        elif old[path] != new[path]:
            notes.append(f"the overlay {path} changed since the output was made")
    return notes


def compare(
    expected: dict[str, bytes], actual: Mapping[str, bytes], recorded: dict[str, object] | None
) -> CheckResult:
    changed = tuple(sorted(p for p in expected if p in actual and actual[p] != expected[p]))
    missing = tuple(sorted(p for p in expected if p not in actual))
    stray = tuple(sorted(p for p in actual if p not in expected))
    diff_parts: list[str] = []
    for path in changed:
        old = actual[path].decode("utf-8", "replace").splitlines(keepends=True)
        new = expected[path].decode("utf-8", "replace").splitlines(keepends=True)
        diff_parts.extend(
            difflib.unified_diff(old, new, f"a/{path} (on disk)", f"b/{path} (expected)")
        )
    notes = []
    if recorded is not None and writer.MANIFEST_NAME in changed:
        old_inputs = recorded.get("inputs")
        new_inputs = json.loads(expected[writer.MANIFEST_NAME])["inputs"]
        if isinstance(old_inputs, dict):
            for key, what in _INPUT_NAMES.items():
                before, after = old_inputs.get(key), new_inputs.get(key)
                if before == after:
                    continue
                if key in ("dependencies", "formatter"):
                    notes.append(f"{what} changed since the output was made: {before} -> {after}")
                else:
                    notes.append(f"{what} changed since the output was made")
            notes.extend(_overlay_notes(old_inputs.get("overlays"), new_inputs.get("overlays")))
    return CheckResult(changed, missing, stray, "".join(diff_parts), tuple(notes))
