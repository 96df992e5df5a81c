"""Write the register of claims, docs/generated/claims.md (see analysis/report/claims/register.py).

    .venv/bin/python tools/claims_register.py           # rewrites docs/generated/claims.md and docs/generated/outputs.md
    .venv/bin/python tools/claims_register.py --literal # also lists the documents' unexplained literal
                                                        # sentences as YAML to add to literal_sentences.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.report.claims.register import register_markdown  # noqa: E402
from analysis.report.outputs_doc import outputs_markdown  # noqa: E402

REGISTER = ROOT / "docs" / "generated" / "claims.md"
OUTPUTS = ROOT / "docs" / "generated" / "outputs.md"  # from the build in data/ (the twin): run after 'make build'



def main(argv: list[str]) -> int:
    if "--literal" in argv:
        import yaml

        from analysis.report.claims.prose import flags, unexplained

        out: dict[str, list[dict]] = {}
        for s in unexplained(ROOT):
            out.setdefault(s.document, []).append({"sentence": s.text, "reason": f"TODO ({', '.join(flags(s.text))})"})
        print(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120))
        return 0
    REGISTER.write_text(register_markdown(ROOT), encoding="utf-8")
    OUTPUTS.write_text(outputs_markdown(), encoding="utf-8")
    print(f"wrote {REGISTER.relative_to(ROOT)} and {OUTPUTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
