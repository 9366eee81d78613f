"""A story id merged into another keeps working over HTTP: the API redirects it (308) to the story's id now,
for the story and its parts, on both stores (real uvicorn)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from storydesk.store import Store, StoryHistoryRow

BRIDGE_TITLE = "Carrow Bay commuters face months of detours as Linden Street Bridge closes"


def test_a_merged_id_redirects_to_the_story_it_joined(server, corpus_result) -> None:
    bridge = next(s.id for s in corpus_result.stories if s.title == BRIDGE_TITLE)
    old, older = f"smerged{uuid.uuid4().hex[:8]}", f"solder{uuid.uuid4().hex[:8]}"
    store = Store(server.db)
    at = dt.datetime(2026, 5, 1)
    with Session(store.engine) as session, session.begin():  # as stream.add_reports records a merge
        session.add_all([StoryHistoryRow(at=at, kind="merged", from_id=older, to_id=old),
                         StoryHistoryRow(at=at, kind="merged", from_id=old, to_id=bridge)])
    with server.client() as client:
        moved = client.get(f"/api/v1/stories/{older}")
        facts = client.get(f"/api/v1/stories/{old}/facts")
        followed = client.get(f"/api/v1/stories/{older}", follow_redirects=True)
        never = client.get("/api/v1/stories/snever0000")
    assert (moved.status_code, moved.headers["location"]) == (308, f"/api/v1/stories/{bridge}")
    assert moved.json()["story_id"] == bridge
    assert (facts.status_code, facts.headers["location"]) == (308, f"/api/v1/stories/{bridge}/facts")
    assert followed.status_code == 200 and followed.json()["id"] == bridge
    assert never.status_code == 404
