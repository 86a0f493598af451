"""Real layouts the readers hold on, each in isolation (the real reports that show them are in
tests/fixtures/real and are read whole by test_real_corpus.py)."""

from __future__ import annotations

from nianbao.readers.stream import Stream
from nianbao.readers.tokens import Token


def _stream(*texts: str) -> Stream:
    return Stream([Token(t, {"line": n + 1}) for n, t in enumerate(texts)])


def test_vertical_group_label_interleaved_with_row_labels() -> None:
    # 洪泽区 2023/2024 (WPS PDF): 三、本年度办理结果 printed down the first column
    s = _stream(
        "三（一）予以公开",
        "、本（二）部分公开（区分处理的，只计这一情 形，不年计其他情形）",
        "度办1.属于国家秘密",
        "果3.危及“三安全一稳定”",
    )
    assert s.keys == ["予以公开", "部分公开区分处理的只计这一情形不年计其他情形", "属于国家秘密", "危及三安全一稳定"]
    assert len(s.repairs) == 4


def test_words_that_merely_start_with_those_characters_are_kept() -> None:
    s = _stream("本机关不掌握相关政府信息", "本年新收政府信息公开申请数量", "结果维持", "办理结果")
    assert s.keys == ["本机关不掌握相关政府信息", "本年新收政府信息公开申请数量", "结果维持", "办理结果"]
    assert s.repairs == []
