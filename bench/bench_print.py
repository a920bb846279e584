"""500 two-page achievement reports (báo cáo thành tích) printed to one PDF, against raw ReportLab.

Target: at least 0.6× the pages per second of raw ReportLab drawing the same pages.
- Ours: `PrintService.write_pdf(Kind.REPORT, owners, path)`: for each nomination it reads the
  register, the history window and the officer's edits, builds the document, checks every
  character against the font, lays it out in the NĐ 30 layout and writes through a
  temporary file.
- Raw, in the same run, on the same text: the documents' paragraphs and tables (taken from
  our builder beforehand, so the content is identical) laid out by a plain ReportLab
  `SimpleDocTemplate` with the same font, sizes and table style, written to a file.

The database is a small cached demo (bench/out/), with 500 individuals given a nomination and
a section II long enough for two pages.

Run: python -m bench.bench_print [--reports 500]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from xml.sax.saxutils import escape

from app.demo import DemoSizes
from app.documents.kinds import Kind, Owner
from app.documents.layout import MARGINS, MM
from app.documents.model import Document, Para
from app.documents.model import Table as DocTable
from app.roles import SYSTEM_ACTOR
from app.services import Services
from bench.large_database import large_database
from db.migrate import open_database
from db.models import DocumentText, Individual, Nomination

TARGET_RATIO = 0.6
SIZES = DemoSizes(individuals=800, collectives=20, households=0, villages=3, years=5, worked=0)
ACHIEVEMENT = ("Trong năm, đồng chí luôn hoàn thành xuất sắc nhiệm vụ được giao, chủ động tham mưu "
               "cho lãnh đạo triển khai các phong trào thi đua, vận động nhân dân tham gia xây dựng "
               "nông thôn mới, giữ gìn an ninh trật tự và vệ sinh môi trường ở khu dân cư. ")


def prepare(path: Path, reports: int) -> list[Owner]:
    """Give `reports` people a nomination and a long section II (enough for two pages)."""
    database = open_database(path)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        now = datetime(2026, 1, 10)
        with sessions.begin() as session:
            people = session.scalars(select(Individual.id).order_by(Individual.id).limit(reports)).all()
            nominations = [Nomination(year=2025, subject_id=pid, award_code="LDTT", created_at=now,
                                      updated_at=now) for pid in people]
            session.add_all(nominations)
            session.flush()
            texts = json.dumps({"achievements": ACHIEVEMENT * 9, "left_name": "Nguyễn Văn Bình",
                                "duties": ACHIEVEMENT * 2}, ensure_ascii=False, sort_keys=True)
            session.add_all(DocumentText(kind=str(Kind.REPORT), nomination_id=n.id, fields=texts,
                                         updated_at=now) for n in nominations)
            return [Owner("nomination", n.id) for n in nominations]
    finally:
        database.close()


def raw_reportlab(documents: list[Document], font_name: str, out: Path) -> int:
    """The same pages through plain ReportLab: the header blocks and the closing as two-column
    tables of Paragraphs, the body and the history tables, with the same fonts, sizes,
    spacing and margins as our layout (so both draw the same number of pages)."""
    width = (210 - MARGINS.left - MARGINS.right) * MM

    def style(size: float, bold: bool = False, italic: bool = False, align: int = TA_CENTER,
              indent: float = 0, before: float = 0) -> ParagraphStyle:
        face = font_name + {(False, False): "", (True, False): "-Bold", (False, True): "-Italic",
                            (True, True): "-BoldItalic"}[(bold, italic)]
        return ParagraphStyle("s", fontName=face, fontSize=size, leading=size * 1.2, alignment=align,
                              firstLineIndent=indent, spaceBefore=before)

    def para(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), paragraph_style)

    plain = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story: list[object] = []
    for document in documents:
        header = document.header
        left = [para(line, style(13, bold=True)) for line in header.issuing_body]
        right = [para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style(12, bold=True)),
                 para("Độc lập - Tự do - Hạnh phúc", style(13, bold=True)),
                 para(header.place_date, style(14, italic=True, before=8))]
        story.append(Table([[left, right]], colWidths=[width - 95 * MM, 95 * MM], style=plain))
        story += [para(document.type_name, style(14, bold=True, before=18)),
                  para(document.abstract, style(14, bold=True)), Spacer(1, 6)]
        for block in document.body:
            if isinstance(block, Para):
                story.append(para(block.text, style(14, block.bold, block.italic, TA_JUSTIFY,
                                                    10 * MM if block.indent else 0, 6)))
            elif isinstance(block, DocTable):
                cells = style(12, align=0)
                rows = [[para(text, cells) for text in row]
                        for row in ((c.title for c in block.columns), *block.rows)]
                total = sum(c.width for c in block.columns)
                story.append(Table(rows, colWidths=[width * c.width / total for c in block.columns],
                                   repeatRows=1, style=grid, spaceBefore=6))
        signers = [[para(s.authority, style(14, bold=True)), para(s.title, style(14, bold=True)),
                    para(s.caption, style(14, italic=True)), Spacer(1, 28 * MM),
                    para(s.name, style(14, bold=True))] for s in document.signatures]
        story += [Spacer(1, 12), Table([signers], colWidths=[width / len(signers)] * len(signers),
                                       style=plain), PageBreak()]
    pages: list[int] = []
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=MARGINS.left * MM,
                            rightMargin=MARGINS.right * MM, topMargin=MARGINS.top * MM,
                            bottomMargin=MARGINS.bottom * MM)
    doc.build(story[:-1], onLaterPages=lambda canvas, _doc: pages.append(canvas.getPageNumber()),
              onFirstPage=lambda canvas, _doc: pages.append(canvas.getPageNumber()))
    return len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "print.sqlite"
        shutil.copyfile(large_database(SIZES), path)
        owners = prepare(path, args.reports)
        database = open_database(path)
        try:
            services = Services.create(sessionmaker(database.engine, expire_on_commit=False), SYSTEM_ACTOR)
            font = services.printing.font()  # resolved and registered before either clock starts
            documents = services.printing.documents(Kind.REPORT, owners)  # the raw side's content

            started = time.perf_counter()
            raw_pages = raw_reportlab(documents, font.name, Path(folder) / "raw.pdf")
            raw_seconds = time.perf_counter() - started

            started = time.perf_counter()
            our_pages = services.printing.write_pdf(Kind.REPORT, owners, Path(folder) / "ours.pdf")
            our_seconds = time.perf_counter() - started
        finally:
            database.close()
    ours, raw = our_pages / our_seconds, raw_pages / raw_seconds
    ratio = ours / raw
    print(f"font: {font.label}")
    print(f"raw ReportLab : {raw_pages} pages in {raw_seconds:.2f} s = {raw:.1f} pages/s")
    print(f"TĐKT Xã       : {our_pages} pages ({len(owners)} reports, "
          f"{our_pages / len(owners):.2f} pages each) in {our_seconds:.2f} s = {ours:.1f} pages/s")
    print(f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO}): {'met' if ratio >= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
