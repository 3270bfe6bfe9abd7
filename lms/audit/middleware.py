from .context import RequestContext, client_ip, current


class AuditContextMiddleware:
    """Makes the request's user and address available to audit_record() in services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(
            RequestContext(user=getattr(request, "user", None), ip_address=client_ip(request))
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
