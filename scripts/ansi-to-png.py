#!/usr/bin/python3
"""Renders a terminal capture with ANSI colours (tmux capture-pane -e -p) into a PNG.

Usage: ansi-to-png.py CAPTURE.txt OUT.png COLUMNS ROWS
Understands SGR: reset, bold, dim, underline, reverse, 8/16/256/24-bit colours. Needs python3-pil and
fonts-dejavu-core (Debian).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 16
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (24, 24, 24)
BASIC = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
         (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def palette(index):
    if index < 16:
        return BASIC[index]
    if index >= 232:
        level = 8 + 10 * (index - 232)
        return (level, level, level)
    cube = index - 16
    steps = [0, 95, 135, 175, 215, 255]
    return (steps[cube // 36], steps[(cube // 6) % 6], steps[cube % 6])


def parse(text, columns, rows):
    grid = [[(" ", None, None, False, False, False, False)] * columns for _ in range(rows)]
    fg = bg = None
    bold = dim = underline = reverse = False
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg = bg = None
                        bold = dim = underline = reverse = False
                    elif c == 1: bold = True
                    elif c == 2: dim = True
                    elif c == 4: underline = True
                    elif c == 7: reverse = True
                    elif c == 22: bold = dim = False
                    elif c == 24: underline = False
                    elif c == 27: reverse = False
                    elif 30 <= c <= 37: fg = palette(c - 30)
                    elif 90 <= c <= 97: fg = palette(c - 90 + 8)
                    elif c == 39: fg = None
                    elif 40 <= c <= 47: bg = palette(c - 40)
                    elif 100 <= c <= 107: bg = palette(c - 100 + 8)
                    elif c == 49: bg = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            color = palette(codes[i + 2])
                            i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            color = tuple(codes[i + 2:i + 5])
                            i += 4
                        else:
                            color = None
                        if c == 38: fg = color
                        else: bg = color
                    i += 1
                continue
            for ch in token:
                if x < columns:
                    grid[y][x] = (ch, fg, bg, bold, dim, underline, reverse)
                x += 1
    return grid


def render(grid, out):
    font = ImageFont.truetype(FONT, SIZE)
    bold_font = ImageFont.truetype(FONT_BOLD, SIZE)
    width = int(round(font.getlength("M")))
    height = SIZE + 4
    rows, columns = len(grid), len(grid[0])
    image = Image.new("RGB", (columns * width + 16, rows * height + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(grid):
        for x, (ch, fg, bg, bold, dim, underline, reverse) in enumerate(row):
            fg = fg or DEFAULT_FG
            bg = bg or DEFAULT_BG
            if reverse:
                fg, bg = bg, fg
            if dim:
                fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
            left, top = 8 + x * width, 8 + y * height
            draw.rectangle([left, top, left + width - 1, top + height - 1], fill=bg)
            if ch in "─━":
                draw.line([left, top + height // 2, left + width, top + height // 2], fill=fg)
            elif ch != " ":
                draw.text((left, top + 1), ch, font=bold_font if bold else font, fill=fg)
            if underline:
                draw.line([left, top + height - 2, left + width - 1, top + height - 2], fill=fg)
    image.save(out)


if __name__ == "__main__":
    capture, out, columns, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(capture, encoding="utf-8") as handle:
        render(parse(handle.read(), columns, rows), out)
