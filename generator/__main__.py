"""``python -m generator``: see ``generator.cli``."""

import os
import sys

from .cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader of our output left (`... | head`): stop quietly, as a Unix tool does, instead of
    # a traceback (the Python docs' recipe: point stdout at devnull so the exit flush cannot fail).
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 1
sys.exit(status)
