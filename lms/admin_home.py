"""The Wagtail admin's home page: what is waiting for the signed-in administrator.

Apps register their counts with `lms.navigation.register_admin_todo`; the panel lists those that
are not zero, each linking to where the work is done.
"""

from wagtail.admin.ui.components import Component

from .navigation import admin_todos


class AdminTodoPanel(Component):
    name = "admin_todos"
    order = 50  # above Wagtail's own panels
    template_name = "lms/admin/todo_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"todos": admin_todos(self.request.user)}
