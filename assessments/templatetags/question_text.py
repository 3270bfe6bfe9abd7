from django import template

from content.selectors import image_urls

from ..question_text import image_ids, render_question_text

register = template.Library()


@register.filter
def question_text(value):
    """A stem or an option as HTML: escaped, line breaks, tables and images kept."""
    ids = image_ids(value)
    return render_question_text(value, image_urls(ids=ids) if ids else None)
