"""`guichet` console script and `python -m guichet`: Django's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
    # Commands typed on a workstation work without SECRET_KEY (settings: the development key under
    # var/); web and worker processes do not pass through here, so they still refuse to start without it.
    os.environ.setdefault("GUICHET_COMMAND_LINE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
