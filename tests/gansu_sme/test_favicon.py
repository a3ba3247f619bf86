"""The site's icon: on the signed-in, public and error pages, and at /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/notices/"])
def test_pages_link_the_icon(client, path):
    page = client.get(path).content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")
