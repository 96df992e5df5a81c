"""Real-format exports (XLSX with labels, semicolon Windows-1252 CSV, SPSS with value labels, …) load
into exactly the same frame as the CSV with codes; codebooks and the survey source are configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from analysis.survey_data.codebooks import DATASETS, load_codebook
from analysis.core.errors import GinoError, InputError, ManyInputErrors
from analysis.survey_data.loading import load_survey
from conftest import CONFIG, DATA

SYNTHETIC = DATA / "raw" / "synthetic"


def synthetic_csv(dataset: str) -> Path:
    return SYNTHETIC / f"{dataset}_synthetic.csv"


def as_labels(dataset: str) -> pd.DataFrame:
    """The synthetic file with every code replaced by its Swedish label and headers as Swedish aliases."""
    codebook = load_codebook(dataset)
    df = pd.read_csv(synthetic_csv(dataset), dtype=str, keep_default_na=False)
    for v in codebook.variables:
        if v.scale is None or v.name not in df:
            continue
        labels = {str(code): label for code, label in v.scale.all_labels.items()}
        df[v.name] = df[v.name].map(lambda c: labels.get(c, c))
    headers = {v.name: (v.aliases[0].capitalize() if v.aliases else v.name) for v in codebook.variables}
    return df.rename(columns=headers)


@pytest.fixture(params=DATASETS)
def dataset(request) -> str:
    return request.param


@pytest.fixture
def expected(dataset) -> pd.DataFrame:
    return load_survey(synthetic_csv(dataset), load_codebook(dataset))


def test_synthetic_csv_with_codes_loads_typed(dataset, expected):
    codebook = load_codebook(dataset)
    assert list(expected.columns) == codebook.names
    assert expected["respondent_id"].str.startswith("syn-").all()
    assert set(expected["kommun"]) <= set(codebook.municipalities)
    items = [v.name for v in codebook.variables if v.kind == "categorical"]
    assert all(str(expected[c].dtype) == "Int16" for c in items)
    assert expected[items].isna().any().any(), "item non-response is kept as missing"


def test_xlsx_with_swedish_labels_loads_the_same_frame(tmp_path, dataset, expected):
    df = as_labels(dataset)
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    book.save(path)
    pd.testing.assert_frame_equal(load_survey(path, load_codebook(dataset)), expected)


def test_semicolon_windows_1252_csv_with_labels_loads_the_same_frame(tmp_path, dataset, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(as_labels(dataset).to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252"))
    assert b"\xe5" in path.read_bytes() or b"\xe4" in path.read_bytes()  # å or ä in Windows-1252
    pd.testing.assert_frame_equal(load_survey(path, load_codebook(dataset)), expected)


def test_utf8_bom_csv_with_decimal_comma_codes_loads_the_same_frame(tmp_path, dataset, expected):
    df = pd.read_csv(synthetic_csv(dataset), dtype=str, keep_default_na=False)
    codebook = load_codebook(dataset)
    for v in codebook.variables:
        if v.kind == "categorical":
            df[v.name] = df[v.name].map(lambda c: f"{c},0" if c else c)  # how Excel shows 3.0 in Swedish
    path = tmp_path / "export.csv"
    path.write_bytes(df.to_csv(sep=";", index=False).encode("utf-8-sig"))
    pd.testing.assert_frame_equal(load_survey(path, codebook), expected)


def test_spss_sav_with_value_labels_loads_the_same_frame(tmp_path, dataset, expected):
    codebook = load_codebook(dataset)
    df = pd.read_csv(synthetic_csv(dataset), dtype={"respondent_id": str})
    labels = {v.name: {float(c): label for c, label in v.scale.all_labels.items()}
              for v in codebook.variables if v.scale is not None and v.name in df}
    path = tmp_path / "export.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels=labels)
    pd.testing.assert_frame_equal(load_survey(path, codebook), expected)


def test_missing_codes_and_blank_lines_are_no_answer(tmp_path):
    codebook = load_codebook("client_survey_2019")
    lines = synthetic_csv("client_survey_2019").read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1].split(","), lines[2]
    first[header.split(",").index("contact_ease")] = "99"     # a missing-value code of the codebook
    first[header.split(",").index("asks_views")] = "Ej svar"  # a missing-value label
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, ",".join(first), "", second, ""]) + "\n", encoding="utf-8")
    out = load_survey(path, codebook)
    assert len(out) == 2
    assert pd.isna(out.loc[0, "contact_ease"]) and pd.isna(out.loc[0, "asks_views"])


def test_optional_year_column_takes_the_codebook_default(tmp_path):
    df = pd.read_csv(synthetic_csv("innovation_climate_2017"), dtype=str, keep_default_na=False).drop(columns="year")
    path = tmp_path / "export.csv"
    df.to_csv(path, index=False)
    out = load_survey(path, load_codebook("innovation_climate_2017"))
    assert (out["year"] == 2017).all() and str(out["year"].dtype) == "Int16"


def test_codebook_alias_lets_a_researcher_rename_a_column_without_code(tmp_path):
    codebook_path = tmp_path / "client_survey_2019.yaml"
    text = (DATA / "raw/codebooks/client_survey_2019.yaml").read_text(encoding="utf-8")
    codebook_path.write_text(text.replace("label: Kön\n", "label: Kön\n    aliases: [Kön, Fråga 1]\n")
                             .replace("    aliases: [kön]\n", ""), encoding="utf-8")
    df = pd.read_csv(synthetic_csv("client_survey_2019"), dtype=str, keep_default_na=False)
    path = tmp_path / "export.csv"
    df.rename(columns={"sex": "Fråga 1"}).to_csv(path, index=False)
    assert load_survey(path, load_codebook(codebook_path))["sex"].equals(
        load_survey(synthetic_csv("client_survey_2019"), load_codebook("client_survey_2019"))["sex"])


@pytest.mark.parametrize("edit, expected", [
    (lambda s: s.replace("scale: sex\n", "scale: gender\n"),
     "key 'variables.sex.scale': value 'gender'; expected a scale defined under 'scales'"),
    (lambda s: s.replace("  municipality: kommun\n", "  municipality: municipality\n"),
     "key 'identifiers.municipality': value 'municipality'; expected an identifier naming one of the variables"),
    (lambda s: s.replace("  - name: asks_views\n", "  - name: askViews\n"),
     "key 'variables': value 'askViews'; expected unique snake_case variable names"),
    (lambda s: s.replace("labels: {1: Kvinna,", "labels: {one: Kvinna,"),
     "key 'scales.sex': expected integer answer codes (or text_codes: true)"),
])
def test_codebook_mistakes_are_one_line(tmp_path, edit, expected):
    path = tmp_path / "client_survey_2019.yaml"
    path.write_text(edit((DATA / "raw/codebooks/client_survey_2019.yaml").read_text(encoding="utf-8")),
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_codebook(path)
    assert str(exc.value) == f"{path}, {expected}"


def test_every_codebook_documents_questions_scales_and_identifiers():
    for dataset in DATASETS:
        codebook = load_codebook(dataset)
        assert {"respondent", "municipality", "year"} <= set(codebook.identifiers)
        for v in codebook.variables:
            assert v.question, f"{dataset}.{v.name} has no question text"
        assert "reconstruction" in codebook.doc
    assert "role" in load_codebook("innovation_climate_2017").identifiers
    assert "decision_municipalities" in load_codebook("client_survey_2018").doc
    assert len(load_codebook("client_survey_2018").variables) - 3 == 10, "'10 kryssfrågor' plus id, kommun, year"
    assert len(load_codebook("client_survey_2019").municipalities) == 10


def test_real_source_reads_the_configured_private_files(tmp_path, monkeypatch):
    """Switching to real data is configuration only: the settings name the private files."""
    from analysis.core.settings import load_survey_settings

    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    (config / "surveys.yaml").write_text((config / "surveys.yaml").read_text().replace("source: synthetic",
                                                                                      "source: real"))
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    monkeypatch.setenv("GINO_DATA_DIR", str(tmp_path / "data"))
    settings = load_survey_settings()
    assert not settings.is_synthetic
    assert settings.files["client_survey_2019"] == tmp_path / "data/raw/private/brukarenkat_2019.sav"

    (config / "surveys.yaml").write_text("source: both\n")
    with pytest.raises(GinoError, match="key 'source': value 'both'; expected one of 'synthetic', 'real'"):
        load_survey_settings()


def test_unnamed_empty_columns_are_ignored_but_unnamed_values_are_not(tmp_path):
    """Excel often saves trailing separators; an unnamed column is an error only when it holds values."""
    codebook = load_codebook("client_survey_2019")
    lines = synthetic_csv("client_survey_2019").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    path.write_text("\n".join(line + ",," for line in lines) + "\n", encoding="utf-8")
    pd.testing.assert_frame_equal(load_survey(path, codebook),
                                  load_survey(synthetic_csv("client_survey_2019"), codebook))
    path.write_text("\n".join([lines[0] + ",", lines[1] + ",x", *(line + "," for line in lines[2:])]) + "\n",
                    encoding="utf-8")
    with pytest.raises(ManyInputErrors) as exc:
        load_survey(path, codebook)
    assert exc.value.problems == [f"{path}, row 1: expected a name in the header for column 12, which holds values"]


def test_nul_bytes_are_rejected(tmp_path):
    lines = synthetic_csv("client_survey_2019").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    path.write_text("\n".join([lines[0], lines[1].replace("syn-", "syn\x00-", 1), lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_survey(path, load_codebook("client_survey_2019"))
    assert str(exc.value) == f"{path}, row 2: expected text without NUL bytes"
