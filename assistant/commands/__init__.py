"""The `beachhead` commands, one module per noun; ``assistant.cli`` assembles them."""
