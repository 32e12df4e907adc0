"""One package per feature; each has ``setup(bot)`` and private modules."""
