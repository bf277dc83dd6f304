"""What a screening of an office passes to the library beyond the file: the people's decisions in force
and the organisation's own text model (the hook the screening job calls)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path


def screening_inputs(office, directory: Path) -> dict:
    """``{"decisions": decision file, "model": model file}`` for a screening of ``office``, each only when
    there is one: the decisions in force for the office written to ``directory`` (the CLI's
    ``--decisions`` file) and the organisation's retrained model in use."""
    from fairprocure.web.review.memory import learn
    from fairprocure.web.review.services import export_csv, in_force
    from fairprocure.web.review.training import model_path

    out: dict = {}
    decisions, memory = in_force(office), learn(office)
    if decisions or memory:
        path = Path(directory) / "decisions.csv"
        path.write_text(export_csv(decisions, memory.values(), for_people=False), encoding="utf-8")
        out["decisions"] = path
    model = model_path(office.organisation)
    if model is not None:
        out["model"] = model
    return out


@contextlib.contextmanager
def inputs_for(office) -> Iterator[dict]:
    """:func:`screening_inputs` in a temporary directory removed when the screening is done."""
    with tempfile.TemporaryDirectory(prefix="fairprocure-inputs-") as directory:
        yield screening_inputs(office, Path(directory))
