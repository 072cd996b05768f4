"""The Korean font the portal brings with its own files (static/fonts/nanum, SIL OFL 1.1).

PDFs (the 표창장) embed it, so a server without the Debian ``fonts-nanum`` package still
renders Korean text. ``missing_fonts()`` lets a caller refuse with a clear message instead of
failing with a 500 if a deployment stripped the files.
"""

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts" / "nanum"
REGULAR = FONT_DIR / "NanumGothic.ttf"
BOLD = FONT_DIR / "NanumGothicBold.ttf"


def missing_fonts() -> list[Path]:
    return [path for path in (REGULAR, BOLD) if not path.is_file()]
