"""The architecture is checked by a machine: a lower app never imports a higher one, and another
app's models are reached through its services, selectors and signals (import-linter contracts in
pyproject.toml, run by CI). These tests show the check passes on the code and fails when someone
adds a forbidden import."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["lms", "content", "assessments", "certificates"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    """The project's Python code alone, in a folder of its own, to add forbidden imports to."""
    target = tmp_path_factory.mktemp("code")
    skip = shutil.ignore_patterns("locale", "static", "templates", "__pycache__", "*.mo", "*.po")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_code_keeps_every_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        # a lower app importing a higher one
        ("lms/organisations/probe_upwards.py", "import certificates.services"),
        ("lms/audit/probe_upwards.py", "from lms.organisations import selectors"),
        ("assessments/probe_upwards.py", "from assessments.spotchecks import services"),
        # another app's models instead of its selectors
        ("lms/learning/probe_models.py", "from lms.organisations.models import Staff"),
        ("certificates/probe_models.py", "from assessments.models import Exam"),
    ],
)
def test_a_forbidden_import_breaks_the_build(copy_of_the_code, module, forbidden):
    probe = copy_of_the_code / module
    probe.write_text(forbidden + "\n")
    try:
        result = _lint(copy_of_the_code)
    finally:
        probe.unlink()
    assert result.returncode != 0, result.stdout
    dotted = module.removesuffix(".py").replace("/", ".")
    assert dotted in result.stdout


# --- types: mypy with django-stubs over services, selectors and the pure modules ---------------
MYPY = Path(sys.executable).parent / "mypy"


def _mypy(cwd: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd), "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    cache = (
        cwd / ".mypy_cache"
        if cwd != ROOT
        else Path(os.environ.get("TMPDIR", "/tmp")) / "hegui-mypy"
    )
    return subprocess.run(
        [str(MYPY), "--cache-dir", str(cache), *files],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_services_and_selectors_type_check():
    result = _mypy(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_keyword_argument_to_a_service_breaks_the_build(copy_of_the_code):
    probe = copy_of_the_code / "lms" / "learning" / "probe_types.py"
    probe.write_text(
        "from lms.organisations.services import staff_save\n\n\n"
        "def probe(staff) -> None:\n"
        "    staff_save(staf=staff)\n"
    )
    try:
        result = _mypy(copy_of_the_code, "lms/learning/probe_types.py")
    finally:
        probe.unlink()
    assert result.returncode != 0, result.stdout
    assert 'Unexpected keyword argument "staf"' in result.stdout


HIGHER_THAN_CONTENT = ("learning", "records", "assessments", "spotchecks", "certificates")


def test_content_templates_reach_no_higher_apps_urls():
    """A content page's template names only content's and lower apps' URLs: what learning adds
    to a page (the lesson's completion form) comes through `content.extensions`."""
    offending = []
    for template in (ROOT / "content" / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        offending += [
            f"{template.relative_to(ROOT)}: {app}:"
            for app in HIGHER_THAN_CONTENT
            if f"url '{app}:" in text or f'url "{app}:' in text
        ]
    assert not offending, offending
