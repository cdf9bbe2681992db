"""inventory - a tiny stock-keeping package: the example project of git-covopt.

The submodules are imported where they are used; this file imports none.
"""

__version__ = "1.0"
