"""Neutralize vendor-supplied text before it reaches a terminal or a spreadsheet (issue 18).

- `terminal_safe`: control characters (C0 such as ESC, DEL, C1) and bidirectional-override characters are
  written as visible escapes (`\\x1b`, `\\u202e`), so a product name cannot move the cursor, recolour the screen,
  set the window title, hide text or reorder what a person reads.
- `spreadsheet_safe`: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
  so a spreadsheet shows it as text instead of evaluating it (`=HYPERLINK(...)`, DDE payloads).

Example::

    terminal_safe("Mug\\x1b[2J")      # 'Mug\\\\x1b[2J'
    spreadsheet_safe("=HYPERLINK(1)")  # "'=HYPERLINK(1)"
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["spreadsheet_safe", "terminal_safe"]

_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control and bidi-override character written as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def spreadsheet_safe(text: str) -> str:
    """`text` prefixed with `'` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
