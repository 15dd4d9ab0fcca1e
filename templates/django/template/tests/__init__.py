"""The project's test suite: `make test` (pytest with config.settings.test)."""
