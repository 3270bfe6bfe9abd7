"""Images embedded in Moodle XML (`@@PLUGINFILE@@` files of Atto, and the old
`<image_base64>`) are imported into the organisation's collection of Wagtail images and shown
in the question; what cannot be kept is a warning on its question, never a silent drop, and a
question whose options are images no longer blocks the file."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from assessments import services
from assessments.formats import parse
from assessments.services.imports import questions_import
from content.services import organisation_collection
from tests.factories.assessments import make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


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


def _chart_question(files: str) -> str:
    return f"""  <question type="multichoice">
    <name><text>如下图所示</text></name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr">如下图所示，哪一项是风险最高的业务？</p><p><img src="@@PLUGINFILE@@/%E5%9B%BE%E8%A1%A8.png" alt="图表" width="400" height="300" role="presentation" class="img-fluid atto_image_button_text-bottom"><br></p>]]></text>
{files}
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="100" format="html"><text><![CDATA[<p>跨境支付</p>]]></text><feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="html"><text><![CDATA[<p>柜面存款</p>]]></text><feedback format="html"><text></text></feedback></answer>
  </question>
"""


def _image_options_question() -> str:
    answers = "".join(
        f"""    <answer fraction="{fraction}" format="html">
      <text><![CDATA[<p><img src="@@PLUGINFILE@@/{name}" alt="" width="80" height="60"></p>]]></text>
      <file name="{name}" path="/" encoding="base64">{_b64(_png(colour))}</file>
      <feedback format="html"><text></text></feedback>
    </answer>
"""
        for fraction, name, colour in (("100", "a.png", "green"), ("0", "b.png", "blue"))
    )
    return f"""  <question type="multichoice">
    <name><text>选择正确的标志</text></name>
    <questiontext format="html"><text><![CDATA[<p>哪一个是合规标志？</p>]]></text></questiontext>
    <single>true</single>
{answers}  </question>
"""


def _legacy_question() -> str:
    return f"""  <question type="truefalse">
    <name><text>旧版图片</text></name>
    <questiontext format="moodle_auto_format"><text>图中的做法合规。</text></questiontext>
    <image>chart.png</image>
    <image_base64>{_b64(_png("yellow"))}</image_base64>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
"""


def _embedded(data: bytes) -> str:
    return f'      <file name="图表.png" path="/" encoding="base64">{_b64(data)}</file>'


def test_the_parser_keeps_each_image_in_its_place():
    result = parse(_quiz(_chart_question(_embedded(_png())), _legacy_question()), "moodle-xml")
    chart, legacy = result.questions
    assert "[[imagefile:图表.png]]" in chart.stem and chart.media["图表.png"] == _png()
    assert legacy.stem == "图中的做法合规。\n[[imagefile:chart.png]]"
    assert not result.warnings


def test_imported_images_go_to_the_organisations_collection_and_show_in_the_exam(
    client, org, learner
):
    bank = make_bank(org)
    data = _quiz(_chart_question(_embedded(_png())), _image_options_question(), _legacy_question())
    report = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert report.ok and report.created == 3, report.errors
    images = get_image_model().objects.filter(collection=organisation_collection(organisation=org))
    assert images.count() == 4
    chart = bank.questions.get(stem__startswith="如下图所示")
    image = images.get(title="图表.png")
    assert f"[[image:{image.pk}]]" in chart.stem
    options = bank.questions.get(stem__startswith="哪一个")
    assert all(option.startswith("[[image:") for option in options.options)

    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 3}]),
        users=[learner],
    )
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert f'<img class="question-image" src="{image.file.url}"' in page
    assert page.count('class="question-image"') == 4

    # the same file again: the same images, nothing to change
    again = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3), again.changes
    assert images.count() == 4


def test_a_missing_or_broken_image_is_a_warning_on_its_question(org):
    bank = make_bank(org)
    missing = _chart_question("")
    broken = (
        _chart_question(_embedded(b"not a picture"))
        .replace("如下图所示</text>", "坏图</text>")
        .replace("风险最高", "风险最低")
    )
    report = questions_import(bank=bank, data=_quiz(missing, broken), fmt="moodle-xml")
    assert report.ok and report.created == 2
    warnings = [str(w) for w in report.warnings]
    assert len(warnings) == 2
    assert "#1" in warnings[0] and "图表.png" in warnings[0]
    assert "#2" in warnings[1] and "坏图" in warnings[1]
    assert all("[图片 图表.png]" in q.stem for q in bank.questions.all())


def test_audio_without_its_file_is_named_in_a_warning_instead_of_vanishing(org):
    audio = _chart_question("").replace(
        '<img src="@@PLUGINFILE@@/%E5%9B%BE%E8%A1%A8.png" alt="图表" width="400" height="300" role="presentation" class="img-fluid atto_image_button_text-bottom">',
        '<audio controls="true"><source src="@@PLUGINFILE@@/%E8%AE%B2%E8%A7%A3.mp3">讲解</audio>',
    )
    result = parse(_quiz(audio), "moodle-xml")
    assert len(result.questions) == 1
    assert [p.message for p in result.warnings] == ["文件 讲解.mp3 不在文件中：未导入"]
    assert "[文件 讲解.mp3]" in result.questions[0].stem


def test_the_command_prints_the_warning(org, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    bank = make_bank(org)
    path = tmp_path / "bank.xml"
    path.write_bytes(_quiz(_chart_question("")))
    out = StringIO()
    call_command("import_questions", str(path), "--bank", str(bank.pk), stdout=out)
    assert "图表.png" in out.getvalue() and "#1" in out.getvalue()


def test_an_image_of_another_organisation_never_shows(client, org, other_org, learner):
    from content.services import image_import

    foreign = image_import(organisation=other_org, file_name="机密.png", data=_png("black"))
    own = image_import(organisation=org, file_name="本单位.png", data=_png("white"))
    bank = make_bank(org)
    services.question_create(
        bank=bank,
        kind="true_false",
        stem=f"甲[[image:{foreign.pk}]]乙[[image:{own.pk}]]丙",
        key=["true"],
        audit=False,
    )
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert own.file.url in page
    assert foreign.file.url not in page
