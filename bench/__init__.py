"""coopkit benchmarks: ``make bench`` (``python -m bench``); figures in bench/README.md."""
