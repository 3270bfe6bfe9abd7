"""Images and documents live in their organisation's collection: a compliance head sees, chooses
and changes their own organisation's (its seal), never another's, in the admin's listings,
choosers and its image and document API. Platform administrators see them all."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from content.services import organisation_collection
from lms.organisations import roles
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import UserFactory, person

pytestmark = pytest.mark.django_db

REFUSED = (302, 403, 404)


def image(title, organisation):
    buffer = io.BytesIO()
    PILImage.new("RGBA", (8, 8), (200, 22, 29, 220)).save(buffer, format="PNG")
    item = Image(title=title, collection=organisation_collection(organisation=organisation))
    item.file = ImageFile(buffer, name="seal.png")
    item.save()
    return item


def document(title, organisation):
    item = Document(title=title, collection=organisation_collection(organisation=organisation))
    item.file.save("policy.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    item.save()
    return item


@pytest.fixture
def media(org, other_org):
    class Media:
        their_seal = image("印章 · 云集", org)
        our_seal = image("印章 · 鲜达", other_org)
        their_doc = document("云集内部制度", org)
        our_doc = document("鲜达内部制度", other_org)

    return Media


@pytest.fixture
def head_b(other_org):
    return person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user


def test_the_admin_image_api_lists_only_your_organisations_images(client, media, head_b):
    client.force_login(head_b)
    listing = client.get("/admin/api/main/images/")
    assert listing.status_code == 200
    titles = {item["title"] for item in listing.json()["items"]}
    assert titles == {"印章 · 鲜达"}
    assert client.get(f"/admin/api/main/images/{media.their_seal.pk}/").status_code == 404


def test_the_admin_document_api_lists_only_your_organisations_documents(client, media, head_b):
    client.force_login(head_b)
    listing = client.get("/admin/api/main/documents/")
    assert listing.status_code == 200
    titles = {item["title"] for item in listing.json()["items"]}
    assert titles == {"鲜达内部制度"}
    assert client.get(f"/admin/api/main/documents/{media.their_doc.pk}/").status_code == 404


def test_listings_and_choosers_show_only_your_organisations_media(client, media, head_b):
    client.force_login(head_b)
    for url, ours, theirs in (
        ("/admin/images/", "印章 · 鲜达", "印章 · 云集"),
        ("/admin/images/chooser/", "印章 · 鲜达", "印章 · 云集"),
        ("/admin/documents/", "鲜达内部制度", "云集内部制度"),
        ("/admin/documents/chooser/", "鲜达内部制度", "云集内部制度"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            body = response.json()["html"]
        assert ours in body and theirs not in body, url


def test_another_organisations_media_cannot_be_opened_or_changed(client, media, head_b):
    client.force_login(head_b)
    for url in (
        f"/admin/images/{media.their_seal.pk}/",
        f"/admin/images/{media.their_seal.pk}/delete/",
        f"/admin/images/{media.their_seal.pk}/usage/",
        f"/admin/documents/edit/{media.their_doc.pk}/",
        f"/admin/documents/delete/{media.their_doc.pk}/",
        f"/admin/documents/usage/{media.their_doc.pk}/",
    ):
        assert client.get(url).status_code in REFUSED, url
    client.post(f"/admin/images/{media.their_seal.pk}/delete/")
    assert Image.objects.filter(pk=media.their_seal.pk).exists()
    assert client.get(f"/admin/images/{media.our_seal.pk}/").status_code == 200


def test_a_head_uploads_only_into_their_organisations_collection(client, media, head_b, other_org):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    client.force_login(head_b)
    assert client.get("/admin/images/multiple/add/").status_code == 200
    policy = policy_registry.get_by_type(get_image_model())
    offered = policy.collections_user_has_permission_for(head_b, "add")
    assert {c.pk for c in offered} == {organisation_collection(organisation=other_org).pk}


def test_a_platform_administrator_sees_every_organisations_media(client, media):
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))
    client.force_login(admin)
    titles = {item["title"] for item in client.get("/admin/api/main/images/").json()["items"]}
    assert {"印章 · 鲜达", "印章 · 云集"} <= titles
    assert client.get(f"/admin/images/{media.their_seal.pk}/").status_code == 200


def test_an_organisation_made_before_collections_gets_one_after_migrating(org):
    from django.core.management import call_command

    from content.models import OrganisationCollection

    OrganisationCollection.objects.filter(organisation=org).delete()
    call_command("migrate", "content", verbosity=0)
    assert OrganisationCollection.objects.filter(organisation=org).exists()


def test_a_document_downloads_only_within_its_organisation(client, media, head_b):
    url = f"/documents/{media.their_doc.pk}/{media.their_doc.filename}"
    client.force_login(head_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/documents/{media.our_doc.pk}/{media.our_doc.filename}").status_code == 200
    client.logout()
    assert client.get(url).status_code == 404


def test_a_document_outside_every_organisation_stays_public(client):
    from wagtail.models import Collection

    item = Document(title="公开指引", collection=Collection.get_first_root_node())
    item.file.save("guide.pdf", ContentFile(b"%PDF-1.4 public"), save=False)
    item.save()
    assert client.get(f"/documents/{item.pk}/{item.filename}").status_code == 200
