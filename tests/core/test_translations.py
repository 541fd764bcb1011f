"""Dutch first: the Dutch catalogue is complete and the committed .mo matches the .po."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "kring" / "locale" / "nl" / "LC_MESSAGES"


def test_every_string_has_a_dutch_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def _translations(catalogue):
    return {
        (entry.msgid, entry.msgid_plural): (entry.msgstr, sorted(entry.msgstr_plural.items()))
        for entry in catalogue
        if entry.msgid
    }


def test_the_compiled_catalogue_is_up_to_date():
    source = _translations(polib.pofile(str(LOCALE / "django.po")))
    compiled = _translations(polib.mofile(str(LOCALE / "django.mo")))
    assert source == compiled
