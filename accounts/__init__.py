"""Sign-in, login throttling and optional TOTP two-factor authentication."""
