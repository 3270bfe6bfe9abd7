from django import template

from content.selectors import document_links, image_urls

from ..question_text import document_ids, image_ids, render_question_text

register = template.Library()


@register.filter
def question_text(value, question=None):
    """A stem or an option of `question` as HTML: escaped, line breaks, tables, images and
    documents (audio as a player, others as a link) kept; only those of the collection of the
    question's bank's organisation show."""
    images, documents = image_ids(value), document_ids(value)
    if not (images or documents) or question is None:
        return render_question_text(value)
    organisation = question.bank.organisation
    return render_question_text(
        value,
        image_urls(ids=images, organisation=organisation) if images else {},
        document_links(ids=documents, organisation=organisation) if documents else {},
    )
