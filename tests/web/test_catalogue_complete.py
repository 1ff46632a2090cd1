"""The English catalogue is complete: every Vietnamese source string has a checked translation
that keeps the placeholders of its source."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import cchc

CATALOGUE = Path(cchc.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d, %5.2f... (not a lone "%" as in "Tỷ lệ %") and str.format's {name}.
PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[A-Za-z_]\w*\}"
)


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]

    def __str__(self) -> str:
        return repr(self.msgid if self.msgctxt is None else f"{self.msgctxt}|{self.msgid}")


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included; a small reader in place of polib."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def store(value: str) -> None:
        name, n = target
        if name == "msgstr_plural":
            entry.msgstr_plural[n] += value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            store(ast.literal_eval(line))
            continue
        keyword, _space, literal = line.partition(" ")
        value = ast.literal_eval(literal)
        if keyword.startswith("msgstr["):
            n = int(keyword[len("msgstr[") : -1])
            entry.msgstr_plural[n] = ""
            target = ("msgstr_plural", n)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = (keyword, None)
            setattr(entry, keyword, "")
        else:
            raise ValueError(f"unexpected line in {path.name}: {raw!r}")
        store(value)
    if entry is not None:
        entries.append(entry)
    return entries


def messages() -> list[Entry]:
    return [e for e in parse_po(CATALOGUE) if e.msgid and not e.obsolete]


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_the_catalogue_has_messages():
    assert len(messages()) > 500


def test_the_catalogue_keeps_no_obsolete_entry():
    assert [str(e) for e in parse_po(CATALOGUE) if e.obsolete] == []


def test_every_message_is_translated():
    untranslated = [str(e) for e in messages() if not all(e.translations)]
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    assert [str(e) for e in messages() if "fuzzy" in e.flags] == []


def test_plural_messages_have_the_two_english_forms():
    header = next(e for e in parse_po(CATALOGUE) if e.msgid == "")
    assert "nplurals=2; plural=(n != 1);" in header.msgstr
    wrong = [str(e) for e in messages() if e.msgid_plural is not None and len(e.msgstr_plural) != 2]
    assert wrong == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    mismatched = []
    for entry in messages():
        expected = placeholders(entry.msgid)
        if entry.msgid_plural is not None:
            assert placeholders(entry.msgid_plural) == expected, str(entry)
        for translation in entry.translations:
            if placeholders(translation) != expected:
                mismatched.append((str(entry), translation))
    assert mismatched == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Còn %(n)d ngày", ["%(n)d"]),
        ("%s và %d, 100%%", ["%s", "%d", "%%"]),
        ("{code} – {name}", ["{code}", "{name}"]),
        ('Tỷ lệ % · {"value": 1}', []),
    ],
)
def test_placeholders_are_python_and_format_fields_only(text, found):
    assert sorted(placeholders(text).elements()) == sorted(found)


def test_the_reader_joins_continued_lines_and_plural_forms(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2;\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "a"\n"b %(n)s"\nmsgid_plural "c"\n'
        'msgstr[0] "one"\nmsgstr[1] ""\n"two"\n\n'
        '#~ msgid "old"\n#~ msgstr "gone"\n',
        encoding="utf-8",
    )
    header, plural, old = parse_po(po)
    assert header.msgstr == "Plural-Forms: nplurals=2;\n"
    assert (plural.msgid, plural.translations, plural.flags) == (
        "ab %(n)s",
        ["one", "two"],
        {"fuzzy", "python-format"},
    )
    assert (old.msgid, old.msgstr, old.obsolete) == ("old", "gone", True)
