"""Creating offices, shared by the CLI and the admin."""

from __future__ import annotations

import pycountry

from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import Office, Organisation


def add_office(code: str, name: str, country: str, actor: str = "cli") -> Office:
    """Create an office; ``country`` may be an ISO alpha-2/alpha-3 code or a country name."""
    try:
        found = pycountry.countries.lookup(country.strip())
    except LookupError:
        raise ValueError(
            f"office {code}: unknown country {country!r}; give an ISO code (ARM, AM) or a name (Armenia)"
        ) from None
    office = Office.objects.create(
        organisation=Organisation.default(), code=code, name=name, country=found.alpha_3
    )
    record(
        actor, "office.created", office=office, target=code, details={"name": name, "country": found.alpha_3}
    )
    return office
