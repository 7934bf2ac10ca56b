"""The subcommands of `policy`, one module each (see `main.COMMANDS`), and the options several share."""


def add_follow_outside_links(parser) -> None:
    """`--follow-outside-links`, for every command that reads documents as `policy check` does."""
    parser.add_argument("--follow-outside-links", action="store_true",
                        help="read symbolic links that lead out of the run's root (the configuration's folder, "
                             "else the git work tree, else the current folder); by default they are DOC003")


def add_now(parser) -> None:
    """`--now`, for every command that judges at a time."""
    parser.add_argument("--now", metavar="ISO8601",
                        help="the time of the run, such as 2026-11-20T11:00:00Z; a time without a zone is UTC "
                             "(default: the configuration's clock, else now)")
