"""Benchmark: synthesize N copies of one web app with three toolchains.

Run it with ``.venv/bin/python -m bench`` (see ``--help``) after
``pip install -e '.[bench]'``. The results and how to read them are in
BENCHMARKS.md. The test suite does not run it.
"""
