"""--scheduler: the same folder through a local Dask cluster (started here, in-process workers
so that it starts in about a second) and locally: identical findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao import cli

distributed = pytest.importorskip("distributed")

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_dask_cluster_gives_the_results_of_a_local_run(tmp_path: Path) -> None:
    inputs = [str(FIXTURES / "crossyear"), str(FIXTURES / "text")]
    local, remote = tmp_path / "local.json", tmp_path / "dask.json"
    assert cli.main(["check", *inputs, "-f", "json", "-o", str(local), "-q", "-j", "2"]) in (0, 1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        code = cli.main(["check", *inputs, "-f", "json", "-o", str(remote), "-q", "--scheduler", c.scheduler_address])
    assert code in (0, 1)
    assert remote.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert '"rule": "X101"' in local.read_text(encoding="utf-8")  # cross-report rules ran on both
