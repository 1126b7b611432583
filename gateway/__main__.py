"""`python -m gateway [FILE...] [--port N] [--admin-port N] [--admin-token T]`."""

import sys

from gateway.app import main

sys.exit(main())
