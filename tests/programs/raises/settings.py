def check(az_count):
    if az_count < 2:
        raise ValueError(f"portal:azCount = {az_count}: at least 2 are needed")
