"""Changes that break a `warden-rule` the tenant's own docs declare (see world_docs.py)."""

from __future__ import annotations

from ingestion.sandbox.scenarios import (
    CLEAN,
    STANDARDS,
    ScenarioChange,
    ScenarioContext,
    TicketSpec,
    follow_up,
    lead_in,
)
from ingestion.sandbox.scenarios.diffs import FileChange, modified


def print_in_service(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/orders/worker.py"

    def build(fixed: bool, shift: int) -> tuple[FileChange, ...]:
        line = (
            '    logger.info("order processed", extra={"order_id": order_id})'
            if fixed
            else '    print(f"processed order {order_id}")'
        )
        added = [*lead_in(shift), "    order = fetch_order(order_id)", "    ship(order)", line]
        return (
            modified(
                path,
                at=20,
                before=["def process(order_id):"],
                removed=["    pass"],
                added=added,
                after=["", ""],
            ),
        )

    categories = STANDARDS if "no-print-in-services" in ctx.rule_ids else CLEAN
    revisions, per_revision = follow_up(ctx.rng, build, categories)
    return ScenarioChange(
        "standards_print_in_service",
        "python",
        "ship-orders-worker",
        "Ship orders from the worker",
        "Moves shipping into the background worker.",
        TicketSpec(
            "Ship orders in the background",
            "Checkout should not wait for shipping.",
            ("Checkout returns before the shipping label is created",),
        ),
        revisions,
        per_revision,
    )


def console_log(ctx: ScenarioContext) -> ScenarioChange:
    path = "src/routes/checkout.js"

    def build(fixed: bool, shift: int) -> tuple[FileChange, ...]:
        line = (
            "  logger.info({ cart: cart.id }, 'checkout');"
            if fixed
            else ("  console.log('checkout', cart);")
        )
        added = [*lead_in(shift, "//"), "  const cart = await carts.get(req.session.cartId);", line]
        return (
            modified(
                path,
                at=10,
                before=["router.post('/checkout', async (req, res) => {"],
                removed=[],
                added=added,
                after=["  res.json(await checkout(cart));"],
            ),
        )

    categories = STANDARDS if "no-console-log" in ctx.rule_ids else CLEAN
    revisions, per_revision = follow_up(ctx.rng, build, categories)
    return ScenarioChange(
        "standards_console_log",
        "javascript",
        "checkout-cart-load",
        "Load the cart at checkout",
        "Reads the cart from the session.",
        TicketSpec(
            "Checkout uses the session cart",
            "Carts live in the session now.",
            ("Checkout reads the cart from the user's session",),
        ),
        revisions,
        per_revision,
    )


def bare_except(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/exports/csv_export.py"

    def build(fixed: bool, shift: int) -> tuple[FileChange, ...]:
        handler = "    except (OSError, ValueError):" if fixed else "    except:"
        added = [
            *lead_in(shift),
            "    try:",
            "        rows = load_rows(report_id)",
            handler,
            "        rows = []",
        ]
        return (
            modified(
                path,
                at=8,
                before=["def export(report_id):"],
                removed=["    rows = []"],
                added=added,
                after=["    return to_csv(rows)"],
            ),
        )

    categories = STANDARDS if "no-bare-except" in ctx.rule_ids else CLEAN
    revisions, per_revision = follow_up(ctx.rng, build, categories)
    return ScenarioChange(
        "standards_bare_except",
        "python",
        "csv-export-resilience",
        "Do not fail CSV exports",
        "An export with a broken row should still download.",
        TicketSpec(
            "Resilient CSV export",
            "Exports fail on one bad row.",
            ("A report with one unreadable row still exports the other rows",),
        ),
        revisions,
        per_revision,
    )


SCENARIOS = {
    "standards_print_in_service": print_in_service,
    "standards_console_log": console_log,
    "standards_bare_except": bare_except,
}
