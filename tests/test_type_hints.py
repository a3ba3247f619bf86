"""Every public service and selector function has type hints, so mypy (``make lint``) checks
its callers' side of the contract and its own body."""

import importlib
import inspect
import pkgutil

PACKAGES = (
    "certification.selectors",
    "certification.services",
    "registry.selectors",
    "registry.services",
    "reports.selectors",
    "reports.services",
    "subsidies.selectors",
    "subsidies.services",
)


def _modules():
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            yield importlib.import_module(f"{name}.{info.name}")


def _public_functions():
    for module in _modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", function


def _missing_hints(function):
    signature = inspect.signature(function)
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_every_public_service_and_selector_function_has_type_hints():
    unhinted = {
        name: missing
        for name, function in _public_functions()
        if (missing := _missing_hints(function))
    }
    assert unhinted == {}


def test_the_check_sees_a_missing_hint():
    def untyped(value):
        return value

    def typed(value: int) -> int:
        return value

    assert _missing_hints(untyped) == ["value", "return"]
    assert _missing_hints(typed) == []
