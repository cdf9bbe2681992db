"""export.py - CSV export of a stock, imported lazily by report.export_csv().

So its module level and its class body run inside the first test using it.
"""

import csv
import io


class CsvFormat:
    """The shape of the CSV: plain data, evaluated once at import."""

    delimiter = ";"
    header = ("name", "quantity", "price")
    width = len(header)


def to_csv(rows):
    """`rows` of CsvFormat.width fields as CSV text, header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CsvFormat.delimiter, lineterminator="\n")
    writer.writerow(CsvFormat.header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
