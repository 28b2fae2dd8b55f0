import sys

sys.exit(3)  # exits before building the pack
