"""Sign-up: it never tells a stranger who has an account where, and a directory entry is
claimed only once its email address is verified."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import last_mail_to, links_in
from tests.authz import Actors
from tests.people.factories import PersonFactory
from twoway.accounts.models import User
from twoway.core.models import Membership, Role
from twoway.people.models import Person

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client: Client, email: str) -> tuple[int, str, str]:
    """Submit the sign-up form; returns the status, the redirect and the page it leads to."""
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    location = response.get("Location", "")
    page = client.get(location).content.decode() if location else response.content.decode()
    return response.status_code, location, page


def test_signing_up_with_a_taken_email_looks_like_a_new_sign_up(actors: Actors) -> None:
    # Given an admin of Globex whose address is verified
    taken = actors.outsider.email
    EmailAddress.objects.create(user=actors.outsider, email=taken, verified=True, primary=True)

    # When a stranger signs up with a fresh address, and then with the taken one
    fresh = sign_up(Client(), "someone.new@example.test")
    taken_result = sign_up(Client(), taken)

    # Then both land on the same "verify your email" page
    assert fresh[0] == taken_result[0] == 302
    assert fresh[1] == taken_result[1] == reverse("account_email_verification_sent")
    assert "Verify Your Email Address" in taken_result[2]
    # ...no second account was made, and nothing names the organisation behind the address
    assert User.objects.filter(email__iexact=taken).count() == 1
    assert "Globex" not in taken_result[2]
    assert "globex" not in taken_result[2].lower()
    # The owner of the address is told by email (not the visitor on screen); that mail too says
    # nothing about where the account belongs.
    notice = last_mail_to(taken)
    assert "already exists" in str(notice.body)
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        assert "globex" not in text
        assert "acme" not in text


def test_a_directory_entry_is_linked_only_after_the_email_is_verified(actors: Actors) -> None:
    # Given a directory entry in Acme for an address nobody has signed up with yet
    person = PersonFactory(organisation=actors.organisation, email="Dana.Reyes@example.test")
    client = Client()

    # When Dana signs up with that address
    status, _, _ = sign_up(client, "dana.reyes@example.test")
    assert status == 302
    user = User.objects.get(email__iexact="dana.reyes@example.test")

    # Then, before verification, nothing is linked and Dana belongs to no organisation
    person.refresh_from_db()
    assert person.user is None
    assert not Membership.objects.filter(user=user).exists()

    # When Dana follows the verification link and confirms
    confirm_path = next(p for p in links_in(last_mail_to(user.email)) if "confirm-email" in p)
    assert client.get(confirm_path).status_code == 200
    client.post(confirm_path)

    # Then the directory entry is Dana's and Dana is a participant of Acme (only)
    person.refresh_from_db()
    assert person.user == user
    memberships = list(Membership.objects.filter(user=user))
    assert [(m.organisation, m.role) for m in memberships] == [
        (actors.organisation, Role.PARTICIPANT)
    ]
    assert EmailAddress.objects.get(user=user).verified


def test_an_unverified_account_cannot_claim_an_entry_by_logging_in(actors: Actors) -> None:
    # Given an unverified sign-up for an address that is in Acme's directory
    person = PersonFactory(organisation=actors.organisation, email="sam.lee@example.test")
    sign_up(Client(), "sam.lee@example.test")

    # When they try to log in without verifying
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "sam.lee@example.test", "password": NEW_PASSWORD}
    )

    # Then they are sent to verify, are not signed in, and the entry stays unclaimed
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert Person.objects.get(pk=person.pk).user is None
