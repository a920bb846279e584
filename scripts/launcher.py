"""Entry script of the frozen bundle (build_installer.spec): the same as the `tdkt` command.

Kept outside `ui/` so that PyInstaller does not put the `ui/` folder itself on the import path.
"""

import sys

from ui.main import main

sys.exit(main())
