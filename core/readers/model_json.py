"""Reads a report model that is already JSON (``nianbao parse`` output, or a model written by
another tool) so that it can be checked again; validation against the schema is a rule (M001)."""

from __future__ import annotations

import json
from typing import Any

from nianbao.model import MODEL
from nianbao.readers import ReadError, Source


class ModelJsonReader:
    format = "json"

    def sniff(self, source: Source) -> int:
        head = source.data[:2048].lstrip()
        return 90 if head.startswith(b"{") and MODEL.encode() in source.data[:4096] else 0

    def read(self, source: Source) -> dict[str, Any]:
        try:
            data = json.loads(source.data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReadError("corrupt", f"not valid JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("model") != MODEL:
            raise ReadError("not-a-report", f'JSON, but not a report model (no "model": "{MODEL}")')
        # the places in its provenance are places in the document it was parsed from, not in
        # this JSON file: that document is kept as source.parsed_from
        original = data.get("source") or {}
        data["source"] = {"parsed_from": original} if original else {}
        return data
