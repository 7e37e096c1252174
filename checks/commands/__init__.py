"""The ``seloste`` subcommands, one module each, named as the command.

Each module has ``add_arguments(parser)``, which adds the command's arguments, and
``run(args) -> int``, which runs it and returns the exit code; ``checks/cli.py`` lists them in
``COMMANDS`` and imports only the module of the command being run. A module imports what its
command needs inside ``run``: ``seloste validate`` is a pre-commit hook, and what it does not
use it must not load.
"""

# The exit codes: clean, findings at or above --fail-on, and a usage, input or tool error.
CLEAN, FINDINGS, ERROR = 0, 1, 2
