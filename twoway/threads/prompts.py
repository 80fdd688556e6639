"""Writing prompts offered after a session, so that reflecting becomes a habit both sides of a
mentorship keep (accountability, in the issue's words). Keys are stored on the entries that
answer them, so a key never changes meaning once shipped; add new ones instead."""

from __future__ import annotations

PROMPTS: dict[str, str] = {
    "mentor_showed": "What did your mentor show you this week?",
    "try_next": "What will you try before the next session?",
    "taught_surprise": "What did you teach that surprised you?",
    "learned_from_junior": "What did you learn from someone less senior than you?",
    "changed_mind": "What changed your mind, even a little, in this session?",
    "ask_next": "What will you ask about next time?",
}


def prompt_text(key: str) -> str:
    """The question of ``key``, or an empty string for an unknown or retired key."""
    return PROMPTS.get(key, "")
