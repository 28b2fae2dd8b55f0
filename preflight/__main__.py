import gc
import sys

from .cli import main

# A run holds pulumi_aws and the whole program's resources at once; with CPython's default thresholds the cyclic
# collector rescans them thousands of times (a fifth of a run's CPU). Nothing here needs cycles collected promptly.
gc.set_threshold(50_000, 50, 1000)
sys.exit(main())
