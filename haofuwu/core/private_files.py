"""Private files: uploads accepted only after decoding, stored under server-made names, served only through a view
that has already applied the caller's scope.

Every app that stores what people upload (work-order photos, evidence, and the photos of the apps to come) uses the
same three pieces, described in ``docs/architecture.md`` ("Private files"):

- :class:`PrivateFileField` on the model: a ``FileField`` whose names are random, in a folder per kind of record;
- :func:`accept_upload` in the service: decodes the upload (photos are decoded and re-encoded with Pillow, which
  drops EXIF with its GPS position; PDFs are parsed as PDFs) and gives an :class:`AcceptedFile` to assign;
- :func:`file_response` in a view, after the app's own scoped selector has found the record (404 outside scope):
  the bytes with ``Content-Disposition`` and ``nosniff``, streamed by Django or handed to the web server
  (``X-Accel-Redirect``, ``X-Sendfile``) or to object storage (a redirect to the storage's signed URL).

Files go through Django's storage API (``STORAGES["default"]``), so object storage is a settings change. Nothing
serves the media folder directly, in debug mode or not.
"""

from __future__ import annotations

import io
import logging
import posixpath
import secrets
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.core.errors import NOT_FOUND, NotFound, ValidationFailed

logger = logging.getLogger(__name__)
_Response = TypeVar("_Response", bound=HttpResponseBase)

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"
# The kinds an app may accept: photos, or photos and PDF documents (scans, reports).
PHOTO: frozenset[str] = frozenset({JPEG, PNG, WEBP})
PHOTO_OR_PDF: frozenset[str] = PHOTO | {PDF}

EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

# A photo larger than this many pixels is refused before it is decoded (a small file can claim a huge canvas, a
# "decompression bomb"); 60 megapixels is above any phone camera's ordinary output.
MAX_PIXELS = 60_000_000
# Photos are stored at most this many pixels on their long side: enough to read a meter or a crack, and a quarter
# of the bytes of a phone camera's original.
MAX_SIDE = 2560
JPEG_QUALITY = 85

FILE_EMPTY = gettext_lazy("%(name)s is empty.")
FILE_TOO_LARGE = gettext_lazy("%(name)s is larger than %(limit)d MB.")
NOT_A_PHOTO = gettext_lazy("%(name)s is not a JPEG, PNG or WebP photo.")
NOT_A_PHOTO_OR_PDF = gettext_lazy("%(name)s is not a PDF, JPEG, PNG or WebP file.")
DAMAGED_IMAGE = gettext_lazy("%(name)s could not be read as a photo; it may be damaged.")
IMAGE_TOO_BIG = gettext_lazy("%(name)s has more than %(limit)d million pixels.")
DAMAGED_PDF = gettext_lazy("%(name)s could not be read as a PDF; it may be damaged.")
ENCRYPTED_PDF = gettext_lazy("%(name)s is password-protected; upload it without a password.")
EMPTY_PDF = gettext_lazy("%(name)s has no pages.")


@dataclass(frozen=True)
class AcceptedFile:
    """An upload that passed the checks: the bytes to store (re-encoded for photos) and what was found."""

    content: bytes
    content_type: str
    original_name: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self) -> ContentFile:
        """The bytes as a file to assign to a :class:`PrivateFileField` (or to save in a plain ``FileField``) under
        a server-made random name with the extension of the type found."""
        return ContentFile(self.content, name=f"{secrets.token_urlsafe(18)}.{self.extension}")

    @property
    def download_stem(self) -> str:
        """The client's name without its extension, for ``file_response``'s ``download_name``."""
        return posixpath.splitext(self.original_name)[0] or "file"


def accept_upload(upload: Any, *, kinds: Collection[str], field: str, max_mb: int) -> AcceptedFile:
    """Read an upload and keep it only if it decodes as one of ``kinds``; a :class:`ValidationFailed` on ``field``
    otherwise. Photos come back re-encoded (orientation applied, metadata gone), PDFs as they were."""
    name = _display_name(upload)
    limit = max_mb * 1024 * 1024
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationFailed({field: [str(FILE_TOO_LARGE) % {"name": name, "limit": max_mb}]})
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte past the limit so a file that lied about its size is still refused.
    data = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > limit:
        raise ValidationFailed({field: [str(FILE_TOO_LARGE) % {"name": name, "limit": max_mb}]})
    if not data:
        raise ValidationFailed({field: [str(FILE_EMPTY) % {"name": name}]})
    try:
        if data.startswith(b"%PDF-") and PDF in kinds:
            return _accept_pdf(data, name)
        photo_kinds = [kind for kind in kinds if kind in _PILLOW_FORMATS]
        if photo_kinds:
            return _accept_photo(data, name, photo_kinds, wrong_type=_wrong_type(name, kinds))
    except _Refused as refused:
        raise ValidationFailed({field: [refused.message]}) from None
    raise ValidationFailed({field: [_wrong_type(name, kinds)]})


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _wrong_type(name: str, kinds: Collection[str]) -> str:
    message = NOT_A_PHOTO_OR_PDF if PDF in kinds else NOT_A_PHOTO
    return str(message) % {"name": name}


def _display_name(upload: Any) -> str:
    # Only for messages: the client's name is never used to store the file.
    raw = str(getattr(upload, "name", "") or "")
    return posixpath.basename(raw.replace("\\", "/"))[:100] or _("The file")


def _accept_photo(data: bytes, name: str, kinds: list[str], *, wrong_type: str) -> AcceptedFile:
    from PIL import Image, ImageOps, UnidentifiedImageError

    formats = [_PILLOW_FORMATS[kind] for kind in kinds]
    try:
        # ``formats`` keeps Pillow from trying its other decoders (PSD, EPS, …) on what a client sent. Its own
        # decompression-bomb warning is silenced: the pixel count is checked here, before decoding, with our limit.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=formats)
        with opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise _Refused(str(IMAGE_TOO_BIG) % {"name": name, "limit": MAX_PIXELS // 1_000_000})
            found = next(kind for kind, fmt in _PILLOW_FORMATS.items() if fmt == opened.format)
            opened.load()
            icc_profile = opened.info.get("icc_profile")
            # Turn the picture the way the camera's EXIF says before the EXIF goes, or it would show sideways.
            image = ImageOps.exif_transpose(opened) or opened
    except _Refused:
        raise
    except (UnidentifiedImageError, StopIteration):
        raise _Refused(wrong_type) from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        raise _Refused(str(DAMAGED_IMAGE) % {"name": name}) from None
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if found == JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if max(image.size) > MAX_SIDE:
        image = image.copy() if image is opened else image
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Nothing of the original's metadata goes along: EXIF (GPS, camera serial), XMP, comments, text chunks. The
    # colour profile is kept; it says how to show the colours and nothing about the person.
    image.info = {}
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if found == JPEG:
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif found == WEBP:
        options.update(quality=JPEG_QUALITY)
    buffer = io.BytesIO()
    image.save(buffer, format=_PILLOW_FORMATS[found], **options)
    return AcceptedFile(
        content=buffer.getvalue(), content_type=found, original_name=name, width=image.width, height=image.height
    )


def _accept_pdf(data: bytes, name: str) -> AcceptedFile:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Refused(str(ENCRYPTED_PDF) % {"name": name})
        pages = len(reader.pages)
    except _Refused:
        raise
    except Exception:
        # pypdf raises many kinds of error on broken input (its own, ValueError, KeyError, RecursionError, …).
        raise _Refused(str(DAMAGED_PDF) % {"name": name}) from None
    if pages == 0:
        raise _Refused(str(EMPTY_PDF) % {"name": name})
    return AcceptedFile(content=data, content_type=PDF, original_name=name, pages=pages)


def private_name(folder: str, extension: str) -> str:
    """A server-made name: ``<folder>/<year>/<month>/<24 random characters>.<extension>``."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"not an accepted file type: {extension!r}")
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(18)}.{extension}"


class _PrivateUploadTo:
    """``upload_to`` of a :class:`PrivateFileField`: ignores the client's name except for the checked extension."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        return private_name(self.folder, posixpath.splitext(filename)[1].lstrip(".").lower())


class PrivateFileField(models.FileField):
    """A file only views that apply the caller's scope may serve; assign it an :meth:`AcceptedFile.as_file`."""

    def __init__(self, verbose_name: Any = None, *, folder: str, **kwargs: Any) -> None:
        self.folder = folder
        kwargs["upload_to"] = _PrivateUploadTo(folder)
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["folder"] = self.folder
        return name, path, args, kwargs


def content_type_of(name: str) -> str:
    """The type a stored file was accepted as, from the extension the server gave it."""
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def file_response(file: FieldFile, *, download_name: str, inline: bool | None = None) -> HttpResponseBase:
    """The response that delivers a stored private file. Call it only after a scoped selector found the record.

    ``download_name`` is what the browser saves it as (without extension; the stored type's is added). Photos are
    shown inline, other files are downloaded, unless ``inline`` says otherwise. How the bytes travel is
    ``HAOFUWU_FILES_DELIVERY``: ``stream`` (Django reads the storage), ``x-accel-redirect`` (nginx), ``x-sendfile``
    (Apache, lighttpd) or ``redirect`` (a signed URL of object storage).
    """
    if not file or not file.name:
        raise NotFound(NOT_FOUND)
    content_type = content_type_of(file.name)
    extension = EXTENSIONS.get(content_type)
    filename = f"{download_name}.{extension}" if extension else download_name
    delivery = settings.FILES_DELIVERY
    response: HttpResponse | FileResponse
    if delivery == "x-accel-redirect":
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.FILES_ACCEL_PREFIX.rstrip("/") + "/" + quote(file.name)
    elif delivery == "x-sendfile":
        response = HttpResponse()
        response["X-Sendfile"] = file.storage.path(file.name)
    elif delivery == "redirect":
        return _no_store(HttpResponseRedirect(file.storage.url(file.name)))
    else:
        try:
            handle = file.storage.open(file.name, "rb")
        except FileNotFoundError:
            logger.warning("private file missing from storage: %s", file.name)
            raise NotFound(NOT_FOUND) from None
        response = FileResponse(handle)
    response["Content-Type"] = content_type
    show_inline = content_type in PHOTO if inline is None else inline
    response["Content-Disposition"] = content_disposition_header(not show_inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    # Even a file that a browser would run is shown in a sandbox with nothing allowed.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return _no_store(response)


def _no_store(response: _Response) -> _Response:
    # Photos of homes and scans of documents are personal data: no shared cache keeps them.
    response["Cache-Control"] = "private, no-store"
    return response


def rehome_file(instance: models.Model, field_name: str, *, kinds: Collection[str]) -> bool:
    """Move a file stored before files were private to a server-made name, re-encoded like a new upload (for data
    migrations). Returns False, leaving the row and its file as they were, when the file is missing or does not
    decode; such a file is still served only through the scoped view, and as a download."""
    file: FieldFile = getattr(instance, field_name)
    old_name = file.name
    if not old_name:
        return False
    try:
        with file.storage.open(old_name, "rb") as handle:
            accepted = accept_upload(handle, kinds=kinds, field=field_name, max_mb=1024)
    except (OSError, ValidationFailed):
        logger.warning("kept %s as it was: missing or not a %s", old_name, "/".join(sorted(kinds)))
        return False
    content = accepted.as_file()
    file.save(content.name or "", content, save=False)
    updates: dict[str, Any] = {field_name: file.name}
    if hasattr(instance, "content_type"):
        updates["content_type"] = accepted.content_type
    if hasattr(instance, "size"):
        updates["size"] = accepted.size
    type(instance)._default_manager.filter(pk=instance.pk).update(**updates)
    file.storage.delete(old_name)
    return True
