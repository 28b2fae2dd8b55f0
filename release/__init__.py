"""`python -m release`: upload, roll out, promote and roll back portal releases from the stacks' outputs."""
