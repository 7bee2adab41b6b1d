"""Generate the synthetic national campaign: `python scripts/generate.py --scale 1.0`.

The same as `jobfair generate`; DATABASE_URL chooses the database.
"""

import sys

from app.cli import cli

if __name__ == "__main__":
    cli(["generate", *sys.argv[1:]])
