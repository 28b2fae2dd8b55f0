# Same module name as in tests/programs/shop: proves the runner purges program modules between runs.
KIND = "nested"
