"""Transport to SCB's PxWebApi 2.0: a sliding-window rate limiter and an HTTP client that retries 429
and 5xx answers (urllib3, honouring ``Retry-After``) and turns every failure into one line.
The table logic (json-stat2, the population table) is in ``analysis.public_data.pxweb``.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from analysis.core.errors import GinoError

DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2/"


RETRY_STATUSES = (429, 500, 502, 503, 504)


CONNECT_RETRIES = 1


OFFLINE_HINT = "check your network connection, or use 'gino fetch --mirror DIR' with an offline copy"


class RateLimiter:
    """Sliding window: at most ``max_calls`` calls start within any ``per_seconds`` interval."""

    def __init__(
        self,
        max_calls: int,
        per_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_calls < 1 or per_seconds <= 0:
            raise ValueError("max_calls must be >= 1 and per_seconds > 0")
        self.max_calls, self.per_seconds = max_calls, per_seconds
        self._clock, self._sleep = clock, sleep
        self._starts: deque[float] = deque()

    def _forget_before(self, now: float) -> None:
        while self._starts and now - self._starts[0] >= self.per_seconds:
            self._starts.popleft()

    def acquire(self) -> None:
        """Block until one more call fits in the window, then record it."""
        now = self._clock()
        self._forget_before(now)
        if len(self._starts) >= self.max_calls:
            free_at = self._starts[0] + self.per_seconds
            self._sleep(free_at - now)
            # A clock that has not quite reached free_at (coarse timers) must not let the call
            # count twice, so the call is recorded no earlier than the moment the slot frees up.
            now = max(self._clock(), free_at)
            self._forget_before(now)
        self._starts.append(now)


class PxWebClient:
    """A rate-limited, retrying JSON client for one PxWebApi 2.0 installation."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        lang: str = "sv",
        max_calls: int = 30,
        per_seconds: float = 10.0,
        max_cells: int = 150_000,
        retries: int = 5,
        backoff_factor: float = 1.0,
        timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.lang = lang
        self.max_cells = max_cells
        self.retries = retries
        self.timeout = timeout
        self.limiter = RateLimiter(max_calls, per_seconds, clock=clock, sleep=sleep)
        retry = Retry(
            total=retries,
            # A refused or unresolvable connection almost always means "offline": fail within seconds.
            connect=min(retries, CONNECT_RETRIES),
            read=retries,
            status=retries,
            backoff_factor=backoff_factor,
            status_forcelist=RETRY_STATUSES,
            # Data queries are reads, so repeating a POST is safe.
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session = session or requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def get_json(self, path: str, params: dict | None = None) -> dict:
        """GET ``path`` below the base URL (``lang`` added) and return the JSON object."""
        return self._request("GET", path, params, None)

    def post_json(self, path: str, body: dict, params: dict | None = None) -> dict:
        """POST ``body`` as JSON to ``path`` below the base URL and return the JSON object."""
        return self._request("POST", path, params, body)

    def _request(self, method: str, path: str, params: dict | None, body: dict | None) -> dict:
        url = self.url(path)
        self.limiter.acquire()
        try:
            response = self.session.request(
                method,
                url,
                params={"lang": self.lang, **(params or {})},
                json=body,
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise GinoError(f"could not reach SCB PxWeb API at {url}: {self._reason(exc)}; {OFFLINE_HINT}") from None
        if response.status_code in RETRY_STATUSES:
            raise GinoError(
                f"could not reach SCB PxWeb API at {url}: HTTP {response.status_code}{_problem(response)} "
                f"after {self.retries} retries; {OFFLINE_HINT}"
            )
        if response.status_code >= 400:
            # PxWebApi answers 403 when a query asks for more cells than the installation allows.
            hint = "; the query exceeds the cell limit, lower max_cells" if response.status_code == 403 else ""
            raise GinoError(
                f"SCB PxWeb API at {url} refused the request: HTTP {response.status_code}{_problem(response)}{hint}"
            )
        try:
            doc = response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise GinoError(f"{url}: expected a JSON object from SCB PxWeb API, got {kind}") from None
        if not isinstance(doc, dict):
            raise GinoError(f"{url}: expected a JSON object from SCB PxWeb API, got a JSON {type(doc).__name__}")
        return doc

    def _reason(self, exc: requests.RequestException) -> str:
        if isinstance(exc, requests.Timeout):
            return f"no answer within {self.timeout:g} s"
        cause: BaseException = exc
        if exc.args and isinstance(exc.args[0], MaxRetryError) and exc.args[0].reason is not None:
            cause = exc.args[0].reason
        text = str(cause)
        errno = re.search(r"\[Errno -?\d+\] [^'\")\]]+", text)
        return _one_line(errno.group(0) if errno else text or type(cause).__name__)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem(response: requests.Response) -> str:
    """The API's own short explanation (RFC 7807 ``title``/``detail``), if it sent one."""
    try:
        doc = response.json()
    except ValueError:
        return ""
    if not isinstance(doc, dict):
        return ""
    parts = [str(doc[key]) for key in ("title", "detail") if doc.get(key)]
    return f" ({_one_line('; '.join(parts))})" if parts else ""
