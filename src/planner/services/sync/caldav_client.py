"""The few WebDAV/CalDAV requests a sync needs, with ETags on every write.

Transport and authentication come from the ``caldav`` library's client; the
requests themselves are spelled out here so each write carries ``If-Match``
(change or delete what we last saw) or ``If-None-Match: *`` (create only if
absent), and a refused precondition comes back as ``None`` instead of
overwriting someone else's change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from planner.domain.errors import PlannerError

DAV, CALDAV, CS = "DAV:", "urn:ietf:params:xml:ns:caldav", "http://calendarserver.org/ns/"
_PROPFIND_COLLECTION = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">'
    "<d:prop><cs:getctag/><d:sync-token/><d:resourcetype/></d:prop></d:propfind>"
)
_PROPFIND_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)
_MULTIGET_BATCH = 100


class SyncServerError(PlannerError):
    """The CalDAV server is unreachable, refused the credentials or answered nonsense."""


@dataclass(slots=True)
class RequestCounter:
    """How many requests a sync made (the README's figures)."""

    requests: int = 0


@dataclass(slots=True)
class CalendarObject:
    """One calendar object: where it lives, its ETag and (once fetched) its text."""

    href: str
    etag: str | None
    text: str | None = None


@dataclass(slots=True)
class CalDavCollection:
    """One calendar collection on a CalDAV server."""

    url: str
    username: str
    password: str
    counter: RequestCounter = field(default_factory=RequestCounter)
    _client: Any = None

    def __post_init__(self) -> None:
        if not self.url.endswith("/"):
            self.url += "/"

    def _request(self, url: str, method: str, body: str = "", headers: dict[str, str] | None = None) -> Any:
        from caldav.davclient import DAVClient
        from caldav.lib import error as caldav_errors

        if self._client is None:
            self._client = DAVClient(url=self.url, username=self.username or None, password=self.password or None,
                                     timeout=30, enable_rfc6764=False)
        self.counter.requests += 1
        try:
            return self._client.request(url, method, body, headers or {})
        except caldav_errors.AuthorizationError:
            raise SyncServerError(f"the CalDAV server at {self.url} refused the credentials of "
                                  f"{self.username or 'anonymous'}: check the user and PLANNER_CALDAV_PASSWORD "
                                  "(or `keyring set planner-caldav USER`)") from None
        except caldav_errors.DAVError as error:
            raise SyncServerError(f"the CalDAV server at {self.url} answered {method} with an error: "
                                  f"{str(error).splitlines()[0][:200]}") from None
        except Exception as error:  # the transport's own exceptions: refused, timed out, TLS, DNS
            raise SyncServerError(f"cannot reach the CalDAV server at {self.url}: {_reason(error)}") from None

    def _multistatus(self, response: Any, what: str) -> ElementTree.Element:
        if response.status != 207:
            raise SyncServerError(f"{self.url} is not a calendar collection this user can read "
                                  f"({what} answered {response.status})")
        raw = response.raw if isinstance(response.raw, (str, bytes)) else str(response.raw)
        try:
            return ElementTree.fromstring(raw)
        except ElementTree.ParseError:
            raise SyncServerError(f"the CalDAV server at {self.url} answered {what} with malformed XML") from None

    def ctag(self) -> str | None:
        """The collection's change tag (or sync token): it changes whenever anything in it does."""
        root = self._multistatus(self._request(self.url, "PROPFIND", _PROPFIND_COLLECTION,
                                               {"Depth": "0", "Content-Type": "application/xml"}), "PROPFIND")
        for name in (f"{{{CS}}}getctag", f"{{{DAV}}}sync-token"):
            found = root.find(f".//{name}")
            if found is not None and (found.text or "").strip():
                return found.text.strip()
        return None

    def list(self) -> dict[str, str | None]:
        """Every calendar object's href and ETag."""
        root = self._multistatus(self._request(self.url, "PROPFIND", _PROPFIND_ETAGS,
                                               {"Depth": "1", "Content-Type": "application/xml"}), "PROPFIND")
        own_path = urlsplit(self.url).path.rstrip("/")
        listed: dict[str, str | None] = {}
        for response in root.findall(f"{{{DAV}}}response"):
            href = (response.findtext(f"{{{DAV}}}href") or "").strip()
            if not href or urlsplit(urljoin(self.url, href)).path.rstrip("/") == own_path:
                continue
            etag = response.findtext(f".//{{{DAV}}}getetag")
            listed[self.absolute(href)] = etag.strip() if etag else None
        return listed

    def fetch(self, hrefs: list[str]) -> list[CalendarObject]:
        """The text of these objects (calendar-multiget, in batches)."""
        fetched: list[CalendarObject] = []
        for first in range(0, len(hrefs), _MULTIGET_BATCH):
            batch = hrefs[first:first + _MULTIGET_BATCH]
            body = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget xmlns:d="DAV:" '
                    'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
                    + "".join(f"<d:href>{_xml_text(urlsplit(href).path)}</d:href>" for href in batch)
                    + "</c:calendar-multiget>")
            root = self._multistatus(self._request(self.url, "REPORT", body,
                                                   {"Depth": "1", "Content-Type": "application/xml"}), "REPORT")
            for response in root.findall(f"{{{DAV}}}response"):
                href = self.absolute((response.findtext(f"{{{DAV}}}href") or "").strip())
                text = response.findtext(f".//{{{CALDAV}}}calendar-data")
                etag = response.findtext(f".//{{{DAV}}}getetag")
                if text:
                    fetched.append(CalendarObject(href, etag.strip() if etag else None, text))
        return fetched

    def put(self, href: str, text: str, *, etag: str | None) -> str | None:
        """Write an object: replace the version ``etag`` names, or create it when ``etag`` is None.

        Returns the new ETag ("" when the server sent none), or None when the
        precondition failed (someone changed or created it meanwhile).
        """
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        response = self._request(href, "PUT", text, headers)
        if response.status == 412:
            return None
        if response.status not in (200, 201, 204):
            raise SyncServerError(f"the CalDAV server refused to store {href} ({response.status})")
        return _header(response, "ETag") or ""

    def delete(self, href: str, *, etag: str | None) -> bool:
        """Delete the version ``etag`` names; False when it changed meanwhile (412), True when gone."""
        response = self._request(href, "DELETE", "", {"If-Match": etag} if etag else {})
        if response.status == 412:
            return False
        if response.status not in (200, 204, 404):
            raise SyncServerError(f"the CalDAV server refused to delete {href} ({response.status})")
        return True

    def absolute(self, href: str) -> str:
        """An href as an absolute URL on this server."""
        return urljoin(self.url, href)


def _reason(error: BaseException) -> str:
    """The root cause of a transport failure in words ("connection refused"), not the library's wrapper."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        if isinstance(cause, TimeoutError):
            return "timed out"
        cause = cause.__cause__ or cause.__context__ or next(
            (arg for arg in getattr(cause, "args", ()) if isinstance(arg, BaseException)), None)
    text = str(error)
    if "refused" in text.lower():
        return "connection refused"
    if "timed out" in text.lower() or "timeout" in text.lower():
        return "timed out"
    return type(error).__name__


def _header(response: Any, name: str) -> str | None:
    headers = getattr(response, "headers", None) or {}
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return value
    return None


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
