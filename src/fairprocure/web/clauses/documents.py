"""The Supplier Code of Conduct and the General Conditions of Contract, assembled from the library.

Each document takes the current (approved) version of every clause of its types, in the language asked
for, and names the version and sources of each clause, so a reader can trace every sentence.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import Action, requires
from fairprocure.web.audit.log import record
from fairprocure.web.clauses.library import cite
from fairprocure.web.clauses.models import LANGUAGES, Clause
from fairprocure.web.documents import Document, Heading, Paragraph, document_response

CODE_TYPES = (Clause.Type.CODE_OF_CONDUCT,)
GCC_TYPES = (
    Clause.Type.GENERAL_CONDITIONS,
    Clause.Type.PERFORMANCE,
    Clause.Type.AUDIT,
    Clause.Type.SUBCONTRACTING,
    Clause.Type.REMEDIATION,
    Clause.Type.SUSPENSION,
)


def current_versions(types, tier: str | None = None) -> list:
    """The approved current version of each clause of ``types`` (any category), in type order."""
    order = {t: i for i, t in enumerate(types)}
    clauses = Clause.objects.filter(type__in=types).prefetch_related("versions")
    if tier == Clause.Tier.LOWER:
        clauses = clauses.filter(tier=Clause.Tier.LOWER)
    found = []
    for clause in sorted(clauses, key=lambda c: (order[c.type], c.key)):
        version = next((v for v in clause.versions.all() if v.approved), None)
        if version is not None:
            found.append(version)
    return found


def clause_blocks(version, language: str, number: str) -> list:
    """A clause as blocks: numbered title, text, and a note naming its version and sources."""
    clause = version.clause
    keys = ", ".join(s["key"] for s in cite(clause.sources)) or clause.source_note
    note = _("Clause %(key)s, version %(v)s; sources: %(sources)s") % {
        "key": clause.key,
        "v": version.number,
        "sources": keys or "—",
    }
    return [
        Heading(f"{number} {version.title_in(language)}", level=3),
        Paragraph(version.text_in(language)),
        Paragraph(note, note=True),
    ]


def supplier_code(language: str) -> Document:
    with translation.override(language):
        doc = Document(
            _("Supplier Code of Conduct: trafficking in human beings and labour exploitation"),
            language=language,
            subtitle=_("Assembled from the clause library on %(date)s")
            % {"date": timezone.localdate().isoformat()},
        )
        doc.add(
            Paragraph(
                _(
                    "The supplier and everyone in its supply chain who works on the goods or services delivered "
                    "to us respect the standards below. They apply to employees, agency workers and workers of "
                    "subcontractors alike."
                )
            )
        )
        for n, version in enumerate(current_versions(CODE_TYPES), 1):
            doc.add(*clause_blocks(version, language, f"{n}."))
    return doc


def general_conditions(language: str) -> Document:
    with translation.override(language):
        doc = Document(
            _("General Conditions of Contract: labour rights and anti-trafficking provisions"),
            language=language,
            subtitle=_("Assembled from the clause library on %(date)s")
            % {"date": timezone.localdate().isoformat()},
        )
        section = 0
        for t in GCC_TYPES:
            versions = [v for v in current_versions(GCC_TYPES) if v.clause.type == t]
            if not versions:
                continue
            section += 1
            doc.add(Heading(f"{section}. {Clause.Type(t).label}"))
            for n, version in enumerate(versions, 1):
                doc.add(*clause_blocks(version, language, f"{section}.{n}"))
    return doc


DOCUMENTS = {"code-of-conduct": supplier_code, "general-conditions": general_conditions}


@requires(Action.VIEW)
def download(request, document: str, fmt: str):
    build = DOCUMENTS.get(document)
    language = request.GET.get("lang") or (translation.get_language() or "en")[:2]
    if build is None or fmt not in ("pdf", "docx") or language not in LANGUAGES:
        raise Http404("no such document")
    doc = build(language)
    record(request.user, "clauses.document", target=f"{document}.{fmt}", details={"language": language})
    return document_response(doc, fmt, document)
