"""Benchmarks: retrieval at scale, the offline engine, and the bot end to end.

Run ``python -m benchmarks`` (``--quick`` for a smoke run); results go to a Markdown
table and a PNG chart in ``docs/``.
"""
