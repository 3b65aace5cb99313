"""Benchmark: synthesize N copies of one web app with three toolchains.

Run it with ``make bench``, or with ``.venv/bin/python -m bench`` (see
``--help``) once ``pip install -e '.[bench]'`` has installed cdk8s-plus-33.
The results and how to read them are in BENCHMARKS.md. The test suite does
not run it.
"""
