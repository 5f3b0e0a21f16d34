"""Baseline (b): a plain list of keyword rules per label, the kind of thing a newsroom might write by hand."""

from __future__ import annotations

import re

from classifier.labels import LABELS

RULES = {
    "data_access": [
        r"personal (data|details|information)", r"\bdata ?base", r"\brecords?\b.*\b(access|leak|stolen|share)",
        r"\bprivacy\b", r"\bhack(er|ers|ed|ing)?\b", r"\bbreach(es)?\b.*\bdata\b", r"\bdata\b.*\bbreach",
        r"\bphishing\b", r"\bspyware\b", r"identity theft", r"\bsurveillance\b", r"\bid cards?\b",
        r"\bbiometric", r"data protection", r"\bleak(ed|s)?\b", r"\bphone.tap", r"\bintercept",
    ],
    "layoffs": [
        r"\blay(ing)? off\b", r"\blaid off\b", r"\blayoffs?\b", r"\bjob (cuts|losses)\b", r"\bcut\w* \S+ jobs\b",
        r"\bredundanc(y|ies)\b", r"\bfurlough", r"\bbuyouts?\b", r"\bhiring freeze\b", r"\bjobs? (will|to) go\b",
        r"\bshed\w* \S* ?(jobs|staff|posts|workers)\b", r"\baxe\w* \S* ?(jobs|posts|staff)\b", r"\bworkforce\b",
        r"reduction in force", r"\bclos\w+ .*\b(plant|factory)\b",
    ],
    "litigation": [
        r"\bsue[sd]?\b", r"\bsuing\b", r"\blawsuits?\b", r"\bcourt\b", r"\bjudge\b", r"\bruling\b",
        r"\binjunction\b", r"\bappeal\w*\b", r"\btrial\b", r"\bverdict\b", r"\bsettle(d|ment)\b",
        r"\bcharged\b", r"\bcharges\b", r"\bprosecut\w+", r"\bclass action\b", r"\blegal (action|fight|case)\b",
        r"\bguilty\b", r"\bdamages\b",
    ],
    "funding": [
        r"\bfunding\b", r"\bfunds?\b", r"\bgrants?\b", r"\bbudget\b", r"\bspending\b", r"\baid\b",
        r"\bbail ?out\b", r"\bsubsid", r"\bdonat\w+", r"\binvestment\b", r"\bappropriat\w+", r"\bdebt relief\b",
        r"\bcontract\w*\b.*\b(award|cancel)", r"\bclaw\w* back\b", r"\braised? \$",
    ],
}

_COMPILED = {label: [re.compile(p, re.IGNORECASE) for p in patterns] for label, patterns in RULES.items()}


def keyword_labels(text: str) -> list[str]:
    """Every label one of whose rules matches the text."""
    return [label for label in LABELS if any(p.search(text) for p in _COMPILED[label])]
