"""Text helpers for Vietnamese: accent folding for search ("ho tich" finds "Hộ tịch")."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) so that searches ignore accents."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
