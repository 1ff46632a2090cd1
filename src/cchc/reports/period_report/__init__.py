"""The period statistics report (báo cáo kết quả giải quyết TTHC theo kỳ): its tables, drawn
once from the statistics (tables.py, trends_tables.py), as a DOCX document (docx.py) and an
XLSX workbook (xlsx.py). Not to be mistaken for the reform office's CCHC report (cchc.reform)
or the one-stop's paper forms (cchc.onestop)."""
