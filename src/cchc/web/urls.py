from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("ho-so.csv", views.dossiers_csv, name="dossiers_csv"),
    path("xu-huong/", views.trends_view, name="trends"),
    path("bao-cao.<str:fmt>", views.export, name="export"),
]
