"""Audio and other files embedded in Moodle XML become documents of the organisation's
collection, shown in the question (audio as a player, others as a link); what cannot be kept
(type, size, missing bytes, GIFT which holds no files) is a warning on its question. Exports
carry the images and documents: Moodle XML with their bytes (export then import finds the same
files), GIFT naming them, a spreadsheet keeping the marks."""

import base64
import io
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from assessments import services
from assessments.formats import ParsedQuestion, gift, moodle_xml, parse
from assessments.services.imports import questions_export, questions_import
from content.services import document_import, image_import, organisation_collection
from tests.factories.assessments import make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (4, 3), colour).save(out, format="PNG")
    return out.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "".join(questions) + "</quiz>\n"
    ).encode()


def _listening(files: str, stem: str = "听录音，选择正确的做法") -> str:
    return f"""  <question type="multichoice">
    <name><text>{stem}</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>{stem}</p><p>&nbsp;<audio controls="true"><source src="@@PLUGINFILE@@/%E8%AE%B2%E8%A7%A3.mp3">讲解.mp3</audio>&nbsp;</p><p>参阅<a href="@@PLUGINFILE@@/rules.pdf">制度全文</a></p>]]></text>
{files}
    </questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>上报</p>]]></text></answer>
    <answer fraction="0" format="html"><text><![CDATA[<p>隐瞒</p>]]></text></answer>
  </question>
"""


def _file(name: str, data: bytes) -> str:
    return f'      <file name="{name}" path="/" encoding="base64">{_b64(data)}</file>\n'


def test_the_parser_keeps_audio_and_links_in_their_place():
    result = parse(
        _quiz(_listening(_file("讲解.mp3", MP3) + _file("rules.pdf", PDF))), "moodle-xml"
    )
    (question,) = result.questions
    assert (
        question.stem == "听录音，选择正确的做法\n[[file:讲解.mp3]]\n参阅制度全文[[file:rules.pdf]]"
    )
    assert question.documents == {"讲解.mp3": MP3, "rules.pdf": PDF}
    assert not result.warnings


def test_imported_audio_and_pdf_are_documents_of_the_organisation_shown_in_the_exam(
    client, org, learner
):
    bank = make_bank(org)
    data = _quiz(_listening(_file("讲解.mp3", MP3) + _file("rules.pdf", PDF)))
    report = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert report.ok and report.created == 1 and not report.warnings, report.warnings
    documents = get_document_model().objects.filter(
        collection=organisation_collection(organisation=org)
    )
    audio, pdf = documents.get(title="讲解.mp3"), documents.get(title="rules.pdf")
    assert audio.file.read() == MP3
    question = bank.questions.get()
    assert f"[[document:{audio.pk}]]" in question.stem and f"[[document:{pdf.pk}]]" in question.stem

    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert f'<audio class="question-audio" controls preload="none" src="{audio.url}">' in page
    assert f'<a class="question-file" href="{pdf.url}">rules.pdf</a>' in page
    assert "<script>" not in page.split('class="stem"')[1].split("</div>")[0]
    assert client.get(audio.url).status_code == 200

    again = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert documents.count() == 2


def test_a_file_of_another_type_too_big_renamed_or_missing_is_a_warning(org, settings):
    from content import services as content_services

    bank = make_bank(org)
    exe = _listening(_file("讲解.mp3", MP3) + _file("rules.pdf", b"MZ\x90\x00 not a pdf"), "甲")
    missing = _listening("", "乙")
    report = questions_import(bank=bank, data=_quiz(exe, missing), fmt="moodle-xml")
    assert report.ok and report.created == 2
    messages = [str(w) for w in report.warnings]
    assert any(m.startswith("#1") and "rules.pdf" in m for m in messages), messages
    assert sum(m.startswith("#2") for m in messages) == 2, messages
    assert "[文件 rules.pdf]" in bank.questions.get(stem__startswith="甲").stem

    renamed = _listening(_file("讲解.mp3", MP3).replace("讲解.mp3", "讲解.exe"), "丙").replace(
        "%E8%AE%B2%E8%A7%A3.mp3", "%E8%AE%B2%E8%A7%A3.exe"
    )
    assert "不保留此类文件" in str(
        questions_import(bank=bank, data=_quiz(renamed), fmt="moodle-xml", dry_run=True).warnings
    )
    content_services.MAX_IMPORTED_DOCUMENT_BYTES, limit = (
        100,
        content_services.MAX_IMPORTED_DOCUMENT_BYTES,
    )
    try:
        big = questions_import(
            bank=bank, data=_quiz(_listening(_file("讲解.mp3", MP3), "丁")), fmt="moodle-xml"
        )
    finally:
        content_services.MAX_IMPORTED_DOCUMENT_BYTES = limit
    assert any("讲解.mp3" in str(w) and "MB" in str(w) for w in big.warnings)


def test_gift_cannot_hold_files_so_a_plugin_file_is_a_warning():
    source = (
        '::听力::[html]<p>听录音<audio controls><source src\\="@@PLUGINFILE@@/a.mp3"></audio>'
        '<img src\\="@@PLUGINFILE@@/%E5%9B%BE.png"></p>{=上报 ~隐瞒}\n'
    )
    result = parse(source.encode(), "gift")
    (question,) = result.questions
    assert question.stem == "听录音 [文件 a.mp3] [图片 图.png]"
    assert len(result.warnings) == 2 and "a.mp3" in str(result.warnings[0])
    assert "GIFT" in str(result.warnings[1]) and "图.png" in str(result.warnings[1])


def _bank_with_media(org):
    bank = make_bank(org)
    image = image_import(organisation=org, file_name="图表.png", data=_png("green"))
    other = image_import(organisation=org, file_name="b.png", data=_png("blue"))
    audio = document_import(organisation=org, file_name="讲解.mp3", data=MP3)
    pdf = document_import(organisation=org, file_name="rules.pdf", data=PDF)
    services.question_create(
        bank=bank,
        kind="single",
        stem=f"如下图所示：\n[[image:{image.pk}]]\n听[[document:{audio.pk}]]后作答 (两格)",
        options=[f"[[image:{other.pk}]]", "柜面 <b>存款</b> & 理财"],
        key=["A"],
        option_feedback=["", f"见[[document:{pdf.pk}]]"],
        explanation=f"图[[image:{image.pk}]]",
        audit=False,
    )
    services.question_create(
        bank=bank, kind="true_false", stem="无图 | 表", key=["true"], audit=False
    )
    return bank, (image, other, audio, pdf)


def test_moodle_xml_export_carries_the_files_and_imports_back_the_same(org, other_org):
    bank, (image, other, audio, pdf) = _bank_with_media(org)
    data = questions_export(questions=bank.questions.all(), fmt="moodle-xml")
    text = data.decode()
    assert '&lt;img src="@@PLUGINFILE@@/%E5%9B%BE%E8%A1%A8.png"' in text
    assert '<file name="图表.png" path="/" encoding="base64">' in text
    assert 'path="/" encoding="base64"' in text and _b64(MP3) in text
    assert "&lt;audio controls=" in text

    again = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), again.changes
    assert not again.warnings

    elsewhere = make_bank(other_org)
    report = questions_import(bank=elsewhere, data=data, fmt="moodle-xml")
    assert report.ok and report.created == 2 and not report.warnings, report.warnings
    theirs = organisation_collection(organisation=other_org)
    images = get_image_model().objects.filter(collection=theirs)
    documents = get_document_model().objects.filter(collection=theirs)
    assert images.count() == 2 and documents.count() == 2
    copied = elsewhere.questions.get(kind="single")
    original = bank.questions.get(kind="single")
    ids = {
        image.pk: images.get(file_hash=image.file_hash).pk,
        other.pk: images.get(file_hash=other.file_hash).pk,
        audio.pk: documents.get(file_hash=audio.file_hash).pk,
        pdf.pk: documents.get(file_hash=pdf.file_hash).pk,
    }

    def moved(value: str) -> str:
        return re.sub(
            r"\[\[(image|document):(\d+)\]\]",
            lambda m: f"[[{m.group(1)}:{ids[int(m.group(2))]}]]",
            value,
        )

    assert copied.stem == moved(original.stem)
    assert copied.options == [moved(o) for o in original.options]
    assert copied.option_feedback == [moved(f) for f in original.option_feedback]
    assert copied.explanation == moved(original.explanation)


def test_gift_export_names_the_files_and_a_spreadsheet_keeps_the_marks(org, other_org):
    bank, (image, _other, audio, _pdf) = _bank_with_media(org)
    data = questions_export(questions=bank.questions.all(), fmt="gift", category=bank.name)
    text = data.decode()
    assert "[html]" in text and "@@PLUGINFILE@@/%E5%9B%BE%E8%A1%A8.png" in text
    result = parse(data, "gift")
    assert not result.errors
    assert any("图表.png" in str(w) and "GIFT" in str(w) for w in result.warnings)
    assert result.questions[0].options[1] == "柜面 <b>存款</b> & 理财"  # plain after [html]
    assert result.questions[1].stem == "无图 | 表"

    sheet = questions_export(questions=bank.questions.all(), fmt="csv")
    assert f"[[image:{image.pk}]]".encode() in sheet
    same = questions_import(bank=bank, data=sheet, fmt="csv")
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2) and not same.warnings
    foreign = questions_import(bank=make_bank(other_org), data=sheet, fmt="csv", dry_run=True)
    messages = " ".join(str(w) for w in foreign.warnings)
    assert f"图片 {image.pk}" in messages and f"文件 {audio.pk}" in messages


# the property: Moodle XML export then import gives back each text with its images in place
_WORDS = st.text(alphabet="合规报告风险（）。，abc0129<>&'\"|:#{}=~", min_size=1, max_size=12).map(
    lambda s: " ".join(s.split())
)
_PIECE = st.one_of(_WORDS, st.sampled_from(["[[image:1]]", "[[image:2]]", "[[document:3]]"]))


def _rich_text():
    return (
        st.lists(st.one_of(_PIECE, st.just("\n")), min_size=1, max_size=6)
        .map("".join)
        .filter(lambda s: all(line and line == line.strip() for line in s.split("\n")))
        .filter(lambda s: "  " not in s)
    )


MEDIA = {
    ("image", 1): ("图表.png", _png("red")),
    ("image", 2): ("a b.png", _png("blue")),
    ("document", 3): ("讲解.mp3", MP3),
}
STORED = {"图表.png": 1, "a b.png": 2, "讲解.mp3": 3}


def _stored(text: str) -> str:
    text = re.sub(r"\[\[imagefile:(.*?)\]\]", lambda m: f"[[image:{STORED[m.group(1)]}]]", text)
    return re.sub(r"\[\[file:(.*?)\]\]", lambda m: f"[[document:{STORED[m.group(1)]}]]", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=_rich_text(), options=st.lists(_rich_text(), min_size=2, max_size=4, unique=True))
def test_moodle_xml_round_trip_keeps_images_and_files_in_place(stem, options):
    original = ParsedQuestion(kind="single", stem=stem, options=options, key=["A"])
    result = parse(moodle_xml.export([original], media=MEDIA), "moodle-xml")
    assert not result.errors and not result.warnings, (result.errors, result.warnings)
    (back,) = result.questions
    assert _stored(back.stem) == stem
    assert [_stored(o) for o in back.options] == options
    for name, data in {**back.media, **back.documents}.items():
        assert MEDIA[next(k for k, v in MEDIA.items() if v[0] == name)][1] == data


def test_gift_export_of_plain_answers_under_an_html_stem_stays_plain():
    question = ParsedQuestion(
        kind="single", stem="看图[[image:1]]", options=["<b>甲</b>", "乙  &"], key=["A"]
    )
    result = parse(gift.export([question], media=MEDIA), "gift")
    assert result.questions[0].options == ["<b>甲</b>", "乙  &"]
