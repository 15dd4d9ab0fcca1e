"""The example resource: items owned by a user, managed through server-rendered pages."""
