"""The load mix bench/load.py runs through locust: 80% anonymous residents, 20% signed-in group members and officers.

The addresses come from the demo borough as bench/load.py found them (a JSON file named by COMMONWEAL_LOAD_PATHS),
so this file needs no Django. Every answer that is not 2xx (or a redirect locust follows to one) is a failure.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

PATHS: dict[str, list[str]] = json.loads(open(os.environ["COMMONWEAL_LOAD_PATHS"], encoding="utf-8").read())
PASSWORD = "commonweal-demo"
WORDS = [
    "lunch club",
    "food bank",
    "fod bank",
    "benifits",
    "mental health support",
    "youth",
    "councelling",
    "debt advice",
    "older people",
    "football",
    "english classes",
    "carers",
]
POSTCODES = ["SW19 2HL", "sw192hl", "SW19 1ZZ", ""]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Resident(HttpUser):
    """Anonymous: find help by words and postcodes, services, wards, funding pages and open data."""

    weight = 8
    wait_time = between(0.5, 2)

    @task(5)
    def search(self) -> None:
        params = {"q": random.choice(WORDS)}
        postcode = random.choice(POSTCODES)
        if postcode:
            params |= {"postcode": postcode, "distance": random.choice(["1", "2", "5"])}
        self.client.get("/directory/", params=params, name="/directory/?q=&postcode=")

    @task(3)
    def service(self) -> None:
        self.client.get(random.choice(PATHS["services"]), name="/directory/services/[uuid]/")

    @task(2)
    def ward(self) -> None:
        self.client.get(random.choice(PATHS["wards"]), name="/places/wards/[code]/")

    @task(2)
    def funding(self) -> None:
        path = random.choice(PATHS["funding"])
        self.client.get(path, name=re.sub(r"/(rounds|funds)/[^/]+/", r"/\1/[slug]/", path))

    @task(1)
    def open_data(self) -> None:
        path = random.choice(PATHS["open_data"])
        self.client.get(path, name=path)

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")


class SignedIn(HttpUser):
    abstract = True
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/accounts/login/"},
            name="/accounts/login/ (POST)",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{self.email} could not sign in")


class GroupMember(SignedIn):
    """A group member: their listings and their group's page, their applications and a draft."""

    weight = 1
    wait_time = between(1, 3)
    email = "group@demo.commonweal.test"

    @task(2)
    def my_listings(self) -> None:
        self.client.get("/directory/manage/", name="/directory/manage/")

    @task(2)
    def group_page(self) -> None:
        if PATHS["group_pages"]:
            self.client.get(random.choice(PATHS["group_pages"]), name="/directory/manage/organisations/[slug]/")

    @task(1)
    def applications(self) -> None:
        self.client.get("/funding/applications/", name="/funding/applications/")

    @task(2)
    def draft(self) -> None:
        if PATHS["drafts"]:
            self.client.get(random.choice(PATHS["drafts"]), name="/funding/applications/[uuid]/edit/")


class Officer(SignedIn):
    """An officer: the moderation queue, stale listings, the funding rounds and their applications."""

    weight = 1
    wait_time = between(1, 3)
    email = "officer@demo.commonweal.test"

    @task(3)
    def moderation(self) -> None:
        self.client.get("/directory/moderation/", name="/directory/moderation/")

    @task(1)
    def manage(self) -> None:
        self.client.get("/funding/manage/", name="/funding/manage/")

    @task(2)
    def round_page(self) -> None:
        if PATHS["rounds_manage"]:
            path = random.choice(PATHS["rounds_manage"])
            self.client.get(path, name=re.sub(r"/rounds/[^/]+/", "/rounds/[slug]/", path))
