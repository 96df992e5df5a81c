"""Issue 23, point 1: every export format of every survey builds with ``source: real``, as the survey step
applies the codebooks (municipalities of the configured regions). SPSS files carry what SPSS exports
usually carry: value labels for every municipality of Region 10 (Arvidsjaur and Arjeplog too, though no
respondent of 2017 or 2018 has them) and for codes of a wider scale nobody used; those are accepted with one
information line, while a code that a respondent has must be known to the codebook."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from analysis.core.errors import ManyInputErrors
from analysis.steps import surveys as survey_step
from analysis.survey_data.codebooks import DATASETS, load_codebook
from conftest import CONFIG, copy_committed_data
from test_survey_loading import as_labels, synthetic_csv

REGION10 = {"2417": "Norsjö", "2418": "Malå", "2421": "Storuman", "2422": "Sorsele", "2425": "Dorotea",
            "2462": "Vilhelmina", "2463": "Åsele", "2481": "Lycksele", "2505": "Arvidsjaur", "2506": "Arjeplog"}


def codes(dataset: str) -> pd.DataFrame:
    return pd.read_csv(synthetic_csv(dataset), dtype=str, keep_default_na=False)


def csv_codes(dataset, path):
    shutil.copy(synthetic_csv(dataset), path)


def csv_labels_excel(dataset, path):  # Excel in Sweden: semicolons, Windows-1252, labels, Swedish headers
    path.write_bytes(as_labels(dataset).to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252"))


def csv_bom_decimal_comma(dataset, path):  # codes shown as 3,0
    df = codes(dataset)
    for v in load_codebook(dataset).variables:
        if v.kind == "categorical":
            df[v.name] = df[v.name].map(lambda c: f"{c},0" if c else c)
    path.write_bytes(df.to_csv(sep=";", index=False).encode("utf-8-sig"))


def xlsx_labels(dataset, path):
    df = as_labels(dataset)
    book = openpyxl.Workbook()
    book.active.append(list(df.columns))
    for row in df.itertuples(index=False):
        book.active.append([None if v == "" else v for v in row])
    book.save(path)


def sav_region_labels(dataset, path):
    """SPSS with labels on every scale, every Region 10 municipality, and an unused code 98 'Vill ej svara'."""
    codebook = load_codebook(dataset)
    df = pd.read_csv(synthetic_csv(dataset), dtype={"respondent_id": str})
    labels = {}
    for v in codebook.variables:
        if v.scale is None or v.name not in df:
            continue
        if v.kind == "municipality":
            labels[v.name] = {float(code): name for code, name in REGION10.items()}
        else:
            labels[v.name] = {float(c): label for c, label in v.scale.all_labels.items()}
            if v.kind == "categorical":
                labels[v.name][98.0] = "Vill ej svara"
    pyreadstat.write_sav(df, str(path), variable_value_labels=labels)


FORMATS = {"csv": csv_codes, "csv-excel": csv_labels_excel, "csv-bom": csv_bom_decimal_comma, "xlsx": xlsx_labels,
           "sav": sav_region_labels}


def real_step(tmp_path, monkeypatch, write) -> dict[str, str]:
    data = copy_committed_data(tmp_path / "data")
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    private = data / "raw" / "private"
    private.mkdir()
    suffix = {csv_codes: "csv", csv_labels_excel: "csv", csv_bom_decimal_comma: "csv", xlsx_labels: "xlsx",
              sav_region_labels: "sav"}[write]
    files = {d: f"private/{d}.{suffix}" for d in DATASETS}
    for dataset, relative in files.items():
        write(dataset, data / "raw" / relative)
    (config / "surveys.yaml").write_text("source: real\nreal:\n" + "".join(f"  {d}: {f}\n" for d, f in files.items()),
                                         encoding="utf-8")
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    return data


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_of_every_survey_builds_with_source_real(tmp_path, monkeypatch, capsys, name):
    data = real_step(tmp_path, monkeypatch, FORMATS[name])
    survey_step.run()
    for dataset in DATASETS:
        built = pd.read_parquet(data / "processed" / f"{dataset}.parquet").drop(columns="data_source")
        from analysis.survey_data.loading import load_survey

        expected = load_survey(synthetic_csv(dataset), load_codebook(dataset))
        pd.testing.assert_frame_equal(built, expected, check_dtype=False)
    notes = [line for line in capsys.readouterr().err.splitlines() if line.strip().startswith("note")]
    if name == "sav":  # one line per file at most, naming the codes nobody has that the codebook lacks
        assert len(notes) == 3, notes
        assert "2505 'Arvidsjaur'" in notes[0] and "2506 'Arjeplog'" in notes[0] and "98 'Vill ej svara'" in notes[0]
        assert "2505" not in notes[2], "2019 covers Region 10: Arvidsjaur is the codebook's there"
    else:
        assert notes == []


def test_a_labelled_code_that_a_respondent_has_must_be_known(tmp_path, monkeypatch):
    data = real_step(tmp_path, monkeypatch, sav_region_labels)
    path = data / "raw" / "private" / "client_survey_2018.sav"
    df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    df.loc[0, "kommun"] = 2505  # Arvidsjaur: labelled, but not a 2018 municipality
    pyreadstat.write_sav(df, str(path), variable_value_labels=meta.variable_value_labels)
    with pytest.raises(ManyInputErrors) as info:
        survey_step.run()
    lines = [line for line in info.value.problems if "2505" in line or "Arvidsjaur" in line]
    assert any("code 2505, which respondents have, is not in" in line for line in lines), lines
    assert any("row 1, column 'kommun': value '2505'" in line for line in lines), lines
    assert not list((data / "processed").glob("*.parquet"))


@pytest.mark.parametrize("written, expected", [
    pytest.param(r"private\brukarenkat_2018.csv", "this is written with Windows' backslashes: write "
                                                  "'private/brukarenkat_2018.csv'", id="backslashes"),
    pytest.param(r"C:\Users\anna\Documents\brukarenkat_2018.csv", "this is a path on a Windows computer: copy the file "
                 "into data/raw/private/ and write private/brukarenkat_2018.csv", id="Windows drive"),
])
def test_a_windows_path_in_the_survey_settings_is_explained(tmp_path, written, expected):
    from analysis.core.errors import GinoError
    from analysis.core.settings import load_survey_settings

    path = tmp_path / "surveys.yaml"
    path.write_text(f"source: real\nreal:\n  innovation_climate_2017: private/a.csv\n  client_survey_2018: '{written}'\n"
                    "  client_survey_2019: private/c.csv\n", encoding="utf-8")
    with pytest.raises(GinoError) as info:
        load_survey_settings(path)
    assert str(info.value).startswith(f"{path}, key 'real.client_survey_2018': value ")
    assert str(info.value).endswith(f"expected a path with '/' between folders, relative to data/raw/ or absolute; "
                                    f"{expected}")


def test_a_path_from_the_home_directory_is_expanded(tmp_path, monkeypatch):
    from analysis.core.settings import load_survey_settings

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "surveys.yaml"
    path.write_text("source: real\nreal:\n  innovation_climate_2017: ~/exports/a.xlsx\n  client_survey_2018: b.csv\n"
                    "  client_survey_2019: /srv/c.sav\n", encoding="utf-8")
    files = load_survey_settings(path).files
    assert files["innovation_climate_2017"] == tmp_path / "home" / "exports" / "a.xlsx"
    assert files["client_survey_2019"].as_posix() == "/srv/c.sav"
