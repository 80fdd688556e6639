"""The built-in starter taxonomy every new organisation receives, and the default level ladder.

It covers the key areas the reverse- and group-mentoring literature names: digital tools, social
media, generative AI, Gen Z consumer insight, inclusive leadership, remote work — and the
leadership and strategy skills senior people bring to the other side of the table.
"""

from __future__ import annotations

STARTER_TOPICS: dict[str, list[str]] = {
    "Digital tools": [
        "Digital collaboration tools",
        "Spreadsheets and data literacy",
        "Cloud productivity suites",
        "Low-code automation",
        "Cybersecurity hygiene",
        "Modern collaboration tools",
    ],
    "Social media": [
        "Social media",
        "TikTok marketing",
        "Instagram and short video",
        "LinkedIn personal branding",
        "Online communities",
        "Content creation",
    ],
    "AI": [
        "Generative AI",
        "Prompt writing",
        "AI tools at work",
        "Machine learning basics",
        "Responsible AI",
    ],
    "Customers and culture": [
        "Gen Z consumer insight",
        "Gen Z buying habits",
        "Mobile-first customer journeys",
        "Sustainability and purpose",
        "Emerging trends",
        "Gaming and streaming culture",
    ],
    "Inclusion": [
        "Inclusive leadership",
        "Diversity, equity and inclusion",
        "Allyship",
        "Neurodiversity at work",
        "LGBTQ+ inclusion",
        "Cross-cultural communication",
    ],
    "Ways of working": [
        "Remote work",
        "Hybrid team rituals",
        "Agile ways of working",
        "Wellbeing and boundaries",
        "Feedback culture",
    ],
    "Leadership and strategy": [
        "Strategy",
        "Leadership",
        "Stakeholder management",
        "Executive presence",
        "Negotiation",
        "Financial acumen",
        "Change management",
        "Decision making",
        "Career development",
        "Public speaking",
        "Coaching",
        "Board and governance",
    ],
}

DEFAULT_LEVELS: list[tuple[int, str]] = [
    (1, "Associate"),
    (2, "Specialist"),
    (3, "Senior specialist"),
    (4, "Lead"),
    (5, "Manager"),
    (6, "Senior manager"),
    (7, "Director"),
    (8, "Executive"),
]
