"""Whether the label colours of claims.yaml can be told apart and read on.

Every label is a background behind black text on a white page, next to the claim's evidence
shading, under the claim's slot mark. Colours are compared as people see them (CIEDE2000 on
CIELAB) and checked for text contrast as WCAG computes it. `palette_problems` lists every clash
at once; a test runs it on schemas/claims.yaml.
"""

from __future__ import annotations

import itertools
import math

from annotations.schema import ClaimSchema

PAGE = "#ffffff"
TEXT = "#000000"
EVIDENCE = "#f9f2c8"  # the selected claim's evidence, behind the text
SLOT_MARK = "#8b0000"  # the underline under the selected claim's slot values

MIN_TEXT_CONTRAST = 7.0  # WCAG AAA for black text on a label's colour
MIN_MARK_CONTRAST = 3.0  # WCAG's bar for marks that are not text
MIN_FROM_PAGE = 15.0  # ΔE2000: a highlighted word must stand out from the page
MIN_BETWEEN = 11.0  # ΔE2000 between two labels, and between a label and the evidence


def _rgb(color: str) -> tuple[float, float, float]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    r, g, b = map(_linear, _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(color: str) -> tuple[float, float, float]:
    """CIELAB under D65."""
    r, g, b = map(_linear, _rgb(color))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: str, b: str) -> float:
    """CIEDE2000 colour difference (about 2.3 is just noticeable; 10 and more is clearly another colour)."""
    return delta_e(lab(a), lab(b))


def delta_e(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 between two CIELAB colours (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    rt = -math.sin(math.radians(2 * rotation)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def palette_problems(schema: ClaimSchema) -> list[str]:
    """Every label colour that is hard to read on, too close to the page, to another label or to
    the evidence shading, or under which the slot mark does not show; in words, all at once."""
    colors = {name: label.color for name, label in schema.entity_labels.items()}
    problems = []
    for name, color in colors.items():
        if contrast(color, TEXT) < MIN_TEXT_CONTRAST:
            problems.append(f"{name} {color}: black text on it has contrast {contrast(color, TEXT):.1f}, under {MIN_TEXT_CONTRAST}")
        if contrast(color, SLOT_MARK) < MIN_MARK_CONTRAST:
            problems.append(f"{name} {color}: the slot mark {SLOT_MARK} on it has contrast {contrast(color, SLOT_MARK):.1f}, "
                            f"under {MIN_MARK_CONTRAST}")
        if distance(color, PAGE) < MIN_FROM_PAGE:
            problems.append(f"{name} {color}: {distance(color, PAGE):.1f} from the white page, under {MIN_FROM_PAGE}")
        if distance(color, EVIDENCE) < MIN_BETWEEN:
            problems.append(f"{name} {color}: {distance(color, EVIDENCE):.1f} from the evidence shading {EVIDENCE}, under {MIN_BETWEEN}")
    for (a, ca), (b, cb) in itertools.combinations(colors.items(), 2):
        if distance(ca, cb) < MIN_BETWEEN:
            problems.append(f"{a} {ca} and {b} {cb}: {distance(ca, cb):.1f} apart, under {MIN_BETWEEN}")
    return problems
