"""The kinds of printed document, what each is printed for, and the text the officer may edit.

Every kind is printed for one owner: a nomination (its achievement report), a council session
(its minutes, public notice, proposal letter), or a decision (the decision and its
certificates). The officer's edits are kept per kind and owner (`app/document_texts.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

OwnerType = Literal["nomination", "session", "decision"]

OWNER_LABELS: dict[str, str] = {
    "nomination": "đề nghị",
    "session": "phiên họp Hội đồng",
    "decision": "quyết định",
}


class Kind(StrEnum):
    """Document kinds; the values are the names `tdkt print KIND` takes."""

    REPORT = "bao-cao-thanh-tich"  # báo cáo thành tích, Mẫu 02 (tập thể) / Mẫu 03 (cá nhân)
    PROPOSAL = "to-trinh"  # tờ trình to the provincial chairman, with the attached list
    MINUTES = "bien-ban"  # biên bản of a council session
    DECISION = "quyet-dinh"  # quyết định of the commune chairman, with the attached list
    NOTICE = "thong-bao"  # thông báo công khai of the candidates
    CERTIFICATE = "giay-khen"  # Giấy khen, full design on blank paper
    CERTIFICATE_BLANK = "giay-khen-phoi"  # Giấy khen, text only, on pre-printed blanks
    SUMMARY = "danh-sach"  # danh sách trích ngang of nominations


KIND_LABELS: dict[Kind, str] = {
    Kind.REPORT: "Báo cáo thành tích",
    Kind.PROPOSAL: "Tờ trình đề nghị khen thưởng",
    Kind.MINUTES: "Biên bản họp Hội đồng",
    Kind.DECISION: "Quyết định khen thưởng",
    Kind.NOTICE: "Thông báo công khai",
    Kind.CERTIFICATE: "Giấy khen (in trên giấy trắng)",
    Kind.CERTIFICATE_BLANK: "Giấy khen (in lên phôi in sẵn)",
    Kind.SUMMARY: "Danh sách trích ngang",
}

# Which owners each kind is printed for, the first being the usual one.
KIND_OWNERS: dict[Kind, tuple[OwnerType, ...]] = {
    Kind.REPORT: ("nomination",),
    Kind.PROPOSAL: ("session", "nomination"),
    Kind.MINUTES: ("session",),
    Kind.DECISION: ("decision",),
    Kind.NOTICE: ("session",),
    Kind.CERTIFICATE: ("decision",),
    Kind.CERTIFICATE_BLANK: ("decision",),
    Kind.SUMMARY: ("session", "decision"),
}

# Kinds that also export as .docx, because units and the province edit them in Word.
WORD_KINDS = frozenset({Kind.REPORT, Kind.PROPOSAL})


@dataclass(frozen=True)
class Owner:
    """What a document is printed for: ('session', 3) is council session 3."""

    type: OwnerType
    id: int

    def __str__(self) -> str:
        return f"{OWNER_LABELS[self.type]} #{self.id}"


@dataclass(frozen=True)
class TextField:
    """A piece of a document the officer may edit before printing, with the prefilled text.

    `required` fields must not be empty when printing (the signer's name, for one).
    """

    key: str
    label: str
    default: str
    multiline: bool = False
    required: bool = False


@dataclass(frozen=True)
class FieldValue:
    """A field with the text that will print: the officer's edit, or the prefilled text."""

    field: TextField
    value: str

    @property
    def edited(self) -> bool:
        return self.value != self.field.default
