"""Release tool: upload, deploy, promote, roll back and report releases from the portal stacks' outputs."""
