"""Seeded generator of the sample orders CSV (standard library only, Python 3.9+).

    python3 etl/generate_orders.py                      # writes etl/data/orders.csv (2000 rows, seed 2025)
    python3 etl/generate_orders.py --rows 500 --seed 7 --out orders.csv
    python3 etl/generate_orders.py --bytes 100000000 --out big.csv   # about 100 MB, streamed to disk
    python3 etl/generate_orders.py --out -                # to stdout

Header (the data contract's column order):
    order_id,order_date,customer_id,region,product,quantity,unit_price,amount,status
Rows are orders placed across 2025: sequential order ids, random dates, weighted regions and
statuses, quantity 1-20, amount = quantity * unit_price with 2 decimals. Some product names
contain commas (written quoted) and one contains non-ASCII characters.

Malformed rows, on purpose: unless --clean is given, exactly 4 rows are broken so that the
reject path shows up in every demo. In --rows N mode they are data rows N*1//5, N*2//5, N*3//5
and N*4//5 (1-based; rows 400, 800, 1200, 1600 of the default file); in --bytes mode they are
at rows 400, 800, 1200 and 1600 when the file is that long. In that order:
    1. a short row          (the amount and status fields are missing: 7 fields)
    2. a non-numeric amount ("12O.50", a letter O typed for a zero)
    3. an impossible date   ("2025-02-30")
    4. a non-numeric quantity ("three")
A broken row takes the place of the row that would have been there and draws the same random
numbers, so the other rows are identical with or without --clean.

The same seed and arguments give the same bytes on every run and Python version >= 3.9
(random.Random(seed) with choice/choices/randrange, whose sequences are stable); a test checks
the checked-in etl/data/orders.csv against a fresh run.
"""

import argparse
import csv
import datetime
import decimal
import os
import random
import sys

HEADER = (
    "order_id", "order_date", "customer_id", "region", "product",
    "quantity", "unit_price", "amount", "status",
)
DEFAULT_ROWS = 2000
DEFAULT_SEED = 2025
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "orders.csv")

REGIONS = ("NA", "EU", "APAC", "LATAM")
REGION_WEIGHTS = (35, 30, 25, 10)
STATUSES = ("PENDING", "SHIPPED", "DELIVERED", "CANCELLED", "RETURNED")
STATUS_WEIGHTS = (12, 20, 55, 8, 5)
# (product name, unit price). Cheap items are ordered more often than expensive ones.
PRODUCTS = (
    ("USB-C Cable, 2 m", "9.99"),
    ("Wireless Mouse", "24.50"),
    ("Mechanical Keyboard", "89.00"),
    ("Laptop Stand, Aluminium", "39.90"),
    ("27-inch Monitor", "279.00"),
    ("Noise-Cancelling Headphones", "199.99"),
    ("Webcam 1080p", "59.95"),
    ("Notebook, A5, Dotted", "4.99"),
    ("Ergonomic Office Chair", "349.00"),
    ("Standing Desk", "529.00"),
    ("Café Crème Coffee Pods, 50 pack", "17.25"),
    ("Portable SSD 1 TB", "109.00"),
    ("Desk Lamp, LED", "32.40"),
    ("Laptop 14-inch", "1199.00"),
)
PRODUCT_WEIGHTS = (14, 12, 6, 8, 4, 5, 7, 14, 2, 1, 10, 6, 8, 1)
CUSTOMERS = 500
MALFORMED_KINDS = ("short_row", "bad_amount", "bad_date", "bad_quantity")
BYTES_MODE_MALFORMED_AT = (400, 800, 1200, 1600)

_YEAR_START = datetime.date(2025, 1, 1)
_CENT = decimal.Decimal("0.01")


def malformed_positions(rows):
    """1-based data row numbers of the 4 broken rows in a file of `rows` rows."""
    return tuple(rows * k // 5 for k in range(1, 5)) if rows >= 5 else ()


def _order(rng, number):
    day = _YEAR_START + datetime.timedelta(days=rng.randrange(365))
    customer = rng.randrange(1, CUSTOMERS + 1)
    region = rng.choices(REGIONS, REGION_WEIGHTS)[0]
    product, unit_price = rng.choices(PRODUCTS, PRODUCT_WEIGHTS)[0]
    quantity = rng.randint(1, 20)
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    amount = (decimal.Decimal(unit_price) * quantity).quantize(_CENT)
    return [
        "ORD-%07d" % number,
        day.isoformat(),
        "CUST-%05d" % customer,
        region,
        product,
        str(quantity),
        unit_price,
        str(amount),
        status,
    ]


def _break(row, kind):
    if kind == "short_row":
        return row[:7]
    if kind == "bad_amount":
        return row[:7] + ["12O.50"] + row[8:]
    if kind == "bad_date":
        return row[:1] + ["2025-02-30"] + row[2:]
    if kind == "bad_quantity":
        return row[:5] + ["three"] + row[6:]
    raise ValueError("unknown malformed kind %r" % kind)


def generate_rows(seed, malformed_at=()):
    """Endless iterator of data rows (lists of strings); malformed_at are 1-based row numbers."""
    rng = random.Random(seed)
    broken = dict(zip(malformed_at, MALFORMED_KINDS))
    number = 0
    while True:
        number += 1
        row = _order(rng, number)
        kind = broken.get(number)
        yield _break(row, kind) if kind else row


class _CountingWriter(object):
    """Forwards writes and counts the UTF-8 bytes written."""

    def __init__(self, stream):
        self._stream = stream
        self.bytes_written = 0

    def write(self, text):
        self.bytes_written += len(text.encode("utf-8"))
        return self._stream.write(text)


def write_orders(stream, seed=DEFAULT_SEED, rows=None, target_bytes=None, clean=False):
    """Write header + rows to a text stream (opened with newline=""); returns the row count.

    Exactly one of rows (number of data rows) or target_bytes (stop at the first row that
    brings the output to at least that many bytes) must be given.
    """
    if (rows is None) == (target_bytes is None):
        raise ValueError("give exactly one of rows or target_bytes")
    if clean:
        malformed_at = ()
    elif rows is not None:
        malformed_at = malformed_positions(rows)
    else:
        malformed_at = BYTES_MODE_MALFORMED_AT
    counter = _CountingWriter(stream)
    writer = csv.writer(counter, lineterminator="\n")
    writer.writerow(HEADER)
    written = 0
    for row in generate_rows(seed, malformed_at):
        if rows is not None and written >= rows:
            break
        if target_bytes is not None and counter.bytes_written >= target_bytes:
            break
        writer.writerow(row)
        written += 1
    return written


def _non_negative_int(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0, got %d" % value)
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the seeded sample orders CSV.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--rows", type=_non_negative_int, help="data rows (default %d)" % DEFAULT_ROWS)
    size.add_argument("--bytes", type=_non_negative_int, dest="target_bytes",
                      help="write rows until the file is at least this many bytes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default %d" % DEFAULT_SEED)
    parser.add_argument("--out", default=DEFAULT_OUT, help="output file, or - for stdout "
                        "(default etl/data/orders.csv)")
    parser.add_argument("--clean", action="store_true", help="no malformed rows")
    args = parser.parse_args(argv)
    rows = args.rows
    if rows is None and args.target_bytes is None:
        rows = DEFAULT_ROWS

    if args.out == "-":
        stream = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)
    else:
        parent = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(parent, exist_ok=True)
        stream = open(args.out, "w", encoding="utf-8", newline="")
    with stream:
        written = write_orders(stream, args.seed, rows, args.target_bytes, args.clean)
    if args.out != "-":
        print("wrote %d rows to %s" % (written, args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
