"""Real survey microdata cannot be committed: the guard over `git ls-files` and the pre-commit hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from analysis.survey_data.guard import tracked_files, violations
from conftest import ROOT


def test_nothing_tracked_by_git_looks_like_real_microdata():
    files = tracked_files()
    assert any(p.name == "client_survey_2018_synthetic.csv" for p in files), "the guard must see the twin"
    assert violations(files) == []


def test_guard_rules(tmp_path):
    def put(rel: str, text: str = "x\n"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    files = [
        put("data/raw/private/brukarenkat_2018.csv"),
        put("data/raw/export.xlsx"),
        put("tests/fixtures/ok.xlsx"),                       # unreadable test fixture: allowed
        put("notes/survey.csv", "Löpnummer;Kommun\nsyn-1;Malå\n1077;Sorsele\n"),
        put("notes/twin.csv", "respondent_id,kommun\nsyn-1,2418\n"),
        put("notes/other.csv", "kommun_kod,population\n2418,3068\n"),
    ]
    assert violations(files, root=tmp_path) == [
        "data/raw/private/brukarenkat_2018.csv: real survey data must stay in data/raw/private/, which git ignores",
        "data/raw/export.xlsx: .xlsx files are allowed in git only as test fixtures under tests/fixtures/",
        "notes/survey.csv, row 3, column 'Löpnummer': a respondent id without the 'syn-' prefix of synthetic "
        "data; real microdata must not be committed",
    ]


def hooked_git(repo, env):
    """``git`` in a new repository at ``repo`` with the pre-commit hook installed (as `make venv` does)."""
    env = {**env, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, env=env, capture_output=True, text=True)  # noqa: E731
    git("init", "-q")
    git("config", "core.hooksPath", ".githooks")
    return git


def test_pre_commit_hook_refuses_a_real_file(tmp_path):
    """In a repository with the hook installed (as `make venv` does), committing real respondent ids fails."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / ".githooks", repo / ".githooks")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    git = hooked_git(repo, os.environ)
    (repo / "brukarenkat.csv").write_text("respondent_id;kommun\n17;Malå\n", encoding="utf-8")
    git("add", "brukarenkat.csv")
    result = git("commit", "-m", "oops")
    assert result.returncode != 0
    assert "brukarenkat.csv, row 2, column 'respondent_id': a respondent id without the 'syn-' prefix" in result.stderr
    (repo / "brukarenkat.csv").write_text("respondent_id;kommun\nsyn-17;Malå\n", encoding="utf-8")
    git("add", "brukarenkat.csv")
    assert git("commit", "-m", "synthetic is fine").returncode == 0


def test_pre_commit_hook_without_the_environment_says_so_in_one_line(tmp_path):
    """Before `make venv` the hook runs the system Python, which may lack pandas: one line, and no commit."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / ".githooks", repo / ".githooks")
    shutil.copytree(ROOT / "analysis", repo / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "config", repo / "config")
    python = tmp_path / "bin" / "python3"  # a Python that finds no third-party package
    python.parent.mkdir()
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{python.parent}:{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    git = hooked_git(repo, env)
    (repo / "notes.txt").write_text("x\n", encoding="utf-8")
    git("add", "notes.txt")
    result = git("commit", "-m", "before make venv")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: the guard against committing real survey data needs the "
                                            "project's environment (no module ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_pre_commit_hook_finds_an_environment_kept_outside_the_project(tmp_path):
    """`make VENV=DIR venv` records DIR's Python in git config (gino.python), where the hook looks first."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / ".githooks", repo / ".githooks")
    shutil.copytree(ROOT / "analysis", repo / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "config", repo / "config")
    python = tmp_path / "bin" / "python3"  # what the hook would run without the recorded one: fails
    python.parent.mkdir()
    python.write_text("#!/bin/sh\necho 'the system python3 was run' >&2\nexit 3\n")
    python.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{python.parent}:{env['PATH']}"
    git = hooked_git(repo, env)
    git("config", "gino.python", sys.executable)  # no .venv in the repository (and none in ROOT under make VENV=DIR)
    (repo / "brukarenkat.csv").write_text("respondent_id;kommun\n17;Malå\n", encoding="utf-8")
    git("add", "brukarenkat.csv")
    result = git("commit", "-m", "oops")
    assert result.returncode != 0
    assert "brukarenkat.csv, row 2, column 'respondent_id': a respondent id without the 'syn-' prefix" in result.stderr
