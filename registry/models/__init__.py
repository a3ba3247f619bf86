from .enterprises import Enterprise
from .regions import Industry, Region

__all__ = ["Enterprise", "Industry", "Region"]
