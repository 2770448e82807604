"""Build `content/` into `site/`: `python build.py [--content DIR] [--out DIR] [...]`.

The same command as `notice build` (see `notice build --help`), for those who run a script.
"""

import sys

from notice.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]], prog_name="build.py")
