"""Property: for every supported question and every format (Moodle XML, GIFT, CSV, xlsx),
exporting and importing the file gives back every field the format carries: type, stem,
options (up to ten), key, explanation, option grades and feedback, tags, difficulty,
regulation reference, name and ID number.

Texts come from an alphabet that holds what breaks formats: GIFT's reserved characters, XML's
markup characters, spreadsheet formula triggers, a leading %n% or [html], pipes, Chinese and
full-width punctuation, the ideographic space, and line breaks."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.formats import ParsedQuestion, gift, moodle_xml, parse, tabular
from assessments.grading import OPTION_LETTERS, key_problems
from assessments.services.imports import own_name

ALPHABET = (
    "合规负责人报告风险（　）。，：；！？“”《》、abcXYZ0129 :~=#{}\\/%[]<>&'\"|+-@_*!?,;\u3000"
)
LINE_BREAK = "\n"


def _text(*, lines: bool = False, exclude: str = "", max_size: int = 30):
    alphabet = "".join(c for c in ALPHABET + (LINE_BREAK if lines else "") if c not in exclude)
    return (
        st.text(alphabet=alphabet, min_size=1, max_size=max_size)
        .map(lambda s: "\n".join(line.strip() for line in s.strip().splitlines()).strip())
        .filter(bool)
    )


# tags: the sheet splits them on , ， ; ； 、
TAG = _text(exclude=",，;；、", max_size=12)
# fill-in answers: the sheet splits them on |; GIFT reads '->' in all-'=' answers as matching
FILL = _text(exclude="|｜>", max_size=15)

RIGHT_COUNTS = [1, 2, 4, 5]  # each right option's grade 100/n is written exactly


@st.composite
def choice(draw, kind: str):
    count = draw(st.integers(min_value=2, max_value=len(OPTION_LETTERS)))
    options = draw(st.lists(_text(), min_size=count, max_size=count, unique=True))
    letters = OPTION_LETTERS[:count]
    if kind == "single":
        right = draw(st.lists(st.sampled_from(letters), min_size=1, max_size=2, unique=True))
        weights = []
        if draw(st.booleans()):  # a partial-credit distractor
            weights = [
                100 if letter in right else draw(st.sampled_from([0, 50, 33.5, -25]))
                for letter in letters
            ]
            if all(w in (0, 100) for w in weights):
                weights = []
    else:
        size = draw(st.sampled_from([n for n in RIGHT_COUNTS if n <= count]))
        right = draw(st.lists(st.sampled_from(letters), min_size=size, max_size=size, unique=True))
        weights = []
        if draw(st.booleans()):
            weights = [
                100 / len(right) if letter in right else draw(st.sampled_from([0, -50, -100]))
                for letter in letters
            ]
            weights = [int(w) if float(w).is_integer() else w for w in weights]
    feedback = []
    if draw(st.booleans()):
        feedback = draw(st.lists(st.one_of(st.just(""), _text()), min_size=count, max_size=count))
        if not any(feedback):
            feedback = []
    return {
        "options": options,
        "key": sorted(right, key=letters.index),
        "option_weights": weights,
        "option_feedback": feedback,
    }


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "fill_in", "short_answer"]))
    fields: dict = {"options": [], "key": []}
    if kind in ("single", "multiple"):
        fields = draw(choice(kind))
    elif kind == "true_false":
        fields["key"] = [draw(st.sampled_from(["true", "false"]))]
    elif kind == "fill_in":
        fields["key"] = draw(st.lists(FILL, min_size=1, max_size=3, unique=True))
    else:
        fields["key"] = draw(st.lists(_text(lines=True), max_size=1))
    question = ParsedQuestion(
        kind=kind,
        stem=draw(_text(lines=True, max_size=60)),
        explanation=draw(st.one_of(st.just(""), _text(lines=True))),
        tags=draw(st.lists(TAG, max_size=3, unique=True)),
        difficulty=draw(st.integers(min_value=1, max_value=5)),
        regulation_reference=draw(st.one_of(st.just(""), _text())),
        name=draw(st.one_of(st.just(""), _text(max_size=20))),
        idnumber=draw(st.one_of(st.just(""), _text(exclude="[]", max_size=10))),
        **fields,
    )
    assert not key_problems(
        kind=kind,
        options=question.options,
        key=question.key,
        weights=question.option_weights,
        feedback=question.option_feedback,
    )
    return question


def _comparable(question: ParsedQuestion) -> dict:
    content = question.content()
    # a name that is only the stem's first words is no name (Moodle XML always writes one)
    content["name"] = own_name(question.name, question.stem)
    return content


def _round_trip(fmt: str, export) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(questions(), min_size=1, max_size=4))
    def check(originals):
        result = parse(export(originals), fmt)
        assert not result.errors, result.errors
        assert [_comparable(q) for q in result.questions] == [_comparable(q) for q in originals]

    check()


def test_moodle_xml_round_trip_is_the_identity():
    _round_trip("moodle-xml", moodle_xml.export)


def test_gift_round_trip_is_the_identity():
    _round_trip("gift", gift.export)


def test_csv_round_trip_is_the_identity():
    _round_trip("csv", lambda qs: tabular.export(qs, "csv"))


def test_xlsx_round_trip_is_the_identity():
    _round_trip("xlsx", lambda qs: tabular.export(qs, "xlsx"))
