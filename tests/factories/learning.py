"""Helpers for learning tests: read a lesson's 完成 token the way a browser would."""

import re

from content.models import LessonPage

TOKEN = re.compile(r'name="opened" value="([^"]+)"')


def opened_token(client, lesson: LessonPage) -> str:
    """Open the lesson page as the signed-in client and return the token its 完成 form carries."""
    response = client.get(lesson.url)
    assert response.status_code == 200, response.status_code
    match = TOKEN.search(response.content.decode())
    assert match, "the lesson page shows no 完成 form"
    return match.group(1)


def complete_lesson(client, lesson: LessonPage, token: str | None = None):
    token = token or opened_token(client, lesson)
    return client.post(f"/learn/lessons/{lesson.pk}/complete/", {"opened": token}, follow=True)
