"""NestJS controllers: an added handler without the guard every sibling handler carries."""

import pytest

from tests.analysis.security.review import review, rule_lines

PATH = "api/src/orders/orders.controller.ts"
HEAD = [
    "import { Controller, Get, Post, Delete, Param, UseGuards } from '@nestjs/common';",
    "import { JwtAuthGuard } from '../auth/jwt-auth.guard';",
    "",
    "@Controller('orders')",
    "export class OrdersController {",
    "  constructor(private readonly orders: OrdersService) {}",
    "",
]
SIBLINGS = [
    "  @Get(':id')",
    "  @UseGuards(JwtAuthGuard)",
    "  find(@Param('id') id: string) {",
    "    return this.orders.find(id);",
    "  }",
    "",
    "  @Post()",
    "  @UseGuards(JwtAuthGuard, RolesGuard)",
    "  create(@Body() dto: CreateOrderDto) {",
    "    return this.orders.create(dto);",
    "  }",
    "",
]
TAIL = ["}"]


def _review(build, handler, *, head=HEAD, siblings=SIBLINGS, path=PATH):
    before = [*head, *siblings, *TAIL]
    after = [*head, *siblings, *handler, *TAIL]
    return rule_lines(review(build, path, after, before))


UNGUARDED = [
    "  @Delete(':id')",
    "  async remove(@Param('id') id: string): Promise<void> {",
    "    await this.orders.remove(id);",
    "  }",
]
NAME_LINE = len(HEAD) + len(SIBLINGS) + 2


def test_added_handler_without_the_sibling_guard_is_reported(build):
    assert _review(build, UNGUARDED) == [("missing-auth-guard", NAME_LINE)]


def test_custom_auth_decorator_on_siblings_counts_as_the_guard(build):
    siblings = [
        "  @Get()",
        "  @Roles('admin')",
        "  list() { return this.orders.all(); }",
        "  @Patch(':id')",
        "  @Roles('admin', 'ops')",
        "  update(@Param('id') id: string) { return this.orders.touch(id); }",
    ]
    line = len(HEAD) + len(siblings) + 2
    assert _review(build, UNGUARDED, siblings=siblings) == [("missing-auth-guard", line)]


def test_class_declared_without_export_is_checked_too(build):
    head = [*HEAD[:4], "class OrdersController {", *HEAD[5:]]
    assert _review(build, UNGUARDED, head=head) == [("missing-auth-guard", NAME_LINE)]


NEAR_MISSES = {
    "guarded like its siblings": [
        "  @Delete(':id')",
        "  @UseGuards(JwtAuthGuard)",
        "  remove(@Param('id') id: string) { return this.orders.remove(id); }",
    ],
    "marked public": [
        "  @Public()",
        "  @Get('catalogue')",
        "  catalogue() { return this.orders.catalogue(); }",
    ],
    "skips auth": [
        "  @SkipAuth()",
        "  @Get('catalogue')",
        "  catalogue() { return this.orders.catalogue(); }",
    ],
    "public metadata": [
        "  @SetMetadata('isPublic', true)",
        "  @Get('catalogue')",
        "  catalogue() { return this.orders.catalogue(); }",
    ],
    "own custom auth decorator": [
        "  @Auth('admin')",
        "  @Delete(':id')",
        "  remove(@Param('id') id: string) { return this.orders.remove(id); }",
    ],
    "helper method, not a route": [
        "  private toDto(order: Order) {",
        "    return { id: order.id };",
        "  }",
    ],
}


@pytest.mark.parametrize("handler", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_miss_handler_stays_quiet(build, handler):
    assert _review(build, handler) == []


def test_class_level_guard_covers_every_handler(build):
    head = [*HEAD[:4], "@UseGuards(JwtAuthGuard)", *HEAD[4:]]
    assert _review(build, UNGUARDED, head=head) == []


def test_controller_whose_routes_mostly_lack_guards_stays_quiet(build):
    siblings = [
        "  @Get()",
        "  list() { return this.orders.all(); }",
        "  @Get(':id')",
        "  find(@Param('id') id: string) { return this.orders.find(id); }",
        "  @Post()",
        "  @UseGuards(JwtAuthGuard)",
        "  create(@Body() dto: CreateOrderDto) { return this.orders.create(dto); }",
    ]
    assert _review(build, UNGUARDED, siblings=siblings) == []


def test_a_single_guarded_sibling_is_not_enough_evidence(build):
    assert _review(build, UNGUARDED, siblings=SIBLINGS[:6]) == []


def test_siblings_with_different_guards_share_none_and_stay_quiet(build):
    siblings = [*SIBLINGS[:7], "  @UseGuards(ApiKeyGuard)", *SIBLINGS[8:]]
    assert _review(build, UNGUARDED, siblings=siblings) == []


def test_swagger_auth_documentation_is_not_a_guard(build):
    siblings = [line.replace("@UseGuards(JwtAuthGuard)", "@ApiBearerAuth()") for line in SIBLINGS]
    siblings = [
        line.replace("@UseGuards(JwtAuthGuard, RolesGuard)", "@ApiBearerAuth()")
        for line in siblings
    ]
    assert _review(build, UNGUARDED, siblings=siblings) == []


def test_unchanged_unguarded_handler_is_not_reported(build):
    before = [*HEAD, *SIBLINGS, *UNGUARDED, *TAIL]
    after = [*HEAD, *SIBLINGS, *UNGUARDED, "  // reviewed", *TAIL]
    assert rule_lines(review(build, PATH, after, before)) == []


def test_plain_class_with_route_like_methods_is_not_a_controller(build):
    head = [*HEAD[:3], "@Injectable()", *HEAD[4:]]
    assert _review(build, UNGUARDED, head=head) == []
