"""The demo's Growth Threads, Roadmaps, Communities and recognition, made through their services.

- Growth Threads: the participant login (a junior mentor in the pilot cohort) keeps a journal
  with an entry at each audience — one private, one for their mentorship, one for the program,
  one for the organisation — and colleagues of the pilot write, comment and react.
- Roadmaps: the pilot pair follows the built-in "Generative AI at work" (two steps done by the
  participant, one by their mentee), and the furnished circle a circle curriculum.
- Communities: the organisation's space with a pinned best-practice topic and a conversation
  with a mention, the pilot's program space, and the cross-organisation runners space, which
  Acme and Globex have both opted into, with a question from a Globex program runner.
- Recognition: kudos at several audiences, a story published to the pilot's showcase and one in
  draft, and a finished "spring cohort" in which the participant's mentorship completed — so
  their certificate can be downloaded.

Idempotent like the rest of the demo: each part is skipped when its first row exists.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import User
from twoway.communities.access import access_for
from twoway.communities.models import Topic
from twoway.communities.services import (
    post_reply,
    runners_opt_in,
    space_ensure_organisation,
    space_ensure_program,
    space_ensure_runners,
    topic_create,
    topic_pin,
)
from twoway.core.models import Membership, Organisation, Role
from twoway.core.services import membership_set
from twoway.demo.rooms import PILOT, reverse_cohort
from twoway.demo.services import DEMO_URL, DemoStep
from twoway.mentorships.models import Mentorship, MentorshipMember
from twoway.people.models import Person
from twoway.programs.lifecycle import program_begin_closing, program_close
from twoway.programs.models import Program
from twoway.recognition.models import Kudos, Story
from twoway.recognition.services import kudos_give, story_create, story_publish
from twoway.roadmaps.models import RoadmapAssignment
from twoway.roadmaps.services import roadmap_adopt_builtin, roadmap_assign, step_mark_done
from twoway.rooms.access import Seat
from twoway.rooms.models import Session
from twoway.rooms.services.agreement import agreement_accept, agreement_update
from twoway.threads.models import Entry, Visibility
from twoway.threads.services import comment_create, entry_create, reaction_toggle

SPRING = "Digital reverse mentoring — spring cohort"
RUNNER_EMAIL = "runner@globex.example"


def demo_growth(
    acme: Organisation, globex: Organisation, *, admin: User, manager: User, participant: User
) -> None:
    pilot = Program.objects.filter(organisation=acme, name=PILOT).first()
    mine = _mentorship_of(participant, pilot)
    if pilot is not None and mine is not None:
        _threads(acme, pilot, mine, participant=participant)
        _roadmaps(acme, pilot, mine, manager=manager, participant=participant)
        _kudos_and_stories(acme, pilot, mine, participant=participant)
    _communities(acme, globex, pilot, admin=admin, manager=manager, participant=participant)
    _spring_cohort(acme, manager=manager, participant=participant)


def _membership(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.select_related("organisation").get(
        user=user, organisation=organisation
    )


def _mentorship_of(user: User, program: Program | None) -> Mentorship | None:
    if program is None:
        return None
    return (
        Mentorship.objects.filter(program=program, members__person__user=user)
        .order_by("pk")
        .first()
    )


def _partner(mentorship: Mentorship, user: User) -> MentorshipMember:
    partner = (
        mentorship.members.select_related("person__user")
        .exclude(person__user=user)
        .order_by("pk")
        .first()
    )
    assert partner is not None, "a published pair has two members"
    return partner


def _others_in(program: Program, *, exclude: Mentorship, count: int) -> list[User]:
    """Users of other members of ``program``'s mentorships, for colleagues' entries."""
    users = (
        User.objects.filter(
            pk__in=MentorshipMember.objects.filter(mentorship__program=program)
            .exclude(mentorship=exclude)
            .exclude(person__user__isnull=True)
            .values("person__user")
        )
        .order_by("pk")
        .distinct()
    )
    return list(users[:count])


JOURNAL = [
    (
        Visibility.PRIVATE,
        "Nervous before teaching a senior leader",
        "Tomorrow I show the head of operations how I use short video. Honest worry: that "
        "they think it is a waste of time. Plan: start with *their* goal (hiring), not mine.",
        "ask_next",
    ),
    (
        Visibility.MENTORSHIPS,
        "What we tried: a 30-second hiring video",
        "We recorded one take on a phone, captions on, posted to the careers page.\n\n"
        "- the hook in the first two seconds mattered most\n- comments came from people "
        "we had never reached\n\nNext: a reply video to the best question.",
        "try_next",
    ),
    (
        Visibility.PROGRAM,
        "Reverse mentoring works both ways",
        "I came to teach social media and left with a lesson in how budget decisions get "
        "made: bring the numbers *and* the story. Other mentors in the cohort: what did "
        "your leader teach you back?",
        "taught_surprise",
    ),
    (
        Visibility.ORGANISATION,
        "Three things I learned about how decisions get made",
        "1. A proposal needs an owner on the leadership team before the meeting.\n"
        "2. Short beats complete: one page, one ask.\n"
        "3. Asking *what would make this a yes?* is not rude.",
        "",
    ),
]
COLLEAGUE_ENTRIES = [
    (
        Visibility.ORGANISATION,
        "My mentor showed me generative AI for meeting notes",
        "Two weeks in, I let an assistant draft my meeting summaries and edit them myself. "
        "Saves about an hour a week; I still check every number.",
    ),
    (
        Visibility.PROGRAM,
        "Gen Z customers do not read the website",
        "They ask friends and watch reviews. My junior mentor walked me through three "
        "real examples from our own category.",
    ),
    (
        Visibility.ORGANISATION,
        "Inclusive meetings: the small changes",
        "Agenda the day before, quiet people first in the round, decisions written down. "
        "Simple, and our team meeting feels different already.",
    ),
]


def _threads(
    organisation: Organisation, pilot: Program, mine: Mentorship, *, participant: User
) -> None:
    me = _membership(participant, organisation)
    if Entry.objects.filter(organisation=organisation, author__user=participant).exists():
        return
    session = Session.objects.filter(mentorship=mine).order_by("starts_at").first()
    for visibility, title, body, prompt in JOURNAL:
        entry_create(
            membership=me,
            title=title,
            body=body,
            visibility=visibility,
            program_id=pilot.pk,
            session_id=session.pk if session and prompt else None,
            prompt=prompt,
        )
    mine_public = Entry.objects.filter(
        organisation=organisation, author__user=participant, visibility=Visibility.ORGANISATION
    ).first()
    colleagues = _others_in(pilot, exclude=mine, count=len(COLLEAGUE_ENTRIES))
    for user, (visibility, title, body) in zip(colleagues, COLLEAGUE_ENTRIES, strict=False):
        colleague = _membership(user, organisation)
        entry = entry_create(
            membership=colleague, title=title, body=body, visibility=visibility, program_id=pilot.pk
        )
        comment_create(
            membership=me,
            entry_id=entry.pk,
            body="Thank you for writing this down — trying it this week.",
            base_url=DEMO_URL,
        )
        reaction_toggle(membership=me, entry_id=entry.pk, kind="insight")
        if mine_public is not None:
            reaction_toggle(membership=colleague, entry_id=mine_public.pk, kind="applause")
            comment_create(
                membership=colleague,
                entry_id=mine_public.pk,
                body="Point 3 is the one I needed. Thank you!",
                base_url=DEMO_URL,
            )


def _roadmaps(
    organisation: Organisation,
    pilot: Program,
    mine: Mentorship,
    *,
    manager: User,
    participant: User,
) -> None:
    if RoadmapAssignment.objects.filter(mentorship=mine).exists():
        return
    managing = _membership(manager, organisation)
    roadmap = roadmap_adopt_builtin(membership=managing, key="generative_ai_at_work")
    assignment = roadmap_assign(membership=managing, mentorship=mine, roadmap=roadmap)
    steps = list(assignment.version.steps.order_by("position"))
    members = {m.person.user_id: m for m in mine.members.select_related("person")}
    my_seat = Seat(mentorship=mine, member=members[participant.pk])
    for step in steps[:2]:
        step_mark_done(seat=my_seat, assignment=assignment, step=step)
    partner = _partner(mine, participant)
    step_mark_done(seat=Seat(mentorship=mine, member=partner), assignment=assignment, step=steps[0])
    circle = (
        Mentorship.objects.filter(organisation=organisation, kind=Mentorship.Kind.CIRCLE)
        .exclude(status=Mentorship.Status.AGREEMENT_PENDING)
        .order_by("pk")
        .first()
    )
    if circle is not None:
        curriculum = roadmap_adopt_builtin(
            membership=managing, key="circle_multigenerational_workplace"
        )
        roadmap_assign(membership=managing, mentorship=circle, roadmap=curriculum)


def _kudos_and_stories(
    organisation: Organisation, pilot: Program, mine: Mentorship, *, participant: User
) -> None:
    if Kudos.objects.filter(organisation=organisation, mentorship=mine).exists():
        return
    me = _membership(participant, organisation)
    partner = _partner(mine, participant)
    if partner.person.user is not None:
        leader = _membership(partner.person.user, organisation)
        kudos_give(
            membership=leader,
            receiver=Person.objects.get(organisation=organisation, user=participant),
            message="You made short video feel possible for me. Thank you for your patience.",
            visibility=Visibility.MENTORSHIPS,
            mentorship=mine,
            base_url=DEMO_URL,
        )
        story = story_create(
            membership=leader,
            program=pilot,
            title="What a junior colleague taught me about our customers",
            body=(
                "I joined the pilot expecting to give advice. Instead I learned how our "
                "younger customers find us — and how little of it happens on our website.\n\n"
                "**What changed:** our team now posts one short video a month, and I answer "
                "the comments myself."
            ),
        )
        story_publish(membership=leader, story=story)
    kudos_give(
        membership=me,
        receiver=partner.person,
        message="Thank you for the honest feedback on my budget proposal.",
        visibility=Visibility.PRIVATE,
        mentorship=mine,
        base_url=DEMO_URL,
    )
    if not Story.objects.filter(organisation=organisation, author__user=participant).exists():
        story_create(
            membership=me,
            program=pilot,
            title="Teaching up",
            body="A draft: what it is like to mentor someone three levels above you.",
        )


def _communities(
    acme: Organisation,
    globex: Organisation,
    pilot: Program | None,
    *,
    admin: User,
    manager: User,
    participant: User,
) -> None:
    space = space_ensure_organisation(organisation=acme)
    if Topic.objects.filter(space=space).exists():
        return
    admin_m, manager_m, me = (
        _membership(admin, acme),
        _membership(manager, acme),
        _membership(participant, acme),
    )
    library = topic_create(
        access=access_for(admin_m, space),
        title="Best practice: the first three sessions of a reverse mentorship",
        body=(
            "1. **Kickoff:** agree confidentiality out loud, then swap what each of you wants "
            "to learn.\n2. **Show me your digital world:** the junior mentor's phone, live.\n"
            "3. **Reverse feedback:** one honest observation each way.\n\n"
            "Add what worked for you below."
        ),
        base_url=DEMO_URL,
    )
    topic_pin(access=access_for(admin_m, space), topic=library)
    question = topic_create(
        access=access_for(me, space),
        title="How do you keep sessions going when calendars get busy?",
        body="Our pair slipped two weeks in a row. What rhythm works for you?",
        base_url=DEMO_URL,
    )
    post_reply(
        access=access_for(manager_m, space),
        topic=question,
        body=(
            f"@{participant.display_name} a standing 30-minute slot after the Monday stand-up "
            "worked for most pairs last year — short beats skipped."
        ),
        base_url=DEMO_URL,
    )
    post_reply(
        access=access_for(me, space),
        topic=question,
        body="Thanks — we moved ours to Mondays too.",
        base_url=DEMO_URL,
    )
    if pilot is not None:
        program_space = space_ensure_program(program=pilot)
        topic_create(
            access=access_for(manager_m, program_space),
            title="Mid-point check-in: share one thing that surprised you",
            body="Half-way through the pilot. One line each: what surprised you so far?",
            base_url=DEMO_URL,
        )
    # The runners space: Acme and Globex opt in; a Globex program runner asks a question.
    runners = space_ensure_runners()
    runners_opt_in(actor=admin_m)
    runner = _globex_runner(globex)
    runners_opt_in(actor=runner)
    if not Topic.objects.filter(space=runners).exists():
        topic = topic_create(
            access=access_for(runner, runners),
            title="How do you recruit senior leaders into reverse mentoring?",
            body=(
                "We launch next quarter. Did invitations from the CEO work better than open "
                "sign-up for the leaders' side?"
            ),
            base_url=DEMO_URL,
        )
        post_reply(
            access=access_for(manager_m, runners),
            topic=topic,
            body=(
                "Personal invitations, with the first session booked in the invitation. "
                "Open sign-up filled the junior side in a day and the senior side never."
            ),
            base_url=DEMO_URL,
        )


def _globex_runner(globex: Organisation) -> Membership:
    """A program runner at Globex (no demo login; the author of their runners-space posts)."""
    user = User.objects.filter(email=RUNNER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=RUNNER_EMAIL, password=None)
    user.display_name = "Mina Okafor"
    user.save(update_fields=["display_name"])
    return membership_set(organisation=globex, user=user, role=Role.ADMIN)


def _spring_cohort(organisation: Organisation, *, manager: User, participant: User) -> None:
    """An earlier cohort that has finished: the participant's mentorship in it completed."""
    program = reverse_cohort(
        organisation, name=SPRING, pairs=3, manager=manager, mentor=participant, seed=3
    )
    if program is None:
        return
    for mentorship in Mentorship.objects.filter(program=program).prefetch_related("members"):
        members = list(mentorship.members.all())
        for member in members:
            seat = Seat(mentorship=mentorship, member=member)
            agreement_update(
                seat=seat,
                wants_to_learn="How the other generation works, first hand.",
                offers="An honest view of my own.",
            )
        for member in members:
            agreement_accept(seat=Seat(mentorship=mentorship, member=member))
    # It ran from January to the end of spring.
    now = timezone.now()
    Mentorship.objects.filter(program=program).update(
        started_at=now - dt.timedelta(days=300), ends_on=(now - dt.timedelta(days=30)).date()
    )
    program = program_begin_closing(actor=manager, program=program)
    program_close(actor=manager, program=program)


def growth_guide(
    organisation: Organisation, *, admin: User, manager: User, participant: User
) -> list[DemoStep]:
    """Where to look at Growth Threads, Roadmaps, Communities and recognition."""
    slug = organisation.slug
    steps = [
        DemoStep(
            login=participant.email,
            what=(
                "read your Growth Thread (Growth in the menu): an entry for each audience, "
                "the organisation feed with comments and reactions, kudos and celebrations"
            ),
            path=reverse("threads:home", kwargs={"org_slug": slug}),
        ),
        DemoStep(
            login=participant.email,
            what=(
                "your pair's roadmap in the room (progress bar, next step), the built-in "
                "library under Roadmaps"
            ),
            path=reverse("roadmaps:library", kwargs={"org_slug": slug}),
        ),
        DemoStep(
            login=participant.email,
            what=(
                "Kudos and stories: kudos received, the pilot's showcase, and the certificate "
                "of the completed spring cohort (PDF)"
            ),
            path=reverse("recognition:home", kwargs={"org_slug": slug}),
        ),
        DemoStep(
            login=manager.email,
            what=(
                "Communities: the organisation's space with its best-practice library, and "
                "the program runners' space shared with Globex (names and organisations only)"
            ),
            path=reverse("communities:home", kwargs={"org_slug": slug}),
        ),
    ]
    pilot = Program.objects.filter(organisation=organisation, name=PILOT).first()
    if pilot is not None:
        steps.append(
            DemoStep(
                login=manager.email,
                what=(
                    "Growth Threads activity of the pilot as its manager: counts per audience, "
                    "never the text"
                ),
                path=reverse(
                    "threads:program_counts", kwargs={"org_slug": slug, "program_id": pilot.pk}
                ),
            )
        )
    return steps
