"""Printing documents: the prefilled text, the officer's edits, the PDF and the Word copy.

One service for every document kind except the certificates (`app/certificates.py`, which also
keep the certificate book and the reprint log). The print font is resolved the first time a
document is drawn and kept for the life of the service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.audit import Clock, utc_now
from app.commune import CommuneService
from app.document_texts import DocumentTexts, with_edits
from app.documents import catalogue
from app.documents.builder import BuildContext, merged
from app.documents.kinds import KIND_LABELS, KIND_OWNERS, WORD_KINDS, FieldValue, Kind, Owner
from app.documents.model import Document, DocumentError
from app.errors import SetupRequiredError
from app.fonts import PrintFont, print_font
from app.local_time import local_date

Report = Callable[[int, int], None]
FontSource = Callable[[], PrintFont]


class PrintService:
    def __init__(self, sessions: sessionmaker[Session], texts: DocumentTexts, commune: CommuneService,
                 clock: Clock = utc_now, font_source: FontSource = print_font) -> None:
        self._sessions = sessions
        self._texts = texts
        self._commune = commune
        self._clock = clock
        self._font_source = font_source
        self._font: PrintFont | None = None
        # Previews and certificates are drawn on worker threads: one of them cuts the
        # fallback font's instances, the others wait for it instead of writing the same files.
        self._font_lock = threading.Lock()

    def font(self) -> PrintFont:
        """The print font, resolved and checked once (FontError when none is usable)."""
        with self._font_lock:
            if self._font is None:
                self._font = self._font_source()
            return self._font

    def fields(self, kind: Kind, owner: Owner) -> list[FieldValue]:
        """The editable text of the document with what will print: the edit or the default."""
        builder = self._builder(kind, owner)
        with self._sessions() as session:
            source = builder.load(session, owner, self._context())
        return with_edits(builder.fields(source), self._texts.get(kind, owner))

    def save_texts(self, kind: Kind, owner: Owner, values: Mapping[str, str]) -> None:
        """Keep the officer's edits (only those that differ from the prefilled text)."""
        fields = [value.field for value in self.fields(kind, owner)]
        self._texts.save_changed(kind, owner, fields, values, "Văn bản")

    def reset_texts(self, kind: Kind, owner: Owner) -> None:
        """Forget the edits: the document prints the prefilled text again."""
        self._texts.reset(kind, owner)

    def documents(self, kind: Kind, owners: Sequence[Owner], report: Report | None = None) -> list[Document]:
        """The documents with the officer's edits applied, checked for required fields.

        `report` sees reading as the first half of the work (drawing is the second).
        """
        context = self._context()
        result: list[Document] = []
        with self._sessions() as session:
            for index, owner in enumerate(owners):
                builder = self._builder(kind, owner)
                source = builder.load(session, owner, context)
                fields = builder.fields(source)
                texts = merged(fields, self._texts.get(kind, owner))
                for field in fields:
                    if field.required and not texts[field.key].strip():
                        raise DocumentError(f"Chưa có {field.label.lower()} ({KIND_LABELS[kind]}, "
                                            f"{owner}). Hãy nhập trước khi in.")
                result += builder.build(source, texts)
                if report:
                    report(index + 1, len(owners) * 2)
        return result

    def pdf(self, kind: Kind, owners: Sequence[Owner], report: Report | None = None,
            invariant: bool = False) -> bytes:
        """The documents as one PDF in memory (the preview); `invariant`: the same documents
        give the same bytes, without the time of drawing (for the package to the province)."""
        from app.documents.pdf import pdf_bytes  # ReportLab's layout engine, only when drawing

        documents = self.documents(kind, owners, report)
        return pdf_bytes(documents, self.font(), _second_half(report), self._author(), invariant)

    def write_pdf(self, kind: Kind, owners: Sequence[Owner], path: Path,
                  report: Report | None = None) -> int:
        """Write the documents as one PDF through a temporary file; returns the page count."""
        from app.documents.pdf import render_pdf  # ReportLab's layout engine, only when drawing

        documents = self.documents(kind, owners, report)
        return render_pdf(documents, self.font(), path, _second_half(report), self._author())

    def write_docx(self, kind: Kind, owner: Owner, path: Path) -> None:
        """The Word copy of an achievement report or a proposal letter."""
        from app.documents.docx_copy import render_docx

        if kind not in WORD_KINDS:
            raise DocumentError(f"{KIND_LABELS[kind]} không xuất ra tệp Word; hãy in PDF.")
        documents = self.documents(kind, [owner])
        render_docx(documents, self.font().label, path)

    def _builder(self, kind: Kind, owner: Owner) -> catalogue.Builder:
        if owner.type not in KIND_OWNERS[kind]:
            raise DocumentError(f"{KIND_LABELS[kind]} không in cho {owner}.")
        return catalogue.builder(kind)

    def _context(self) -> BuildContext:
        setup = self._commune.get()
        if setup is None:
            raise SetupRequiredError("Hãy thiết lập xã (tên xã, người ký) trước khi in văn bản.")
        return BuildContext(setup=setup, today=local_date(self._clock))

    def _author(self) -> str:
        setup = self._commune.get()
        return f"UBND {setup.commune_name}" if setup else ""


def _second_half(report: Report | None) -> Report | None:
    """Drawing progress as the second half of a print job whose first half was reading."""
    if report is None:
        return None
    return lambda done, total: report(total + done, total * 2)
