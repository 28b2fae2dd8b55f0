# A folder with a __main__.py but no PulumiPolicy.yaml: not a policy pack.
