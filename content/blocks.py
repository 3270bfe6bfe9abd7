"""StreamField blocks shared by lessons and other content pages.

The knowledge-check block names a question from the question bank by its number; the exam
engine renders it with instant feedback through `content.extensions` (content may not import
assessments).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video: either an uploaded file (from the document library) or an embed URL."""

    title = blocks.CharBlock(label=_("title"), required=False)
    file = DocumentChooserBlock(label=_("video file"), required=False)
    embed = EmbedBlock(label=_("embed URL"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("embed")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "file": ValidationError(_("Choose either a video file or an embed URL."))
                }
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "content/blocks/document.html"


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), default=_("Key point"))
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        label = _("Key point")
        template = "content/blocks/key_point.html"


class RegulationExcerptBlock(blocks.StructBlock):
    regulation = blocks.PageChooserBlock(label=_("regulation"), page_type="content.RegulationPage")
    clause = blocks.CharBlock(
        label=_("clause"), required=False, help_text=_("The clause number, e.g. （五） or 第三条.")
    )
    text = blocks.TextBlock(label=_("excerpt"))

    class Meta:
        icon = "openquote"
        label = _("Regulation excerpt")
        template = "content/blocks/regulation_excerpt.html"


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.IntegerBlock(
        label=_("Question number"),
        min_value=1,
        help_text=_(
            "The number (ID) of a question in your organisation's question bank, as shown in "
            "the question list. Learners answer it and see at once whether they were right."
        ),
    )

    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "content/blocks/knowledge_check.html"

    def get_context(self, value, parent_context=None):
        from .extensions import render_knowledge_check

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        lesson = (parent_context or {}).get("page")
        context["rendered"] = render_knowledge_check(
            request, value["question"], getattr(lesson, "pk", None)
        )
        return context


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label=_("Rich text"), features=RICH_TEXT_FEATURES)
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    key_point = KeyPointBlock()
    regulation_excerpt = RegulationExcerptBlock()
    knowledge_check = KnowledgeCheckBlock()
