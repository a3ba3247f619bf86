"""The load scenario of ``make loadtest`` (run by ``manage.py loadtest``, which prepares the
targets and the token and starts gunicorn): officials browse, file and approve; API clients
page through lists. Any server error, refused connection or unexpected status is a failure.

Filing and approving race on purpose: several officials act on the same report or award at
once; the second answer is the page's refusal (a message, never a server error), and the
command checks afterwards that each report and award moved exactly once.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["LOADTEST_TARGETS"]).read())
PASSWORD = TARGETS["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _ok(response, *allowed):
    if response.status_code in (allowed or (200,)):
        response.success()
    else:
        response.failure(f"status {response.status_code}")


class Official(HttpUser):
    weight = 10
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = random.choice(TARGETS["officials"])
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/", {"username": self.account, "password": PASSWORD,
                                 "csrfmiddlewaretoken": token},
            name="sign in", catch_response=True, allow_redirects=False,
        ) as response:
            _ok(response, 302)

    def _post(self, url, data, name):
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            url, {**data, "csrfmiddlewaretoken": token}, name=name, catch_response=True,
            allow_redirects=False, headers={"Referer": self.host + url},
        ) as response:
            # Done (redirect), or refused by the page because someone else did it first.
            _ok(response, 200, 302, 303, 409)

    @task(10)
    def browse(self):
        url = random.choice(TARGETS["pages"][self.account])
        with self.client.get(url, name=url.split("?")[0], catch_response=True) as response:
            _ok(response)

    @task(2)
    def file_a_report(self):
        if self.account == TARGETS["county"] and TARGETS["drafts"]:
            pk = random.choice(TARGETS["drafts"])
            self._post(f"/enterprises/monitoring/{pk}/submit/", {}, "file a report")

    @task(2)
    def approve_an_award(self):
        if self.account == TARGETS["finance"] and TARGETS["awards"]:
            award = random.choice(TARGETS["awards"])
            self._post(
                f"/subsidies/awards/{award['pk']}/approve/", {"approve-budget": award["budget"]},
                "approve an award",
            )


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(0.2, 1)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {TARGETS['token']}"
        self.next = None

    @task
    def page(self):
        url = self.next or random.choice(TARGETS["api_lists"])
        with self.client.get(url, name="API " + url.split("?")[0].split("/api/v1/")[-1],
                             catch_response=True) as response:
            _ok(response)
            if response.status_code == 200:
                following = response.json().get("next")
                self.next = following.split("://", 1)[-1].split("/", 1)[-1] if following else None
                if self.next:
                    self.next = "/" + self.next
