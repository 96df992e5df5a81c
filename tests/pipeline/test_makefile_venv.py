"""The environment's place is a Makefile variable: `make VENV=DIR ...`, or GINO_VENV in the environment (which
Quarto's pre-render `make prerender` inherits). Outside the project, Quarto has fewer files to walk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a make that started the suite (`make VENV=DIR test`) would pass down, and the settings themselves.
MAKE_SETTINGS = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VENV", "GINO_VENV")


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in MAKE_SETTINGS}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, **(env or {})})


def dry_run(target: str, *args: str, env: dict | None = None) -> str:
    done = make("-n", target, *args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_environment_can_live_outside_the_project(tmp_path):
    venv = tmp_path / "gino-venv"
    assert f"{venv}/bin/python -m analysis report" in dry_run("report", f"VENV={venv}")
    # plain `quarto render` runs `make prerender` (not dry-run here: its recipe calls make, which -n runs):
    # GINO_VENV exported in the shell reaches every target the same way
    assert f"{venv}/bin/python -m analysis fetch" in dry_run("fetch", env={"GINO_VENV": str(venv)})
    # a VENV exported for some other project is not ours
    assert "\n.venv/bin/python -m analysis fetch" in "\n" + dry_run("fetch", env={"VENV": str(venv)})
    # a "~/" the shell left unexpanded (zsh's VENV=~/x, or a quoted one) means the home directory
    assert f"{Path.home()}/venvs/gino/bin/python -m analysis fetch" in dry_run("fetch", "VENV=~/venvs/gino")


def test_an_environment_path_make_cannot_handle_is_refused_in_one_line(tmp_path):
    for bad in (f"{tmp_path}/my env", ""):
        done = make("-n", "fetch", f"VENV={bad}")
        assert done.returncode != 0
        [line] = done.stderr.strip().splitlines()
        assert line.endswith(f"*** VENV (or GINO_VENV) must be one directory without spaces, not '{bad}'.  Stop.")


def test_make_venv_never_replaces_a_directory_that_is_not_an_environment(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine", encoding="utf-8")
    done = make("venv", f"VENV={precious}")
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (
        f"error: VENV={precious} exists and is not a Python environment (no pyvenv.cfg), so 'make venv' will not "
        "replace it; choose a new or an environment's directory")
    assert sorted(p.name for p in precious.iterdir()) == ["keep.txt"]
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_copy_can_hold_the_environment_as_a_users_directory_does(tmp_path):
    """benchmarks/report.py times a copy whose .venv is a real directory tree (Quarto walks those, not links)."""
    from analysis.core.paths import copy_repository

    root = copy_repository(tmp_path / "repo", venv="tree")
    venv = root / ".venv"
    assert venv.is_dir() and not venv.is_symlink() and not (venv / "lib").is_symlink()
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import sys, pandas; print(sys.prefix)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(venv)
    assert not (copy_repository(tmp_path / "bare", venv="none") / ".venv").exists()


def test_an_environment_installed_for_another_clone_is_refused_in_one_line(tmp_path):
    """A copy of the repository holding the repository's environment (its editable install points here) is
    another clone sharing one environment: its kernels would run this repository's code."""
    from analysis.core.paths import copy_repository

    clone = copy_repository(tmp_path / "it's $HOME, a clone", venv="tree")  # no path is quoted into a command
    settled = {key: value for key, value in os.environ.items() if key not in (*MAKE_SETTINGS, "PYTHONPATH")}
    refusal = (f"error: the environment .venv was installed for the clone in {ROOT} (its editable install of "
               f"analysis points there), not for this one ({clone}), so the notebooks' and Quarto's kernels would "
               "run that clone's code: give each clone its own environment (make VENV=DIR ..., or GINO_VENV=DIR), "
               "or reinstall this one for this clone: rm .venv/.installed && make venv "
               '(docs/report.md, "One environment per clone")')

    def make_venv(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", "venv"], cwd=clone, capture_output=True, text=True,
                              env={**settled, **env}, timeout=120)

    # an empty PYTHONPATH entry puts the working directory first: the clone's root for make, notebooks/ for a kernel
    for python_path in (None, ":/nowhere", "."):
        done = make_venv(**({"PYTHONPATH": python_path} if python_path else {}))
        assert done.returncode != 0, python_path
        assert done.stderr.splitlines()[0] == refusal, python_path
    config = subprocess.run(["git", "config", "--get-regexp", "core.hookspath|gino.python"], cwd=clone,
                            capture_output=True, text=True).stdout
    assert config == "core.hookspath .githooks\n"  # the guard installed all the same; the Python not recorded
    # a newer pyproject.toml makes the environment out of date: still not replaced for this clone
    (clone / "pyproject.toml").write_text((clone / "pyproject.toml").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    done = make_venv()
    assert done.returncode != 0 and done.stderr.splitlines()[0] == refusal
    assert "-m venv" not in done.stdout and (clone / ".venv" / "pyvenv.cfg").is_file()
    # PYTHONPATH naming the clone (the tests' and benchmarks' copies) makes its kernels import its code
    (clone / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(clone / "pyproject.toml", ns=((ROOT / "pyproject.toml").stat().st_atime_ns,
                                         (ROOT / "pyproject.toml").stat().st_mtime_ns))
    again = make_venv(PYTHONPATH=str(clone))
    assert again.returncode == 0, again.stderr
    recorded = subprocess.run(["git", "config", "gino.python"], cwd=clone, capture_output=True, text=True).stdout
    assert recorded == f"{clone}/.venv/bin/python\n"
    # a Python that no longer runs (the Python it was made with upgraded away): one line, not the shell's 'not found'
    (clone / ".venv" / "bin" / "python.new").symlink_to(tmp_path / "gone" / "python3.11")
    (clone / ".venv" / "bin" / "python.new").replace(clone / ".venv" / "bin" / "python")  # never write a link in place
    done = make_venv(PYTHONPATH=str(clone))
    assert done.returncode != 0 and done.stderr.splitlines()[0] == (
        "error: the environment .venv has no Python that runs (.venv/bin/python; an upgrade of the Python it was "
        "made with does that): rm .venv/.installed && make venv")


def test_each_way_an_environment_can_miss_this_clone_has_its_own_line(monkeypatch, tmp_path):
    import runpy

    tool = runpy.run_path(str(ROOT / "tools" / "environment_owner.py"))
    problem, clone = tool["problem"], tool["CLONE"]
    assert clone == ROOT and problem(ROOT / "analysis", ".venv") is None
    assert problem(None, "/srv/gino") == (
        "error: the environment /srv/gino cannot import analysis (its editable install points at a clone that was "
        f"moved or deleted, or there is none): reinstall it for this clone ({ROOT}): rm /srv/gino/.installed && "
        "make VENV=/srv/gino venv")
    site = tmp_path / "lib" / "site-packages"
    assert problem(site / "analysis", ".venv") == (
        f"error: the environment .venv holds a copy of analysis installed without -e ({site / 'analysis'}), not "
        f"this clone's code ({ROOT}): reinstall it for this clone: rm .venv/.installed && make venv")
    monkeypatch.setenv("PYTHONPATH", f"/elsewhere:{tmp_path}")
    assert problem(tmp_path / "analysis", ".venv") == (
        f"error: PYTHONPATH (entry {str(tmp_path)!r}) makes Python import analysis from {tmp_path}, not from this "
        f"clone ({ROOT}), so the notebooks' kernels would run that code: unset PYTHONPATH, or put {ROOT} first")


def test_this_repositorys_environment_passes_the_check_as_a_kernel_would_run_it():
    settled = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-P", "../tools/environment_owner.py", ".venv"],
                          cwd=ROOT / "notebooks", capture_output=True, text=True, env=settled)
    assert (done.returncode, done.stderr) == (0, "")
