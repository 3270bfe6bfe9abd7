from django import template

from content.selectors import image_urls

from ..question_text import image_ids, render_question_text

register = template.Library()


@register.filter
def question_text(value, question=None):
    """A stem or an option of `question` as HTML: escaped, line breaks, tables and images
    kept; only images of the collection of the question's bank's organisation show."""
    ids = image_ids(value)
    if not ids or question is None:
        return render_question_text(value)
    organisation = question.bank.organisation
    return render_question_text(value, image_urls(ids=ids, organisation=organisation))
