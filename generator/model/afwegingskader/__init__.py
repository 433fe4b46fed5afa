"""The afwegingskader: a decision flow as data plus a small engine.

``engine`` is standard library only, so that the very same file runs in
CPython (tests, build-time validation) and in the browser under Pyodide.
"""
