"""``python -m gansu_sme.devservices COMMAND``."""

import sys

from gansu_sme.devservices.commands import main

sys.exit(main())
