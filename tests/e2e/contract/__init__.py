"""The HTTP contract of every generated project, written once for all frameworks."""
