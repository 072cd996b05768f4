"""WSGI entry point for gunicorn: ``gunicorn jisik_portal.wsgi``."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisik_portal.settings")

application = get_wsgi_application()

# Serving with the development key would let anyone forge sessions: refuse, unless DEBUG.
if settings.SECRET_KEY == settings.DEV_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
