"""End-to-end tests: generate real projects, install them, run their tests, boot them."""
