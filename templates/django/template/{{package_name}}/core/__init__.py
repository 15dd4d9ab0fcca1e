"""Code shared by the project's apps that is not an app itself (health checks)."""
