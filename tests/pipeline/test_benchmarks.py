"""The benchmarks (benchmarks/run.py, Ran in benchmarks/common.py) read the steps that ran and the workflow's own time from `gino build`'s output:
its reading must match what the CLI prints now, for a no-op build and for one that reruns steps."""

from __future__ import annotations

import sys

import pytest

from analysis.workflow import STEPS
from conftest import ROOT, clone_built, gino

sys.path.insert(0, str(ROOT / "benchmarks"))
from common import Ran  # noqa: E402


def test_benchmark_reads_the_build_output(built, tmp_path):
    config = tmp_path / "config"
    data = clone_built(built, tmp_path / "data", config=config)
    env = {"GINO_CONFIG_DIR": str(config)}

    # The copy is as current as the session's build; a changed published figure reruns one step, then nothing is left to do.
    published = data / "raw" / "published" / "region_facts.csv"
    published.write_text(published.read_text(encoding="utf-8").replace(",41955,", ",40000,"), encoding="utf-8")
    ran = Ran(0.0, gino("build", data_dir=data, extra_env=env).stdout, "")
    assert ran.steps == ["region_facts"] and set(ran.steps) <= set(STEPS), ran.stdout
    assert 0 < ran.workflow < 600, ran.stdout
    noop = Ran(0.0, gino("build", data_dir=data, extra_env=env).stdout, "")
    assert noop.steps == [] and 0 <= noop.workflow < 60, noop.stdout

    with pytest.raises(RuntimeError, match="gino build"):
        Ran(0.0, "some other output\n", "").workflow
