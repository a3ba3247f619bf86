"""``python -m bench [--quick] [--enterprises N]``: see bench/__init__.py and
docs/PERFORMANCE.md."""

import argparse
import os
import sys
import warnings
from pathlib import Path

import django

QUICK_ENTERPRISES = 300


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true",
                        help="small N, one run, no warm-up, no memory children: under a minute")
    parser.add_argument("--enterprises", type=int,
                        default=int(os.environ.get("BENCH_ENTERPRISES") or 1_000_000))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=2_000)
    parser.add_argument("--export-rows", type=int, default=100_000,
                        help="export the region whose firms come nearest this many")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--only", help="comma-separated: pages,api,deep,export,import; the "
                        "other scenarios keep their figures in results.json")
    parser.add_argument("--template", help="create the demo database as a copy of this one")
    parser.add_argument("--light", action="store_true",
                        help="demo accounts and firms only, not load_demo's minutes of figures, "
                        "awards and history (the quick form in the tests)")
    parser.add_argument("--drop", action="store_true",
                        help="drop the two bench databases afterwards")
    parser.add_argument("--output", help="folder for results.json and results.md (default: "
                        "bench/, or bench/quick/ with --quick, which leaves the full run's be)")
    args = parser.parse_args(argv)
    if args.quick:
        args.enterprises = min(args.enterprises, QUICK_ENTERPRISES)
        args.repeat, args.no_memory = 1, True
        args.import_rows = min(args.import_rows, 50)

    if args.output is None:
        here = Path(__file__).resolve().parent
        args.output = str(here / "quick" if args.quick else here)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_sme.settings")
    # WhiteNoise looks for collected static files, which only production builds have.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from bench.run import Run

    run = Run(
        enterprises=args.enterprises, repeat=args.repeat, warmup=not args.quick,
        import_rows=args.import_rows, export_rows=args.export_rows, memory=not args.no_memory,
        template=args.template, light=args.light,
        output=Path(args.output), log=lambda text: print(text, flush=True),
    )
    try:
        run.run(only=set(args.only.split(",")) if args.only else None)
    finally:
        if args.drop:
            run.data.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
