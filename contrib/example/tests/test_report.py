"""test_report.py - report.py; also a slow test, a skipped one and one that runs no package code."""

import time

import pytest

from inventory import report


class TestRender:
    @pytest.mark.slow
    def test_render(self, stock):
        time.sleep(0.25)
        text = report.render(stock)
        assert text.splitlines()[0] == "Apple (0.50 EUR)              10"
        assert text.endswith("fewer than 3 left: flour\n")

    def test_format_line(self, apple):
        assert report.format_line(apple, 7).endswith(" 7")


def test_export_csv(stock):
    assert report.export_csv(stock).splitlines() == [
        "name;quantity;price",
        "apple;10;0.50",
        "flour;2;1.20",
    ]


@pytest.mark.skip(reason="PDF reports are not written yet")
def test_pdf_report(stock):
    report.render_pdf(stock)


def test_arithmetic():
    assert sum([1, 2, 3]) == 6
