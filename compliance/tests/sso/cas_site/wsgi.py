import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.tests.sso.cas_site.settings")
application = get_wsgi_application()
