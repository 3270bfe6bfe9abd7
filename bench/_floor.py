"""The floor of an answer save: the least a save can do behind the same middleware (session,
CSRF, the signed-in person), parse the same JSON body and write one row with one upsert, and
nothing else: no paper, no attempt, no deadline, no network check. bench/exam_day.py measures
it in the same run as the real save and prints the ratio."""

import json

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_POST

TABLE = "bench_floor_answer"
CREATE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    user_id bigint NOT NULL,
    question_id bigint NOT NULL,
    answer jsonb NOT NULL,
    seq integer NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, question_id))"""
UPSERT = f"""INSERT INTO {TABLE} (user_id, question_id, answer, seq) VALUES (%s, %s, %s, %s)
    ON CONFLICT (user_id, question_id) DO UPDATE
    SET answer = EXCLUDED.answer, seq = EXCLUDED.seq, saved_at = now()
    WHERE {TABLE}.seq < EXCLUDED.seq"""


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
        cursor.execute(f"TRUNCATE {TABLE}")


@require_POST
def save(request):
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False}, status=401)
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT,
            [request.user.pk, int(body["question"]), json.dumps(body["answer"]), int(body["seq"])],
        )
    return JsonResponse({"ok": True, "seq": body["seq"]})
