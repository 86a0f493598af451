"""Tests of the pack: the check on a report model, and nianbao run with the package installed.

pip install -e .        # in this folder, beside nianbao
python -m pytest tests
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nianbao.loader import load
from nianbao.rule import RuleContext
from nianbao_example_rules import contact_telephone

REPORT = Path(__file__).parent / "report.txt"


def test_no_telephone_is_a_finding() -> None:
    report = load(str(REPORT)).report
    assert report is not None
    (finding,) = contact_telephone.check(report, RuleContext({"min_digits": 7}))
    assert "联系电话" in finding.message


def test_a_telephone_is_found(tmp_path: Path) -> None:
    with_phone = tmp_path / "with-phone.txt"
    with_phone.write_text(REPORT.read_text(encoding="utf-8") + "\n联系电话：0930-1234567\n", encoding="utf-8")
    report = load(str(with_phone)).report
    assert report is not None
    assert list(contact_telephone.check(report, RuleContext({"min_digits": 7}))) == []


def test_installed_nianbao_runs_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nianbao", "check", str(REPORT), "-f", "json", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    (result,) = json.loads(done.stdout)["reports"]
    assert "EX101" in result["rules"]["failed"]
