"""The building blocks every factor shares: a Factor, and the Context it is computed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.classify.codes import CodeMaps, code_maps
from fairprocure.classify.decisions import Decisions, load_decisions
from fairprocure.messages import Message, english_country
from fairprocure.reference import ilab, tip, wgi
from fairprocure.reference.indicators import Indicator, load_indicator
from fairprocure.score.evidence import SupplierEvidence, load_supplier_evidence
from fairprocure.score.policy import Policy, load_policy

SEVERITY_BANDS = ("none_known", "exploitation", "child_labour", "forced_labour")


@dataclass(frozen=True)
class Factor:
    """One reason a line scores what it does. ``points`` may be negative (supplier evidence, the cap).

    ``evidence`` is a :class:`fairprocure.messages.Message` (its English text, with the template and
    parameters an interface needs to translate it); a plain string is accepted but cannot be translated.
    """

    factor: str
    points: float
    evidence: str
    source: str
    severity: int = 0  # index into SEVERITY_BANDS: the gravest abuse this factor points to

    @property
    def message(self) -> Message | None:
        return self.evidence if isinstance(self.evidence, Message) else None

    def as_dict(self) -> dict[str, object]:
        """The factor as the register's ``factors`` JSON holds it; ``t``/``p``: the evidence's template."""
        out: dict[str, object] = {
            "factor": self.factor,
            "points": self.points,
            "evidence": str.__str__(self.evidence),
            "source": self.source,
        }
        if isinstance(self.evidence, Message):
            out |= self.evidence.as_json()
        return out


@dataclass
class Context:
    """Policy and reference data for one screening."""

    policy: Policy = field(default_factory=load_policy)
    tiers: dict[str, tip.Tier] = field(default_factory=tip.tiers)
    governance: dict[str, wgi.Governance] = field(default_factory=wgi.governance_by_country)
    findings: dict[str, ilab.Findings] = field(default_factory=ilab.findings_by_country)
    listings: dict[str, tuple[ilab.Listing, ...]] = field(default_factory=ilab.listings_by_country)
    indicators: list[Indicator] = field(default_factory=list)
    suppliers: SupplierEvidence = field(default_factory=SupplierEvidence)
    codes: CodeMaps = field(default_factory=code_maps)  # classification-code mappings, with any user files
    decisions: Decisions = field(default_factory=Decisions)  # people's classification decisions

    @classmethod
    def build(
        cls,
        policy: Policy | str | Path | None = None,
        tip_tiers: str | Path | None = None,
        indicators: list[str | Path] | tuple[str | Path, ...] = (),
        supplier_evidence: str | Path | None = None,
        decisions: str | Path | Decisions | None = None,
    ) -> Context:
        pol = policy if isinstance(policy, Policy) else load_policy(policy)
        return cls(
            policy=pol,
            tiers=tip.tiers(tip_tiers),
            indicators=[load_indicator(p) for p in indicators],
            suppliers=load_supplier_evidence(supplier_evidence) if supplier_evidence else SupplierEvidence(),
            decisions=load_decisions(decisions),
        )


def country_name(iso3: str) -> str:
    return english_country(iso3)
