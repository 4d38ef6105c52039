"""WSGI entry point: ``gunicorn haofuwu.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haofuwu.settings")
application = get_wsgi_application()
