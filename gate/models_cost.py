"""What a change costs: the cost stage's report (:class:`CostReport`) and its lines, part of ``gate-plan.json``.

Re-exported by :mod:`gate.models`, the one place the pipeline's objects are imported from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gate.models_base import _Frozen


class CostComponent(_Frozen):
    """One priced part of a resource: quantity x unit price = monthly cost (730 hours a month)."""

    name: str
    unit: str
    monthly_quantity: float | None = None
    unit_price: float | None = None
    monthly_cost: float | None = Field(default=None, description="USD; null when it depends on unknown usage")


class CostLine(_Frozen):
    """One resource's monthly cost before (base) and after (head) the change.

    ``not_estimated`` holds the reason when the gate cannot price the resource: its costs are then null,
    never shown as 0.
    """

    logical_id: str
    type: str
    change: Literal["add", "remove", "modify", "same"]
    monthly_before: float | None = None
    monthly_after: float | None = None
    monthly_delta: float | None = None
    components: tuple[CostComponent, ...] = ()
    not_estimated: str | None = None


class CostRecommendation(_Frozen):
    resource: str
    kind: Literal["graviton", "gp3", "right-size", "savings-plan", "spot"]
    title: str
    detail: str
    monthly_saving: float = Field(description="estimated USD saved per month")


class CostReport(_Frozen):
    """What the change costs per month, base vs head, and how to spend less."""

    source: Literal["estimator", "infracost"]
    currency: str = "USD"
    region: str
    base: str = Field(description="what 'before' is: 'empty', the deployed stack, or the files at a git base ref")
    price_table_date: str | None = None
    price_table_source: str | None = None
    usage_file: str | None = None
    lines: tuple[CostLine, ...] = ()
    free_resources: int = Field(default=0, description="resources that cost nothing themselves (IAM, VPC, ...)")
    monthly_before: float = 0.0
    monthly_after: float = 0.0
    monthly_delta: float = 0.0
    percent_change: float | None = Field(default=None, description="null when the base costs nothing")
    recommendations: tuple[CostRecommendation, ...] = ()
    detail: str | None = Field(default=None, description="why the estimate is partial or missing, if it is")

    @property
    def not_estimated(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if line.not_estimated)

    @property
    def priced(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if not line.not_estimated)
