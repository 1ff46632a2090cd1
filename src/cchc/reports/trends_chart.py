"""The line chart of the monthly rates as a PNG, drawn in pure Python (pypng; no Pillow or
matplotlib), for the DOCX report.

One line per rate on a 0-100% scale, a marker of its own shape on each month (the lines stay
apart in black and white), a gap where a month has nothing to rate. The axis labels are the
only text in the picture (digits, "%" and "/" of a built-in 5x7 bitmap font); the legend is
the document's own text under the picture (LEGEND gives the colours).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence

import png

WIDTH, HEIGHT = 1600, 720
LEFT, RIGHT, TOP, BOTTOM = 130, 40, 40, 90
GRID = (0, 25, 50, 75, 100)
WHITE, BLACK, GREY = (255, 255, 255), (40, 40, 40), (200, 200, 200)
# The colours and marker shapes of the lines, in the order of the rates.
COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14))
SHAPES = ("circle", "square", "diamond", "triangle")
LEGEND = tuple(
    (f"{r:02X}{g:02X}{b:02X}", shape) for (r, g, b), shape in zip(COLOURS, SHAPES, strict=True)
)
LINE_RADIUS = 3.2
MARKER_RADIUS = 9
SCALE = 4  # a font pixel is SCALE x SCALE picture pixels

GLYPHS = {
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    "%": ("##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"),
    "/": (".....", "....#", "...#.", "..#..", ".#...", "#....", "....."),
}
GLYPH_WIDTH, GLYPH_HEIGHT = 6 * SCALE, 7 * SCALE  # with one column of spacing


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def put(self, x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = 3 * (y * self.width + x)
            self.pixels[i : i + 3] = bytes(colour)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int]) -> None:
        row = bytes(colour) * (x1 - x0)
        for y in range(max(y0, 0), min(y1, self.height)):
            i = 3 * (y * self.width + x0)
            self.pixels[i : i + len(row)] = row

    def shape(self, cx: float, cy: float, r: float, kind: str, colour) -> None:
        cx, cy = round(cx), round(cy)
        for dy in range(-int(r) - 1, int(r) + 2):
            for dx in range(-int(r) - 1, int(r) + 2):
                if _inside(kind, dx, dy, r):
                    self.put(cx + dx, cy + dy, colour)

    def line(self, x0: float, y0: float, x1: float, y1: float, r: float, colour) -> None:
        steps = max(int(max(abs(x1 - x0), abs(y1 - y0))), 1)
        disc = [
            (dx, dy)
            for dy in range(-int(r) - 1, int(r) + 2)
            for dx in range(-int(r) - 1, int(r) + 2)
            if dx * dx + dy * dy <= r * r
        ]
        for s in range(steps + 1):
            x = round(x0 + (x1 - x0) * s / steps)
            y = round(y0 + (y1 - y0) * s / steps)
            for dx, dy in disc:
                self.put(x + dx, y + dy, colour)

    def text(self, x: int, y: int, content: str, colour=BLACK, anchor: str = "left") -> None:
        """`content` with its top at `y`, starting at `x` (or ending at it, or centred)."""
        width = len(content) * GLYPH_WIDTH - SCALE
        x = {"left": x, "right": x - width, "centre": x - width // 2}[anchor]
        for char in content:
            for row, bits in enumerate(GLYPHS.get(char, ())):
                for col, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(
                            x + col * SCALE,
                            y + row * SCALE,
                            x + (col + 1) * SCALE,
                            y + (row + 1) * SCALE,
                            colour,
                        )
            x += GLYPH_WIDTH

    def png(self) -> bytes:
        stride = 3 * self.width
        rows = (memoryview(self.pixels)[y * stride : (y + 1) * stride] for y in range(self.height))
        out = io.BytesIO()
        png.Writer(self.width, self.height, greyscale=False, compression=9).write(out, rows)
        return out.getvalue()


def _inside(kind: str, dx: int, dy: int, r: float) -> bool:
    if kind == "square":
        return abs(dx) <= r * 0.8 and abs(dy) <= r * 0.8
    if kind == "diamond":
        return abs(dx) + abs(dy) <= r * 1.1
    if kind == "triangle":  # pointing up, centred on the point
        return -r <= dy <= r * 0.7 and abs(dx) <= (dy + r) * 0.6
    return dx * dx + dy * dy <= r * r


def line_chart_png(ticks: Sequence[str], series: Sequence[Sequence[float | None]]) -> bytes:
    """A PNG of `series` (percentages, None = no value), one line each, over `ticks`."""
    canvas = Canvas(WIDTH, HEIGHT)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return TOP + (100 - max(0.0, min(100.0, value))) / 100 * (bottom - TOP)

    for g in GRID:
        y = round(y_of(g))
        canvas.rect(LEFT, y - 1, right, y + 1, BLACK if g == 0 else GREY)
        canvas.text(LEFT - 18, y - GLYPH_HEIGHT // 2, f"{g}%", anchor="right")
    canvas.rect(LEFT - 1, TOP, LEFT + 1, bottom, BLACK)
    step = (right - LEFT - 40) / max(len(ticks) - 1, 1)
    xs = [LEFT + 20 + i * step for i in range(len(ticks))]
    for x, tick in zip(xs, ticks, strict=True):
        canvas.rect(round(x) - 1, bottom, round(x) + 1, bottom + 12, BLACK)
        canvas.text(round(x), bottom + 24, tick, anchor="centre")
    for values, colour in zip(series, COLOURS, strict=False):
        points = [(x, y_of(v)) if v is not None else None for x, v in zip(xs, values, strict=True)]
        for a, b in itertools.pairwise(points):
            if a and b:
                canvas.line(*a, *b, LINE_RADIUS, colour)
    for values, colour, shape in zip(series, COLOURS, SHAPES, strict=False):
        for x, v in zip(xs, values, strict=True):
            if v is not None:
                canvas.shape(x, y_of(v), MARKER_RADIUS + 2, shape, WHITE)
                canvas.shape(x, y_of(v), MARKER_RADIUS, shape, colour)
    return canvas.png()
