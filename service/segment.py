"""Split a document into paragraphs, keeping each one's character offsets into the original."""

from __future__ import annotations

import re

# The line terminators of the spec: \r\n, \n, \r, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
# str.splitlines() also splits at \v, \f, \x1c-\x1e and \x85, which occur inside scraped lines as
# junk, so it is not used.
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
# Leading/trailing characters that do not belong to a paragraph's span: Unicode whitespace (which
# includes U+3000 and NBSP) and the zero-width characters that editors and crawlers leave around.
_EDGE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"


def segment(text: str) -> list[tuple[int, int]]:
    """Return ``[start, end)`` spans of the non-blank lines of ``text``, edges trimmed.

    A span never includes its line terminator nor leading/trailing white space, so
    ``text[start:end]`` is exactly the paragraph a reader sees.
    """
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip(_EDGE)
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip(_EDGE)))
        spans.append((start, start + len(stripped)))
    return spans
