"""The ``fairprocure`` command: a thin layer over the library.

Screening commands live in :mod:`fairprocure.cli.screening`; the web workspace's commands
(offices, users, import, serve) in :mod:`fairprocure.cli.workspace`, which imports Django only
when one of them runs.
"""

from __future__ import annotations

import click

from fairprocure import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fairprocure")
def main() -> None:
    """Screen procurement data for the risk of trafficking, forced and child labour."""


def _register() -> None:
    from fairprocure.cli import screening

    screening.register(main)
    try:
        from fairprocure.cli import workspace
    except ImportError:  # the web workspace is not built into this installation
        return
    workspace.register(main)


_register()
