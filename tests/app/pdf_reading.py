"""Reading printed PDFs back in tests: text in NFC, every character's font, size and place."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    """Characters sharing a baseline: their text, font (without subset prefix), size, box (mm)."""

    text: str
    font: str
    size: float
    left_mm: float
    right_mm: float
    top_mm: float  # from the top of the page


@dataclass(frozen=True)
class Page:
    number: int
    width_mm: float
    height_mm: float
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def line(self, starting: str) -> Line:
        """The first line starting with `starting` (AssertionError naming the page if none)."""
        for line in self.lines:
            if line.text.startswith(starting):
                return line
        raise AssertionError(f"no line starting {starting!r} on page {self.number}:\n{self.text}")


@dataclass(frozen=True)
class Pdf:
    pages: tuple[Page, ...]
    rules: tuple[tuple[tuple[float, float, float], ...], ...]  # per page: (x0, x1, top) in mm
    metadata: dict[str, str]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def read_pdf(source: Path | bytes) -> Pdf:
    """Every page's lines (grouped by baseline, left to right) and horizontal rules."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
    with stream, pdfplumber.open(stream) as pdf:
        pages = []
        rules = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(Page(number, page.width / MM, page.height / MM, tuple(_lines(page))))
            rules.append(tuple((line["x0"] / MM, line["x1"] / MM, line["top"] / MM)
                               for line in page.lines if abs(line["top"] - line["bottom"]) < 0.5))
        metadata = {key: str(value) for key, value in (pdf.metadata or {}).items()}
    return Pdf(tuple(pages), tuple(rules), metadata)


def _lines(page: pdfplumber.page.Page) -> list[Line]:
    """Characters grouped by baseline, split where a gap wider than 3 em separates columns."""
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        key = round(char["bottom"], 1)
        for existing in rows:  # within a point of a known baseline: the same line
            if abs(existing - char["bottom"]) <= 1.0:
                key = existing
                break
        rows.setdefault(key, []).append(char)
    lines = []
    for bottom in sorted(rows):
        chars = sorted(rows[bottom], key=lambda c: c["x0"])
        segment: list[dict] = []
        for char in chars:
            if segment and char["x0"] - segment[-1]["x1"] > char["size"] * 3:
                lines.append(_line(segment))
                segment = []
            segment.append(char)
        lines.append(_line(segment))
    return lines


def _line(chars: list[dict]) -> Line:
    text = ""
    previous = None
    for char in chars:
        if previous is not None and char["x0"] - previous["x1"] > char["size"] * 0.15 \
                and not text.endswith(" ") and char["text"] != " ":
            text += " "
        text += char["text"]
        previous = char
    visible = [c for c in chars if c["text"].strip()] or chars
    first = visible[0]
    return Line(
        text=unicodedata.normalize("NFC", " ".join(text.split())),
        font=first["fontname"].split("+")[-1],
        size=round(first["size"], 1),
        left_mm=min(c["x0"] for c in visible) / MM,
        right_mm=max(c["x1"] for c in visible) / MM,
        top_mm=min(c["top"] for c in visible) / MM,
    )
