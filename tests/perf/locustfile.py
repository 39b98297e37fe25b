"""Locust users for tests/perf/bench_load.py: applicants saving drafts and uploading files,
experts autosaving scores. Run only by that benchmark, which passes the world (session
cookies and addresses) in LOAD_WORLD and reads what was acknowledged from LOAD_RESULT.
"""

import itertools
import json
import os
import re

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

WORLD = json.loads(open(os.environ["LOAD_WORLD"]).read())  # noqa: SIM115
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What the portal acknowledged, per writer: the benchmark finds each of these afterwards.
ACKNOWLEDGED = {"drafts": {}, "uploads": {}, "scores": {}}
# A score sent and not yet acknowledged: if locust stops while it is in flight, the database may
# hold it instead of the last acknowledged one.
IN_FLIGHT = {}
_applicants = itertools.cycle(WORLD["applicants"])
_experts = itertools.cycle(WORLD["experts"])
PDF = open(WORLD["pdf_path"], "rb").read()  # noqa: SIM115


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def sign_in(self, person, page_url, name):
        with self.client.get(
            page_url,
            name=name,
            headers={"Cookie": f"sessionid={person['session']}"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            token = CSRF_INPUT.search(response.text or "")
            if response.status_code != 200 or token is None:
                where = response.headers.get("Location", "")
                response.failure(f"no form on {page_url}: {response.status_code} {where}")
                raise StopUser
            self.csrf = token.group(1)
            cookie = response.headers.get("Set-Cookie") or ""
            if not isinstance(cookie, str):  # several Set-Cookie headers
                cookie = "; ".join(cookie)
            match = re.search(r"csrftoken=([^;]+)", cookie)
            self.csrf_cookie = match.group(1) if match else person.get("csrf", "")
        self.sent = {
            "Cookie": f"sessionid={person['session']}; csrftoken={self.csrf_cookie}",
            "Referer": WORLD["host"] + page_url,
        }


class Applicant(PortalUser):
    weight = WORLD["applicant_weight"]

    def on_start(self):
        self.person = next(_applicants)
        self.saved = 0
        self.sign_in(self.person, self.person["honours_url"], "申报表：认证与荣誉（打开）")

    def open_and_save_honours(self):
        self.client.get(
            self.person["honours_url"],
            name="申报表：认证与荣誉（打开）",
            headers=self.sent,
            allow_redirects=False,
        )
        self.saved += 1
        value = f"{self.person['username']} 第{self.saved}次保存"
        with self.client.post(
            self.person["honours_url"],
            data={
                "csrfmiddlewaretoken": self.csrf,
                "certifications": "ISO 9001",
                "honours": value,
            },
            name="申报表：认证与荣誉（保存草稿）",
            headers=self.sent,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                self.person["honours_url"]
            ):
                ACKNOWLEDGED["drafts"][self.person["username"]] = value
            else:
                response.failure(f"draft save answered {response.status_code}")  # or → login

    def upload_evidence(self):
        title = f"{self.person['username']} 证实性材料 {self.saved}"
        self.saved += 1
        with self.client.post(
            self.person["documents_url"],
            data={"csrfmiddlewaretoken": self.csrf, "kind": "evidence", "title": title},
            files={"file": ("证实性材料.pdf", PDF, "application/pdf")},
            name="申报表：上传证实性材料",
            headers=self.sent,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                self.person["documents_url"]
            ):
                ACKNOWLEDGED["uploads"].setdefault(self.person["username"], []).append(title)
            else:
                response.failure(f"upload answered {response.status_code}")

    tasks = {open_and_save_honours: 4}
    if WORLD["upload_task_weight"]:
        tasks[upload_evidence] = WORLD["upload_task_weight"]


class Expert(PortalUser):
    weight = WORLD["expert_weight"]

    def on_start(self):
        self.person = next(_experts)
        self.turn = 0
        self.sign_in(self.person, self.person["sheet_url"], "评分表（打开）")

    @task
    def autosave_score(self):
        item = self.person["items"][self.turn % len(self.person["items"])]
        percentage = WORLD["percentages"][self.turn % len(WORLD["percentages"])]
        self.turn += 1
        key = f"{self.person['username']}|{item['application']}|{item['criterion']}"
        IN_FLIGHT[key] = percentage
        with self.client.post(
            item["url"],
            data={
                "csrfmiddlewaretoken": self.csrf,
                "percentage": str(percentage),
                "strengths": "压测",
                "opportunities": "",
            },
            headers={**self.sent, "HX-Request": "true"},
            name="评分表：自动保存一项",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                ACKNOWLEDGED["scores"][key] = percentage
                IN_FLIGHT.pop(key, None)
            else:
                response.failure(f"autosave answered {response.status_code}")


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    endpoints = []
    for entry in environment.stats.entries.values():
        endpoints.append(
            {
                "name": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": entry.total_rps,
                "median_ms": entry.median_response_time,
                "p95_ms": entry.get_response_time_percentile(0.95),
            }
        )
    errors = [
        {"name": e.name, "error": str(e.error), "count": e.occurrences}
        for e in environment.stats.errors.values()
    ]
    total = environment.stats.total
    with open(os.environ["LOAD_RESULT"], "w") as target:
        json.dump(
            {
                "endpoints": endpoints,
                "errors": errors,
                "total": {
                    "requests": total.num_requests,
                    "failures": total.num_failures,
                    "rps": total.total_rps,
                    "p95_ms": total.get_response_time_percentile(0.95),
                },
                "acknowledged": ACKNOWLEDGED,
                "in_flight": IN_FLIGHT,
            },
            target,
            ensure_ascii=False,
        )
