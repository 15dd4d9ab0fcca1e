"""WSGI entry point. Loads the same settings as asgi.py for the same APP_ENV."""

from django.core.wsgi import get_wsgi_application

from config.env import select_settings_module

select_settings_module()
application = get_wsgi_application()
