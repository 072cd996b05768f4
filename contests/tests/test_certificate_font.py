"""The 표창장 PDF carries the Korean font the portal brings (static/fonts), so a server
without Debian's fonts-nanum still renders it; a missing font file is a clear refusal."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from reportlab.pdfbase import pdfmetrics

from common import fonts
from common.errors import ServiceError
from contests import exports
from contests.models import Award
from contests.services import entry_create
from contests.tests.factories import single_stage_round
from org.tests.factories import portal_admin


def _award() -> Award:
    rnd = single_stage_round()
    entry = entry_create(
        round=rnd,
        title="폐건전지 수거함 설치",
        owner_name="김민수",
        source_type="test",
        source_id=1,
    )
    return Award.objects.create(
        round=rnd, entry=entry, grade="grand", prize_won=300_000, performance_points=2,
        confirmed_by=portal_admin(), confirmed_at=timezone.now(),
    )  # fmt: skip


def test_the_font_is_in_the_repository() -> None:
    root = Path(__file__).resolve().parents[2]
    assert fonts.missing_fonts() == []
    assert fonts.REGULAR.is_relative_to(root) and fonts.BOLD.is_relative_to(root)
    assert (fonts.FONT_DIR / "OFL.txt").read_text().startswith("Copyright (c) 2010, NAVER")


@pytest.mark.django_db
def test_the_certificate_renders_korean_text_from_the_bundled_font(tmp_path: Path) -> None:
    pdf = exports.certificate_pdf(award=_award())
    assert pdf.startswith(b"%PDF") and b"NanumGothic" in pdf
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (Debian poppler-utils) is needed to render the PDF: make system-deps")
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "c.pdf"),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "c.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "표창장" in text.replace(" ", "") and "폐건전지 수거함 설치" in text
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2_000  # a page with drawn glyphs


@pytest.mark.django_db
def test_a_missing_font_is_a_clear_refusal_not_a_500(monkeypatch: Any, tmp_path: Path) -> None:
    registered = dict(pdfmetrics._fonts)
    monkeypatch.setattr(
        pdfmetrics, "_fonts", {k: v for k, v in registered.items() if "Nanum" not in k}
    )
    monkeypatch.setattr(fonts, "REGULAR", tmp_path / "none.ttf")
    with pytest.raises(ServiceError) as exc:
        exports.certificate_pdf(award=_award())
    assert exc.value.code == "font_missing" and "글꼴" in str(exc.value)
