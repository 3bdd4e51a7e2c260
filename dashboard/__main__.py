import sys

# sqlite-utils imports pandas and numpy, when installed, only to convert their values; the CLI's
# commands that list, import or re-extract never hand it such values, and loading the two costs
# about 0.3 s of every call. They are hidden while sqlite-utils loads, and importable again after.
_NEEDS_NUMPY = {"serve", "bench", "similar", "duplicates", "generate"}
if not (set(sys.argv[1:2]) & _NEEDS_NUMPY) and "pandas" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["pandas"] = sys.modules["numpy"] = None     # import of either raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"], sys.modules["numpy"]

from .cli import main  # noqa: E402

sys.exit(main())
