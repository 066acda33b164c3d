"""``python -m zhytomyr_gis.opendata build|publish|listen|ckan`` (see cli.py)."""

import sys

from .cli import main

sys.exit(main())
