"""Scannable barcodes for documents: Code 128 (python-barcode), as inline SVG that WeasyPrint draws."""

from __future__ import annotations

import io

from barcode import Code128
from barcode.writer import SVGWriter


def code128_svg(value: str) -> str:
    """The `<svg>` element of `value` in Code 128 with its human-readable text (no XML prologue)."""
    out = io.BytesIO()
    Code128(value, writer=SVGWriter()).write(out, options={"module_height": 15.0, "font_size": 10, "text_distance": 4})
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
