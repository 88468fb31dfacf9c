"""The test settings with MEDIA_ROOT from the environment: the backup tests run ``manage.py`` in
several processes that must share one media folder (cms.settings.test makes a new one each time)."""

import os

from cms.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["MEDIA_ROOT"]
