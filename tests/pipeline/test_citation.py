"""The repository is citable: CITATION.cff valid under the CFF 1.2.0 schema, naming the GINO report; LICENSE as pyproject says."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "fixtures" / "cff" / "schema-1.2.0.json"


def cff_errors(citation: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(citation)]


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff():
    assert cff_errors(citation()) == []


def test_the_schema_check_can_fail():
    broken = {**citation(), "authors": [], "date-released": "6 December 2026"}
    del broken["title"]
    errors = cff_errors(broken)
    assert any("'title' is a required property" in e for e in errors)
    assert any(e.startswith("date-released") for e in errors)


def test_citation_names_the_gino_report_it_reproduces():
    reports = [r for r in citation().get("references", []) if r.get("type") == "report"]
    assert [r["isbn"] for r in reports] == ["978-91-519-5393-9"]
    assert {a["family-names"] for a in reports[0]["authors"]} == {"Nordström", "Höög", "Hjelte"}


def test_licence_file_version_and_cff_agree_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"]["text"] == citation()["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert citation()["version"] == project["version"]
