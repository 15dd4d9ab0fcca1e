"""pyframe: pick Django, FastAPI or Flask for what you are building, and start from a skeleton.

The public API is small on purpose: the CLI calls these same functions, and so do the tests.
"""

__version__ = "0.3.0"
