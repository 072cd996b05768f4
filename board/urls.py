from django.urls import path

from . import views

# `board:area_list` (arg: area code) is the stable name the layout links to.
app_name = "board"
urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/review/", views.post_review, name="post_review"),
    path("posts/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("similar/", views.similar_posts, name="similar_posts"),
    path("search/", views.search, name="search"),
    path("<slug:area>/", views.area_list, name="area_list"),
    path("<slug:area>/write/", views.post_create, name="post_create"),
]
