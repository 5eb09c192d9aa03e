from __future__ import annotations

from event_ops.employers.tables import Employer, Stand
from event_ops.errors import DomainError
from event_ops.events.tables import Event


async def add_employer(
    event: Event,
    *,
    name: str,
    stand_label: str | None = None,
    sector: str = "",
    is_training_provider: bool = False,
) -> Employer:
    name = name.strip()
    if not name:
        raise DomainError("bad_name", "The employer needs a name.", field="name")
    stand_id = None
    if stand_label:
        stand = (
            await Stand.objects()
            .where((Stand.event == event.id) & (Stand.label == stand_label))
            .first()
        )
        if stand is None:
            stand = Stand(event=event.id, label=stand_label)
            await stand.save()
        stand_id = stand.id
    employer = Employer(
        event=event.id,
        name=name,
        sector=sector,
        stand=stand_id,
        is_training_provider=is_training_provider,
    )
    await employer.save()
    return employer
