"""Reading generated documents back as text: PDF (pypdf) and DOCX (python-docx, tables included)."""

from __future__ import annotations

import io
import re


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def squeeze(text: str) -> str:
    """Whitespace (and the soft line breaks PDF text extraction puts inside long lines) as one space."""
    return re.sub(r"\s+", " ", text)
