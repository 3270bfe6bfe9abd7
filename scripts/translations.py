"""Translation catalogues: one per app, Chinese (zh_Hans) for every user-facing string.

python scripts/translations.py make      # refresh every app's .po from the source
python scripts/translations.py compile   # compile .po to .mo (run by the setup)
python scripts/translations.py check     # refresh, then fail on any untranslated or fuzzy string
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
    "lms/records",
    "content",
    "assessments",
    "assessments/spotchecks",
    "certificates",
]


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
        ignores += ["--ignore", "migrations/*", "--ignore", "tests/*"]
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
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
