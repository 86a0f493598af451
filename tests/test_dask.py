"""--scheduler: the same folder through a local Dask cluster (started here: two worker processes,
so that the plan and the results cross a process boundary pickled, as on a real cluster; about
3 s to start) and locally: identical output, byte for byte. CI never skips it (distributed is in
the test extra)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nianbao import cli

if os.environ.get("CI"):
    import distributed  # in CI a missing Dask is a failure, not a skip
else:
    distributed = pytest.importorskip("distributed")

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_dask_cluster_gives_the_results_of_a_local_run(tmp_path: Path) -> None:
    inputs = [str(FIXTURES / "crossyear"), str(FIXTURES / "text")]
    local, remote = tmp_path / "local.json", tmp_path / "dask.json"
    assert cli.main(["check", *inputs, "-f", "json", "-o", str(local), "-q", "-j", "2"]) in (0, 1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        code = cli.main(["check", *inputs, "-f", "json", "-o", str(remote), "-q", "--scheduler", c.scheduler_address])
    assert code in (0, 1)
    assert remote.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert '"rule": "X101"' in local.read_text(encoding="utf-8")  # cross-report rules ran on both
