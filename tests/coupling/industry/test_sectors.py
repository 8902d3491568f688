"""Tests of coupling/sectors.py: the yearbook sector names of both GB/T 4754 editions."""

from __future__ import annotations

import pandas as pd
import pytest

from coupling.exceptions import SpecificationError
from coupling.industry.sectors import PRODUCER_SERVICES, SECTORS, harmonize_sectors, sector_key


def test_nineteen_sections_each_edition_and_language_resolves():
    assert len(SECTORS) == 19
    for key, (new, old, english) in SECTORS.items():
        assert sector_key(new) == sector_key(old) == sector_key(english) == key
    assert set(PRODUCER_SERVICES) <= set(SECTORS)


@pytest.mark.parametrize(
    ("old", "new"),
    [("信息传输、计算机服务和软件业", "信息传输、软件和信息技术服务业"),
     ("科学研究、技术服务和地质勘查业", "科学研究和技术服务业"),
     ("卫生、社会保障和社会福利业", "卫生和社会工作"),
     ("居民服务和其他服务业", "居民服务、修理和其他服务业"),
     ("公共管理和社会组织", "公共管理、社会保障和社会组织"),
     ("电力、燃气及水的生产和供应业", "电力、热力、燃气及水生产和供应业")],
)  # fmt: skip
def test_the_six_renamed_sections_are_bridged(old, new):
    assert sector_key(old) == sector_key(new) is not None


def test_harmonize_a_table_spanning_both_editions():
    old = pd.DataFrame({"region": ["11"], "year": [2011], "制造业": [1.0],
                        "信息传输、计算机服务和软件业": [2.0]})  # fmt: skip
    new = pd.DataFrame({"region": ["11"], "year": [2012], "制造业": [1.5],
                        "信息传输、软件和信息技术服务业": [2.5]})  # fmt: skip
    both = pd.concat([harmonize_sectors(t, keys=("region", "year")) for t in (old, new)])
    assert list(both.columns) == ["region", "year", "manufacturing", "information"]
    assert both["information"].tolist() == [2.0, 2.5]
    with pytest.raises(SpecificationError, match="are not yearbook sectors"):
        harmonize_sectors(old)
    doubled = old.assign(Manufacturing=1.0)
    with pytest.raises(SpecificationError, match="same sector"):
        harmonize_sectors(doubled, keys=("region", "year"))
