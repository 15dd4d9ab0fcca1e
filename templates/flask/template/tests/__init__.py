"""Tests of the service; `make test` runs them on a database of their own."""
