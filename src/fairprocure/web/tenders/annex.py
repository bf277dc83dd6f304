"""The tender annex: chosen clauses, evaluation criteria, the supplier declaration and the questionnaire.

``build(annex)`` turns plain values into a :class:`~fairprocure.web.documents.Document` in the annex's
language; ``render_pdf``/``render_docx`` make the files. Nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from fairprocure.web.documents import Bullets, Document, Heading, Paragraph, Table

# The order clause types appear in, with the annex part they belong to.
PARTS = (
    ("A", ("code_of_conduct",)),
    (
        "B",
        (
            "general_conditions",
            "contract_performance",
            "audit_monitoring",
            "subcontracting_disclosure",
            "remediation",
            "suspension_termination",
        ),
    ),
)


@dataclass(frozen=True)
class AnnexClause:
    type: str
    type_label: str
    key: str
    version: int
    title: str
    text: str
    sources: str


@dataclass(frozen=True)
class AnnexCriterion:
    kind: str  # selection | award
    title: str
    weight: str  # "" for selection
    social: bool
    guidance: str


@dataclass
class Annex:
    language: str
    tender: str
    office: str
    category: str
    heightened: bool
    clauses: list[AnnexClause] = field(default_factory=list)
    criteria: list[AnnexCriterion] = field(default_factory=list)
    questionnaire: str = ""  # the questionnaire's name and version, when the supplier registry has one
    social_minimum: str = ""
    draft: bool = True


def build(annex: Annex) -> Document:
    with translation.override(annex.language):
        doc = Document(
            _("Annex to the tender documents: labour rights and trafficking in human beings"),
            language=annex.language,
            subtitle=f"{annex.tender} · {annex.office} · {annex.category}"
            + (f" · {_('draft')}" if annex.draft else ""),
        )
        level = _("heightened due diligence") if annex.heightened else _("standard due diligence")
        doc.add(
            Paragraph(
                _(
                    "This annex forms part of the tender documents and of the contract that follows. The purchase "
                    "has been assessed for the risk of trafficking in human beings and labour exploitation; it is "
                    "subject to %(level)s."
                )
                % {"level": level}
            )
        )
        for part, types in PARTS:
            chosen = [c for c in annex.clauses if c.type in types]
            if not chosen:
                continue
            title = (
                _("Part %(p)s. Supplier Code of Conduct")
                if part == "A"
                else _("Part %(p)s. Contract conditions")
            )
            doc.add(Heading(title % {"p": part}))
            for n, c in enumerate(chosen, 1):
                doc.add(
                    Heading(f"{part}.{n} {c.title}", level=3),
                    Paragraph(c.text),
                    Paragraph(
                        _("%(type)s · clause %(key)s, version %(v)s · sources: %(s)s")
                        % {"type": c.type_label, "key": c.key, "v": c.version, "s": c.sources},
                        note=True,
                    ),
                )
        selection = [c for c in annex.criteria if c.kind == "selection"]
        award = [c for c in annex.criteria if c.kind == "award"]
        doc.add(Heading(_("Part C. Selection criteria (pass or fail)")))
        clause_selection = [c for c in annex.clauses if c.type == "selection_criterion"]
        if selection or clause_selection:
            doc.add(
                Table(
                    (_("Criterion"), _("How it is assessed")),
                    tuple((c.title, c.guidance) for c in selection)
                    + tuple((c.title, c.text) for c in clause_selection),
                )
            )
        else:
            doc.add(Paragraph(_("None.")))
        doc.add(Heading(_("Part D. Award criteria and their weights")))
        if award:
            doc.add(
                Table(
                    (_("Criterion"), _("Weight"), _("Scoring guidance")),
                    tuple(
                        (c.title + (f" ({_('social')})" if c.social else ""), f"{c.weight}%", c.guidance)
                        for c in award
                    ),
                )
            )
        for c in [c for c in annex.clauses if c.type == "award_criterion"]:
            doc.add(Paragraph(f"{c.title}: {c.text}"))
        if annex.social_minimum:
            doc.add(
                Paragraph(
                    _("Social criteria weigh at least %(w)s%% of the award, as the policy requires.")
                    % {"w": annex.social_minimum},
                    note=True,
                )
            )
        doc.add(
            Paragraph(
                _(
                    "A price below the lawful cost of the labour the contract needs (hours × the legal minimum or "
                    "collective-agreement wage × (1 + employer contributions), plus equipment, insurance and "
                    "training) is treated as abnormally low: the bidder is asked to explain it and the bid is "
                    "rejected if the explanation does not show that lawful wages will be paid."
                )
            )
        )
        doc.add(Heading(_("Part E. Supplier declaration")))
        doc.add(
            Paragraph(
                _(
                    "The bidder declares that it has read this annex and accepts its clauses; that neither it nor any "
                    "person with powers over it has been convicted of an offence of trafficking in human beings, "
                    "forced labour or slavery; that it will pass these obligations on to its subcontractors and "
                    "labour providers; and that the information it gives in the questionnaire is true."
                )
            ),
            Bullets(
                (_("Name of the bidder:"), _("Name and position of the signatory:"), _("Date and signature:"))
            ),
        )
        doc.add(Heading(_("Part F. Supplier questionnaire")))
        doc.add(
            Paragraph(
                _("The bidder answers %(q)s and keeps its answers current during the contract.")
                % {
                    "q": annex.questionnaire
                    or _("the buyer's labour-rights questionnaire, sent with the invitation")
                }
            )
        )
    return doc
