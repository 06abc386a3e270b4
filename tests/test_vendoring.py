"""Vendoring: a renamed package imports from any directory, and the generated tree builds into
a wheel that installs and works in a fresh virtual environment."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import tomllib
import venv
from pathlib import Path

import pytest

from generator import pipeline

from .conftest import FIXTURES, ROOT

SMOKE = textwrap.dedent("""
    import httpx, json
    import acme_cofactr
    from acme_cofactr import AcmeClient, models
    seen = []
    def handler(request):
        seen.append(request)
        pet_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        return httpx.Response(201, json={"id": pet_id, "name": "rex"})
    transport = httpx.MockTransport(handler)
    client = AcmeClient(api_key="k", http_client=httpx.Client(transport=transport))
    pet = client.pets.create_pet(name="rex")
    assert isinstance(pet, models.Pet) and pet.name == "rex", pet
    assert json.loads(seen[0].content) == {"name": "rex"}
    agent = seen[0].headers["user-agent"]
    assert agent.startswith(f"acme_cofactr/{acme_cofactr.__version__} (python "), agent
    assert acme_cofactr.__file__.startswith(EXPECTED), acme_cofactr.__file__
    print("ok")
    """)


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("consumer") / "third_party" / "cofactr"
    pipeline.generate(FIXTURES / "specs" / "mini.yaml", out, package_name="acme_cofactr")
    return out


def test_renamed_packages_never_mention_the_default_name(vendored: Path) -> None:
    assert sorted(p.name for p in vendored.iterdir() if p.is_dir()) == [
        "acme_cofactr",
        "acme_cofactr_stub",
    ]
    for path in vendored.rglob("*.py"):
        assert "cofactr_platform" not in path.read_text(), path


def test_the_generated_pyproject_lists_every_package_and_the_packages_own_version(
    vendored: Path,
) -> None:
    """`pip install ./generated[stub]` installs every package of the tree, the runtimes
    included, under the version the client's `__version__` and User-Agent carry."""
    project = tomllib.loads((vendored / "pyproject.toml").read_text())
    packages = sorted(
        p.parent.relative_to(vendored).as_posix().replace("/", ".")
        for p in vendored.rglob("__init__.py")
    )
    assert project["tool"]["setuptools"]["packages"] == packages
    assert "acme_cofactr_stub._runtime" in packages
    version = ast.literal_eval(
        (vendored / "acme_cofactr" / "_version.py").read_text().split("__version__ = ", 1)[1]
    )
    assert project["project"]["version"] == version == "1.0"


@pytest.mark.parametrize(
    ("info_version", "package_version"),
    [
        ("1.0", "1.0"),
        ("v2.0", "2.0"),
        ("1.0-RC1", "1.0rc1"),
        ("1.0.0-reconstructed", "1.0.0+reconstructed"),
        ("2024-01-15", "2024+1.15"),
        ('2.0 "beta"', "2.0+beta"),
        ("beta", "0.0.0+beta"),
        ("", "0.0.0"),
    ],
)
def test_the_package_version_is_the_specs_in_pep_440_form(
    info_version: str, package_version: str
) -> None:
    from packaging.version import Version

    from generator.render import package_version as made

    assert made(info_version) == package_version
    assert str(Version(package_version)) == package_version


def test_vendored_copy_imports_and_works_from_its_directory(vendored: Path) -> None:
    script = f"EXPECTED = {str(vendored)!r}\n" + SMOKE
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=vendored, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv(vendored: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(dist),
            str(vendored),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = sorted(dist.glob("acme_cofactr-*.whl"))
    assert len(wheels) == 1, list(dist.iterdir())
    env_dir = tmp_path / "fresh"
    # Without pip of its own (ensurepip takes ~8 s of CPU): this venv's pip installs into it.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "requirements.lock"),
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    run = subprocess.run(
        [str(python), "-c", f"EXPECTED = {site!r}\n" + SMOKE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    typed = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.resources as r; "
            "print(r.files('acme_cofactr').joinpath('py.typed').is_file())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert typed.stdout.strip() == "True"
