"""Workspace commands: offices, users, import, serve. Django is imported only when one of them runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


def _django() -> None:
    """Configure Django and bring the database schema up to date (quietly; cheap when current)."""
    try:
        from fairprocure.web import setup
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise click.ClickException(
            f"the web workspace needs its extras: pip install 'fairprocure[web]' ({exc})"
        ) from exc
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group("offices")
def offices() -> None:
    """Offices (executive structures, field operations) of the organisation."""


@offices.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Full name, e.g. 'OSCE Programme Office in Dushanbe'.")
@click.option("--country", required=True, help="Country of the office: ISO code or name.")
@click.option(
    "--currency",
    default="",
    help="Currency of the office's accounts (ISO code); default: its country's. Assumed for amounts a file gives without one.",
)
def offices_add(code: str, name: str, country: str, currency: str) -> None:
    """Add office CODE."""
    _django()
    from django.db import IntegrityError

    from fairprocure.web.offices.services import add_office

    try:
        office = add_office(code, name, country, currency=currency)
    except (ValueError, IntegrityError) as exc:
        raise _fail(
            exc if isinstance(exc, ValueError) else ValueError(f"office {code} exists already")
        ) from exc
    click.echo(f"office {office.code} added ({office.name}, {office.country}, {office.accounts_currency})")


@offices.command("list")
def offices_list() -> None:
    """List offices."""
    _django()
    from fairprocure.web.offices.models import Office

    for office in Office.objects.all():
        click.echo(f"{office.code}\t{office.country}\t{office.accounts_currency or ''}\t{office.name}")


@click.group("users")
def users() -> None:
    """Workspace users, their roles and API tokens."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["administrator", "procurement_officer", "focal_point", "management", "auditor"]),
)
@click.option(
    "--office", "office_code", help="Office CODE (required for procurement officers and focal points)."
)
@click.option("--all-offices", is_flag=True, help="A focal point for every office.")
@click.option(
    "--email", default="", help="Where password-reset links go (else only an administrator resets)."
)
@click.option(
    "--password-env",
    default="FAIRPROCURE_PASSWORD",
    show_default=True,
    help="Environment variable holding the password; else it is read from standard input.",
)
def users_add(
    name: str, role: str, office_code: str | None, all_offices: bool, email: str, password_env: str
) -> None:
    """Add user NAME with a role; the password comes from the environment or standard input."""
    password = _password(password_env)
    _django()
    from django.core.exceptions import ValidationError

    from fairprocure.web.accounts.services import add_user

    try:
        add_user(name, role, password, office_code, all_offices, email=email)
    except ValidationError as exc:
        raise click.ClickException(f"user {name}: password refused: {' '.join(exc.messages)}") from exc
    except ValueError as exc:
        raise _fail(exc) from exc
    click.echo(f"user {name} added as {role}" + (f" in {office_code}" if office_code else ""))


def _password(password_env: str) -> str:
    password = os.environ.get(password_env)
    if password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise click.ClickException(f"no password: set {password_env} or pipe it to standard input")
    return password


def _existing_user(name: str) -> None:
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username=name).exists():
        raise click.ClickException(f"no user {name}; add it with 'fairprocure users add'")


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """Lift the login lockout of NAME (five wrong passwords lock a name from one address for 15 minutes)."""
    _django()
    from fairprocure.web.accounts.services import unlock

    cleared = unlock(name)
    click.echo(f"{name} unlocked (failed logins cleared from {cleared} address(es))")


@users.command("password")
@click.argument("name")
@click.option("--password-env", default="FAIRPROCURE_PASSWORD", show_default=True)
def users_password(name: str, password_env: str) -> None:
    """Set NAME's password (from the environment or standard input) and unlock the name."""
    password = _password(password_env)
    _django()
    _existing_user(name)
    from django.core.exceptions import ValidationError

    from fairprocure.web.accounts.services import set_password

    try:
        set_password(name, password)
    except ValidationError as exc:
        raise click.ClickException(f"user {name}: password refused: {' '.join(exc.messages)}") from exc
    click.echo(f"password of {name} set")


@users.command("email")
@click.argument("name")
@click.argument("address")
def users_email(name: str, address: str) -> None:
    """Set the e-mail address where NAME's password-reset links go."""
    _django()
    _existing_user(name)
    from django.core.exceptions import ValidationError

    from fairprocure.web.accounts.services import set_email

    try:
        set_email(name, address)
    except ValidationError as exc:
        raise click.ClickException(f"user {name}: {address!r} is not an e-mail address") from exc
    click.echo(f"password-reset links for {name} go to {address}")


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead of issuing one.")
def users_token(name: str, revoke: bool) -> None:
    """Print a new personal API token for NAME (shown once, stored hashed)."""
    _django()
    from fairprocure.web.accounts.services import issue_token, revoke_tokens

    _existing_user(name)
    if revoke:
        click.echo(f"{revoke_tokens(name)} token(s) of {name} revoked", err=True)
    else:
        click.echo(issue_token(name))


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", "office_code", required=True, help="Office CODE the file belongs to.")
@click.option(
    "--period",
    default="",
    metavar="YYYY-MM[:YYYY-MM]",
    help="Months the file covers (default: read from the lines' dates).",
)
@click.option(
    "--replaces",
    type=int,
    default=None,
    metavar="ID",
    help="This file corrects screening ID of the same office: its lines leave the register (audited).",
)
def import_file(path: Path, office_code: str, period: str, replaces: int | None) -> None:
    """Screen the file at PATH into the workspace for an office (e.g. a scheduled ERP export)."""
    _django()
    from fairprocure.web.offices.models import Office
    from fairprocure.web.register.current import SupersedeError, supersede
    from fairprocure.web.screenings.jobs import run_pending
    from fairprocure.web.screenings.models import Screening
    from fairprocure.web.screenings.periods import parse_month
    from fairprocure.web.screenings.uploads import UploadError, accept

    office = Office.objects.filter(code=office_code).first()
    if office is None:
        raise click.ClickException(f"no office {office_code}; add it with 'fairprocure offices add'")
    earlier = None
    if replaces is not None:
        earlier = Screening.objects.filter(pk=replaces, office=office).first()
        if earlier is None:
            raise click.ClickException(f"no screening {replaces} in office {office_code}")
    try:
        first, _, last = period.partition(":")
        months = (parse_month(first), parse_month(last or first, end=True)) if first else None
        with path.open("rb") as stream:
            screening, created = accept(stream, path.name, office, "cli", period=months)
    except (UploadError, ValueError) as exc:
        raise _fail(exc) from exc
    run_pending(only=screening.pk)  # this file's job, in its own process; others stay with the server
    screening.refresh_from_db()
    if screening.status in (screening.Status.FAILED, screening.Status.CANCELLED):
        raise click.ClickException(f"screening of {path} {screening.status}: {screening.message}")
    note = "" if created else " (same file as before: nothing duplicated)"
    click.echo(
        f"{path.name}: {screening.line_count} lines screened into {office_code} "
        f"(screening {screening.pk}, period {screening.period_code or 'unknown'}){note}"
    )
    if earlier is not None:
        try:
            counts = supersede(screening, earlier, "cli")
        except SupersedeError as exc:
            raise _fail(exc) from exc
        click.echo(
            f"replaces screening {earlier.pk} ({earlier.file_name}): "
            f"{counts['left_the_register']} of its lines left the register"
        )


@click.command("remind-suppliers")
@click.option(
    "--days", default=7, show_default=True, type=int, help="Remind when the answer-by date is this near."
)
def remind_suppliers(days: int) -> None:
    """E-mail a reminder (with a fresh code) to every supplier whose questionnaire is due or overdue."""
    _django()
    import datetime as dt

    from fairprocure.web.questionnaires.services import due_reminders, remind

    due = due_reminders(dt.date.today(), days)
    for invitation in due:
        remind(invitation, "cli")
        click.echo(
            f"reminded {invitation.supplier.name} <{invitation.email}> (due {invitation.due.isoformat()})"
        )
    click.echo(f"{len(due)} reminder(s) sent", err=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load a demo organisation with the bundled real data screened.")
@click.option("--threads", default=4, show_default=True, type=int, help="Request threads per web process.")
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web worker processes. 1: one process (waitress, any system); more: gunicorn (Linux, macOS).",
)
@click.option(
    "--workers", default=None, type=int, help="Screenings run at once (default FAIRPROCURE_WORKERS or 2)."
)
def serve(host: str, port: int, demo: bool, threads: int, processes: int, workers: int | None) -> None:
    """Run migrations, start the screening worker and serve the workspace."""
    if processes > 1 and sys.platform == "win32":
        raise click.ClickException("--processes above 1 needs gunicorn, which does not run on Windows")
    _django()
    from django.conf import settings

    from fairprocure.web.screenings.jobs import start_workers

    if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append(host)
    if demo:
        from fairprocure.web.demo import load_demo

        for line in load_demo():
            click.echo(line)
    start_workers(workers)  # screenings run from this process, whatever serves the pages
    click.echo(f"fairprocure workspace on http://{host}:{port}/ (data in {settings.HOME})")
    if processes == 1:
        import waitress

        from fairprocure.web.wsgi import application

        waitress.serve(application, host=host, port=port, threads=threads, ident="fairprocure")
    else:
        from fairprocure.web.processes import serve_processes

        serve_processes(host, port, processes, threads, settings.ALLOWED_HOSTS)


@click.group("report")
def report() -> None:
    """Reports generated from the workspace's records."""


@report.command("annual")
@click.option("--year", type=int, required=True, help="Calendar year, e.g. 2026.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.",
)
@click.option(
    "--office", "office_codes", multiple=True, help="Only this office (repeat for more); default: all."
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    type=click.Choice(["en", "ru"]),
    help="Language (repeat); default: both.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "docx"]),
    help="Default: all three.",
)
def report_annual(year: int, out: Path, office_codes, languages, formats) -> None:
    """Write the annual report for YEAR (KPIs, risk picture, actions by office, statement drafts) as HTML, PDF
    and DOCX, in English and Russian."""
    _django()
    from fairprocure.web.offices.models import Office
    from fairprocure.web.reports.render import LANGUAGES, write_all

    chosen = Office.objects.filter(code__in=office_codes) if office_codes else Office.objects.all()
    missing = set(office_codes) - set(chosen.values_list("code", flat=True))
    if missing:
        raise click.ClickException(f"no office {', '.join(sorted(missing))}; see 'fairprocure offices list'")
    for path in write_all(
        list(chosen), year, out, languages or LANGUAGES, formats or ("html", "pdf", "docx")
    ):
        click.echo(path)


@click.group("confidential")
def confidential() -> None:
    """The key that seals worker interviews and grievances (kept outside the database)."""


@confidential.command("rotate")
def confidential_rotate() -> None:
    """Re-seal every interview and grievance with the first key of the key file (see docs/safety.md)."""
    _django()
    from fairprocure.web.confidential import key_file, rotate_all

    click.echo(f"{rotate_all()} records re-sealed with the first key of {key_file()}")


def register(group: click.Group) -> None:
    """Add the workspace commands to the main group."""
    for command in (offices, users, import_file, remind_suppliers, serve, report, confidential):
        group.add_command(command)
