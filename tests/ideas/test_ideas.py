"""The idea inventory: the published file, its reader's messages, counts, tables and the figure."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.errors import GinoError
from analysis.ideas.inventory import idea_count_table, idea_counts, idea_table, read_ideas
from analysis.ideas.figures import idea_count_figure
from conftest import DATA

HEADER = "idea_id,level1,level2,position,text,source"
SUBHEADINGS = {
    "ORGANISATIONER": ["Digitala system", "Samverkan", "Stöd och utveckling"],
    "VERKSAMHET": ["Juridik", "Insatser"],
    "BRUKARE": ["Digitala lösningar", "Insatser"],
}


def toy() -> pd.DataFrame:
    rows = [("VERKSAMHET", "Juridik"), ("VERKSAMHET", "Juridik"), ("VERKSAMHET", "Insatser"),
            ("BRUKARE", "Insatser"), ("ORGANISATIONER", "Samverkan")]
    return pd.DataFrame({"level1": [a for a, _ in rows], "level2": [b for _, b in rows],
                         "text": [f"idé {i}" for i in range(len(rows))]})


def test_counts_keep_published_order_and_share_all_ideas():
    counts = idea_counts(toy())
    assert list(zip(counts["level1"], counts["level2"])) == [
        ("VERKSAMHET", "Juridik"), ("VERKSAMHET", "Insatser"), ("BRUKARE", "Insatser"), ("ORGANISATIONER", "Samverkan")]
    assert counts["n"].tolist() == [2, 1, 1, 1]
    assert counts["share"].tolist() == pytest.approx([0.4, 0.2, 0.2, 0.2])
    assert counts["n_level1"].tolist() == [3, 3, 1, 1]
    assert counts["share_level1"].tolist() == pytest.approx([0.6, 0.6, 0.2, 0.2])


def test_count_table_has_subtotals_and_swedish_numbers():
    table = idea_count_table(idea_counts(toy()))
    assert table.columns.tolist() == ["Område", "Underområde", "Antal idéer", "Andel av alla idéer"]
    assert table.values.tolist() == [
        ["VERKSAMHET", "Juridik", "2", "40\u00a0%"], ["VERKSAMHET", "Insatser", "1", "20\u00a0%"],
        ["VERKSAMHET", "Hela området", "3", "60\u00a0%"],
        ["BRUKARE", "Insatser", "1", "20\u00a0%"], ["BRUKARE", "Hela området", "1", "20\u00a0%"],
        ["ORGANISATIONER", "Samverkan", "1", "20\u00a0%"], ["ORGANISATIONER", "Hela området", "1", "20\u00a0%"],
        ["Samtliga idéer", "", "5", "100\u00a0%"]]


def test_idea_table_has_swedish_columns_in_file_order():
    table = idea_table(toy())
    assert table.columns.tolist() == ["Område", "Underområde", "Idé"]
    assert table["Idé"].tolist() == [f"idé {i}" for i in range(5)]


def test_committed_ideas_validate_with_the_reports_headings():
    ideas = read_ideas(DATA / "raw" / "published" / "ideas.csv")
    headings = {level1: list(dict.fromkeys(group["level2"])) for level1, group in ideas.groupby("level1", sort=False)}
    assert list(headings) == list(SUBHEADINGS)
    assert headings == SUBHEADINGS
    assert len(ideas) == 36
    for _, group in ideas.groupby(["level1", "level2"], sort=False):
        assert group["position"].tolist() == list(range(1, len(group) + 1))
    assert (ideas["text"] == ideas["text"].str.strip()).all()
    assert "Berörd kan välja \"skypemöte\" istället för att gå till IFO-kontoret" in set(ideas["text"])


def test_figure_has_one_bar_per_subheading():
    ideas = read_ideas(DATA / "raw" / "published" / "ideas.csv")
    fig = idea_count_figure(idea_counts(ideas))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [s for subs in SUBHEADINGS.values() for s in subs]
    assert [p.get_width() for p in ax.patches] == [8, 5, 5, 3, 8, 4, 3]
    assert ax.get_xlabel() == "Antal idéer"


def write(tmp_path, rows: list[str]):
    path = tmp_path / "ideas.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "org-samverkan-01,ORGANISATIONER,Samverkan,1,Samverkan i regionen,s. 22"


@pytest.mark.parametrize(("rows", "expected"), [
    (["org-samverkan-01,ORGANISATIONEN,Samverkan,1,Samverkan i regionen,s. 22"],
     ["row 2, column 'level1': value 'ORGANISATIONEN'; expected one of 'BRUKARE', 'ORGANISATIONER', 'VERKSAMHET'"]),
    (["org-samverkan-01,ORGANISATIONER,Samverkan,1,,s. 22"],
     ["row 2, column 'text': value ''; expected the idea's text (not empty)"]),
    ([GOOD, GOOD.replace(",1,", ",2,")],
     ["row 2, column 'idea_id': value 'org-samverkan-01'; expected no other row with the same idea_id "
      "(the same value is on row 3)",
      "row 3, column 'idea_id': value 'org-samverkan-01'; expected no other row with the same idea_id "
      "(the same value is on row 2)"]),
], ids=["unknown-level1", "empty-text", "duplicated-id"])
def test_malformed_ideas_file(tmp_path, rows, expected):
    path = write(tmp_path, rows)
    with pytest.raises(GinoError) as exc:
        read_ideas(path)
    assert str(exc.value).splitlines() == [f"{path}, {line}" for line in expected]
