"""The HR API's endpoints (/api/v1/): thin views over the selectors and one service.

Every endpoint needs an organisation's key and reads or writes that organisation only: another
organisation's record answers 404, as if it did not exist. Lists page by cursor (`cursor`,
`page_size` up to 1,000) in id order and take `updated_since` (ISO 8601) to fetch only what
changed."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.refusals import Refused

from . import selectors, serializers, services
from .api import ApiKeyAuthentication, ApiKeyRateThrottle, ByIdCursor, HasApiKeyScope

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this moment (ISO 8601, e.g. "
    "2026-01-31T08:00:00+08:00). What counts as a change differs by record: see updated_at.",
)
AUDITED_QUERY = ("updated_since", "page_size")


class KeyedView:
    """Authentication, scope, rate limit and the audit entry, for every endpoint."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKeyScope]
    throttle_classes = [ApiKeyRateThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        api_key = getattr(request, "auth", None)
        if api_key is not None and not isinstance(api_key, str):
            services.api_key_used(api_key=api_key)
            services.api_call_record(
                api_key=api_key,
                method=request.method,
                path=request.path,
                status=response.status_code,
                query={
                    k: request.query_params[k] for k in AUDITED_QUERY if k in request.query_params
                },
            )
        return response


class RecordList(KeyedView, generics.ListAPIView):
    pagination_class = ByIdCursor

    def records(self):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        fields = serializers.plain_fields(self.get_serializer_class())
        columns = {source for _, source, _ in fields} | {"id"}
        page = self.paginate_queryset(self.get_queryset().values(*columns))
        return self.get_paginated_response(serializers.plain_rows(fields, page))

    def get_queryset(self):
        queryset = self.records()
        since = self.request.query_params.get("updated_since")
        if since:
            moment = parse_datetime(since)
            if moment is None:
                raise exceptions.ValidationError(
                    {
                        "updated_since": _(
                            "Give a date and time in ISO 8601, e.g. 2026-01-31T08:00:00+08:00."
                        )
                    }
                )
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            queryset = queryset.filter(changed_at__gte=moment)
        return queryset


class RecordDetail(KeyedView, generics.RetrieveAPIView):
    def records(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.records()


def _resource(name: str, serializer, select, what: str):
    def records(self):
        return select(self.request.auth)

    doc = f"The organisation's {what}."
    listing = type(
        f"{name}List",
        (RecordList,),
        {"serializer_class": serializer, "records": records, "__doc__": doc},
    )
    listing = extend_schema_view(
        get=extend_schema(parameters=[UPDATED_SINCE], operation_id=f"{name.lower()}_list")
    )(listing)
    detail = type(
        f"{name}Detail",
        (RecordDetail,),
        {"serializer_class": serializer, "records": records, "__doc__": doc},
    )
    detail = extend_schema_view(get=extend_schema(operation_id=f"{name.lower()}_detail"))(detail)
    return listing, detail


EnrolmentList, EnrolmentDetail = _resource(
    "Enrolment",
    serializers.EnrolmentSerializer,
    selectors.enrolments_for_key,
    "enrolments (courses its people are to take); updated_at: the latest of assignment, "
    "completion and waiver",
)
ResultList, ResultDetail = _resource(
    "Result",
    serializers.ExamResultSerializer,
    selectors.results_for_key,
    "final exam results of its own exams; updated_at: when the result became final",
)
CertificateList, CertificateDetail = _resource(
    "Certificate",
    serializers.CertificateSerializer,
    selectors.certificates_for_key,
    "certificates it issued to its people; updated_at: the latest of issue and revocation",
)
AppraisalList, AppraisalDetail = _resource(
    "Appraisal",
    serializers.AppraisalSerializer,
    selectors.appraisals_for_key,
    "yearly appraisals of its closed years, every version; updated_at: when the version was made",
)
LedgerEntryList, LedgerEntryDetail = _resource(
    "LedgerEntry",
    serializers.LedgerEntrySerializer,
    selectors.ledger_entries_for_key,
    "performance ledger entries (append-only; corrections are reversing entries); "
    "updated_at: when the entry was made",
)


class RosterBatch(KeyedView, APIView):
    """Add or update people on the roster, as a roster file would: the same checks, and all or
    nothing (a batch with one bad row saves nothing and names the row). Needs a write key."""

    @extend_schema(
        request=serializers.RosterBatchSerializer,
        responses={
            200: serializers.RosterBatchResultSerializer,
            400: serializers.RosterBatchResultSerializer,
        },
        operation_id="roster_upsert",
    )
    def post(self, request):
        batch = serializers.RosterBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        try:
            result = services.roster_batch_upsert(
                api_key=request.auth, rows=batch.validated_data["people"]
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        except Refused as exc:
            return Response({"detail": exc.message}, status=exc.status)
        body = serializers.RosterBatchResultSerializer(result).data
        if not result.ok:
            body["detail"] = _(
                "Nothing was saved: correct the rows named and send the batch again."
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(body)
