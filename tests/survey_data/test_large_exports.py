"""Issue 23, point 2: exports are read and checked in batches of rows (bounded memory), and the messages do
not depend on where the batches end: every malformed and awkward corpus file gives the same lines read one
row at a time as read whole. Memory and time on 4.4 million rows are measured by
``benchmarks/large_export.py`` (docs/benchmarks.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.errors import GinoError
from analysis.survey_data import csv_reader
from analysis.survey_data.codebooks import load_codebook
from analysis.survey_data.loading import load_survey
from test_awkward_surveys import AWKWARD, CASES as AWKWARD_CASES
from test_export_corpus import CASES as EXPORT_CASES, EXPORTS
from test_malformed_surveys import CASES as MALFORMED_CASES, MALFORMED, SYNTHETIC

CORPUS = [(MALFORMED / c.file, c.dataset) for c in MALFORMED_CASES] + \
    [(AWKWARD / c.file, c.dataset) for c in AWKWARD_CASES] + [(EXPORTS / c.file, c.dataset) for c in EXPORT_CASES]


def outcome(path, dataset, **kwargs) -> tuple[str, ...]:
    try:
        frame = load_survey(path, load_codebook(dataset), **kwargs)
    except GinoError as exc:
        return tuple(getattr(exc, "problems", [str(exc)]))
    return ("read", str(len(frame)))


@pytest.mark.parametrize("path, dataset", [pytest.param(p, d, id=p.name) for p, d in CORPUS])
def test_messages_do_not_depend_on_the_batch_size(path, dataset):
    whole = outcome(path, dataset)
    assert outcome(path, dataset, batch_rows=1) == whole
    assert outcome(path, dataset, batch_rows=2) == whole


def test_a_large_file_is_read_in_batches_with_progress_and_gives_the_same_frame(tmp_path, monkeypatch, capsys):
    source = SYNTHETIC / "client_survey_2018_synthetic.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    body = [line.replace("syn-2018-", f"syn-{copy}-", 1) for copy in range(20) for line in lines[1:]]
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    monkeypatch.setattr(csv_reader, "PROGRESS_BYTES", 0)
    monkeypatch.setattr(csv_reader, "BATCH_ROWS", 500)
    codebook = load_codebook("client_survey_2018")
    frame = load_survey(path, codebook, batch_rows=500)
    progress = [line for line in capsys.readouterr().err.splitlines() if "reading" in line]
    assert len(frame) == len(body) and len(progress) == len(body) // 500
    assert progress[-1].endswith(f"{len(body) // 500 * 500:,} rows (100%) …".replace(",", " "))
    pd.testing.assert_frame_equal(frame, load_survey(path, codebook))


def test_a_respondent_id_repeated_far_apart_is_found_across_batches(tmp_path):
    lines = (SYNTHETIC / "client_survey_2019_synthetic.csv").read_text(encoding="utf-8").splitlines()
    last = lines[-1].split(",")
    last[0] = lines[1].split(",")[0]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines[:-1], ",".join(last)]) + "\n", encoding="utf-8")
    problems = outcome(path, "client_survey_2019", batch_rows=7)
    assert problems == outcome(path, "client_survey_2019")
    assert len(problems) == 2 and f"row {len(lines)}" in problems[0] and f"row {len(lines)}" in problems[1]


def test_a_long_cell_in_an_ignored_column_is_read_and_a_quote_left_open_at_the_end_is_named(tmp_path):
    """A free-text comment longer than any cell limit of the old reader, in a column the codebook ignores, is
    no problem; a quotation mark opened in the last column and never closed would swallow every following
    respondent into one cell: it is named, with its row."""
    codebook = load_codebook("client_survey_2019")
    lines = (SYNTHETIC / "client_survey_2019_synthetic.csv").read_text(encoding="utf-8").splitlines()
    text = tmp_path / "codebook.yaml"
    text.write_text(codebook.path.read_text(encoding="utf-8").replace("ignore_columns: []",
                                                                      "ignore_columns: [kommentar]"), encoding="utf-8")
    ignoring = load_codebook(text)
    path = tmp_path / "export.csv"
    comment = '"' + "Lång kommentar, med komman och \"\"citat\"\".\n" * 6000 + '"'
    path.write_text("\n".join([lines[0] + ",kommentar", lines[1] + "," + comment,
                               *(line + ",kort" for line in lines[2:])]) + "\n", encoding="utf-8")
    assert len(comment) > 200_000
    assert len(load_survey(path, ignoring)) == len(lines) - 1
    path.write_text("\n".join([lines[0] + ",kommentar", *(line + ",kort" for line in lines[1:4]),
                               lines[4] + ',"öppnas men stängs aldrig', *(line + ",kort" for line in lines[5:])]) + "\n",
                    encoding="utf-8")
    with pytest.raises(GinoError) as info:
        load_survey(path, ignoring)
    assert str(info.value) == (
        f"{path}, row 5: expected one line per respondent, but the last cell that starts on this row runs over "
        f"{len(lines) - 4} lines to the end of the file: a quotation mark (\") in this row opens a cell that is "
        "never closed, so the following lines became part of it; remove or close the quote")
