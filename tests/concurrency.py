"""Double clicks for tests: one signed-in browser posting the same form several times at once."""

import re
import threading
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')


def form_token(html: str) -> str:
    """The one-time token the page rendered into its form (there must be exactly one)."""
    tokens = TOKEN.findall(html)
    assert len(tokens) == 1, tokens
    return tokens[0]


@dataclass
class Answer:
    status: int
    location: str
    messages: list[str]


def post_together(client: Client, url: str, data, *, times: int = 2) -> list[Answer]:
    """POST `data()` to `url` `times` at once, each in its own thread and DB connection.

    Every request carries `client`'s cookies (its session, if signed in), as the clicks of
    one browser do.
    `data` is called once per request (an upload needs its own file object). A request
    that raises inside the view is an answer with status 500.
    """
    barrier = threading.Barrier(times)
    answers: list[Answer] = []

    def click():
        browser = Client(raise_request_exception=False)
        for name, morsel in client.cookies.items():  # the session, if any, and the CSRF cookie
            browser.cookies[name] = morsel.value
        payload = data()
        try:
            barrier.wait()
            response = browser.post(url, payload)
            answers.append(
                Answer(
                    status=response.status_code,
                    location=response.get("Location", ""),
                    messages=[str(m) for m in get_messages(response.wsgi_request)],
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == times, "a request did not finish"
    return answers
