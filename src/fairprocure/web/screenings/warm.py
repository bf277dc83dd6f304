"""Imported once by the screening processes' fork server: the library and its reference data, loaded.

Every screening process is forked from that server, so it starts in milliseconds with the country
names, exchange rates, TIP tiers and the text classifier already in memory (shared, copy-on-write),
instead of loading them again for each job (about ten seconds).
"""

from __future__ import annotations

import logging
import os

from fairprocure.web.screenings.runner import die_with_parent

die_with_parent(os.getppid())  # the fork server goes with the server, even while it is still loading

try:
    from fairprocure.classify.model import load_classifier
    from fairprocure.reference import countries, currency
    from fairprocure.score.model import Context

    Context.build(None, None, (), None)
    countries.load_names()  # a ledger's column profile asks for them
    currency.is_currency("EUR")
    load_classifier()
    import fairprocure.screening  # noqa: F401
except Exception:  # a job loads what it needs itself; warming is only a head start
    logging.getLogger("fairprocure.web.jobs").exception("warming the screening processes failed")
