"""
Execution with a budget: a request stops resolving once it has run for
GRAPHQL_EXECUTION_BUDGET_SECONDS, and answers one clean error instead of data.

The cost meter (cms.graphql.limits) refuses expensive queries before they run; this is the
defence behind it, so a mistake in the meter, or content far larger than the meter's typical
sizes, costs a few seconds of one thread, not a minute. graphql-core resolves every object's
fields through `execute_fields`; checking the clock there costs one comparison per object.
PostgreSQL's statement timeout does not help here: each statement is fast, there are just many.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from graphql import ExecutionContext, GraphQLError

_deadline = ContextVar("graphql_execution_deadline", default=None)


class ExecutionBudgetExceeded(GraphQLError):
    MESSAGE = "The query took too long and was stopped: ask for fewer items or fields."

    def __init__(self):
        super().__init__(self.MESSAGE, extensions={"code": "EXECUTION_BUDGET_EXCEEDED"})


class Budget:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds
        self.exceeded = False


@contextmanager
def execution_budget(seconds):
    """Within this block, execution stops after `seconds`; `budget.exceeded` tells if it did."""
    budget = Budget(seconds)
    token = _deadline.set(budget)
    try:
        yield budget
    finally:
        _deadline.reset(token)


@contextmanager
def outside_the_budget():
    """
    Time spent in this block does not count: making an image rendition the first time it is
    asked for (tens of milliseconds per image). That work is bounded — each image is rendered at
    most once per allowed filter, ever — while the first list after an upload may need many.
    """
    budget = _deadline.get()
    started = time.monotonic()
    try:
        yield
    finally:
        if budget is not None:
            budget.deadline += time.monotonic() - started


class BudgetedExecutionContext(ExecutionContext):
    def execute_fields(self, parent_type, source_value, path, fields):
        budget = _deadline.get()
        if budget is not None and time.monotonic() >= budget.deadline:
            budget.exceeded = True
            raise ExecutionBudgetExceeded
        return super().execute_fields(parent_type, source_value, path, fields)
