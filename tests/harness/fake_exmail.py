"""A stateful fake of Tencent Exmail's contact-management API (通讯录管理), on 127.0.0.1.

It follows the vendor's reference pages (腾讯企业邮 开放接口文档, https://exmail.qq.com/qy_mng_logic/doc,
mirrored at https://service.rtxmail.net/api/):
- 获取access_token: GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET -> access_token, expires_in 7200
- 管理部门: POST department/create {name, parentid, order} -> id; POST department/update {id, name,
  parentid}; GET department/delete?id=; GET department/list?id=ID (the department and those below it,
  https://service.rtxmail.net/api/270.html)
- 管理成员: POST user/create {userid, name, department[], position, mobile, extid, gender, slaves[],
  password, cpwd_login}; POST user/update (the same, plus enable 0|1); GET user/delete?userid=;
  GET user/get?userid=; GET user/list?department_id=ID&fetch_child=0|1 (https://service.rtxmail.net/api/277.html)
- every answer is HTTP 200 with errcode/errmsg; 40001 invalid secret, 40014 invalid access_token,
  42001 access_token expired, 45009 API frequency limit, 60003 department not found, 60005
  department has members, 60006 department has sub-departments, 60008 department name exists,
  60102 userid exists, 60111 userid not found; slaves are at most 5 and in email format.
"""

import re

from .fake_http import Answer, FakeApi, parse_json

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
USER_KEYS = {"userid", "name", "department", "position", "mobile", "tel", "extid", "gender", "slaves", "password",
             "cpwd_login", "enable"}


def ok(message="ok", **extra):
    return Answer(200, dict(errcode=0, errmsg=message, **extra))


def error(code, message):
    return Answer(200, dict(errcode=code, errmsg=message))


class FakeExmail(FakeApi):
    corp_id = "wm-fake-corp"
    corp_secret = "exmail-secret-Zq7!"

    def reset_state(self):
        self.departments = {1: dict(id=1, name="Fake Corp", parentid=0, order=0)}
        self.next_department = 2
        self.users = {}  # userid (lower-case) -> user dict as user/get returns it, plus password
        self.token_seconds = 7200

    def route(self, method, path, query, headers, raw):
        if not path.startswith("/cgi-bin/"):
            return Answer(404, dict(errcode=404, errmsg="not found"))
        api = path[len("/cgi-bin/"):]
        with self.lock:
            self.calls[api] += 1
        if api == "gettoken":
            if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.corp_secret:
                return error(40001, "invalid credential")
            return ok(access_token=self.issue_token(self.token_seconds), expires_in=self.token_seconds)
        state = self.token_state(query.get("access_token"))
        if query.get("access_token") is None:
            return error(41001, "access_token missing")
        if state == "invalid":
            return error(40014, "invalid access_token")
        if state == "expired":
            return error(42001, "access_token expired")
        if self.should_throttle():
            return error(45009, "api freq out of limit")
        body = parse_json(raw) if method == "POST" else None
        if body is ValueError or (method == "POST" and not isinstance(body, dict)):
            return error(47001, "data format error")
        handler = getattr(self, "api_" + api.replace("/", "_"), None)
        if handler is None:
            return error(48001, "api unauthorized")
        with self.lock:
            if api.endswith(("list", "get")):
                self.reads += 1
            else:
                self.writes += 1
            return handler(query, body)

    # Departments ---------------------------------------------------------------------------

    def _below(self, department_id):
        ids = [department_id]
        for dep in sorted(self.departments.values(), key=lambda d: d["id"]):
            if dep["parentid"] in ids and dep["id"] not in ids:
                ids.append(dep["id"])
        changed = True
        while changed:
            changed = False
            for dep in self.departments.values():
                if dep["parentid"] in ids and dep["id"] not in ids:
                    ids.append(dep["id"])
                    changed = True
        return ids

    def api_department_list(self, query, body):
        department_id = int(query.get("id") or 1)
        if department_id not in self.departments:
            return error(60003, "department not found")
        found = [dict(self.departments[i]) for i in self._below(department_id)]
        return ok(department=sorted(found, key=lambda d: (d["order"], d["id"])))

    def api_department_create(self, query, body):
        name, parent = body.get("name"), body.get("parentid")
        if not isinstance(name, str) or not name or len(name) > 64:
            return error(60001, "department name invalid")
        if parent not in self.departments:
            return error(60003, "parent department not found")
        if any(d["name"] == name and d["parentid"] == parent for d in self.departments.values()):
            return error(60008, "department name existed")
        department_id = self.next_department
        self.next_department += 1
        self.departments[department_id] = dict(id=department_id, name=name, parentid=parent,
                                               order=int(body.get("order") or 0))
        return ok("created", id=department_id)

    def api_department_update(self, query, body):
        dep = self.departments.get(body.get("id"))
        if dep is None or dep["id"] == 1:
            return error(60003, "department not found")
        for key in ("name", "parentid", "order"):
            if key in body:
                dep[key] = body[key]
        return ok("updated")

    def api_department_delete(self, query, body):
        department_id = int(query.get("id") or 0)
        if department_id not in self.departments or department_id == 1:
            return error(60003, "department not found")
        if any(d["parentid"] == department_id for d in self.departments.values()):
            return error(60006, "department contains sub-department")
        if any(department_id in u["department"] for u in self.users.values()):
            return error(60005, "department contains user")
        del self.departments[department_id]
        return ok("deleted")

    # Users ---------------------------------------------------------------------------------

    def _public(self, user):
        return dict((k, v) for k, v in user.items() if k != "password")

    def api_user_list(self, query, body):
        department_id = int(query.get("department_id") or 0)
        if department_id not in self.departments:
            return error(60003, "department not found")
        ids = self._below(department_id) if str(query.get("fetch_child")) == "1" else [department_id]
        found = [self._public(u) for _k, u in sorted(self.users.items()) if set(u["department"]) & set(ids)]
        return ok(userlist=found)

    def api_user_get(self, query, body):
        user = self.users.get(str(query.get("userid", "")).lower())
        if user is None:
            return error(60111, "userid not found")
        return ok(**self._public(user))

    def _validate(self, body, userid, creating):
        unknown = set(body) - USER_KEYS
        if unknown:
            return error(40058, "invalid parameter: %s" % ", ".join(sorted(unknown)))
        if creating and (not body.get("name") or not body.get("department") or not body.get("password")):
            return error(40058, "name, department and password are required")
        if "department" in body:
            if not isinstance(body["department"], list) or not body["department"] or \
                    any(d not in self.departments for d in body["department"]):
                return error(60003, "department not found")
        if "slaves" in body:
            slaves = body["slaves"]
            if not isinstance(slaves, list) or len(slaves) > 5 or not all(EMAIL.match(str(s)) for s in slaves):
                return error(60123, "invalid slaves: at most 5 addresses in email format")
            for slave in slaves:
                holder = self._holder(slave.lower())
                if holder is not None and holder != userid:
                    return error(60127, "slave existed")
        for key in ("enable", "cpwd_login"):
            if key in body and body[key] not in (0, 1):
                return error(40058, "%s must be 0 or 1" % key)
        if "password" in body and (not isinstance(body["password"], str) or len(body["password"]) < 6):
            return error(40058, "password invalid")
        return None

    def _holder(self, address):
        for userid, user in self.users.items():
            if address == userid or address in [s.lower() for s in user.get("slaves") or []]:
                return userid
        return None

    def api_user_create(self, query, body):
        userid = str(body.get("userid") or "").lower()
        if not EMAIL.match(userid):
            return error(40058, "userid must be an email address")
        if self._holder(userid) is not None:
            return error(60102, "userid existed")
        problem = self._validate(body, userid, creating=True)
        if problem:
            return problem
        user = dict(userid=userid, name=body["name"], department=list(body["department"]),
                    position=body.get("position", ""), mobile=body.get("mobile", ""), tel=body.get("tel", ""),
                    extid=body.get("extid", ""), gender=body.get("gender", "0"), slaves=list(body.get("slaves") or []),
                    enable=1, cpwd_login=int(body.get("cpwd_login") or 0), password=body["password"])
        self.users[userid] = user
        return ok("created")

    def api_user_update(self, query, body):
        userid = str(body.get("userid") or "").lower()
        user = self.users.get(userid)
        if user is None:
            return error(60111, "userid not found")
        problem = self._validate(body, userid, creating=False)
        if problem:
            return problem
        for key, value in body.items():
            if key != "userid":
                user[key] = value
        return ok("updated")

    def api_user_delete(self, query, body):
        userid = str(query.get("userid") or "").lower()
        if self.users.pop(userid, None) is None:
            return error(60111, "userid not found")
        return ok("deleted")

    # For tests -----------------------------------------------------------------------------

    def department_name(self, department_id):
        return self.departments[department_id]["name"]
