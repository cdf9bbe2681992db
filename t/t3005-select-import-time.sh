#!/bin/sh
# t3005-select-import-time.sh - changes to code that runs at import or collection time reach the tests that use it,
# most directly first: objects built in a parametrize list, class attributes, module constants. Real pytest.

test_description='git covopt select: import- and collection-time code reaches its users'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# A cart whose objects the tests build while pytest collects them (in a
# parametrize list), so no test's own context runs Cart.__init__; the
# tests of test_cart.py run the class's methods, test_budget.py runs a
# module function and reads a constant. test_budget.py sorts first: in a
# tie of cost and value, its tests would be taken first.
test_expect_success 'setup: objects built at collection time, recorded' '
	covopt_example_repo repo &&
	(
		cd repo &&
		cat >inventory/cart.py <<-\EOF &&
		"""A cart of (name, price, quantity) lines."""

		TAX_RATE = 0.25


		def with_tax(amount):
		    return amount * (1 + TAX_RATE)


		class Cart:
		    currency = "EUR"

		    def __init__(self, items=(), discount=0):
		        self.items = list(items)
		        self.discount = discount

		    def total(self):
		        gross = sum(price * qty for _, price, qty in self.items)
		        return gross - self.discount

		    def label(self):
		        return "%d %s" % (self.total(), self.currency)
		EOF
		cat >tests/test_cart.py <<-\EOF &&
		import pytest

		from inventory.cart import Cart

		CARTS = [Cart([("pen", 2, 3)]), Cart([("ink", 5, 1)], discount=1)]


		@pytest.mark.parametrize("cart, expected", zip(CARTS, [6, 4]))
		def test_total(cart, expected):
		    assert cart.total() == expected


		@pytest.mark.parametrize("cart, expected", zip(CARTS, ["6 EUR", "4 EUR"]))
		def test_label(cart, expected):
		    assert cart.label() == expected
		EOF
		cat >tests/test_budget.py <<-\EOF &&
		from inventory import cart


		def test_gross():
		    assert cart.with_tax(4) == 5


		def test_rate():
		    assert cart.TAX_RATE < 1
		EOF
		git add . &&
		test_tick &&
		git commit -q -m "a cart" &&
		covopt_run_pytest &&
		covopt_pin_costs junit.xml &&
		git covopt record -q --coverage .coverage --junit junit.xml &&
		git covopt show --json >../model.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	model = json.load(open("model.json"))
	flagged = set(model["import_time"])
	for name in ("<module>", "Cart", "Cart.__init__"):
	    assert "inventory/cart.py::" + name in flagged, (name, flagged)
	for name in ("Cart.total", "Cart.label", "with_tax"):
	    assert "inventory/cart.py::" + name not in flagged, (name, flagged)
	runs_init = [t["id"] for t in model["tests"] for f in t["features"]
	             if f["feature"] == "inventory/cart.py::Cart.__init__"]
	assert not runs_init, runs_init
	EOF
'

cat >expect-cart <<-\EOF
tests/test_cart.py::test_label[cart0-6 EUR]
tests/test_cart.py::test_label[cart1-4 EUR]
tests/test_cart.py::test_total[cart0-6]
tests/test_cart.py::test_total[cart1-4]
EOF

test_expect_success 'a changed default of a constructor run at collection selects the tests using its objects' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/cart.py "s.replace(\"discount=0)\", \"discount=1)\")" &&
		git covopt select -v >../all 2>../err &&
		git covopt select -t 0.2 >../small &&
		test_must_fail covopt_run_selected ../all &&
		test_must_fail covopt_run_selected ../small
	) &&
	grep "reached through import time.*ran at import or collection.*Cart.__init__" err &&
	grep -Fx -f expect-cart all | sort >found &&
	test_cmp expect-cart found &&
	test_line_count = 2 small &&
	sort small >small-sorted &&
	comm -23 small-sorted expect-cart >outside &&
	test_must_be_empty outside
'

test_expect_success 'a changed body of a constructor run at collection selects the tests using its objects' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/cart.py "s.replace(\"self.discount = discount\", \"self.discount = discount + 1\")" &&
		git covopt select >../all &&
		git covopt select -t 0.2 >../small &&
		test_must_fail covopt_run_selected ../all &&
		test_must_fail covopt_run_selected ../small
	) &&
	sort small >small-sorted &&
	comm -23 small-sorted expect-cart >outside &&
	test_must_be_empty outside &&
	test_line_count = 2 small
'

test_expect_success 'a class attribute ranks the tests that ran its methods first' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/cart.py "s.replace(\"currency = \\\"EUR\\\"\", \"currency = \\\"USD\\\"\")" &&
		git covopt select >../all &&
		git covopt select -t 0.4 >../small &&
		test_must_fail covopt_run_selected ../small
	) &&
	sort small >actual &&
	test_cmp expect-cart actual &&
	grep -x "tests/test_budget.py::test_gross" all &&
	grep -x "tests/test_budget.py::test_rate" all &&
	head -n 4 all | sort >first &&
	test_cmp expect-cart first
'

test_expect_success 'a module constant ranks the tests that ran the module before mere importers' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/cart.py "s.replace(\"TAX_RATE = 0.25\", \"TAX_RATE = 0.2\")" &&
		git covopt select >../all &&
		git covopt select -t 0.5 >../small &&
		test_must_fail covopt_run_selected ../small
	) &&
	grep -x "tests/test_budget.py::test_gross" small &&
	! grep -x "tests/test_budget.py::test_rate" small &&
	grep -x "tests/test_budget.py::test_rate" all
'

test_expect_success 'a comment in module level, class body or constructor selects nothing' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/cart.py "s.replace(\"TAX_RATE = 0.25\", \"TAX_RATE = 0.25  # VAT\")" &&
		edit inventory/cart.py "s.replace(\"    currency = \", \"    # shown in labels\n    currency = \")" &&
		edit inventory/cart.py "s.replace(\"discount=0):\", \"discount=0):  # none\")" &&
		git covopt select >../selected
	) &&
	test_must_be_empty selected
'

test_done
