"""The record types that flow from input text to cleaned output."""

from __future__ import annotations

from dataclasses import dataclass, field

from .settings import LABELS


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One non-blank line: ``text`` is the user's characters ``[start, end)``, ``norm`` what features see."""

    start: int
    end: int
    text: str
    norm: str


@dataclass(slots=True)
class Document:
    """A segmented, normalised document; ``id`` is the caller's, carried through untouched."""

    text: str
    paragraphs: list[Paragraph]
    id: object = None


@dataclass(slots=True)
class ParagraphResult:
    """The verdict on one paragraph: final label, first-pass label before context, scores, kept."""

    start: int
    end: int
    label: str
    scores: dict[str, float]
    first_pass: str
    kept: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "scores": self.scores,
            "first_pass": self.first_pass,
            "kept": self.kept,
        }


@dataclass(slots=True)
class CleanResult:
    """A cleaned document: kept paragraphs joined by newlines, and every paragraph's verdict."""

    text: str
    paragraphs: list[ParagraphResult]
    id: object = None
    chars_in: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def chars_out(self) -> int:
        return len(self.text)

    def stats(self) -> dict[str, object]:
        """Counts a caller can aggregate: paragraphs, removed paragraphs per label, characters."""
        return {
            "paragraphs": len(self.paragraphs),
            "removed": {label: self.removed.get(label, 0) for label in LABELS},
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
        }
