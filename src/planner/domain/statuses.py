"""The status categories every workflow has; a workflow's own states each belong to one of them."""

from __future__ import annotations

#: todo (not started), doing (in progress), done (finished); a state key may stand for any of them.
CATEGORIES = ("todo", "doing", "done")
