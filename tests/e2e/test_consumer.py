"""A consumer's repository, end to end, outside the checkout: what README's "Use it from
another repository" says to do, done.

This project is built into a wheel and an sdist from a copy of its files as a clone would hold
them (tracked and new files, none that git ignores), and each is installed into a virtual
environment of its own. The tool there must import nothing from the checkout: each command
runs in the consumer's repository, and `generator` is asserted to come from that environment.
The environments see the development environment's site-packages through a `.pth` line, for
the pinned dependencies (installing them afresh would cost a minute); such a line makes a
directory importable and processes none of its own `.pth` files, so the editable install of
the checkout stays out. pre-commit builds its hook's environment itself, with pip, as it does
for every user: that one installs the project and its dependencies for real.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from generator import resources

from .server import KEY_A, StubProcess

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Consumer",
    "GIT_AUTHOR_EMAIL": "consumer@example.invalid",
    "GIT_COMMITTER_NAME": "Consumer",
    "GIT_COMMITTER_EMAIL": "consumer@example.invalid",
}
SETTINGS = """\
[project]
name = "acme-app"
version = "1.0.0"

[tool.cofactr-codegen]
spec = "spec/cofactr-platform.yaml"
out = "third_party/cofactr"
package-name = "acme_cofactr"
client-class = "AcmePlatform"
"""
OUT = "third_party/cofactr"
REGENERATE = "cofactr-codegen generate (settings from pyproject.toml)"


def _run(
    args: list[str | Path], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _ok(args: list[str | Path], cwd: Path) -> str:
    result = _run(args, cwd)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _venv(path: Path) -> Path:
    """A fresh virtual environment that sees the pinned dependencies; its bin/ directory."""
    _ok([sys.executable, "-m", "venv", "--without-pip", path], cwd=path.parent)
    purelib = _ok(
        [
            path / "bin" / "python",
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        cwd=path,
    )
    (Path(purelib.strip()) / "_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return path / "bin"


def _install(bin_dir: Path, target: str | Path, cwd: Path) -> None:
    _ok(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            bin_dir / "python",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            target,
        ],
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("consumer-e2e")


@pytest.fixture(scope="module")
def source(workspace: Path) -> Path:
    """This project as a clone of the working tree: its files, committed to a git repository."""
    listed = _ok(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    target = workspace / "cofactr-codegen"
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # deleted in the working tree but not yet in the index
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    _ok(["git", "init", "-q"], cwd=target)
    _ok(["git", "add", "-A"], cwd=target)
    _ok(["git", "commit", "-q", "-m", "the working tree"], cwd=target)
    return target


@pytest.fixture(scope="module")
def dists(source: Path, workspace: Path) -> dict[str, Path]:
    """The wheel (pip) and the sdist (setuptools' PEP 517 hook, as a build front end calls it)."""
    dist = workspace / "dist"
    _ok(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            dist,
            ".",
        ],
        cwd=source,
    )
    _ok(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})",
        ],
        cwd=source,
    )
    (wheel,) = dist.glob("cofactr_codegen-*.whl")
    (sdist,) = dist.glob("cofactr_codegen-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def tools(dists: dict[str, Path], workspace: Path) -> dict[str, Path]:
    """The bin/ directory of an environment with the wheel installed, and of one with the sdist."""
    installed = {}
    for kind, dist in dists.items():
        installed[kind] = _venv(workspace / f"tool-from-{kind}")
        _install(installed[kind], dist, cwd=workspace)
    return installed


@pytest.fixture(scope="module")
def consumer(source: Path, workspace: Path) -> Path:
    """The consumer's repository: settings in pyproject.toml and the spec, committed."""
    repo = workspace / "acme-app"
    (repo / "spec").mkdir(parents=True)
    shutil.copy2(source / "spec" / "cofactr-platform.yaml", repo / "spec")
    (repo / "pyproject.toml").write_text(SETTINGS)
    _ok(["git", "init", "-q"], cwd=repo)
    _ok(["git", "add", "-A"], cwd=repo)
    _ok(["git", "commit", "-q", "-m", "settings and spec"], cwd=repo)
    return repo


def _tool(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`cofactr-codegen ARGS` as a user whose PATH starts with the environment's bin/ runs it."""
    return _run(
        ["cofactr-codegen", *args], cwd, env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    )


@pytest.fixture(scope="module")
def vendored(tools: dict[str, Path], consumer: Path) -> subprocess.CompletedProcess[str]:
    """`cofactr-codegen generate` in the consumer's repository, its output committed."""
    generate = _tool(tools["wheel"], "generate", cwd=consumer)
    assert generate.returncode == 0, generate.stderr
    _ok(["git", "add", "-A"], cwd=consumer)
    _ok(["git", "commit", "-q", "-m", "vendor the Cofactr client"], cwd=consumer)
    return generate


def test_the_wheel_and_the_sdist_hold_every_template(dists: dict[str, Path], source: Path) -> None:
    expected = sorted(
        p.relative_to(source / "templates").as_posix()
        for p in (source / "templates").rglob("*")
        if p.is_file()
    )
    prefix = "generator/_templates/"
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        in_wheel = sorted(n[len(prefix) :] for n in wheel.namelist() if n.startswith(prefix))
    with tarfile.open(dists["sdist"]) as sdist:
        in_sdist = sorted(
            m.name.split("/templates/", 1)[1]
            for m in sdist.getmembers()
            if m.isfile() and "/templates/" in m.name
        )
    assert in_wheel == expected
    assert in_sdist == expected


def test_the_installed_tool_imports_nothing_from_the_checkout(
    tools: dict[str, Path], consumer: Path
) -> None:
    for bin_dir in tools.values():
        environment = bin_dir.parent.resolve()
        where = _ok(
            [
                bin_dir / "python",
                "-c",
                "import generator, importlib.resources as r; print(generator.__file__); "
                "print(r.files('generator._templates'))",
            ],
            cwd=consumer,
        ).split()
        assert all(Path(w).resolve().is_relative_to(environment) for w in where), where
        version = _tool(bin_dir, "--version", cwd=consumer)
        assert version.stdout == f"cofactr-codegen {metadata.version('cofactr-codegen')}\n"


def test_a_consumer_generates_checks_installs_the_client_and_calls_the_stub(
    tools: dict[str, Path],
    consumer: Path,
    vendored: subprocess.CompletedProcess[str],
    workspace: Path,
) -> None:
    generate, vendored = vendored, consumer / OUT
    total = sum(1 for p in vendored.rglob("*") if p.is_file()) - 1  # the manifest aside
    assert (
        generate.stdout
        == f"cofactr-codegen: 0 changed, {total} added, 0 removed in {OUT} ({total} files)\n"
    )
    client_module = vendored / "acme_cofactr" / "_client.py"
    assert client_module.read_text().splitlines()[:2] == [
        "# Generated by cofactr-codegen from spec/cofactr-platform.yaml, do not edit.",
        f"# Change the spec and regenerate: {REGENERATE}",
    ]
    # The installed package hashes its templates and code as the checkout does.
    manifest = (vendored / ".codegen-manifest.json").read_text()
    assert resources.templates_sha256() in manifest
    assert resources.generator_sha256() in manifest
    # The tool installed from the sdist agrees that the output is what it would make.
    check = _tool(tools["sdist"], "check", cwd=consumer)
    assert check.stdout == f"cofactr-codegen: {OUT} is up to date\n", check

    # pip install ./third_party/cofactr[stub] builds in the tree; check does not mind.
    app = _venv(workspace / "app")
    _install(app, f"./{OUT}[stub]", cwd=consumer)
    assert (vendored / "build").is_dir() and list(vendored.glob("*.egg-info"))
    check = _tool(tools["wheel"], "check", cwd=consumer)
    assert check.stdout == f"cofactr-codegen: {OUT} is up to date\n", check

    stub = StubProcess(
        workspace,
        workspace / "stub.sqlite",
        python=app / "python",
        package="acme_cofactr_stub",
        pythonpath=None,
    )
    try:
        calls = _run(
            [app / "python", "-c", CLIENT.format(url=stub.url, site=app.parent.resolve())],
            cwd=workspace,
            env={"ACME_API_KEY": KEY_A},
        )
    finally:
        stub.stop()
    assert calls.returncode == 0, calls.stderr
    version, agent = calls.stdout.splitlines()
    pyproject = (vendored / "pyproject.toml").read_text()
    assert f'\nversion = "{version}"\n' in pyproject
    assert version == "1.0.0+reconstructed"
    assert re.fullmatch(
        rf"acme_cofactr/{re.escape(version)} \(python [\d.]+; httpx [\d.]+\)", agent
    ), agent

    # A hand edit: check fails, names the file, and says first how to regenerate.
    client_module.write_text(client_module.read_text() + "# hand edit\n")
    check = _tool(tools["wheel"], "check", cwd=consumer)
    assert check.returncode == 1, check.stderr
    lines = check.stdout.splitlines()
    assert lines[0] == (
        f"cofactr-codegen: {OUT} has drifted from spec/cofactr-platform.yaml (1 changed, 0 "
        f"missing, 0 stray); regenerate with: {REGENERATE}"
    )
    assert f"changed: {OUT}/acme_cofactr/_client.py" in lines
    assert "-# hand edit" in lines
    _ok(["git", "checkout", "--", OUT], cwd=consumer)


CLIENT = textwrap.dedent("""\
    import httpx
    import acme_cofactr
    from acme_cofactr import AcmePlatform

    assert acme_cofactr.__file__.startswith("{site}"), acme_cofactr.__file__
    agents = []
    hooks = {{"request": [lambda r: agents.append(r.headers["user-agent"])]}}
    http = httpx.Client(event_hooks=hooks)
    with AcmePlatform(base_url="{url}", http_client=http, max_retries=0) as client:  # ACME_API_KEY
        bom = client.boms.create_bom(name="Main board", version="A")
        assert client.boms.get_bom(bom.id).name == "Main board"
        assert bom.id in {{b.id for b in client.boms.list_boms()}}
    print(acme_cofactr.__version__)
    print(agents[0])
    """)


def test_the_pre_commit_hook_passes_on_a_clean_tree_and_fails_on_a_hand_edit(
    source: Path, consumer: Path, vendored: subprocess.CompletedProcess[str], workspace: Path
) -> None:
    """pre-commit clones the hook's repository (a clone of this project), makes an environment
    for it and installs it there with pip; the tool in it must find its templates.

    pip is told (through the environment pre-commit hands it) to install the project alone,
    offline, without a build environment of its own; the hook then finds the pinned
    dependencies on PYTHONPATH, which holds the development environment's site-packages.
    That directory cannot import `generator` itself (asserted), so the hook runs the copy
    pre-commit installed. Resolving every dependency from the index for each try-repo (it
    makes a new environment each time) would cost over a minute a run."""
    dependencies = sysconfig.get_paths()["purelib"]
    alone = _ok(
        [
            sys.executable,
            "-S",
            "-c",
            f"import importlib.util, sys; sys.path[:] = [{dependencies!r}]; "
            "print(importlib.util.find_spec('generator'))",
        ],
        cwd=workspace,
    )
    assert alone.strip() == "None"
    env = {
        "PRE_COMMIT_HOME": str(workspace / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this one the other way round: no isolation
        "PYTHONPATH": dependencies,
    }
    try_repo: list[str | Path] = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        source,
        "cofactr-codegen-check",
        "--all-files",
    ]
    client_module = consumer / OUT / "acme_cofactr" / "_client.py"
    client_module.write_text(client_module.read_text() + "# hand edit\n")
    failed = _run(try_repo, consumer, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"cofactr-codegen drift check\.+Failed", failed.stdout), failed.stdout
    assert f"regenerate with: {REGENERATE}" in failed.stdout
    assert f"changed: {OUT}/acme_cofactr/_client.py" in failed.stdout
    _ok(["git", "checkout", "--", OUT], cwd=consumer)
    passed = _run(try_repo, consumer, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"cofactr-codegen drift check\.+Passed", passed.stdout), passed.stdout


def test_a_missing_template_is_a_broken_installation(
    tools: dict[str, Path], consumer: Path, workspace: Path
) -> None:
    templates = _ok(
        [
            tools["sdist"] / "python",
            "-c",
            "import importlib.resources as r; print(r.files('generator._templates'))",
        ],
        cwd=workspace,
    )
    template = Path(templates.strip()) / "client" / "resources" / "resource.py.jinja"
    kept = template.read_bytes()
    template.unlink()
    try:
        result = _tool(tools["sdist"], "generate", "--out", "elsewhere", cwd=consumer)
    finally:
        template.write_bytes(kept)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "cofactr-codegen is installed incompletely: client/resources/resource.py.jinja is "
        "missing from its templates ("
    ), result.stderr
    assert "reinstall it" in result.stderr
    assert not (consumer / "elsewhere").exists()
