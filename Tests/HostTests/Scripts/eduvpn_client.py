#!/usr/bin/env python3
"""Drives the real eduVPN client library (eduvpn-common 5.0.2, PyPI wheel) against a Portolan server.

    eduvpn_client.py --server-url https://127.0.0.1:PORT/ --client-id org.eduvpn.app.linux --username alice \
        --password-env PORTOLAN_TEST_PASSWORD --config-dir DIR [--profile default] [--token-expiry-wait 4]

The library must trust the server: export SSL_CERT_FILE (a bundle holding the test CA) before starting this
script; Go reads it when the library first verifies a certificate. The same bundle verifies this script's
own HTTPS requests (the "browser").

Every step prints one JSON line on stdout, {"step": NAME, "ok": true, ...}; the first failure prints
{"step": NAME, "ok": false, "error": ...}, repeats the message on stderr and exits 1. Traces (state changes,
browser hops, token setter calls) go to stderr. A watchdog ends the process (exit 3) after --timeout seconds.

Steps: register, add_server (a CUSTOM server, i.e. added by URL; OAuth: login form, consent form, delivery to the
library's loopback listener), get_config (OpenVPN; the profile the library chose; <cert> verified against <ca> with
openssl), cleanup (/disconnect), expired_token (after --token-expiry-wait the app "restarts": deregister, a new
EduVPN, register, and the token getter reports the stored, now expired, access token as valid for one more hour,
so the library must meet the server's 401, refresh and retry), get_config_after_expiry (must show a new refresh
token and no new login), cleanup_after_expiry, remove_server, deregister, done.

Library states handled: OAUTH_STARTED (browser thread; the loopback style gets the URL as data, the mobile style
{"cookie", "data": URL} gets the callback back through cookie_reply), ASK_PROFILE ({"cookie", "data": {"map":
{profile_id: ...}, "current"}} answered with cookie_reply(cookie, --profile) from a thread), ASK_LOCATION (a
failure: no secure internet here). Tokens reach the token handler as JSON {"access_token", "refresh_token",
"expires_at": Unix seconds}.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts", "lib"))
from html_forms import parse_forms  # noqa: E402  (shared with scripts/bench/mint_tokens.py)

STEP_TIMEOUT = 60  # seconds for one HTTP request of the browser


# The library logs to standard output; main() moves that to standard error so that stdout carries only the steps.
STEPS_OUT = sys.stdout


def emit(step, ok=True, **fields):
    print(json.dumps({"step": step, "ok": ok, **fields}), file=STEPS_OUT, flush=True)


def trace(message):
    print(f"eduvpn_client: {message}", file=sys.stderr, flush=True)


class StepFailure(Exception):
    def __init__(self, step, message, **fields):
        super().__init__(message)
        self.step = step
        self.fields = fields


def fingerprint(text):
    """A short, stable stand-in for a secret in the output."""
    if not text:
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------------------------------------------
# The "browser": HTML forms parsed generically (action + every input), the login and consent pages filled in,
# the authorization response delivered to the library's loopback redirect_uri.


def hidden_fields(form):
    """Every named input that is not typed in by the user nor a submit control: CSRF token, return_to, ..."""
    return [
        (field["name"], field["value"])
        for field in form["inputs"]
        if field["name"] and field["type"] not in ("submit", "button", "image", "reset", "checkbox", "radio")
        and field["name"] not in ("username", "password")
    ]


def origin_of(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def excerpt(text, limit=600):
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit] + "..."


def check_authorization_response(parameters, state):
    if "error" in parameters:
        raise RuntimeError(f"the server answered the authorization with error={parameters.get('error')}: {parameters}")
    if "code" not in parameters:
        raise RuntimeError(f"the authorization response has no code: {sorted(parameters)}")
    if parameters.get("state") != state:
        raise RuntimeError("the authorization response does not echo the state")


class Browser:
    """A user in a browser, scripted: follows redirects by hand, fills the login and consent forms, delivers the
    authorization response to the loopback listener of the library (form POST or GET, as the server answers)."""

    def __init__(self, username, password, verify):
        import requests  # imported here so that --help works without requests installed

        self.requests = requests
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "Mozilla/5.0 (Portolan test; eduvpn_client.py)"
        self.username = username
        self.password = password
        self.verify = verify
        self.hops = []  # (method, url without query, status) for the report

    def authorize(self, authorization_url, deliver=True):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorization_url).query)
        redirect_uri = (query.get("redirect_uri") or [""])[0]
        if not redirect_uri:
            raise RuntimeError(f"the authorization URL has no redirect_uri: {authorization_url}")
        state = (query.get("state") or [""])[0]
        info = {
            "redirect_uri": redirect_uri,
            "response_mode": (query.get("response_mode") or [None])[0],
            "client_id": (query.get("client_id") or [None])[0],
            "scope": (query.get("scope") or [None])[0],
            "code_challenge_method": (query.get("code_challenge_method") or [None])[0],
            "logged_in": False,
            "consented": False,
        }
        method, url, data = "GET", authorization_url, None
        for _ in range(20):
            if url.startswith(redirect_uri):
                if not deliver:  # an app with a custom-scheme redirect hands the callback to the library itself
                    check_authorization_response(self._query(url), state)
                    parts = urllib.parse.urlsplit(url)
                    info["callback_uri"] = f"{parts.path}?{parts.query}"
                    info["delivery"] = {"method": "CookieReply", "fields": sorted(self._query(url))}
                    return info
                info["delivery"] = self._deliver("GET", url, None, state)
                return info
            response = self._request(method, url, data)
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise RuntimeError(f"{response.status_code} without Location from {url}")
                url = urllib.parse.urljoin(url, location)
                if response.status_code in (307, 308) and method == "POST":
                    continue  # method and body are kept
                method, data = "GET", None
                continue
            forms = parse_forms(response.text)
            if response.status_code == 401 and any(self._is_login(form) for form in forms):
                raise RuntimeError(f"the server refused the login of '{self.username}' (401 with the login form again)")
            if response.status_code != 200:
                raise RuntimeError(f"{method} {url} answered {response.status_code}: {excerpt(response.text)}")
            post_back = next((form for form in forms if self._is_form_post(form, redirect_uri)), None)
            login = next((form for form in forms if self._is_login(form)), None)
            consent = next((form for form in forms if self._is_consent(form)), None)
            if post_back is not None:
                fields = [(field["name"], field["value"]) for field in post_back["inputs"] if field["name"]]
                target = urllib.parse.urljoin(response.url, post_back["action"])
                info["delivery"] = self._deliver("POST", target, fields, state)
                return info
            if login is not None:
                if info["logged_in"]:
                    raise RuntimeError("the login form came back after the credentials were submitted")
                data = hidden_fields(login) + [("username", self.username), ("password", self.password)]
                method, url = "POST", urllib.parse.urljoin(response.url, login["action"] or response.url)
                info["logged_in"] = True
                continue
            if consent is not None:
                if info["consented"]:
                    raise RuntimeError("the consent form came back after approving")
                data = hidden_fields(consent) + [("decision", "approve")]
                method, url = "POST", urllib.parse.urljoin(response.url, consent["action"] or response.url)
                info["consented"] = True
                continue
            raise RuntimeError(f"no login, consent or form_post form on {url}: {excerpt(response.text)}")
        raise RuntimeError("more than 20 hops without reaching the redirect_uri")

    @staticmethod
    def _is_login(form):
        return any(field["name"] == "password" for field in form["inputs"])

    @staticmethod
    def _is_consent(form):
        return any(button["name"] == "decision" and button["value"] == "approve" for button in form["buttons"]) or any(
            field["name"] == "decision" and field["value"] == "approve" for field in form["inputs"]
        )

    @staticmethod
    def _is_form_post(form, redirect_uri):
        return form["method"] == "post" and form["action"].startswith(redirect_uri)

    def _request(self, method, url, data):
        headers = {}
        if method == "POST":
            headers["Origin"] = origin_of(url)
        response = self.session.request(
            method, url, data=data, headers=headers, allow_redirects=False, timeout=STEP_TIMEOUT, verify=self.verify
        )
        self.hops.append((method, url.split("?")[0], response.status_code))
        trace(f"browser: {method} {url.split('?')[0]} -> {response.status_code}")
        return response

    @staticmethod
    def _query(url):
        return {key: values[0] for key, values in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}

    def _deliver(self, method, url, fields, state):
        """Hands the authorization response to the library's loopback listener, as a browser would."""
        parameters = dict(fields) if fields is not None else self._query(url)
        check_authorization_response(parameters, state)
        # A fresh session: the loopback listener is another origin; no cookies of the server go there.
        response = self.requests.request(
            method, url, data=fields if method == "POST" else None, allow_redirects=False, timeout=STEP_TIMEOUT
        )
        self.hops.append((method, url.split("?")[0], response.status_code))
        trace(f"browser: {method} {url.split('?')[0]} (loopback) -> {response.status_code}")
        if response.status_code >= 400:
            raise RuntimeError(f"the library's listener answered {response.status_code}: {excerpt(response.text)}")
        return {
            "method": method,
            "fields": sorted(parameters),
            "listener_status": response.status_code,
        }


# --------------------------------------------------------------------------------------------------------------
# The library side


class Client:
    def __init__(self, arguments):
        self.arguments = arguments
        self.password = os.environ.get(arguments.password_env)
        if self.password is None:
            raise StepFailure("arguments", f"the environment variable {arguments.password_env} (the password) is not set")
        self.verify = os.environ.get("SSL_CERT_FILE") or True
        self.tokens = {}  # (server_id, server_type) -> token JSON text as the library gave it
        self.token_log = []  # one entry per setter call
        self.getter_calls = 0
        self.fake_expiry = False  # step 6: the getter reports the token as valid for one more hour
        self.lock = threading.Lock()
        self.oauth_allowed = True
        self.oauth_runs = []  # browser results
        self.callback_error = None  # a failure in a callback or in the browser thread
        self.oauth_threads = []
        self.profile_asks = []
        self.states = []
        self.common = None
        self.transitions = None

    # --- library loading and callbacks

    def load(self):
        from eduvpn_common.main import EduVPN, ServerType, WrappedError
        from eduvpn_common.event import class_state_transition
        from eduvpn_common.state import State, StateType

        self.ServerType = ServerType
        self.WrappedError = WrappedError
        self.State = State
        client = self

        class Transitions:
            """Callbacks of the library's state machine; they return at once, work runs in threads."""

            @class_state_transition(State.OAUTH_STARTED, StateType.ENTER)
            def on_oauth_started(self, old_state, data):
                client.on_oauth_started(data)

            @class_state_transition(State.ASK_PROFILE, StateType.ENTER)
            def on_ask_profile(self, old_state, data):
                client.on_ask_profile(data)

            @class_state_transition(State.ASK_LOCATION, StateType.ENTER)
            def on_ask_location(self, old_state, data):
                client.on_ask_location(data)

        self.transitions = Transitions()
        return EduVPN

    def log_state(self, old, new, data):
        with self.lock:
            self.states.append(self.State(new).name)
        trace(f"state {self.State(old).name} -> {self.State(new).name}")

    def on_oauth_started(self, data):
        try:
            url, cookie = data, None
            if data.lstrip().startswith("{"):  # mobile style: {"cookie": N, "data": URL}
                parsed = json.loads(data)
                url, cookie = parsed.get("data"), parsed.get("cookie")
            trace(f"OAUTH_STARTED: {url.split('?')[0]} (cookie {cookie})")
            if not self.oauth_allowed:
                self.callback_error = "the library started a new authorization instead of refreshing the token"
                threading.Thread(target=self.common.cancel, daemon=True).start()
                return
            thread = threading.Thread(target=self.run_browser, args=(url, cookie), name="browser", daemon=True)
            self.oauth_threads.append(thread)
            thread.start()
        except Exception as error:  # never raise into the library
            self.callback_error = f"OAUTH_STARTED handler: {error!r}"
            threading.Thread(target=self.common.cancel, daemon=True).start()

    def run_browser(self, url, cookie):
        browser = Browser(self.arguments.username, self.password, self.verify)
        try:
            info = browser.authorize(url, deliver=cookie is None)
            info["hops"] = len(browser.hops)
            with self.lock:
                self.oauth_runs.append(info)
            if cookie is not None:
                # The mobile style: the app hands the callback (path and query) to the library itself.
                self.common.cookie_reply(cookie, info["callback_uri"])
        except Exception as error:
            self.callback_error = f"browser: {error}"
            trace(f"browser failed: {error}; hops: {browser.hops}")
            self.common.cancel()

    def on_ask_profile(self, data):
        try:
            parsed = json.loads(data)
            cookie = parsed["cookie"]
            profiles = parsed.get("data") or {}
            available = sorted((profiles.get("map") or {}).keys())
            choice = self.arguments.profile
            with self.lock:
                self.profile_asks.append({"available": available, "chosen": choice})
            trace(f"ASK_PROFILE: {available}, choosing {choice} (data: {excerpt(data, 400)})")
            if choice not in available:
                self.callback_error = f"profile '{choice}' is not offered; the server offers {available}"
                threading.Thread(target=self.common.cancel, daemon=True).start()
                return
            threading.Thread(target=self.common.cookie_reply, args=(cookie, choice), daemon=True).start()
        except Exception as error:
            self.callback_error = f"ASK_PROFILE handler: {error!r} (data: {excerpt(data, 300)})"
            threading.Thread(target=self.common.cancel, daemon=True).start()

    def on_ask_location(self, data):
        self.callback_error = f"the library asked for a secure internet location, unexpected for this server: {excerpt(data, 300)}"
        threading.Thread(target=self.common.cancel, daemon=True).start()

    # --- token handler

    def token_getter(self, server_id, server_type):
        with self.lock:
            self.getter_calls += 1
            text = self.tokens.get((server_id, int(server_type)))
            if text is None:
                return None
            if self.fake_expiry:
                tokens = json.loads(text)
                tokens["expires_at"] = fake_expiry_value(tokens.get("expires_at"))
                return json.dumps(tokens)
            return text

    def token_setter(self, server_id, server_type, text):
        with self.lock:
            key = (server_id, int(server_type))
            previous = json.loads(self.tokens[key]) if key in self.tokens else {}
            current = json.loads(text) if text else {}
            self.tokens[key] = text
            entry = {
                "n": len(self.token_log) + 1,
                "server_type": int(server_type),
                "keys": sorted(current.keys()),
                "access_token": fingerprint(current.get("access_token")),
                "refresh_token": fingerprint(current.get("refresh_token")),
                "expires_at": current.get("expires_at"),
                "access_token_changed": current.get("access_token") != previous.get("access_token"),
                "refresh_token_changed": current.get("refresh_token") != previous.get("refresh_token"),
            }
            self.token_log.append(entry)
        trace(f"token setter: {json.dumps(entry)}")

    def current_tokens(self):
        with self.lock:
            texts = list(self.tokens.values())
        return json.loads(texts[-1]) if texts else {}

    # --- library calls

    def call(self, step, function, *arguments):
        """Calls the library; a library error or a failed callback becomes a StepFailure of `step`."""
        try:
            result = function(*arguments)
        except self.WrappedError as error:
            message = str(error)
            if self.callback_error:
                message = f"{self.callback_error} (library: {message})"
            raise StepFailure(step, message)
        if self.callback_error:
            raise StepFailure(step, self.callback_error)
        return result

    def wait_for_browsers(self, step):
        for thread in self.oauth_threads:
            thread.join(timeout=STEP_TIMEOUT)
            if thread.is_alive():
                raise StepFailure(step, "the browser thread did not finish")
        if self.callback_error:
            raise StepFailure(step, self.callback_error)

    def start_library(self, EduVPN):
        """EduVPN(...), callbacks, register(), token handler: what an app does when it starts."""
        common = EduVPN(self.arguments.client_id, "1.0", self.arguments.config_dir)
        common.register_class_callbacks(self.transitions)
        original_run = common.event_handler.run

        def run_and_log(old_state, new_state, data):
            self.log_state(old_state, new_state, data)
            return original_run(old_state, new_state, data)

        common.event_handler.run = run_and_log
        self.common = common
        self.call("register", common.register)
        self.call("register", common.set_token_handler, self.token_getter, self.token_setter)

    def run(self):
        arguments = self.arguments

        # 1. register
        EduVPN = self.load()
        self.start_library(EduVPN)
        emit("register", client_id=arguments.client_id, config_dir=arguments.config_dir)

        # 2. add_server: a custom server (added by its URL); institute access servers must be in the discovery list
        server_type = self.ServerType[arguments.server_type]
        self.call("add_server", self.common.add_server, server_type, arguments.server_url)
        self.wait_for_browsers("add_server")
        if not self.oauth_runs:
            raise StepFailure("add_server", "the library added the server without an authorization (OAUTH_STARTED never came)")
        if not self.token_log:
            raise StepFailure("add_server", "the library never handed tokens to the token setter")
        run = self.oauth_runs[-1]
        first_tokens = self.current_tokens()
        emit(
            "add_server",
            server_type=server_type.name,
            redirect_uri=run["redirect_uri"],
            response_mode=run["response_mode"],
            scope=run["scope"],
            code_challenge_method=run["code_challenge_method"],
            logged_in=run["logged_in"],
            consented=run["consented"],
            delivery=run["delivery"],
            token_keys=sorted(first_tokens.keys()),
            expires_at=first_tokens.get("expires_at"),
            token_setter_calls=len(self.token_log),
        )

        # 3 + 4. get_config (ASK_PROFILE, when it comes, is answered by on_ask_profile)
        config = self.get_config("get_config")
        emit("get_config", **config, profile_asks=list(self.profile_asks))

        # 5. cleanup (/disconnect)
        self.call("cleanup", self.common.cleanup)
        emit("cleanup")

        # 6. The access token expires on the server. The library keeps the tokens it got in memory and refreshes
        # an expired one before using it; to make it use the expired token and meet the server's 401, the app
        # restarts (deregister, a new EduVPN, register) and the token getter reports the stored token as valid
        # for one more hour, as a keyring whose clock is off would. The library must then get 401, refresh, retry.
        wait = arguments.token_expiry_wait
        time.sleep(wait)
        before = self.current_tokens()
        setter_calls_before = len(self.token_log)
        self.common.deregister()
        with self.lock:
            self.fake_expiry = True
            getter_calls_before = self.getter_calls
        self.oauth_allowed = False  # a new login instead of a refresh fails the step
        self.start_library(EduVPN)
        emit("expired_token", waited_seconds=wait, restarted=True, stored_expires_at=before.get("expires_at"),
             getter_reports_expires_at=fake_expiry_value(before.get("expires_at")))
        config = self.get_config("get_config_after_expiry")
        with self.lock:
            self.fake_expiry = False
            getter_calls = self.getter_calls - getter_calls_before
        after = self.current_tokens()
        refreshed = after.get("refresh_token") != before.get("refresh_token")
        outcome = dict(
            refreshed=refreshed,
            access_token_changed=after.get("access_token") != before.get("access_token"),
            refresh_token_changed=refreshed,
            token_setter_calls=len(self.token_log) - setter_calls_before,
            token_getter_calls=getter_calls,
            new_login=False,
        )
        if getter_calls == 0:
            raise StepFailure("get_config_after_expiry", "the library never asked the token getter after the restart",
                              **config, **outcome)
        if not refreshed:
            raise StepFailure(
                "get_config_after_expiry",
                "the configuration came without a token refresh although the server's access token had expired",
                **config, **outcome)
        emit("get_config_after_expiry", **config, **outcome)
        self.call("cleanup_after_expiry", self.common.cleanup)
        emit("cleanup_after_expiry")

        self.oauth_allowed = True
        self.call("remove_server", self.common.remove_server, server_type, arguments.server_url)
        emit("remove_server")
        self.common.deregister()
        emit("deregister")
        emit(
            "done",
            token_setter_calls=len(self.token_log),
            refresh_tokens_rotate=len({entry["refresh_token"] for entry in self.token_log}) > 1,
            states=self.states,
        )

    def current_profile(self, step):
        """The profile the library says the configuration is for (CurrentServer JSON)."""
        text = self.call(step, self.common.get_current_server)
        trace(f"current server: {excerpt(text, 400)}")
        try:
            current = json.loads(text)
        except ValueError:
            raise StepFailure(step, f"the library's current server is no JSON: {excerpt(text, 200)}")
        for value in current.values():
            if isinstance(value, dict) and isinstance(value.get("profiles"), dict):
                return value["profiles"].get("current")
        raise StepFailure(step, f"no profiles in the library's current server: {excerpt(text, 300)}")

    def get_config(self, step):
        text = self.call(step, self.common.get_config, self.ServerType[self.arguments.server_type],
                         self.arguments.server_url, False, False)
        try:
            config = json.loads(text)
        except ValueError:
            raise StepFailure(step, f"the library returned no JSON: {excerpt(text, 200)}")
        protocol = config.get("protocol")
        body = config.get("config") or ""
        result = {
            "protocol": {1: "openvpn", 2: "wireguard", 3: "wireguard+proxyguard"}.get(protocol, protocol),
            "config_length": len(body),
            "default_gateway": config.get("default_gateway"),
            "should_failover": config.get("should_failover"),
        }
        if protocol != 1:
            raise StepFailure(step, f"expected an OpenVPN configuration, got protocol {protocol}", **result)
        result["profile"] = self.current_profile(step)
        if result["profile"] != self.arguments.profile:
            raise StepFailure(step, f"the configuration is for profile '{result['profile']}', not '{self.arguments.profile}'",
                              **result)
        result.update(verify_openvpn_certificate(step, body))
        return result


def fake_expiry_value(original):
    """The token expiry one hour from now, in the type the library used (Unix seconds or RFC 3339 text)."""
    later = time.time() + 3600
    if isinstance(original, str):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(later))
    if isinstance(original, float):
        return later
    return int(later)


def inline_block(config, tag):
    match = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", config, re.DOTALL)
    return match.group(1).strip() + "\n" if match else None


def verify_openvpn_certificate(step, config):
    """Checks the client certificate of an OpenVPN configuration against its CA with openssl."""
    cert, ca = inline_block(config, "cert"), inline_block(config, "ca")
    if not cert or not ca:
        raise StepFailure(step, f"the OpenVPN configuration lacks <cert> or <ca> (has <cert>: {bool(cert)}, <ca>: {bool(ca)})")
    with tempfile.TemporaryDirectory(prefix="eduvpn-verify-") as directory:
        cert_path, ca_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "ca.pem")
        with open(cert_path, "w") as handle:
            handle.write(cert)
        with open(ca_path, "w") as handle:
            handle.write(ca)
        verify = subprocess.run(["openssl", "verify", "-CAfile", ca_path, cert_path],
                                capture_output=True, text=True, timeout=30)
        if verify.returncode != 0 or not verify.stdout.strip().endswith(": OK"):
            raise StepFailure(step, f"openssl verify failed: {(verify.stdout + verify.stderr).strip()}")
        subject = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", cert_path],
                                 capture_output=True, text=True, timeout=30)
        common_name = None
        match = re.search(r"CN=([^,\n]+)", subject.stdout)
        if match:
            common_name = match.group(1).strip()
    return {
        "certificate_verified": True,
        "subject_cn": common_name,
        "has_remote": bool(re.search(r"^remote\s", config, re.MULTILINE)),
        "script_security_0": "script-security 0" in config,
    }


def main():
    global STEPS_OUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", required=True, help="the server's base URL with a trailing slash")
    parser.add_argument("--client-id", required=True, help="e.g. org.eduvpn.app.linux")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-env", required=True, help="name of the environment variable holding the password")
    parser.add_argument("--config-dir", required=True, help="the library's configuration folder")
    parser.add_argument("--profile", default="default", help="the profile to choose when the library asks")
    parser.add_argument("--token-expiry-wait", type=float, default=4.0,
                        help="seconds to wait for the server's access token to expire before the second get_config")
    parser.add_argument("--server-type", default="CUSTOM", choices=["CUSTOM", "INSTITUTE_ACCESS"],
                        help="how the server is added (CUSTOM: by URL, as the apps' 'add your own server')")
    parser.add_argument("--timeout", type=float, default=120.0, help="overall limit in seconds")
    arguments = parser.parse_args()
    sys.stdout.flush()
    STEPS_OUT = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # everything else written to fd 1 (the Go library logs there) goes to stderr
    if not arguments.server_url.endswith("/"):
        arguments.server_url += "/"
    os.makedirs(arguments.config_dir, exist_ok=True)

    def watchdog():
        message = f"timed out after {arguments.timeout:g} s"
        emit("timeout", ok=False, error=message)
        print(f"eduvpn_client: FAILED: {message}", file=sys.stderr, flush=True)
        os._exit(3)

    timer = threading.Timer(arguments.timeout, watchdog)
    timer.daemon = True
    timer.start()

    if not os.environ.get("SSL_CERT_FILE"):
        trace("warning: SSL_CERT_FILE is not set; the library will trust only the system roots")
    client = None
    try:
        client = Client(arguments)
        client.run()
        return 0
    except StepFailure as failure:
        emit(failure.step, ok=False, error=str(failure), **failure.fields)
        message = f"FAILED at {failure.step}: {failure}"
    except Exception as error:
        emit("exception", ok=False, error=f"{type(error).__name__}: {error}")
        traceback.print_exc()
        message = f"FAILED: {type(error).__name__}: {error}"
    if client is not None:
        trace(f"states seen: {client.states}")
    trace(message)  # the library logs to stderr too; this stays the last line
    return 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the Go runtime's threads must not keep the process alive
