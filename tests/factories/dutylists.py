from lms.dutylists import services
from lms.organisations.models import Position


def key_position(organisation, name: str = "采购专员", **fields) -> Position:
    return Position.objects.create(organisation=organisation, name=name, is_key=True, **fields)


def write(actor, position, *duties, clause_ids=(), domain_ids=(), note: str = ""):
    """A new version of the position's duty list, written by `actor`."""
    return services.duty_list_revise(
        actor=actor,
        position_id=position.pk,
        items=[
            services.ItemInput(text=text, clause_ids=list(clause_ids), domain_ids=list(domain_ids))
            for text in (duties or ("不收受供应商回扣。",))
        ],
        note=note,
    )
