"""Run every benchmark of issue 7 and check its target; exit 1 when one is missed.

    .venv/bin/python bench/run.py --scale small          # under a minute
    .venv/bin/python bench/run.py --scale full           # 10M rows; generation takes minutes

Each target is a ratio against a floor measured in the same run: the same work done the
least expensive way (bench/floors.py). Times are wall times of whole commands, each run as
its own process; after one untimed warm-up each (so both sides read a warm page cache), the
floor and seloste run ``--repeat`` paired rounds in turns, and the table shows the median
times, the median of the rounds' ratios and their spread (lowest-highest). Generated
snapshots are cached in ``--data`` by size and generator version, and made again only when
missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
import venv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` importable

from bench import fides as fides_bench  # noqa: E402
from bench import floors, generate  # noqa: E402
from bench import flows as flow_bench  # noqa: E402

PYTHON = sys.executable
BIN = Path(sys.executable).parent
BINDINGS = ROOT / "fixtures" / "k-systems" / "bindings.yaml"
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"
K_FLOW = ROOT / "fixtures" / "k-systems" / "flows-clean" / "billing.flows.yaml"
AS_OF = "2026-11-01T00:00:00+00:00"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
MY_ADMIN = "mysql://root@127.0.0.1:3306"
# Never on the pre-commit path: its cost is start-up, and these are the heavy imports.
HEAVY = ("sqlalchemy", "psycopg", "pymysql", "jinja2", "duckdb", "sqlite3")


# Children run as in a user's shell: with bytecode caches. PYTHONDONTWRITEBYTECODE (set in
# some CI images) would make every seloste run compile its own sources again, ~25 ms.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Scale:
    sqlite_rows: int
    memory_rows: tuple[int, int]  # (small, large) customers for the peak-RSS comparison
    postgres_rows: int
    flows: int
    fields: int
    # Targets 1 and 2 are defined at 10M and 1M rows; on small snapshots the fixed costs
    # (start-up, the bounded value sample) dominate and the ratio is shown, not judged.
    judge_snapshots: bool
    # The SQLite row at a size where the fixed costs still count (1M at full scale), and
    # MariaDB's row.
    sqlite_mid_rows: int = 0
    mariadb_rows: int = 0


SCALES = {
    "small": Scale(
        100_000,
        (10_000, 100_000),
        20_000,
        1_000,
        200,
        judge_snapshots=False,
        sqlite_mid_rows=20_000,
        mariadb_rows=20_000,
    ),
    "full": Scale(
        10_000_000,
        (10_000, 10_000_000),
        1_000_000,
        10_000,
        200,
        judge_snapshots=True,
        sqlite_mid_rows=1_000_000,
        mariadb_rows=1_000_000,
    ),
}


@dataclass(frozen=True)
class Run:
    seconds: float
    stdout: str
    stderr: str


def run(cmd: list[str], *, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` as a child and time it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.run(cmd, stdout=out, stderr=err, env=env or CHILD_ENV, cwd=ROOT)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        result = Run(seconds, out.read().decode(), err.read().decode())
    if child.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {child.returncode}:\n{result.stderr[-2000:]}")
    return result


# Linux keeps a process's peak RSS across exec from the memory it was forked with, so a child
# of this runner (hundreds of MB after generating snapshots) would report the runner's peak,
# whatever it used itself. A small launcher forks the command from its own few MB and reports
# the command's peak (``wait4``) on a pipe: the figure is exact to the launcher's size (~9 MB).
LAUNCH = """
import os, sys
fd, argv = int(sys.argv[1]), sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
os.write(fd, str(usage.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss_kib(cmd: list[str], *, ok: tuple[int, ...] = (0,)) -> int:
    """The peak resident set size of ``cmd``'s own process, in KiB."""
    read, write = os.pipe()
    with os.fdopen(read, "rb") as report:
        try:
            launcher = [PYTHON, "-c", LAUNCH, str(write), *cmd]
            done = subprocess.run(
                launcher, pass_fds=(write,), env=CHILD_ENV, cwd=ROOT, capture_output=True
            )
        finally:
            os.close(write)
        peak = int(report.read() or b"0")
    if done.returncode not in ok or not peak:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-2000:]!r}")
    return peak


def seloste_check(snapshot: str, *extra: str) -> list[str]:
    return [
        str(BIN / "seloste"),
        "check",
        "--no-config",
        "--bindings",
        str(BINDINGS),
        "--snapshot",
        snapshot,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        *extra,
    ]


def floor_cmd(kind: str, *targets: str) -> list[str]:
    return [PYTHON, str(ROOT / "bench" / "floors.py"), kind, *targets]


# --- inputs -------------------------------------------------------------------------------


def _generator_version(customers: int) -> str:
    """Cached snapshots are made again whenever the SQL that makes them changes."""
    sql = "\n".join(generate.statements(generate.SQLITE, customers))
    return hashlib.sha256(sql.encode()).hexdigest()[:10]


def sqlite_snapshot(data: Path, customers: int) -> Path:
    path = data / f"k-{customers}-{generate.SEED}-{_generator_version(customers)}.db"
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr, flush=True)
        data.mkdir(parents=True, exist_ok=True)
        generate.sqlite_file(path, customers)
    return path


@contextmanager
def postgres_database(customers: int) -> Iterator[str]:
    """A database of our own, with the snapshot in it, and the URL of a role that may only
    read it (seloste refuses a superuser); both dropped afterwards."""
    import psycopg

    tag = uuid.uuid4().hex[:10]
    name, reader = f"seloste_bench_{tag}", f"seloste_bench_reader_{tag}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        admin.execute(f"CREATE ROLE {reader} LOGIN IN ROLE pg_read_all_data")  # type: ignore[arg-type]
    server = PG_ADMIN.rsplit("/", 1)[0].replace("//postgres@", f"//{reader}@", 1)
    try:
        generate.postgres(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", customers)
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
            admin.execute(f"DROP ROLE IF EXISTS {reader}")  # type: ignore[arg-type]


@contextmanager
def mariadb_database(customers: int) -> Iterator[str]:
    """A MariaDB database of our own with the snapshot, and the URL of an account that may
    only read it; both dropped afterwards."""
    import pymysql

    tag = uuid.uuid4().hex[:10]
    name, reader = f"seloste_bench_{tag}", f"seloste_bench_reader_{tag}"
    admin = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
            cursor.execute(f"CREATE USER '{reader}'@'%'")
            cursor.execute(f"GRANT SELECT, SHOW VIEW ON {name}.* TO '{reader}'@'%'")
        generate.mariadb(f"{MY_ADMIN}/{name}", customers)
        yield f"mysql+pymysql://{reader}@127.0.0.1:3306/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"DROP USER IF EXISTS '{reader}'@'%'")
        admin.close()


# --- comparing answers --------------------------------------------------------------------


def finding_counts(report: str) -> dict[str, dict[str, int]]:
    """seloste's row-rule findings in the floor's shape: table -> "RULE column" -> rows."""
    out: dict[str, dict[str, int]] = {}
    for f in json.loads(report)["findings"]:
        if f.get("sampled") is None and f["rule"].startswith("SNP") and f.get("rows"):
            where = f["location"]
            out.setdefault(where["table"], {})[f"{f['rule']} {where['table_column']}"] = f["rows"]
    return out


def same_answer(floor: str, report: str) -> None:
    """The floor and seloste counted the same rows, or the ratio would mean nothing."""
    counted = {
        t: {k: v for k, v in c.items() if k != "rows" and v} for t, c in json.loads(floor).items()
    }
    counted = {t: c for t, c in counted.items() if c}
    found = finding_counts(report)
    if counted != found:
        raise SystemExit(f"floor and seloste disagree:\nfloor   {counted}\nseloste {found}")
    if any(f["rule"] == "SEL001" for f in json.loads(report)["findings"]):
        raise SystemExit("seloste could not check part of the snapshot (SEL001)")


# --- the benchmarks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    measured: str
    floor: str
    ratio: float | None
    target: float | None
    unit: str = "x"
    judged: bool = True
    spread: tuple[float, float] | None = None  # the lowest and highest of the paired rounds

    @property
    def holds(self) -> bool:
        if self.ratio is None or self.target is None or not self.judged:
            return True
        return self.ratio <= self.target


@dataclass(frozen=True)
class Paired:
    """``repeat`` rounds of a floor and seloste run in turns: the last run of each, their
    median times, the median of the rounds' ratios and the lowest and highest of them."""

    floor_run: Run
    check_run: Run
    floor: float
    check: float
    ratio: float
    spread: tuple[float, float]


def paired(repeat: int, floor: list[str], check: list[str]) -> Paired:
    """The floor and seloste in turns, after one warm-up each, so that both meet the same
    load; which goes first alternates from round to round, so neither always follows the
    other (and meets the page cache or the load it left)."""
    floor_run, check_run = run(floor), run(check, ok=(0, 1))
    rounds = []
    for i in range(repeat):
        if i % 2:
            check_run, floor_run = run(check, ok=(0, 1)), run(floor)
        else:
            floor_run, check_run = run(floor), run(check, ok=(0, 1))
        rounds.append((floor_run.seconds, check_run.seconds))
    ratios = [c / f for f, c in rounds]
    return Paired(
        floor_run,
        check_run,
        statistics.median(f for f, _ in rounds),
        statistics.median(c for _, c in rounds),
        statistics.median(ratios),
        (min(ratios), max(ratios)),
    )


def _snapshot_row(what: str, source: str, floor: Floor, repeat: int, judged: bool) -> Row:
    """seloste against a floor on one snapshot, once both agree on the counts."""
    p = paired(repeat, floor.command, seloste_check(source))
    same_answer(floor.counts(p.floor_run.stdout), p.check_run.stdout)
    return Row(
        what, f"{p.check:.2f} s", f"{p.floor:.2f} s", p.ratio, 1.25, judged=judged, spread=p.spread
    )


@dataclass(frozen=True)
class Floor:
    """A floor's command, and how its output becomes the counts JSON ``same_answer`` reads."""

    command: list[str]
    counts: Callable[[str], str] = lambda output: output


def psql_floor(url: str, data: Path) -> Floor:
    """PostgreSQL's floor: ``psql -f`` with the same aggregates and the candidate search, the
    candidates confirmed in the script (bench/floors.py)."""
    sql, layout = floors.postgres_script(url, datetime.fromisoformat(AS_OF))
    script = data / f"floor-{url.rsplit('/', 1)[1]}.sql"  # the database's own name
    script.write_text(sql, encoding="utf-8")
    return Floor(
        floors.psql_command(url, str(script)),
        lambda output: json.dumps(floors.read_counts(output, layout)),
    )


def mariadb_floor(url: str, data: Path) -> Floor:
    """MariaDB's floor: ``mariadb -N -B < script``, its candidates confirmed by a Python
    tally it pipes into (bench/floors.py)."""
    script = data / f"floor-{url.rsplit('/', 1)[1]}.sql"  # the database's own name
    script.write_text(floors.mariadb_script(url, datetime.fromisoformat(AS_OF)), encoding="utf-8")
    return Floor(floors.mariadb_command(url, str(script)))


def bench_sqlite(scale: Scale, data: Path, repeat: int, customers: int) -> list[Row]:
    db = str(sqlite_snapshot(data, customers))
    what = f"1. SQLite check, {customers:,} customers"
    return [_snapshot_row(what, db, Floor(floor_cmd("sqlite", db)), repeat, scale.judge_snapshots)]


def bench_postgres(scale: Scale, data: Path, repeat: int) -> list[Row]:
    what = f"2. PostgreSQL check, {scale.postgres_rows:,} customers"
    data.mkdir(parents=True, exist_ok=True)
    with postgres_database(scale.postgres_rows) as url:
        floor = psql_floor(url, data)
        return [_snapshot_row(what, url, floor, repeat, scale.judge_snapshots)]


def bench_mariadb(scale: Scale, data: Path, repeat: int) -> list[Row]:
    what = f"8. MariaDB check, {scale.mariadb_rows:,} customers"
    data.mkdir(parents=True, exist_ok=True)
    with mariadb_database(scale.mariadb_rows) as url:
        floor = mariadb_floor(url, data)
        return [_snapshot_row(what, url, floor, repeat, scale.judge_snapshots)]


def bench_memory(scale: Scale, data: Path, repeat: int) -> list[Row]:
    """The command's own peak RSS on the large snapshot against the small one, the two in
    turns; the row's figure is the highest peak of each, the spread that of the pairs."""
    small, large = (str(sqlite_snapshot(data, n)) for n in scale.memory_rows)
    peaks: tuple[list[int], list[int]] = ([], [])
    for i in range(repeat):
        for side in (0, 1) if i % 2 == 0 else (1, 0):
            db = (small, large)[side]
            peaks[side].append(peak_rss_kib(seloste_check(db), ok=(0, 1)))
    grew = [(b - a) / 1024 for a, b in zip(*peaks, strict=True)]
    high, low = max(peaks[1]) / 1024, max(peaks[0]) / 1024
    a, b = (f"{n:,}" for n in scale.memory_rows)
    what = f"3. peak RSS of check, {b} vs {a} customers"
    spread = (min(grew), max(grew))
    return [
        Row(what, f"{high:.1f} MB", f"{low:.1f} MB", high - low, 30.0, " MB more", spread=spread)
    ]


def bench_flows(scale: Scale, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = flow_bench.generate(Path(tmp), scale.flows, scale.fields)
        policy = str(Path(tmp) / "policy.yaml")
        cmd = [str(BIN / "seloste"), "check", "--no-config", "--policy", policy, "--flows", *paths]
        p = paired(repeat, floor_cmd("yaml", policy, *paths), [*cmd, "--format", "json"])
    what = f"4. flows check, {scale.flows:,} flows, {scale.fields} fields"
    return [Row(what, f"{p.check:.2f} s", f"{p.floor:.2f} s", p.ratio, 3.0, spread=p.spread)]


def bench_fides(data: Path, repeat: int, fides: str | None) -> list[Row]:
    """Issue 17's comparison with Fides: the same declarations (bench/fides.py), checked by
    ``seloste validate`` and by ``fides --local evaluate``. Fides is not a floor (it checks
    less: never the data) but the tool seloste is measured against; target: 20x faster."""
    what = "9. declarations: 10 datasets x 200 fields, 50 systems, 100 declarations, vs Fides"
    if fides is None:
        return [Row(what, "not run", "no fides command (--fides)", None, None)]
    files, manifests = fides_bench.write_project(data / "fides", BIN / "seloste")
    # seloste as a user installs it, not editable: the editable finder costs every start.
    seloste = hook_env(data) / "seloste"
    check = [str(seloste), "validate", "--no-config", "--allow-outside-root"]
    p = paired(repeat, [fides, "--local", "evaluate", str(manifests)], [*check, *map(str, files)])
    if "Evaluation passed" not in p.floor_run.stdout or "error" in p.check_run.stdout:
        raise SystemExit("Fides or seloste found fault with the declarations: not comparable")
    measured = f"{p.check * 1000:.0f} ms"
    return [Row(what, measured, f"{p.floor:.2f} s", p.ratio, 0.05, spread=p.spread)]


def bench_discover(scale: Scale, data: Path, repeat: int) -> list[Row]:
    """Issue 19: drafting the bindings of the full-scale snapshot (every column profiled in
    the database) against one check of it; target: under 2x."""
    db = str(sqlite_snapshot(data, scale.sqlite_rows))
    draft = data / "discovered.bindings.yaml"
    discover = [str(BIN / "seloste"), "discover", db, "--policy", str(K_POLICY)]
    discover += ["-o", str(draft), "--force", "--timeout", "0"]
    check = seloste_check(db, "--statement-timeout", "0", "--fail-on", "never")
    p = paired(repeat, check, discover)
    what = f"10. discover vs one check, SQLite, {scale.sqlite_rows:,} customers"
    return [
        Row(
            what,
            f"{p.check:.2f} s",
            f"{p.floor:.2f} s",
            p.ratio,
            2.0,
            judged=scale.judge_snapshots,
            spread=p.spread,
        )
    ]


def bench_flow_memory(scale: Scale, repeat: int) -> list[Row]:
    """Peak RSS of ``check --flows`` on ten times the flows of row 4 against 1,000 flows,
    in one process (``--jobs 1``) and as chosen by default (a process per core): each file is
    checked as it is read, so only the findings grow with the number of files."""
    small, large = 1_000, scale.flows * 10
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sets = {}
        for n in (small, large):
            (Path(tmp) / str(n)).mkdir()
            sets[n] = flow_bench.generate(Path(tmp) / str(n), n, scale.fields)
        for jobs in ("1", "0"):
            peaks: dict[int, list[int]] = {small: [], large: []}
            for _ in range(max(repeat, 2)):  # in turns, as every pair is
                for n, paths in sets.items():
                    policy = str(Path(paths[0]).parent / "policy.yaml")
                    cmd = [str(BIN / "seloste"), "check", "--no-config", "--jobs", jobs]
                    cmd += ["--policy", policy, "--format", "json:/dev/null", "--flows", *paths]
                    peaks[n].append(peak_rss_kib(cmd, ok=(1,)))
            low, high = max(peaks[small]) / 1024, max(peaks[large]) / 1024
            grew = [(b - a) / 1024 for a, b in zip(peaks[small], peaks[large], strict=True)]
            how = "--jobs 1" if jobs == "1" else "default jobs"
            what = f"4m. peak RSS of flows check, {large:,} vs {small:,} flows, {how}"
            rows.append(
                Row(
                    what,
                    f"{high:.1f} MB",
                    f"{low:.1f} MB",
                    high - low,
                    30.0,
                    " MB more",
                    spread=(min(grew), max(grew)),
                )
            )
    return rows


def heavy_imports(
    cmd: list[str],
    python: str = PYTHON,
    heavy: tuple[str, ...] = HEAVY,
    env: dict[str, str] | None = None,
) -> list[str]:
    """The ``heavy`` modules ``cmd`` imports, from ``python -X importtime``."""
    result = run([python, "-X", "importtime", *cmd], ok=(0, 1), env=env)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.M)
    return sorted({n for n in names if n.split(".")[0] in heavy})


def precommit_cmd(bin_dir: Path = BIN, files: tuple[Path, ...] = (K_POLICY, K_FLOW)) -> list[str]:
    """What the pre-commit hook runs (.pre-commit-hooks.yaml) on the staged ``files``."""
    hook = (str(bin_dir / "seloste"), "validate", "--with-referrers", "--no-config")
    return [*hook, *(str(f) for f in files)]


class Project(NamedTuple):
    policy: Path
    bindings: Path
    flow: Path


def precommit_project(data: Path) -> Project:
    """A project as the hook meets it: a git repository of its own holding the K-Systems
    policy, its bindings and one flow file that names it. In this repository the hook would
    also find the fixtures' other flows (--with-referrers), which is this repository's size,
    not the hook's cost."""
    project = data / "precommit-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copy(K_POLICY, project / "policy.yaml")
    shutil.copy(BINDINGS, project / "bindings.yaml")
    flow = K_FLOW.read_text("utf-8").replace("policy: ../policy.yaml", "policy: policy.yaml")
    (project / K_FLOW.name).write_text(flow, encoding="utf-8")
    for git in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(git, cwd=project, check=True, capture_output=True)
    return Project(project / "policy.yaml", project / "bindings.yaml", project / K_FLOW.name)


def hook_env(data: Path) -> Path:
    """A virtual environment as pre-commit makes one for a hook; returns its ``bin``.

    pre-commit installs a hook's repository into a venv of its own, not editable: this one
    gets seloste installed by pip from a copy of this tree (so the build leaves nothing here)
    and ``check-yaml``'s console script, as pip writes it. The dependencies are this venv's, by
    a ``.pth`` line (whose own ``.pth`` files, such as the editable install's finder, Python
    does not run), so nothing is downloaded but the build backend. Made again on every run:
    it must time the tree as it is now.
    """
    env = data / "precommit-env"
    shutil.rmtree(env, ignore_errors=True)
    venv.create(env, symlinks=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env)}))
    (site / "_bench_deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "seloste"
        source.mkdir()
        ignore = shutil.ignore_patterns("__pycache__")
        for part in ("checks", "policy"):
            shutil.copytree(ROOT / part, source / part, ignore=ignore)
        for part in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / part, source / part)
        pip = [PYTHON, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "-q"]
        run([*pip, "--no-deps", "--ignore-installed", str(source)])
    script = (BIN / "check-yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    (env / "bin" / "check-yaml").write_text(f"#!{env / 'bin' / 'python'}\n{script}")
    (env / "bin" / "check-yaml").chmod(0o755)
    return env / "bin"


def alternating(
    repeat: int, a: list[str], b: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, list[float]]:
    """The median wall times of ``a`` (a floor: it must exit 0) and ``b`` (0 or 1), run in
    turns after one warm-up each, and each turn's ratio b/a: runs of tens of milliseconds on
    a shared machine, so that both sides meet the same load."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(repeat + 1):
        for side, (cmd, ok) in enumerate(((a, (0,)), (b, (0, 1)))):
            seconds = run(cmd, ok=ok, env=env).seconds
            if i:
                times[side].append(seconds)
    ratios = [check / floor for floor, check in zip(*times, strict=True)]
    return statistics.median(times[0]), statistics.median(times[1]), ratios


def bench_precommit(data: Path, repeat: int) -> list[Row]:
    """A commit that stages one file of each kind, as the hook runs on it, against
    ``check-yaml`` on the same file. The hook's policy cache (policy/cache.py) is in a
    directory of this run's own, warmed by each row's first (untimed) run, as a commit after
    the first finds it: a policy that did not change is not parsed again."""
    hook_bin = hook_env(data)
    project = precommit_project(data)
    cache = data / "precommit-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**CHILD_ENV, "XDG_CACHE_HOME": str(cache)}
    rows = []
    repeat = max(repeat, 10)  # these runs are short: more of them for a stable median
    for what, staged in (
        ("5a. pre-commit: a policy (and the flow naming it) vs check-yaml", project.policy),
        ("5b. pre-commit: a bindings file vs check-yaml", project.bindings),
        ("5c. pre-commit: a flow file vs check-yaml", project.flow),
    ):
        hook = precommit_cmd(hook_bin, (staged,))
        heavy = heavy_imports(hook, str(hook_bin / "python"), env=env)
        if heavy:
            raise SystemExit(f"the pre-commit path imports {', '.join(heavy)}")
        if staged != project.policy:  # its policy is cached now: checked from its view
            python = str(hook_bin / "python")
            lib = heavy_imports(hook, python, ("pydantic", "pydantic_core"), env)
            if lib:
                raise SystemExit(f"{staged.name}, its policy cached, imports {', '.join(lib)}")
        check_yaml = [str(hook_bin / "check-yaml"), str(staged)]
        floor, check, ratios = alternating(repeat, check_yaml, hook, env)
        rows.append(
            Row(
                what,
                f"{check * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                statistics.median(ratios),
                1.5,
                spread=(min(ratios), max(ratios)),
            )
        )
    return rows


PROBE = """
import json, sys, time
from seloste.checks.snapshot import sampling
spent = {"sample": 0.0, "rows": 0, "values": 0, "scan": 0.0}
sample, scan = sampling.sample, sampling.scan
def timed_sample(ctx, conn, table, checks, *args):
    start = time.perf_counter()
    results = sample(ctx, conn, table, checks, *args)
    spent["sample"] += time.perf_counter() - start
    rows = max((r.sampled or 0 for r in results.values()), default=0)
    spent["rows"] += rows
    spent["values"] += rows * len(checks)
    return results
def timed_scan(*args):
    start = time.perf_counter()
    results = scan(*args)
    spent["scan"] += time.perf_counter() - start
    return results
sampling.sample, sampling.scan = timed_sample, timed_scan
from seloste.checks.cli import main
start = time.perf_counter()
main(sys.argv[1:])
spent["total"] = time.perf_counter() - start
print(json.dumps(spent), file=sys.stderr)
"""


def _probe_once(source: str) -> dict[str, float]:
    """One run of the command with its sampling and scanning timed."""
    cmd = [PYTHON, "-c", PROBE, *seloste_check(source)[1:], "--format", "json:/dev/null"]
    return json.loads(run(cmd, ok=(0, 1)).stderr.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _probe(source: str, repeat: int, key: str) -> dict[str, float]:
    """The median run (by ``key``) of the command with its sampling and scanning timed."""
    probes = [_probe_once(source) for _ in range(repeat)]
    return sorted(probes, key=lambda p: p[key])[len(probes) // 2]


def bench_values(scale: Scale, data: Path, repeat: int) -> list[Row]:
    """Value detection timed inside the command: the spread samples and their tests."""
    db = sqlite_snapshot(data, scale.sqlite_rows)
    probe = _probe(str(db), repeat, "sample")
    rate = probe["rows"] / probe["sample"]
    share = probe["sample"] / probe["total"]
    return [
        Row(
            "6. value detection (sampled rows/s)",
            f"{rate:,.0f} rows/s",
            f"{probe['rows']:,} rows, {probe['values']:,} values",
            None,
            None,
        ),
        Row(
            "6. value detection, share of check time",
            f"{probe['sample']:.2f} s",
            f"{probe['total']:.2f} s",
            share * 100,
            None,
            " %",
        ),
    ]


def bench_scan(scale: Scale, data: Path, repeat: int) -> list[Row]:
    """The full-scan search for personal identity codes, timed inside the command, against the
    same candidate search and confirmation by hand (bench/floors.py scan-sqlite), timed the
    same way: without start-up. Both must find the same codes."""
    db = sqlite_snapshot(data, scale.sqlite_rows)
    rounds: list[tuple[dict[str, Any], dict[str, float]]] = []
    for i in range(repeat):  # in turns, as every pair is
        if i % 2:
            probe = _probe_once(str(db))
            floor = json.loads(run(floor_cmd("scan-sqlite", str(db))).stdout)
        else:
            floor = json.loads(run(floor_cmd("scan-sqlite", str(db))).stdout)
            probe = _probe_once(str(db))
        rounds.append((floor, probe))
    ratios = [p["scan"] / f["seconds"] for f, p in rounds]
    report = run(seloste_check(str(db)), ok=(0, 1)).stdout
    found = {
        t: c
        for t, counts in finding_counts(report).items()
        if (c := {k: v for k, v in counts.items() if k.startswith("SNP003")})
    }
    wanted = {t: c for t, c in rounds[-1][0]["found"].items() if c}
    if found != wanted:
        raise SystemExit(f"floor and seloste found different codes:\n{wanted}\n{found}")
    what = f"7. full-scan hetu search, SQLite, {scale.sqlite_rows:,} customers"
    scanned = statistics.median(p["scan"] for _, p in rounds)
    seconds = statistics.median(f["seconds"] for f, _ in rounds)
    ratio, spread = statistics.median(ratios), (min(ratios), max(ratios))
    return [Row(what, f"{scanned:.2f} s", f"{seconds:.2f} s", ratio, 1.25, spread=spread)]


def table(rows: list[Row]) -> str:
    lines = [
        "| benchmark | seloste | floor | ratio | spread | target | holds |",
        "|---|---:|---:|---:|---:|---:|:--:|",
    ]
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}{r.unit}"
        spread = "" if r.spread is None else f"{r.spread[0]:.2f}-{r.spread[1]:.2f}{r.unit}"
        target = "" if r.target is None else f"<= {r.target:g}{r.unit}"
        verdict = "" if r.target is None else ("yes" if r.holds else "**no**")
        verdict = verdict if r.judged else "(full scale)"
        cells = [r.name, r.measured, r.floor, ratio, spread, target, verdict]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--repeat", type=int, default=5, help="paired rounds per row (5)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "seloste-bench")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[
            "sqlite",
            "sqlite-mid",
            "postgres",
            "mariadb",
            "memory",
            "flows",
            "flowmemory",
            "precommit",
            "values",
            "scan",
            "fides",
            "discover",
        ],
    )
    parser.add_argument(
        "--fides",
        default=shutil.which("fides"),
        help="the fides command for row 9 (ethyca-fides, in an environment of its own)",
    )
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    benches: dict[str, Callable[[], list[Row]]] = {
        "sqlite-mid": lambda: bench_sqlite(scale, args.data, args.repeat, scale.sqlite_mid_rows),
        "sqlite": lambda: bench_sqlite(scale, args.data, args.repeat, scale.sqlite_rows),
        "postgres": lambda: bench_postgres(scale, args.data, args.repeat),
        "mariadb": lambda: bench_mariadb(scale, args.data, args.repeat),
        "memory": lambda: bench_memory(scale, args.data, args.repeat),
        "flows": lambda: bench_flows(scale, args.repeat),
        "flowmemory": lambda: bench_flow_memory(scale, args.repeat),
        "precommit": lambda: bench_precommit(args.data, args.repeat),
        "values": lambda: bench_values(scale, args.data, args.repeat),
        "scan": lambda: bench_scan(scale, args.data, args.repeat),
        "fides": lambda: bench_fides(args.data, args.repeat, args.fides),
        "discover": lambda: bench_discover(scale, args.data, args.repeat),
    }
    rows: list[Row] = []
    for name, bench in benches.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        rows += bench()
        print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(f"scale {args.scale}, median of {args.repeat} paired rounds, {os.cpu_count()} cores\n")
    print(table(rows))
    missed = [r.name for r in rows if not r.holds]
    if missed:
        print(f"\ntargets missed: {'; '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
