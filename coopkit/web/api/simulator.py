"""``simulateSalary``: the salary simulator for the members of a cooperative."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.response import Response

from coopkit.payroll import PayrollInputError
from coopkit.payroll.answers import answer, shortfall_message
from coopkit.payroll.questions import FieldError, SalaryQuestion
from coopkit.web.access import member_only, services, visitor
from coopkit.web.api.simulator_schemas import (
    SalarySimulation,
    SalarySimulationIn,
    SimulationProblem,
)
from coopkit.web.errors import PROBLEM, problem
from coopkit.web.payroll import PayrollNotServed, tenant_fee_rate, tenant_payroll_rules

BODY_FIELDS = frozenset(SalarySimulationIn.__struct_fields__)


def question_of(data: SalarySimulationIn) -> SalaryQuestion:
    facts = {
        "contract": data.contract,
        "category": data.category,
        "employees": None if data.employees is None else str(data.employees),
        "accident_rate": data.accident_rate,
    }
    return SalaryQuestion(
        month=data.month,
        gross=data.gross,
        budget=data.budget,
        days=data.days,
        hours=data.hours,
        tax_rate=data.tax_rate,
        profile={**data.options, **{k: v for k, v in facts.items() if v is not None}},
    )


def refused(error: PayrollInputError) -> ValidationException:
    """A 422 problem whose ``errors`` name the body field at fault (``options.<name>``)."""
    entry: dict[str, Any] = {"message": str(error), "source": "body"}
    if isinstance(error, FieldError):
        entry["key"] = error.field if error.field in BODY_FIELDS else f"options.{error.field}"
    return ValidationException(detail=str(error), status_code=422, extra=[entry])


@post(
    "/t/{slug:str}/salary-simulations",
    operation_id="simulateSalary",
    guards=[member_only],
    status_code=200,
    sync_to_thread=False,
    responses={
        422: ResponseSpec(
            SimulationProblem,
            description="A field to fix, or a budget too small for the minimum wage",
            media_type=PROBLEM,
            generate_examples=False,
        )
    },
)
def simulate_salary(
    request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[SalarySimulationIn]
) -> Response[SalarySimulation]:
    """The largest gross a budget pays for the days worked, or a payslip from a gross.

    Give ``budget`` with ``days`` (or ``hours``), or ``gross``; the cooperative's
    country gives the rules, ``options`` the country's own inputs. Amounts,
    rates, days and hours are strings of exact decimals. The answer has the
    shape of ``coopkit payroll simulate --json``; a budget that cannot pay the
    minimum wage for the days worked is a 422 problem saying how much is missing.
    """
    tenant = visitor(request).tenant
    assert tenant is not None
    try:
        rules = tenant_payroll_rules(services(request).plugins, tenant)
        result = answer(rules, question_of(data), tenant_fee_rate(tenant))
    except PayrollNotServed as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    except PayrollInputError as error:
        raise refused(error) from None
    if result.simulation is not None and result.payslip is None:
        shortfall = {k: v for k, v in result.data.items() if k != "error"}
        return problem(request, 422, shortfall_message(result.simulation), **shortfall)
    return Response(msgspec.convert(result.data, SalarySimulation))
