"""The command line as a user meets it: one line per problem, non-zero exit, nothing half-written."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import clone_built, copy_committed_data, gino


def test_module_and_console_script_expose_the_commands(tmp_path):
    out = gino("--help", data_dir=tmp_path).stdout
    for command in ("fetch", "fetch-scb", "build", "check", "report"):
        assert command in out
    assert (Path(sys.executable).parent / "gino").exists()


def test_fetch_without_mirror_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("GINO_MIRROR", raising=False)
    proc = gino("fetch", data_dir=copy_committed_data(tmp_path / "data"), check=False)
    assert proc.returncode == 1
    assert proc.stderr == "error: no mirror given: use --mirror DIR or set GINO_MIRROR (for example ../shared/data)\n"


def test_build_before_fetch_says_what_to_do(tmp_path):
    proc = gino("build", data_dir=copy_committed_data(tmp_path / "data"), check=False)
    assert proc.returncode == 1
    assert "is missing; run 'gino fetch --mirror DIR' first" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


def replace_snapshot(data: Path, relative: str, text: str) -> Path:
    """Swap a raw snapshot for new content together with its catalog entry, as a researcher would."""
    path = data / "raw" / relative
    path.write_text(text, encoding="utf-8")
    meta_path = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.yaml")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["size"] = path.stat().st_size
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bad_snapshot_fails_the_build_and_keeps_old_outputs(built, tmp_path, mirror):
    data = clone_built(built, tmp_path / "data")  # fetched and built, as current as the session's build
    before = {p.name: p.read_bytes() for p in (data / "processed").iterdir()}

    relative = "scb/folkmangd_kommun_alder_kon_2019-12-31.csv"
    lines = (mirror / relative).read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",abc"      # file row 4
    lines[10] = lines[10].replace(",kvinnor,", ",okänd,")  # file row 11
    replace_snapshot(data, relative, "\n".join(lines) + "\n")

    proc = gino("build", data_dir=data, check=False)
    assert proc.returncode == 1
    errors = proc.stderr.splitlines()
    assert errors == [
        f"error: {data}/raw/{relative}, row 4, column 'folkmangd_2019_12_31': value 'abc'; expected an integer >= 0",
        f"error: {data}/raw/{relative}, row 11, column 'kon': value 'okänd'; expected one of 'kvinnor', 'män'",
    ]
    assert {p.name: p.read_bytes() for p in (data / "processed").iterdir()} == before


def test_check_detects_a_tampered_snapshot(tmp_path, mirror):
    data = copy_committed_data(tmp_path / "data")
    gino("fetch", "--mirror", str(mirror), data_dir=data)
    raw = data / "raw" / "scb" / "markanvandning_kommun_2015_hektar.csv"
    raw.write_text(raw.read_text(encoding="utf-8").replace("2425,", "2426,", 1), encoding="utf-8")
    proc = gino("check", data_dir=data, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {raw}: checksum mismatch for snapshot 'land_use_2015'")
    assert proc.stderr.count("\n") == 1


def test_check_prints_one_line_per_stage_and_the_tables_on_request(built):
    proc = gino("check", data_dir=built)
    lines = proc.stdout.strip().splitlines()
    assert [line.split(":")[0].strip() for line in lines] == [
        "raw snapshots", "region facts", "survey figures", "Kolada", "check"]
    assert "region facts: 12 of 12 published in the GINO report reproduced" in proc.stdout
    assert "study_area_km2" not in proc.stdout
    details = gino("check", "--details", data_dir=built, extra_env={"COLUMNS": "60"}).stdout
    assert "study_area_km2" in details and "41955.95" in details and "39653" in details
    assert "…" not in details  # nothing cut, however narrow the terminal
    source_cell = "Innovationsenkät för att mäta klimatet"
    assert any(source_cell in line and len(line) > 60 for line in details.splitlines())


def test_report_without_quarto_stops_after_the_pipeline(reported):
    """In a copy of the repository (the executed notebooks go to its reports/notebooks/), without Quarto: the
    session's run (``reported`` in conftest.py, whose executed notebooks test_notebooks.py checks), then a second."""
    if shutil.which("quarto"):
        return  # with Quarto on PATH the render tests cover `report`
    root, env, stdout = reported["root"], reported["env"], reported["stdout"]
    assert reported["command"] == "report"
    lines = stdout.strip().splitlines()
    assert lines[-1].startswith("report: pipeline done and notebooks executed into reports/notebooks/; "
                                "Quarto is not installed")
    assert sum(line.strip().startswith("executed") for line in lines) == len(list((root / "notebooks").glob("*.ipynb")))
    assert any(line.startswith("report: documents checked") for line in lines)
    assert "quarto.org" in stdout
    assert sorted(p.name for p in (root / "reports" / "notebooks").glob("*.ipynb")) == \
        sorted(p.name for p in (root / "notebooks").glob("*.ipynb"))
    again = subprocess.run([sys.executable, "-m", "analysis", "report"], cwd=root, env=env, capture_output=True,
                           text=True).stdout
    assert not any(line.strip().startswith("executed") for line in again.splitlines())
    count = len(list((root / "notebooks").glob("*.ipynb")))
    assert [line.strip() for line in again.splitlines() if line.strip().startswith("kept")] == \
        [f"kept        all {count} executed notebooks (still current)"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True).stdout
    assert status == "", status
