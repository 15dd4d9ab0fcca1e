"""The ASGI entry point the servers import (`<package>.asgi:app`).

The app is built here, from the process's environment, and nowhere else: tests and tools call
`create_app(settings)` themselves and never import this module.
"""

from .main import create_app

app = create_app()
