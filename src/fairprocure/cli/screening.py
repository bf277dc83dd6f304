"""CLI commands for screening: ``screen``, ``inspect``, ``classify``, ``demo``, ``data`` and ``policy``."""

from __future__ import annotations

from pathlib import Path

import click

TOP_LINES = 10_000  # fairprocure.report.TOP_LINES (not imported here: the CLI starts without pyarrow)
SCREEN_SHARE = 0.8  # of the bar: screening; the rest is writing the outputs


def _progress_bar(label: str, quiet: bool):
    """A progress display driven by the library's ``(fraction, message)`` callbacks (:mod:`fairprocure.progress`).

    On a terminal: a rich bar with the phase, rows read, rows per second and the time left. Silent
    with --quiet or when standard error is not a terminal (a pipe, a log file, a cron job).
    """
    import sys

    if quiet or not sys.stderr.isatty():
        return None, lambda fraction, message: None
    from fairprocure.cli.progress import ScreeningBar

    bar = ScreeningBar(label)
    return bar, bar.update


def _run_screen(
    paths,
    out,
    policy,
    mapping,
    engine,
    tip_tiers,
    indicators,
    supplier_evidence,
    quiet,
    stream=None,
    currency=None,
    office_country=None,
    decisions=None,
    codes=(None, None),
    top=TOP_LINES,
    all_lines=False,
) -> None:
    from fairprocure.ingest import IngestError
    from fairprocure.report import write_outputs
    from fairprocure.score.policy import PolicyError
    from fairprocure.screening import screen

    bar, update = _progress_bar("Screening", quiet)
    try:
        if bar is not None:
            bar.__enter__()
        try:
            result = screen(
                list(paths),
                policy=policy,
                mapping=mapping,
                engine=engine,
                tip_tiers=tip_tiers,
                indicators=indicators,
                supplier_evidence=supplier_evidence,
                decisions=decisions,
                progress=lambda fraction, message: update(SCREEN_SHARE * fraction, message),
                stream=stream,
                currency=(currency, "--currency") if currency else None,
                office_country=(office_country, "--office-country") if office_country else None,
                code_labels=codes[0],
                code_mapping=codes[1],
            )
            written = write_outputs(
                result,
                out,
                top=None if all_lines else top,
                progress=lambda fraction, message: update(
                    SCREEN_SHARE + (1 - SCREEN_SHARE) * fraction, message
                ),
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    except (IngestError, PolicyError, FileNotFoundError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    totals = result.portfolio.totals
    q = result.quality
    if not totals["lines"]:
        raise click.ClickException(_nothing_screened(result, written["report.html"]))
    click.echo(
        f"Screened {totals['lines']:,} lines ({q['records_quarantined']:,} records quarantined); "
        f"{totals['high_lines']:,} high or critical."
    )
    no_currency = sorted(
        {p.file for p in result.problems if getattr(p.message, "key", None) == "data.no_currency"}
    )
    if no_currency:
        click.echo(
            f"Note: amounts with no currency in {', '.join(no_currency)}: they are not converted nor ranked "
            "by value; pass --currency CODE (e.g. GBP) to say which it is."
        )
    if not office_country and _missing_place(result.register):
        click.echo(
            "Note: services and works with no place of performance in the data score a missing-place factor; "
            "if they were performed where your office is, pass --office-country CODE (e.g. GBR)."
        )
    click.echo(f"Report:   {written['report.html']}")
    click.echo(
        f"Register: {written['register.csv']} (also .parquet, .xlsx); data quality: {written['quality.json']}"
    )
    if not all_lines and top < totals["lines"]:
        click.echo(
            f"register.csv and register.xlsx hold the {top:,} highest-priority lines of {totals['lines']:,} "
            "(--top N, --all-lines); register.parquet holds every line."
        )


def _missing_place(register) -> bool:
    """Whether any line scored a missing place of performance (``missing_delivery``)."""
    import pyarrow.compute as pc

    if "factors" not in register.column_names or not register.num_rows:
        return False
    return bool(pc.any(pc.match_substring(register["factors"], '"missing_delivery"')).as_py())


def _nothing_screened(result, report) -> str:
    """One line: why nothing could be screened (the first reason; the report lists them all)."""
    quarantined = [p for p in result.problems if p.action == "quarantined"]
    if quarantined:
        first = quarantined[0]
        message = first.message.splitlines()[0]
        where = "" if message.startswith(first.file) else f"{first.file} ({first.record}): "
        reason = where + message
        more = len(quarantined) - 1
        if more:
            reason += f"; and {more:,} more quarantined"
    else:
        reason = "the input holds no records"
    return f"nothing could be screened: {reason.rstrip('.')}. Reasons in {report}"


def _screen_options(f):
    options = [
        click.option(
            "--out",
            "out",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("out"),
            show_default=True,
            help="Directory for register.csv/.parquet/.xlsx, report.html, quality.json.",
        ),
        click.option(
            "--policy",
            type=click.Path(exists=True, dir_okay=False),
            help="Scoring policy TOML (see `fairprocure policy`).",
        ),
        click.option(
            "--mapping",
            type=click.Path(exists=True, dir_okay=False),
            help="Column mapping TOML for ledgers whose headers are not recognised.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            default="duckdb",
            show_default=True,
            help="Where to run the plan: embedded DuckDB, or Apache Spark (pip install 'fairprocure[spark]').",
        ),
        click.option(
            "--tip-tiers",
            type=click.Path(exists=True, dir_okay=False),
            help="CSV of newer TIP Report tiers (country, year, tier); overrides the shipped 2001-2015 series.",
        ),
        click.option(
            "--indicator",
            "indicators",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            help="Your own licensed country indicator CSV (country, score 0-100), e.g. the Global Slavery Index. Repeatable.",
        ),
        click.option(
            "--supplier-evidence",
            type=click.Path(exists=True, dir_okay=False),
            help="CSV of supplier evidence (supplier, points, evidence, source) from questionnaires, audits, grievances.",
        ),
        click.option(
            "--code-labels",
            type=click.Path(exists=True, dir_okay=False),
            help="CSV (scheme, code, label) of your licensed code labels (UNSPSC, HS, ...), shown in the evidence.",
        ),
        click.option(
            "--code-mapping",
            type=click.Path(exists=True, dir_okay=False),
            help="CSV (scheme, code, category[, source]) mapping your own codes (ProClass, account codes) to categories.",
        ),
        click.option(
            "--decisions",
            type=click.Path(exists=True, dir_okay=False),
            help="CSV of classification decisions (description and/or supplier -> cpv and/or category, note); "
            "they classify matching lines without a source code (see docs/classification.md).",
        ),
        click.option(
            "--currency",
            help="Currency of amounts whose currency the data do not give (ISO code, e.g. GBP); said on each line.",
        ),
        click.option(
            "--office-country",
            help="Country where the office is: the place of performance of services and works when the data give none.",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            help="No progress bar (there is none when not on a terminal either).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@_screen_options
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=TOP_LINES,
    show_default=True,
    help="Lines in register.csv and register.xlsx: the highest-priority ones (register.parquet holds every line).",
)
@click.option(
    "--all-lines", is_flag=True, help="Every line in register.csv (and as many as Excel holds in the .xlsx)."
)
@click.option(
    "--stream/--no-stream",
    default=None,
    help="Stage the input to Parquet and keep memory flat (default: automatic above 1 GB of input).",
)
def screen_command(
    paths,
    out,
    policy,
    mapping,
    engine,
    tip_tiers,
    indicators,
    supplier_evidence,
    decisions,
    currency,
    office_country,
    code_labels,
    code_mapping,
    quiet,
    top,
    all_lines,
    stream,
):
    """Screen procurement data (OCDS JSON/JSONL, CSV or XLSX spend ledgers, or folders of them).

    Every line is classified, scored 0-100 with the factors that explain the score, and written to
    the register; records that cannot be used are listed in quality.json with the reason.
    """
    _run_screen(
        paths,
        out,
        policy,
        mapping,
        engine,
        tip_tiers,
        indicators,
        supplier_evidence,
        quiet,
        stream,
        currency,
        office_country,
        decisions,
        (code_labels, code_mapping),
        top,
        all_lines,
    )


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fairprocure-demo"),
    show_default=True,
    help="Directory for the outputs.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo_command(out, quiet):
    """Screen the bundled real samples (UK and Paraguay OCDS, HM Treasury spend) and say where the report is."""
    from fairprocure.demo import demo_paths

    _run_screen(demo_paths(), out, None, None, "duckdb", None, (), None, quiet)


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text", "text_column", required=True, help="Column holding the description to classify.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output CSV (default: PATH with .classified.csv).",
)
def classify_command(path, text_column, out):
    """Classify the free text of a CSV column: adds cpv_predicted, category, confidence, status
    (sure / needs_review / unclassified), candidates and evidence."""
    from fairprocure.classify.files import classify_csv

    try:
        out, n = classify_csv(path, text_column, out)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Classified {n:,} rows into {out}")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False),
    help="A mapping file to apply first (to check a corrected one).",
)
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the mapping file (default: NAME.mapping.toml in the current directory).",
)
@click.option("--no-write", is_flag=True, help="Only print the layout.")
@click.option("--json", "as_json", is_flag=True, help="Print the layout as JSON.")
def inspect_command(path, mapping, write_to, no_write, as_json):
    """Show how a CSV or XLSX ledger will be read and write a mapping file ready to edit.

    Prints the header row, each column's field with its confidence and sample values, the currency,
    date and number formats, and the first lines as they will be screened.
    """
    import json

    from fairprocure.ingest import IngestError, load_mapping
    from fairprocure.ingest.inspect import inspect_ledger

    try:
        inspection = inspect_ledger(path, load_mapping(mapping) if mapping else None)
    except IngestError as error:
        raise click.ClickException(str(error).splitlines()[0]) from error
    if as_json:
        click.echo(json.dumps(inspection.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(inspection.text(), nl=False)
    if not no_write:
        target = write_to or Path(f"{path.stem}.mapping.toml")
        target.write_text(inspection.mapping_toml(), encoding="utf-8")
        message = f"Mapping written to {target}: edit it, then screen with --mapping {target}"
        click.echo(message, err=as_json)


@click.command()
def data_command():
    """List the reference datasets shipped with fairprocure, with source, licence and edition."""
    from fairprocure.reference import datasets

    for d in datasets():
        click.echo(click.style(d.id, bold=True) + f"  {d.title}")
        click.echo(f"    publisher: {d.publisher}")
        click.echo(f"    edition:   {d.edition}")
        click.echo(f"    licence:   {d.licence}")
        click.echo(f"    source:    {d.source}")


@click.command()
def policy_command():
    """Print the default scoring policy (TOML), to copy, edit and pass with --policy."""
    from importlib.resources import files

    click.echo(files("fairprocure.score").joinpath("policy.toml").read_text("utf-8"), nl=False)


def register(group: click.Group) -> None:
    """Add the screening commands to the main group."""
    group.add_command(screen_command, "screen")
    group.add_command(classify_command, "classify")
    group.add_command(inspect_command, "inspect")
    group.add_command(demo_command, "demo")
    group.add_command(data_command, "data")
    group.add_command(policy_command, "policy")
