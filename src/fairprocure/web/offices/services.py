"""Creating offices, shared by the CLI and the admin."""

from __future__ import annotations

import pycountry

from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import Office, Organisation


def add_office(code: str, name: str, country: str, actor: str = "cli", currency: str = "") -> Office:
    """Create an office; ``country`` may be an ISO alpha-2/alpha-3 code or a country name; ``currency``
    (ISO 4217) is its accounts' currency, empty for its country's."""
    try:
        found = pycountry.countries.lookup(country.strip())
    except LookupError:
        raise ValueError(
            f"office {code}: unknown country {country!r}; give an ISO code (ARM, AM) or a name (Armenia)"
        ) from None
    currency = check_currency(code, currency)
    office = Office.objects.create(
        organisation=Organisation.default(), code=code, name=name, country=found.alpha_3, currency=currency
    )
    details = {"name": name, "country": found.alpha_3} | ({"currency": currency} if currency else {})
    record(actor, "office.created", office=office, target=code, details=details)
    return office


def check_currency(code: str, currency: str) -> str:
    """``currency`` as an ISO 4217 code ("" stays ""); ValueError naming the office if unknown."""
    from fairprocure.reference.currency import is_currency

    currency = (currency or "").strip().upper()
    if currency and not is_currency(currency):
        raise ValueError(f"office {code}: unknown currency {currency!r}; give an ISO 4217 code such as EUR")
    return currency
