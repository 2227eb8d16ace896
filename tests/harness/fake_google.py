"""A stateful fake of the Google Workspace Admin SDK Directory API (users, aliases, org units) and of
Google's OAuth 2.0 token endpoint for service accounts, on 127.0.0.1.

It follows the vendor's reference pages:
- service accounts with domain-wide delegation:
  https://developers.google.com/identity/protocols/oauth2/service-account (a JWT signed RS256 with the
  key's private key: header alg/typ/kid, claims iss = client_email, sub = the user to impersonate,
  scope (space-separated), aud = the token endpoint, iat, exp at most an hour later; POST to the token
  endpoint with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and assertion; answers
  access_token, expires_in, token_type; errors invalid_grant ("Invalid JWT Signature.",
  "Invalid email or User ID") and unauthorized_client (a scope not delegated))
- users.list: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list
  (customer=my_customer or the customer ID, projection basic|full, maxResults 1-500 (default 100),
  pageToken / nextPageToken)
- the User resource: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users
  (primaryEmail, name.givenName/familyName required on insert, password with hashFunction MD5, SHA-1
  or crypt, changePasswordAtNextLogin, suspended, orgUnitPath, organizations, externalIds, phones;
  aliases output only)
- users.insert / users.update / users.delete:
  https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/insert ,
  .../users/update (PUT; patch semantics: fields left out are kept), .../users/delete (204)
- users.aliases.insert / delete:
  https://developers.google.com/admin-sdk/directory/reference/rest/v1/users.aliases
- org units: https://developers.google.com/admin-sdk/directory/reference/rest/v1/orgunits
  (list with type=all, insert with name + parentOrgUnitPath, update, delete by path)
- errors and limits: https://developers.google.com/admin-sdk/directory/v1/limits (403
  userRateLimitExceeded / rateLimitExceeded and 503: retry with exponential backoff) and
  https://developers.google.com/admin-sdk/directory/v1/guides/troubleshoot-error-codes (401 authError
  "Invalid Credentials", 404 "Resource Not Found: userKey", 409 "Entity already exists.")
"""

import base64
import json
import re
import time
import uuid
from urllib.parse import parse_qs, unquote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .fake_http import Answer, FakeApi, parse_json

API = "/admin/directory/v1"
SCOPES = {"https://www.googleapis.com/auth/admin.directory.user",
          "https://www.googleapis.com/auth/admin.directory.orgunit"}
USER_FIELDS = {"primaryEmail", "name", "password", "hashFunction", "changePasswordAtNextLogin", "suspended",
               "orgUnitPath", "organizations", "externalIds", "phones"}
HASH_FUNCTIONS = ("MD5", "SHA-1", "crypt")


def google_error(status, reason, message, headers=None, domain="global"):
    return Answer(status, {"error": {"code": status, "message": message,
                                     "errors": [{"message": message, "domain": domain, "reason": reason}]}}, headers)


def _unb64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeGoogle(FakeApi):
    customer_id = "C01fake23"
    admin = "admin@example.org"
    domains = ("example.org",)
    page_size_cap = 500

    def __init__(self, seed=13):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = uuid.uuid4().hex
        self.client_email = "mailbox-sync@fake-project.iam.gserviceaccount.com"
        self.delegated_scopes = set(SCOPES)
        self.throttle_answer = "403"  # or "429" / "503"
        super(FakeGoogle, self).__init__(seed)

    def service_account(self):
        """The JSON key file a Google Cloud console would give for the service account."""
        pem = self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode("ascii")
        return {"type": "service_account", "project_id": "fake-project", "private_key_id": self.key_id,
                "private_key": pem, "client_email": self.client_email, "client_id": "1234567890",
                "token_uri": self.url + "/token"}

    def reset_state(self):
        self.users = {}  # id -> user
        self.units = {}  # orgUnitPath -> org unit
        self.token_seconds = 3599
        self.bodies = []  # every API request body received, raw
        self.assertions = []

    # Dispatch ------------------------------------------------------------------------------

    def route(self, method, path, query, headers, raw):
        if path == "/token" and method == "POST":
            with self.lock:
                self.calls["token"] += 1
            return self.token(raw)
        if not path.startswith(API + "/"):
            return google_error(404, "notFound", "Not Found")
        with self.lock:
            self.bodies.append(raw)
        auth = headers.get("Authorization") or ""
        state = self.token_state(auth[7:]) if auth.startswith("Bearer ") else "invalid"
        if state != "valid":
            return google_error(401, "authError", "Invalid Credentials")
        if self.should_throttle():
            if self.throttle_answer == "403":
                return google_error(403, "userRateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
            return google_error(int(self.throttle_answer), "backendError", "Service unavailable")
        body = parse_json(raw)
        if body is ValueError:
            return google_error(400, "parseError", "Parse Error")
        with self.lock:
            name = re.sub(r"/users/[^/]+", "/users/{key}", path[len(API):])
            name = re.sub(r"/aliases/.+$", "/aliases/{alias}", name)
            name = re.sub(r"/orgunits/.+$", "/orgunits/{path}", name)
            self.calls["%s %s" % (method, name)] += 1
            if method == "GET":
                self.reads += 1
            else:
                self.writes += 1
            return self.resource(method, path[len(API):], query, body)

    def token(self, raw):
        form = dict((k, v[0]) for k, v in parse_qs(raw.decode("utf-8")).items())
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return Answer(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: "})
        try:
            header_part, claims_part, signature_part = form.get("assertion", "").split(".")
            header, claims = json.loads(_unb64(header_part)), json.loads(_unb64(claims_part))
            self.private_key.public_key().verify(_unb64(signature_part), ("%s.%s" % (header_part, claims_part)).encode(),
                                                 padding.PKCS1v15(), hashes.SHA256())
        except Exception:  # any malformed or badly signed assertion
            return Answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        self.assertions.append(claims)
        now = time.time()
        untimely = {"error": "invalid_grant",
                    "error_description": "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe"}
        if header.get("alg") != "RS256" or header.get("kid") not in (None, self.key_id) or \
                claims.get("iss") != self.client_email or claims.get("aud") != self.url + "/token":
            return Answer(400, untimely)
        if not (claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0)) or claims["exp"] - claims["iat"] > 3600:
            return Answer(400, untimely)
        if claims.get("sub") != self.admin:
            return Answer(400, {"error": "invalid_grant", "error_description": "Invalid email or User ID"})
        if not set(str(claims.get("scope", "")).split()) <= self.delegated_scopes:
            return Answer(401, {"error": "unauthorized_client", "error_description": "Client is unauthorized to "
                                "retrieve access tokens using this method, or client not authorized for any of the "
                                "scopes requested."})
        return Answer(200, {"access_token": self.issue_token(self.token_seconds), "expires_in": self.token_seconds,
                            "token_type": "Bearer"})

    def resource(self, method, path, query, body):
        match = re.match(r"^/customer/([^/]+)/orgunits(?:/(.+))?$", path)
        if match:
            if unquote(match.group(1)) not in ("my_customer", self.customer_id):
                return google_error(400, "badRequest", "Bad Request")
            return self.orgunits(method, unquote(match.group(2)) if match.group(2) else None, query, body or {})
        if path == "/users" and method == "GET":
            return self.list_users(query)
        if path == "/users" and method == "POST":
            return self.insert(body or {})
        match = re.match(r"^/users/([^/]+)(?:/aliases(?:/(.+))?)?$", path)
        if not match:
            return google_error(404, "notFound", "Not Found")
        user = self.find(unquote(match.group(1)))
        if user is None:
            return google_error(404, "notFound", "Resource Not Found: userKey")
        if "/aliases" in path:
            return self.alias(method, user, unquote(match.group(2)) if match.group(2) else None, body or {})
        if method == "PUT":
            return self.update(user, body or {})
        if method == "DELETE":
            del self.users[user["id"]]
            return Answer(204)
        if method == "GET":
            return Answer(200, self.shown(user))
        return google_error(405, "badRequest", "Method not allowed")

    # Users ---------------------------------------------------------------------------------

    def find(self, key):
        if key in self.users:
            return self.users[key]
        for user in self.users.values():
            if user["primaryEmail"] == key.lower() or key.lower() in user["aliases"]:
                return user
        return None

    def shown(self, user):
        """The resource as the API returns it: never the password or its hash."""
        return dict((k, v) for k, v in user.items() if k not in ("password", "hashFunction"))

    def list_users(self, query):
        if query.get("customer") not in ("my_customer", self.customer_id) and "domain" not in query:
            return google_error(400, "badRequest", "Bad Request")
        size = int(query.get("maxResults") or 100)
        if not 1 <= size <= self.page_size_cap:
            return google_error(400, "invalid", "Invalid Input: maxResults")
        start = int(query.get("pageToken") or 0)
        ordered = sorted(self.users.values(), key=lambda u: u["primaryEmail"])
        answer = {"kind": "admin#directory#users", "users": [self.shown(u) for u in ordered[start:start + size]]}
        if start + size < len(ordered):
            answer["nextPageToken"] = str(start + size)
        return Answer(200, answer)

    def _check(self, body, creating):
        unknown = set(body) - USER_FIELDS
        if unknown:
            return google_error(400, "invalid", "Invalid Input: %s" % sorted(unknown)[0])
        if creating:
            name = body.get("name") or {}
            if not body.get("primaryEmail") or not name.get("givenName") or not name.get("familyName"):
                return google_error(400, "required", "Required")
            if not body.get("password"):
                return google_error(400, "invalid", "Invalid Password")
            if body["primaryEmail"].rsplit("@", 1)[-1].lower() not in self.domains:
                return google_error(400, "notFound", "Domain not found.")
            if self.find(body["primaryEmail"]):
                return google_error(409, "duplicate", "Entity already exists.")
        if "hashFunction" in body and body["hashFunction"] not in HASH_FUNCTIONS:
            return google_error(400, "invalid", "Invalid Input: hashFunction")
        if body.get("hashFunction") == "crypt" and not re.match(r"^\$(1|5|6)\$", str(body.get("password"))):
            return google_error(400, "invalid", "Invalid Password")
        if "orgUnitPath" in body and body["orgUnitPath"] != "/" and body["orgUnitPath"] not in self.units:
            return google_error(400, "invalid", "Invalid Input: INVALID_OU_ID")
        for field in ("organizations", "externalIds", "phones"):
            if field in body and not isinstance(body[field], list):
                return google_error(400, "invalid", "Invalid Input: %s" % field)
        return None

    def insert(self, body):
        problem = self._check(body, creating=True)
        if problem:
            return problem
        user = {"id": str(uuid.uuid4().int)[:21], "kind": "admin#directory#user", "orgUnitPath": "/",
                "suspended": False, "changePasswordAtNextLogin": False, "aliases": [], "isAdmin": False}
        user.update(body)
        user["primaryEmail"] = body["primaryEmail"].lower()
        user["name"] = dict(body["name"], fullName="%s %s" % (body["name"]["givenName"], body["name"]["familyName"]))
        self.users[user["id"]] = user
        return Answer(200, self.shown(user))

    def update(self, user, body):
        problem = self._check(body, creating=False)
        if problem:
            return problem
        for key, value in body.items():
            if key == "name":
                user["name"] = dict(user["name"], **value)
                user["name"]["fullName"] = "%s %s" % (user["name"]["givenName"], user["name"]["familyName"])
            else:
                user[key] = value
        return Answer(200, self.shown(user))

    def alias(self, method, user, alias, body):
        if method == "POST":
            alias = str(body.get("alias") or "").lower()
            if alias.rsplit("@", 1)[-1] not in self.domains:
                return google_error(400, "invalid", "Invalid Input: alias")
            if self.find(alias) is not None:
                return google_error(409, "duplicate", "Entity already exists.")
            user["aliases"].append(alias)
            return Answer(200, {"kind": "admin#directory#alias", "primaryEmail": user["primaryEmail"], "alias": alias})
        if method == "DELETE" and alias:
            if alias.lower() not in user["aliases"]:
                return google_error(404, "notFound", "Resource Not Found: aliasKey")
            user["aliases"].remove(alias.lower())
            return Answer(204)
        return Answer(200, {"kind": "admin#directory#aliases",
                            "aliases": [{"alias": a, "primaryEmail": user["primaryEmail"]} for a in user["aliases"]]})

    # Org units -----------------------------------------------------------------------------

    def orgunits(self, method, path, query, body):
        if method == "GET" and path is None:
            return Answer(200, {"kind": "admin#directory#orgUnits", "organizationUnits": list(self.units.values())})
        if method == "POST" and path is None:
            name, parent = body.get("name"), body.get("parentOrgUnitPath")
            if not name or not parent:
                return google_error(400, "required", "Required")
            if parent != "/" and parent not in self.units:
                return google_error(400, "invalid", "Invalid Parent Orgunit Id")
            unit_path = (parent.rstrip("/") + "/" + name)
            if unit_path in self.units:
                return google_error(409, "duplicate", "Invalid Ou Id")
            unit = {"kind": "admin#directory#orgUnit", "name": name, "orgUnitPath": unit_path,
                    "orgUnitId": "id:" + uuid.uuid4().hex[:8], "parentOrgUnitPath": parent,
                    "description": body.get("description", "")}
            self.units[unit_path] = unit
            return Answer(200, unit)
        unit = self.units.get("/" + (path or "").lstrip("/"))
        if unit is None:
            return google_error(404, "notFound", "Org unit not found")
        if method == "PUT":
            unit.update(dict((k, v) for k, v in body.items() if k in ("description",)))
            return Answer(200, unit)
        if method == "DELETE":
            if any(u["orgUnitPath"] == unit["orgUnitPath"] for u in self.users.values()) or \
                    any(p.startswith(unit["orgUnitPath"] + "/") for p in self.units):
                return google_error(400, "failedPrecondition", "Cannot delete an org unit that is not empty")
            del self.units[unit["orgUnitPath"]]
            return Answer(204)
        return Answer(200, unit)

    # For tests -----------------------------------------------------------------------------

    def by_email(self, email):
        return self.find(email)
