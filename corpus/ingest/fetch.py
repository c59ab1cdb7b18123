"""URL capture over HTTP(S), guarded against server-side request forgery.

Every hop (the first request and each redirect) resolves the host name,
refuses the URL if any address it resolves to is private, loopback,
link-local, multicast, reserved or otherwise not global (unless
``GLOSSA_URL_ALLOW_PRIVATE``), and then connects to the very address it
checked, so a second DNS answer cannot swap in an internal one (DNS
rebinding). TLS still verifies the certificate against the host name.
Size (``GLOSSA_MAX_UPLOAD_BYTES``), total time (``GLOSSA_URL_TIMEOUT``) and
content type are capped. Every hop is kept as a WARC request/response pair.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from corpus.ingest.base import ExtractionError

MAX_REDIRECTS = 5
USER_AGENT = "Glossa/0.1 (evidence capture; +https://github.com/glossa)"
ACCEPTED_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/csv",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/json",
    "application/x-ndjson",
    "application/octet-stream",
}


class FetchError(ExtractionError):
    """The URL could not be captured; the message says why."""


@dataclass
class Hop:
    url: str
    ip: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    response_headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Capture:
    """What a URL returned, with every hop for the WARC record."""

    url: str
    final_url: str
    body: bytes
    media_type: str
    hops: list[Hop] = field(default_factory=list)


def address_allowed(ip: str) -> bool:
    """True if ``ip`` is a public (globally routable, unicast) address.

    IPv6 addresses that embed an IPv4 one (mapped, 6to4, Teredo, NAT64) are
    judged by the embedded address too.
    """
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    candidates = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            candidates.append(address.ipv4_mapped)
        if address.sixtofour:
            candidates.append(address.sixtofour)
        if address.teredo:
            candidates.extend(address.teredo)
        if address in ipaddress.ip_network("64:ff9b::/96"):
            candidates.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    for candidate in candidates:
        if (
            candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
            or not candidate.is_global
        ):
            return False
    return True


def private_allowed(ip: str) -> bool:
    """Whether settings allow this non-public address.

    ``GLOSSA_URL_ALLOW_PRIVATE`` is normally a boolean; it may also be a list
    of networks (e.g. ``["127.0.0.1/32"]``) to trust only those, such as one
    internal archive server or a test server.
    """
    allowed = settings.GLOSSA_URL_ALLOW_PRIVATE
    if isinstance(allowed, bool) or not allowed:
        return bool(allowed)
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    return any(
        address in ipaddress.ip_network(network, strict=False) for network in allowed
    )


def resolve_checked(host: str, port: int) -> str:
    """Resolve ``host`` and return an address it is safe to connect to.

    Refuses the host if any of its addresses is not public (unless private
    addresses are allowed by settings): a mixed answer is a red flag.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"The host name {host!r} cannot be resolved ({exc}).") from exc
    addresses = [str(info[4][0]) for info in infos]  # (host, port, ...): a str
    if not addresses:
        raise FetchError(f"The host name {host!r} has no address.")
    for ip in addresses:
        if not address_allowed(ip) and not private_allowed(ip):
            raise FetchError(
                f"Refused: {host} resolves to {ip}, a private, loopback, "
                "link-local or reserved address. Only public web addresses "
                "can be captured."
            )
    return addresses[0]


def check_url(url: str) -> tuple[str, str, int, str]:
    """Validate a URL; return (scheme, host, port, path with query)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        raise FetchError(f"The URL is malformed ({exc}).") from exc
    if parts.scheme not in {"http", "https"}:
        raise FetchError("Only http:// and https:// URLs can be captured.")
    if not parts.hostname:
        raise FetchError("The URL has no host name.")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not accepted.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"The URL has an invalid port ({exc}).") from exc
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def fetch(url: str) -> Capture:
    """GET ``url`` following up to five redirects, every hop checked."""
    import urllib3

    deadline = time.monotonic() + settings.GLOSSA_URL_TIMEOUT
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    hops: list[Hop] = []
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = check_url(current)
        ip = resolve_checked(host, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(_timeout_message())
        timeout = urllib3.Timeout(connect=min(remaining, 10), read=remaining)
        host_header = host if port in (80, 443) else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
        headers = {
            "Host": host_header,
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/pdf,"
            "application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate, identity",
        }
        pool: urllib3.HTTPConnectionPool
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                ip,
                port,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
                timeout=timeout,
                retries=False,
                maxsize=1,
            )
        else:
            pool = urllib3.HTTPConnectionPool(
                ip, port, timeout=timeout, retries=False, maxsize=1
            )
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
            raw = _read_capped(response, limit, deadline)
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError(_timeout_message()) from exc
        except urllib3.exceptions.SSLError as exc:
            raise FetchError(f"TLS error talking to {host} ({exc}).") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"Could not fetch {current} ({exc}).") from exc
        finally:
            pool.close()
        response_headers = list(response.headers.items())
        hops.append(
            Hop(
                url=current,
                ip=ip,
                method="GET",
                request_headers=list(headers.items()),
                status=response.status,
                reason=response.reason or "",
                http_version="HTTP/1.1" if response.version == 11 else "HTTP/1.0",
                response_headers=response_headers,
                body=raw,
            )
        )
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"{current} redirects without a Location header.")
            current = urljoin(current, location)
            continue
        if response.status != 200:
            raise FetchError(
                f"The server answered {response.status} {response.reason or ''} "
                f"for {current}.".replace("  ", " ")
            )
        media_type = (
            (response.headers.get("Content-Type") or "application/octet-stream")
            .split(";", 1)[0]
            .strip()
            .lower()
        )
        if media_type not in ACCEPTED_TYPES:
            raise FetchError(
                f"Unsupported content type {media_type!r} at {current}; Glossa "
                "captures web pages, PDF, DOCX, feeds and text."
            )
        body = _decode(raw, response.headers.get("Content-Encoding", ""), limit)
        if not body.strip():
            raise FetchError(f"{current} returned an empty body.")
        return Capture(
            url=url, final_url=current, body=body, media_type=media_type, hops=hops
        )
    raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}) from {url}.")


def _timeout_message() -> str:
    return (
        f"The capture took longer than {settings.GLOSSA_URL_TIMEOUT} seconds "
        "(GLOSSA_URL_TIMEOUT) and was stopped."
    )


def _too_large(limit: int) -> FetchError:
    return FetchError(
        f"The response is larger than {limit:,} bytes (GLOSSA_MAX_UPLOAD_BYTES)."
    )


def _read_capped(response, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        response.release_conn()
        raise _too_large(limit)
    buffer = io.BytesIO()
    for chunk in response.stream(65536, decode_content=False):
        buffer.write(chunk)
        if buffer.tell() > limit:
            response.release_conn()
            raise _too_large(limit)
        if time.monotonic() > deadline:
            response.release_conn()
            raise FetchError(_timeout_message())
    return buffer.getvalue()


def _decode(raw: bytes, encoding: str, limit: int) -> bytes:
    """Undo gzip/deflate content coding, capped (compression bombs refused)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"Unsupported content encoding {encoding!r}.")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise FetchError(f"The compressed response is corrupt ({exc}).") from exc
    if len(body) > limit or inflater.unconsumed_tail:
        raise _too_large(limit)
    return body


def warc_bytes(capture: Capture) -> bytes:
    """A gzipped WARC file with a request and a response record per hop."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    output = io.BytesIO()
    writer = WARCWriter(output, gzip=True)
    warcinfo = writer.create_warcinfo_record(
        "glossa-capture.warc.gz",
        {"software": USER_AGENT, "format": "WARC File Format 1.0"},
    )
    writer.write_record(warcinfo)
    for hop in capture.hops:
        path = urlsplit(hop.url).path or "/"
        if urlsplit(hop.url).query:
            path += "?" + urlsplit(hop.url).query
        request_headers = StatusAndHeaders(
            f"{hop.method} {path} HTTP/1.1", hop.request_headers, is_http_request=True
        )
        request = writer.create_warc_record(
            hop.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=request_headers,
            warc_headers_dict={"WARC-IP-Address": hop.ip},
        )
        response_headers = StatusAndHeaders(
            f"{hop.status} {hop.reason}".strip(),
            hop.response_headers,
            protocol=hop.http_version,
        )
        response = writer.create_warc_record(
            hop.url,
            "response",
            payload=io.BytesIO(hop.body),
            length=len(hop.body),
            http_headers=response_headers,
            warc_headers_dict={"WARC-IP-Address": hop.ip},
        )
        writer.write_request_response_pair(request, response)
    return output.getvalue()
