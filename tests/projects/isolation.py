"""The isolation walker: request every URL pattern as an outsider.

Used by ``test_isolation.py``; kept separate so a test can run it against a
deliberately leaky URLConf and see it fail.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

METHODS = ("get", "post", "patch", "delete")

# Routes that may answer 200 to someone who is not a member of the project
# being probed, with why. Everything else must answer 401/403/404/405 or
# redirect to a login page. Adding a route that answers 200 without a
# membership check makes the isolation test fail until it is either
# protected or listed here (only for routes that show nothing of any
# project, or only the caller's own data).
PUBLIC_ROUTES: dict[str, tuple[str, str]] = {
    # name: (who may get 200: "anyone" | "authenticated", reason)
    "login": ("anyone", "the sign-in form"),
    "account-2fa-verify": ("anyone", "second sign-in step; redirects without one"),
    "api-schema": ("anyone", "OpenAPI schema: structure only, no data"),
    "api-docs": ("anyone", "Swagger UI shell, loads the schema"),
    "admin:login": ("anyone", "admin sign-in (redirects to Glossa's login)"),
    "admin:logout": ("anyone", "signs the caller out, redirects to /admin/"),
    "account-2fa-disable": ("authenticated", "the caller's own 2FA; redirects"),
    "home": ("authenticated", "lists only the caller's own projects"),
    "account-2fa": ("authenticated", "the caller's own 2FA settings"),
    "account-2fa-setup": ("authenticated", "the caller's own 2FA set-up"),
    "password_change": ("authenticated", "the caller's own password"),
    "password_change_done": ("authenticated", "confirmation page"),
    "api-root": ("authenticated", "DRF index of endpoints, no data"),
    "api-token": ("anyone", "trades the caller's own credentials for a token"),
    "admin-moved": ("anyone", "redirects an admin path from before the app split"),
    "project-new": ("authenticated", "the form to start a project of one's own"),
    "account-profile": ("authenticated", "the caller's own name and email"),
    "invite-accept": ("anyone", "an invitation link; 410 without a valid key"),
    "password_reset": ("anyone", "asks for an email address, reveals nothing"),
    "password_reset_done": ("anyone", "says the same whatever the address"),
    "password_reset_confirm": ("anyone", "signed one-time token checked by Django"),
    "password_reset_complete": ("anyone", "confirmation page"),
}
# API list endpoints (of every app) that answer 200 to any signed-in
# user because their querysets are scoped with ``for_user``: allowed only
# under /api/, and probed with ?project=<slug>&document=<id> of the other
# project, so the body check proves the scoping.
SCOPED_API_LISTS = {
    "assignment-list",
    "history-list",
    "annotation-list",
    "suggestion-list",
    "comment-list",
    "claim-list",
    "assessment-list",
    "framework-list",
    "project-list",
    "api-document-list",
    "tag-list",
}
LOGIN_PREFIXES = ("/login/", "/admin/login/")
# Routes that need a query naming the project: probed with it, so the
# membership check on the named project is what answers.
QUERIES = {
    "api-agreement": "?project={slug}",
    "assignment-list": "?project={slug}",
    "history-list": "?project={slug}",
    "claim-annotation-proposals": "?annotation={id}",
    "api-search": "?project={slug}&q=minister",
    "suggestion-triage": "?project={slug}",
    "api-models": "?project={slug}",
    "social-accounts": "?platform=x&handle={slug}&claimant={slug}",
}
# Write endpoints that name their project in the request body: an empty
# body is refused with 400 before any project is looked up, so nothing of
# any project can be in the answer (the body check above still applies).
# Only 400 is tolerated for them, never 200.
VALIDATES_BODY_FIRST = {
    "framework-import-framework": "project slug is part of the posted body",
    "api-document-capture": "project slug is part of the posted body",
    "suggestion-triage": "project slug is part of the posted body",
    "api-models-train": "project slug is part of the posted body",
}


@dataclass
class Route:
    regex: str
    name: str
    params: list[str]
    template: str


def walk(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern, recursively, with its full regex and name."""
    resolver = resolver or get_resolver()
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            routes.extend(walk(entry, regex, inner))
        elif isinstance(entry, URLPattern):
            template, params = normalize("^" + regex)[0]
            name = f"{namespace}{entry.name}" if entry.name else ""
            routes.append(Route(regex, name, list(params), template))
    return routes


def candidates(param: str, values: dict[str, list[str]]) -> list[str]:
    return values.get(param) or values["*int*" if param.endswith("id") else "*"]


def concrete_paths(route: Route, values: dict[str, list[str]]) -> list[str]:
    options = [candidates(p, values) for p in route.params]
    if route.name.startswith("admin:"):
        options = [opt[:1] for opt in options]
    query = QUERIES.get(route.name, "")
    if not query and route.name.endswith("-list"):
        # API lists are probed filtered by the other project's slug and ids.
        query = "?project={slug}&document={id}"
    doc_id = values.get("document", values["*int*"])[0]
    query = query.format(slug=values["slug"][0], id=doc_id)
    paths = []
    for combo in itertools.product(*options):
        filled = route.template % dict(zip(route.params, combo, strict=True))
        paths.append("/" + filled + query)
    return paths


def shard_routes(
    routes: list[Route], values: dict[str, list[str]], part: int, parts: int
) -> list[Route]:
    """Part ``part`` of ``parts`` of ``routes``, balanced by the number of
    paths each is probed with (a route with two id parameters costs as much
    as dozens with none). Every route is in exactly one part."""
    loads = [0] * parts
    mine: list[Route] = []
    costs = [(len(concrete_paths(r, values)), i) for i, r in enumerate(routes)]
    for cost, index in sorted(costs, key=lambda c: (-c[0], c[1])):
        target = loads.index(min(loads))
        loads[target] += cost
        if target == part:
            mine.append(routes[index])
    return mine


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and response.get(
        "Location", ""
    ).startswith(LOGIN_PREFIXES)


def probe(
    client,
    who: str,
    values,
    secrets: list[str],
    relogin=None,
    shard: tuple[int, int] = (0, 1),
) -> list[str]:
    """Request every route as ``who`` ("anonymous" or "outsider").

    ``shard=(part, parts)`` probes only that part of the routes (see
    ``shard_routes``), so the walk can be split over tests that pytest-xdist
    runs in parallel. Returns a list of problems (empty when isolation holds).
    """
    problems: list[str] = []
    client.raise_request_exception = False  # a 500 is a finding, not a crash
    for route in shard_routes(walk(), values, *shard):
        allowed = PUBLIC_ROUTES.get(route.name, (None, ""))[0]
        if route.name in SCOPED_API_LISTS and route.regex.startswith("api/"):
            allowed = "authenticated"
        may_200 = allowed == "anyone" or (
            allowed == "authenticated" and who != "anonymous"
        )
        for path in concrete_paths(route, values):
            for method in METHODS:
                if relogin:
                    relogin()
                response = (
                    getattr(client, method)(
                        path, content_type="application/json", data={}
                    )
                    if method in ("patch", "delete")
                    else getattr(client, method)(path)
                )
                body = b"".join(response) if response.streaming else response.content
                leaked = [s for s in secrets if s.encode() in body]
                if leaked:
                    problems.append(
                        f"{who} {method.upper()} {path} ({route.name or route.regex}):"
                        f" response contains project data {leaked}"
                    )
                status = response.status_code
                if status in (401, 403, 404, 405) or is_login_redirect(response):
                    continue
                if may_200 and status < 500:
                    continue
                if status == 400 and route.name in VALIDATES_BODY_FIRST:
                    continue
                problems.append(
                    f"{who} {method.upper()} {path} ({route.name or route.regex}) "
                    f"answered {status}: add a membership check "
                    "(projects.permissions) or, if it shows no project data, list it "
                    "in PUBLIC_ROUTES with a reason."
                )
    return problems


# Queries a member may send that change what a route shows: the blind pass
# probes them as well as the bare path (exports of every format, lists by
# status).
BLIND_QUERIES: dict[str, tuple[str, ...]] = {
    "export": tuple(
        f"?format={key}"
        for key in ("jsonl", "csv", "w3c", "xlsx", "doccano", "claimreview")
    ),
    "api-export": ("?format=jsonl", "?format=w3c", "?format=csv"),
    "suggestion-list": ("&status=all", "&status=rejected", "&status=accepted"),
    "document-list": ("?tag=denial_or_rebuttal",),
    "claim-list": ("?q=Ostrevine",),
    "api-document-detail": ("?include=annotations",),
}


def probe_blind(
    client,
    values,
    secrets: list[str],
    patterns: list[bytes] = (),  # type: ignore[assignment]
    relogin=None,
    shard: tuple[int, int] = (0, 1),
) -> list[str]:
    """Request every route as a member working blind (an analyst of a
    blind-mode project), with the same discovery and path values as
    ``probe``, and report every response that shows another analyst's work.

    Members may get 200 almost everywhere, so status codes prove nothing
    here: the finding is a body holding one of ``secrets`` (texts only the
    other analyst wrote: notes, comments, claims, rationales) or matching one
    of ``patterns`` (regular expressions over bytes, e.g. their annotations'
    ids and quotes as the JSON and the pages write them), or a 500. Writes
    (POST/PATCH/DELETE with empty bodies) are probed too: the caller checks
    afterwards that the other analyst's objects are unchanged.
    """
    import re

    compiled = [re.compile(p) for p in patterns]
    problems: list[str] = []
    client.raise_request_exception = False
    for route in shard_routes(walk(), values, *shard):
        paths = concrete_paths(route, values)
        paths += [p + q for p in paths for q in BLIND_QUERIES.get(route.name, ())]
        for path in paths:
            for method in METHODS:
                if relogin:
                    relogin()
                response = (
                    getattr(client, method)(
                        path, content_type="application/json", data={}
                    )
                    if method in ("patch", "delete")
                    else getattr(client, method)(path)
                )
                body = b"".join(response) if response.streaming else response.content
                leaked = [s for s in secrets if s.encode() in body]
                leaked += [p.pattern.decode() for p in compiled if p.search(body)]
                where = f"blind {method.upper()} {path} ({route.name or route.regex})"
                if leaked:
                    problems.append(f"{where}: shows another analyst's work {leaked}")
                if response.status_code >= 500:
                    problems.append(f"{where} answered {response.status_code}")
    return problems
