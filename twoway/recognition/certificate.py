"""The completion certificate: a landscape A4 page drawn with fpdf2's core fonts.

Core fonts keep the PDF small and need no font files shipped, but they only know Latin-1, so
every text goes through ``latin1_safe`` first: accents Latin-1 has stay ("Zoë Ångström"), other
letters lose their marks or take their usual Latin spelling ("Łukasz" becomes "Lukasz"), and
anything else becomes "?" rather than failing the download.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils import timezone
from fpdf import FPDF

from twoway.recognition.selectors import CertificateFacts

# Letters without a decomposition into base letter + mark, spelled as people usually write them.
TRANSLITERATIONS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "\u0131": "i",
        "Œ": "OE",
        "œ": "oe",
        "ẞ": "SS",
        "Ŋ": "N",
        "ŋ": "n",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def latin1_safe(text: str) -> str:
    """``text`` with only characters the PDF core fonts can draw."""
    out = []
    for char in text.translate(TRANSLITERATIONS):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _day(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def certificate_pdf(facts: CertificateFacts) -> bytes:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(latin1_safe(f"Certificate of completion - {facts.program}"))
    pdf.set_author(latin1_safe(facts.organisation))
    pdf.set_creator("Twoway")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width = pdf.w - 40

    # A double frame, the one ornament the page needs.
    pdf.set_draw_color(40, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)

    def line(text: str, *, size: float, style: str = "", gap: float = 4) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_x(20)
        pdf.multi_cell(width, size * 0.5, latin1_safe(text), align="C")
        pdf.ln(gap)

    pdf.set_y(32)
    pdf.set_text_color(40, 70, 110)
    line(facts.organisation, size=14, gap=8)
    line("Certificate of completion", size=32, style="B", gap=12)
    pdf.set_text_color(30, 30, 30)
    line("This certifies that", size=14, gap=6)
    line(facts.full_name, size=28, style="B", gap=8)
    line(f"took part as {facts.role.lower()} in the mentoring program", size=14, gap=6)
    line(facts.program, size=20, style="B", gap=10)
    sessions = "1 session" if facts.sessions_held == 1 else f"{facts.sessions_held} sessions"
    line(
        f"from {_day(facts.started_at)} to {_day(facts.ended_at)}, with {sessions} held.",
        size=13,
        gap=4,
    )
    return bytes(pdf.output())
