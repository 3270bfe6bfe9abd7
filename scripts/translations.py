"""Translation catalogues: one per app, Chinese (zh_Hans) for every user-facing string.

python scripts/translations.py make      # refresh every app's .po from the source
python scripts/translations.py compile   # compile .po to .mo (run by the setup)
python scripts/translations.py check     # refresh, then fail on any untranslated or fuzzy string
python scripts/translations.py wagtail-gaps  # refresh the catalogue of what Wagtail leaves untranslated

Wagtail's own zh_Hans catalogues lack a few hundred of its strings. lms/wagtail_zh/locale (in
settings.LOCALE_PATHS, not an app: `make` never touches it) holds exactly those, copied from
Wagtail's English catalogues by `wagtail-gaps` (translations already made are kept), and
`check` fails when Wagtail has a string nobody translates or ours would change Wagtail's words.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans"
# Each app directory holds its own catalogue; nested apps are left to their own catalogue.
APPS = [
    "lms",
    "lms/accounts",
    "lms/organisations",
    "lms/audit",
    "lms/learning",
    "lms/notifications",
    "lms/records",
    "lms/commitments",
    "lms/duties",
    "lms/dispatch",
    "lms/consultations",
    "lms/oversight",
    "lms/resilience",
    "lms/sso",
    "lms/wecom",
    "content",
    "assessments",
    "assessments/spotchecks",
    "certificates",
]


# Wagtail's strings its zh_Hans catalogues lack (settings.LOCALE_PATHS; not an app catalogue).
WAGTAIL_GAPS = ROOT / "lms" / "wagtail_zh"
DOMAINS = ("django", "djangojs")


def _nested(app: str) -> list[str]:
    return [Path(other).name for other in APPS if other != app and other.startswith(app + "/")]


def _manage(app_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=app_dir,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def make(only: list[str] | None = None) -> None:
    for app in only or APPS:
        if app not in APPS:
            sys.exit(f"unknown app {app!r}; one of: {', '.join(APPS)}")
        app_dir = ROOT / app
        (app_dir / "locale").mkdir(exist_ok=True)
        ignores = [arg for name in _nested(app) for arg in ("--ignore", f"{name}/*")]
        ignores += ["--ignore", "migrations/*", "--ignore", "tests/*", "--ignore", "wagtail_zh/*"]
        _manage(app_dir, "makemessages", "-l", LOCALE, "--no-obsolete", "--no-location", *ignores)
        if any(app_dir.rglob("static/**/*.js")):
            _manage(
                app_dir,
                "makemessages",
                "-d",
                "djangojs",
                "-l",
                LOCALE,
                "--no-obsolete",
                "--no-location",
                *ignores,
            )


def compile_() -> None:
    for app in APPS:
        if (ROOT / app / "locale").exists():
            _manage(ROOT / app, "compilemessages", "-l", LOCALE)
    _manage(WAGTAIL_GAPS, "compilemessages", "-l", LOCALE)


def _translated_keys(package, domain: str) -> set[tuple[str | None, str]]:
    import polib

    keys = set()
    for po_path in Path(package.__file__).parent.rglob(f"locale/{LOCALE}/LC_MESSAGES/{domain}.po"):
        for entry in polib.pofile(str(po_path)):
            if not entry.obsolete and entry.translated():
                keys.add((entry.msgctxt or None, entry.msgid))
    return keys


def _wagtail_gaps(domain: str) -> dict:
    """Wagtail's English entries of one domain that no Wagtail (nor Django) zh_Hans catalogue
    translates: missing, empty or fuzzy there. Keyed by (msgctxt, msgid), in Wagtail's order."""
    import django
    import polib
    import wagtail

    theirs = _translated_keys(wagtail, domain) | _translated_keys(django, domain)
    root = Path(wagtail.__file__).parent
    gaps = {}
    for po_path in sorted(root.rglob(f"locale/en/LC_MESSAGES/{domain}.po")):
        for entry in polib.pofile(str(po_path)):
            key = (entry.msgctxt or None, entry.msgid)
            if entry.obsolete or not entry.msgid or key in theirs or key in gaps:
                continue
            entry.occurrences = []
            entry.tcomment = f"wagtail/{po_path.relative_to(root).parts[0]}"
            gaps[key] = entry
    return gaps


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _gaps_po(domain: str) -> Path:
    return WAGTAIL_GAPS / "locale" / LOCALE / "LC_MESSAGES" / f"{domain}.po"


def wagtail_gaps() -> None:
    """Write Wagtail's untranslated entries into our gap catalogue, keeping our translations."""
    import polib

    for domain in DOMAINS:
        po_path = _gaps_po(domain)
        ours = {}
        if po_path.exists():
            for entry in polib.pofile(str(po_path)):
                ours[(entry.msgctxt or None, entry.msgid)] = entry
        po = polib.POFile(wrapwidth=79)
        po.header = "Simplified Chinese for Wagtail's strings its own zh_Hans catalogues lack."
        po.metadata = {
            "Project-Id-Version": "hegui-academy wagtail gaps",
            "Language": "zh_Hans",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
        for key, theirs in _wagtail_gaps(domain).items():
            entry = polib.POEntry(
                msgctxt=theirs.msgctxt,
                msgid=theirs.msgid,
                msgid_plural=theirs.msgid_plural,
                tcomment=theirs.tcomment,
                flags=[flag for flag in theirs.flags if flag != "fuzzy"],
            )
            kept = ours.get(key)
            if theirs.msgid_plural:
                kept_text = kept.msgstr_plural.get(0, "") if kept else ""
                entry.msgstr_plural = {0: kept_text}
            else:
                entry.msgstr = kept.msgstr if kept else ""
            if kept and kept.fuzzy:
                entry.flags.append("fuzzy")
            po.append(entry)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(po_path))
        print(
            f"{_shown(po_path)}: {len(po)} entries, {len(po.untranslated_entries())} to translate"
        )


def _check_wagtail_gaps(our_app_words: dict) -> list[str]:
    """Our gap catalogue holds exactly what Wagtail leaves untranslated, all of it translated."""
    import polib

    problems = []
    for domain in DOMAINS:
        po_path = _gaps_po(domain)
        where = _shown(po_path)
        gaps = _wagtail_gaps(domain)
        po = polib.pofile(str(po_path)) if po_path.exists() else []
        ours = {(entry.msgctxt or None, entry.msgid): entry for entry in po if not entry.obsolete}
        for key in gaps.keys() - ours.keys():
            problems.append(
                f"{where}: Wagtail's {key[1]!r} has no zh-hans translation in Wagtail or here; "
                "run `scripts/translations.py wagtail-gaps` and translate it"
            )
        for key in ours.keys() - gaps.keys():
            problems.append(
                f"{where}: {key[1]!r} is translated by Wagtail or Django now (or is not "
                "Wagtail's): ours must not change their words; run `wagtail-gaps` to drop it"
            )
        if po_path.exists():
            checked = subprocess.run(
                ["msgfmt", "--check-format", "-o", "/dev/null", str(po_path)],
                capture_output=True,
                text=True,
            )
            if checked.returncode:
                problems.append(f"{where}: {checked.stderr.strip()}")
        for key, entry in ours.items():
            if entry.fuzzy or not entry.translated():
                problems.append(f"{where}: {entry.msgid!r}")
            elif domain == "django" and our_app_words.get(key, entry.msgstr) != entry.msgstr:
                problems.append(
                    f"{where}: {entry.msgid!r} is {entry.msgstr!r} here but "
                    f"{our_app_words[key]!r} in our app catalogue; one of them needs a context"
                )
    return problems


def _their_meanings() -> dict[str, set[str]]:
    """Every plain (context-free) msgid Django and Wagtail translate to zh-hans, with their words."""
    import django
    import polib
    import wagtail

    meanings: dict[str, set[str]] = {}
    for package in (django, wagtail):
        for po_path in Path(package.__file__).parent.rglob(
            f"locale/{LOCALE}/LC_MESSAGES/django.po"
        ):
            for entry in polib.pofile(str(po_path)):
                if not entry.msgctxt and entry.translated():
                    meanings.setdefault(entry.msgid, set()).add(entry.msgstr)
    return meanings


def check() -> int:
    import polib

    make()
    theirs = _their_meanings()
    missing = []
    for app in APPS:
        for po_path in (ROOT / app / "locale" / LOCALE / "LC_MESSAGES").glob("*.po"):
            # the catalogue must also compile (msgfmt is stricter than polib)
            checked = subprocess.run(
                ["msgfmt", "--check-format", "-o", "/dev/null", str(po_path)],
                capture_output=True,
                text=True,
            )
            if checked.returncode:
                missing.append(f"{po_path.relative_to(ROOT)}: {checked.stderr.strip()}")
                continue
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete:
                    continue
                if entry.fuzzy or not entry.translated():
                    missing.append(f"{po_path.relative_to(ROOT)}: {entry.msgid!r}")
                elif (
                    not entry.msgctxt
                    and entry.msgid in theirs
                    and entry.msgstr not in theirs[entry.msgid]
                ):
                    # One catalogue wins for a shared msgid, so ours would change Wagtail's words
                    # (or theirs ours): give our string a context with pgettext.
                    missing.append(
                        f"{po_path.relative_to(ROOT)}: {entry.msgid!r} is {entry.msgstr!r} here "
                        f"but {' / '.join(sorted(theirs[entry.msgid]))!r} in Django or Wagtail; "
                        "use pgettext with a context"
                    )
    our_app_words = {}
    for app in APPS:
        po_path = ROOT / app / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
        if po_path.exists():
            for entry in polib.pofile(str(po_path)):
                if not entry.obsolete and entry.translated() and not entry.msgid_plural:
                    our_app_words[(entry.msgctxt or None, entry.msgid)] = entry.msgstr
    missing += _check_wagtail_gaps(our_app_words)
    if missing:
        print(f"{len(missing)} user-facing strings have no zh-hans translation of their own:")
        print("\n".join(missing))
        return 1
    print("Every user-facing string has a zh-hans translation.")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "make":
        make(sys.argv[2:])
    elif command == "compile":
        compile_()
    elif command == "wagtail-gaps":
        wagtail_gaps()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
