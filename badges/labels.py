"""Badge labels for the printers events use, printed by the browser with CSS page sizes.

Each format is one HTML page (``templates/badge_label.html``) with a stylesheet of its own
(``static/css/label-<code>.css``, holding its ``@page { size: … }``) on top of the shared
``static/css/labels.css``. Black only: thermal label printers (Brother QL, Zebra, Dymo) print
one colour at 203 or 300 dpi.

The QR code is inline SVG whose modules are a whole number of printer dots at 203 dpi
(``QR_DOTS`` dots each, 0.125 mm a dot), so a thermal printer draws every module the same
width and a scanner decodes it; the quiet zone (4 modules) is kept. A test prints every
format with Chromium, renders the PDF at 203 dpi and decodes the QR back to the token.
"""

from __future__ import annotations

from dataclasses import dataclass

from badges.render import BadgeData, qr_matrix

DOT_MM = 25.4 / 203  # one dot of a 203 dpi thermal printer
QUIET_MODULES = 4


@dataclass(frozen=True, slots=True)
class LabelFormat:
    code: str
    width_mm: float
    height_mm: float
    # Printer dots per QR module at 203 dpi; 4 dots = 0.5 mm.
    qr_dots: int
    competencies: int  # how many competency highlights fit
    stands: int  # how many recommended stands fit
    nl: str
    en: str

    @property
    def qr_module_mm(self) -> float:
        return self.qr_dots * DOT_MM

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


# The order the print station and desk pages list them in.
FORMATS: dict[str, LabelFormat] = {f.code: f for f in (
    # Continuous 62 mm tape: the printer cuts each badge at 90 mm.
    LabelFormat("ql62", 62, 90, 4, 2, 3, "Brother QL, rol 62 mm (afgeknipt op 90 mm)",
                "Brother QL, 62 mm continuous (cut at 90 mm)"),
    LabelFormat("ql62x100", 62, 100, 4, 3, 3, "Brother QL, etiket 62 × 100 mm",
                "Brother QL, 62 × 100 mm label"),
    LabelFormat("zebra4x6", 101.6, 152.4, 5, 4, 3, "Zebra, etiket 4 × 6 inch",
                "Zebra, 4 × 6 in label"),
    LabelFormat("dymo54x101", 54, 101, 4, 2, 3, "Dymo, etiket 54 × 101 mm",
                "Dymo, 54 × 101 mm label"),
    LabelFormat("card54x86", 86, 54, 3, 2, 2, "Kaart 54 × 86 mm", "Card 54 × 86 mm"),
    LabelFormat("a6", 105, 148, 5, 4, 3, "A6", "A6"),
    LabelFormat("a4", 210, 297, 6, 6, 3, "A4-vel (badge bovenaan, knippen of vouwen)",
                "A4 sheet (badge at the top, cut or fold)"),
)}
DEFAULT_FORMAT = "ql62x100"


def qr_path(token: str) -> bytes:
    """The QR code of ``token`` as ``b"<size in modules> <SVG path>"``, quiet zone
    included: each row's runs of dark modules as rectangles. The costly part of a label
    (~15 ms of pure Python), so the render worker makes it (``render_pool``, kind "qr")."""
    rows = qr_matrix(token)
    n = len(rows) + 2 * QUIET_MODULES
    parts = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x] == "1":
                start = x
                while x < len(row) and row[x] == "1":
                    x += 1
                width = x - start
                parts.append(f"M{start + QUIET_MODULES} {y + QUIET_MODULES}h{width}v1h-{width}z")
            else:
                x += 1
    return f"{n} {''.join(parts)}".encode()


def svg_from_path(path: bytes, module_mm: float) -> str:
    """The SVG element for a ``qr_path``, ``module_mm`` per module, black on white."""
    size_text, _, d = path.decode().partition(" ")
    n = int(size_text)
    size = f"{n * module_mm:.4f}mm"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img" width="{size}"'
            f' height="{size}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
            f'<rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d="{d}"/></svg>')


def qr_svg(token: str, module_mm: float) -> str:
    """The QR code of ``token`` as an SVG element, ``module_mm`` per module."""
    return svg_from_path(qr_path(token), module_mm)


def label_context(data: BadgeData, fmt: LabelFormat, path: bytes | None = None) -> dict:
    """What the label template shows: what the badge shows, trimmed to what fits.
    ``path``: the token's ``qr_path`` when made already (by the render worker)."""
    return {
        "format": fmt,
        "first_name": data.first_name,
        "full_name": data.full_name,
        "event_name": data.event_name,
        "event_when": data.event_when,
        "competencies": data.competencies[:fmt.competencies],
        "recommendations": data.recommendations[:fmt.stands],
        "schedule": data.schedule[:fmt.stands + 1],
        "qr": svg_from_path(path if path is not None else qr_path(data.token),
                            fmt.qr_module_mm),
        "lang": data.language,
    }
