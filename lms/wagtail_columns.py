"""Wagtail's sites list names three columns by their attribute in English (Column("port") reads
"Port", "Site name", "Root page" whatever the language): give them the model fields' verbose
names, which Wagtail's own catalogue translates. Called once from LmsConfig.ready()."""

from django.utils.text import capfirst


def label_site_columns() -> None:
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
