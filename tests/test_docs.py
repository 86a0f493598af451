"""The README and the docs stay true: the two set-up commands first, the CI script running the
README's test command, the rule documentation generated from the rules' current metadata."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)


def test_readme_starts_with_two_commands() -> None:
    blocks = re.findall(r"^```sh\n(.*?)\n```", README.split("## Usage")[0], flags=re.S | re.M)
    assert len(blocks) == 2 and all("\n" not in b for b in blocks)
    assert "nianbao check examples/" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_both_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands()[0] in ci and commands()[1] in ci


def test_rule_docs_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rules_doc.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_example_outputs_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_examples.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
