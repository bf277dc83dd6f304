"""The web workspace: a Django project on top of the fairprocure library.

The library never imports this package. Call :func:`setup` before touching models from plain
Python (the CLI does); Django's own entry points (``wsgi``, pytest-django) configure themselves.
"""

from __future__ import annotations

import os

SETTINGS_MODULE = "fairprocure.web.settings"


def setup() -> None:
    """Configure Django with the workspace settings, once per process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()
