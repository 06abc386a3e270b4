"""Settings: which spec, which output directory, and what the generated code is named.

Where a run takes them from, first found first:
1. flags (`--spec`, `--out`, `--package-name`, `--client-class`, `--api-key-env`);
2. the `[tool.cofactr-codegen]` table of the nearest pyproject.toml that has one, found from
   the working directory upwards (its paths are relative to that file);
3. for `check` in a project without such a table: what the output's manifest recorded, so a
   forgotten flag in CI cannot make it compare against the wrong thing;
4. the defaults: `spec/cofactr-platform.yaml`, `generated`, `cofactr_platform`, and a client
   class and key variable named after the package's first word (`AcmeClient`, `ACME_API_KEY`).

`target` turns settings into what the pipeline renders with: the names, and the command that
makes this output again, which headers and drift messages print. That command is worked out
from the output's project (`Project`), not from the working directory, so the same inputs give
the same bytes wherever the command runs.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .ir.naming import (
    api_key_env_problem,
    class_name,
    client_class_problem,
    package_name_problem,
)
from .write import MANIFEST_NAME

TABLE = "cofactr-codegen"
DEFAULT_SPEC = Path("spec/cofactr-platform.yaml")
DEFAULT_OUT = Path("generated")
DEFAULT_PACKAGE = "cofactr_platform"
COMMAND = "cofactr-codegen"

# Each setting: its key in the table and the manifest, its flag, and how messages name it.
KEYS = {
    "spec": "the spec",
    "out": "the output directory",
    "package-name": "the package name",
    "client-class": "the client class",
    "api-key-env": "the API key's environment variable",
}
# A list, not a string, so kept apart from `KEYS`: the overlays applied to the spec, in order
# (`overlay`); the manifest records them with their hashes among the inputs.
OVERLAYS = "overlays"


def default_client_class(package_name: str) -> str:
    """`acme_cofactr` -> `AcmeClient`: the client class when none is chosen."""
    return class_name(package_name.split("_")[0]) + "Client"


def default_api_key_env(package_name: str) -> str:
    """`acme_cofactr` -> `ACME_API_KEY`: the key's environment variable when none is chosen."""
    return package_name.split("_")[0].upper() + "_API_KEY"


def default_base_url_env(package_name: str) -> str:
    """`acme_cofactr` -> `ACME_BASE_URL`: the environment variable the client reads its base
    URL from when none is passed (the key's, `default_api_key_env`, with its first word)."""
    return package_name.split("_")[0].upper() + "_BASE_URL"


def checked(key: str, value: str) -> str:
    """`value` if it can be used as the setting `key`; else `SettingsError` saying why."""
    problem = {
        "package-name": package_name_problem,
        "client-class": client_class_problem,
        "api-key-env": api_key_env_problem,
    }[key](value)
    if problem is not None:
        raise SettingsError(f"{KEYS[key]} {value!r} {problem}")
    return value


@dataclass(frozen=True)
class Choices:
    """The settings one source gives; None where it says nothing. Paths are usable as they
    stand (relative to the working directory, or absolute)."""

    spec: Path | None = None
    out: Path | None = None
    package_name: str | None = None
    client_class: str | None = None
    api_key_env: str | None = None
    overlays: tuple[Path, ...] | None = None

    def over(self, other: Choices) -> Choices:
        """These choices, with `other`'s where these say nothing."""
        return Choices(
            **{
                f.name: (
                    getattr(other, f.name)
                    if getattr(self, f.name) is None
                    else getattr(self, f.name)
                )
                for f in fields(self)
            }
        )


@dataclass(frozen=True)
class Settings:
    """Every setting of one run, resolved."""

    spec: Path
    out: Path
    package_name: str
    client_class: str
    api_key_env: str
    overlays: tuple[Path, ...] = ()

    @classmethod
    def resolve(cls, choices: Choices, base: Path | None = None) -> Settings:
        """`choices`, with the defaults where they say nothing (paths under `base` if given)."""
        package = choices.package_name or DEFAULT_PACKAGE
        return cls(
            spec=choices.spec or (base / DEFAULT_SPEC if base else DEFAULT_SPEC),
            out=choices.out or (base / DEFAULT_OUT if base else DEFAULT_OUT),
            package_name=package,
            client_class=choices.client_class or default_client_class(package),
            api_key_env=choices.api_key_env or default_api_key_env(package),
            overlays=choices.overlays or (),
        )

    def items(self) -> tuple[tuple[str, Path | str], ...]:
        """(key, value) of every setting, in the order of `KEYS`."""
        return (
            ("spec", self.spec),
            ("out", self.out),
            ("package-name", self.package_name),
            ("client-class", self.client_class),
            ("api-key-env", self.api_key_env),
        )


@dataclass(frozen=True)
class Table:
    """A `[tool.cofactr-codegen]` table, checked, its paths joined to the directory of its
    pyproject.toml."""

    path: Path
    choices: Choices

    @property
    def directory(self) -> Path:
        return self.path.parent


def read_table(pyproject: Path) -> Table | None:
    """The table of one pyproject.toml, checked; None when the file has none."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{pyproject}: cannot read it: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{pyproject}: not valid TOML: {exc}") from None
    tool = data.get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is None:
        return None
    where = f"{pyproject}: [tool.{TABLE}]"
    if not isinstance(table, dict):
        raise SettingsError(f"{where} is not a table")
    unknown = sorted(set(table) - {*KEYS, OVERLAYS})
    if unknown:
        raise SettingsError(
            f"{where}: unknown key {unknown[0]!r} (the keys are {', '.join([*KEYS, OVERLAYS])}); "
            "a newer cofactr-codegen may know it"
        )
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == OVERLAYS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise SettingsError(f"{where}: {key} must be a list of file paths, not {value!r}")
            values[key] = tuple(pyproject.parent / v for v in value)
            continue
        if not isinstance(value, str) or not value:
            raise SettingsError(f"{where}: {key} must be a non-empty string, not {value!r}")
        try:
            values[key] = (
                pyproject.parent / value if key in ("spec", "out") else checked(key, value)
            )
        except SettingsError as exc:
            raise SettingsError(f"{where}: {key}: {exc}") from None
    return Table(pyproject, Choices(**{key.replace("-", "_"): v for key, v in values.items()}))


def find_table(start: Path) -> Table | None:
    """The table of the nearest pyproject.toml, from `start` upwards, that has one."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            table = read_table(candidate)
            if table is not None:
                return table
    return None


@dataclass(frozen=True)
class Project:
    """The project an output directory belongs to: the nearest directory above it whose
    pyproject.toml has our table, or else the nearest holding `.git`, or else the output's
    parent. Headers show paths relative to it, and a command run there regenerates."""

    root: Path
    table: Table | None

    @classmethod
    def of(cls, out_dir: Path) -> Project:
        out = out_dir.resolve()
        for directory in out.parents:
            pyproject = directory / "pyproject.toml"
            table = read_table(pyproject) if pyproject.is_file() else None
            if table is not None:
                return cls(directory, table)
            if (directory / ".git").exists():
                return cls(directory, None)
        return cls(out.parent, None)

    def shown(self, path: Path) -> str:
        """`path` relative to the project, POSIX; a path outside it by its name alone, so no
        absolute path reaches the output."""
        resolved = path.resolve()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix() or "."
        return resolved.name

    def flagless(self, choices: Choices = Choices()) -> Settings:
        """What a run in the project's root uses given `choices` as flags."""
        table = self.table.choices if self.table else Choices()
        return Settings.resolve(choices.over(table), self.root)


@dataclass(frozen=True)
class Target:
    """What an output is made as, besides the spec: the names in the generated code, the
    command that makes it again, and the settings its manifest records."""

    package_name: str = DEFAULT_PACKAGE
    client_class: str = ""  # empty: derived from the package name
    api_key_env: str = ""  # empty: derived from the package name
    flags: tuple[str, ...] = ()  # of the regenerate command, each `--key value`
    note: str = ""  # after them: where the other settings come from
    recorded: tuple[tuple[str, str], ...] = ()  # (setting, value) as the manifest keeps them

    def __post_init__(self) -> None:
        if not self.client_class:
            object.__setattr__(self, "client_class", default_client_class(self.package_name))
        if not self.api_key_env:
            object.__setattr__(self, "api_key_env", default_api_key_env(self.package_name))

    @property
    def settings(self) -> dict[str, str]:
        return dict(self.recorded)

    @property
    def base_url_env(self) -> str:
        return default_base_url_env(self.package_name)

    @property
    def command(self) -> str:
        """The command that makes this output again, run in the output's project."""
        return " ".join([COMMAND, "generate", *self.flags, *([self.note] if self.note else [])])


def target_of(settings: Settings) -> Target:
    """The target of a run with `settings`: the regenerate command is `generate` with the
    fewest flags that make a run in the output's project use exactly these settings."""
    project = Project.of(settings.out)
    flags: list[str] = []
    given: dict[str, Any] = {}
    for key, value in settings.items():
        attribute = key.replace("-", "_")
        current = getattr(project.flagless(Choices(**given)), attribute)
        if isinstance(value, Path):
            if current.resolve() == value.resolve():
                continue
            flags.append(f"--{key} {shlex.quote(project.shown(value))}")
        else:
            if current == value:
                continue
            flags.append(f"--{key} {shlex.quote(value)}")
        given[attribute] = value
    table_overlays = (project.table.choices.overlays or ()) if project.table else ()
    if [p.resolve() for p in settings.overlays] != [p.resolve() for p in table_overlays]:
        flags.extend(f"--overlay {shlex.quote(project.shown(p))}" for p in settings.overlays)
    note = ""
    if project.table is not None:
        note = f"({'other ' if flags else ''}settings from pyproject.toml)"
    return Target(
        package_name=settings.package_name,
        client_class=settings.client_class,
        api_key_env=settings.api_key_env,
        flags=tuple(flags),
        note=note,
        recorded=tuple(
            (key, project.shown(value) if isinstance(value, Path) else value)
            for key, value in settings.items()
        ),
    )


def plan(
    spec_path: Path,
    out_dir: Path,
    package_name: str = DEFAULT_PACKAGE,
    client_class: str | None = None,
    api_key_env: str | None = None,
    overlays: tuple[Path, ...] = (),
) -> Target:
    """The target of a run with these settings (checked: `SettingsError` if one cannot work),
    for `out_dir`'s project."""
    checked("package-name", package_name)
    settings = Settings(
        spec=spec_path,
        out=out_dir,
        package_name=package_name,
        client_class=(
            checked("client-class", client_class)
            if client_class
            else default_client_class(package_name)
        ),
        api_key_env=(
            checked("api-key-env", api_key_env)
            if api_key_env
            else default_api_key_env(package_name)
        ),
        overlays=overlays,
    )
    return target_of(settings)


def settings_changed(recorded: Mapping[str, object] | None, target: Target) -> tuple[str, ...]:
    """Each setting the output was made with (its recorded manifest) that `target` changes,
    in words. A manifest of a version before settings were recorded has its package name."""
    if recorded is None:
        return ()
    before = recorded.get("settings")
    if not isinstance(before, dict):
        inputs = recorded.get("inputs")
        name = inputs.get("package_name") if isinstance(inputs, dict) else None
        before = {"package-name": name} if isinstance(name, str) else {}
    return tuple(
        f"{KEYS[key]} was {before[key]!r}, now {target.settings[key]!r}"
        for key in KEYS
        if key in before and key in target.settings and before[key] != target.settings[key]
    )


def recorded_choices(manifest: Mapping[str, Any], out_dir: Path) -> Choices:
    """The settings an output's manifest recorded that were chosen, not derived: a client
    class or key variable that is just the package name's default is derived again."""
    recorded = manifest.get("settings")
    if not isinstance(recorded, dict):
        return Choices()
    values = {key: value for key in KEYS if isinstance(value := recorded.get(key), str) and value}
    if len(values) != len(KEYS):
        return Choices()
    try:
        for key in ("package-name", "client-class", "api-key-env"):
            checked(key, values[key])
    except SettingsError:
        return Choices()  # not what a run of ours wrote: the manifest is not trusted
    package = values["package-name"]
    client_class, api_key_env = values["client-class"], values["api-key-env"]
    return Choices(
        spec=Project.of(out_dir).root / values["spec"],
        package_name=package,
        client_class=None if client_class == default_client_class(package) else client_class,
        api_key_env=None if api_key_env == default_api_key_env(package) else api_key_env,
    )


def read_manifest(raw: bytes | None) -> dict[str, object] | None:
    """A manifest's JSON object, or None when there is none or it is not one."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def for_run(flags: Choices, *, cwd: Path, from_manifest: bool) -> Settings:
    """The settings of a command run in `cwd` with `flags`: over the nearest table, and for
    `from_manifest` (`check`) in a project without a table, over the settings chosen in the
    output's manifest, then the defaults."""
    table = find_table(cwd)
    choices = flags.over(table.choices) if table else flags
    if from_manifest and table is None:
        out = choices.out or DEFAULT_OUT
        try:
            raw: bytes | None = (out / MANIFEST_NAME).read_bytes()
        except OSError:
            raw = None
        manifest = read_manifest(raw)
        if manifest is not None:
            choices = choices.over(recorded_choices(manifest, out))
    return Settings.resolve(choices, table.directory if table else None)
