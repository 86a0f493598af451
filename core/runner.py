"""Checking many files: worker processes (``--jobs``), results streamed in input order, memory flat
in the number of reports, a time limit per file, and a Dask cluster (``--scheduler``).

Each file is read and checked by the single-report rules in a worker; what comes back is the
result without its report model (only the provenance of the cells its findings name) and, when
cross-report rules are selected, a compact summary of the report for them. The results reach the
reporters in the order of the inputs, whatever order the workers finish in, so the output is the
same for any number of workers. With cross-report rules, results and summaries wait in spool
files on disk (not in memory) until every report has been read; the rules then see the summaries
as reports (:class:`SpooledReport`) and their outcomes are merged as the results are written.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import time
import zlib
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from nianbao import engine, i18n, limits, pluginmanager
from nianbao.config import Config
from nianbao.i18n import _
from nianbao.loader import load
from nianbao.model import Report, resolve, split
from nianbao.results import ReportResult, RunResult
from nianbao.rule import CrossRule, Rule

#: default per-file time limit (seconds): read and check one file, in a worker that is killed
#: past it (the readers' own limits, nianbao.readers.limits, refuse what is too large before)
TIME_LIMIT = 60.0


@dataclass(frozen=True)
class Plan:
    """What a worker needs to check a file; picklable, so it travels to Dask workers too."""

    config: Config
    keep_model: bool = False  # the reporter draws the whole model (html): keep it in each result
    ocr: str = "auto"  # auto | always | never (nianbao.loader.load)
    cross: bool = True  # cross-report rules are selected: make a summary of each report
    language: str = field(default_factory=i18n.language)  # a Dask worker does not inherit it


@dataclass
class Checked:
    """A file checked by a worker: the result (report slimmed), its cross-report summary, and the
    problems of the run it met (a rule that crashed)."""

    result: ReportResult
    summary: dict[str, Any] | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Packed:
    """A :class:`Checked` as a worker sends it when the run has cross-report rules: the result
    and the summary already pickled and compressed (in the worker, in parallel), for the main
    process to put into its spools as they are, without unpickling and pickling them again;
    beside them, the little the main process reads at once."""

    uri: str
    notes: list[dict[str, Any]]
    result: bytes
    #: the summary, when the report takes part in the cross-report rules (read, not blocked)
    summary: bytes | None
    head: bytes | None  # the summary's head, pickled (_Summaries.head)


def pack(checked: Checked) -> Packed:
    ready = checked.summary is not None and engine.cross_ready(checked.result)
    return Packed(
        checked.result.uri,
        checked.notes,
        Spool.blob(checked.result),
        Spool.blob(checked.summary) if ready else None,
        _Summaries.head(checked.summary) if ready and checked.summary is not None else None,
    )


# --- in the worker ---------------------------------------------------------------------------


#: what a slimmed result keeps of its report whole
_KEPT = ("model", "source", "template", "table_templates", "meta")


def slim(report: Report, result: ReportResult, keep_model: bool) -> Report:
    """What the reporters need of a report once its rules have run: its source, template and
    meta, and the values and provenance of the cells its findings (and fixes) name (a baseline
    records a finding by its cells' values)."""
    if keep_model:
        return report
    named = {p for f in result.findings for p in f.pointers} | {f.fix.pointer for f in result.findings if f.fix}
    provenance = report.provenance
    data = {k: report.data[k] for k in _KEPT if k in report.data}
    for pointer in sorted(named):
        _copy(report.data, data, pointer)
    data["provenance"] = {p: provenance[p] for p in sorted(named) if p in provenance}
    return Report(data)


def _copy(source: dict[str, Any], target: dict[str, Any], pointer: str) -> None:
    """The value at ``pointer`` copied into ``target`` at the same place (lists as maps from the
    index, which JSON Pointer resolves alike)."""
    tokens = split(pointer)
    if not tokens or tokens[0] in _KEPT:
        return  # kept whole already
    value = resolve(source, pointer, None)
    node = target
    for token in tokens[:-1]:
        child = node.setdefault(token, {})
        if not isinstance(child, dict):
            return
        node = child
    node.setdefault(tokens[-1], value)


def summarise(report: Report) -> dict[str, Any]:
    """The compact report the cross-report rules see: meta, source, templates, the table cells and
    the sections' text (no paragraphs), and the provenance of cells and section headings only."""
    data = report.data
    out: dict[str, Any] = {
        k: data[k] for k in ("model", "source", "template", "table_templates", "meta", "tables") if k in data
    }
    out["sections"] = [
        {k: s[k] for k in ("key", "number", "heading", "text") if k in s}
        for s in report.sections
        if isinstance(s, dict)
    ]
    out["provenance"] = {p: e for p, e in report.provenance.items() if p.startswith("/tables/") or _heading_pointer(p)}
    return out


def _heading_pointer(pointer: str) -> bool:
    return pointer.startswith("/sections/") and pointer.count("/") == 2


def check_file(path: str, plan: Plan) -> Checked:
    """Read one file and run the single-report rules on it (in a worker, or in-process)."""
    if i18n.language() != plan.language:
        i18n.set_language(plan.language)
    pluginmanager.configure(plan.config.as_dict())
    rules = _rules(plan.config)
    loaded = load(path, plan.config.limits, ocr=plan.ocr)
    notes = engine.Notes()
    result = engine.check_report(loaded, rules, plan.config, notes)
    summary = None
    if loaded.report is not None:
        if plan.cross:
            summary = summarise(loaded.report)
        result.report = slim(loaded.report, result, plan.keep_model)
    return Checked(result, summary, notes.items)


_RULES: dict[int, list[Rule]] = {}


def _rules(config: Config) -> list[Rule]:
    # one selection per configuration in a worker's life, not one per file
    key = id(config)
    if key not in _RULES:
        _RULES.clear()
        _RULES[key] = engine.selected_rules(config)
    return _RULES[key]


def _timed_out(path: str, limit: float) -> Checked:
    message = _(
        "reading and checking it took longer than the limit of {limit} s (--time-limit); it was stopped",
        limit=format(round(limit, 1), "g"),
    )
    return Checked(ReportResult(path, None, error={"kind": "time-limit", "message": message}))


def _died(path: str, code: int | None) -> Checked:
    message = _("the worker checking it ended abnormally (exit code {code})", code=code)
    return Checked(ReportResult(path, None, error={"kind": "reader-crash", "message": message}))


# --- the pool ----------------------------------------------------------------------------------


_PLAN: Plan | None = None  # the plan a forked worker inherits


def _serve(conn: Any) -> None:
    """A worker's loop: a path in, a pickled :class:`Checked` out, until told to stop."""
    assert _PLAN is not None
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        checked = check_file(path, _PLAN)
        sent: Checked | Packed = pack(checked) if _PLAN.cross else checked
        conn.send_bytes(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL))


#: files sent to a worker ahead of its results: when it finishes one, the next is already in its
#: pipe, so it does not wait idle while the main process takes in each result (with one file in
#: flight, ``--jobs 1`` ran the worker and the main process by turns, never at once)
AHEAD = 2


class _Worker:
    def __init__(self, context: Any) -> None:
        here, there = context.Pipe()
        self.conn = here
        self.process = context.Process(target=_serve, args=(there,), daemon=True)
        self.process.start()
        there.close()
        #: (index, path) of the files sent and not answered yet, in the order sent: the worker
        #: is on the first, whose deadline is ``deadline``
        self.tasks: deque[tuple[int, str]] = deque()
        self.deadline = float("inf")

    def send(self, index: int, path: str, time_limit: float | None) -> None:
        self.conn.send(path)
        if not self.tasks:
            self.deadline = time.monotonic() + _limit(path, time_limit)
        self.tasks.append((index, path))

    def answered(self, time_limit: float | None) -> None:
        """The first file's result is in: the worker goes on to the next, on its own clock."""
        self.tasks.popleft()
        if self.tasks:
            self.deadline = time.monotonic() + _limit(self.tasks[0][1], time_limit)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=5)
        self.conn.close()


def _pool(paths: Sequence[str], plan: Plan, jobs: int, time_limit: float | None) -> Iterator[Checked | Packed]:
    """Checked files in input order, from ``jobs`` worker processes. A worker that passes the
    time limit on a file is killed and replaced; the file gets a time-limit error, and the files
    sent to it after that one go to the workers again."""
    import multiprocessing
    from multiprocessing.connection import wait

    global _PLAN
    _PLAN = plan
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    workers = [_Worker(context) for _ in range(max(1, min(jobs, len(paths))))]
    todo = deque(enumerate(paths))
    ready: dict[int, Checked | Packed] = {}
    window = 64 * len(workers)  # results waiting for a slow file ahead of them stay bounded
    emitted = 0

    def lost(w: _Worker, checked: Checked) -> None:
        # the worker is gone: its file gets ``checked``, the files queued behind it are sent again
        nonlocal todo
        ready[w.tasks[0][0]] = checked
        if len(w.tasks) > 1:
            todo = deque(sorted([*list(w.tasks)[1:], *todo]))
        workers[workers.index(w)] = _replace(w, context)

    try:
        while emitted < len(paths):
            for depth in range(AHEAD):  # each worker one file before any gets a second
                for w in workers:
                    if len(w.tasks) == depth and todo and todo[0][0] < emitted + window:
                        w.send(*todo.popleft(), time_limit)
            busy = [w for w in workers if w.tasks]
            timeout = None
            if time_limit is not None and busy:
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            done = wait([w.conn for w in busy], timeout) if busy else []
            for w in busy:
                index, path = w.tasks[0]
                if w.conn in done:
                    try:
                        ready[index] = pickle.loads(w.conn.recv_bytes())
                    except (EOFError, OSError):
                        w.process.join(timeout=5)  # reaped, for its exit code
                        lost(w, _died(path, w.process.exitcode))
                        continue
                    w.answered(time_limit)
                elif time_limit is not None and time.monotonic() >= w.deadline:
                    lost(w, _timed_out(path, _limit(path, time_limit)))
            while emitted in ready:
                yield ready.pop(emitted)
                emitted += 1
    finally:
        for w in workers:
            w.stop(kill=bool(w.tasks))


def _limit(path: str, time_limit: float | None) -> float:
    """The seconds a worker has for the file (more for a large one: limits.file_seconds)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # the reader will say what is wrong with it
    return limits.file_seconds(time_limit, size) or float("inf")


def _replace(worker: _Worker, context: Any) -> _Worker:
    worker.stop(kill=True)
    return _Worker(context)


def _in_process(paths: Sequence[str], plan: Plan) -> Iterator[Checked]:
    for path in paths:
        yield check_file(path, plan)


def _dask(paths: Sequence[str], plan: Plan, scheduler: str) -> Iterator[Checked]:
    """The same work on a Dask distributed cluster; results in input order as they complete."""
    try:
        from distributed import Client, as_completed  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise RuntimeError(_("--scheduler needs Dask distributed: pip install 'nianbao[dask]'")) from exc
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        batch = 256
        for start in range(0, len(paths), batch):
            futures = client.map(check_file, list(paths[start : start + batch]), plan=plan, pure=False)
            order = {f.key: i for i, f in enumerate(futures)}
            ready: dict[int, Checked] = {}
            emitted = 0
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                ready[order[future.key]] = future.result()
                while emitted in ready:
                    yield ready.pop(emitted)
                    emitted += 1


def checked(
    paths: Sequence[str],
    plan: Plan,
    *,
    jobs: int = 1,
    time_limit: float | None = TIME_LIMIT,
    scheduler: str | None = None,
) -> Iterator[Checked | Packed]:
    """Every file checked by the single-report rules, in input order (from worker processes,
    packed when the plan has cross-report rules)."""
    if scheduler:
        return _dask(paths, plan, scheduler)
    if len(paths) <= 1 or (jobs <= 1 and time_limit is None):
        # one file (the cold start; no other file to protect from it) or one worker without a
        # limit to enforce: no process to start
        return _in_process(paths, plan)
    return _pool(paths, plan, jobs, time_limit)


# --- cross-report rules over spooled summaries -----------------------------------------------


class Spool:
    """Records read back by number: pickled and compressed, the first few megabytes kept in
    memory (a small run never touches the disk), the rest in a temporary file. Per record it
    keeps two machine integers, not Python objects, so its index stays small at 100,000."""

    #: bytes of records held in memory before they go to a file
    MEMORY = 8 * 1024 * 1024

    def __init__(self) -> None:
        self.file: Any = None
        self.held: list[bytes] = []  # the first records, while they fit in MEMORY
        self.offsets = array("q")  # per record after those: offset and size in the file
        self.sizes = array("q")
        self.in_memory = 0
        self.end = 0

    @staticmethod
    def blob(value: Any) -> bytes:
        return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def __len__(self) -> int:
        return len(self.held) + len(self.offsets)

    def put(self, value: Any) -> int:
        return self.put_blob(self.blob(value))

    def put_blob(self, blob: bytes) -> int:
        """A record made by :meth:`blob` (in a worker)."""
        number = len(self)
        if self.file is None and self.in_memory + len(blob) <= self.MEMORY:
            self.held.append(blob)
            self.in_memory += len(blob)
            return number
        if self.file is None:
            import tempfile

            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.file.write(blob)
        self.offsets.append(self.end)
        self.sizes.append(len(blob))
        self.end += len(blob)
        return number

    def get(self, number: int) -> Any:
        if number < len(self.held):
            blob = self.held[number]
        else:
            at = number - len(self.held)
            self.file.flush()
            blob = os.pread(self.file.fileno(), self.sizes[at], self.offsets[at])
        return pickle.loads(zlib.decompress(blob))

    def close(self) -> None:
        self.held.clear()
        if self.file is not None:
            self.file.close()


class SpooledReport(Report):
    """A report summary kept on disk: what cross-report rules look at to pair reports (meta,
    source, templates: its head) stays in memory as a pickle of a few hundred bytes, read back
    through a small cache; the rest is read back from the spool when a rule asks for it."""

    __slots__ = ("_number", "_store")

    def __init__(self, store: _Summaries, number: int) -> None:
        self._store, self._number = store, number

    @property  # type: ignore[override,unused-ignore]
    def _derived(self) -> dict[Any, Any]:  # type: ignore[override]
        # what derived functions computed from the summary goes with it when it leaves the
        # cache (recomputed if asked again), or 100,000 reports would each keep theirs
        return self._store.memo_of(self._number)

    @property  # type: ignore[override,unused-ignore]
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        return self._store.load(self._number)

    @property
    def _head(self) -> dict[str, Any]:
        return self._store.head_of(self._number)

    @property
    def template(self) -> str | None:
        return self._head.get("template")

    @property
    def meta(self) -> dict[str, Any]:
        return self._head.get("meta") or {}

    @property
    def uri(self) -> str:
        return str((self._head.get("source") or {}).get("uri", ""))

    def table_template(self, table: str) -> str | None:
        return (self._head.get("table_templates") or {}).get(table, self.template)


class _Summaries:
    _HEAD = ("template", "table_templates", "meta", "source")
    #: summaries and heads kept decoded (a summary is ~100 KB so): the rules pair reports organ
    #: by organ, year with year before, so the last few dozen read suffice
    RECENT = 64

    def __init__(self) -> None:
        self.spool = Spool()
        self.recent: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self.heads: list[bytes] = []  # per report, its head pickled (a dict of it is ~3 KB)
        self.recent_heads: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self.memos: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self.reports: list[SpooledReport] = []

    @classmethod
    def head(cls, summary: dict[str, Any]) -> bytes:
        head = {k: summary[k] for k in cls._HEAD if k in summary}
        return pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)

    def add(self, summary: dict[str, Any]) -> None:
        self.add_blob(Spool.blob(summary), self.head(summary))

    def add_blob(self, blob: bytes, head: bytes) -> None:
        number = self.spool.put_blob(blob)
        self.heads.append(head)
        self.reports.append(SpooledReport(self, number))

    def head_of(self, number: int) -> dict[str, Any]:
        return self._cached(self.recent_heads, number, lambda: pickle.loads(self.heads[number]))

    def memo_of(self, number: int) -> dict[Any, Any]:
        return self._cached(self.memos, number, dict)

    def load(self, number: int) -> dict[str, Any]:
        return self._cached(self.recent, number, lambda: self.spool.get(number))

    def _cached(
        self, cache: OrderedDict[int, dict[str, Any]], number: int, read: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        if number in cache:
            cache.move_to_end(number)
            return cache[number]
        data = read()
        cache[number] = data
        if len(cache) > self.RECENT:
            cache.popitem(last=False)
        return data


class _Outcomes(Mapping[int, "engine.Outcome"]):
    """One cross-report rule's outcomes, per report's number, compacted: over 100,000 reports
    a rule skips most with a reason of its own (a few hundred bytes each), so they are kept
    pickled and compressed in blocks of consecutive numbers (the reasons of a block differ in
    a name or a year and compress well) and read back block by block as results are merged in
    order."""

    BLOCK = 1024

    def __init__(self, outcome: dict[int, engine.Outcome]) -> None:
        blocks: dict[int, dict[int, engine.Outcome]] = {}
        for number in sorted(outcome):
            blocks.setdefault(number // self.BLOCK, {})[number] = outcome[number]
        self.count = len(outcome)
        self.present = bytearray(max(outcome, default=-1) // 8 + 1)  # a bit per number
        for number in outcome:
            self.present[number >> 3] |= 1 << (number & 7)
        self.blocks = {b: Spool.blob(items) for b, items in blocks.items()}
        self.last: tuple[int, dict[int, engine.Outcome]] = (-1, {})

    def __getitem__(self, number: int) -> engine.Outcome:
        if number not in self:
            raise KeyError(number)
        block = number // self.BLOCK
        if self.last[0] != block:
            self.last = (block, pickle.loads(zlib.decompress(self.blocks[block])))
        return self.last[1][number]

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int) or number < 0 or number >> 3 >= len(self.present):
            return False
        return bool(self.present[number >> 3] >> (number & 7) & 1)

    def __iter__(self) -> Iterator[int]:
        return (n for n in range(len(self.present) * 8) if n in self)

    def __len__(self) -> int:
        return self.count


def _name_cells(result: ReportResult, summary: Report, cross: set[str]) -> None:
    """The provenance of the cells the cross-report findings name, for the reporters' regions."""
    named = {p for f in result.findings if f.rule in cross for p in f.pointers}
    if not named or result.report is None:
        return
    held, provenance = result.report.provenance, summary.provenance
    result.report.data["provenance"] = {**{p: provenance[p] for p in named if p in provenance}, **held}


def stream(
    paths: Sequence[str],
    config: Config,
    *,
    jobs: int = 1,
    time_limit: float | None = TIME_LIMIT,
    scheduler: str | None = None,
    ocr: str = "auto",
    keep_model: bool = False,
    run: RunResult | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[ReportResult]:
    """The final result of every input, in input order. Without cross-report rules each is
    yielded as soon as it (and those before it) are checked; with them, once every report has
    been read and the cross-report rules have run. ``run`` receives what the run as a whole
    says (its notifications, waivers, packs), final once the iterator is exhausted."""
    run = run if run is not None else RunResult([], [], [])
    notes = run.notifications
    pluginmanager.configure(config.as_dict())
    rules = engine.selected_rules(config)
    cross = [r for r in rules if isinstance(r, CrossRule)]
    conclusion = engine.Conclusion(config)
    plan = Plan(config, keep_model=keep_model, ocr=ocr, cross=bool(cross))
    found = checked(paths, plan, jobs=jobs, time_limit=time_limit, scheduler=scheduler)
    if not cross:
        for item in found:
            assert isinstance(item, Checked)  # workers pack only for cross-report rules
            notes.extend(item.notes)
            if progress:
                progress(item.result.uri)
            engine.finish(item.result)
            conclusion.add(item.result)
            yield item.result
        _, documents = engine.cross_check(rules, [], config, engine.Notes())
        for document in documents:
            conclusion.add(document)
            yield document
        conclusion.close(run)
        return
    results, summaries = Spool(), _Summaries()
    place = array("q")  # per result, its report's number among the summaries (-1: unreadable)
    try:
        for item in found:
            notes.extend(item.notes)
            if isinstance(item, Packed):
                if progress:
                    progress(item.uri)
                results.put_blob(item.result)
                if item.summary is not None and item.head is not None:
                    place.append(len(summaries.reports))
                    summaries.add_blob(item.summary, item.head)
                else:
                    place.append(-1)
                continue
            if progress:
                progress(item.result.uri)
            results.put(item.result)
            if item.summary is not None and engine.cross_ready(item.result):
                place.append(len(summaries.reports))
                summaries.add(item.summary)
            else:
                place.append(-1)
        crossed = engine.Notes()
        outcomes, documents = engine.cross_check(rules, summaries.reports, config, crossed, keep=_Outcomes)
        notes.extend(crossed.items)
        summaries.recent.clear()
        summaries.recent_heads.clear()
        summaries.memos.clear()
        for number, at in enumerate(place):
            result = cast(ReportResult, results.get(number))
            engine.merge(result, rules, outcomes, at if at >= 0 else None)
            if at >= 0:
                _name_cells(result, summaries.reports[at], {r.id for r in cross})
            conclusion.add(result)
            yield result
        for result in documents:
            conclusion.add(result)
            yield result
        conclusion.close(run)
    finally:
        results.close()
        summaries.spool.close()
