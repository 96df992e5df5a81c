"""The benchmarks (benchmarks/run.py, Ran in benchmarks/common.py) read the steps that ran and the workflow's own time from `gino build`'s output:
its reading must match what the CLI prints now, for a no-op build and for one that reruns steps."""

from __future__ import annotations

import shutil
import sys

import pytest

from analysis.workflow import STEPS
from conftest import CONFIG, ROOT, gino

sys.path.insert(0, str(ROOT / "benchmarks"))
from common import Ran  # noqa: E402


def test_benchmark_reads_the_build_output(built, tmp_path):
    data, config = tmp_path / "data", tmp_path / "config"
    shutil.copytree(built, data, symlinks=True)
    shutil.copytree(CONFIG, config)
    env = {"GINO_CONFIG_DIR": str(config)}

    # The copy's state names other paths, so its first build reruns steps; the second has nothing to do.
    ran = Ran(0.0, gino("build", data_dir=data, extra_env=env).stdout, "")
    assert ran.steps and set(ran.steps) <= set(STEPS), ran.stdout
    assert 0 < ran.workflow < 600, ran.stdout
    noop = Ran(0.0, gino("build", data_dir=data, extra_env=env).stdout, "")
    assert noop.steps == [] and 0 <= noop.workflow < 60, noop.stdout

    with pytest.raises(RuntimeError, match="gino build"):
        Ran(0.0, "some other output\n", "").workflow
