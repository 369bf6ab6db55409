"""What the stakeholder pages share: the filter form read from the query string."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commonground.coalitions.access import CoalitionRequest
from commonground.stakeholders.forms import StakeholderFilterForm

EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "hxl": "HXL CSV"}


def filter_params(
    request: CoalitionRequest, without: Iterable[str] = ()
) -> tuple[StakeholderFilterForm, dict[str, Any], str]:
    """The filter form, its valid values, and the query string to carry into links."""
    data = request.GET.copy()
    for name in without:
        data.pop(name, None)
    form = StakeholderFilterForm(data or None)
    params = form.cleaned_data if form.is_valid() else {}
    data.pop("page", None)
    return form, params, data.urlencode()
