"""Static files under content-hashed names with a year of caching; gzip for text responses."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from tests.conftest import login, soup_of
from tracker.core.permissions import Role

STATIC = Path(__file__).resolve().parent.parent / "tracker" / "static"


def _digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def test_pages_link_static_files_by_content_hash(client):
    page = soup_of(client.get("/login"))
    styles = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert f"/static/css/tracker.{_digest('css/tracker.css')}.css" in styles
    scripts = [tag["src"] for tag in page.find_all("script")]
    assert f"/static/tracker.{_digest('tracker.js')}.js" in scripts


def test_a_hashed_name_is_cached_for_a_year_even_when_signed_in(client, make_user):
    login(client, make_user(Role.VIEWER))
    url = f"/static/css/tracker.{_digest('css/tracker.css')}.css"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == (STATIC / "css/tracker.css").read_bytes()


def test_plain_and_outdated_names_are_served_but_revalidated(client):
    for url in ("/static/css/tracker.css", "/static/css/tracker.000000000000.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "immutable" not in response.headers.get("Cache-Control", ""), url
        assert response.get_data() == (STATIC / "css/tracker.css").read_bytes(), url


def test_unknown_and_escaping_static_paths_are_404(client):
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/../tracker/__init__.py").status_code == 404
    assert client.get("/static/css/..%2F..%2F__init__.py").status_code == 404


def test_static_text_is_gzipped_when_accepted(client):
    name = "vendor/bootstrap/bootstrap.min.css"
    url = f"/static/vendor/bootstrap/bootstrap.min.{_digest(name)}.css"
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == (STATIC / name).read_bytes()
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data() == (STATIC / name).read_bytes()


def test_a_range_of_a_static_file_is_sent_as_asked_not_gzipped(client):
    name = "css/tracker.css"
    response = client.get(f"/static/{name}", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-5999"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / name).read_bytes()[:6000]


def test_fonts_are_not_gzipped(client):
    name = "fonts/LiberationSerif-Regular.ttf"
    response = client.get(f"/static/{name}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_html_pages_are_gzipped_when_accepted_and_above_a_kilobyte(client, make_user, make_plan):
    plan = make_plan()
    login(client, make_user(Role.ADMIN))
    plain = client.get(f"/plans/{plan.id}")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(f"/plans/{plan.id}", headers={"Accept-Encoding": "br;q=1.0, gzip;q=0.8"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) < len(plain.get_data())
    html = gzip.decompress(packed.get_data()).decode()
    assert soup_of_text(html).find("h1").get_text(strip=True) == soup_of(plain).find("h1").get_text(
        strip=True
    )


def test_small_and_refused_responses_are_not_gzipped(client):
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
    refused = client.get("/login", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def soup_of_text(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")
