"""The one-stop pages, under /mot-cua/ (the public tracking page lives at /tra-cuu/)."""

from django.urls import path

from . import views

app_name = "onestop"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("hang-doi/<slug:slug>/", views.dossier_list, name="queue"),
    path("dem/", views.queue_badges, name="badges"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("tiep-nhan/thu-tuc/", views.procedure_search, name="procedure_search"),
    path("tiep-nhan/thong-tin/", views.receive_panel, name="receive_panel"),
    path("so-theo-doi.xlsx", views.tracking_book, name="tracking_book"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:code>/tep/<int:pk>/", views.dossier_file, name="file"),
    path("ho-so/<str:code>/thu-hoi-qr/", views.revoke_tracking, name="revoke_tracking"),
    path("ho-so/<str:code>/in/<slug:kind>.<slug:fmt>", views.print_form, name="print"),
]
