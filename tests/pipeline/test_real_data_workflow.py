"""The real-data workflow (``source: real``): published GINO figures that real exports do not reproduce are
information shown by ``gino check`` and in the report, not a stop; the synthetic twin must reproduce them all.
A missing configured export is one line naming every missing file."""

from __future__ import annotations

import re

import shutil

import pandas as pd
import pytest

from analysis.core.errors import GinoError
from analysis.steps import surveys as survey_step
from conftest import CONFIG, DATA, clone_built, copy_committed_data, gino

SYNTHETIC = DATA / "raw" / "synthetic"
REAL = {"innovation_climate_2017": "private/innovation_2017.csv", "client_survey_2018": "private/client_2018.csv",
        "client_survey_2019": "private/client_2019.csv"}


def real_config(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    (config / "surveys.yaml").write_text(
        "source: real\nreal:\n" + "".join(f"  {d}: {f}\n" for d, f in REAL.items()), encoding="utf-8")
    return config


def test_real_exports_that_differ_from_the_report_are_information_not_a_stop(built, tmp_path):
    config = real_config(tmp_path)
    data = clone_built(built, tmp_path / "data", config=config)  # only what the real exports change is rebuilt
    private = data / "raw" / "private"
    private.mkdir()
    for dataset, relative in REAL.items():
        frame = pd.read_csv(SYNTHETIC / f"{dataset}_synthetic.csv", dtype=str, keep_default_na=False)
        if dataset == "innovation_climate_2017":
            frame = frame.iloc[:-10]  # another round: ten fewer respondents, so the published counts differ
        frame.to_csv(data / "raw" / relative, index=False)
    env = {"GINO_CONFIG_DIR": str(config)}
    proc = gino("check", data_dir=data, extra_env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    survey_lines = [line for line in proc.stdout.splitlines() if "published in the GINO report" in line
                    and "survey figures" in line]
    assert len(survey_lines) == 1 and "on the REAL survey exports" in survey_lines[0]
    reproduced, total = map(int, re.search(r"(\d+) of (\d+) published", survey_lines[0]).groups())
    differ = int(re.search(r"; (\d+) differ", survey_lines[0]).group(1))
    conflicts = re.search(r"; (\d+) conflict with Kolada", survey_lines[0])
    assert reproduced + differ + (int(conflicts.group(1)) if conflicts else 0) == total  # one consistent account
    assert 0 < differ < total
    assert proc.stdout.strip().splitlines()[-1].startswith("check: passed")
    assert "Traceback" not in proc.stderr
    # The account agrees with the data it summarises (issue 23: not "43 of 61 differ" then "60 of 61 reproduced").
    comparison = pd.read_csv(data / "processed" / "published_survey_figures_comparison.csv", dtype=str)
    assert reproduced == int(comparison["passed"].eq("True").sum()) and total == len(comparison)
    kolada = pd.read_csv(data / "processed" / "kolada_survey_comparison.csv", dtype=str)
    agree = int(kolada["passed"].str.lower().eq("true").sum())
    assert sum(f"Kolada: {agree} of {len(kolada)} municipality values" in line for line in proc.stdout.splitlines()) == 1


def test_every_missing_configured_export_is_named_in_one_line(tmp_path, monkeypatch):
    data = copy_committed_data(tmp_path / "data")
    (data / "raw" / "private").mkdir()
    shutil.copy(SYNTHETIC / "client_survey_2018_synthetic.csv", data / "raw" / REAL["client_survey_2018"])
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    monkeypatch.setenv("GINO_CONFIG_DIR", str(real_config(tmp_path)))
    with pytest.raises(GinoError) as info:
        survey_step.run()
    message = str(info.value)
    assert "\n" not in message
    assert "2 of 3 are missing" in message
    assert "innovation_2017.csv" in message and "client_2019.csv" in message and "client_2018.csv" not in message
    assert not list((data / "processed").glob("*.parquet"))


def test_real_source_without_files_names_every_data_set(tmp_path, monkeypatch):
    from analysis.core.settings import load_survey_settings

    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    (config / "surveys.yaml").write_text("source: real\n", encoding="utf-8")
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    with pytest.raises(GinoError) as info:
        load_survey_settings()
    assert [line.split("key ")[1].split(":")[0] for line in info.value.problems] == [
        "'real.innovation_climate_2017'", "'real.client_survey_2018'", "'real.client_survey_2019'"]
