"""WSGI entry point for gunicorn: ``gunicorn jisik_portal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisik_portal.settings")

application = get_wsgi_application()
