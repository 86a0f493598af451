"""Jurisdiction rule packs shipped with nianbao: the local rules of a province or city, or the
checks of national evaluators. Each module is a plugin registered under the entry-point group
``nianbao`` (see ``pyproject.toml``) exactly as a third-party pack is, and a pack: its
``nianbao_pack`` hook says its region and source, and its rules run only when it is enabled
(``--pack NAME`` or ``packs: [NAME]``). ``nianbao packs`` lists them.

- ``suqian``: 江苏 · 宿迁, the city's monitoring indicators (publication by 03-31, repetition > 50%)
- ``wuwei``: 甘肃 · 武威, 武政办发〔2025〕54号 (总体情况 ≤ 1000 字 with the required counts)
- ``evaluators``: what national third-party evaluations check (Art. 50 content, copying across bodies)
"""

from __future__ import annotations

from nianbao.model import Report


def section_text(report: Report, key: str) -> tuple[int, str] | None:
    """(index, text) of the report's section ``key`` (overview, problems …), or None."""
    found = report.section(key)
    if found is None:
        return None
    index, section = found
    return index, str(section.get("text") or "")


def prose(report: Report) -> str:
    """Every section's text, in order: what a reader compares when judging repetition."""
    return "\n".join(str(s.get("text") or "") for s in report.sections)
