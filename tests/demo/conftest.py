from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from tests.demo.build import SEED, SIZE
from twoway.demo.services import DemoResult, demo_build


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoResult]:
    """One demo build for every module here (it takes minutes), undone at the end. Each test
    runs in a savepoint inside it, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_build(size=SIZE, seed=SEED)
        transaction.set_rollback(True)
