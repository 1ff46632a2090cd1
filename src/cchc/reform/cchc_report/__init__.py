"""The reform office's periodic CCHC report (báo cáo cải cách hành chính định kỳ): the DOCX
document with its appendices and the statistical forms 1–7 as XLSX (document.py), and the text
of each section written from the figures (sections.py).

Not to be mistaken for the period statistics report of the dossiers (cchc.reports.period_report)
or the one-stop's paper forms (cchc.onestop.paper_forms).
"""
