"""Claims as code (see ``base.py``): every sentence of the documents whose wording follows from the data.

Importing the package registers every claim (``CLAIMS``); documents use :func:`say` and :func:`claim_text`.
"""

from analysis.report.claims.base import CLAIMS, Claim, Must, Rule, Stated, check, claim_text, say  # noqa: F401
from analysis.report.claims import (  # noqa: F401  (registration)
    chapters, disclosure, feedback, kolada_groups, kolada_more, kolada_report, methods, outputs, respondents,
    surveys,
)
