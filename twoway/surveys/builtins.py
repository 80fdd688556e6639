"""The built-in surveys a manager starts from: plain data, copied into a new draft survey (which
the manager may then change like any other)."""

from __future__ import annotations

from typing import Any

BUILTINS: dict[str, dict[str, Any]] = {
    "check_in": {
        "kind": "check_in",
        "title": "Mid-program check-in",
        "intro": "Three short questions about how your mentoring is going, halfway through.",
        "questions": [
            {
                "kind": "scale",
                "text": "How is your mentoring going?",
                "help": "1 = not well at all, 5 = very well",
                "scale_min": 1,
                "scale_max": 5,
                "key": "satisfaction",
            },
            {
                "kind": "choice",
                "text": "Are you meeting as you agreed?",
                "choices": [
                    "Yes, as agreed",
                    "Less often than agreed",
                    "We have not met yet",
                ],
            },
            {
                "kind": "text",
                "text": "What would help you get more out of it?",
                "required": False,
            },
        ],
    },
    "exit": {
        "kind": "exit",
        "title": "Exit survey",
        "intro": "The program is ending: tell us how it went, so the next one is better.",
        "questions": [
            {
                "kind": "scale",
                "text": "Overall, how satisfied are you with the program?",
                "help": "1 = very dissatisfied, 5 = very satisfied",
                "scale_min": 1,
                "scale_max": 5,
                "key": "satisfaction",
            },
            {
                "kind": "scale",
                "text": "How likely are you to recommend the program to a colleague?",
                "help": "0 = not at all likely, 10 = extremely likely",
                "scale_min": 0,
                "scale_max": 10,
                "key": "recommend",
            },
            {
                "kind": "text",
                "text": "What did you learn?",
                "required": False,
            },
            {
                "kind": "choice",
                "text": "Would you take part again?",
                "choices": ["Yes", "Maybe", "No"],
            },
        ],
    },
}

TEMPLATE_CHOICES = [("", "A blank survey")] + [
    (key, str(data["title"])) for key, data in BUILTINS.items()
]
