"""The OpenAPI schema describes the HR API only (/api/v1/): Wagtail's own admin API views are
not ours to document, and drf-spectacular's deploy check builds the schema of every URL unless
this hook narrows it."""

HR_API_PREFIX = "/api/v1/"


def hr_api_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(HR_API_PREFIX)]
