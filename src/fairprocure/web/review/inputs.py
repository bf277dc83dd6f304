"""What a screening of an office passes to the library beyond the file: the people's decisions in force
and the organisation's own text model (the hook the screening job calls)."""

from __future__ import annotations

from pathlib import Path


def screening_inputs(office, directory: Path) -> dict:
    """``{"decisions": decision file, "model": model file}`` (paths as text, for the job's options) for a
    screening of ``office``, each only when there is one: the decisions in force for the office and its
    supplier memory written to ``directory`` (the CLI's ``--decisions`` file) and the organisation's
    retrained model in use."""
    from fairprocure.web.review.memory import learn
    from fairprocure.web.review.services import export_csv, in_force
    from fairprocure.web.review.training import model_path

    out: dict = {}
    decisions, memory = in_force(office), learn(office)
    if decisions or memory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        path = Path(directory) / "decisions.csv"
        path.write_text(export_csv(decisions, memory.values(), for_people=False), encoding="utf-8")
        out["decisions"] = str(path)
    model = model_path(office.organisation)
    if model is not None:
        out["model"] = str(model)
    return out
