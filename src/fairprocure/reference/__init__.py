"""Reference data shipped with fairprocure: each dataset with its source, licence and edition.

``datasets()`` reads the manifest ``datasets.toml``; the loaders live in one module per source
(:mod:`.ilab`, :mod:`.tip`, :mod:`.wgi`, :mod:`.countries`, :mod:`.currency`), and users add their
own licensed country indicators through :mod:`.indicators`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    publisher: str
    edition: str
    licence: str
    source: str
    files: tuple[str, ...]


def data_path(relative: str) -> Path:
    """Path of a shipped reference file, relative to ``reference/data/``."""
    return Path(str(files("fairprocure.reference").joinpath("data", relative)))


@cache
def datasets() -> tuple[Dataset, ...]:
    raw = tomllib.loads(files("fairprocure.reference").joinpath("datasets.toml").read_text("utf-8"))
    return tuple(
        Dataset(id=key, files=tuple(spec.pop("files", ())), **spec)
        for key, spec in ((k, dict(v)) for k, v in raw.items())
    )
