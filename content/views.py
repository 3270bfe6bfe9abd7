"""Content's own pages outside the page tree: search of courses and regulations."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import course_search, regulation_search

MAX_QUERY = 200


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    return render(
        request,
        "content/search.html",
        {
            "query": query,
            "courses": course_search(user=request.user, query=query),
            "regulations": regulation_search(query=query),
        },
    )
