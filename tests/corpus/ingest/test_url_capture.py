"""URL capture: guarded against internal addresses, capped, archived as WARC."""

from __future__ import annotations

import gzip
import io
import socket

import pytest
from warcio.archiveiterator import ArchiveIterator

from corpus.ingest import ingest_url
from corpus.ingest.fetch import FetchError, fetch, resolve_checked
from corpus.models import Document
from tests.corpus.ingest.conftest import media_files
from tests.corpus.ingest.test_formats import HOSTILE_HTML

pytestmark = pytest.mark.postgres

PAGE = HOSTILE_HTML


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://127.0.0.1:9/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://192.168.1.10/admin",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_private_addresses_are_refused_before_connecting(settings, url):
    settings.GLOSSA_URL_ALLOW_PRIVATE = False
    with pytest.raises(FetchError, match="Refused"):
        fetch(url)


@pytest.mark.parametrize("ip", ["10.0.0.1", "169.254.169.254", "::1", "fe80::1"])
def test_resolver_check_on_literal_addresses(settings, ip):
    settings.GLOSSA_URL_ALLOW_PRIVATE = False
    with pytest.raises(FetchError, match="private, loopback"):
        resolve_checked(ip, 80)
    settings.GLOSSA_URL_ALLOW_PRIVATE = True
    assert resolve_checked(ip, 80) == ip


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://courier.example/file.txt", "Only http"),
        ("file:///etc/passwd", "Only http"),
        ("http://user:pw@courier.example/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://[::1/", "malformed"),
        ("http://courier.example:99999/", "Port out of range"),
    ],
)
def test_bad_urls(url, reason):
    with pytest.raises(FetchError, match=reason):
        fetch(url)


def test_loopback_server_refused_without_the_setting(project, analyst, site, settings):
    settings.GLOSSA_URL_ALLOW_PRIVATE = False
    site.routes["/a"] = (200, {"Content-Type": "text/html"}, PAGE)
    result = ingest_url(project=project, url=site.url("/a"), user=analyst)
    [(_name, reason)] = result.errors
    assert "Refused" in reason and "127.0.0.1" in reason
    assert site.requests == []  # no request was ever sent


def test_capture_with_warc(project, analyst, site, allow_local, media_root):
    site.routes["/story"] = (
        200,
        {"Content-Type": "text/html; charset=utf-8", "X-Test": "yes"},
        PAGE,
    )
    url = site.url("/story")
    result = ingest_url(project=project, url=url, user=analyst, kind="article")
    assert result.errors == []
    document = result.documents[0]
    document.refresh_from_db()
    assert document.url == url
    assert "killed 11 people" in document.text
    assert "alert" not in document.text
    assert document.original.read() == PAGE
    assert document.media_type == "text/html"
    assert document.metadata["ip_address"] == "127.0.0.1"
    # The WARC file is readable by standard tools: request and response.
    with document.warc.open("rb") as handle:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r)
            for r in ArchiveIterator(handle)
        ]
    by_type = {rec_type: (target, record) for rec_type, target, record in records}
    # warcio writes the response record first, then its request.
    assert [rec_type for rec_type, _, _ in records] == [
        "warcinfo",
        "response",
        "request",
    ]
    target, response = by_type["response"]
    assert target == url
    assert by_type["request"][0] == url
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.get_header("X-Test") == "yes"
    request = by_type["request"][1]
    assert request.http_headers.get_header("User-Agent").startswith("Glossa/")
    with document.warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                assert record.content_stream().read() == PAGE
    assert len(media_files(media_root)) == 2  # original + WARC


def test_recapture_same_content_is_a_duplicate_new_content_a_version(
    project, analyst, site, allow_local
):
    url = site.url("/live")
    site.routes["/live"] = (200, {"Content-Type": "text/plain"}, b"First report text.")
    first = ingest_url(project=project, url=url, user=analyst).documents[0]
    again = ingest_url(project=project, url=url, user=analyst)
    assert again.documents == [] and again.duplicates[0][1] == first
    site.routes["/live"] = (
        200,
        {"Content-Type": "text/plain"},
        b"First report text. Updated: a survivor was found.",
    )
    second = ingest_url(project=project, url=url, user=analyst).documents[0]
    assert second.previous_version == first
    assert Document.objects.filter(url=url).count() == 2


def test_redirects_are_followed_and_recorded(project, analyst, site, allow_local):
    site.routes["/old"] = (301, {"Location": "/new"}, b"")
    site.routes["/new"] = (
        200,
        {"Content-Type": "text/plain"},
        b"Moved statement text.",
    )
    result = ingest_url(project=project, url=site.url("/old"), user=analyst)
    document = result.documents[0]
    assert document.text == "Moved statement text."
    assert document.metadata["final_url"] == site.url("/new")
    assert document.metadata["redirects"] == [site.url("/old")]
    with document.warc.open("rb") as handle:
        responses = [
            r.http_headers.get_statuscode()
            for r in ArchiveIterator(handle)
            if r.rec_type == "response"
        ]
    assert responses == ["301", "200"]


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/internal",
        "http://[::1]:8080/",
    ],
)
def test_redirect_to_a_private_address_is_refused(
    project, analyst, site, allow_local, target
):
    """Only the test server is trusted; where it redirects is checked again."""
    site.routes["/go"] = (302, {"Location": target}, b"")
    result = ingest_url(project=project, url=site.url("/go"), user=analyst)
    [(_name, reason)] = result.errors
    assert "Refused" in reason
    assert Document.objects.count() == 0


def test_connects_to_the_address_it_checked(
    project, analyst, site, allow_local, monkeypatch
):
    """DNS rebinding: a second, different answer is never used."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["10.0.0.1"] * 10)

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            ip = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    site.routes["/r"] = (
        200,
        {"Content-Type": "text/plain"},
        b"Served to the checked IP.",
    )
    result = ingest_url(
        project=project, url=f"http://rebind.test:{site.port}/r", user=analyst
    )
    assert result.errors == []
    assert result.documents[0].text == "Served to the checked IP."
    assert site.requests[0][1]["Host"] == f"rebind.test:{site.port}"


def test_size_cap_by_header_and_by_stream(
    project, analyst, site, allow_local, settings
):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 1000
    site.routes["/big"] = (200, {"Content-Type": "text/plain"}, b"x" * 5000)
    [(_, reason)] = ingest_url(
        project=project, url=site.url("/big"), user=analyst
    ).errors
    assert "larger than 1,000 bytes" in reason
    # A gzip bomb is refused while inflating.
    bomb = gzip.compress(b"y" * 50_000)
    site.routes["/gz"] = (
        200,
        {"Content-Type": "text/plain", "Content-Encoding": "gzip"},
        bomb,
    )
    [(_, reason)] = ingest_url(
        project=project, url=site.url("/gz"), user=analyst
    ).errors
    assert "larger than" in reason


def test_gzip_response_is_decoded(project, analyst, site, allow_local):
    body = b"Compressed statement from the ministry."
    site.routes["/z"] = (
        200,
        {"Content-Type": "text/plain", "Content-Encoding": "gzip"},
        gzip.compress(body),
    )
    document = ingest_url(project=project, url=site.url("/z"), user=analyst).documents[
        0
    ]
    assert document.text == body.decode()


def test_content_type_and_status_are_checked(project, analyst, site, allow_local):
    site.routes["/img"] = (200, {"Content-Type": "image/png"}, b"\x89PNG....")
    [(_, reason)] = ingest_url(
        project=project, url=site.url("/img"), user=analyst
    ).errors
    assert "Unsupported content type 'image/png'" in reason
    [(_, reason)] = ingest_url(
        project=project, url=site.url("/missing"), user=analyst
    ).errors
    assert "404" in reason


def test_timeout(project, analyst, allow_local, settings):
    """A server that accepts but never answers is cut off at GLOSSA_URL_TIMEOUT."""
    settings.GLOSSA_URL_TIMEOUT = 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    try:
        result = ingest_url(
            project=project, url=f"http://127.0.0.1:{port}/", user=analyst
        )
    finally:
        listener.close()
    [(_, reason)] = result.errors
    assert "longer than 1 seconds" in reason or "timed out" in reason.lower()


def test_warc_stream_is_valid_gzip_members(project, analyst, site, allow_local):
    site.routes["/p"] = (200, {"Content-Type": "text/plain"}, b"Plain capture.")
    document = ingest_url(project=project, url=site.url("/p"), user=analyst).documents[
        0
    ]
    raw = document.warc.open("rb").read()
    assert gzip.decompress(raw).startswith(b"WARC/1.")
    assert list(ArchiveIterator(io.BytesIO(raw)))


def test_body_is_sniffed_not_trusted(project, analyst, site, allow_local):
    """A server that says text/html but sends a PDF gets it read as a PDF."""
    from tests.corpus.ingest.conftest import make_pdf

    site.routes["/doc"] = (
        200,
        {"Content-Type": "text/html"},
        make_pdf(["Report served with the wrong type."]),
    )
    document = ingest_url(
        project=project, url=site.url("/doc"), user=analyst
    ).documents[0]
    assert document.extractor == "glossa.pdf"
    assert document.text == "Report served with the wrong type."
    assert document.url == site.url("/doc")
