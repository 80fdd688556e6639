"""The weekly digest: one email per person per organisation per ISO week, listing the titles
with links of what waited for it before the week began; running the sweep again sends nothing;
what arrives during the week waits for the next one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.authz import Actors
from tests.core.factories import MembershipFactory
from tests.notifications.factories import notify, smtp_server
from twoway.notifications.models import BouncedAddress, Delivery, DigestRun
from twoway.notifications.services import digests_send, iso_week, notification_preference_update

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def digest_for(actors: Actors, user: object, organisation: object = None) -> None:
    notification_preference_update(
        actor=user,
        organisation=organisation or actors.organisation,
        email="digest",
        chat=True,
        muted_kinds=[],
    )


def next_week() -> datetime:
    return timezone.now() + timedelta(days=7)


def test_one_digest_per_person_listing_titles_and_links_only(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    digest_for(actors, actors.admin)
    first, second = (
        notify(actors.organisation, actors.participant, title=title)[0]
        for title in ("Quiet pair", "Survey open")
    )
    notify(actors.organisation, actors.admin, title="Admin notice")
    notify(actors.organisation, actors.program_manager, title="Immediate one")  # not digest
    mail.outbox.clear()

    assert digests_send(now=next_week()) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {actors.participant.email, actors.admin.email}
    email = by_recipient[actors.participant.email]
    assert email.subject == "Your weekly Twoway digest: 2 notifications"
    assert email.body.splitlines() == [
        "Your weekly Twoway digest for Acme:",
        "",
        "- Quiet pair",
        f"  {BASE}/o/acme/notifications/{first.pk}/open/",
        "- Survey open",
        f"  {BASE}/o/acme/notifications/{second.pk}/open/",
        "",
        f"To choose which emails you get: {BASE}/o/acme/notifications/preferences/",
    ]
    assert not Delivery.objects.filter(status=Delivery.Status.DIGEST).exists()
    week, _start = iso_week(next_week())
    assert DigestRun.objects.get(user=actors.participant).week == week


def test_running_the_sweep_twice_in_a_week_sends_once(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    assert digests_send(now=next_week()) == 1
    assert digests_send(now=next_week() + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_what_arrives_during_the_week_waits_for_the_next_digest(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    assert digests_send(now=timezone.now()) == 0  # created this week
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.DIGEST
    assert digests_send(now=next_week()) == 1
    # A later notification waits even though a digest went out this week already.
    notify(actors.organisation, actors.participant)
    assert digests_send(now=next_week()) == 0
    assert digests_send(now=next_week() + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_one_digest_per_organisation(actors: Actors) -> None:
    MembershipFactory(organisation=actors.other_organisation, user=actors.participant)
    digest_for(actors, actors.participant)
    digest_for(actors, actors.participant, actors.other_organisation)
    notify(actors.organisation, actors.participant)
    notify(actors.other_organisation, actors.participant, url="/o/globex/")
    assert digests_send(now=next_week()) == 2
    assert sorted(m.body.splitlines()[0] for m in mail.outbox) == [
        "Your weekly Twoway digest for Acme:",
        "Your weekly Twoway digest for Globex:",
    ]


def test_a_bounced_address_gets_no_digest(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    BouncedAddress.objects.create(email=actors.participant.email)
    assert digests_send(now=next_week()) == 0
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_a_digest_the_server_refuses_marks_the_address_bounced(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    with smtp_server(refuse={actors.participant.email: "550 5.1.1 no such user"}):
        assert digests_send(now=next_week()) == 0
    assert BouncedAddress.objects.filter(email=actors.participant.email).exists()
    assert Delivery.objects.get().status == Delivery.Status.BOUNCED
    assert not DigestRun.objects.exists()


def test_a_digest_that_could_not_be_sent_is_tried_again(actors: Actors) -> None:
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    with smtp_server(refuse={actors.participant.email: "451 try later"}) as smtp:
        assert digests_send(now=next_week()) == 0
        assert Delivery.objects.get().status == Delivery.Status.DIGEST
        smtp.refuse.clear()
        assert digests_send(now=next_week()) == 1
        assert len(smtp.messages) == 1


class InTransactionRecorder(locmem.EmailBackend):
    """The test outbox, noting for each message whether a transaction was open when it went."""

    in_transaction: list[bool] = []

    def send_messages(self, messages: Any) -> int:
        self.in_transaction.append(connection.in_atomic_block)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_mail_server_is_contacted(actors: Actors) -> None:
    # On SQLite a transaction is the database's one write lock: held during a slow mail
    # server's answer, it would stall every page that writes.
    digest_for(actors, actors.participant)
    notify(actors.organisation, actors.participant)
    InTransactionRecorder.in_transaction = []
    backend = f"{__name__}.InTransactionRecorder"
    with override_settings(EMAIL_BACKEND=backend):
        assert digests_send(now=next_week()) == 1
    assert InTransactionRecorder.in_transaction == [False]
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert DigestRun.objects.count() == 1
