"""The weekly report: one page a busy owner reads, as HTML and as PDF.

    html = weekly_html(store, now)          # the last full week (Monday to Sunday) before now
    to_pdf(html, Path("week.pdf"))          # headless Chromium prints it

The PDF is printed by Chromium (`apt-get install chromium`, or $SOCIABLE_CHROMIUM), so the
report looks the same on paper as in the browser, charts included.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sociable.results import dashboard
from sociable.results import goals as G
from sociable.results import metrics as M
from sociable.store import settings as store_settings


class PdfError(RuntimeError):
    """The PDF could not be made (no Chromium, or it failed)."""


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(files("sociable.results") / "templates")),
                      autoescape=select_autoescape(["html"]))
    env.filters["fmt"] = lambda v, unit="", cur="USD": G.fmt(v, unit, cur)
    return env


def week_figures(week: dict, k: int = -2) -> list[tuple[str, str, str]]:
    """(label, value, change vs the week before) for the report's table of the week."""
    out = []
    cur = week.get("currency", "USD")
    for name in ("engaged_people", "engaged_known", "engaged_new", "conversations",
                 "response_rate", "first_response_median", "moments_answered", "praise_share",
                 "web_sessions_social", "signups_social", "revenue_engaged", "ad_spend"):
        m = M.METRICS[name]
        vals = M.series(week, name)
        v, before = vals[k], vals[k - 1]
        if v is None:
            continue
        change = ""
        if before not in (None, 0):
            diff = v - before
            better = (diff > 0) == (m.better == "up")
            change = ("▲ " if diff > 0 else "▼ " if diff < 0 else "") + \
                G.fmt(abs(diff), m.unit, cur) + (" better" if better and diff else
                                                 " worse" if diff else " same")
        out.append((m.label, G.fmt(v, m.unit, cur), change))
    return out


def weekly_html(store, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    d = dashboard.build(store, now)
    with store.begin() as conn:
        name = store_settings.get(conn, "store_name") or "Your store"
    from sociable.results.periods import Period

    last = Period.of_key(d.week["periods"][-2], _tz(d))
    return templates().get_template("report.html").render(
        d=d, store_name=name, week_label=last.label(), week_key=last.key,
        figures=week_figures(d.week), generated=now.astimezone(_tz(d)),
        charts=[c for c in d.charts if c.id in ("engaged", "conversations", "response",
                                                  "moments", "revenue")])


def _tz(d):
    from zoneinfo import ZoneInfo

    return ZoneInfo(d.month["timezone"])


def chromium() -> str | None:
    found = os.environ.get("SOCIABLE_CHROMIUM")
    if found:
        return found
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def to_pdf(html: str, out: Path, *, timeout: float = 90) -> Path:
    """Print the HTML to a PDF with headless Chromium."""
    browser = chromium()
    if browser is None:
        raise PdfError("making a PDF needs Chromium: apt-get install chromium "
                       "(or set SOCIABLE_CHROMIUM to a Chrome/Chromium binary)")
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="sociable-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
               "--disable-dev-shm-usage", f"--user-data-dir={tmp}/profile",
               "--no-pdf-header-footer", "--print-to-pdf-no-header",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish the PDF in {timeout:.0f} s") from None
    if not out.exists() or out.stat().st_size == 0:
        raise PdfError(f"Chromium made no PDF: {done.stderr.strip()[-500:]}")
    return out


def page_png(pdf: Path, out: Path, *, page: int = 0, scale: float = 1.5) -> tuple[int, int, float]:
    """Render one PDF page to a PNG (pypdfium2, the `reports` extra); returns (width, height,
    share of the page that is not white), a quick check that something was drawn."""
    import struct
    import zlib

    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        bitmap = doc[page].render(scale=scale)
        pixels = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3][:, :, ::-1])  # BGR -> RGB
    finally:
        doc.close()
    height, width = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                            0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    Path(out).write_bytes(png)
    ink = float((pixels.min(axis=2) < 200).mean())
    return width, height, ink
