"""Measuring one command as a whole process tree (Linux): wall time, CPU time (user + system of the
command and every process it started and waited for), and peak memory of the tree.

Peak memory, three figures, because none alone is the truth:

- ``rss_tree``: the largest sum, over the samples, of the resident set (VmRSS) of every process of
  the tree alive at that moment. Forked workers share the parent's pages until they write them, so
  this counts shared pages once per process: an upper bound of what the tree holds.
- ``pss_tree``: the same sum of the proportional set size (``/proc/PID/smaps_rollup``: each shared
  page divided among the processes that map it): the tree's real share of the machine's memory.
- ``rss_max``: the kernel's peak of the largest single process of the tree (``ru_maxrss`` of the
  command as ``/usr/bin/time`` reports it: the largest member, *not* the sum). The command runs
  under ``/usr/bin/time`` because a process created by fork keeps its parent's resident size as
  the start of its own peak, across exec: run straight from this (large) Python, a small command
  would show this process's size.

The tree's memory is sampled every ``interval`` seconds (default 0.2; its members are looked
for every fifth sample), so a peak shorter than that can be
missed; ``rss_max`` is exact for its one process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    returncode: int
    wall: float  # seconds
    user: float
    system: float
    rss_tree: float  # MB (MiB), see the module's docstring
    pss_tree: float
    rss_max: float
    processes: int  # most processes of the tree seen at once
    stderr: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return self.user + self.system


def _parents() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # the command name (2nd field) is in parentheses and may hold spaces
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree(root: int) -> list[int]:
    children = _parents()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process, (0, 0) when it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        try:
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
            pss = rss
        except (OSError, ValueError):
            return 0, 0
    return rss, pss


def run(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    stdout: Path | None = None,
    timeout: float | None = None,
    interval: float = 0.2,
    sampling: bool = True,
) -> Measured:
    """Run ``cmd`` to its end (killed after ``timeout`` seconds) and measure it; ``sampling=False``:
    no sampling of the tree's memory (its cost stays out of a short command's time)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 - closed below
    err_path = Path(f"/tmp/nianbao-measure-{os.getpid()}.err")
    err = open(err_path, "wb")  # noqa: SIM115
    peaks = {"rss": 0, "pss": 0, "n": 0}
    started = time.perf_counter()
    peak_file = Path(f"/tmp/nianbao-measure-{os.getpid()}.peak")
    proc = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), *cmd], env=env, cwd=cwd, stdout=out, stderr=err
    )
    stop = threading.Event()

    def sample() -> None:
        pids: list[int] = []
        n = 0
        while not stop.is_set():
            if n % 5 == 0:  # finding the tree scans /proc: every 5th sample (workers live long)
                pids = tree(proc.pid)
            n += 1
            total_rss = total_pss = 0
            for pid in pids[1:]:  # not /usr/bin/time
                rss, pss = _memory(pid)
                if not rss and pid != proc.pid:
                    n = 0  # a process ended: look for its replacement at the next sample
                total_rss += rss
                total_pss += pss
            peaks["rss"] = max(peaks["rss"], total_rss)
            peaks["pss"] = max(peaks["pss"], total_pss)
            peaks["n"] = max(peaks["n"], len(pids))
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampling:
        sampler.start()
    killer = None
    if timeout:
        killer = threading.Timer(timeout, lambda: [os.kill(p, 9) for p in reversed(tree(proc.pid))])
        killer.start()
    # wait4, not Popen.wait: its rusage is the command's with every descendant it waited for
    # (/usr/bin/time's own share is a millisecond)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    if sampling:
        sampler.join()
    if killer:
        killer.cancel()
    if stdout:
        out.close()  # type: ignore[union-attr]
    err.close()
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    err_path.unlink()
    try:
        rss_max = int(peak_file.read_text().split()[-1]) / 1024  # KiB
    except (OSError, ValueError, IndexError):
        rss_max = float("nan")  # killed: /usr/bin/time wrote no figure
    peak_file.unlink(missing_ok=True)
    mb = 1024 * 1024
    return Measured(
        returncode=proc.returncode,
        wall=wall,
        user=usage.ru_utime,
        system=usage.ru_stime,
        rss_tree=peaks["rss"] / mb,
        pss_tree=peaks["pss"] / mb,
        rss_max=rss_max,
        processes=peaks["n"],
        stderr=stderr,
    )
