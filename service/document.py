"""Text in, :class:`Document` out: segmentation plus normalisation, batched across documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .normalize import normalize_many
from .records import Document, Paragraph
from .segment import segment


def build_documents(texts: Sequence[str], ids: Sequence[object] | None = None) -> list[Document]:
    """Segment and normalise many documents with a single normalisation pass over all paragraphs."""
    spans_per_doc = [segment(t) for t in texts]
    raw = [t[s:e] for t, spans in zip(texts, spans_per_doc) for s, e in spans]
    norms = iter(normalize_many(raw))
    raw_iter = iter(raw)
    docs: list[Document] = []
    for i, (text, spans) in enumerate(zip(texts, spans_per_doc)):
        paragraphs = [Paragraph(s, e, next(raw_iter), next(norms)) for s, e in spans]
        docs.append(Document(text=text, paragraphs=paragraphs, id=None if ids is None else ids[i]))
    return docs


def build_document(text: str, id: object = None) -> Document:
    return build_documents([text], [id])[0]


def document_from_paragraphs(paragraphs: Iterable[str], id: object = None) -> Document:
    """A labelled example's paragraphs joined by newlines, the way a crawler would have written them.

    Paragraph texts containing line breaks or blank ones would change the paragraph count, so the
    caller (the labelled-data reader) rejects those before they get here.
    """
    return build_document("\n".join(paragraphs), id)
