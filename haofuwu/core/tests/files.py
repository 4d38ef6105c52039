"""Real files for tests of uploads: photos with EXIF (a GPS position, a camera orientation) and PDFs."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

# EXIF tags (CIPA DC-008): Orientation in IFD0, the GPS IFD pointer, and in the GPS IFD latitude and longitude.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
# 泉城广场, Jinan.
JINAN = ((36.0, 39.0, 46.0), (117.0, 1.0, 12.0))


def photo_bytes(
    fmt: str = "JPEG", *, size: tuple[int, int] = (64, 48), gps: bool = True, orientation: int = 1
) -> bytes:
    """A small photo in ``fmt`` (JPEG, PNG, WEBP) carrying a GPS position in its EXIF when ``gps``."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    # A white top-left corner, so a test can tell which way the picture is turned.
    for x in range(8):
        for y in range(8):
            image.putpixel((x, y), (255, 255, 255))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {
            GPS_LATITUDE_REF: "N",
            GPS_LATITUDE: JINAN[0],
            GPS_LONGITUDE_REF: "E",
            GPS_LONGITUDE: JINAN[1],
        }
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def photo_upload(name: str = "leak.jpg", fmt: str = "JPEG", **options: object) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, photo_bytes(fmt, **options), content_type=content_type)  # type: ignore[arg-type]


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of blank A4 pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def has_gps(content: bytes) -> bool:
    """Whether an image's EXIF still carries a GPS position."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))
