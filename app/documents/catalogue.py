"""Which module builds which document kind."""

from __future__ import annotations

from importlib import import_module

from app.documents.builder import Builder
from app.documents.kinds import Kind

# Each module has `BUILDER`, an object following `app.documents.builder.Builder`.
_MODULES: dict[Kind, str] = {
    Kind.REPORT: "app.documents.achievement_report",
    Kind.PROPOSAL: "app.documents.proposal",
    Kind.MINUTES: "app.documents.minutes",
    Kind.DECISION: "app.documents.decision_text",
    Kind.NOTICE: "app.documents.public_notice",
    Kind.SUMMARY: "app.documents.summary_list",
}

__all__ = ["Builder", "builder"]


def builder(kind: Kind) -> Builder:
    """The builder of a document kind (certificates are built by app/certificates.py)."""
    if kind not in _MODULES:
        raise ValueError(f"{kind} is not built by the document catalogue")
    return import_module(_MODULES[kind]).BUILDER
