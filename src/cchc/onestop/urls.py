from django.urls import path

app_name = "onestop"

urlpatterns: list = []
