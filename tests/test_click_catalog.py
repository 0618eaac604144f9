"""Click's German catalog: the committed .mo is the compiled .po, and every msgid is one of Click's."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages import pofile

import nachhaken_tui

MESSAGES = Path(nachhaken_tui.__file__).parent / "locale" / "de" / "LC_MESSAGES"


def test_the_committed_mo_is_the_compiled_po():
    """Every message of the .po, and no other, in the .mo as gettext reads it (the header aside)."""
    with (MESSAGES / "click.po").open("rb") as source:
        catalog = pofile.read_po(source)
    expected: dict[object, str] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            expected.update({(message.id[0], n): text for n, text in enumerate(message.string)})
        else:
            expected[message.id] = message.string
    with (MESSAGES / "click.mo").open("rb") as compiled:
        found = {key: text for key, text in gettext.GNUTranslations(compiled)._catalog.items() if key != ""}
    assert found == expected, "click.mo is out of date: compile click.po (see its first lines)"


def test_every_message_is_translated_and_keeps_its_fields():
    import string

    with (MESSAGES / "click.po").open("rb") as source:
        catalog = pofile.read_po(source)

    def fields(text: str) -> set[str]:
        return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field}

    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        allowed = set().union(*map(fields, ids))
        for text in strings:
            assert fields(text) <= allowed, (message.id, text)


def test_every_message_is_one_click_words():
    """A msgid Click no longer uses would leave its message in English: Click's wording changed."""
    import ast

    import click

    click_strings: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                click_strings.add(node.value)
    with (MESSAGES / "click.po").open("rb") as source:
        catalog = pofile.read_po(source)
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            assert not msgid or msgid in click_strings, msgid
