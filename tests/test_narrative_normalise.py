"""The narrative's normalising (rules/narrative/text.normalise) takes short cuts: a text already
in NFKC is not folded piece by piece, white space is found by str.split. Each must give what the
plain definition gives: the whole text folded by NFKC with the kept punctuation hidden from it,
then the white space dropped except one space between two digits."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.normalize import nfkc
from nianbao.rules.narrative import text as narrative_text


def _plain(text: str) -> str:
    folded = nfkc(text.translate(narrative_text._HIDE)).translate(narrative_text._SHOW)
    folded = re.sub(r"(?<=\d)\s+(?=\d)", "\x00", folded)
    return re.sub(r"\s+", "", folded).replace("\x00", " ")


#: kept punctuation and its ASCII forms, full-width forms, what NFKC turns into kept punctuation
#: (︒ ﹐), characters that compose (e + U+0301, kana + U+3099, Hangul jamo), every kind of white
#: space, digits, CJK, a NUL
_ALPHABET = list(
    narrative_text._KEEP
    + ",;:()!?.\"'"
    + "０１２３ＡＢａｅ％（）：；，"
    + "︒﹐﹑︐"
    + "e\u0301\u0308か\u3099\u1100\u1161\u11a8"
    + " \t\n\r\u3000\u00a0\u2028\u0085\u1680\u2003\x1c"
    + "0123456789"
    + "申请政府信息公开件年"
    + "\x00"
)
TEXTS = st.lists(st.sampled_from(_ALPHABET), max_size=24).map("".join)


@settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_normalise_is_the_plain_definition(text: str) -> None:
    assert narrative_text.normalise(text) == _plain(text), repr(text)


def test_normalise_examples() -> None:
    for text in ("２０２１年，收到申请１ ２件。", "已是NFKC, 不变", "1 000件", "a\u3000b", "", " \n", "e\u0301"):
        assert narrative_text.normalise(text) == _plain(text), repr(text)
