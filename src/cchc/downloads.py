"""Uploaded files handed back to people: the one way a stored file leaves the application.

Files are never served from MEDIA_URL: a view first checks that the person may see the
dossier or plan the file belongs to, then calls `stored_file_response`. The answer is always a
download (`Content-Disposition: attachment`) with a content type from a short allow-list
(anything else is `application/octet-stream`) and `X-Content-Type-Options: nosniff`, so an
uploaded HTML or SVG file never runs in the application's origin.
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# Types a browser shows or hands to an office program without running anything of ours.
SAFE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".zip": "application/zip",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def safe_content_type(name: str) -> str:
    """The content type a download of `name` is given: from the allow-list, else octet-stream."""
    extension = posixpath.splitext(name or "")[1].lower()
    return SAFE_CONTENT_TYPES.get(extension, FALLBACK_CONTENT_TYPE)


def stored_file_response(stored: FieldFile, filename: str = "") -> FileResponse:
    """A download of a stored file, read through the storage API; 404 when it is gone.

    `filename` is the name offered to the browser (default: the stored name's last part).
    The caller has checked that the person may see the file.
    """
    if not stored or not stored.name:
        raise Http404(_("Không tìm thấy tệp."))
    storage = getattr(stored, "storage", None) or default_storage
    try:
        handle = storage.open(stored.name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404(_("Không tìm thấy tệp.")) from None
    name = filename or posixpath.basename(stored.name)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=safe_content_type(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file could run no script and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
