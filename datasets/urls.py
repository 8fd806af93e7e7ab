from datasets.urls_trends import urlpatterns as trend_urls
from datasets.urls_uploads import urlpatterns as upload_urls

app_name = "datasets"
urlpatterns = [*upload_urls, *trend_urls]
