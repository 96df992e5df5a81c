"""Literal prose of the documents that states a number or a qualifier without coming from a claim.

The documents are the article (``reports/index.qmd``), the notebooks and the feedback documents. Their
literal prose is what a reader reads that no code computed: Markdown outside code cells and inline
expressions, the captions and alt texts of figure and table cells, and the string literals that code
cells print as text. A sentence there that has a digit (other than a year, a KPI or group id, a label
such as ``@tbl-x`` or a file name), a number word or a qualifier (``base.QUALIFIERS``) either comes from a
claim or is listed in ``literal_sentences.yaml`` with the reason it is not one (a method fixed in advance,
the study's design, a quotation, a question): so new prose cannot state a number or a qualifier the data
do not check. The register (``docs/generated/claims.md``) shows the listed sentences with their reasons.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.report.claims.base import QUALIFIERS

DOCUMENTS = ("reports/index.qmd", "notebooks/*.ipynb", "reports/feedback/*.qmd")
LITERAL_FILE = Path(__file__).with_name("literal_sentences.yaml")
NUMBER_WORDS = re.compile(r"\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|trettio|hundra|tusen|"
                          r"dubbelt|halva|tredjedel\w*|fjärdedel\w*)\b", re.IGNORECASE)
# Digits that are names, not statements: years, ids (U30447, G92791), labels and files, section numbers.
NOT_A_NUMBER = re.compile(r"(?<![\d,])(?:19|20)\d\d(?:[–-](?:19|20)\d\d)?(?!\d|,\d)|[A-Za-z_-]+\d[\w.-]*|\d+-\w+|"
                          r"@\w[\w-]*|`[^`]*`|\[[^\]]*\]\([^)]*\)|https?://\S+")
CODE_CELL = re.compile(r"^```\{?[=\w]*\}?.*?^```\s*$", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`\{python\}[^`]*`|`[^`]*`")
STRIP = [re.compile(p, re.DOTALL) for p in (r"\A---\n.*?\n---\n", r"<!--.*?-->", r"\{\{<.*?>\}\}", r"^:::.*?$")]
OPTION = re.compile(r"^#\|\s*(fig-cap|tbl-cap|fig-alt):\s*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Sentence:
    document: str
    where: str      # "prose", "caption" or "code"
    text: str


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    parts = re.split(r"(?<=[.!?:;])\s+(?=[A-ZÅÄÖ\"*(\-])|\s+-\s+|^- |\n", text)
    return [p.strip(" -") for p in parts if p.strip(" -")]


def _markdown(text: str) -> list[str]:
    text = CODE_CELL.sub(" ", text)
    for pattern in STRIP:
        text = pattern.sub(" ", text) if pattern.flags & re.DOTALL else text
    text = re.sub(r"^:::.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"^#+ ", "", text, flags=re.MULTILINE)
    return [s for block in re.split(r"\n\s*\n|\n- ", text) for s in _sentences(INLINE.sub(" ", block))]


def _code_strings(source: str) -> list[str]:
    """String literals a code cell may print as text: long enough to be prose (a space and a letter)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    out, parts = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values))
            parts |= {id(v) for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts \
                and not _is_docstring(node, tree):
            out.append(node.value)
    return [s for part in out if len(part) >= 30 and " " in part for s in _sentences(part)]


def _is_docstring(node, tree) -> bool:
    for parent in ast.walk(tree):
        if isinstance(parent, (ast.FunctionDef, ast.ClassDef, ast.Module)) and parent.body \
                and isinstance(parent.body[0], ast.Expr) and parent.body[0].value is node:
            return True
    return False


def literal_sentences(root: Path) -> list[Sentence]:
    """Every literal sentence of the documents (see the module's docstring)."""
    found = []
    for pattern in DOCUMENTS:
        for path in sorted(root.glob(pattern)):
            name = path.relative_to(root).as_posix()
            if path.suffix == ".ipynb":
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                sources = [("".join(c["source"]), c["cell_type"]) for c in cells]
            else:
                text = path.read_text(encoding="utf-8")
                sources = [(text, "markdown")] + [(m.group(0), "code") for m in CODE_CELL.finditer(text)
                                                  if m.group(0).startswith("```{python}")]
            for source, kind in sources:
                if kind == "markdown":
                    found += [Sentence(name, "prose", s) for s in _markdown(source)]
                elif kind == "code":
                    code = re.sub(r"^```.*$", "", source, flags=re.MULTILINE)
                    found += [Sentence(name, "caption", s) for _, cap in OPTION.findall(code)
                              for s in _sentences(cap.strip().strip('"'))]
                    body = "\n".join(line for line in code.splitlines() if not line.startswith("#|"))
                    found += [Sentence(name, "code", s) for s in _code_strings(body)]
    return found


def flags(text: str) -> list[str]:
    """What makes a sentence a statement: its digits, number words and qualifiers."""
    plain = NOT_A_NUMBER.sub(" ", text)
    plain = re.sub(r"\b95\s?%", " ", plain)  # the confidence level of every interval
    return [*re.findall(r"\d+(?:[ ,]\d+)*", plain), *NUMBER_WORDS.findall(text), *(m.group() for m in QUALIFIERS.finditer(text))]


def key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_exemptions() -> dict[str, dict]:
    """``literal_sentences.yaml``: per document, each exempt sentence with its reason."""
    import yaml

    data = yaml.safe_load(LITERAL_FILE.read_text(encoding="utf-8")) or {}
    return {doc: {key(s["sentence"]): s["reason"] for s in entries or []} for doc, entries in data.items()}


def unexplained(root: Path) -> list[Sentence]:
    """Literal sentences with a number or a qualifier that are not listed with a reason."""
    exempt = load_exemptions()
    return [s for s in literal_sentences(root) if flags(s.text) and key(s.text) not in exempt.get(s.document, {})]


def stale(root: Path) -> list[tuple[str, str]]:
    """Listed sentences that no document has any more (the list must not keep what the documents dropped)."""
    present = {(s.document, key(s.text)) for s in literal_sentences(root)}
    return [(doc, sentence) for doc, entries in load_exemptions().items() for sentence in entries
            if (doc, sentence) not in present]
