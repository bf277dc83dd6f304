"""``fairprocure serve --demo``: a demo organisation whose offices hold the bundled real samples.

The screenings are queued for the background worker, so the server is up at once and the pages show
them progressing. Running it again adds nothing twice.
"""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model

from fairprocure.demo import demo_paths
from fairprocure.web.accounts.services import add_user
from fairprocure.web.offices.models import Office
from fairprocure.web.offices.services import add_office
from fairprocure.web.screenings.uploads import accept

OFFICES = {  # code: (name, country, bundled file)
    "uk-cf": ("Demo office: UK Contracts Finder releases", "GBR", "uk_contracts_finder_releases.jsonl"),
    "py-dncp": ("Demo office: Paraguay DNCP releases", "PRY", "paraguay_dncp_releases.jsonl"),
    "uk-hmt": ("Demo office: HM Treasury spend over £25k", "GBR", "hmt_spend_over_25k_2025Q1.csv"),
}
USERS = {  # name: (role, office)
    "demo-admin": ("administrator", None),
    "demo-buyer": ("procurement_officer", "uk-cf"),
    "demo-focal": ("focal_point", "uk-cf"),
    "demo-manager": ("management", None),
    "demo-auditor": ("auditor", None),
}


def load_demo() -> list[str]:
    """Create what is missing of the demo organisation; return lines to show the person starting it."""
    notes = []
    files = {p.name: p for p in demo_paths()}
    for code, (name, country, file_name) in OFFICES.items():
        office = Office.objects.filter(code=code).first() or add_office(code, name, country, actor="demo")
        with files[file_name].open("rb") as stream:
            accept(stream, file_name, office, "demo")
    password = os.environ.get("FAIRPROCURE_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    created = []
    for username, (role, office_code) in USERS.items():
        if not get_user_model().objects.filter(username=username).exists():
            add_user(username, role, password, office_code, actor="demo")
            created.append(username)
    if created:
        notes.append(f"demo users {', '.join(created)} — password: {password}")
    else:
        notes.append("demo users exist already (passwords unchanged)")
    return notes
