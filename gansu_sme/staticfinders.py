"""Static files taken from pinned Python packages, so no page loads anything from a CDN."""

import importlib.util
from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PLOTLY_PATH = "vendor/plotly.min.js"


def _plotly_bundle():
    # Located without importing plotly, which would load its Python plotting stack for nothing.
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Serves the plotly.js bundle of the pinned ``plotly`` package as ``vendor/plotly.min.js``.

    Only that one file: the package ships other bundles and data that the site never serves.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = _plotly_bundle()
        self.storage = None
        if self.source is not None:
            self.storage = FileSystemStorage(location=self.source.parent)
            # collectstatic copies each listed file to "<prefix>/<path>".
            self.storage.prefix = str(Path(PLOTLY_PATH).parent)

    def check(self, **kwargs):
        if self.source is None or not self.source.is_file():
            return [
                Error(
                    "plotly.min.js was not found; install the pinned plotly package.",
                    id="gansu_sme.E001",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_PATH or self.source is None or not self.source.is_file():
            return []
        searched_locations.append(str(self.source.parent))
        return [str(self.source)] if find_all else str(self.source)

    def list(self, ignore_patterns):
        if self.storage is None or utils.matches_patterns(self.source.name, ignore_patterns):
            return
        yield self.source.name, self.storage
