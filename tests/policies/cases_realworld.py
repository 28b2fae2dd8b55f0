"""Findings that were false on other teams' public programs (bench/realworld.py measures them), in the form
cases_containers.py describes: each class as a compliant variant that must pass and a violating one that must
still fail with its exact message.

- Static website buckets: a bucket that hosts a website (inline `website` or a BucketWebsiteConfiguration)
  serves published files that the program or a build uploads again; losing one is not losing data, so it needs
  no versioning unless its tag says it holds data.
"""
from .cases_false_alarms import TOKENS as F, _UNVERSIONED, bare, stack
from .pk import ref

T = {**F, "object": "aws:s3/bucketObject:BucketObject", "object-v2": "aws:s3/bucketObjectv2:BucketObjectv2",
     "website-v2": "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"}
INDEX = {"indexDocument": "index.html", "errorDocument": "404.html"}

__all__ = ["stack", "VIOLATING", "COMPLIANT"]  # stack: the compliant stack the cases mutate


def website(s, form="inline", token=T["bucket"]):
    """A bare bucket hosting a static website, with a page the program uploads."""
    s = bare(s, token=token)
    if form == "inline":
        s.set("media", "website", INDEX)
    else:
        s.add(T[form], "media-site", {"bucket": ref("media"), "indexDocument": {"suffix": "index.html"}})
    return s.add(T["object"], "index.html", {"bucket": ref("media"), "key": "index.html",
                                              "contentType": "text/html"})


def tagged(s, value):
    return s.set("media", "tags", {"holds-data": value})


VIOLATING = [
    # A website bucket the program says holds data is still a data bucket.
    ("s3-data-bucket-versioned", "website-bucket-tagged-data", lambda s: tagged(website(s), "true"), None,
     [("media", _UNVERSIONED)]),
    ("s3-data-bucket-versioned", "website-configuration-tagged-data",
     lambda s: tagged(website(s, "website"), "true"), None, [("media", _UNVERSIONED)]),
    # A bucket with an empty website block hosts no website.
    ("s3-data-bucket-versioned", "empty-website-block", lambda s: bare(s).set("media", "website", {}), None,
     [("media", _UNVERSIONED)]),
    # Uploading objects alone does not make a bucket a website.
    ("s3-data-bucket-versioned", "objects-without-website",
     lambda s: bare(s).add(T["object-v2"], "report.csv", {"bucket": ref("media"), "key": "report.csv"}), None,
     [("media", _UNVERSIONED)]),
]

COMPLIANT = [
    ("s3-data-bucket-versioned", "website-bucket-inline", lambda s: website(s), None),
    ("s3-data-bucket-versioned", "website-bucket-v2-inline", lambda s: website(s, token=T["bucket-v2"]), None),
    ("s3-data-bucket-versioned", "website-configuration", lambda s: website(s, "website"), None),
    ("s3-data-bucket-versioned", "website-configuration-v2", lambda s: website(s, "website-v2"), None),
]
