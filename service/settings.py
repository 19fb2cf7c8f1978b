"""Named defaults, in one place.

Every tunable the CLI, the HTTP service and the batch runner expose starts here; flags and
``JINGWEN_*`` environment variables override them through :class:`Settings`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

LABELS: tuple[str, ...] = ("content", "chrome", "spam", "off_topic")
"""The four paragraph labels, in the column order of every score matrix."""

KEEP_DEFAULT: tuple[str, ...] = ("content",)
"""Labels that survive cleaning unless the caller asks otherwise."""

OFF_TOPIC_MIN = 0.4
"""A paragraph is off-topic wherever its off-topic probability reaches this bar, even when another
label is more probable; below it, the most probable other label wins. Read off out-of-fold scores
(``python -m training.quality --dump``): the boosted trees spread their doubt about an inserted
passage between content and off-topic, and across three retrains of the recipe a bar of 0.4
removed 0.01-0.06 more of the injected off-topic text than argmax at no cost in the dev set's
content (the synthetic held-out pages lose 0.5 % of their content characters; docs/history.md,
"Quality on real pages")."""

OFF_TOPIC_NEAR = 0.2
"""Next to an off-topic paragraph (:data:`OFF_TOPIC_MIN`), a kept paragraph whose off-topic
probability reaches this is part of the same pasted passage (:func:`service.decision.off_topic_runs`).
Replayed on model 0.5.0's out-of-fold scores under three synthesis seeds, it removed 0.000-0.042
more of the dev set's injected off-topic text and none of its content; on two draws of held-out
synthetic pages, 0.03-0.04 more off-topic text for 0.15 % of the content. 0.15 removed about as
much and cost a little more content (docs/history.md, "Quality on real pages")."""

SWITCH_COST = 1.0
"""Cost, in log-probability, of every switch between kept and removed runs in a document
(:mod:`service.decision`): a paragraph goes against its neighbours only when its own evidence
is more than e**2 (about 7) to 1 for a lone line. Replayed on the dev set's out-of-fold scores of
nine models, 1.0 removed more chrome for every one of them at little or no cost in content; 2 lost
content for five of the nine, 3 for eight (docs/history.md, "Quality on real pages")."""
SWITCH_CHARS = 60.0
"""A paragraph's evidence counts once per this many characters (at least once): long prose holds
its own against the run around it, short lines follow it."""
REPEAT_MIN_CHARS = 30
"""A kept paragraph of at least this many (normalised) characters, at least half of them CJK, that
repeats an earlier kept paragraph word for word is the template's second copy (``chrome``, as
LABELS.md has a repeated title). Shorter lines ("同上", a refrain), code and rules of underscores
repeat legitimately. Replayed on the out-of-fold scores of five models, it removed 0.00-0.03 more
of the dev set's chrome and no content (docs/history.md, "Quality on real pages")."""

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR_DEFAULT = REPO_ROOT / "models"

HOST_DEFAULT = "127.0.0.1"
PORT_DEFAULT = 8000
WORKERS_DEFAULT = 1
MAX_BODY_BYTES_DEFAULT = 2 * 1024 * 1024
MAX_BATCH_DOCUMENTS_DEFAULT = 256
CLEAN_BATCH_SIZE_DEFAULT = 64
"""Documents featurised together: one vectorised pass amortises the per-call cost of the models."""


def _env(name: str) -> str | None:
    value = os.environ.get(f"JINGWEN_{name.upper()}")
    return value if value not in (None, "") else None


@dataclass
class Settings:
    """One settings object for every entry point; ``from_env`` applies ``JINGWEN_<FIELD>``."""

    models_dir: Path = MODELS_DIR_DEFAULT
    model: str | None = None
    host: str = HOST_DEFAULT
    port: int = PORT_DEFAULT
    workers: int = WORKERS_DEFAULT
    max_body_bytes: int = MAX_BODY_BYTES_DEFAULT
    max_batch_documents: int = MAX_BATCH_DOCUMENTS_DEFAULT
    admin_token: str | None = None
    keep: tuple[str, ...] = field(default=KEEP_DEFAULT)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then environment, then explicit (non-None) overrides such as CLI flags."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = _env(f.name)
            if raw is None:
                continue
            if f.name == "models_dir":
                values[f.name] = Path(raw)
            elif f.name == "keep":
                values[f.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
            elif f.type in ("int", int):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
