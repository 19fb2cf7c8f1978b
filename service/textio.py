"""Bytes to text with errors a user can act on: which file, which byte, what to try."""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """Input bytes that are not text in the expected encoding."""

    def __init__(self, source: str, encoding: str, offset: int, reason: str) -> None:
        super().__init__(
            f"{source}: not valid {encoding} at byte offset {offset} ({reason}); "
            "pass --encoding (e.g. gb18030, big5) if the file uses another encoding"
        )
        self.source = source
        self.encoding = encoding
        self.offset = offset


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; ``LookupError`` for an unknown one."""
    return codecs.lookup(encoding).name


def decode(data: bytes, encoding: str = "utf-8", source: str = "<input>") -> str:
    """Strictly decode ``data`` (a UTF-8 BOM is dropped); a bad byte raises :class:`DecodeError`."""
    name = check_encoding(encoding)
    skipped = 0
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
    try:
        return data[skipped:].decode(name)
    except UnicodeDecodeError as exc:
        raise DecodeError(source, encoding, exc.start + skipped, exc.reason) from None
