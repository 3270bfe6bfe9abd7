"""Wagtail admin viewsets whose every view is limited to what the user may see.

A viewset names a selector (`scope`) returning the objects a user may see, optionally a narrower
one (`manage_scope`) for the objects they may change or delete, and optionally a service
(`save`) through which every add and edit goes. Objects outside the scope are 404 in every
view, not merely hidden from the list; the model permissions decide which views a role may use
at all (403).
"""

import contextlib

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms import display
from lms.refusals import Refused


class ScopedQuerysetMixin:
    scope_func = None  # user -> QuerySet, set by the viewset

    def scoped(self, queryset=None):
        scope = self.scope_func(self.request.user)
        if queryset is None:
            return scope
        return queryset.filter(pk__in=scope.values("pk"))


class ScopedObjectMixin(ScopedQuerysetMixin):
    def get_object(self, *args, **kwargs):
        # Wagtail's views differ: some take a queryset argument, the history view none.
        obj = super().get_object(*args, **kwargs)
        if not self.scoped().filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ManagedObjectMixin(ScopedObjectMixin):
    """For views that change an object: limited to the (narrower) manage scope."""

    manage_scope_func = None  # user -> QuerySet, set by the viewset

    def scoped(self, queryset=None):
        scope = self.manage_scope_func(self.request.user)
        if queryset is None:
            return scope
        return queryset.filter(pk__in=scope.values("pk"))


class ServiceSaveMixin:
    save_func = None  # (request, instance, is_new) -> instance, set by the viewset
    # True: save_func also takes form= and saves the many-to-many fields itself (so that its
    # audit entry can record them); the view then leaves them alone.
    save_takes_form = False

    def save_instance(self):
        if self.save_func is None:
            return super().save_instance()
        instance = self.form.save(commit=False)
        is_new = instance.pk is None
        try:
            if self.save_takes_form:
                return self.save_func(self.request, instance, is_new, form=self.form)
            saved = self.save_func(self.request, instance, is_new)
        except ValidationError as exc:
            # Raised inside the view's transaction: surface it on the form instead of a 500.
            raise FormServiceError(exc) from exc
        self.form.save_m2m()
        return saved

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FormServiceError as exc:
            # The service's transaction was rolled back: show its reasons on the form.
            add_service_errors(form, exc.error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FormServiceError(Refused):
    """A service's ValidationError, carried to the admin form that shows it field by field."""

    def __init__(self, error: ValidationError):
        super().__init__(error.messages)
        self.error = error


class WordsColumn(Column):
    """A list column that shows yes/no, nothing, numbers and lists of choices in words."""

    def __init__(self, *args, field=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field = field

    def get_value(self, instance):
        return display.for_people(super().get_value(instance), self.field)


class ReadableColumnsMixin:
    """An admin list whose plain columns read as words (lms/display.py), never True/None."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = WordsColumn
            with contextlib.suppress(FieldDoesNotExist):
                kwargs["field"] = self.model._meta.get_field(field_name)
        return super()._get_custom_column(field_name, column_class, **kwargs)


class ReadableInspectMixin:
    """An inspect view whose values read as words (lms/display.py), never True/None."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, Component):
            return value
        return display.for_people(value, field)


class ScopedIndexView(ReadableColumnsMixin, ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset())


class ScopedCreateView(ServiceSaveMixin, ScopedQuerysetMixin, generic.CreateView):
    pass


class ScopedEditView(ServiceSaveMixin, ManagedObjectMixin, generic.EditView):
    pass


class ScopedDeleteView(ManagedObjectMixin, generic.DeleteView):
    pass


class ScopedInspectView(ReadableInspectMixin, ScopedObjectMixin, generic.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    pass


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    copy_view_enabled = False
    # Wagtail's reference index would add a write per foreign key to every save (a roster
    # import of 10,000 people: tens of thousands), and only once the admin's URLs are loaded.
    # Our models' references are not what the "usage" view is for: page and media usage.
    add_to_reference_index = False
    # Set True when save() takes form= and saves many-to-many fields itself (see ServiceSaveMixin).
    save_takes_form = False

    def scope(self, user):
        """The objects the user may see (list, inspect, history, usage)."""
        raise NotImplementedError

    def manage_scope(self, user):
        """The objects the user may change or delete. Default: everything they may see."""
        return self.scope(user)

    def save(self, request, instance, is_new):
        """Persist through the app's service. Default: no service (plain form save)."""
        return None

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["scope_func"] = self.scope
        return view_kwargs

    def get_add_view_kwargs(self, **kwargs):
        return {
            **super().get_add_view_kwargs(**kwargs),
            "save_func": self._save_or_none(),
            "save_takes_form": self.save_takes_form,
        }

    def get_edit_view_kwargs(self, **kwargs):
        return {
            **super().get_edit_view_kwargs(**kwargs),
            "save_func": self._save_or_none(),
            "save_takes_form": self.save_takes_form,
            "manage_scope_func": self.manage_scope,
        }

    def get_delete_view_kwargs(self, **kwargs):
        return {**super().get_delete_view_kwargs(**kwargs), "manage_scope_func": self.manage_scope}

    def _save_or_none(self):
        return self.save if type(self).save is not ScopedModelViewSet.save else None


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, may add, change or delete through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - {"add", "change", "delete"})


class PlatformAdminWritePolicy(ModelPermissionPolicy):
    """Anyone with the view permission may look; only platform administrators may write."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            from lms.organisations.access import is_platform_admin

            return is_platform_admin(user)
        return super().user_has_permission(user, action)


class ReadOnlyView:
    scope_func = None
    manage_scope_func = None
    save_func = None

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class ReadOnlyCreateView(ReadOnlyView, generic.CreateView):
    pass


class ReadOnlyEditView(ReadOnlyView, generic.EditView):
    pass


class ReadOnlyDeleteView(ReadOnlyView, generic.DeleteView):
    pass


class ReadOnlyScopedModelViewSet(ScopedModelViewSet):
    """List and inspect only: nothing can be added, changed or deleted from the admin."""

    add_view_class = ReadOnlyCreateView
    edit_view_class = ReadOnlyEditView
    delete_view_class = ReadOnlyDeleteView
    inspect_view_enabled = True
    exclude_form_fields = []

    def register_permissions(self):
        register_permission_policy(self.model, ViewOnlyPermissionPolicy(self.model))
        super().register_permissions()


class ScopedForm(WagtailAdminModelForm):
    """A form whose choice fields are limited to the user's scope.

    Subclasses set `scoped_fields = {"field": selector}` with selector(user) -> QuerySet.
    """

    scoped_fields: dict = {}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            for name, selector in self.scoped_fields.items():
                if name in self.fields:
                    self.fields[name].queryset = selector(for_user)
