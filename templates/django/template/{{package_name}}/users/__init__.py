"""Accounts: a custom user model that logs in with an e-mail address, sign-up and profile."""
