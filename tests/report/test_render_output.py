"""`gino report` prints one line for the render and Quarto's output only when it fails (then all of it).

Quarto itself is not run here (its renders are tested in test_report_render.py where it is installed):
``subprocess.run`` is replaced by one that writes what a render would print and exits with a given code.
"""

from __future__ import annotations

import subprocess

import pytest

from analysis.core import paths
from analysis.report import render

QUARTO_OUTPUT = "Starting python3 kernel...Done\nERROR: compilation failed\nline 3 of the error\n"


@pytest.fixture
def render_setup(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(render, "prerender", lambda print_line: None)
    monkeypatch.setattr(render, "input_fingerprint", lambda version: "x")
    monkeypatch.setattr(render, "is_current", lambda fingerprint: False)
    monkeypatch.setattr(render, "forget", lambda: None)
    monkeypatch.setattr(render, "record", lambda fingerprint: None)
    monkeypatch.setattr(render, "quarto_version", lambda quarto: "1.6.43")
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/quarto")

    def run_with(returncode):
        def fake_run(args, cwd=None, env=None, stdout=None, stderr=None, check=False):
            if stdout is not None:
                stdout.write(QUARTO_OUTPUT)
            if check and returncode:
                raise subprocess.CalledProcessError(returncode, args)
            return subprocess.CompletedProcess(args, returncode)
        monkeypatch.setattr(render.subprocess, "run", fake_run)
    return run_with


def test_a_render_that_succeeds_prints_two_lines_and_keeps_quartos_output(render_setup, tmp_path):
    render_setup(0)
    lines = []
    render.render_report(lines.append)
    assert len(lines) == 2
    assert lines[0] == "report: rendering with Quarto 1.6.43 (its output: .quarto/gino-render.log)"
    assert lines[1].startswith("report: rendered _site/reports/index.html")
    assert (tmp_path / ".quarto" / "gino-render.log").read_text(encoding="utf-8") == QUARTO_OUTPUT


def test_a_render_that_fails_prints_quartos_output_in_full_and_fails(render_setup):
    render_setup(1)
    lines = []
    with pytest.raises(subprocess.CalledProcessError):
        render.render_report(lines.append)
    assert lines[-1] == QUARTO_OUTPUT.rstrip()
    assert not any(line.startswith("report: rendered") for line in lines)
