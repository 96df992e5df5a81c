"""Tables for the report (analysis/presentation/display.py): HTML that Quarto turns into real tables in every format,
columns aligned by content, and tables that would show nothing but suppressed cells left out."""

from __future__ import annotations

import pandas as pd

from analysis.core.disclosure import ALL, SUPPRESSED
from analysis.presentation.display import ALL_SUPPRESSED, html_table, markdown_table


def test_a_table_is_a_raw_html_block_without_column_widths_and_keeps_its_footnote():
    table = pd.DataFrame({"Kommun": ["Dorotea", "Åsele", "A & B"], "Andel (95 % KI)": ["44 % (31–58)", "–", "8 % (2–20)"]})
    text = markdown_table(table, footnote="– = färre än fem svarande.").data
    assert text.startswith("```{=html}\n<table>") and "\n```\n" in text
    assert "width" not in text and "<col" not in text
    assert "A &amp; B" in text
    assert text.rstrip().endswith("– = färre än fem svarande.")


def test_text_columns_are_left_aligned_and_number_columns_right_aligned():
    table = pd.DataFrame({"Kommun": ["Dorotea", "Malå", "Åsele"], "n": ["12", "–", "5"],
                          "Skillnad": ["2 (−9 till 12)", "< 0,001", "12 av 50"], "Test": ["Fisher", "chitvå", "–"]})
    header = html_table(table).splitlines()[2]
    assert header.count('text-align: left') == 2 and header.count('text-align: right') == 2
    assert '<th style="text-align: right;">n</th>' in header
    assert '<th style="text-align: left;">Test</th>' in header


def test_an_index_becomes_the_first_column():
    table = pd.DataFrame({"Sverige": ["290", "19,54"]}, index=pd.Index(["Antal kommuner", "Täthet"], name="Mått"))
    assert "<th style=\"text-align: left;\">Mått</th>" in markdown_table(table, index=True).data


def test_a_table_whose_every_group_value_is_suppressed_is_not_published():
    hidden = pd.DataFrame({"Kommun": ["Dorotea", "Malå", ALL], "Kontakt": [SUPPRESSED, SUPPRESSED, "80 % (72–87)"],
                           "Nöjd": [SUPPRESSED, SUPPRESSED, "82 % (75–88)"]})
    assert markdown_table(hidden).data.strip() == ALL_SUPPRESSED
    shown = hidden.assign(Kontakt=[SUPPRESSED, "71 % (50–86)", "80 % (72–87)"])
    assert "<table>" in markdown_table(shown).data
    only_total = hidden.iloc[[2]]
    assert "<table>" in markdown_table(only_total).data  # a table of the total alone is the total, not hidden groups


def test_a_wide_table_gets_widths_that_keep_words_and_numbers_whole():
    from analysis.presentation.display import CELL_INSET, LINE_CHARACTERS, column_widths

    narrow = pd.DataFrame({"Kommun": ["Dorotea", "Åsele"], "n": ["12", "5"]})
    assert column_widths(narrow) is None  # fits: Typst sizes it to its content
    aspects = ["Systematik för innovationsarbete (t.ex. metoder, processer, roller)"] * 3
    wide = pd.DataFrame({"Aspekt": aspects, **{f"Andel {i} (95 % KI)": ["71 % (58–81)"] * 3 for i in range(4)},
                         "Licens": ["kommuner_boundaries"] * 3})
    widths = column_widths(wide)
    assert abs(sum(widths) - 1) < 1e-9
    room = [w * LINE_CHARACTERS for w in widths]
    assert all(r >= len("71 % (58–81)") + CELL_INSET - 1e-9 for r in room[1:5])  # intervals never wrap
    assert room[-1] >= len("kommuner_boundaries") + CELL_INSET  # nor a long identifier
    assert room[0] == max(room)  # the text column is not the one squeezed


def test_tables_are_read_back_as_written():
    from analysis.presentation.display import read_html_tables

    table = pd.DataFrame({"Kommun": ["Dorotea", "A & B"], "Andel": ["44 % (31–58), n = 12", "–"]})
    assert read_html_tables(markdown_table(table, footnote="Not.").data) == [
        (["Kommun", "Andel"], [["Dorotea", "44 % (31–58), n = 12"], ["A & B", "–"]])]
