"""Two faults that once broke later builds (the chain of killed builds is in test_faults.py, whose helpers these use):
a build killed while doit rewrites its state file (the state is discarded and every step reruns), and a killed
build whose rewritten outputs were never recorded followed by reverting the inputs (an unfinished build forces
every step to rerun). Each starts from a copy of the session's build with the committed configuration ("old")."""

from __future__ import annotations

import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import clone_built, gino
from test_faults import SURVEY_FILE, change_inputs, cli, copy_config, injected, listing, run_until


@dataclass
class Old:
    root: Path
    work: Path
    config: Path
    outputs: dict[str, bytes]  # processed/ as the old build left it


@pytest.fixture
def old(built, tmp_path) -> Old:
    """The old build in work/ (its data and configuration), and an untouched copy of both in pristine/."""
    config = copy_config(tmp_path / "work" / "config")
    work = clone_built(built, tmp_path / "work" / "data", config=config)
    visible, hidden = listing(work)
    assert not hidden
    shutil.copytree(tmp_path / "work", tmp_path / "pristine", symlinks=True)
    return Old(tmp_path, work, config, visible)


def test_sigkill_while_the_build_state_is_saved(old):
    code, log = run_until(injected("state-dump", ""), old.work, old.config, None)
    if code != -signal.SIGKILL or (old.work / ".state" / "doit.json").read_bytes() != b"":
        pytest.fail("the fault did not land while the state was saved:\n" + "\n".join(log))
    result = gino("build", data_dir=old.work, extra_env={"GINO_CONFIG_DIR": str(old.config)}, check=False)
    assert result.returncode == 0, result.stderr[-400:]
    assert listing(old.work)[0] == old.outputs


def test_reverting_the_inputs_after_a_killed_build(old):
    change_inputs(old.work, old.config)
    code, log = run_until(cli(), old.work, old.config, ("done", "municipalities"))
    if code != -signal.SIGKILL:
        pytest.fail("the build ended before 'done municipalities':\n" + "\n".join(log))
    for path in (old.root / "pristine" / "config").iterdir():  # back to the old inputs
        shutil.copy2(path, old.config / path.name)
    shutil.copy2(old.root / "pristine" / "data" / SURVEY_FILE, old.work / SURVEY_FILE)
    result = gino("build", data_dir=old.work, extra_env={"GINO_CONFIG_DIR": str(old.config)}, check=False)
    if result.returncode != 0:
        pytest.fail(f"the build after the revert failed:\n{result.stdout}\n{result.stderr}")
    visible, _ = listing(old.work)
    stale = sorted(n for n in visible if visible[n] != old.outputs[n])
    assert not stale, f"outputs that do not match the reverted inputs after a build called them current: {stale}"
