"""Tables for the report (analysis/presentation/display.py): pipe tables that pandoc turns into real tables in every
format, read back as written, sized by their dashes, columns aligned by content, and tables that would show
nothing but suppressed cells left out."""

from __future__ import annotations

import pandas as pd

from analysis.core.disclosure import ALL, SUPPRESSED
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.presentation.display import ALL_SUPPRESSED, PANDOC_COLUMNS, markdown_table, pipe_table, read_tables



def test_a_table_is_a_pipe_table_whose_dashes_give_its_widths_and_keeps_its_footnote():
    table = pd.DataFrame({"Kommun": ["Dorotea", "Åsele", "A & B"], "Andel (95 % KI)": ["44 % (31–58)", "–", "8 % (2–20)"]})
    text = markdown_table(table, footnote="– = färre än fem svarande.").data
    lines = text.splitlines()
    assert lines[0].startswith("| Kommun |") and re.fullmatch(r"\|:-+\|-+:\|", lines[1])
    assert len(lines[1]) > PANDOC_COLUMNS  # so pandoc takes the widths from the dashes, not its own guess
    assert "A \\& B" in text
    assert text.rstrip().endswith("– = färre än fem svarande.")


def test_text_columns_are_left_aligned_and_number_columns_right_aligned():
    table = pd.DataFrame({"Kommun": ["Dorotea", "Malå", "Åsele"], "n": ["12", "–", "5"],
                          "Skillnad": ["2 (−9 till 12)", "< 0,001", "12 av 50"], "Test": ["Fisher", "chitvå", "–"]})
    rule = pipe_table(table).splitlines()[1].strip("|").split("|")
    assert [cell.startswith(":") for cell in rule] == [True, False, False, True]
    assert [cell.endswith(":") for cell in rule] == [False, True, True, False]


def test_an_index_becomes_the_first_column():
    table = pd.DataFrame({"Sverige": ["290", "19,54"]}, index=pd.Index(["Antal kommuner", "Täthet"], name="Mått"))
    assert read_tables(markdown_table(table, index=True).data)[0][0] == ["Mått", "Sverige"]


def test_a_table_whose_every_group_value_is_suppressed_is_not_published():
    hidden = pd.DataFrame({"Kommun": ["Dorotea", "Malå", ALL], "Kontakt": [SUPPRESSED, SUPPRESSED, "80 % (72–87)"],
                           "Nöjd": [SUPPRESSED, SUPPRESSED, "82 % (75–88)"]})
    assert markdown_table(hidden).data.strip() == ALL_SUPPRESSED
    shown = hidden.assign(Kontakt=[SUPPRESSED, "71 % (50–86)", "80 % (72–87)"])
    assert read_tables(markdown_table(shown).data)
    only_total = hidden.iloc[[2]]
    assert read_tables(markdown_table(only_total).data)  # a table of the total alone is the total, not hidden groups


def test_a_wide_table_gets_widths_that_keep_words_and_numbers_whole():
    from analysis.presentation.display import CELL_INSET, LINE_CHARACTERS, column_widths

    narrow = pd.DataFrame({"Kommun": ["Dorotea", "Åsele"], "n": ["12", "5"]})
    assert column_widths(narrow) == [10 / 15, 5 / 15]  # fits: in proportion to the content
    aspects = ["Systematik för innovationsarbete (t.ex. metoder, processer, roller)"] * 3
    wide = pd.DataFrame({"Aspekt": aspects, **{f"Andel {i} (95 % KI)": ["71 % (58–81)"] * 3 for i in range(4)},
                         "Licens": ["kommuner_boundaries"] * 3})
    widths = column_widths(wide)
    assert abs(sum(widths) - 1) < 1e-9
    room = [w * LINE_CHARACTERS for w in widths]
    assert all(r >= len("71 % (58–81)") + CELL_INSET - 1e-9 for r in room[1:5])  # intervals never wrap
    assert room[-1] >= len("kommuner_boundaries") + CELL_INSET  # nor a long identifier
    assert room[0] == max(room)  # the text column is not the one squeezed


AWKWARD = ["44\u00a0% (31–58), n\u00a0=\u00a012", "A & B | C", "*not emphasis* _nor_ `code`", "[@gino2020] {{< meta title >}} $x$", "2014--2022 ... 'q' \"q\"",
           "back\\slash <b>tag</b> ~sub~ ^sup^ #5", "line\nbreak"]


def test_tables_are_read_back_as_written():
    table = pd.DataFrame({"Kommun": ["Dorotea", *AWKWARD], "Andel": ["44 % (31–58), n = 12", *["–"] * len(AWKWARD)]})
    expected = [re.sub(r"[ \n]+", " ", text) for text in AWKWARD]
    assert read_tables(markdown_table(table, footnote="Not.").data) == [
        (["Kommun", "Andel"], [["Dorotea", "44 % (31–58), n = 12"], *[[text, "–"] for text in expected]])]


def test_a_wide_table_carries_its_widths_in_its_dashes():
    from analysis.presentation.display import column_widths

    wide = pd.DataFrame({"Aspekt": ["Systematik för innovationsarbete (t.ex. metoder, processer, roller)"] * 2,
                         **{f"Andel {i} (95 % KI)": ["71 % (58–81)"] * 2 for i in range(6)}})
    rule = pipe_table(wide).splitlines()[1]
    dashes = [len(cell) for cell in rule.strip("|").split("|")]
    assert [round(d / sum(dashes), 2) for d in dashes] == [round(w, 2) for w in column_widths(wide)]


def _pandoc() -> list[str] | None:
    if shutil.which("quarto"):
        return ["quarto", "pandoc"]
    return [shutil.which("pandoc")] if shutil.which("pandoc") else None


@pytest.mark.skipif(_pandoc() is None, reason="neither quarto nor pandoc is on PATH")
def test_pandoc_reads_the_cells_as_plain_text_and_the_dashes_as_widths():
    pandoc = _pandoc()
    table = pd.DataFrame({"Kommun": ["Dorotea", *AWKWARD], "Andel": ["44 % (31–58), n = 12", *["–"] * len(AWKWARD)]})
    fits = subprocess.run([*pandoc, "-f", "markdown", "-t", "plain", "--wrap=none"],
                          input=pipe_table(table), capture_output=True, text=True, check=True).stdout
    for text in AWKWARD:
        assert re.sub(r"[ \n]+", " ", text) in fits
    wide = pd.DataFrame({"Aspekt": ["Systematik för innovationsarbete (t.ex. metoder, processer, roller)"] * 2,
                         **{f"Andel {i} (95 % KI)": ["71 % (58–81)"] * 2 for i in range(6)}})
    typst = subprocess.run([*pandoc, "-f", "markdown", "-t", "typst"],
                           input=pipe_table(wide) + "\n\n" + pipe_table(table), capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"columns: \((\d+\.?\d*%, ){6}\d+\.?\d*%\)", typst)  # the wide one: widths
    assert re.search(r"columns: \(\d+\.?\d*%, \d+\.?\d*%\)", typst)  # and the one that fits
