"""Invitations and applications to programs, the application questionnaire, and diversity
data kept apart with per-purpose consent."""
