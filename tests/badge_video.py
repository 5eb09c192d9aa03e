"""Turn a picture (e.g. a rendered badge) into a Y4M video for Chromium's fake camera.

Chromium plays ``--use-file-for-fake-video-capture=<file.y4m>`` in a loop as the camera.
YUV4MPEG2 with 4:2:0 chroma (``C420jpeg``: full-range BT.601, which is what Pillow's YCbCr
gives); the frame size must be even. The picture is scaled to fit on a grey "table", like a
badge held under a phone.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def frame_image(picture: Image.Image, width: int = 640, height: int = 480,
                fill: float = 0.95) -> Image.Image:
    """``picture`` scaled to ``fill`` of the frame height (or width), centred on grey."""
    if width % 2 or height % 2:
        raise ValueError("width and height must be even for 4:2:0")
    frame = Image.new("RGB", (width, height), (120, 120, 120))
    scale = min(width * fill / picture.width, height * fill / picture.height)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    shown = picture.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    frame.paste(shown, ((width - size[0]) // 2, (height - size[1]) // 2))
    return frame


def y4m_bytes(frame: Image.Image, frames: int = 10, fps: int = 10) -> bytes:
    """``frames`` identical frames of ``frame`` as a Y4M stream."""
    width, height = frame.size
    if width % 2 or height % 2:
        raise ValueError("width and height must be even for 4:2:0")
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = (
        y.tobytes()
        + cb.resize(half, Image.Resampling.BOX).tobytes()
        + cr.resize(half, Image.Resampling.BOX).tobytes()
    )
    out = io.BytesIO()
    out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
    for _ in range(frames):
        out.write(b"FRAME\n")
        out.write(planes)
    return out.getvalue()


def write_y4m(path: Path, png: bytes | Image.Image, *, width: int = 640, height: int = 480,
              frames: int = 10, fps: int = 10) -> Path:
    """Write a looping fake-camera video showing ``png`` (PNG bytes or a Pillow image)."""
    picture = png if isinstance(png, Image.Image) else Image.open(io.BytesIO(png))
    path.write_bytes(y4m_bytes(frame_image(picture, width, height), frames, fps))
    return path
