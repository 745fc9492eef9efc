"""The citizens' panel's addresses, under /panel/ (the `panels` namespace): joining, a volunteer's status and
leaving, the published selections, and the officers' pages that run the pool and its selections."""

from django.urls import path

from .pool import views as pool
from .selection import views as selection

app_name = "panels"

urlpatterns = [
    path("", pool.join, name="join"),
    path("joined/", pool.joined, name="joined"),
    path("your-status/", pool.your_status, name="your_status"),
    path("your-status/<int:pk>/leave/", pool.leave, name="leave"),
    path("status/<str:token>/", pool.status_link, name="status_link"),
    path("status/<str:token>/leave/", pool.leave_link, name="leave_link"),
    path("left/", pool.left, name="left"),
    path("selections/", selection.selections, name="selections"),
    path("selections/<slug:slug>/", selection.selection, name="selection"),
    path("selections/<slug:slug>/lottery.csv", selection.lottery_csv, name="lottery_csv"),
    path("selections/<slug:slug>/people.csv", selection.people_csv, name="people_csv"),
    path("selections/<slug:slug>/categories.csv", selection.categories_csv, name="categories_csv"),
    path("manage/pool/", pool.pool, name="pool"),
    path("manage/pool/import/", pool.pool_import, name="pool_import"),
    path("manage/", selection.manage_selections, name="manage_selections"),
    path("manage/new/", selection.selection_new, name="selection_new"),
    path("manage/<slug:slug>/", selection.manage_selection, name="manage_selection"),
    path("manage/<slug:slug>/quotas/", selection.quotas, name="quotas"),
    path("manage/<slug:slug>/quotas/relax/", selection.relax, name="relax"),
    path("manage/<slug:slug>/run/", selection.run, name="run"),
    path("manage/<slug:slug>/publish/", selection.publish, name="publish"),
    path("manage/<slug:slug>/draw/", selection.draw, name="draw"),
    path("manage/<slug:slug>/replace/", selection.replace, name="replace"),
    path("manage/<slug:slug>/volunteers/", selection.members, name="members"),
]
