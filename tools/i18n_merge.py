"""Give back to a freshly exported .po the translations an older copy had.

``odoo i18n export`` rewrites ``i18n/th.po`` and reads the Python code terms'
translations from that same file while doing so, so they come out empty. ``./dev
i18n`` keeps a copy of th.po from before the export and runs this afterwards:
every entry left untranslated whose msgid the copy translated gets that msgstr.

Usage: i18n_merge.py NEW_PO OLD_PO [OLD_PO ...]  (the first old translation wins)
"""

import sys

import polib


def merge(new_path, old_paths):
    new = polib.pofile(new_path, wrapwidth=78)
    known = {}
    for path in old_paths:
        for entry in polib.pofile(path).translated_entries():
            known.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    restored = 0
    for entry in new.untranslated_entries():
        msgstr = known.get((entry.msgctxt, entry.msgid))
        if msgstr:
            entry.msgstr = msgstr
            restored += 1
    new.save(new_path)
    return restored, len(new.untranslated_entries())


if __name__ == "__main__":
    restored, missing = merge(sys.argv[1], sys.argv[2:])
    print(f"{restored} translations restored, {missing} entries untranslated")
