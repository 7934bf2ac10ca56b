"""The `policy` command: the top layer, above the engine and the language server.

`main.main` parses the command line and is the one place where a user's mistake becomes one
line on stderr and exit status 2; each subcommand lives in `commands/`.
"""
