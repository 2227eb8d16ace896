"""A stateful fake of Microsoft Graph v1.0 users and the Microsoft identity platform token endpoint,
on 127.0.0.1.

It follows the vendor's reference pages:
- client credentials: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
  (POST /{tenant}/oauth2/v2.0/token, form grant_type=client_credentials, client_id, client_secret,
  scope=https://graph.microsoft.com/.default; 401 invalid_client with AADSTS7000215 for a bad secret)
- list users: https://learn.microsoft.com/graph/api/user-list ($select, $top, @odata.nextLink paging;
  without $select only the default properties, which lack department, accountEnabled, employeeId,
  usageLocation)
- create user: https://learn.microsoft.com/graph/api/user-post-users (accountEnabled, displayName,
  mailNickname, userPrincipalName, passwordProfile required; 201 with the user)
- update user: https://learn.microsoft.com/graph/api/user-update (PATCH, 204; proxyAddresses read-only)
- delete user: https://learn.microsoft.com/graph/api/user-delete (204; 404 Request_ResourceNotFound)
- assignLicense: https://learn.microsoft.com/graph/api/user-assignlicense (needs usageLocation)
- JSON batching: https://learn.microsoft.com/graph/json-batching (POST /$batch, at most 20 requests,
  each answered on its own with id/status/headers/body)
- throttling: https://learn.microsoft.com/graph/throttling (429 with Retry-After, also inside a batch)
- errors: https://learn.microsoft.com/graph/errors (401 InvalidAuthenticationToken for an expired token)
"""

import re
import time
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

from .fake_http import Answer, FakeApi, parse_json

DEFAULT_PROPERTIES = ("id", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                      "officeLocation", "preferredLanguage", "surname", "userPrincipalName")
WRITABLE = {"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile", "givenName",
            "surname", "department", "jobTitle", "employeeId", "mobilePhone", "usageLocation"}
READ_ONLY = {"proxyAddresses", "id", "assignedLicenses", "mail"}
MAX_BATCH = 20


def graph_error(status, code, message, headers=None):
    return Answer(status, {"error": {"code": code, "message": message}}, headers)


class FakeGraph(FakeApi):
    tenant_id = "0f6e3c6a-fake-tenant"
    client_id = "5d1e0c4b-fake-client"
    client_secret = "graph-secret-Kx9~"
    domains = ("example.org",)
    page_size_cap = 999

    def reset_state(self):
        self.users = {}  # id -> user
        self.token_seconds = 3599
        self.batches = 0
        self.batch_times = []
        self.pages = 0

    # Dispatch ------------------------------------------------------------------------------

    def route(self, method, path, query, headers, raw):
        if path == "/%s/oauth2/v2.0/token" % self.tenant_id and method == "POST":
            with self.lock:
                self.calls["token"] += 1
            return self.token(raw)
        if not path.startswith("/v1.0/"):
            return graph_error(404, "UnknownError", "no such endpoint")
        auth = headers.get("Authorization") or ""
        state = self.token_state(auth[7:]) if auth.startswith("Bearer ") else "invalid"
        if state != "valid":
            message = "Access token has expired or is not yet valid." if state == "expired" else \
                "Access token validation failure. Invalid audience."
            return graph_error(401, "InvalidAuthenticationToken", message)
        body = parse_json(raw)
        if body is ValueError:
            return graph_error(400, "BadRequest", "Unable to read JSON request payload.")
        if path == "/v1.0/$batch" and method == "POST":
            with self.lock:
                self.calls["$batch"] += 1
                self.batches += 1
                self.batch_times.append(time.monotonic())
            if self.should_throttle():
                return graph_error(429, "TooManyRequests", "Too many requests", {"Retry-After": self.retry_after})
            return self.batch(body, query)
        if self.should_throttle():
            return graph_error(429, "TooManyRequests", "Too many requests", {"Retry-After": self.retry_after})
        with self.lock:
            self.calls["%s %s" % (method, re.sub(r"/users/[^/]+", "/users/{id}", path[5:]))] += 1
            return self.resource(method, path[5:], query, body)

    def token(self, raw):
        form = dict((k, v[0]) for k, v in parse_qs(raw.decode("utf-8")).items())
        if form.get("grant_type") != "client_credentials" or form.get("scope") != "https://graph.microsoft.com/.default":
            return Answer(400, {"error": "invalid_request", "error_description": "AADSTS900144: bad request"})
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Answer(401, {"error": "invalid_client", "error_codes": [7000215],
                                "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the "
                                                     "secret being sent in the request is the client secret value."})
        return Answer(200, {"token_type": "Bearer", "expires_in": self.token_seconds,
                            "ext_expires_in": self.token_seconds, "access_token": self.issue_token(self.token_seconds)})

    def batch(self, body, query):
        requests = (body or {}).get("requests")
        if not isinstance(requests, list) or not requests or len(requests) > MAX_BATCH:
            return graph_error(400, "BadRequest", "Invalid batch payload: 1 to 20 requests.")
        responses = []
        for request in requests:
            if self.should_throttle():
                responses.append({"id": request.get("id"), "status": 429, "headers": {"Retry-After": str(self.retry_after)},
                                  "body": {"error": {"code": "TooManyRequests", "message": "Too many requests"}}})
                continue
            parts = urlsplit(request.get("url") or "")
            sub_query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
            with self.lock:
                self.calls["%s %s" % (request.get("method"), re.sub(r"/users/[^/]+", "/users/{id}", parts.path))] += 1
                answer = self.resource(request.get("method"), parts.path, sub_query, request.get("body"))
            responses.append({"id": request.get("id"), "status": answer.status, "headers": answer.headers,
                              "body": answer.body})
        return Answer(200, {"responses": responses})

    # Users ---------------------------------------------------------------------------------

    def find(self, key):
        key = unquote(key)
        if key in self.users:
            return self.users[key]
        for user in self.users.values():
            if user["userPrincipalName"].lower() == key.lower():
                return user
        return None

    def resource(self, method, path, query, body):
        if path == "/users" and method == "GET":
            self.reads += 1
            return self.list_users(query)
        if path == "/users" and method == "POST":
            self.writes += 1
            return self.create(body or {})
        match = re.match(r"^/users/([^/]+)(/assignLicense)?$", path)
        if not match:
            return graph_error(400, "BadRequest", "Resource not found for the segment.")
        user = self.find(match.group(1))
        if method == "GET":
            self.reads += 1
        else:
            self.writes += 1
        if user is None:
            return graph_error(404, "Request_ResourceNotFound", "Resource '%s' does not exist." % match.group(1))
        if match.group(2):
            return self.assign_license(user, body or {}) if method == "POST" else graph_error(405, "BadRequest", "x")
        if method == "PATCH":
            return self.update(user, body or {})
        if method == "DELETE":
            del self.users[user["id"]]
            return Answer(204)
        if method == "GET":
            return Answer(200, self.project(user, query))
        return graph_error(405, "BadRequest", "method not allowed")

    def project(self, user, query):
        wanted = query.get("$select")
        names = wanted.split(",") if wanted else DEFAULT_PROPERTIES
        return dict((name, user.get(name)) for name in names)

    def list_users(self, query):
        self.pages += 1
        top = min(int(query.get("$top") or 100), self.page_size_cap)
        skip = int(query.get("$skiptoken") or 0)
        ordered = sorted(self.users.values(), key=lambda u: u["id"])
        page = [self.project(u, query) for u in ordered[skip:skip + top]]
        answer = {"@odata.context": "%s/v1.0/$metadata#users" % self.url, "value": page}
        if skip + top < len(ordered):
            rest = dict((k, v) for k, v in query.items() if k != "$skiptoken")
            rest["$skiptoken"] = str(skip + top)
            answer["@odata.nextLink"] = "%s/v1.0/users?%s" % (self.url, "&".join("%s=%s" % kv for kv in rest.items()))
        return Answer(200, answer)

    def _check(self, body, creating):
        read_only = set(body) & READ_ONLY
        if read_only:
            name = sorted(read_only)[0]
            return graph_error(400, "Request_BadRequest", "Property '%s' is read-only and cannot be set." % name)
        unknown = set(body) - WRITABLE
        if unknown:
            return graph_error(400, "Request_BadRequest", "Invalid property '%s'." % sorted(unknown)[0])
        if creating:
            missing = [k for k in ("accountEnabled", "displayName", "mailNickname", "userPrincipalName",
                                   "passwordProfile") if body.get(k) in (None, "")]
            if missing:
                return graph_error(400, "Request_BadRequest",
                                   "Property '%s' is required when creating the object." % missing[0])
        if "passwordProfile" in body:
            profile = body["passwordProfile"]
            if not isinstance(profile, dict) or len(str(profile.get("password") or "")) < 8:
                return graph_error(400, "Request_BadRequest", "The specified password does not comply with password "
                                                              "complexity requirements.")
        if "userPrincipalName" in body:
            upn = str(body["userPrincipalName"])
            if upn.rsplit("@", 1)[-1].lower() not in self.domains:
                return graph_error(400, "Request_BadRequest", "The domain portion of the userPrincipalName property "
                                                              "is invalid.")
            holder = self.find(upn)
            if holder is not None:
                return graph_error(400, "Request_BadRequest", "Another object with the same value for property "
                                                              "userPrincipalName already exists.")
        if "displayName" in body and body["displayName"] in (None, ""):
            return graph_error(400, "Request_BadRequest", "Invalid value specified for property 'displayName'.")
        if "usageLocation" in body and body["usageLocation"] is not None and len(body["usageLocation"]) != 2:
            return graph_error(400, "Request_BadRequest", "Invalid value specified for property 'usageLocation'.")
        return None

    def create(self, body):
        problem = self._check(body, creating=True)
        if problem:
            return problem
        user = dict((name, None) for name in WRITABLE - {"passwordProfile"})
        user.update(body)
        upn = body["userPrincipalName"]
        user.update(id=str(uuid.uuid4()), mail=upn, proxyAddresses=["SMTP:" + upn], assignedLicenses=[])
        self.users[user["id"]] = user
        return Answer(201, self.project(user, {}))

    def update(self, user, body):
        if "userPrincipalName" in body and body["userPrincipalName"].lower() == user["userPrincipalName"].lower():
            body = dict(body)
            body.pop("userPrincipalName")
        problem = self._check(body, creating=False)
        if problem:
            return problem
        user.update(body)
        return Answer(204)

    def assign_license(self, user, body):
        if not user.get("usageLocation"):
            return graph_error(400, "Request_BadRequest", "License assignment cannot be done for user with invalid "
                                                          "usage location.")
        add = body.get("addLicenses")
        if not isinstance(add, list) or "removeLicenses" not in body:
            return graph_error(400, "Request_BadRequest", "addLicenses and removeLicenses are required.")
        for licence in add:
            user["assignedLicenses"].append({"skuId": licence.get("skuId"), "disabledPlans": licence.get("disabledPlans") or []})
        return Answer(200, self.project(user, {}))

    # For tests -----------------------------------------------------------------------------

    def by_upn(self, upn):
        return self.find(upn)

    def add_alias(self, upn, alias):
        self.find(upn)["proxyAddresses"].append("smtp:" + alias)
