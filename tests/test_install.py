"""The installed path (issue 20): wheel and sdist build, and a newcomer's session outside the repo.

The wheel and the sdist are built offline from this checkout (no build isolation: the test
extra pins a setuptools that builds them), the wheel is installed into a fresh virtual
environment, and in a temporary folder outside the repository the installed command writes a
project (``init --with-sample-data``), validates the quarterly pack from a subfolder, and runs a
one-job pack into the project's history store. The new environment takes its dependencies from
this environment's site-packages (a ``.pth`` line, so nothing is downloaded) but not this
checkout's editable install: ``cio_analytics`` comes from the wheel, checked below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120):
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
         str(out), str(REPO)],
        cwd=REPO,
    )  # fmt: skip
    _run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta as b; b.build_sdist({str(out)!r})",
        ],
        cwd=REPO,
    )
    return out


def _shipped_files() -> set[str]:
    names = {f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb")}
    names |= {f"notebooks/packs/{p.name}" for p in (REPO / "notebooks" / "packs").glob("*.yaml")}
    sample = REPO / "data" / "sample"
    names |= {
        f"data/sample/{p.relative_to(sample).as_posix()}"
        for p in sample.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".yaml", ".xlsx", ".md")  # data, not scripts
    }
    return names


def test_wheel_and_sdist_carry_the_notebooks_packs_and_sample_data(dist, tmp_path):
    """Every shipped file is in the wheel (under cio_analytics/_shipped/) and in the sdist; a
    wheel built from the sdist holds the same files as the one built from the checkout."""
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as zf:
        in_wheel = {n.removeprefix("cio_analytics/_shipped/") for n in zf.namelist()}
        wheel_files = {n for n in zf.namelist() if ".dist-info/" not in n}
    assert _shipped_files() <= in_wheel
    with tarfile.open(sdist) as tf:
        top = tf.getnames()[0].split("/")[0]
        in_sdist = {n.removeprefix(f"{top}/") for n in tf.getnames()}
        tf.extractall(tmp_path, filter="data")
    assert _shipped_files() <= in_sdist
    assert {"setup.py", "MANIFEST.in", "pyproject.toml"} <= in_sdist
    rebuilt = tmp_path / "rebuilt"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
         str(rebuilt), str(tmp_path / top)],
        cwd=tmp_path,
    )  # fmt: skip
    (wheel2,) = rebuilt.glob("*.whl")
    with zipfile.ZipFile(wheel2) as zf:
        assert {n for n in zf.namelist() if ".dist-info/" not in n} == wheel_files


def test_a_newcomer_installs_inits_validates_and_runs_outside_the_repository(dist, tmp_path):
    venv = tmp_path / "venv"
    _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        tmp_path,
    )
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
        .stdout.strip()
    )  # fmt: skip
    # the dependencies come from this environment (no download); its .pth files, among them
    # the editable install of this checkout, are not read from a plain path line
    (site / "_cio_analytics_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = dist.glob("*.whl")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip
    where = _run(
        [str(python), "-c", "import cio_analytics; print(cio_analytics.__file__)"], tmp_path
    )
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CIO_ANALYTICS_HOME"}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # nbconvert's templates are data files of this environment (share/jupyter): a real install
    # puts them in the new environment, the .pth line above does not
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    cmd = str(venv / "bin" / "cio-analytics")

    outside = subprocess.run([cmd, "list"], cwd=home, env=env, capture_output=True, text=True)
    assert outside.returncode == 2 and "no cio-analytics project" in outside.stderr

    init = _run([cmd, "init", "proj", "--with-sample-data"], cwd=home, env=env)
    assert "Next: cd proj && cio-analytics run quarterly" in init.stdout
    proj = home / "proj"
    assert (proj / "data" / "ticket_history.csv").is_file()

    validate = _run([cmd, "validate", "quarterly"], cwd=proj / "notebooks", env=env)
    assert "11 job(s), all parameters valid" in validate.stdout

    upgrade = _run([cmd, "upgrade-notebooks"], cwd=proj, env=env)
    assert "Dry run: 0 notebook(s) would be written" in upgrade.stdout

    (proj / "packs" / "one.yaml").write_text(
        "name: one\ntitle: One report\njobs:\n  - notebook: notebooks/project_delivery.ipynb\n",
        encoding="utf-8",
    )
    run = _run(
        [cmd, "run", "one", "--period", "2026Q4", "--jobs", "1"],
        cwd=proj / "data",
        env=env,
        timeout=240,
    )
    assert "1 ok" in run.stdout, run.stdout
    index = proj / "reports" / "2026Q4" / "index.html"
    assert index.is_file() and "project-delivery" in index.read_text(encoding="utf-8")


def test_an_editable_install_finds_the_shipped_copies_in_the_checkout(tmp_path):
    """``pip install -e .`` copies nothing: the checkout's notebooks/ and data/sample/ are the
    shipped ones, found by the same call."""
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path
    ).stdout.strip()
    (Path(site) / "_cio_analytics_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--no-build-isolation", "-q", "-e", str(REPO)],
        cwd=tmp_path,
    )  # fmt: skip
    code = "import cio_analytics.project as p; print(p.__file__); print(p.shipped_root())"
    out = _run([str(python), "-c", code], tmp_path).stdout.splitlines()
    assert Path(out[0]).is_relative_to(REPO) and Path(out[1]) == REPO
