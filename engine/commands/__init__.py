"""The subcommands of `policy`, one module each (see `engine.cli.COMMANDS`)."""
