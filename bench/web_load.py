"""The workspace under load: signed-in users clicking through the dashboard and the register.

    python bench/web_load.py --lines 1000000 --users 50 --think 5 --minutes 5 [--serve-args "--processes 2"]

Builds (once; reused from ``--home``, default ``bench/out/web_load_<lines>``) a SQLite workspace with
``--lines`` synthetic register lines in 10 offices, made by ``tests/web/bench_dashboard.py``'s
``populate`` (statistics, organisation-wide ranks, contracts and plans as after screenings), and
``--users`` users: even ones management (every office), odd ones a procurement officer of one office.
The dashboard's figures are computed before the server starts, as the job runner does after a
screening is brought in (``dashboard.views.warm``; ``--cold`` leaves none, so the first readers of each
scope compute them). Starts ``fairprocure serve`` on it, signs every user in through the login form
(a real session and CSRF cookie each), then each user loops for ``--minutes``: one page, then a think time drawn uniformly
from 0.5-1.5 × ``--think`` seconds, through this cycle (each user starts at a random place in it):

    dashboard        /dashboard/
    register         /register/                           the first page
    register_deep    /register/?page=500                  a deep page, as a bookmark or a typed page number
    register_next    the "Next" link of the deep page     what a reader paging on follows
    register_filter  /register/?level=high&category=C     C one of the taxonomy's categories, at random
    line             /register/lines/<pk>/                a line seen on this user's register pages

Prints per page kind the count, p50/p95/p99 and the slowest response, then requests per second,
errors (anything but a 200, a timeout or a refused connection), the CPU time of the server and all
its processes (user + system, from ``/proc`` through psutil) and of this client, the server's summed
resident memory at its peak, and the load average before and after.

Why asyncio + httpx and not locust: the offered load is small (50 users × one request per 5 s is about
10 requests a second), so one process of coroutines generates it with a few percent of one core, which
matters on a shared 2-core machine where the client competes with the server it measures (its own CPU
is printed so it can be checked); every response time is kept, so the percentiles are exact rather than
bucketed, and there is no gevent monkey-patching or web UI to run beside the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import resource
import shlex
import sys
import time
from pathlib import Path

import httpx
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from web.live_server import PASSWORD, Server, provision  # noqa: E402

KINDS = ("dashboard", "register", "register_deep", "register_next", "register_filter", "line")
LINE_LINK = re.compile(r'href="/register/lines/(\d+)/"')
NEXT_LINK = re.compile(r'<a href="(\?[^"]*)"[^>]*>(?:Next|Далее|Следующая)</a>')


def build(home: Path, lines: int, offices: int) -> None:
    """Fill ``home`` with the synthetic workspace unless it is there already."""
    marker = home / "built.json"
    if marker.exists():
        print(f"workspace: reusing {home} ({json.loads(marker.read_text())})")
        return
    home.mkdir(parents=True, exist_ok=True)
    for stale in home.glob("workspace.sqlite3*"):
        stale.unlink()
    start, cpu = time.perf_counter(), _children_cpu()
    out = provision(
        home,
        "import json, sys\n"
        f"sys.path.insert(0, {str(HERE.parent / 'tests' / 'web')!r})\n"
        "from bench_dashboard import populate\n"
        f"built = populate({lines}, {offices})\n"
        "print(json.dumps({k: v for k, v in built.items() if k not in ('offices', 'categories')}))\n",
        timeout=3600,
    )
    figures = json.loads(out.strip().splitlines()[-1])
    figures["build_wall_s"] = round(time.perf_counter() - start, 1)
    figures["build_cpu_s"] = round(_children_cpu() - cpu, 1)
    marker.write_text(json.dumps(figures))
    print(f"workspace: built {home} ({figures})")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def add_users(home: Path, users: int, offices: int) -> list[str]:
    """The bench's users (added if missing): even ones management, odd ones an office's officer."""
    names = [f"bench-user-{i}" for i in range(users)]
    provision(
        home,
        "from django.contrib.auth import get_user_model\n"
        "from fairprocure.web.accounts.services import add_user\n"
        "have = set(get_user_model().objects.values_list('username', flat=True))\n"
        f"for i in range({users}):\n"
        "    name = f'bench-user-{i}'\n"
        "    if name in have: continue\n"
        "    if i % 2 == 0: add_user(name, 'management', "
        f"{PASSWORD!r}, actor='bench')\n"
        "    else: add_user(name, 'procurement_officer', "
        f"{PASSWORD!r}, office_code=f'o{{i % {offices}}}', actor='bench')\n",
    )
    return names


def prepare_dashboard(home: Path, cold: bool) -> None:
    """The dashboard's kept figures as after a screening's bring-in (the job runner computes them:
    ``dashboard.views.warm``), or none at all with ``--cold`` (its first readers compute them)."""
    for kept in (home / "cache").glob("*.djcache"):
        kept.unlink()
    if cold:
        print("dashboard: no figures kept (--cold)")
        return
    start, cpu = time.perf_counter(), _children_cpu()
    out = provision(home, "from fairprocure.web.dashboard.views import warm\nprint(warm())\n", timeout=1800)
    print(
        f"dashboard: {out.strip().splitlines()[-1]} scopes computed as after a bring-in in "
        f"{time.perf_counter() - start:.1f} s wall, {_children_cpu() - cpu:.1f} s CPU"
    )


def categories() -> list[str]:
    from fairprocure.classify.taxonomy import load_taxonomy

    return sorted(load_taxonomy().categories)


class Stats:
    def __init__(self, probe: Sampler | None = None) -> None:
        self.times: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.errors: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.probe = probe  # with one user: the server's CPU per request, by kind
        self.cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}

    def report(self, window: float) -> None:
        total = sum(len(t) for t in self.times.values())
        errors = sum(len(e) for e in self.errors.values())
        print(f"{'page':<16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
        everything = []
        for kind in KINDS:
            times = sorted(self.times[kind])
            everything += times
            print(_row(kind, times, len(self.errors[kind])))
        print(_row("all", sorted(everything), errors))
        print(f"requests: {total:,} in {window:.0f} s = {total / window:.2f} req/s; errors: {errors}")
        if self.probe is not None:
            print(
                "server CPU per request, one user (median, ms; /proc ticks of 10 ms): "
                + ", ".join(
                    f"{kind} {sorted(self.cpu[kind])[len(self.cpu[kind]) // 2] * 1000:.0f}"
                    for kind in KINDS
                    if self.cpu[kind]
                )
            )
        for kind in KINDS:
            for error in sorted(set(self.errors[kind]))[:3]:
                print(f"  error in {kind}: {error}")


def _row(kind: str, times: list[float], errors: int) -> str:
    if not times:
        return f"{kind:<16} {0:>6} {'-':>8} {'-':>8} {'-':>8} {'-':>8} {errors:>6}"

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000

    return (
        f"{kind:<16} {len(times):>6} {pct(50):>8.0f} {pct(95):>8.0f} {pct(99):>8.0f} "
        f"{times[-1] * 1000:>8.0f} {errors:>6}"
    )


async def sign_in(client: httpx.AsyncClient, name: str) -> None:
    page = await client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = await client.post(
        "/login/", data={"username": name, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    if answer.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"{name} could not sign in: {answer.status_code}")


async def user(
    client: httpx.AsyncClient, stats: Stats, until: float, think: float, cats: list[str], rng: random.Random
) -> None:
    lines: list[str] = []
    next_link = "/register/?page=501"
    step = rng.randrange(len(KINDS))
    await asyncio.sleep(rng.uniform(0, think))  # users do not start in step
    while time.monotonic() < until:
        kind = KINDS[step % len(KINDS)]
        step += 1
        if kind == "dashboard":
            url = "/dashboard/"
        elif kind == "register":
            url = "/register/"
        elif kind == "register_deep":
            url = "/register/?page=500"
        elif kind == "register_next":
            url = next_link
        elif kind == "register_filter":
            url = f"/register/?level=high&category={rng.choice(cats)}"
        else:
            url = f"/register/lines/{rng.choice(lines)}/" if lines else "/register/?sort=value"
        if stats.probe is not None:
            stats.probe.sample()
            cpu = stats.probe.total()
        start = time.perf_counter()
        try:
            response = await client.get(url)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                stats.errors[kind].append(f"HTTP {response.status_code} for {url}")
            else:
                stats.times[kind].append(elapsed)
                if stats.probe is not None:
                    stats.probe.sample()
                    stats.cpu[kind].append(stats.probe.total() - cpu)
                text = response.text
                if kind.startswith("register"):
                    found = LINE_LINK.findall(text)
                    lines = (lines + found)[-200:]
                if kind == "register_deep":
                    link = NEXT_LINK.search(text)
                    if link:
                        next_link = "/register/" + link.group(1).replace("&amp;", "&")
        except httpx.HTTPError as exc:
            stats.errors[kind].append(f"{type(exc).__name__} for {url}")
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


class Sampler:
    """CPU (user + system) and summed RSS of the server's process tree, sampled every second."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_rss, self.cpu = pid, 0, {}
        self._task: asyncio.Task | None = None

    def sample(self) -> None:
        rss = 0
        for process in tree(self.pid):
            try:
                times = process.cpu_times()
                self.cpu[process.pid] = times.user + times.system
                rss += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        self.peak_rss = max(self.peak_rss, rss)

    def total(self) -> float:
        return sum(self.cpu.values())

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(1)


async def load(url: str, names: list[str], args, cats: list[str], pid: int) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # one browser tab per user
    clients = [
        httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits, follow_redirects=False)
        for _ in names
    ]
    start = time.perf_counter()
    for client, name in zip(clients, names, strict=True):  # one after the other, as people arrive
        await sign_in(client, name)
    print(f"signed in {len(names)} users in {time.perf_counter() - start:.1f} s")
    sampler = Sampler(pid)
    sampler.sample()
    cpu_before, own_before = sampler.total(), time.process_time()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    sampling = asyncio.create_task(sampler.run())
    stats = Stats(Sampler(pid) if len(names) == 1 else None)
    rng = random.Random(args.seed)
    start = time.perf_counter()
    until = time.monotonic() + args.minutes * 60
    await asyncio.gather(
        *(user(c, stats, until, args.think, cats, random.Random(rng.random())) for c in clients)
    )
    window = time.perf_counter() - start
    sampling.cancel()
    sampler.sample()
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    for client in clients:
        await client.aclose()
    stats.report(window)
    server_cpu = sampler.total() - cpu_before
    done = sum(len(t) for t in stats.times.values()) or 1
    print(
        f"server CPU (user + system, all its processes): {server_cpu:.1f} s in {window:.0f} s wall "
        f"({server_cpu / window:.2f} cores, {server_cpu / done * 1000:.0f} ms a completed request); peak RSS (summed over its processes): "
        f"{sampler.peak_rss / 2**20:,.0f} MB; this client's CPU: {time.process_time() - own_before:.1f} s"
    )
    print(f"load average before: {' '.join(load_before)}; after: {' '.join(load_after)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between a user's requests")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a request is an error")
    parser.add_argument("--home", type=Path, help="workspace folder (default bench/out/web_load_<lines>)")
    parser.add_argument(
        "--serve-args", default="", help='extra `fairprocure serve` options, e.g. "--threads 8"'
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no dashboard figures kept at the start (default: computed as after a screening's bring-in)",
    )
    args = parser.parse_args()
    home = (args.home or HERE / "out" / f"web_load_{args.lines}").resolve()
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}; {psutil.cpu_count()} cores")
    build(home, args.lines, args.offices)
    names = add_users(home, args.users, args.offices)
    prepare_dashboard(home, cold=args.cold)
    server = Server(home, "--workers", "1", *shlex.split(args.serve_args))
    print(f"starting: fairprocure serve --workers 1 {args.serve_args}".rstrip())
    server.start(timeout=600)
    started = tree(server.process.pid)
    try:
        settle(server.process.pid)
        started = tree(server.process.pid)
        asyncio.run(load(server.url, names, args, categories(), server.process.pid))
    finally:
        server.stop()
        for process in started[1:]:  # the server's own processes (fork server, workers), if left
            with contextlib.suppress(psutil.NoSuchProcess):
                process.terminate()


def settle(pid: int, timeout: float = 180) -> None:
    """Wait until the server's processes (its screening fork server loads the library) stop using CPU."""
    deadline, last = time.monotonic() + timeout, -1.0
    time.sleep(2)
    while time.monotonic() < deadline:
        used = sum(p.cpu_times().user + p.cpu_times().system for p in tree(pid))
        if abs(used - last) < 0.05:
            return
        last = used
        time.sleep(1)


if __name__ == "__main__":
    main()
