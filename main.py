"""TierDesk entry point: no arguments start the desktop app; see ``--help`` for commands."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # A large replay folds tickets in spawned helper processes; in the installed (frozen) app
    # such a helper starts as this program again, and this call turns it into the helper.
    multiprocessing.freeze_support()
    sys.exit(main())
