"""Small-cell suppression for every published aggregate (confidentiality rule 4).

A figure counting fewer than ``MIN_GROUP`` people is never published, and neither is any cell
whose value could be recovered by subtracting published figures (complementary suppression).
"""

from __future__ import annotations

MIN_GROUP = 5
