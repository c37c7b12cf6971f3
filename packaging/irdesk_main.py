"""Entry point of the frozen bundle: the same main() as the ``irdesk`` console script."""

import sys

from irdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
