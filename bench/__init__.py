"""``make bench``: the performance scenarios timed through the public surfaces (pages through
django.test.Client in-process, the API, the services the import commands call) at demo size
and at N seeded firms, each against its baseline, alternating in one process; see
docs/PERFORMANCE.md. Baselines (django-import-export, a plain DRF view, raw SQL) live only
here and in requirements-bench-django.txt, never in the product."""
