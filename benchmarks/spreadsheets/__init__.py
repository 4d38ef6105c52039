"""Reading spreadsheets: the streaming reader against openpyxl's read-only mode, on an ordinary import and on a
crafted workbook (``python -m benchmarks.spreadsheets``)."""
