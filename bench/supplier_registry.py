"""Filing every distinct supplier spelling of the shared real data into an empty supplier registry.

    python bench/supplier_registry.py [../shared/data]

Prints the spellings, the suppliers they were filed under, and the CPU and wall time of
``fairprocure.web.suppliers.registry.resolve`` (SQLite in a temporary FAIRPROCURE_HOME).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main(root: Path) -> None:
    os.environ.setdefault("FAIRPROCURE_HOME", tempfile.mkdtemp(prefix="fairprocure-bench-"))
    os.environ.setdefault("FAIRPROCURE_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fairprocure.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from fairprocure.web.suppliers import registry
    from fairprocure.web.suppliers.models import Supplier

    sys.path.insert(0, str(Path(__file__).parent))
    from supplier_name_candidates import names

    call_command("migrate", verbosity=0)
    spellings = list(dict.fromkeys(name for _, name, _ in names(root)))
    index = registry._index()
    cpu, wall = time.process_time(), time.perf_counter()
    with transaction.atomic():
        for name in spellings:
            registry.resolve(name, index=index)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{len(spellings)} spellings -> {Supplier.objects.count()} suppliers; {cpu:.1f} s CPU, {wall:.1f} s wall"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
