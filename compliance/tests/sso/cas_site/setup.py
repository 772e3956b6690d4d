"""Create the test CAS server's database and allow one service pattern that releases every attribute.

``python -m compliance.tests.sso.cas_site.setup PATTERN`` with CAS_TEST_DB set.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.tests.sso.cas_site.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402

for pos, pattern in enumerate(sys.argv[1:]):
    sp = ServicePattern.objects.create(pos=pos, name=f"service{pos}", pattern=pattern)
    ReplaceAttributName.objects.create(service_pattern=sp, name="*")
