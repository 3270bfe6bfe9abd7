"""Reactions to page events, connected in ContentConfig.ready()."""


def on_course_index_saved(sender, instance, created, raw=False, **kwargs):
    """A new course index: compliance administrators and heads may write courses under it."""
    if created and not raw:
        from .services import course_index_grant_authoring

        course_index_grant_authoring(course_index=instance)


def on_organisation_created(sender, organisation, **kwargs):
    """A new enterprise gets its own collection of images and documents."""
    if not organisation.is_regulator:
        from .services import organisation_collection

        organisation_collection(organisation=organisation)
