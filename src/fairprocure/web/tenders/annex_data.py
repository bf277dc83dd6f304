"""A dossier's annex: reads the dossier and hands plain values to :mod:`annex`."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext

from fairprocure.web.clauses.models import Clause
from fairprocure.web.labels import CATEGORY_LABELS
from fairprocure.web.tenders.annex import Annex, AnnexClause, AnnexCriterion, build


def questionnaire_reference(language: str) -> str:
    """The supplier questionnaire bidders answer: the registry's labour-rights template, by title and version."""
    if not apps.is_installed("fairprocure.web.questionnaires"):
        return ""
    from fairprocure.web.questionnaires.services import ensure_default_template

    latest = ensure_default_template().template.latest()
    with translation.override(language):
        return gettext("the questionnaire “%(title)s” (version %(version)s) in the supplier portal") % {
            "title": latest.title(language),
            "version": latest.version,
        }


def annex_for(dossier):
    lang = dossier.language
    with translation.override(lang):
        clauses = [
            AnnexClause(
                type=c.clause.type,
                type_label=str(Clause.Type(c.clause.type).label),
                key=c.clause.key,
                version=c.version.number,
                title=c.version.title_in(lang),
                text=c.version.text_in(lang),
                sources=", ".join(c.clause.sources) or c.clause.source_note,
            )
            for c in dossier.chosen.select_related("clause", "version")
        ]
        category = str(CATEGORY_LABELS.get(dossier.category, dossier.category))
    criteria = [
        AnnexCriterion(
            c.kind,
            c.title_in(lang),
            f"{c.weight:g}" if c.weight is not None else "",
            c.social,
            c.guidance_in(lang),
        )
        for c in dossier.criteria.all()
    ]
    return build(
        Annex(
            language=lang,
            tender=dossier.title,
            office=dossier.office.name,
            category=category,
            heightened=dossier.heightened,
            clauses=clauses,
            criteria=criteria,
            questionnaire=questionnaire_reference(lang),
            social_minimum=f"{dossier.social_minimum:g}" if dossier.social_minimum is not None else "",
            draft=not dossier.signed,
        )
    )
