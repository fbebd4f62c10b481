def test_desk_fixture_builds_a_ladder(desk):
    assert [tier.code for tier in desk.desk.tiers()] == ["L1", "L2", "L3", "Vendor"]
