"""Text helpers for Vietnamese: accent folding for search ("ho tich" finds "Hộ tịch")."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) so that searches ignore accents."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def without_format_characters(text: str) -> str:
    """The text without format characters (Unicode category Cf: zero-width spaces and joiners,
    byte-order marks, direction marks, soft hyphens), which show nothing on a page."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def visible_text(text: str | None) -> str:
    """A typed text as it will be shown and searched: NFC, no format characters, no white
    space around it. Empty when nothing of it would be seen (a name of zero-width spaces)."""
    return without_format_characters(unicodedata.normalize("NFC", text or "")).strip()
