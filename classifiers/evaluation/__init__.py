"""Evaluations of the classifiers on data anyone can supply: each returns the
plain dict that `beachhead eval ...` prints as JSON."""
