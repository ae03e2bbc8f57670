"""server_table.py over a small JUnit file (no homeserver needed)."""

import server_table

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.e2e.test_a" name="test_x[synapse]" time="2.0"/>
<testcase classname="tests.e2e.test_a" name="test_x[dendrite]" time="3.0">
 <failure message="boom">trace</failure></testcase>
<testcase classname="tests.e2e.test_a" name="test_y[synapse-nl]" time="1.0"/>
<testcase classname="tests.e2e.test_a" name="test_y[dendrite-nl]" time="0.0">
 <skipped type="pytest.skip"
  message="server-only (synapse): admin API override_ratelimit"/></testcase>
<testcase classname="tests.e2e.test_b" name="test_z[synapse]" time="57.0"/>
<testcase classname="tests.e2e.test_b" name="test_z[dendrite]" time="60.0"/>
<testcase classname="tests.e2e.test_c" name="test_plain" time="1.0"/>
</testsuite></testsuites>
"""


def test_table_counts_servers_and_reasons(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    out = server_table.table(str(path))
    rows = {line.split("|")[1].strip(): line for line in out.splitlines()
            if line.startswith("| `")}
    assert set(rows) == {"`test_a.py`", "`test_b.py`"}, out
    a = [c.strip() for c in rows["`test_a.py`"].split("|")]
    assert a[2] == "✓ 2/2" and a[3] == "✗ 0/1", a
    assert "`test_y[nl]`: synapse: admin API override_ratelimit" in a[4], a
    assert "failed: `test_x[dendrite]`" in a[4], a
    b = [c.strip() for c in rows["`test_b.py`"].split("|")]
    assert b[2:4] == ["✓ 1/1", "✓ 1/1"], b
    assert "- Synapse: 3 passed, 0 failed, 0 server-only skipped; " \
        "test time 1.0 min" in out, out
    assert "- Dendrite: 1 passed, 1 failed, 1 server-only skipped" in out
