"""The example app of examples/app.ts, in Python (see example_app.py)."""
