"""Real slapd + Dovecot servers on 127.0.0.1 for the integration tests."""
