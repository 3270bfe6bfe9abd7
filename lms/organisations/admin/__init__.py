"""The Wagtail admin's People menu, registered in wagtail_hooks.py: `forms` (scoped choices),
`people` (organisations, jurisdictions, departments, positions, staff), `appointments` (request,
decide) and `roster` (import and export)."""
