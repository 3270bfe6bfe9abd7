import subprocess
from pathlib import Path

import pytest

from tests.factories.certificates import CertificateTemplateFactory


@pytest.fixture
def template(org):
    return CertificateTemplateFactory(issuing_organisation=org)


def pdf_page_png(pdf_bytes: bytes, tmp_path: Path, dpi: int = 110) -> Path:
    """The PDF's first page as a PNG, through poppler's pdftoppm."""
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    return tmp_path / "page.png"


def pdf_text(pdf_bytes: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "certificate-text.pdf"
    pdf.write_bytes(pdf_bytes)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf_bytes: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "certificate-fonts.pdf"
    pdf.write_bytes(pdf_bytes)
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout


def read_qr_codes(png: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
