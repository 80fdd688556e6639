"""Resources: uploads are checked by extension, size and first bytes; files are served to the
organisation's members only, as attachments, with the type we decided."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.authz import assert_access
from tests.roadmaps.factories import make_roadmap, membership_of
from twoway.roadmaps import services
from twoway.roadmaps.models import RoadmapStep, StepResource

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def roadmap(actors):
    return make_roadmap(actors, step_count=1)


def add_url(actors, roadmap):
    step = RoadmapStep.objects.get(version=roadmap.current_version)
    return reverse("roadmaps:resource_add", args=[actors.organisation.slug, roadmap.pk, step.pk])


def upload(client, actors, roadmap, name, content, title="Handout"):
    client.force_login(actors.admin)
    return client.post(
        add_url(actors, roadmap), {"title": title, "file": SimpleUploadedFile(name, content)}
    )


def test_a_pdf_is_stored_under_a_random_name_and_served_as_an_attachment(client, actors, roadmap):
    # Given the admin uploads a PDF to a step
    response = upload(client, actors, roadmap, "my notes.pdf", PDF)
    assert response.status_code == 302
    resource = StepResource.objects.get()
    assert resource.content_type == "application/pdf" and resource.size == len(PDF)
    assert "my notes" not in resource.file.name
    # When a member downloads it
    url = reverse("roadmaps:resource", args=[actors.organisation.slug, resource.pk])
    responses = assert_access(
        client, actors, url, allowed={"participant", "program_manager", "admin"}
    )
    # Then it comes as an attachment with our type and no sniffing
    download = responses["participant"]
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="handout.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_a_file_over_the_limit_is_refused_with_the_size(client, actors, roadmap, settings):
    big = b"%PDF" + b"0" * (10 * 1024 * 1024 + 1)
    response = upload(client, actors, roadmap, "big.pdf", big)
    assert response.status_code == 200
    assert "10.0 MB; the limit is 10 MB" in response.content.decode()
    assert not StepResource.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("tool.exe", b"MZ\x90\x00", ".exe files are not accepted. Allowed types: pdf, png"),
        ("page.html", b"<script>alert(1)</script>", ".html files are not accepted"),
        ("noext", b"hello", "Files without an extension are not accepted"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "not a real .pdf file"),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg", "not a real .png file"),
        ("slides.pptx", b"%PDF-1.4", "not a real .pptx file"),
        ("notes.txt", b"\x7fELF\x02\x01\x01", "not plain text"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_wrong_or_disguised_type_is_refused_and_nothing_is_saved(
    client, actors, roadmap, media, name, content, reason
):
    response = upload(client, actors, roadmap, name, content)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not StepResource.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_office_files_and_text_are_accepted(client, actors, roadmap):
    upload(client, actors, roadmap, "plan.docx", b"PK\x03\x04rest", title="Plan")
    upload(client, actors, roadmap, "list.csv", "name,café\n".encode(), title="List")
    assert sorted(StepResource.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/csv; charset=utf-8",
    ]


def test_a_link_must_be_a_web_address(client, actors, roadmap):
    client.force_login(actors.admin)
    response = client.post(add_url(actors, roadmap), {"title": "Bad", "url": "javascript:alert(1)"})
    assert "give a web address starting with https://" in response.content.decode()
    response = client.post(
        add_url(actors, roadmap), {"title": "Guide", "url": "https://example.org/guide"}
    )
    assert response.status_code == 302
    assert StepResource.objects.get().url == "https://example.org/guide"


def test_the_resource_form_is_for_authors_only(client, actors, roadmap):
    assert_access(client, actors, add_url(actors, roadmap), allowed={"admin"})


def test_a_link_resource_is_not_a_download(client, actors, roadmap):
    step = RoadmapStep.objects.get(version=roadmap.current_version)
    link = services.resource_add_link(
        membership=membership_of(actors.admin, actors.organisation),
        roadmap=roadmap,
        step=step,
        title="Guide",
        url="https://example.org/",
    )
    client.force_login(actors.participant)
    url = reverse("roadmaps:resource", args=[actors.organisation.slug, link.pk])
    assert client.get(url).status_code == 404


def test_removing_a_resource_deletes_its_file(
    client, actors, roadmap, media, django_capture_on_commit_callbacks
):
    upload(client, actors, roadmap, "a.pdf", PDF)
    resource = StepResource.objects.get()
    url = reverse(
        "roadmaps:resource_remove", args=[actors.organisation.slug, roadmap.pk, resource.pk]
    )
    client.force_login(actors.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not StepResource.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))
