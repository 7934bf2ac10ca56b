"""The subcommands of `policy`, one module each (see `main.COMMANDS`)."""
