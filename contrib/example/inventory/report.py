"""report.py - plain-text reports of a stock: one line per item and a summary.

export_csv() imports export.py only when it is called.
"""

from inventory.decorators import counted
from inventory.stock import LOW_STOCK

WIDTH = 32


def format_line(item, quantity):
    """One report line: the label on the left, the quantity on the right."""
    qty = str(quantity)
    return item.label.ljust(WIDTH - len(qty)) + qty


def summary(stock):
    low = stock.low_stock()
    text = "%d items, %.2f in stock" % (len(stock), stock.total_value())
    if low:
        text += "; fewer than %d left: %s" % (LOW_STOCK, ", ".join(low))
    return text


@counted
def render(stock):
    """The whole report, as a string ending in a newline."""
    lines = [format_line(item, qty) for item, qty in stock.rows()]
    lines.append("-" * WIDTH)
    lines.append(summary(stock))
    return "\n".join(lines) + "\n"


def export_csv(stock):
    """The stock as CSV text."""
    from inventory import export

    return export.to_csv(
        (item.name, qty, "%.2f" % item.price) for item, qty in stock.rows()
    )
