"""Training plans, saved and audited."""

from django.db import transaction

from lms.audit.services import audited_save


@transaction.atomic
def training_plan_save(*, plan, actor=None):
    audited_save(plan, actor=actor, organisation=plan.organisation, label="training_plan")
    return plan
