"""Demo photos: the demo resident's latest repair requests carry a phone photo, with the GPS position phones write
into EXIF, uploaded through the work-order service, which stores it re-encoded without that position. So the demo
shows what a resident's photo looks like to the project's staff, and that nobody else can open it.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.workorders import selectors, services

RESIDENT = "resident"
PHOTOS = 3
# EXIF tags (CIPA DC-008): the GPS IFD pointer, and in it latitude and longitude with their hemispheres.
_GPS_IFD, _LATITUDE_REF, _LATITUDE, _LONGITUDE_REF, _LONGITUDE = 0x8825, 1, 2, 3, 4


def leak_photo(rng: random.Random, *, latitude: float = 36.6512, longitude: float = 117.1201) -> bytes:
    """A 1200×900 JPEG of a tiled wall with a dripping pipe, tagged with a GPS position like a phone's photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (226, 222, 214))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 100):
        for y in range(0, 900, 100):
            shade = rng.randint(-8, 8)
            draw.rectangle((x + 2, y + 2, x + 98, y + 98), fill=(232 + shade, 229 + shade, 222 + shade))
    draw.rectangle((0, 180, 1200, 240), fill=(150, 150, 155))
    draw.rectangle((560, 240, 620, 900), fill=(140, 140, 146))
    for step in range(6):
        y = 300 + step * 90 + rng.randint(-10, 10)
        draw.ellipse((600, y, 640, y + 56), fill=(70, 130, 200))
    draw.ellipse((480, 800, 820, 880), fill=(90, 140, 205))

    def degrees(value: float) -> tuple[float, float, float]:
        minutes, seconds = divmod(abs(value) * 3600, 60)
        whole, minutes = divmod(minutes, 60)
        return (float(whole), float(minutes), round(seconds, 2))

    exif = Image.Exif()
    exif[_GPS_IFD] = {
        _LATITUDE_REF: "N",
        _LATITUDE: degrees(latitude),
        _LONGITUDE_REF: "E",
        _LONGITUDE: degrees(longitude),
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, exif=exif.tobytes())
    return buffer.getvalue()


def load(*, seed: int, now: dt.datetime) -> int:
    """Attach a photo to the demo resident's latest repair requests; how many photos were stored."""
    user = get_user_model().objects.filter(username=RESIDENT).first()
    if user is None:
        return 0
    rng = random.Random(seed * 13 + 5)
    orders = (
        selectors.work_order_list_for_user(scope_for_user(user), kind="repair")
        .filter(reporter=user, submitted_at__lte=now)
        .order_by("-submitted_at", "-pk")[:PHOTOS]
    )
    stored = 0
    for order in orders:
        taken = order.submitted_at.astimezone(dt.UTC)
        photo = ContentFile(leak_photo(rng), name=f"IMG_{taken:%Y%m%d_%H%M%S}.jpg")
        stored += len(services.work_order_add_photos(actor=user, work_order_id=order.pk, photos=[photo]))
    return stored
