def test_world_builds(world):
    assert world.resident_a.phone == "13800000001"
