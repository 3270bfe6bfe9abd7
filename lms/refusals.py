"""One error type for what the rules refuse.

A service refuses a request by raising `Refused` (or an app's subclass of it, which may carry
more: the rows of a file, the reasons of an appointment gate). It says why in words for people,
in the reader's language, and which HTTP status a view answers with. A view that has a better
place for the message (a form's errors, a JSON reply) catches it; any other reaches
`RefusalMiddleware`, which answers with the refusal page (or JSON for a JSON request) instead of
a server error.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import JsonResponse
from django.shortcuts import render


class Refused(Exception):
    """A request the rules refuse. `messages`: one sentence or more, for people; `status`: the
    HTTP status a view answers with (400 unless the class or the caller says otherwise)."""

    status: int = 400

    def __init__(self, messages: str | Iterable[str], *, status: int | None = None):
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        self.message = "; ".join(self.messages)
        if status is not None:
            self.status = status
        super().__init__(self.message)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.content_type == "application/json" or (
        "application/json" in accept and "text/html" not in accept
    )


class RefusalMiddleware:
    """A refusal no view caught: its own message and status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        if _wants_json(request):
            return JsonResponse(
                {"error": exception.message, "messages": exception.messages},
                status=exception.status,
                json_dumps_params={"ensure_ascii": False},
            )
        from lms.views import way_back

        context = {"messages_refused": exception.messages, "status": exception.status}
        return render(
            request, "errors/refused.html", context | way_back(request), status=exception.status
        )
