"""Code the project's apps share: health checks, request ids and the log format."""
