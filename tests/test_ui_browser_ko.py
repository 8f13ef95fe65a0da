"""The chat answering a Korean question in a real browser, in Korean, with CJK glyphs (no missing-glyph boxes).

Uses the fixtures of test_ui_browser (Debian chromium through Playwright; skipped where chromium is missing).
Set GENELM_DOCS_SCREENSHOT=1 to refresh docs/screenshots/chat_ko.png.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from test_ui_browser import _ask, _markers, _panel, browser, chat_url, page, screenshot  # noqa: F401  (fixtures)

# The chat in a real browser (a Gradio server and chromium per module): a long check, run by CI with `slow`
# (issue 26 lists the browser among them); README's default command leaves it out.
pytestmark = pytest.mark.slow

DOCS_SHOT_KO = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "chat_ko.png"
TOFU = "\U0010fffd"  # a private-use code point no font draws: the browser shows its missing-glyph box

GLYPH_WIDTHS = """([text, tofu]) => {
  const el = document.querySelector('#chat .message-row:last-child') || document.querySelector('#chat');
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = getComputedStyle(el).font;
  return [...text].map(c => [c, ctx.measureText(c).width, ctx.measureText(tofu).width]);
}"""


def test_a_korean_question_is_answered_in_korean_with_readable_glyphs(page, tmp_path):
    _ask(page, "간에서 특이적으로 발현되는 전사인자는?", "답: ARID3C")
    text = page.locator("#chat .message-row").last.inner_text()
    assert "전사인자" in text and "HNF4A" in text
    markers, panel = _markers(page), _panel(page)
    assert markers and all(panel[n] == key for n, key in markers)
    family = page.evaluate("() => getComputedStyle(document.querySelector('#chat')).fontFamily")
    assert "Noto Sans CJK" in family
    # Each Hangul and Han character is drawn by a font that has it, not as the missing-glyph box.
    widths = page.evaluate(GLYPH_WIDTHS, ["간특이적발현전사인자肝脏转录因子", TOFU])
    boxes = [c for c, width, tofu in widths if abs(width - tofu) < 0.01]
    assert not boxes, f"drawn as missing-glyph boxes: {boxes}"
    screenshot(page, tmp_path / "chat_ko.png", DOCS_SHOT_KO)
