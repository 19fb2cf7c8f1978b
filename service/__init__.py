"""Jingwen's serving side: everything that runs a trained model on text.

    >>> from service import Cleaner
    >>> cleaner = Cleaner.from_dir(Path("models"))
    >>> result = cleaner.clean(text)
    >>> result.text, [p.label for p in result.paragraphs]
"""

from .artifact import LoadedModel, ModelError, load_model
from .cleaner import Cleaner, check_keep
from .records import CleanResult, Document, Paragraph, ParagraphResult
from .settings import KEEP_DEFAULT, LABELS, Settings

__all__ = [
    "Cleaner",
    "CleanResult",
    "Document",
    "KEEP_DEFAULT",
    "LABELS",
    "LoadedModel",
    "ModelError",
    "Paragraph",
    "ParagraphResult",
    "Settings",
    "check_keep",
    "load_model",
]
