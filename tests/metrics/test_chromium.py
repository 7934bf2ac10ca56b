"""The HTML page rendered by headless Chromium (Debian's `chromium`) to a PNG: it draws, offline.

The PNG is checked without an imaging library: its header gives the size, and its scanlines
(decompressed, still filtered) tell a blank page from a drawn one: a row of one colour filters
to zeros after its first pixel under every PNG filter but None, and to one repeated pixel under
None.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from hotfix_policy.engine.metrics import compute, gather, render

from .conftest import NOW

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
WIDTH, HEIGHT = 1200, 1600

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium) to render the page")


def png_rows(data: bytes) -> tuple:
    """(width, height, bytes per pixel, [(filter type, row bytes)]) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    pixel = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = 1 + width * pixel
    rows = [(raw[i * stride], raw[i * stride + 1:(i + 1) * stride]) for i in range(height)]
    return width, height, pixel, rows


def drawn(filter_type: int, row: bytes, pixel: int) -> bool:
    """Whether a scanline holds more than one colour (or, filtered, differs from the row above)."""
    if filter_type == 0:
        return row != row[:pixel] * (len(row) // pixel)
    return any(row[pixel:])


@needs_chromium
def test_page_renders_in_headless_chromium(records, tmp_path):
    page = tmp_path / "metrics.html"
    html = render(compute(gather([str(records)], now=NOW)), "html")
    page.write_text(html, encoding="utf-8")
    charts = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(charts) == 2 and all(re.search(r'<circle[^>]*class="dot', chart) for chart in charts)

    screenshot = tmp_path / "metrics.png"
    profile = tmp_path / "profile"
    command = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}",
               page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and screenshot.is_file(), result.stderr[-2000:]

    data = screenshot.read_bytes()
    assert len(data) > 30_000, f"a {len(data)}-byte PNG is too small for a page with two charts"
    width, height, pixel, rows = png_rows(data)
    assert (width, height) == (WIDTH, HEIGHT)
    drawn_rows = sum(drawn(kind, row, pixel) for kind, row in rows)
    assert drawn_rows > HEIGHT // 4, f"only {drawn_rows} of {HEIGHT} rows hold anything: the page looks blank"
    assert len(set(b"".join(row for _, row in rows))) > 64, "too few distinct values for text and charts"


def test_blank_png_is_told_apart():
    """The blankness check itself, on a white PNG built here."""
    width, height = 40, 30
    raw = b"".join(b"\x01" + b"\xff\xff\xff" + b"\x00" * 3 * (width - 1) for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    _, _, pixel, rows = png_rows(png)
    assert sum(drawn(kind, row, pixel) for kind, row in rows) == 0
