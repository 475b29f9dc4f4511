"""Business rules, free of HTTP: each function works in the session it is given."""
