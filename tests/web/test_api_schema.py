"""The API against its own OpenAPI schema: schemathesis with a token per role, on a live server.

For every role, schemathesis generates requests for every operation of ``/api/openapi.json`` (the
schema's examples, boundary values and random inputs, a fixed seed) against ``fairprocure serve``
holding a real screened file. Zero server errors and zero responses that break the schema.

Input the schema forbids (schemathesis's negative cases) is refused before a role matters: django-ninja
authenticates the token, then validates the input (422), and only then does the view ask what the role
may do. So the negative cases run once, with the administrator's token (who reaches every view's
work); every role runs the valid ones, which take the role-dependent paths. That halves the requests
of five of the six runs (docs/performance.md, "Test suite").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from web.live_server import Server, migrated, provision

pytestmark = pytest.mark.live_server
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
ROLES = ["administrator", "procurement_officer", "focal_point", "management", "auditor", "supplier"]
EXAMPLES = 10  # per operation and role; a fixed seed makes each run the same


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("api-home"))
    tokens = json.loads(
        provision(
            home,
            "import json\n"
            "from django.conf import settings\n"
            "settings.SCREENINGS_IN_CHILD = False\n"
            "from fairprocure.demo import demo_paths\n"
            "from fairprocure.web.accounts.services import add_user, issue_token\n"
            "from fairprocure.web.offices.services import add_office\n"
            "from fairprocure.web.screenings.jobs import run_pending\n"
            "from fairprocure.web.screenings.uploads import accept\n"
            "uk = add_office('uk', 'UK office', 'GBR', actor='test')\n"
            "add_office('tj', 'Dushanbe office', 'TJK', actor='test')\n"
            "people = {'administrator': None, 'procurement_officer': 'uk', 'focal_point': 'uk',\n"
            "          'management': None, 'auditor': None}\n"
            "tokens = {}\n"
            "for role, office in people.items():\n"
            "    add_user(role, role, 'a long enough password', office, actor='test')\n"
            "    tokens[role] = issue_token(role)\n"
            "path = next(p for p in demo_paths() if p.name == 'paraguay_dncp_releases.jsonl')\n"
            "with path.open('rb') as f:\n"
            "    accept(f, path.name, uk, 'test')\n"
            "run_pending()\n"
            "from fairprocure.web.questionnaires.models import Response\n"
            "from fairprocure.web.questionnaires.services import ensure_default_template\n"
            "from fairprocure.web.suppliers.models import Supplier, SupplierAccount\n"
            "supplier = Supplier.objects.create(name='Limpieza Total S.A.', key='limpieza total')\n"
            "account = add_user('supplier', 'supplier', 'a long enough password', actor='test')\n"
            "SupplierAccount.objects.create(user=account, supplier=supplier)\n"
            "Response.objects.create(supplier=supplier, version=ensure_default_template(), variant='services')\n"
            "tokens['supplier'] = issue_token('supplier')\n"
            "print(json.dumps(tokens))\n",
        )
        .strip()
        .splitlines()[-1]
    )
    server = Server(home, "--workers", "1").start()
    yield server.url, tokens, home
    server.stop()


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_no_response_against_the_schema(live, role):
    url, tokens, home = live
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{url}/api/openapi.json",
            "--header",
            f"Authorization: Bearer {tokens[role]}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--mode",
            "all" if role == "administrator" else "positive",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "20261130",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
        ],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(home)},
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout.lower()
