"""The whole pipeline, top-down: load -> validate -> normalise -> models -> IR -> render ->
format -> write, in order, in one process. `generate` and `check` are what the CLI and the
tests call; `build_tree` is everything but the write.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from . import interrupts
from . import write as writer
from .errors import SpecError
from .format import formatter_identity
from .ir.naming import package_name_problem
from .load import LoadedSpec, load_spec

GENERATOR_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = GENERATOR_DIR.parent / "templates"
DEFAULT_SPEC = Path("spec/cofactr-platform.yaml")
DEFAULT_OUT = Path("generated")
DEFAULT_PACKAGE = "cofactr_platform"
_PINNED = ("black", "datamodel-code-generator", "jinja2", "pydantic", "pyyaml")


_INPUT_NAMES = {
    "spec_sha256": "the spec",
    "templates_sha256": "the templates",
    "generator_sha256": "the generator's code",
    "dependencies": "the generator's pinned dependencies",
    "formatter": "the formatter",
    "package_name": "the package name",
}


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: nothing (ok), or the files that differ and how."""

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    stray: tuple[str, ...] = ()
    diff: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.stray)


def display_path(spec_path: Path, out_dir: Path) -> str:
    """The spec's path as headers show it: relative to the project (the output's parent) when
    the spec lives there, else its file name; never an absolute path, so output does not
    depend on where the checkout is."""
    project = out_dir.resolve().parent
    resolved = spec_path.resolve()
    if resolved.is_relative_to(project):
        return resolved.relative_to(project).as_posix()
    return resolved.name


def input_fingerprint(spec_raw: bytes, package_name: str) -> dict[str, str]:
    """Everything the output depends on, hashed: the manifest records it for `check`."""

    def tree_hash(root: Path, pattern: str) -> str:
        digest = []
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(root).as_posix()
                digest.append(f"{rel}:{writer.sha256(path.read_bytes())}")
        return writer.sha256("\n".join(digest).encode())

    versions = []
    for name in _PINNED:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}==?")
    return {
        "formatter": formatter_identity(),
        "spec_sha256": writer.sha256(spec_raw),
        "templates_sha256": tree_hash(TEMPLATES_DIR, "*"),
        "generator_sha256": tree_hash(GENERATOR_DIR, "*.py"),
        "package_name": package_name,
        "dependencies": ", ".join(versions),
    }


def build_tree(
    spec: LoadedSpec,
    package_name: str,
    previous: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Render the whole output in memory. Raises SpecError on bad input; writes nothing.

    `previous` is the output tree currently on disk, if any: the models, when made from the
    same schemas, and formatted files whose rendered text has not changed are taken from it
    instead of being made again.
    """
    # The stages are imported here, not at the top: `check` on an unchanged tree answers from
    # the manifest and needs none of black, jinja2, datamodel-code-generator or the validator.
    from .format import format_tree, rendered_hash
    from .ir.builder import build_api
    from .models import describe_models, generate_models, models_key
    from .normalise import normalise_document
    from .render import render_tree
    from .validate import validate

    validate(spec)
    data = normalise_document(spec)
    schemas = data["components"]["schemas"]
    key = models_key(data["openapi"], schemas)
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
    api = build_api(data, models, spec_path=spec.path, package_name=package_name)
    spec_json = json.dumps(spec.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    rendered = render_tree(api, package_name=package_name, spec_json=spec_json)
    inputs = input_fingerprint(spec.raw, package_name)
    inputs["models_key"] = key
    reusable = _reusable(previous, inputs["formatter"])
    if reused is not None and previous is not None:
        # models.py was read back from its formatted self: black and isort leave their own
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
    files[writer.MANIFEST_NAME] = writer.manifest_bytes(files, inputs, rendered_hashes)
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
    manifest = _read_manifest(previous.get(writer.MANIFEST_NAME))
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
    manifest = _read_manifest(previous.get(writer.MANIFEST_NAME))
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


def generate(
    spec_path: Path = DEFAULT_SPEC,
    out_dir: Path = DEFAULT_OUT,
    *,
    package_name: str = DEFAULT_PACKAGE,
) -> dict[str, bytes]:
    """Regenerate `out_dir` from the spec, all or nothing. Returns the tree written."""
    problem = package_name_problem(package_name)
    if problem is not None:
        raise ValueError(f"package name {package_name!r} {problem}")
    # Without a manifest nothing on disk can be reused (and the directory may not be ours:
    # `write_tree` refuses it if it holds other files), so it is not read.
    previous = writer.read_tree(out_dir) if writer.has_manifest(out_dir) else {}
    spec = load_spec(spec_path, display_path=display_path(spec_path, out_dir))
    files = build_tree(spec, package_name, previous=previous)
    interrupts.raise_if_swallowed()
    writer.write_tree(out_dir, files)
    return files


def check(
    spec_path: Path = DEFAULT_SPEC,
    out_dir: Path = DEFAULT_OUT,
    *,
    package_name: str = DEFAULT_PACKAGE,
) -> CheckResult:
    """Is `out_dir` exactly what the spec and templates produce? Never writes."""
    # Without our manifest the directory may be anything (`--out ~` by mistake): its files are
    # read only where the spec produces one of the same name.
    on_disk: Mapping[str, bytes] = (
        writer.read_tree(out_dir) if writer.has_manifest(out_dir) else writer.FilesOnDisk(out_dir)
    )
    try:
        spec_raw = spec_path.read_bytes()
    except OSError:
        spec_raw = b""
    recorded = _read_manifest(on_disk.get(writer.MANIFEST_NAME))
    if recorded is not None and spec_raw:
        files_match = recorded.get("files") == {
            path: writer.sha256(data)
            for path, data in on_disk.items()
            if path != writer.MANIFEST_NAME
        }
        inputs = recorded.get("inputs")
        if isinstance(inputs, dict):
            inputs = {k: v for k, v in inputs.items() if k != "models_key"}  # derived, not input
        if files_match and inputs == input_fingerprint(spec_raw, package_name):
            return CheckResult()  # fast path: nothing changed since the last generate
    spec = load_spec(spec_path, display_path=display_path(spec_path, out_dir))
    expected = build_tree(spec, package_name, previous=on_disk)
    return compare(expected, on_disk, recorded)


def _read_manifest(raw: bytes | None) -> dict[str, object] | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


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
                if key in ("dependencies", "formatter", "package_name"):
                    notes.append(f"{what} changed since the output was made: {before} -> {after}")
                else:
                    notes.append(f"{what} changed since the output was made")
    return CheckResult(changed, missing, stray, "".join(diff_parts), tuple(notes))
