"""Private files: uploads decoded (photos re-encoded without EXIF, PDFs parsed), stored under server-made names,
served with headers that keep a browser from running them, by each delivery mode."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from PIL import Image

from haofuwu.core import private_files
from haofuwu.core.errors import NotFound, ValidationFailed
from haofuwu.core.tests.files import has_gps, pdf_bytes, photo_bytes, photo_upload

NAME = re.compile(r"^[A-Za-z0-9_-]{24}\.(jpg|png|webp|pdf)$")


def accept(upload, kinds=private_files.PHOTO_OR_PDF, max_mb=5):  # type: ignore[no-untyped-def]
    return private_files.accept_upload(upload, kinds=kinds, field="file", max_mb=max_mb)


def refusal(upload, **options) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        accept(upload, **options)
    assert list(caught.value.errors) == ["file"]
    return caught.value.errors["file"][0]


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_a_photo_is_re_encoded_without_its_gps_position(fmt, content_type):
    original = photo_bytes(fmt)
    assert has_gps(original)
    accepted = accept(SimpleUploadedFile("IMG_0001.JPG", original))
    assert accepted.content_type == content_type
    assert not has_gps(accepted.content)
    with Image.open(io.BytesIO(accepted.content)) as image:
        assert image.format == fmt
        assert not image.getexif()
        assert (image.width, image.height) == (64, 48)


def test_the_camera_orientation_is_applied_before_the_exif_goes():
    # Orientation 6: the camera was turned a quarter; the stored picture is upright without needing the tag.
    accepted = accept(photo_upload(orientation=6))
    with Image.open(io.BytesIO(accepted.content)) as image:
        assert image.size == (48, 64)
        assert image.getpixel((47, 0))[0] > 240  # the white corner moved from top-left to top-right


def test_a_large_photo_is_scaled_down_to_the_longest_side_limit():
    accepted = accept(photo_upload(size=(private_files.MAX_SIDE * 2, 100), gps=False), max_mb=10)
    assert (accepted.width, accepted.height) == (private_files.MAX_SIDE, 50)


def test_a_png_header_followed_by_html_is_not_stored():
    polyglot = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"<html><script>alert(document.cookie)</script></html>"
    assert "is not a PDF, JPEG, PNG or WebP file" in refusal(SimpleUploadedFile("photo.html", polyglot))


def test_a_real_photo_named_html_is_stored_as_what_it_is():
    accepted = accept(SimpleUploadedFile("evil.html", photo_bytes("PNG")))
    assert accepted.content_type == "image/png"
    assert NAME.match(accepted.as_file().name)
    assert accepted.as_file().name != accepted.as_file().name  # a new random name every time


@pytest.mark.parametrize(
    ("content", "kinds", "message"),
    [
        (b"hello, not a file we take", private_files.PHOTO_OR_PDF, "is not a PDF, JPEG, PNG or WebP file"),
        (b"hello, not a file we take", private_files.PHOTO, "is not a JPEG, PNG or WebP photo"),
        (b"", private_files.PHOTO, "is empty"),
        (b"%PDF-1.4\n" + b"0" * 64, private_files.PHOTO_OR_PDF, "could not be read as a PDF"),
        (pdf_bytes(), private_files.PHOTO, "is not a JPEG, PNG or WebP photo"),
    ],
)
def test_what_does_not_decode_as_an_accepted_kind_is_refused(content, kinds, message):
    assert message in refusal(SimpleUploadedFile("upload.bin", content), kinds=kinds)


def test_a_pdf_is_kept_as_it_was_once_it_parses():
    content = pdf_bytes(pages=2)
    accepted = accept(SimpleUploadedFile("plan.PDF", content))
    assert (accepted.content, accepted.content_type, accepted.pages) == (content, "application/pdf", 2)
    assert accepted.download_stem == "plan"


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "password-protected" in refusal(SimpleUploadedFile("locked.pdf", buffer.getvalue()))


def test_a_file_larger_than_the_limit_is_refused_even_when_it_claims_less():
    upload = SimpleUploadedFile("big.jpg", photo_bytes() + b"\x00" * (1024 * 1024))
    assert "larger than 1 MB" in refusal(upload, max_mb=1)
    upload.size = 10  # a client (or a proxy) that reports a smaller size
    assert "larger than 1 MB" in refusal(upload, max_mb=1)


def test_a_decompression_bomb_is_refused_before_decoding():
    image = Image.new("1", (10_000, 10_000))  # 100 megapixels in a few kilobytes of PNG
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000
    assert "more than 60 million pixels" in refusal(SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_the_private_field_names_files_itself(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    field = private_files.PrivateFileField(folder="tests/photos")
    name = field.generate_filename(None, "client chose this name.png")
    assert re.match(r"^tests/photos/\d{4}/\d{2}/[A-Za-z0-9_-]{24}\.png$", name)
    with pytest.raises(ValueError, match="not an accepted file type"):
        field.generate_filename(None, "page.html")
    assert field.deconstruct()[3] == {"folder": "tests/photos", "max_length": 200}


def _stored(tmp_path, settings, content: bytes, name: str) -> FieldFile:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage

    (tmp_path / "x").mkdir()
    (tmp_path / name).write_bytes(content)
    field = private_files.PrivateFileField(folder="x")
    field.storage = default_storage
    return FieldFile(None, field, name)


def test_a_photo_is_streamed_inline_with_nosniff_and_no_store(tmp_path, settings):
    content = photo_bytes("JPEG", gps=False)
    response = private_files.file_response(_stored(tmp_path, settings, content, "x/a.jpg"), download_name="工单-1")
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E5%B7%A5%E5%8D%95-1.jpg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_is_a_download(tmp_path, settings):
    response = private_files.file_response(_stored(tmp_path, settings, pdf_bytes(), "x/a.pdf"), download_name="plan")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'


def test_a_file_stored_before_files_were_private_is_a_download_of_unknown_type(tmp_path, settings):
    response = private_files.file_response(_stored(tmp_path, settings, b"<script>", "x/a.html"), download_name="a")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_web_server_delivers_the_bytes_when_configured(tmp_path, settings):
    file = _stored(tmp_path, settings, pdf_bytes(), "x/a.pdf")
    settings.FILES_DELIVERY = "x-accel-redirect"
    settings.FILES_ACCEL_PREFIX = "/protected-files/"
    response = private_files.file_response(file, download_name="plan")
    assert response["X-Accel-Redirect"] == "/protected-files/x/a.pdf"
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
    settings.FILES_DELIVERY = "x-sendfile"
    response = private_files.file_response(file, download_name="plan")
    assert response["X-Sendfile"] == str(tmp_path / "x" / "a.pdf")


def test_a_missing_file_is_not_found(tmp_path, settings):
    file = _stored(tmp_path, settings, b"", "x/a.jpg")
    (tmp_path / "x" / "a.jpg").unlink()
    with pytest.raises(NotFound):
        private_files.file_response(file, download_name="a")
