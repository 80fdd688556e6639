"""Settings for the test suite: the ``test`` profile of ``twoway.settings``."""

import os

os.environ["TWOWAY_ENV"] = "test"

from twoway.settings import *  # noqa: F403
