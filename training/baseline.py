"""The plain-text rules baseline every model change is compared with.

It keeps a line when it reads like prose (sentence punctuation) and drops the rest, the rule a
corpus builder writes first. It never says spam or off_topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.normalize import normalize_many

_PROSE = re.compile(r"[。!?]")
MIN_PROSE_CHARS = 10


def baseline_labels(texts: Sequence[str]) -> list[str]:
    """``content`` for lines with sentence punctuation and at least 10 characters, else ``chrome``."""
    return [
        "content" if len(t) >= MIN_PROSE_CHARS and _PROSE.search(t) else "chrome" for t in normalize_many(list(texts))
    ]
