"""The explorer's and the media listings' bulk actions (publish, unpublish, move, delete; tag,
add to a collection, delete) act only on what the person may act on, and name only what they
may see: another organisation's course, image or document given by its id is neither changed nor
named ("no permission to … 云集内部课程"); with nothing else asked for, the action is 404."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from content.models import CourseIndexPage, CoursePage
from content.services import organisation_collection
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

THEIRS = "云集内部反贿赂课程"


@pytest.fixture
def world(org, other_org):
    """云集-like `org` owns a live private course (with an unpublished draft); 鲜达-like
    `other_org` has its own course and head; a second course index to move courses to."""
    head_a = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    theirs = cf.course(title=THEIRS, owner=org, lessons=1)
    theirs.title = "云集课程草稿标题"
    theirs.save_revision(user=head_a.user)
    ours = cf.course(title="鲜达内部课程", owner=other_org, lessons=1)
    platform_wide = cf.course(title="全平台数据合规课程", owner=None, lessons=1)
    elsewhere = cf.home_page().add_child(instance=CourseIndexPage(title="课程二", slug="courses-2"))

    class World:
        pass

    w = World()
    w.head_b = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD)
    w.theirs, w.ours, w.platform_wide, w.elsewhere = theirs, ours, platform_wide, elsewhere
    w.index = theirs.get_parent()
    return w


def bulk(model: str, action: str, *objects) -> str:
    ids = "&".join(f"id={o.pk}" for o in objects)
    return f"/admin/bulk/{model}/{action}/?{ids}"


def test_bulk_unpublishing_another_organisations_course_leaves_it_live(client, world):
    client.force_login(world.head_b.user)
    url = bulk("wagtailcore/page", "unpublish", world.theirs)
    response = client.get(url)
    assert response.status_code == 404
    assert THEIRS not in response.content.decode()
    assert client.post(url, {"include_descendants": "on"}).status_code == 404
    assert CoursePage.objects.get(pk=world.theirs.pk).live
    assert all(p.live for p in Page.objects.get(pk=world.theirs.pk).get_descendants())


def test_a_mixed_selection_acts_on_ones_own_course_and_never_names_theirs(client, world):
    client.force_login(world.head_b.user)
    url = bulk("wagtailcore/page", "unpublish", world.theirs, world.ours)
    confirm = client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "鲜达内部课程" in body and THEIRS not in body
    client.post(url, {"include_descendants": "on"})
    assert not CoursePage.objects.get(pk=world.ours.pk).live
    assert CoursePage.objects.get(pk=world.theirs.pk).live


def test_bulk_publishing_deleting_or_moving_another_organisations_course_changes_nothing(
    client, world
):
    client.force_login(world.head_b.user)
    for action, data in (
        ("publish", {"include_descendants": "on"}),
        ("delete", {}),
        ("move", {"chooser": world.elsewhere.pk}),
    ):
        url = bulk("wagtailcore/page", action, world.theirs)
        response = client.get(url)
        assert response.status_code == 404, action
        assert THEIRS not in response.content.decode(), action
        assert client.post(url, data).status_code == 404, action
    theirs = CoursePage.objects.get(pk=world.theirs.pk)
    assert theirs.title == THEIRS  # the draft was not published
    assert theirs.has_unpublished_changes
    assert theirs.get_parent().pk == world.index.pk
    assert theirs.get_children().count() == 1


def test_a_platform_wide_course_is_shown_but_not_unpublished(client, world):
    """A platform-wide course is in every organisation's explorer, so naming it is no leak;
    acting on it is still refused."""
    client.force_login(world.head_b.user)
    url = bulk("wagtailcore/page", "unpublish", world.platform_wide)
    assert client.get(url).status_code == 200
    client.post(url, {"include_descendants": "on"})
    assert CoursePage.objects.get(pk=world.platform_wide.pk).live


def test_a_head_still_bulk_moves_their_own_course(client, world):
    client.force_login(world.head_b.user)
    client.post(bulk("wagtailcore/page", "move", world.ours), {"chooser": world.elsewhere.pk})
    assert Page.objects.get(pk=world.ours.pk).get_parent().pk == world.elsewhere.pk


def test_another_organisations_course_is_no_destination_and_is_not_named(client, world):
    client.force_login(world.head_b.user)
    response = client.post(
        bulk("wagtailcore/page", "move", world.ours), {"chooser": world.theirs.pk}
    )
    assert THEIRS not in response.content.decode()
    assert "云集课程草稿标题" not in response.content.decode()
    assert Page.objects.get(pk=world.ours.pk).get_parent().pk == world.index.pk


# --- images and documents ----------------------------------------------------------------------
def _image(title, organisation):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 22, 29)).save(buffer, format="PNG")
    item = Image(title=title, collection=organisation_collection(organisation=organisation))
    item.file = ImageFile(buffer, name="seal.png")
    item.save()
    return item


def _document(title, organisation):
    item = Document(title=title, collection=organisation_collection(organisation=organisation))
    item.file.save("policy.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    item.save()
    return item


@pytest.fixture
def media(org, other_org):
    class Media:
        their_seal = _image("印章 · 云集", org)
        their_doc = _document("云集内部制度", org)
        our_seal = _image("印章 · 鲜达", other_org)
        our_doc = _document("鲜达内部制度", other_org)
        our_collection = organisation_collection(organisation=other_org)
        their_collection = organisation_collection(organisation=org)

    return Media


MEDIA = {
    "image": ("wagtailimages/image", Image, "their_seal", "印章 · 云集"),
    "document": ("wagtaildocs/document", Document, "their_doc", "云集内部制度"),
}


@pytest.mark.parametrize("kind", MEDIA)
def test_bulk_deleting_another_organisations_media_leaves_it(client, world, media, kind):
    path, model, attribute, title = MEDIA[kind]
    theirs = getattr(media, attribute)
    client.force_login(world.head_b.user)
    url = bulk(path, "delete", theirs)
    response = client.get(url)
    assert response.status_code == 404
    assert title not in response.content.decode()
    assert client.post(url).status_code == 404
    assert model.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("kind", MEDIA)
def test_bulk_moving_or_tagging_another_organisations_media_changes_nothing(
    client, world, media, kind
):
    path, model, attribute, title = MEDIA[kind]
    theirs = getattr(media, attribute)
    client.force_login(world.head_b.user)
    for action, data in (
        ("add_to_collection", {"collection": media.our_collection.pk}),
        ("add_tags", {"tags": "外部标签"}),
    ):
        url = bulk(path, action, theirs)
        response = client.get(url)
        assert response.status_code == 404, action
        assert title not in response.content.decode(), action
        assert client.post(url, data).status_code == 404, action
    theirs = model.objects.get(pk=theirs.pk)
    assert theirs.collection_id == media.their_collection.pk
    assert not theirs.tags.exists()


def test_a_head_still_tags_their_own_images_and_documents(client, world, media):
    client.force_login(world.head_b.user)
    client.post(
        bulk("wagtailimages/image", "add_tags", media.our_seal, media.their_seal),
        {"tags": "公章"},
    )
    client.post(bulk("wagtaildocs/document", "add_tags", media.our_doc), {"tags": "制度"})
    assert list(Image.objects.get(pk=media.our_seal.pk).tags.names()) == ["公章"]
    assert list(Document.objects.get(pk=media.our_doc.pk).tags.names()) == ["制度"]
    assert not Image.objects.get(pk=media.their_seal.pk).tags.exists()


@pytest.mark.parametrize("odd", ["abc", "99999999999999999999", "²", "-1"])
def test_an_id_that_names_nothing_is_a_404_not_an_error(client, world, odd):
    client.force_login(world.head_b.user)
    for path in ("wagtailcore/page/unpublish", "wagtailimages/image/delete"):
        assert client.get(f"/admin/bulk/{path}/?id={odd}").status_code == 404, path
