"""The offline demo: a corpus written for Beachhead and the runner behind `beachhead demo`."""
