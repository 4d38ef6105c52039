"""The audit log and per-object timelines."""

from __future__ import annotations

from haofuwu.core import audit


def test_timeline_lists_an_objects_actions_newest_first(world) -> None:
    manager = world.users["manager_a"]
    audit.record(manager, "project.update", world.project_a, {"street": "姚家街道"})
    audit.record(None, "project.sweep", world.project_a)
    audit.record(manager, "project.update", world.project_b, {"street": "舜耕街道"})
    entries = list(audit.timeline(world.project_a))
    assert [(e.action, e.actor_name) for e in entries] == [("project.sweep", "system"), ("project.update", "manager_a")]
    assert entries[1].data == {"street": "姚家街道"}
