"""Places where higher apps add to content pages without content importing them.

learning adds a person's progress to course and lesson pages; content knows nothing of it.
Each provider is `fn(request, page) -> dict` merged into the page's template context.
"""

from collections.abc import Callable

ContextProvider = Callable[[object, object], dict]

_course_context: list[ContextProvider] = []
_lesson_context: list[ContextProvider] = []


def register_course_context(fn: ContextProvider) -> None:
    if fn not in _course_context:
        _course_context.append(fn)


def register_lesson_context(fn: ContextProvider) -> None:
    if fn not in _lesson_context:
        _lesson_context.append(fn)


# Asides: a box a higher app shows below a course or lesson (the FAQ beside a course, "ask a
# compliance question" on a lesson). `fn(request, page) -> {"template": ..., ...} | None`; the
# page's template includes each one's template with its dict as `aside`.
AsideProvider = Callable[[object, object], dict | None]
_course_asides: list[AsideProvider] = []
_lesson_asides: list[AsideProvider] = []


def register_course_aside(fn: AsideProvider) -> None:
    if fn not in _course_asides:
        _course_asides.append(fn)


def register_lesson_aside(fn: AsideProvider) -> None:
    if fn not in _lesson_asides:
        _lesson_asides.append(fn)


def _asides(providers: list[AsideProvider], request, page) -> list[dict]:
    return [aside for fn in providers if (aside := fn(request, page)) is not None]


def course_context(request, page) -> dict:
    extra: dict = {}
    for fn in _course_context:
        extra.update(fn(request, page))
    extra["page_asides"] = _asides(_course_asides, request, page)
    return extra


def lesson_context(request, page) -> dict:
    extra: dict = {}
    for fn in _lesson_context:
        extra.update(fn(request, page))
    extra["page_asides"] = _asides(_lesson_asides, request, page)
    return extra


# The knowledge-check lesson block shows a bank question with instant feedback. The exam engine
# registers how to find and render a question: fn(request, question_id, lesson_id) -> HTML or
# None; the lesson's id goes with the answer, which is checked only for a question the
# published lesson asks.
KnowledgeCheckRenderer = Callable[[object, int, int | None], str | None]
_knowledge_check_renderer: list[KnowledgeCheckRenderer] = []


def register_knowledge_check_renderer(fn: KnowledgeCheckRenderer) -> None:
    _knowledge_check_renderer[:] = [fn]


def render_knowledge_check(request, question_id: int, lesson_id: int | None) -> str | None:
    if not _knowledge_check_renderer or request is None:
        return None
    return _knowledge_check_renderer[0](request, question_id, lesson_id)
