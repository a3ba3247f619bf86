"""Template filters over ``gansu_sme.formatting``: ``{% load figures %}``.

``{{ amount|yuan }}`` 300,000.00 · ``{{ revenue|wanyuan }}`` 34,579.12 ·
``{{ amount|yuan_in_wanyuan }}`` 30.00 · ``{{ share|percent }}`` 4.6% (from a ratio) ·
``{{ rate|percent_points }}`` 4.6% (already in percent) · ``{{ count|number }}`` 1,234 ·
``{{ date|day }}`` 2026年1月5日 · ``{{ date|month }}`` 2026年1月 · ``{{ at|moment }}``
2026年1月5日 20:45.
"""

from django import template

from gansu_sme import formatting

register = template.Library()

for _name in (
    "yuan", "wanyuan", "yuan_in_wanyuan", "percent", "percent_points", "day", "moment",
):
    register.filter(_name, getattr(formatting, _name), is_safe=True)


@register.filter(is_safe=True)
def number(value, places=0):
    return formatting.number(value, int(places))


@register.filter(is_safe=True)
def month(value, month_number=None):
    """``{{ date|month }}``, or ``{{ year|month:number }}``."""
    return formatting.month(value, month_number)
