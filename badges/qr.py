"""QR codes shown on a screen (pairing a device, setting up two-step login) as inline PNG.

The CSP allows ``data:`` images and no inline script, so an image needs no extra request
and carries nothing but the URL it encodes.
"""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.image.pil import PilImage


def qr_data_uri(text: str) -> str:
    # PilImage is qrcode's own default when Pillow is installed (it is a dependency); named
    # so the type checker knows the image takes ``format=``.
    image = qrcode.make(text, box_size=6, border=2, image_factory=PilImage)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
