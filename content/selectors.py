"""Reads of content, scoped to what the caller may see."""

from django.db.models import Q, QuerySet

from lms.organisations.access import access_for, ancestor_ids
from lms.organisations.models import Department, Organisation

from .models import (
    CourseDomainTag,
    CoursePage,
    Curriculum,
    LessonPage,
    RegulationClause,
    RegulationPage,
)


def group_curriculum_course_ids(organisation_ids) -> QuerySet:
    """The courses of the active curricula that the groups above these organisations apply to
    their subsidiaries (a subquery of course ids): a subsidiary's people open them although
    the group owns them."""
    from .models import CurriculumCourse

    return CurriculumCourse.objects.filter(
        curriculum__is_active=True,
        curriculum__apply_to_subsidiaries=True,
        curriculum__owner_organisation_id__in=ancestor_ids(organisation_ids),
    ).values("course_id")


def _course_scope(user) -> Q:
    access = access_for(user)
    if access.is_platform_admin:
        return Q()
    own = access.member_org_ids | access.admin_org_ids
    scope = Q(owner_organisation__isnull=True) | Q(owner_organisation_id__in=own)
    if own:
        scope |= Q(pk__in=group_curriculum_course_ids(own))
    return scope


def courses_visible_to(*, user) -> QuerySet[CoursePage]:
    """Live courses the user may open: platform-wide ones and their organisations' own."""
    return CoursePage.objects.live().filter(_course_scope(user)).filter(is_archived=False)


def course_visible_to(*, user, course: CoursePage) -> bool:
    if course.owner_organisation_id is None:
        return True
    access = access_for(user)
    own = access.member_org_ids | access.admin_org_ids
    if access.is_platform_admin or course.owner_organisation_id in own:
        return True
    return bool(own) and group_curriculum_course_ids(own).filter(course_id=course.pk).exists()


def lesson_asks_knowledge_check(*, user, lesson_id: int, question_id: int) -> bool:
    """Whether a published lesson the user may open asks this question in a knowledge-check
    block: the only place a knowledge check is offered."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return False
    course = CoursePage.objects.live().filter(pk=lesson.get_parent().pk).first()
    if course is None or not course_visible_to(user=user, course=course):
        return False
    return any(
        block.get("type") == "knowledge_check"
        and isinstance(block.get("value"), dict)
        and block["value"].get("question") == question_id
        for block in lesson.body.raw_data
    )


def admin_pages_visible_to(*, user, pages):
    """Wagtail admin listings (explorer, search, choosers) without the courses the user may not
    open (other organisations' private ones) and their lessons."""
    if access_for(user).is_platform_admin:
        return pages
    hidden = Q()
    for path in CoursePage.objects.exclude(_course_scope(user)).values_list("path", flat=True):
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden) if hidden else pages


def _terms(query: str) -> list[str]:
    return [t for t in query.split() if t][:5]


# Wagtail's database backend splits words on spaces, which finds nothing in Chinese text: match
# each space-separated term as a substring instead (the corpus is small: courses and regulations).
def course_search(*, user, query: str) -> list[CoursePage]:
    terms = _terms(query)
    if not terms:
        return []
    qs = courses_visible_to(user=user)
    for term in terms:
        qs = qs.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(domains__name__icontains=term)
        )
    return list(qs.distinct().order_by("title")[:50])


def regulation_search(*, query: str) -> list[RegulationPage]:
    terms = _terms(query)
    if not terms:
        return []
    qs = RegulationPage.objects.live()
    for term in terms:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(issuing_authority__icontains=term)
            | Q(document_number__icontains=term)
            | Q(preamble__icontains=term)
            | Q(clauses__text__icontains=term)
            | Q(clauses__heading__icontains=term)
        )
    return list(qs.distinct().order_by("title")[:50])


def regulation_clauses() -> QuerySet[RegulationClause]:
    """The clauses of the library's live regulations, by regulation and order (to cite)."""
    return (
        RegulationClause.objects.filter(page__live=True)
        .select_related("page")
        .order_by("page__title", "sort_order", "pk")
    )


def compliance_domains():
    """The compliance domains the platform knows: the domain tags its courses carry."""
    from taggit.models import Tag

    used = CourseDomainTag.objects.values("tag_id")
    return Tag.objects.filter(pk__in=used).order_by("name")


def courses_in_domains(*, organisation_id: int, domains) -> QuerySet[CoursePage]:
    """Live, unarchived courses open to an organisation's staff (platform-wide or its own)
    tagged with any of these compliance domains (names)."""
    return (
        CoursePage.objects.live()
        .filter(is_archived=False, domains__name__in=list(domains))
        .filter(Q(owner_organisation__isnull=True) | Q(owner_organisation_id=organisation_id))
        .distinct()
        .order_by("title")
    )


def clause_search(*, query: str, limit: int = 20) -> list[RegulationClause]:
    """Clauses of live regulations whose number, heading, text or regulation title match every
    term (substring match, as the regulation search), for citing in an answer."""
    terms = _terms(query)
    if not terms:
        return []
    live = RegulationPage.objects.live().values("pk")
    qs = RegulationClause.objects.filter(page_id__in=live).select_related("page")
    for term in terms:
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(heading__icontains=term)
            | Q(text__icontains=term)
            | Q(page__title__icontains=term)
        )
    return list(qs.order_by("page__title", "sort_order", "pk")[:limit])


def clauses_of_live_regulations(*, ids) -> QuerySet[RegulationClause]:
    """The clauses with these ids that belong to a live regulation (what an answer may cite)."""
    live = RegulationPage.objects.live().values("pk")
    return RegulationClause.objects.filter(pk__in=list(ids), page_id__in=live).select_related(
        "page"
    )


def lesson_and_course_for(*, user, lesson_id: int):
    """A live lesson the user may open and its course, or None."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    course = CoursePage.objects.live().filter(pk=lesson.get_parent().pk).first()
    if course is None or not course_visible_to(user=user, course=course):
        return None
    return lesson, course


def live_lesson_ids(*, course: CoursePage) -> set[int]:
    """The ids of a course's live lessons, unscoped: for deciding whether it is complete."""
    return set(LessonPage.objects.live().child_of(course).values_list("pk", flat=True))


def curricula_visible_to(*, user) -> QuerySet[Curriculum]:
    """Platform administrators see all; enterprise administrators their own and platform-wide."""
    access = access_for(user)
    if access.is_platform_admin:
        return Curriculum.objects.all()
    return Curriculum.objects.filter(
        Q(owner_organisation_id__in=access.admin_org_ids) | Q(owner_organisation__isnull=True)
    )


def curricula_editable_by(*, user) -> QuerySet[Curriculum]:
    access = access_for(user)
    if access.is_platform_admin:
        return Curriculum.objects.all()
    return Curriculum.objects.filter(owner_organisation_id__in=access.admin_org_ids)


def curriculum_owner_choices(*, user) -> QuerySet[Organisation]:
    access = access_for(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    return qs if access.is_platform_admin else qs.filter(pk__in=access.admin_org_ids)


def departments_for_curricula(*, user) -> QuerySet[Department]:
    access = access_for(user)
    qs = Department.objects.select_related("organisation")
    return qs if access.is_platform_admin else qs.filter(organisation_id__in=access.admin_org_ids)


def image_in_collection_of(*, organisation, data_hash: str):
    """The image of this content hash (SHA-1, Wagtail's `file_hash`) in the organisation's
    collection, or None."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from .models import OrganisationCollection

    if organisation is None:
        root = Collection.get_first_root_node()
        collection_id = root.pk if root else None
    else:
        link = OrganisationCollection.objects.filter(organisation=organisation).first()
        collection_id = link.collection_id if link else None
    if collection_id is None:
        return None
    return (
        get_image_model().objects.filter(collection_id=collection_id, file_hash=data_hash).first()
    )


def image_urls(*, ids, organisation) -> dict[int, str]:
    """The file URL of each of these images that is in the organisation's collection (the root
    collection for None): an image of another organisation is never shown (one query)."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from .models import OrganisationCollection

    if organisation is None:
        root = Collection.get_first_root_node()
        collection_ids = [root.pk] if root else []
    else:
        collection_ids = list(
            OrganisationCollection.objects.filter(organisation=organisation).values_list(
                "collection_id", flat=True
            )
        )
    images = get_image_model().objects.filter(pk__in=list(ids), collection_id__in=collection_ids)
    return {image.pk: image.file.url for image in images.only("pk", "file")}


def _collection_ids(organisation) -> list[int]:
    """The organisation's own collection (the root collection for None)."""
    from wagtail.models import Collection

    from .models import OrganisationCollection

    if organisation is None:
        root = Collection.get_first_root_node()
        return [root.pk] if root else []
    return list(
        OrganisationCollection.objects.filter(organisation=organisation).values_list(
            "collection_id", flat=True
        )
    )


def document_in_collection_of(*, organisation, data_hash: str):
    """The document of this content hash (SHA-1, Wagtail's `file_hash`) in the organisation's
    collection, or None."""
    from wagtail.documents import get_document_model

    return (
        get_document_model()
        .objects.filter(collection_id__in=_collection_ids(organisation), file_hash=data_hash)
        .first()
    )


def document_links(*, ids, organisation) -> dict[int, tuple[str, str, str]]:
    """(URL, title, file name) of each of these documents that is in the organisation's
    collection: a document of another organisation is never shown (one query)."""
    from wagtail.documents import get_document_model

    documents = get_document_model().objects.filter(
        pk__in=list(ids), collection_id__in=_collection_ids(organisation)
    )
    return {
        document.pk: (document.url, document.title, document.filename)
        for document in documents.only("pk", "title", "file")
    }


def _read(field_file) -> bytes | None:
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def _export_name(item) -> str:
    """The name an import gave the file (its title, when it ends like the stored file), else
    the stored file's name."""
    stored = item.file.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else ""
    title = (item.title or "").strip()
    if extension and title.lower().endswith("." + extension) and "/" not in title:
        return title
    return stored


def media_files(*, image_ids, document_ids, organisation) -> dict[tuple[str, int], tuple]:
    """The bytes of these images and documents of the organisation's collection, for an export:
    {("image" or "document", id): (file name, bytes)}; one of another organisation, or whose
    file is gone, is left out."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    collections = _collection_ids(organisation)
    found: dict[tuple[str, int], tuple] = {}
    for kind, model, ids in (
        ("image", get_image_model(), image_ids),
        ("document", get_document_model(), document_ids),
    ):
        if not ids:
            continue
        for item in model.objects.filter(pk__in=list(ids), collection_id__in=collections):
            data = _read(item.file)
            if data is not None:
                found[(kind, item.pk)] = (_export_name(item), data)
    return found
