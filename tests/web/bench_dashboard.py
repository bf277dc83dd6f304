"""Time the dashboard of a large portfolio: ``python tests/web/bench_dashboard.py --lines 1000000``.

Fills a fresh SQLite workspace (in a temporary FAIRPROCURE_HOME) with synthetic register lines spread
over 10 offices and every taxonomy category, computes the office statistics as a screening job
does, rolls the lines up into contracts, gives every office an action plan, then renders the
organisation-wide and one office's dashboard, one office's high-risk contracts and the KPI page through
Django (``--profile URL`` prints where one render of URL spends its time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time


def populate(lines: int, n_offices: int = 10) -> dict:
    """Fill the configured (migrated) workspace with ``lines`` synthetic lines in ``n_offices`` offices.

    Office statistics, the organisation-wide ranks and the contracts are computed as after a screening,
    and every office gets an action plan; returns the offices, the categories and the timings (seconds).
    ``bench/web_load.py`` builds its workspace with this too.
    """
    from django.db import connection

    from fairprocure.classify.taxonomy import load_taxonomy
    from fairprocure.web.accounts.services import add_user
    from fairprocure.web.contracts.models import Contract
    from fairprocure.web.contracts.services import roll_up_office
    from fairprocure.web.dashboard.stats import refresh_office
    from fairprocure.web.offices.services import add_office
    from fairprocure.web.plans.services import add_action, create_plan
    from fairprocure.web.register.ranking import rank_all
    from fairprocure.web.screenings.models import Screening

    categories = list(load_taxonomy().categories.values())
    offices = [add_office(f"o{i}", f"Office {i}", "ARM", actor="bench") for i in range(n_offices)]
    per_office = lines // n_offices
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE cat(n INTEGER PRIMARY KEY, id TEXT, label TEXT)")
        cursor.executemany(
            "INSERT INTO cat VALUES (?, ?, ?)", [(i, c.id, c.label) for i, c in enumerate(categories)]
        )
        for office in offices:
            screening = Screening.objects.create(
                office=office,
                file_name="synthetic.csv",
                sha256=office.code,
                stored_path="-",
                uploaded_by="bench",
                status="done",
                stored=True,
            )
            cursor.execute(
                f"""
                WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {per_office - 1})
                INSERT INTO register_line (office_id, screening_id, line_id, office_name, contract_id, description,
                  supplier_name, supplier_country, origin_country, delivery_country, cpv, cpv_source, category,
                  category_label, category_confidence, classification_status, category_candidates, classification_evidence, value, currency, value_eur, date,
                  risk_score, risk_level, likelihood, severity, priority, priority_rank, factors, source_file,
                  source_record, data_issues, decided_level, fingerprint, current, decision_stale,
                  effective_priority, classification_message, record_id, rank_moved, level_in_force)
                SELECT {office.pk}, {screening.pk}, 'L' || i, 'HQ', 'C' || (i / 3), 'synthetic line ' || i,
                  'Supplier ' || (i % 997), 'BGD', CASE WHEN i % 4 = 0 THEN 'CHN' ELSE '' END, 'ARM', '18100000',
                  'source', cat.id, cat.label, 1.0, 'source', '', 'synthetic', 100.0 + i % 5000, 'EUR', 100.0 + i % 5000,
                  NULL, i % 100, CASE WHEN i % 100 >= 85 THEN 'critical' WHEN i % 100 >= 60 THEN 'high'
                  WHEN i % 100 >= 30 THEN 'medium' ELSE 'low' END, i % 100,
                  CASE i % 4 WHEN 0 THEN 'child_labour' WHEN 1 THEN 'forced_labour' WHEN 2 THEN 'exploitation'
                  ELSE 'none_known' END, (i % 100) * (1 + (i * 7919) % 1000 / 1000.0), NULL, '[]',
                  'synthetic.csv', 'row ' || i, '', '', printf('%016x', i), 1, 0,
                  (i % 100) * (1 + (i * 7919) % 1000 / 1000.0), '', 'T' || i, 0,
                  CASE WHEN i % 100 >= 85 THEN 'critical' WHEN i % 100 >= 60 THEN 'high'
                  WHEN i % 100 >= 30 THEN 'medium' ELSE 'low' END
                FROM seq JOIN cat ON cat.n = i % {len(categories)}
                """
            )
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    for office in offices:
        refresh_office(office)
    stats_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    rank_all()  # the organisation-wide priority order, as after every screening
    rank_s, rank_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for office in offices:
        roll_up_office(office)  # lines into contracts, as after every screening
    rollup_s, rollup_cpu = time.perf_counter() - start, time.process_time() - cpu
    planner = add_user(
        "bench-planner", "focal_point", "bench password 12345", all_offices=True, actor="bench"
    )
    for office in offices:  # every office has a plan whose actions name a category and a supplier
        plan = create_plan(office, dt.date.today().year, planner)
        add_action(plan, planner, title="Payroll checks", categories=[categories[0].id])
        add_action(plan, planner, title="Factory list", suppliers=["Supplier 7 LLC"])
    return {
        "offices": offices,
        "categories": categories,
        "lines": per_office * len(offices),
        "load_s": load_s,
        "stats_s": stats_s,
        "rank_s": rank_s,
        "rank_cpu": rank_cpu,
        "rollup_s": rollup_s,
        "rollup_cpu": rollup_cpu,
        "contracts": Contract.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument("--profile", metavar="URL", help="print the cProfile of one render of URL")
    args = parser.parse_args()
    os.environ["FAIRPROCURE_HOME"] = tempfile.mkdtemp(prefix="fairprocure-bench-")
    os.environ.pop("FAIRPROCURE_DATABASE_URL", None)
    from fairprocure.web import setup

    setup()
    from django.core.management import call_command
    from django.test import Client

    from fairprocure.web.accounts.services import add_user

    call_command("migrate", verbosity=0)
    built = populate(args.lines, args.offices)
    offices = built["offices"]
    client = Client(HTTP_HOST="localhost")
    client.force_login(add_user("bench-manager", "management", "bench password 12345", actor="bench"))
    pages = (
        ("dashboard organisation-wide", "/dashboard/"),
        ("dashboard one office", "/dashboard/?office=o0"),
        ("contracts one office", "/contracts/?office=o0&risk=high"),
        ("KPIs organisation-wide", "/kpis/"),
    )
    for label, url in pages:
        times, cpus = [], []
        for _ in range(7):
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, response.status_code
        print(
            f"{label}: median {statistics.median(times):.3f} s ({statistics.median(cpus):.3f} s CPU), "
            f"max {max(times):.3f} s over 7 renders"
        )
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.get, args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    # The worst case of a risk decision: the first line of the whole organisation lowered to low moves
    # past almost every other line (their ranks shift by one), and its office's statistics are recomputed.
    from fairprocure.web.register.decisions import decide
    from fairprocure.web.register.models import Line
    from fairprocure.web.register.ranking import Ranker

    focal = add_user("bench-focal", "administrator", "bench password 12345", actor="bench")
    top = (
        Line.objects.select_related("office", "screening")
        .filter(current=True, risk_level="critical")
        .order_by("priority_rank")
        .first()
    )
    first = top.priority_rank
    start, cpu = time.perf_counter(), time.process_time()
    decide(top, "low", "Bench: the top line lowered to low.", focal)
    decide_s, decide_cpu = time.perf_counter() - start, time.process_time() - cpu
    moved = Ranker().rank(Line.objects.get(pk=top.pk))
    print(
        f"decision lowering the top line to low: {decide_s:.2f} s ({decide_cpu:.2f} s CPU); "
        f"it moved from rank {first:,} to {moved:,}"
    )
    for label, url in (
        ("register page, first page", "/register/"),
        ("register, one office", "/register/?office=o9"),
    ):
        times, cpus = [], []
        for _ in range(5):
            start, cpu = time.perf_counter(), time.process_time()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        print(
            f"{label} (after the decision): median {statistics.median(times):.3f} s, "
            f"{statistics.median(cpus):.3f} s CPU"
        )
    print(
        f"{built['lines']:,} lines in {len(offices)} offices; loaded in {built['load_s']:.1f} s; "
        f"office statistics computed in {built['stats_s']:.1f} s; organisation-wide ranks in "
        f"{built['rank_s']:.1f} s ({built['rank_cpu']:.1f} s CPU); {built['contracts']:,} contracts rolled up "
        f"in {built['rollup_s']:.1f} s ({built['rollup_cpu']:.1f} s CPU)"
    )


if __name__ == "__main__":
    main()
