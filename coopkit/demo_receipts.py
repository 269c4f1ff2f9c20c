"""Small but real receipt files for the demo and the tests: a PNG and a one-page PDF.

Written byte by byte (the PNG and PDF formats are simple enough), so the demo
needs no image library and every file opens in a viewer.
"""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def receipt_png(width: int = 120, height: int = 160, stripes: int = 6) -> bytes:
    """A greyscale PNG of a paper ticket: white with ``stripes`` dark lines of "text"."""
    rows = []
    for y in range(height):
        line_of_text = 20 <= y < height - 20 and (y - 20) % (height // max(stripes, 1)) < 4
        pixels = bytes(40 if line_of_text and 12 <= x < width - 12 else 250 for x in range(width))
        rows.append(b"\x00" + pixels)  # filter type 0 for each scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def receipt_pdf(lines: list[str]) -> bytes:
    """A one-page A6 PDF printing ``lines`` (Latin-1 text) in Helvetica, like a ticket."""
    commands = ["BT", "/F1 10 Tf", "14 TL", "20 270 Td"]
    commands += [f"({_pdf_text(line)}) '" for line in lines]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
