"""The reform office's pages, mounted at /cai-cach/."""

from django.urls import path

from . import views

app_name = "reform"

urlpatterns = [
    path("", views.index, name="index"),
    path("bao-cao/tao/", views.report_create, name="report_create"),
    path("bao-cao/<int:pk>/", views.report, name="report"),
    path("bao-cao/<int:pk>/kiem-tra/", views.report_check, name="report_check"),
    path("bao-cao/<int:pk>/thao-tac/<slug:action>/", views.report_action, name="report_action"),
    path("bao-cao/<int:pk>/noi-dung/", views.report_sections_page, name="report_sections"),
    path("bao-cao/<int:pk>/bao-cao.docx", views.report_docx, name="report_docx"),
    path("bao-cao/<int:pk>/bieu-mau.xlsx", views.report_xlsx, name="report_xlsx"),
    path("cap-duoi/", views.subordinates, name="subordinates"),
    path("ke-hoach/", views.plan, name="plan"),
    path("ke-hoach/tao/", views.plan_create, name="plan_create"),
    path("ke-hoach/nhap/", views.plan_import, name="plan_import"),
    path("ke-hoach/<int:pk>/ke-hoach.xlsx", views.plan_export, name="plan_export"),
    path("ke-hoach/<int:plan_pk>/nhiem-vu/them/", views.task_edit, name="task_add"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", views.task_done, name="task_done"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.task_evidence, name="task_evidence"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence"),
]
