"""Alternating A/B/... timing and the figures drawn from it."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Variant:
    name: str
    run: Callable[[], object]  # does the work once; sets up its own dataset
    # run() times itself and returns its seconds (when it has untimed setup of its own)
    timed_inside: bool = False
    seconds: list[float] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> dict:
        if not self.seconds:
            return {"error": self.error or "not run"}
        return {
            "median_s": round(statistics.median(self.seconds), 4),
            "min_s": round(min(self.seconds), 4),
            "max_s": round(max(self.seconds), 4),
            "runs": len(self.seconds),
            **({"error": self.error} if self.error else {}),
        }


def alternate(variants: list[Variant], *, repeat: int, warmup: bool) -> None:
    """Each round times every variant once, in turn, the order reversed every other round so
    neither side always runs on the warmer caches. A variant that fails is recorded and left
    out of the later rounds; the others carry on."""
    if warmup:
        for variant in variants:
            _once(variant, record=False)
    for round_ in range(repeat):
        for variant in variants if round_ % 2 == 0 else reversed(variants):
            if variant.error is None:
                _once(variant, record=True)


def _once(variant: Variant, *, record: bool) -> None:
    try:
        start = time.perf_counter()
        result = variant.run()
        took = result if variant.timed_inside else time.perf_counter() - start
    except Exception as exc:  # noqa: BLE001 - one broken scenario must not end the run
        variant.error = f"{type(exc).__name__}: {exc}"[:300]
        return
    if record:
        variant.seconds.append(took)


def ratio(numerator: Variant, denominator: Variant) -> float | None:
    if not numerator.seconds or not denominator.seconds:
        return None
    return round(statistics.median(numerator.seconds) / statistics.median(denominator.seconds), 3)
