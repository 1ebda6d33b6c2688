"""`python -m facade`: the same command line as the `commerce-stock` console script (see `facade.cli`).

Example::

    $ python -m facade stock shipbob 123 456 --format jsonl
"""

import sys

from facade.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m facade"))
