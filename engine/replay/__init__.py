"""A `policy check` run's outcome without its documents (`outcome.py`), and the run cache that
prints it again while nothing the run depends on has changed (`run_cache.py`).

Above `report` (the outcome holds where each document is placed) and `policy` (what a run
gathers and judges); below the command line, its one caller.
"""
