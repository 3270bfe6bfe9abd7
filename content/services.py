"""Content services: who may write courses in the Wagtail admin; organisations' media collections."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from lms.organisations import roles

# Compliance administrators and heads write their organisation's courses under a course index
# (the before_* hooks in wagtail_hooks.py keep each to their own organisation's private courses).
COURSE_AUTHOR_GROUPS = (roles.COMPLIANCE_ADMIN, roles.COMPLIANCE_HEAD)
COURSE_AUTHOR_PERMISSIONS = ("add_page", "change_page", "publish_page")


def course_index_grant_authoring(*, course_index) -> int:
    """Let compliance administrators and heads write courses under this index (idempotent).

    Returns how many permissions were newly granted.
    """
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=COURSE_AUTHOR_PERMISSIONS
        )
    }
    granted = 0
    for group in Group.objects.filter(name__in=COURSE_AUTHOR_GROUPS):
        for codename in COURSE_AUTHOR_PERMISSIONS:
            _entry, created = GroupPagePermission.objects.get_or_create(
                group=group, page=course_index, permission=permissions[codename]
            )
            granted += created
    return granted


def organisation_collection(*, organisation):
    """The organisation's own collection of images and documents (made on first use)."""
    from django.db import transaction
    from wagtail.models import Collection

    from .models import OrganisationCollection

    link = OrganisationCollection.objects.select_related("collection").filter(
        organisation=organisation
    )
    found = link.first()
    if found is not None:
        return found.collection
    with transaction.atomic():
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = root.add_child(name=organisation.name)
        OrganisationCollection.objects.create(organisation=organisation, collection=collection)
        _grant_media_authoring(collection)
    return collection


MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def _grant_media_authoring(collection) -> None:
    """Compliance administrators and heads keep images and documents in the collection: the
    media policy (media_permissions.py) keeps each to their own organisation's."""
    from django.db.models import Q
    from wagtail.models import GroupCollectionPermission

    wanted = Q(pk__in=[])
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    permissions = list(Permission.objects.filter(wanted))
    for group in Group.objects.filter(name__in=COURSE_AUTHOR_GROUPS):
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def organisation_collections_ensure() -> int:
    """Give every enterprise that lacks one its own collection (organisations made before
    collections were). Idempotent; returns how many were made."""
    from lms.organisations.selectors import enterprises

    made = 0
    for organisation in enterprises().filter(media_collection__isnull=True):
        organisation_collection(organisation=organisation)
        made += 1
    return made


IMPORTED_IMAGE_FORMATS = {"png", "jpeg", "gif", "webp", "bmp"}


def image_check(*, data: bytes) -> str | None:
    """Why these bytes cannot be an image of the library (None when they can): Willow must
    read them as one of the usual formats."""
    from io import BytesIO

    import willow

    try:
        found = willow.Image.open(BytesIO(data))
        fmt = found.format_name
        width, height = found.get_size()
    except Exception:  # noqa: BLE001 - Willow raises many kinds for a file it cannot read
        return _("it is not an image that can be shown")
    if fmt not in IMPORTED_IMAGE_FORMATS or not width or not height:
        return _("it is not an image that can be shown")
    return None


def _imported_file_home(model, *, organisation, data: bytes):
    """Where an imported image or document goes (the organisation's collection, the root
    collection for None) and the one already there with the same bytes (Wagtail's file_hash),
    if any: (collection, existing or None)."""
    import hashlib

    from wagtail.models import Collection

    collection = (
        organisation_collection(organisation=organisation)
        if organisation is not None
        else Collection.get_first_root_node()
    )
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash
    return collection, model.objects.filter(collection=collection, file_hash=digest).first()


def image_import(*, organisation, file_name: str, data: bytes, title: str = ""):
    """The image with these bytes in the organisation's collection (the platform's root
    collection for a bank without one): the one already there with the same content, else a
    new one. Raise ValueError if the bytes are no image (see `image_check`)."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    problem = image_check(data=data)
    if problem:
        raise ValueError(problem)
    image_model = get_image_model()
    collection, existing = _imported_file_home(image_model, organisation=organisation, data=data)
    if existing is not None:
        return existing
    name = file_name.rsplit("/", 1)[-1] or "image"
    image = image_model(
        title=(title or name)[:255],
        file=ImageFile(BytesIO(data), name=name),
        collection=collection,
    )
    image._set_image_file_metadata()
    image.save()
    return image


# Files other than images an import may keep as documents of the library, with the bytes each
# must start with (so a renamed file is caught); audio shows as a player, the rest as a link.
IMPORTED_AUDIO_TYPES = {
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "m4a": (),  # an MPEG-4 box: `ftyp` at byte 4 (checked below)
    "ogg": (b"OggS",),
    "oga": (b"OggS",),
    "wav": (b"RIFF",),
}
IMPORTED_DOCUMENT_TYPES = {
    **IMPORTED_AUDIO_TYPES,
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "ppt": (b"\xd0\xcf\x11\xe0",),
}
MAX_IMPORTED_DOCUMENT_BYTES = 10 * 1024 * 1024


def file_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def document_check(*, file_name: str, data: bytes) -> str | None:
    """Why these bytes cannot be a document an import keeps (None when they can): a type of
    the allow-list (by extension and first bytes) and at most 10 MB."""
    extension = file_extension(file_name)
    if extension not in IMPORTED_DOCUMENT_TYPES:
        return _("files of this type are not kept (allowed: %(allowed)s)") % {
            "allowed": ", ".join(sorted(IMPORTED_DOCUMENT_TYPES))
        }
    if len(data) > MAX_IMPORTED_DOCUMENT_BYTES:
        return _("it is %(size).1f MB; the limit is %(limit)d MB") % {
            "size": len(data) / 1024 / 1024,
            "limit": MAX_IMPORTED_DOCUMENT_BYTES // 1024 // 1024,
        }
    heads = IMPORTED_DOCUMENT_TYPES[extension]
    looks_right = data[4:8] == b"ftyp" if extension == "m4a" else data.startswith(heads)
    if not looks_right:
        return _("it does not look like a .%(ext)s file (renamed or damaged?)") % {"ext": extension}
    return None


def document_import(*, organisation, file_name: str, data: bytes, title: str = ""):
    """The document with these bytes in the organisation's collection (the root collection for
    None): the one already there with the same content, else a new one. Raise ValueError if
    the file is not one an import keeps (see `document_check`)."""

    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    problem = document_check(file_name=file_name, data=data)
    if problem:
        raise ValueError(problem)
    document_model = get_document_model()
    collection, existing = _imported_file_home(document_model, organisation=organisation, data=data)
    if existing is not None:
        return existing
    name = file_name.rsplit("/", 1)[-1] or "file"
    document = document_model(
        title=(title or name)[:255], file=ContentFile(data, name=name), collection=collection
    )
    document._set_document_file_metadata()
    document.save()
    return document
