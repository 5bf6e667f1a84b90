"""The site's own raster images, drawn in pure Python: the site card and the logo.

A story whose sources declare no image still needs one for search results and link
previews, and Google accepts no SVG there, so we draw PNGs ourselves: flat colours and a
small 5x7 bitmap font, encoded with zlib. No image library is needed, and every byte of
the result comes from this module.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from functools import lru_cache

Colour = tuple[int, int, int]

CARD_WIDTH, CARD_HEIGHT = 1200, 630  # the 1.91:1 size link previews expect
LOGO_SIZE = 512  # JSON Feed's icon size; Google wants a logo of at least 112 x 112
FAVICON_SIZE = 64
TAGLINE = "STORIES FROM THEIR SOURCES, EVERY SENTENCE CITED"

# The site's palette (static/site.css, light theme).
SURFACE: Colour = (0xF1, 0xF0, 0xEA)
TEXT: Colour = (0x1A, 0x1A, 0x1A)
MUTED: Colour = (0x4A, 0x4A, 0x4A)
ACCENT: Colour = (0x8A, 0x1C, 0x1C)

GLYPH_WIDTH, GLYPH_HEIGHT = 5, 7
# Each glyph is 7 rows of 5 bits, the highest bit the leftmost pixel.
FONT: dict[str, tuple[int, ...]] = {
    "A": (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    "D": (0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04),
    "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    " ": (0, 0, 0, 0, 0, 0, 0),
    ".": (0, 0, 0, 0, 0, 0x0C, 0x0C),
    ",": (0, 0, 0, 0, 0x0C, 0x04, 0x08),
    "-": (0, 0, 0, 0x1F, 0, 0, 0),
    "'": (0x04, 0x04, 0x08, 0, 0, 0, 0),
    "&": (0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D),
    "!": (0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04),
    "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04),
    ":": (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    "/": (0, 0x01, 0x02, 0x04, 0x08, 0x10, 0),
    "+": (0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0),
    "_": (0, 0, 0, 0, 0, 0, 0x1F),
}


def printable(text: str) -> str:
    """The text in the font's characters: accents dropped, capitals, others as '?'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c if c in FONT else "?" for c in " ".join(plain.upper().split()))


class Canvas:
    """An RGB image in one bytearray, drawn with filled rectangles."""

    def __init__(self, width: int, height: int, background: Colour) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def fill(self, x: int, y: int, w: int, h: int, colour: Colour) -> None:
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        if x1 <= x0 or y1 <= y0:
            return
        run = bytes(colour) * (x1 - x0)
        for row in range(y0, y1):
            start = (row * self.width + x0) * 3
            self.pixels[start : start + len(run)] = run

    def text(self, x: int, y: int, text: str, scale: int, colour: Colour) -> None:
        for index, char in enumerate(text):
            left = x + index * (GLYPH_WIDTH + 1) * scale
            for row, bits in enumerate(FONT.get(char, FONT["?"])):
                for column in range(GLYPH_WIDTH):
                    if bits & (1 << (GLYPH_WIDTH - 1 - column)):
                        self.fill(left + column * scale, y + row * scale, scale, scale, colour)

    def png(self) -> bytes:
        stride = self.width * 3
        # Filter byte 0 (none) before each row; flat colours compress well without filters.
        raw = b"".join(
            b"\x00" + self.pixels[row * stride : (row + 1) * stride] for row in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        chunks = (_chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(raw, 9)))
        return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def text_width(text: str, scale: int) -> int:
    return (len(text) * (GLYPH_WIDTH + 1) - 1) * scale if text else 0


def fit(text: str, width: int, largest: int) -> tuple[str, int]:
    """The largest scale (up to ``largest``) at which the text fits; cut if even 2 is too big."""
    for scale in range(largest, 1, -1):
        if text_width(text, scale) <= width:
            return text, scale
    keep = max(1, (width // 2 + 1) // (GLYPH_WIDTH + 1) - 1)
    return text[:keep].rstrip() + ".", 2


@lru_cache(maxsize=4)
def site_card_png(site_name: str) -> bytes:
    """The 1200 x 630 card that stands for a story with no image of its own."""
    canvas = Canvas(CARD_WIDTH, CARD_HEIGHT, SURFACE)
    margin = 96
    canvas.fill(0, 0, 24, CARD_HEIGHT, ACCENT)
    name, scale = fit(printable(site_name) or "NEWS", CARD_WIDTH - 2 * margin, 16)
    top = CARD_HEIGHT // 2 - GLYPH_HEIGHT * scale - 24
    canvas.text(margin, top, name, scale, TEXT)
    rule = top + GLYPH_HEIGHT * scale + 36
    canvas.fill(margin, rule, 160, 8, ACCENT)
    tagline, small = fit(TAGLINE, CARD_WIDTH - 2 * margin, min(4, scale))
    canvas.text(margin, rule + 44, tagline, small, MUTED)
    return canvas.png()


@lru_cache(maxsize=8)
def logo_png(site_name: str, size: int = LOGO_SIZE) -> bytes:
    """A square logo: the site's initials, light on the accent colour."""
    canvas = Canvas(size, size, ACCENT)
    words = printable(site_name).split()
    initials = "".join(w[0] for w in words[:2]) or "N"
    _text, scale = fit(initials, size * 3 // 4, size)
    left = (size - text_width(initials, scale)) // 2
    top = (size - GLYPH_HEIGHT * scale) // 2
    canvas.text(left, top, initials, scale, SURFACE)
    return canvas.png()
