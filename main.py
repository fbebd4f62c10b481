"""TierDesk entry point: no arguments start the desktop app; see ``--help`` for commands."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
