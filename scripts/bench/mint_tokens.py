#!/usr/bin/env python3
"""Mints OAuth token pairs for the API benchmark (scripts/bench-api.sh).

    mint_tokens.py BASE USERNAME PASSWORD COUNT OUT [--client-id ID] [--jobs J]

Logs in to the portal once per worker (a requests.Session each), then COUNT times runs the authorization code flow
with PKCE S256 for CLIENT_ID and a loopback redirect_uri (http://127.0.0.1:PORT/callback, nobody listens there):
GET the authorize URL, approve the consent form, read code and state from the 302 Location (not followed), and
exchange the code at the token endpoint. Writes one line per authorization to OUT: `ACCESS_TOKEN REFRESH_TOKEN`.
The password may be given as `-` to read it from the first line of standard input.
"""
import argparse
import base64
import concurrent.futures
import hashlib
import os
import secrets
import sys
import threading
import time
import urllib.parse

try:
    import requests
    import urllib3
except ImportError:  # pragma: no cover - reported to the caller
    sys.exit("mint_tokens.py: the Python module 'requests' is missing (pip install requests)")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from html_forms import parse_forms  # noqa: E402  (shared with the eduVPN client test driver)

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class Failure(Exception):
    """A step of the flow answered something unexpected."""


def post_form(text, what):
    """The single POST form of an HTML page."""
    forms = [form for form in parse_forms(text) if form["method"] == "post"]
    if len(forms) != 1:
        raise Failure(f"{what}: expected one POST form, found {len(forms)}")
    return forms[0]


def hidden_fields(form):
    return [(field["name"], field["value"]) for field in form["inputs"] if field["type"] == "hidden" and field["name"]]


def describe(response):
    body = response.text[:300].replace("\n", " ")
    return f"HTTP {response.status_code} {response.request.method} {response.url}: {body}"


class Minter:
    def __init__(self, base, username, password, client_id, timeout):
        self.base = base.rstrip("/")
        self.username = username
        self.password = password
        self.client_id = client_id
        self.timeout = timeout
        self.redirect_uri = f"http://127.0.0.1:{secrets.choice(range(20000, 60000))}/callback"
        self.session = requests.Session()
        self.origin = {"Origin": self.base}
        discovery = self.get(self.base + "/.well-known/vpn-user-portal")
        if discovery.status_code != 200:
            raise Failure("discovery: " + describe(discovery))
        endpoints = discovery.json()["api"]["http://eduvpn.org/api#3"]
        self.authorization_endpoint = endpoints["authorization_endpoint"]
        self.token_endpoint = endpoints["token_endpoint"]

    # verify=False on each request: Session.verify would lose against REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE.
    def get(self, url):
        return self.session.get(url, timeout=self.timeout, allow_redirects=False, verify=False)

    def post(self, url, data, headers=None):
        return self.session.post(url, data=data, headers=headers, timeout=self.timeout, allow_redirects=False,
                                 verify=False)

    def authorize_url(self, state, challenge):
        query = urllib.parse.urlencode({
            "client_id": self.client_id, "redirect_uri": self.redirect_uri, "response_type": "code",
            "scope": "config", "state": state, "code_challenge_method": "S256", "code_challenge": challenge,
        })
        return f"{self.authorization_endpoint}?{query}"

    def login(self):
        """Follows the authorize redirect to the login page and submits it; the session then carries the cookie."""
        url = self.authorize_url(secrets.token_urlsafe(16), pkce_pair()[1])
        response = self.get(url)
        if response.status_code not in (302, 303):
            raise Failure("authorize without a session should redirect to the login page: " + describe(response))
        login_url = urllib.parse.urljoin(response.url, response.headers["Location"])
        page = self.get(login_url)
        if page.status_code != 200:
            raise Failure("login page: " + describe(page))
        form = post_form(page.text, "login page")
        fields = hidden_fields(form) + [("username", self.username), ("password", self.password)]
        answer = self.post(urllib.parse.urljoin(page.url, form["action"] or page.url), fields, self.origin)
        if answer.status_code not in (302, 303):
            raise Failure("login failed (wrong user name or password?): " + describe(answer))

    def mint(self):
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(16)
        consent = self.get(self.authorize_url(state, challenge))
        if consent.status_code in (302, 303) and consent.headers.get("Location", "").startswith(self.redirect_uri):
            approve = consent  # the server skipped the consent page (already approved)
        elif consent.status_code != 200:
            raise Failure("consent page: " + describe(consent))
        else:
            form = post_form(consent.text, "consent page")
            approve = self.post(urllib.parse.urljoin(consent.url, form["action"] or consent.url),
                                hidden_fields(form) + [("decision", "approve")], self.origin)
        if approve.status_code not in (302, 303) or "Location" not in approve.headers:
            raise Failure("approve should answer a redirect to the redirect_uri: " + describe(approve))
        location = approve.headers["Location"]
        if not location.startswith(self.redirect_uri):
            raise Failure(f"approve redirected to {location}, not to {self.redirect_uri}")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        if "error" in query:
            raise Failure(f"authorization failed: {location}")
        if query.get("state") != [state] or len(query.get("code", [])) != 1:
            raise Failure(f"redirect without the right state or a code: {location}")
        token = self.post(self.token_endpoint, {
            "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": self.redirect_uri,
            "client_id": self.client_id, "code_verifier": verifier,
        })
        if token.status_code != 200:
            raise Failure("code exchange: " + describe(token))
        body = token.json()
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not access or not refresh or any(c.isspace() for c in access + refresh):
            raise Failure("code exchange answered no usable token pair: " + token.text[:300])
        return access, refresh


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="e.g. https://127.0.0.1:8443")
    parser.add_argument("username")
    parser.add_argument("password", help="or - to read it from standard input")
    parser.add_argument("count", type=int)
    parser.add_argument("out", help="output file: one 'ACCESS_TOKEN REFRESH_TOKEN' line per authorization")
    parser.add_argument("--client-id", default="org.eduvpn.app.linux")
    parser.add_argument("--jobs", type=int, default=4, help="parallel sessions (each logs in once); default 4")
    parser.add_argument("--timeout", type=float, default=30.0, help="per HTTP request, seconds")
    args = parser.parse_args()
    password = sys.stdin.readline().rstrip("\n") if args.password == "-" else args.password
    if args.count < 1:
        parser.error("count must be at least 1")
    jobs = max(1, min(args.jobs, args.count))

    started = time.monotonic()
    local = threading.local()
    lock = threading.Lock()
    pairs = []

    def minter():
        if not hasattr(local, "minter"):
            local.minter = Minter(args.base, args.username, password, args.client_id, args.timeout)
            local.minter.login()
        return local.minter

    def one(_):
        pair = minter().mint()
        with lock:
            pairs.append(pair)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        for future in concurrent.futures.as_completed([pool.submit(one, i) for i in range(args.count)]):
            future.result()  # raises the first failure
    except (Failure, requests.RequestException, KeyError, ValueError) as error:
        pool.shutdown(wait=True, cancel_futures=True)
        sys.exit(f"mint_tokens.py: {type(error).__name__}: {error}")
    pool.shutdown()

    temporary = f"{args.out}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="ascii") as out:
        for access, refresh in pairs:
            out.write(f"{access} {refresh}\n")
    os.replace(temporary, args.out)
    elapsed = time.monotonic() - started
    print(f"mint_tokens.py: {len(pairs)} token pairs for {args.username} in {elapsed:.1f} s "
          f"({len(pairs) / elapsed:.0f}/s, {jobs} sessions) -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
