"""Documents people send (tender annexes, codes of conduct, conditions of contract, reports), one source, two files.

A document is built once as a plain structure — headings, paragraphs, lists, tables — by a business
module that knows nothing of file formats; :func:`render_pdf` renders it through one HTML template with
WeasyPrint (Pango, DejaVu fonts for Cyrillic) and :func:`render_docx` writes the same blocks with
python-docx, so the PDF and the editable Word file always say the same thing::

    doc = Document("Tender annex", language="ru", blocks=[Heading("1. ..."), Paragraph("...")])
    pdf, docx = render_pdf(doc), render_docx(doc)
    return document_response(doc, "pdf", "annex")
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = subsection, 3 = clause title


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a smaller explanatory line (source, version)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Document:
    title: str
    language: str = "en"
    subtitle: str = ""
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> Document:
        self.blocks.extend(blocks)
        return self

    def text(self) -> str:
        """All the words, in order (for tests and search)."""
        out = [self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, Heading | Paragraph):
                out.append(b.text)
            elif isinstance(b, Bullets):
                out.extend(b.items)
            elif isinstance(b, Table):
                out.extend(" ".join(r) for r in (b.header, *b.rows))
        return "\n".join(t for t in out if t)


FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def render_html(doc: Document) -> str:
    return render_to_string("documents/document.html", {"doc": doc, "blocks": [_kind(b) for b in doc.blocks]})


def _kind(block) -> dict:
    return {"kind": type(block).__name__.lower(), "block": block}


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


def render_docx(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.shared import Pt

    out = Docx()
    out.core_properties.title = doc.title
    out.core_properties.language = doc.language
    out.styles["Normal"].font.name = "DejaVu Sans"
    out.styles["Normal"].font.size = Pt(10)
    out.add_heading(doc.title, level=0)
    if doc.subtitle:
        out.add_paragraph(doc.subtitle, style="Subtitle")
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.add_heading(b.text, level=min(b.level, 3))
        elif isinstance(b, Paragraph):
            p = out.add_paragraph(b.text)
            if b.note:
                for run in p.runs:
                    run.font.size, run.italic = Pt(8), True
        elif isinstance(b, Bullets):
            for item in b.items:
                out.add_paragraph(item, style="List Bullet")
        elif isinstance(b, Table):
            table = out.add_table(rows=1, cols=len(b.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b.header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in b.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "html":
        return render_html(doc).encode("utf-8")
    raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def document_response(doc: Document, fmt: str, name: str) -> HttpResponse:
    """The document as a download named ``name-<language>.<fmt>``."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "document"
    response = HttpResponse(render(doc, fmt), content_type=FORMATS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{safe}-{doc.language}.{fmt}"'
    return response
