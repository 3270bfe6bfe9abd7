"""Uploaded attachments checked in one place: type by extension and first bytes (so a renamed
file is caught), size and count. Used by spot-check rectification reports, violation evidence and
duty-log entries."""

from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
ALLOWED_ATTACHMENT_TYPES = {
    # extension: leading bytes the file must start with (checked so a renamed file is caught)
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
}


def attachment_problems(files) -> list[str]:
    """Why these uploads cannot be attached (type, size, count), in words."""
    problems = []
    if len(files) > MAX_ATTACHMENTS:
        problems.append(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    allowed = ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))
    for upload in files:
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ALLOWED_ATTACHMENT_TYPES:
            problems.append(
                _("%(name)s is not an allowed type. Allowed: %(allowed)s.")
                % {"name": upload.name, "allowed": allowed}
            )
            continue
        if upload.size > MAX_ATTACHMENT_BYTES:
            problems.append(
                _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
                % {
                    "name": upload.name,
                    "size": upload.size / 1024 / 1024,
                    "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024,
                }
            )
            continue
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(ALLOWED_ATTACHMENT_TYPES[extension]):
            problems.append(
                _("%(name)s does not look like a .%(ext)s file; is it renamed or damaged?")
                % {"name": upload.name, "ext": extension}
            )
    return problems
