"""The built-in roadmap library: learning paths every organisation gets, kept in code.

An organisation uses one by adopting it (``services.roadmap_adopt_builtin``), which copies it into
its own rows (version 1) so that later changes to this file never alter a path a pair follows.
Agenda keys name built-in agendas of ``twoway.rooms.agendas``.
"""

from __future__ import annotations

from dataclasses import dataclass

from twoway.programs.models import Format


@dataclass(frozen=True)
class BuiltinResource:
    title: str
    url: str


@dataclass(frozen=True)
class BuiltinStep:
    title: str
    description: str  # Markdown
    effort_minutes: int
    agenda_key: str
    resources: tuple[BuiltinResource, ...] = ()


@dataclass(frozen=True)
class BuiltinRoadmap:
    key: str
    title: str
    summary: str
    formats: tuple[str, ...]
    steps: tuple[BuiltinStep, ...]


REVERSE = (Format.REVERSE.value, Format.MULTIGENERATIONAL.value)
CIRCLES = (Format.CIRCLE.value, Format.MULTIGENERATIONAL.value)

BUILTIN_ROADMAPS: tuple[BuiltinRoadmap, ...] = (
    BuiltinRoadmap(
        key="social_media_for_leaders",
        title="Social media for leaders",
        summary="A junior mentor helps a leader find a voice on professional social media.",
        formats=REVERSE,
        steps=(
            BuiltinStep(
                title="Where your audience actually is",
                description=(
                    "The mentor shows the three or four platforms people of their age use, "
                    "and what each one is *for*: news, careers, entertainment, community.\n\n"
                    "- Scroll a feed together; name what makes a post worth stopping for.\n"
                    "- The leader writes down who they want to reach (staff, customers, "
                    "candidates, peers) and which platform reaches them."
                ),
                effort_minutes=60,
                agenda_key="digital_world",
                resources=(
                    BuiltinResource(
                        "LinkedIn Help Center", "https://www.linkedin.com/help/linkedin"
                    ),
                ),
            ),
            BuiltinStep(
                title="Tidy up the profile",
                description=(
                    "Work side by side on the leader's profile: a current photo, a headline "
                    "that says what they care about rather than their job title, and an "
                    "*About* section in the first person.\n\n"
                    "Check the privacy settings together before anything else."
                ),
                effort_minutes=45,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="Your first three posts",
                description=(
                    "Draft three short posts in the session: one sharing something the team "
                    "achieved (credit people by name), one lesson learned, one question to the "
                    "network.\n\n"
                    "The mentor gives honest feedback on tone: does it sound like a press "
                    "release or like a person?"
                ),
                effort_minutes=60,
                agenda_key="reverse_feedback",
            ),
            BuiltinStep(
                title="Comments, replies and the hard moments",
                description=(
                    "Most reach comes from conversations, not broadcasts. Practise replying "
                    "to comments, including a critical one.\n\n"
                    "Agree a personal rule for what the leader will never post about "
                    "(confidential matters, colleagues without consent, anything said in anger)."
                ),
                effort_minutes=45,
                agenda_key="reverse_feedback",
            ),
            BuiltinStep(
                title="A rhythm you can keep",
                description=(
                    "Look back at what the posts did. Agree a realistic rhythm (for example "
                    "one post and five thoughtful comments a week) and who, if anyone, helps "
                    "with drafts. Close with what each of you learned from the other."
                ),
                effort_minutes=45,
                agenda_key="closing",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="generative_ai_at_work",
        title="Generative AI at work",
        summary="Hands-on use of AI assistants, with judgement about where they help and harm.",
        formats=REVERSE,
        steps=(
            BuiltinStep(
                title="What these tools are, and are not",
                description=(
                    "The mentor demonstrates an AI assistant the organisation allows, on a "
                    "real but non-confidential task (summarising a public report, drafting an "
                    "agenda).\n\n"
                    "Talk about how it works in plain words: it predicts plausible text; it "
                    "can be confidently wrong."
                ),
                effort_minutes=60,
                agenda_key="digital_world",
                resources=(
                    BuiltinResource(
                        "Generative artificial intelligence (Wikipedia)",
                        "https://en.wikipedia.org/wiki/Generative_artificial_intelligence",
                    ),
                ),
            ),
            BuiltinStep(
                title="Prompting by doing",
                description=(
                    "The leader drives; the mentor coaches. Try the same request three ways: "
                    "bare, with context and a role, with an example of the wanted output.\n\n"
                    "Compare results and keep the prompts that worked in a shared note."
                ),
                effort_minutes=60,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="Risks: data, bias and made-up facts",
                description=(
                    "Read the organisation's AI policy together. Which data must never be "
                    "pasted into a tool? Test the assistant on a question you know the answer "
                    "to and look for invented details.\n\n"
                    "Discuss where bias could creep into decisions the leader's team makes."
                ),
                effort_minutes=45,
                agenda_key="round_table",
                resources=(
                    BuiltinResource(
                        "NIST AI Risk Management Framework",
                        "https://www.nist.gov/itl/ai-risk-management-framework",
                    ),
                ),
            ),
            BuiltinStep(
                title="One workflow, improved",
                description=(
                    "Pick one recurring task of the leader's week (meeting notes, first drafts "
                    "of updates, research) and redesign it with AI help and a human check. "
                    "Try it for two weeks."
                ),
                effort_minutes=90,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="What changes for the team",
                description=(
                    "Review the two-week experiment. Then the mentor shares how their peers "
                    "use these tools, openly or quietly, and what would help them use them "
                    "well. The leader decides one thing to change in how the team is supported."
                ),
                effort_minutes=60,
                agenda_key="retrospective",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="understanding_gen_z_customers",
        title="Understanding Gen Z customers",
        summary="How a younger generation discovers, chooses and talks about products.",
        formats=REVERSE,
        steps=(
            BuiltinStep(
                title="A week in my digital life",
                description=(
                    "Before the session the mentor notes every brand they noticed for a week "
                    "and where. Together, walk through the list: what was an ad, what was a "
                    "friend, what was a creator?"
                ),
                effort_minutes=60,
                agenda_key="digital_world",
                resources=(
                    BuiltinResource(
                        "Generation Z (Wikipedia)", "https://en.wikipedia.org/wiki/Generation_Z"
                    ),
                ),
            ),
            BuiltinStep(
                title="How a purchase really happens",
                description=(
                    "Reconstruct one real purchase of the mentor's from first spark to "
                    "checkout: searches, reviews, short videos, friends asked. Compare it "
                    "with the journey your organisation assumes in its plans."
                ),
                effort_minutes=60,
                agenda_key="round_table",
            ),
            BuiltinStep(
                title="Values, trust and what puts people off",
                description=(
                    "Discuss what makes a brand trustworthy or embarrassing to the mentor's "
                    "peers: tone, sustainability claims, how it treats staff, how it answers "
                    "criticism.\n\n"
                    "Look at your own organisation's channels through that lens."
                ),
                effort_minutes=45,
                agenda_key="reverse_feedback",
            ),
            BuiltinStep(
                title="Test an idea with real people",
                description=(
                    "The leader brings one product or message idea. The mentor asks three "
                    "friends what they think (with the idea described in general terms, "
                    "nothing confidential) and reports back verbatim."
                ),
                effort_minutes=90,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="What we will do differently",
                description=(
                    "Agree two concrete changes the leader will take to their team, and how "
                    "they will know in three months whether they worked."
                ),
                effort_minutes=45,
                agenda_key="closing",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="inclusive_leadership_basics",
        title="Inclusive leadership basics",
        summary="Seeing the team through other eyes, and small habits that include everyone.",
        formats=(Format.REVERSE.value, Format.CLASSIC.value, Format.MULTIGENERATIONAL.value),
        steps=(
            BuiltinStep(
                title="Agree how to talk about this safely",
                description=(
                    "Inclusion conversations need trust. Agree what stays between you, that "
                    "either of you can pause a topic, and that the mentor's feedback is a "
                    "gift, not an accusation."
                ),
                effort_minutes=45,
                agenda_key="kickoff",
            ),
            BuiltinStep(
                title="Blind spots",
                description=(
                    "Each of you takes an implicit association test privately and shares "
                    "only what surprised you. Talk about where quick judgements show up at "
                    "work: hiring, who gets the stretch project, who is interrupted."
                ),
                effort_minutes=60,
                agenda_key="round_table",
                resources=(
                    BuiltinResource("Project Implicit", "https://implicit.harvard.edu/implicit/"),
                ),
            ),
            BuiltinStep(
                title="Meetings where everyone speaks",
                description=(
                    "The mentor observes (or recalls) one of the leader's meetings: who "
                    "spoke, who did not, whose ideas were credited to someone else.\n\n"
                    "Try one technique next time: a round, written input first, or a rotating "
                    "chair."
                ),
                effort_minutes=60,
                agenda_key="reverse_feedback",
            ),
            BuiltinStep(
                title="Accessible by default",
                description=(
                    "Check a document and a slide deck the leader sends out for contrast, "
                    "headings, alt text and plain language. Small fixes include a lot of people."
                ),
                effort_minutes=45,
                agenda_key="skill_demo",
                resources=(
                    BuiltinResource(
                        "W3C: Introduction to Web Accessibility",
                        "https://www.w3.org/WAI/fundamentals/accessibility-intro/",
                    ),
                ),
            ),
            BuiltinStep(
                title="A personal commitment",
                description=(
                    "The leader names one habit to keep and asks two people on the team for "
                    "feedback on it in a month. Close by sharing what each of you learned."
                ),
                effort_minutes=30,
                agenda_key="closing",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="modern_collaboration_tools",
        title="Modern collaboration tools",
        summary="Chat, shared documents and boards: working in the open without drowning.",
        formats=REVERSE,
        steps=(
            BuiltinStep(
                title="Tour of the tools we already have",
                description=(
                    "Many organisations already pay for tools leaders never open. The mentor "
                    "shows how they and their team use chat channels, shared documents and "
                    "task boards day to day."
                ),
                effort_minutes=60,
                agenda_key="digital_world",
                resources=(
                    BuiltinResource(
                        "Collaborative software (Wikipedia)",
                        "https://en.wikipedia.org/wiki/Collaborative_software",
                    ),
                ),
            ),
            BuiltinStep(
                title="From e-mail threads to channels",
                description=(
                    "Move one recurring e-mail conversation into a channel together. Agree "
                    "conventions: threads for replies, mentions only when needed, status "
                    'instead of "are you there?".'
                ),
                effort_minutes=45,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="Writing together in one document",
                description=(
                    "Co-edit a real document live: comments, suggestions, version history. "
                    "Discuss when a meeting can become a shared document instead."
                ),
                effort_minutes=45,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="Making work visible on a board",
                description=(
                    "Set up a simple board (to do, doing, done) for one of the leader's "
                    "projects and review it at the next session."
                ),
                effort_minutes=60,
                agenda_key="skill_demo",
                resources=(
                    BuiltinResource(
                        "Kanban board (Wikipedia)", "https://en.wikipedia.org/wiki/Kanban_board"
                    ),
                ),
            ),
            BuiltinStep(
                title="Focus and boundaries",
                description=(
                    "Notifications, quiet hours and response-time expectations: agree what "
                    "the leader will model for the team so that always-on does not become "
                    "the norm."
                ),
                effort_minutes=45,
                agenda_key="retrospective",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="circle_multigenerational_workplace",
        title="Circle: navigating a multigenerational workplace",
        summary="A circle curriculum for colleagues of different generations to learn together.",
        formats=CIRCLES,
        steps=(
            BuiltinStep(
                title="Our working lives so far",
                description=(
                    "Each member tells the story of their first job in three minutes: the "
                    "tools, the rules, what a good boss looked like. Note the differences "
                    "without judging them."
                ),
                effort_minutes=60,
                agenda_key="kickoff",
            ),
            BuiltinStep(
                title="Stereotypes, tested",
                description=(
                    "List the stereotypes each generation hears about itself. For each, "
                    "share one example that confirms it and one that breaks it."
                ),
                effort_minutes=60,
                agenda_key="round_table",
                resources=(
                    BuiltinResource(
                        "Generation (Wikipedia)", "https://en.wikipedia.org/wiki/Generation"
                    ),
                ),
            ),
            BuiltinStep(
                title="Skill swap",
                description=(
                    "Every member teaches the circle one thing in ten minutes: a tool, a "
                    "negotiation trick, a way to write a hard e-mail. Everyone teaches; "
                    "everyone learns."
                ),
                effort_minutes=90,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="Feedback across generations",
                description=(
                    "How does each of us like to receive feedback, and how often? Practise "
                    "in pairs with a real, low-stakes situation."
                ),
                effort_minutes=60,
                agenda_key="round_table",
            ),
            BuiltinStep(
                title="What we take back to our teams",
                description=(
                    "Each member commits to one change in how they work with colleagues of "
                    "another generation, and the circle agrees how to check in on it."
                ),
                effort_minutes=45,
                agenda_key="closing",
            ),
        ),
    ),
    BuiltinRoadmap(
        key="circle_career_growth",
        title="Circle: career growth",
        summary="A circle curriculum on taking charge of one's career, with peers for support.",
        formats=CIRCLES,
        steps=(
            BuiltinStep(
                title="Where I am, where I want to go",
                description=(
                    "Each member shares a short career timeline and one direction they are "
                    "curious about. The circle asks questions; nobody gives advice yet."
                ),
                effort_minutes=60,
                agenda_key="kickoff",
                resources=(
                    BuiltinResource(
                        "Career development (Wikipedia)",
                        "https://en.wikipedia.org/wiki/Career_development",
                    ),
                ),
            ),
            BuiltinStep(
                title="Strengths others see",
                description=(
                    "Before the session, each member asks three colleagues: *when have you "
                    "seen me at my best?* Share the answers and look for patterns."
                ),
                effort_minutes=60,
                agenda_key="round_table",
            ),
            BuiltinStep(
                title="Networks and sponsors",
                description=(
                    "Map who knows your work, who would speak up for you, and who you have "
                    "never met but should. Each member picks one person to reach out to."
                ),
                effort_minutes=60,
                agenda_key="round_table",
            ),
            BuiltinStep(
                title="The growth conversation with your manager",
                description=(
                    "Role-play the conversation each member wants to have with their manager "
                    "about growth. The circle plays the manager, kindly and then realistically."
                ),
                effort_minutes=60,
                agenda_key="skill_demo",
            ),
            BuiltinStep(
                title="A plan for the next six months",
                description=(
                    "Each member writes three steps for the next six months and shares them. "
                    "The circle agrees when to meet again to hear how it went."
                ),
                effort_minutes=45,
                agenda_key="closing",
            ),
        ),
    ),
)

BUILTIN_BY_KEY: dict[str, BuiltinRoadmap] = {roadmap.key: roadmap for roadmap in BUILTIN_ROADMAPS}


def builtin_get(key: str) -> BuiltinRoadmap | None:
    return BUILTIN_BY_KEY.get(key)
