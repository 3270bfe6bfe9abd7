from django import template

from ..question_text import render_question_text

register = template.Library()


@register.filter
def question_text(value):
    """A stem or an option as HTML: escaped, line breaks and tables kept."""
    return render_question_text(value)
