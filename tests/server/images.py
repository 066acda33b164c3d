"""Control images: rendered maps compared with reviewed references.

References live in tests/server/control_images/<name>/<name>.png. A map
passes when few pixels differ noticeably (font hinting and antialiasing
may move a few). On failure the rendered image and a diff (differing
pixels in red) are saved next to the test artefacts and named in the
message. Set ZGIS_REGENERATE_CONTROL_IMAGES=1 to write new references
deliberately (then review them before committing).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

CONTROL_DIR = Path(__file__).parent / "control_images"
CHANNEL_TOLERANCE = 40  # per channel, 0-255
MAX_DIFFERING_SHARE = 0.005  # of all pixels


def load(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"), dtype=np.int16)


def non_blank_share(png: bytes) -> float:
    """Share of pixels that are neither transparent nor white."""
    img = load(png)
    drawn = (img[..., 3] > 0) & (img[..., :3].min(axis=2) < 250)
    return float(drawn.mean())


def palette_size(png: bytes) -> int:
    """Colours of a PNG's palette when it has one that also holds transparency, else 0."""
    img = Image.open(io.BytesIO(png))
    if img.mode != "P" or "transparency" not in img.info:
        return 0
    return len(img.getpalette()) // 3


def pixel(png: bytes, x: int, y: int) -> tuple[int, int, int, int]:
    return tuple(int(v) for v in load(png)[y, x])


def compare(name: str, png: bytes, artefacts: Path) -> None:
    """Assert ``png`` matches the reference ``name`` (or write it when regenerating)."""
    reference = CONTROL_DIR / name / f"{name}.png"
    if os.environ.get("ZGIS_REGENERATE_CONTROL_IMAGES") == "1" or not reference.exists():
        if not reference.exists() and os.environ.get("ZGIS_REGENERATE_CONTROL_IMAGES") != "1":
            raise AssertionError(
                f"no reference image {reference}; run with ZGIS_REGENERATE_CONTROL_IMAGES=1 to create it"
            )
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(png)
        return
    expected = load(reference.read_bytes())
    actual = load(png)
    assert actual.shape == expected.shape, f"{name}: size {actual.shape} differs from the reference {expected.shape}"
    differing = np.abs(actual - expected).max(axis=2) > CHANNEL_TOLERANCE
    share = float(differing.mean())
    if share > MAX_DIFFERING_SHARE:
        artefacts.mkdir(parents=True, exist_ok=True)
        rendered = artefacts / f"{name}.rendered.png"
        diff = artefacts / f"{name}.diff.png"
        rendered.write_bytes(png)
        diff_img = np.zeros(actual.shape, dtype=np.uint8)
        diff_img[..., 3] = 255
        diff_img[..., :3] = (expected[..., :3] // 3 + 170).clip(0, 255).astype(np.uint8)
        diff_img[differing] = (255, 0, 0, 255)
        Image.fromarray(diff_img, "RGBA").save(diff)
        raise AssertionError(
            f"{name}: {share:.2%} of pixels differ from {reference} (allowed {MAX_DIFFERING_SHARE:.2%}); "
            f"rendered: {rendered}, diff: {diff}"
        )
