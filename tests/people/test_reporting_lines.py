from __future__ import annotations

import random

import numpy as np
import pytest

from tests.people.factories import PersonFactory
from twoway.core.errors import ApplicationError
from twoway.people import reporting_lines
from twoway.people.models import Person
from twoway.people.services import person_set_manager


def _chart(organisation):  # type: ignore[no-untyped-def]
    """ceo ← cto ← dev_lead ← dev ; ceo ← cfo"""
    ceo = PersonFactory(organisation=organisation, first_name="Cy")
    cto = PersonFactory(organisation=organisation, first_name="Ty", manager=ceo)
    lead = PersonFactory(organisation=organisation, first_name="Lee", manager=cto)
    dev = PersonFactory(organisation=organisation, first_name="Dev", manager=lead)
    cfo = PersonFactory(organisation=organisation, first_name="Fi", manager=ceo)
    return ceo, cto, lead, dev, cfo


def test_chain_paths_follow_the_reporting_line(db: None) -> None:
    ceo, cto, lead, dev, cfo = _chart(PersonFactory().organisation)
    assert reporting_lines.ancestor_ids(dev.chain_path) == [ceo.pk, cto.pk, lead.pk]
    assert dev.depth == 3 and ceo.depth == 0
    assert reporting_lines.in_chain(dev.pk, dev.chain_path, ceo.pk, ceo.chain_path)
    assert reporting_lines.in_chain(ceo.pk, ceo.chain_path, dev.pk, dev.chain_path)
    assert not reporting_lines.in_chain(dev.pk, dev.chain_path, cfo.pk, cfo.chain_path)


def test_moving_a_manager_moves_the_whole_subtree(db: None) -> None:
    ceo, _cto, lead, dev, cfo = _chart(PersonFactory().organisation)
    person_set_manager(actor=None, person=lead, manager=cfo)
    dev.refresh_from_db()
    assert reporting_lines.ancestor_ids(dev.chain_path) == [ceo.pk, cfo.pk, lead.pk]
    assert dev.manager_id == lead.pk


def test_a_cycle_is_refused_and_named(db: None) -> None:
    _ceo, cto, lead, dev, _cfo = _chart(PersonFactory().organisation)
    with pytest.raises(ApplicationError) as refused:
        person_set_manager(actor=None, person=cto, manager=dev)
    assert str(refused.value).endswith(
        f"{cto.full_name} → {dev.full_name} → {lead.full_name} → {cto.full_name}"
    )
    lead.refresh_from_db()
    assert lead.manager_id == cto.pk  # nothing changed


def test_find_cycle_names_the_loop() -> None:
    assert reporting_lines.find_cycle({"A": "B", "B": "C", "C": "A", "D": None}) == [
        "A",
        "B",
        "C",
        "A",
    ]
    assert reporting_lines.find_cycle({"A": None, "B": "A"}) is None


def test_intervals_agree_with_prefix_test_on_a_random_forest() -> None:
    rng = random.Random(7)
    parents: dict[int, int | None] = {1: None}
    for person_id in range(2, 400):
        parents[person_id] = rng.choice([None, *range(max(1, person_id - 30), person_id)])
    paths = reporting_lines.build_chain_paths(parents)
    ids = list(paths)
    tin, tout = reporting_lines.chain_intervals(ids, [paths[i] for i in ids])
    a = np.array([rng.randrange(len(ids)) for _ in range(3000)])
    b = np.array([rng.randrange(len(ids)) for _ in range(3000)])
    fast = reporting_lines.pairs_in_chain(tin, tout, a, b)
    slow = [
        reporting_lines.in_chain(ids[i], paths[ids[i]], ids[j], paths[ids[j]])
        for i, j in zip(a.tolist(), b.tolist(), strict=True)
    ]
    assert fast.tolist() == slow
    assert any(slow) and not all(slow)


def test_chain_path_is_not_written_by_hand(db: None) -> None:
    person = PersonFactory()
    assert Person._meta.get_field("chain_path").editable is False
    assert person.chain_path == ""
